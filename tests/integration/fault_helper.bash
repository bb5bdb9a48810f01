# Shared by append_faults.bats: the fault sweeps of scripts/torture, a SWMR
# reader that holds the file, a writer fed through a fifo. Load after helper.

TORTURE=$BATS_TEST_DIRNAME/../../scripts/torture

# LeakSanitizer cannot run under ptrace (strace): in a `make sanitize` build
# the tools here run without it; AddressSanitizer still checks every access.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# The fault tests need strace; without it they fail (never skip): a missing
# tool must not pass for a kept promise.
need_strace() {
    command -v strace >/dev/null ||
        fail "strace is not installed: this fault test cannot run (scripts/ensure-deps installs it)"
}

# Run one sweep of scripts/torture (sweep-kill KIND, sweep-error ERRNO);
# its output names every N that broke a promise.
sweep() {
    need_strace
    run env SWMR_BIN="$SWMR_BIN" "$TORTURE" --workdir "$BATS_TEST_TMPDIR/sweep" "$@"
    # A TAP comment for the log of every run: how far the sweep went, and
    # the new-dataset window cases it counted.
    grep -E '^  (faults at|new-dataset window)' <<< "$output" | sed "s/^  /# $1 $2: /" >&3
    assert_success
}

# Start an h5py SWMR reader with HDF5's default file locking that opens
# FILE as soon as it can (retrying until it exists), creates "opened", then
# holds it open, refreshing every dataset every 2 ms, until stop_reader.
# Sets $reader.
start_reader() {
    rm -f opened stop
    "$TORTURE" reader "$1" --hold --opened opened --stop stop > reader.out 2> reader.err 3>&- &
    reader=$!
}
reader_is_open() { [ -e opened ]; }
stop_reader() {
    touch stop
    wait "$reader"
}

# Start swmr-append ARGS... reading from fifo "in" (fd 7 stays open on it),
# stderr to "err"; sets $pid.
start_writer() {
    rm -f in
    mkfifo in
    env --default-signal "${APPEND[@]}" "$@" < in 2> err 3>&- &
    pid=$!
    exec 7> in
}

# Close the writer's input and wait for it: sets $status.
finish_writer() {
    exec 7>&-
    status=0
    wait "$pid" || status=$?
}

# "N True" when a SWMR reader finds DATASET (default data) of FILE holding
# exactly 1..N.
swmr_count() {
    "$PY" - "$@" <<'PY'
import sys, h5py, numpy as np
path, name = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "data")
with h5py.File(path, "r", libver="latest", swmr=True) as f:
    d = f[name][...]
print(len(d), bool((d == np.arange(1, len(d) + 1)).all()))
PY
}

# A file made by h5py, not by swmr-append: something to move over FILE.
make_other_h5() {
    "$PY" -c 'import h5py,sys
with h5py.File(sys.argv[1], "w", libver="latest") as f: f["x"] = [7, 8, 9]' "$1"
}

# "N True" when a plain h5py open (so: a cleanly closed file) finds DATASET
# (default data) of FILE holding exactly 1..N.
plain_count() {
    "$PY" - "$@" <<'PY'
import sys, h5py, numpy as np
path, name = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "data")
with h5py.File(path, "r") as f:
    d = f[name][...]
print(len(d), bool((d == np.arange(1, len(d) + 1)).all()))
PY
}

# Run COMMAND with its stdout into the writer's fifo (fd 7), ignoring
# SIGPIPE: a writer that died must fail the test, not kill its shell.
send() {
    ( trap '' PIPE; "$@" >&7 ) 2>/dev/null || true
}

# Is process PID still running (not a zombie)?
alive() {
    local state
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) && [ "$state" != Z ]
}

# Is process PID asleep waiting for input (in poll/select, or reading a
# pipe)? The handshake for "the writer has started and waits for a line".
waiting_for_input() {
    local state wchan
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    wchan=$(cat "/proc/$1/wchan" 2>/dev/null) || return 1
    [ "$state" = S ] && [[ $wchan =~ poll|select|pipe ]]
}

# Succeeds once a SWMR reader sees N rows in FILE, or once the writer $pid
# has ended (so that a writer that failed fails the test at once).
rows_or_writer_gone() {
    ! alive "$pid" || has_rows "$1" "$2"
}

# Microseconds since the epoch.
now_us() { echo "${EPOCHREALTIME/./}"; }
