# An h5py SWMR writer of a virtual dataset (VDS), for swmr-watch's tests:
#
#   watch_vds_writer.py FILE [--sources-in OTHER] [--with-data] [--two]
#
# FILE gets /v, a VDS of int64 whose one mapping is unlimited: v[i] is
# src[i] for every i the source has. /src (chunked, unlimited) is in FILE,
# or with --sources-in in OTHER, a file of its own that this writer holds in
# SWMR mode beside FILE. --with-data adds /data to FILE, an ordinary growing
# dataset. --two makes /v of shape (2, N) over two sources: v[0, i] is
# src[i], v[1, i] is src2[i]. Both files stay open in SWMR mode until the
# end.
#
# Commands, one a line on stdin (a FIFO: the test hand-shakes with the
# watcher between steps), each followed by a flush:
#   append N [NAME]   add N rows to NAME (src, the default, src2 or data)
# End of input (or "close") closes the files. It prints "ready" once they
# are in SWMR mode. Row i holds 100 + i, never the VDS's fill value (-1).
import sys
import h5py, numpy as np
from watch_py_common import serve

def growing(f, name):
    return f.create_dataset(name, shape=(0,), maxshape=(None,), chunks=(4,),
                            dtype="int64")

def main():
    args = sys.argv[1:]
    path = args.pop(0)
    other = args[args.index("--sources-in") + 1] if "--sources-in" in args else None
    f = h5py.File(path, "w", libver="latest")
    s = h5py.File(other, "w", libver="latest") if other else f
    sources = ["src", "src2"] if "--two" in args else ["src"]
    dsets = {name: growing(s, name) for name in sources}
    if "--with-data" in args:
        dsets["data"] = growing(f, "data")
    # h5py selects nothing in a layout or source of shape (0,): declare one
    # row, and let the unlimited selections say the rest.
    U = h5py.h5s.UNLIMITED
    if len(sources) == 1:
        layout = h5py.VirtualLayout(shape=(1,), maxshape=(None,),
                                    dtype="int64")
    else:
        layout = h5py.VirtualLayout(shape=(2, 1), maxshape=(2, None),
                                    dtype="int64")
    for k, name in enumerate(sources):
        source = h5py.VirtualSource(other or ".", name, shape=(1,),
                                    maxshape=(None,))
        if len(sources) == 1:
            layout[0:U] = source[0:U]
        else:
            layout[k, 0:U] = source[0:U]
    f.create_virtual_dataset("v", layout, fillvalue=-1)
    f.swmr_mode = True
    if other:
        s.swmr_mode = True

    def append(n, name="src"):
        d = dsets[name]
        old, n = d.shape[0], int(n)
        d.resize((old + n,))
        d[old:] = 100 + np.arange(old, old + n)
        d.flush()
    serve("watch_vds_writer.py", {"append": append})
    if other:
        s.close()
    f.close()

main()
