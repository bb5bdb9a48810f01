# Shared setup for the bats tests: the real tools from the build folder, a
# fresh temporary folder per test, and h5py via Debian's python3.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

: "${SWMR_BIN:=$BATS_TEST_DIRNAME/../../build}"
PY=/usr/bin/python3

setup() {
    cd "$BATS_TEST_TMPDIR" || return 1
    # The tools as command arrays, so tests can put env(1) or timeout(1) in
    # front; under SWMR_VALGRIND=1 valgrind's status 99 fails the test on any
    # memory error or leak.
    if [ "${SWMR_VALGRIND:-0}" = 1 ]; then
        local vg=(valgrind -q --error-exitcode=99 --leak-check=full
                  --errors-for-leak-kinds=definite)
        APPEND=("${vg[@]}" "$SWMR_BIN/swmr-append")
        WATCH=("${vg[@]}" "$SWMR_BIN/swmr-watch")
    else
        APPEND=("$SWMR_BIN/swmr-append")
        WATCH=("$SWMR_BIN/swmr-watch")
    fi
}
swmr_append() { "${APPEND[@]}" "$@"; }
swmr_watch() { "${WATCH[@]}" "$@"; }

# Wait until COMMAND succeeds, polling every 20 ms, for at most SECONDS (a
# generous bound: a handshake, not a timing assertion).
wait_until() {
    local end=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do
        [ "$SECONDS" -le "$end" ] || return 1
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

# Rows of DATASET (default data) as a SWMR reader sees them now.
swmr_rows() {
    "$PY" - "$@" <<'PY'
import sys, h5py
path, name = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "data")
with h5py.File(path, "r", libver="latest", swmr=True) as f:
    print(f[name].shape[0])
PY
}

# Succeeds once a SWMR reader sees at least N rows in FILE [DATASET].
has_rows() {
    local n=$1; shift
    [ "$(swmr_rows "$@")" -ge "$n" ]
}

# "True" when FILE's dataset holds more than MIN rows and they are exactly
# 1, 2, 3, ...: what a writer fed by seq kept. Opened plainly, so it also
# proves a clean close.
counting_prefix() {
    "$PY" - "$1" "${2:-0}" <<'PY'
import sys, h5py, numpy as np
d = h5py.File(sys.argv[1], "r")["data"][...]
print(len(d) > int(sys.argv[2]) and bool((d == np.arange(1, len(d) + 1)).all()))
PY
}

# start_fifo_append ARGS...: swmr-append ARGS in the background, reading a
# FIFO "in" that the test writes through fd 7 (closing fd 7 ends the
# input), with every signal at its default as from an interactive shell;
# its stderr in "err", its pid in $pid. Processes the test starts
# afterwards must not inherit fd 7 (7>&-), or the input never ends.
start_fifo_append() {
    mkfifo in
    env --default-signal "${APPEND[@]}" "$@" < in 2> err 3>&- &
    pid=$!
    exec 7> in
}

# make_run_file [FILE]: FILE (run.h5) as swmr-append makes it, 3 rows in
# each of three datasets that can grow: data, a nested /grp/sub/x, and
# "odd name" (with a space). For --list and the completion of datasets.
make_run_file() {
    local file=${1:-run.h5}
    seq 3 | swmr_append "$file"
    seq 3 | swmr_append --append "$file" /grp/sub/x
    seq 3 | swmr_append --append "$file" "odd name"
}

# killed_writer FILE SWMR: an h5py writer that writes [1, 2, 3], flushes,
# and is killed with the file open; in SWMR mode or not (SWMR = 1 or 0).
killed_writer() {
    "$PY" - "$@" <<'PY'
import os, signal, sys, h5py
path, swmr = sys.argv[1], sys.argv[2] == "1"
pid = os.fork()
if pid == 0:
    f = h5py.File(path, "w", libver="latest")
    d = f.create_dataset("data", shape=(0,), maxshape=(None,), dtype="i4",
                         chunks=(100,))
    if swmr:
        f.swmr_mode = True
    d.resize((3,))
    d[:] = [1, 2, 3]
    f.flush()
    os.kill(os.getpid(), signal.SIGKILL)
_, status = os.waitpid(pid, 0)
sys.exit(0 if os.WIFSIGNALED(status) else 1)
PY
}
