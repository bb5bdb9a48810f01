# Checks swmr-watch --values --format=json output (watch.out) against the
# file as h5py reads it after the writer closed it, for datasets of any type
# (1-D, grown along their only dimension):
#   watch_check_types.py FILE DATASET...
# Every row must appear exactly once, in order, printed as the type says:
# compounds as objects with the fields in order, strings as JSON strings,
# enums by name (a value without one as its number), booleans as true/false,
# integers as integers, floats with the shortest digits of their own
# precision (float16 0.1, not 0.099975586), arrays and sequences as lists,
# opaque parts as null, nan and infinities as the strings "nan", "inf",
# "-inf".
# Prints "NAME ROWS ok" per dataset, or exits with the first difference.
import sys
import h5py, numpy as np
from watch_py_common import printed_values

def read(d):
    try:
        return d.dtype, d[...]
    except TypeError:
        # An integer numpy has no dtype for (h5py cannot say "<i3"):
        # HDF5 converts it to a 64-bit one.
        out = np.empty(d.shape, "<i8")
        d.id.read(h5py.h5s.ALL, h5py.h5s.ALL, out)
        return out.dtype, out

def same(dt, want, got, where):
    """None if GOT (from JSON) is how WANT (of dtype DT) must print, else why not."""
    if dt.names:
        if not isinstance(got, dict) or list(got) != list(dt.names):
            return "%s: %r is no object of the fields %s" % (where, got, dt.names)
        for name in dt.names:
            bad = same(dt.fields[name][0], want[name], got[name], where + "." + name)
            if bad:
                return bad
        return None
    if dt.subdtype:
        base, shape = dt.subdtype
        want = np.asarray(want)
        if np.shape(got) != shape:
            return "%s: %r is not of shape %s" % (where, got, shape)
        for idx in np.ndindex(*shape):
            cell = got
            for i in idx:
                cell = cell[i]
            bad = same(base, want[idx], cell, where + str(list(idx)))
            if bad:
                return bad
        return None
    enum = h5py.check_enum_dtype(dt)
    vlen = h5py.check_vlen_dtype(dt)
    if enum is not None:
        names = {v: k for k, v in enum.items()}
        expect = names.get(int(want), int(want))
    elif h5py.check_string_dtype(dt) is not None:
        expect = want.decode() if isinstance(want, bytes) else want
    elif vlen is not None:
        if not isinstance(got, list) or len(got) != len(want):
            return "%s: %r is not a list of %d" % (where, got, len(want))
        for i, (w, g) in enumerate(zip(want, got)):
            bad = same(vlen, w, g, "%s[%d]" % (where, i))
            if bad:
                return bad
        return None
    elif dt.kind == "b":
        expect = bool(want)
    elif dt.kind in "iu":
        expect = int(want)
    elif dt.kind == "f":
        # numpy's str of a scalar is the shortest text that reads back as
        # it at its own width (float16's 65504 is 6.55e+04).
        expect = float(str(dt.type(want)))
        if not np.isfinite(want):   # JSON has no such numbers
            expect = str(expect)
    elif dt.kind == "V":
        expect = None   # opaque: swmr-watch cannot print it
    else:
        return "%s: the checker knows no %s" % (where, dt)
    # bool is an int in Python, and 1.0 == 1: the JSON type must match too.
    kinds = (type(expect),) if not isinstance(expect, float) else (float, int)
    if type(got) not in kinds or got != expect:
        return "%s: printed %r, want %r" % (where, got, expect)
    return None

path, names = sys.argv[1], sys.argv[2:]
got = printed_values(names)
with h5py.File(path, "r") as f:
    for n in names:
        dt, want = read(f[n])
        if len(got[n]) != len(want):
            sys.exit("%s: %d rows printed, file has %d" % (n, len(got[n]), len(want)))
        for i, (w, g) in enumerate(zip(want, got[n])):
            bad = same(dt, w, g, "%s[%d]" % (n, i))
            if bad:
                sys.exit(bad)
        print(n, len(want), "ok")
