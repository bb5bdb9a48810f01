#!/usr/bin/env bats
# swmr-append --progress: a status line on stderr, redrawn in place on a
# terminal (tmux) while in the foreground, a line every 5 s into a file or
# with TERM=dumb, only the summary when the input is typed at the terminal,
# and the summary at exit however the run ends; never anything on stdout.
load helper
load tmux_helper

# summary_re FILE ROWS BYTES FLUSHES: the summary line, rows and bytes
# exact, times and sizes as measured (FLUSHES may be a pattern).
summary_re() {
    printf '^swmr-append: %s: %s rows? appended in [0-9]+\\.[0-9]{3} s \\([0-9.]+[kMG]? rows/s\\), %s bytes? in, %s flush(es)?, file [0-9]+ bytes$' \
        "${1//./\\.}" "$2" "$3" "$4"
}

# A status line as written into a file: whole, without escapes.
STATUS_RE='^swmr-append: [0-9.]+[kMG]? rows? \([0-9.]+[kMG]?/s\), [0-9.]+ (bytes?|[KMGTP]iB) in, (no flush yet|[0-9.]+[kMG]? flush(es)?, last ([0-9.]+ s|[0-9]+:[0-9]{2}:[0-9]{2}) ago)$'

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

# swmr-append --progress ARGS in a 100x20 terminal reading FIFO "in" (fd 7
# once it has opened it), then a shell line with its exit status; ENV
# (NAME=VALUE words) before the command, if set.
start_terminal() {
    mkfifo in
    tmux_start "${COLS:-100}" 20 \
        "${ENV:-} '$SWMR_BIN/swmr-append' --progress $* run.h5 < in; echo exit=\$?; sleep 60"
    exec 7> in   # returns once swmr-append's shell has opened the FIFO
}

teardown() {
    exec 7>&-
    tmux_stop
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
    start_fifo_append --progress run.h5 > out
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
    start_fifo_append --progress --flush-interval 3600 --flush-rows 5 -t int64 run.h5
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
    screen=$(pane -J)
    sed "s/^/# /" <<<"$screen" >&3
    # Redrawn, not scrolled: one line however many updates.
    [ "$(grep -c '^swmr-append: ' <<<"$screen")" -eq 1 ]
    exec 7>&-
    wait_pane "exit=0"
    screen=$(pane -J)
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
    screen=$(pane -J)
    sed "s/^/# /" <<<"$screen" >&3
    run grep . <<<"$screen"
    assert_line --index 0 "swmr-append: stdin: line 4, field 1: 'x' is not a number"
    assert_line --index 1 --partial "swmr-append: 4 rows ("
    [ "${#lines[@]}" -eq 2 ]
    exec 7>&-
    wait_pane "exit=0"
    run grep . <<< "$(pane -J)"
    assert_line --index 0 "swmr-append: stdin: line 4, field 1: 'x' is not a number"
    assert_line --index 1 "swmr-append: stdin: 1 bad line skipped"
    assert_line --index 2 --regexp "$(summary_re run.h5 4 10 '[1-4]')"
    assert_line --index 3 "exit=0"
}

@test "terminal: the line is cut to a narrow terminal's width, so it never wraps" {
    # 40 columns, asked of the terminal (TIOCGWINSZ): the line is cut to
    # 39. At 80 it would wrap, and each redraw leave a line behind.
    COLS=40 start_terminal
    seq 1 3 >&7
    wait_pane "swmr-append: 3 rows ("
    seq 4 10 >&7
    wait_pane "swmr-append: 10 rows ("
    screen=$(pane)
    sed "s/^/# /" <<<"$screen" >&3
    run grep . <<<"$screen"
    [ "${#lines[@]}" -eq 1 ]
    [ "${#output}" -eq 39 ]
    assert_output --regexp '^swmr-append: 10 rows \('
    exec 7>&-
    wait_pane "exit=0"
    # The summary is written once, whole (the terminal wraps it).
    run grep . <<< "$(pane -J)"
    assert_line --index 0 --regexp "$(summary_re run.h5 10 21 '[12]')"
    assert_line --index 1 "exit=0"
    [ "${#lines[@]}" -eq 2 ]
}

