#!/usr/bin/env bats
# swmr-append --progress: a status line on stderr, redrawn in place on a
# terminal (tmux), a line every 5 s into a file, and the summary at exit
# however the run ends; never anything on stdout.
load helper

# summary_re FILE ROWS BYTES FLUSHES: the summary line, rows and bytes
# exact, times and sizes as measured (FLUSHES may be a pattern).
summary_re() {
    printf '^swmr-append: %s: %s rows? appended in [0-9]+\\.[0-9]{3} s \\([0-9.]+[kMG]? rows/s\\), %s bytes? in, %s flush(es)?, file [0-9]+ bytes$' \
        "${1//./\\.}" "$2" "$3" "$4"
}

# A status line as written into a file: whole, without escapes.
STATUS_RE='^swmr-append: [0-9.]+[kMG]? rows \([0-9.]+[kMG]?/s\), [0-9.]+ ([KMGTP]i)?B in, (no flush yet|[0-9.]+[kMG]? flush(es)?, last ([0-9.]+ s|[0-9]+:[0-9]{2}:[0-9]{2}) ago)$'

# The messages in "err" but the status lines: on a machine slow enough (or
# under valgrind) a run of a few rows may last the 5 s to the first one.
messages() {
    grep -Ev "$STATUS_RE" err || true
}

# Every line of "err" but the last is a status line.
only_status_before_last() {
    local line
    while IFS= read -r line; do
        [[ $line =~ $STATUS_RE ]] || { echo "not a status line: $line"; return 1; }
    done < <(sed '$d' err)
}

# Start swmr-append --progress ARGS reading from FIFO "in" (held open on fd
# 7), stderr into "err", all signals at their defaults; sets $pid.
start_writer() {
    mkfifo in
    env --default-signal "${APPEND[@]}" --progress "$@" < in > out 2> err 3>&- &
    pid=$!
    exec 7> in
}

# The server's socket lives in the test's own folder; the server must not
# inherit the FIFO (fd 7) or bats' fd 3.
tmux_() {
    tmux -S "$BATS_TEST_TMPDIR/tmux" "$@" 3>&- 7>&-
}

# The terminal's lines, a line the terminal wrapped joined again.
pane() {
    tmux_ capture-pane -p -J -t term
}

# wait_pane TEXT: until the terminal shows TEXT.
wait_pane() {
    wait_until 120 eval "pane | grep -qF -- $(printf %q "$1")" || {
        echo "expected '$1' on the terminal:" >&2
        pane >&2
        return 1
    }
}

# swmr-append --progress ARGS in a 100x20 terminal reading FIFO "in" (fd 7
# once it has opened it), then a shell line with its exit status.
start_terminal() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    mkfifo in
    tmux_ new-session -d -s term -x 100 -y 20 -c "$PWD" \
        "'$SWMR_BIN/swmr-append' --progress $* run.h5 < in; echo exit=\$?; sleep 60"
    exec 7> in   # returns once swmr-append's shell has opened the FIFO
}

teardown() {
    exec 7>&-
    tmux -S "$BATS_TEST_TMPDIR/tmux" kill-server 2>/dev/null
    return 0
}

@test "--progress: the summary at exit counts rows and bytes read exactly; stdout stays empty" {
    seq 1 1000 > input          # 3893 bytes
    swmr_append --progress run.h5 < input > out 2> err
    [ ! -s out ]
    run tail -n 1 err
    assert_output --regexp "$(summary_re run.h5 1000 3893 1)"
    only_status_before_last
    run h5py_dump run.h5
    assert_line --index 0 "float64 (1000,)"
}

@test "--progress counts binary input's bytes too" {
    "$PY" -c 'import sys, numpy; sys.stdout.buffer.write(numpy.arange(100, dtype="<f8").tobytes())' > input
    swmr_append --progress --input-format=binary run.h5 < input 2> err
    run tail -n 1 err
    assert_output --regexp "$(summary_re run.h5 100 800 1)"
}

@test "-v and --progress print the summary once; -q does not silence --progress" {
    seq 1 10 > input
    swmr_append -v --progress run.h5 < input 2> err
    [ "$(grep -c 'rows appended' err)" -eq 1 ]
    run tail -n 1 err
    assert_output --regexp "$(summary_re run.h5 10 21 1)"
    # -v alone prints the same line.
    swmr_append -v run2.h5 < input 2> err
    run tail -n 1 err
    assert_output --regexp "$(summary_re run2.h5 10 21 1)"
    # -q silences the notice of the skipped line, not what --progress was
    # asked for by name (as wget -q --show-progress).
    printf '1\nx\n2\n' > input
    swmr_append -q --skip-bad --progress run3.h5 < input 2> err
    run messages
    assert_line --index 0 "swmr-append: stdin: line 2, field 1: 'x' is not a number"
    assert_line --index 1 --regexp "$(summary_re run3.h5 2 6 1)"
    [ "${#lines[@]}" -eq 2 ]
}

