# Shared pieces of swmr-watch's bats tests: an h5py writer driven through a
# FIFO (so each step can wait for the watcher), and a watcher in the
# background whose output and status the test reads afterwards.
load helper

WRITER=$BATS_TEST_DIRNAME/watch_writer.py

# start_writer FILE [NAME:DTYPE[:COLS]...]: the h5py recipe writer, reading
# commands from fd 7 (see watch_writer.py). Returns once the file is in SWMR
# mode (the writer says "ready"), however long Python takes to start on a
# busy machine. Nothing it prints reaches bats.
start_writer() {
    mkfifo writer.fifo
    "$PY" "$WRITER" "$@" <writer.fifo >writer.out 2>&1 3>&- &
    WRITER_PID=$!
    exec 7>writer.fifo
    # The bound only stops a broken writer from hanging the run.
    wait_until 120 eval 'grep -qx ready writer.out || ! kill -0 "$WRITER_PID"'
    grep -qx ready writer.out || {
        echo "the h5py writer did not start:" >&2
        cat writer.out >&2
        return 1
    }
}

# send COMMAND...: one command line to the writer.
send() {
    echo "$*" >&7
}

# finish_writer: end of commands (the writer closes the file), then wait
# for it. Its status is in $WRITER_STATUS.
finish_writer() {
    exec 7>&-
    WRITER_STATUS=0
    wait "$WRITER_PID" || WRITER_STATUS=$?
}

# start_watch ARGS...: swmr-watch in the background, stdout in watch.out,
# stderr in watch.err. Tests give a --timeout so that a failure cannot hang.
# WATCH_PID is swmr-watch's own (exec, not a subshell), so signals reach it.
start_watch() {
    local cmd=("$SWMR_BIN/swmr-watch")
    if [ "${SWMR_VALGRIND:-0}" = 1 ]; then
        cmd=(valgrind -q --error-exitcode=99 --leak-check=full "${cmd[@]}")
    fi
    # No descriptor of the test's (bats' fd 3, FIFOs to writers) may stay
    # open in it, or a writer would never see the end of its input.
    (exec "${cmd[@]}" "$@" >watch.out 2>watch.err 3>&- 7>&- 8>&- 9>&-) &
    WATCH_PID=$!
}

# start_watch_waiting ARGS...: start_watch -v --wait ARGS, and return once
# it says it is waiting (so a quick writer cannot finish before it looks).
start_watch_waiting() {
    start_watch -v --wait "$@"
    wait_until 60 grep -q "waiting: " watch.err || {
        echo "swmr-watch did not start waiting:" >&2
        cat watch.err >&2
        return 1
    }
}

# finish_watch [SECONDS]: wait for the watcher to exit by itself (at most
# SECONDS, default 60, after which it is killed and the test fails). Its
# status is in $WATCH_STATUS.
finish_watch() {
    local seconds=${1:-60}
    if ! wait_until "$seconds" eval '! kill -0 "$WATCH_PID"'; then
        kill "$WATCH_PID" 2>/dev/null
        wait "$WATCH_PID" 2>/dev/null
        echo "swmr-watch did not exit within $seconds s" >&2
        return 1
    fi
    WATCH_STATUS=0
    wait "$WATCH_PID" || WATCH_STATUS=$?
}

# lines_in FILE: how many lines FILE has.
lines_in() {
    wc -l <"$1"
}

# wait_lines N: until the watcher has printed at least N lines (at most 60 s).
wait_lines() {
    wait_until 60 eval "[ \"\$(lines_in watch.out)\" -ge $1 ]" || {
        echo "expected $1 lines, watch.out has:" >&2
        cat watch.out watch.err >&2
        return 1
    }
}

# wait_text TEXT: until watch.out contains TEXT (at most 60 s).
wait_text() {
    wait_until 60 grep -qF -- "$1" watch.out || {
        echo "expected '$1' in watch.out:" >&2
        cat watch.out watch.err >&2
        return 1
    }
}

# json_field N FIELD: FIELD of the JSON object on line N of watch.out.
json_field() {
    "$PY" -c 'import json, sys
line = open("watch.out").read().splitlines()[int(sys.argv[1]) - 1]
print(json.dumps(json.loads(line)[sys.argv[2]]))' "$1" "$2"
}

# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

teardown() {
    # Nothing may outlive the test.
    [ -n "${WATCH_PID:-}" ] && kill "$WATCH_PID" 2>/dev/null
    [ -n "${WRITER_PID:-}" ] && kill "$WRITER_PID" 2>/dev/null
    exec 7>&- 2>/dev/null
    return 0
}

# wait_rows FILE DATASET N: until a SWMR reader (h5py, not locking) sees at
# least N rows: the writer is in SWMR mode and has flushed them.
wait_rows() {
    wait_until 60 env HDF5_USE_FILE_LOCKING=FALSE "$PY" -c '
import sys, h5py
with h5py.File(sys.argv[1], "r", libver="latest", swmr=True) as f:
    sys.exit(0 if f[sys.argv[2]].shape[0] >= int(sys.argv[3]) else 1)' "$@"
}
