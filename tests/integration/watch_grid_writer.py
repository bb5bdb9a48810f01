# An h5py SWMR writer whose datasets grow along any dimension, for
# swmr-watch's tests of growth beyond the first dimension (as HDF5's own
# swmr_writer does with (1, N) datasets):
#
#   watch_grid_writer.py FILE NAME:DTYPE:SHAPE:MAXSHAPE[:CHUNKS] ...
# SHAPE, MAXSHAPE and CHUNKS are extents joined by "x"; "N" in MAXSHAPE is
# unlimited ("x:int64:1x0:1xN:1x64" is h5py's
# create_dataset("x", shape=(1, 0), maxshape=(1, None), chunks=(1, 64))).
#
# Commands, one a line on stdin (a FIFO: the test hand-shakes with the
# watcher between steps), each followed by a flush:
#   resize NAME AxB...   set the extent; every cell holds value(index)
#   extent NAME AxB...   set the extent only (cells unwritten: huge ones)
# End of input (or "close") closes the file. It prints "ready" once the
# file is in SWMR mode. value(i, j, ...) = i*1000 + j (digits of the index
# in base 1000), so a printed value says where it belongs.
import sys
import h5py, numpy as np
from watch_py_common import serve

def extents(text):
    return tuple(None if e == "N" else int(e) for e in text.split("x"))

def fill(d):
    if 0 in d.shape:
        return
    idx = np.indices(d.shape)
    v = np.zeros(d.shape, dtype=np.int64)
    for k in range(len(d.shape)):
        v = v * 1000 + idx[k]
    d[...] = v.astype(d.dtype)

def main():
    f = h5py.File(sys.argv[1], "w", libver="latest")
    dsets = {}
    for spec in sys.argv[2:]:
        parts = spec.split(":")
        name, dtype, shape, maxshape = parts[:4]
        chunks = extents(parts[4]) if len(parts) > 4 else True
        d = f.create_dataset(name, shape=extents(shape),
                             maxshape=extents(maxshape), chunks=chunks,
                             dtype=dtype)
        fill(d)
        dsets[name] = d
    f.swmr_mode = True

    def resize(name, shape, filled=True):
        d = dsets[name]
        d.resize(extents(shape))
        if filled:
            fill(d)
        d.flush()
    serve("watch_grid_writer.py",
          {"resize": resize,
           "extent": lambda name, shape: resize(name, shape, False)})
    f.close()

main()
