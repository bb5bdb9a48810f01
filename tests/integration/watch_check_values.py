# Checks swmr-watch --values --format=json output (watch.out) against the
# file as h5py reads it after the writer closed it:
#   watch_check_values.py FILE DATASET...
# Every row must appear exactly once, in order, with its exact value.
import sys
import h5py, numpy as np
from watch_py_common import printed_values

path, names = sys.argv[1], sys.argv[2:]
got = printed_values(names)
with h5py.File(path, "r") as f:
    for n in names:
        want = f[n][...]
        have = np.array(got[n], dtype=want.dtype).reshape(want.shape) \
            if got[n] else np.zeros(want.shape, want.dtype)
        if len(got[n]) != want.shape[0]:
            sys.exit("%s: %d rows printed, file has %d" % (n, len(got[n]), want.shape[0]))
        if not np.array_equal(have, want):
            bad = np.argwhere(have != want)[0]
            sys.exit("%s: row %s differs: printed %r, file %r" % (n, bad, have[tuple(bad)], want[tuple(bad)]))
        # JSON numbers read back as Python floats: for float32 that must
        # still be the very value (shortest round-trip digits).
        print(n, want.dtype, want.shape, "ok")