@test "--progress with no record: the summary names no file" {
    swmr_append --progress run.h5 < /dev/null 2> err
    run messages
    assert_line --index 0 "swmr-append: run.h5: no record in the input; not created"
    assert_line --index 1 --regexp '^swmr-append: run\.h5: 0 rows appended in [0-9.]+ s \(0 rows/s\), 0 bytes in, 0 flushes$'
    [ "${#lines[@]}" -eq 2 ]
    [ ! -e run.h5 ]
}

@test "into a file: a whole status line every 5 s while the input is open" {
    start_writer run.h5
    seq 1 3 >&7
    # The handshake: the first line comes 5 s after the start, and the
    # next every 5 s; the bound only stops a broken build from hanging.
    wait_until 120 grep -q '^swmr-append: 3 rows (' err
    kill -0 "$pid"               # the input is still open
    exec 7>&-
    wait "$pid"
    [ ! -s out ]
    run grep -c $'[\e\r]' err
    assert_output 0
    only_status_before_last
    run tail -n 1 err
    assert_output --regexp "$(summary_re run.h5 3 6 1)"
}

@test "SIGTERM: the summary with every row kept, then death by the signal" {
    # Time never flushes here; 5 rows do, and the signal the other 2.
    start_writer --flush-interval 3600 --flush-rows 5 -t int64 run.h5
    seq 1 7 >&7                  # one write: both rows pending after the flush
    wait_until 60 has_rows 5 run.h5
    kill -TERM "$pid"
    status=0; wait "$pid" || status=$?
    assert_equal "$status" 143
    run tail -n 1 err
    assert_output --regexp "$(summary_re run.h5 7 14 2)"
    run h5py_dump run.h5
    assert_line --index 0 "int64 (7,)"
}

@test "a bad line: its report, then the summary of the rows kept (status 65)" {
    printf '1\n2\nx\n3\n' > input
    status=0; swmr_append --progress run.h5 < input 2> err || status=$?
    assert_equal "$status" 65
    run messages
    assert_line --index 0 "swmr-append: stdin: line 3, field 1: 'x' is not a number"
    assert_line --index 1 --regexp "$(summary_re run.h5 2 8 1)"
    [ "${#lines[@]}" -eq 2 ]
}

@test "terminal: one line redrawn in place, replaced by the summary at exit" {
    start_terminal
    seq 1 3 >&7
    wait_pane "swmr-append: 3 rows ("
    seq 4 10 >&7
    wait_pane "swmr-append: 10 rows ("
    screen=$(pane)
    sed "s/^/# /" <<<"$screen" >&3
    # Redrawn, not scrolled: one line however many updates.
    [ "$(grep -c '^swmr-append: ' <<<"$screen")" -eq 1 ]
    exec 7>&-
    wait_pane "exit=0"
    screen=$(pane)
    sed "s/^/# /" <<<"$screen" >&3
    run grep '^swmr-append: ' <<<"$screen"
    assert_output --regexp "$(summary_re run.h5 10 21 '[12]')"
    run grep -c . <<<"$screen"
    assert_output 2              # the summary, and exit=0
}

@test "terminal: a bad line's report gets a line of its own, the status line below it" {
    start_terminal --skip-bad
    seq 1 3 >&7
    wait_pane "swmr-append: 3 rows ("
    echo x >&7
    wait_pane "is not a number"
    echo 5 >&7
    wait_pane "swmr-append: 4 rows ("
    screen=$(pane)
    sed "s/^/# /" <<<"$screen" >&3
    run grep . <<<"$screen"
    assert_line --index 0 "swmr-append: stdin: line 4, field 1: 'x' is not a number"
    assert_line --index 1 --partial "swmr-append: 4 rows ("
    [ "${#lines[@]}" -eq 2 ]
    exec 7>&-
    wait_pane "exit=0"
    run grep . <<< "$(pane)"
    assert_line --index 0 "swmr-append: stdin: line 4, field 1: 'x' is not a number"
    assert_line --index 1 "swmr-append: stdin: 1 bad line skipped"
    assert_line --index 2 --regexp "$(summary_re run.h5 4 10 '[1-4]')"
    assert_line --index 3 "exit=0"
}

@test "--help and the man page describe --progress" {
    run swmr_append --help
    assert_output --partial "--progress"
    grep -q '^\.B \\-\\-progress$' "$BATS_TEST_DIRNAME/../../man/swmr-append.1"
}
