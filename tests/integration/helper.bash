# Shared setup for the bats tests: the real tools from the build folder, a
# fresh temporary folder per test, and h5py via Debian's python3.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

: "${SWMR_BIN:=$BATS_TEST_DIRNAME/../../build}"
PY=/usr/bin/python3

setup() {
    cd "$BATS_TEST_TMPDIR" || return 1
    if [ "${SWMR_VALGRIND:-0}" = 1 ]; then
        # valgrind's own status 99 makes a leak or error fail the test.
        swmr_append() { valgrind -q --error-exitcode=99 --leak-check=full \
            "$SWMR_BIN/swmr-append" "$@"; }
        swmr_watch() { valgrind -q --error-exitcode=99 --leak-check=full \
            "$SWMR_BIN/swmr-watch" "$@"; }
    else
        swmr_append() { "$SWMR_BIN/swmr-append" "$@"; }
        swmr_watch() { "$SWMR_BIN/swmr-watch" "$@"; }
    fi
}

# Wait until COMMAND succeeds, polling every 20 ms, for at most SECONDS (a
# generous bound: a handshake, not a timing assertion).
wait_until() {
    local seconds=$1; shift
    local tries=$((seconds * 50))
    while ! "$@" 2>/dev/null; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || return 1
        sleep 0.02
    done
}

# Print a dataset the way h5py sees it: shape, then one row per line.
# Opens the file plainly (not SWMR), so it also proves a clean close.
h5py_dump() {
    "$PY" - "$@" <<'PY'
import sys, h5py, numpy as np
np.set_printoptions(threshold=sys.maxsize, linewidth=sys.maxsize)
path, name = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "data")
with h5py.File(path, "r") as f:
    d = f[name]
    print(d.dtype, d.shape)
    for row in d[...]:
        print(" ".join(repr(v) for v in np.atleast_1d(row).tolist()))
PY
}