@test "terminal with TERM=dumb: whole lines, none redrawn" {
    # Emacs' shell buffer knows no erase-line. The first line comes 5 s
    # after the start, and stays above the summary.
    ENV="TERM=dumb" start_terminal
    seq 1 3 >&7
    wait_pane "swmr-append: 3 rows ("
    exec 7>&-
    wait_pane "exit=0"
    run grep . <<< "$(pane -J)"
    sed "s/^/# /" <<<"$output" >&3
    assert_line --index 0 --regexp "$STATUS_RE"
    assert_line --index 0 --partial "swmr-append: 3 rows ("
    assert_line --index -2 --regexp "$(summary_re run.h5 3 6 1)"
    assert_line --index -1 "exit=0"
}

@test "terminal: --debug prints HDF5's error stack on lines of its own, then the summary" {
    # HDF5's writes fail from the second on (strace injects EIO; the first
    # made the file before the loop): the dataset, made at the first
    # record, cannot be, while the status line is up. The stack goes
    # through the same erase and redraw as any message: no line of it
    # starts after the status line's text.
    command -v strace >/dev/null ||
        fail "strace is not installed: this test cannot run (scripts/ensure-deps installs it)"
    # LeakSanitizer cannot run under ptrace (make sanitize): leaks off.
    ENV="ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e inject=pwrite64:error=EIO:when=2+" \
        start_terminal --debug
    wait_pane "swmr-append: 0 rows ("
    seq 1 3 >&7
    wait_pane "exit=74"
    run grep . <<< "$(pane -J -S -)"
    sed "s/^/# /" <<<"$output" >&3
    assert_line --index 0 --regexp '^HDF5-DIAG: Error detected in HDF5 '
    assert_line --regexp '^  #000: '
    refute_output --partial "rows ("
    assert_line --index -3 "swmr-append: run.h5: cannot create dataset (Input/output error)"
    assert_line --index -2 --regexp '^swmr-append: run\.h5: 0 rows appended in [0-9.]+ s \(0 rows/s\), 6 bytes in, 0 flushes$'
    assert_line --index -1 "exit=74"
}

@test "input typed at the terminal: no line redrawn over the typing, only the summary" {
    # The producer is the person at the keyboard: a line redrawn twice a
    # second would wipe what they are typing. A flush 4 s after the first
    # row is the handshake: by then a redraw would have come 8 times.
    tmux_start 100 20 \
        "'$SWMR_BIN/swmr-append' --progress --flush-interval 4 run.h5; echo exit=\$?; sleep 60"
    wait_pane "reading records from the terminal"
    tmux_ send-keys -t term 1 Enter
    wait_pane "1"
    tmux_ send-keys -t term -l 22
    wait_until 60 has_rows 1 run.h5
    run grep . <<< "$(pane -J)"
    sed "s/^/# /" <<<"$output" >&3
    assert_line --index -1 "22"
    refute_output --partial "rows ("
    tmux_ send-keys -t term Enter C-d
    wait_pane "exit=0"
    run grep . <<< "$(pane -J)"
    assert_line --index 0 --partial "swmr-append: reading records from the terminal"
    assert_line --index 1 "1"
    assert_line --index 2 "22"
    assert_line --index 3 --regexp "$(summary_re run.h5 2 5 '[12]')"
    assert_line --index 4 "exit=0"
}

@test "terminal: nothing drawn in the background (&), the line back in the foreground (fg)" {
    # An interactive shell with job control: a job started with & is not
    # the terminal's foreground job, and a line drawn then lands on the
    # prompt.
    mkfifo in
    tmux_start 100 20 "env PS1='$ ' bash --norc --noprofile -i"
    wait_pane '$'
    tmux_ send-keys -t term "'$SWMR_BIN/swmr-append' --progress run.h5 < in &" Enter
    exec 7> in
    seq 1 3 >&7
    # A flush comes after the first pass of the loop, which draws the line
    # in the foreground.
    wait_until 60 has_rows 3 run.h5
    run pane -J
    sed "s/^/# /" <<<"$output" >&3
    refute_output --partial "rows ("
    assert_line --index -1 --regexp '^\$ ?$'    # the prompt, untouched
    tmux_ send-keys -t term fg Enter
    wait_pane "swmr-append: 3 rows ("
    exec 7>&-
    wait_pane "rows appended"
    run grep '^swmr-append: ' <<< "$(pane -J)"
    assert_output --regexp "$(summary_re run.h5 3 6 '[12]')"
}

@test "--help and the man page describe --progress" {
    run swmr_append --help
    assert_output --partial "--progress"
    grep -q '^\.B \\-\\-progress$' "$BATS_TEST_DIRNAME/../../man/swmr-append.1"
}
