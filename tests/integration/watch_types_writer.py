# An h5py SWMR writer of 1-D datasets of every type a user meets, for
# swmr-watch's tests of --values beyond plain numbers:
#
#   watch_types_writer.py FILE NAME ...
# NAME picks the dataset and its type (see TYPES below); each starts empty,
# unlimited, in chunks of 4. Commands, one a line on stdin (a FIFO: the
# test hand-shakes with the watcher between steps), each followed by a
# flush:
#   append NAME N    add N rows; row i holds row(NAME, i), below
# End of input (or "close") closes the file. It prints "ready" once the
# file is in SWMR mode.
import sys
import h5py, numpy as np
from watch_py_common import serve

COLOR = h5py.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 42}, basetype="i2")
POINT = np.dtype([("x", ">f4"), ("y", "i2")])   # big-endian inside
TYPES = {
    # time, a nested compound, an array, a fixed string, a bool, an enum
    "log": np.dtype([("time", "<f8"), ("pos", POINT), ("a", "u1", (3,)),
                     ("name", "S6"), ("ok", "?"), ("color", COLOR)]),
    "vstr": h5py.string_dtype(),            # variable-length UTF-8
    "fstr": np.dtype("S5"),                 # fixed, NUL-padded
    "color": COLOR,
    "flag": np.dtype("?"),
    "half": np.dtype("<f2"),
    "big": np.dtype(">f8"),
    "i24": None,                            # made below: a 3-byte integer
    "pair": np.dtype(("<i4", (2, 2))),      # a (2, 2) array in each cell
    "seq": h5py.vlen_dtype(np.dtype("<i4")),
    "blob": np.dtype([("n", "<i4"), ("raw", "V3")]),   # opaque member
    "opaque": np.dtype("V2"),
}

def row(name, i):
    if name == "log":
        return (i + 0.5, (0.1 * i, -i), (i, i + 1, i + 2),
                b"r%d" % i if i % 2 else b"a b\tc", i % 2 == 0,
                (0, 1, 42, 7)[i % 4])
    if name == "vstr":
        return ("h\u00e9llo %d" % i) if i % 2 else "line\nbreak \"q\""
    if name == "fstr":
        return b"s%d" % i
    if name == "color":
        return (0, 1, 42, 7)[i % 4]
    if name == "flag":
        return i % 2 == 1
    if name == "half":
        return (0.1, 65504, -2.5, 6e-8)[i % 4] * (1 + i // 4)
    if name == "big":
        return 1.25 * i - 3
    if name == "i24":
        return -i * 1000
    if name == "pair":
        return [[i, i + 1], [i + 2, i + 3]]
    if name == "seq":
        return np.arange(i % 3, dtype="<i4") + i
    if name == "blob":
        return (i, b"\x01\x02\x03")
    if name == "opaque":
        return b"\x01\x02"
    raise SystemExit("watch_types_writer.py: no dataset type " + name)

def create(f, name):
    if name == "i24":
        # numpy has no 3-byte integer: h5py's low-level API makes one.
        t = h5py.h5t.STD_I32LE.copy()
        t.set_size(3)
        t.set_precision(24)
        space = h5py.h5s.create_simple((0,), (h5py.h5s.UNLIMITED,))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((4,))
        h5py.h5d.create(f.id, b"i24", t, space, dcpl)
        return f["i24"]
    return f.create_dataset(name, shape=(0,), maxshape=(None,), chunks=(4,),
                            dtype=TYPES[name])

def append(d, name, n):
    start = d.shape[0]
    d.id.set_extent((start + n,))
    for i in range(start, start + n):
        if name == "i24":   # h5py has no dtype for it: HDF5 converts
            space = d.id.get_space()
            space.select_hyperslab((i,), (1,))
            d.id.write(h5py.h5s.create_simple((1,)), space,
                       np.array([row(name, i)], "<i4"))
        else:
            d[i] = row(name, i)

def main():
    f = h5py.File(sys.argv[1], "w", libver="latest")
    dsets = {name: create(f, name) for name in sys.argv[2:]}
    f.swmr_mode = True

    def append_rows(name, n):
        append(dsets[name], name, int(n))
        dsets[name].flush()
    serve("watch_types_writer.py", {"append": append_rows})
    f.close()

main()
