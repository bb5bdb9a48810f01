#!/usr/bin/env bats
# The live view in a real terminal (tmux): one line per dataset updated in
# place, with rows, rate and a sparkline; colour unless NO_COLOR; plain
# lines when stdout is not a terminal.

load watch_helper

# The server's socket lives in the test's own folder: nothing is left behind.
SOCKET=

# The tmux server must not inherit the FIFO to the writer (fd 7) or bats'
# fd 3: the writer would never see the end of its input.
tmux_() {
    tmux -S "${SOCKET:=$BATS_TEST_TMPDIR/tmux}" "$@" 3>&- 7>&-
}

pane() {
    tmux_ capture-pane -p "$@" -t live
}

# wait_pane TEXT: until the terminal shows TEXT (10 s).
wait_pane() {
    wait_until 10 eval "pane | grep -qF -- $(printf %q "$1")" || {
        echo "expected '$1' on the terminal:" >&2
        pane >&2
        return 1
    }
}

# start_live ENV...: swmr-watch in a 120x30 terminal, then a shell line
# with its exit status.
start_live() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    tmux_ new-session -d -s live -x 120 -y 30 -c "$PWD" \
        "env $* '$SWMR_BIN/swmr-watch' --timeout 20 run.h5; echo exit=\$?; sleep 30"
}

teardown() {
    tmux -S "$BATS_TEST_TMPDIR/tmux" kill-server 2>/dev/null
    tmux -S "$BATS_TEST_TMPDIR/tmux-b" kill-server 2>/dev/null
    [ -n "${WRITER_PID:-}" ] && kill "$WRITER_PID" 2>/dev/null
    return 0
}

@test "terminal: one line per dataset, updated in place, with rows, rate, sparkline" {
    start_writer run.h5 data:int64 grid:float32:2
    send append 1
    wait_rows run.h5 grid 1
    start_live NO_COLOR=
    wait_pane "writer active"
    for i in $(seq 20); do send append 5 data; done
    wait_pane "101 rows"
    screen=$(pane)
    sed "s/^/# /" <<<"$screen" >&3
    # One line per dataset however many changes: redrawn, not scrolled.
    [ "$(grep -c '/data' <<<"$screen")" -eq 1 ]
    [ "$(grep -c '/grid' <<<"$screen")" -eq 1 ]
    run grep '/data' <<<"$screen"
    assert_output --regexp '/data +101 rows +\[101\] +[0-9.k]+ rows/s'
    # The sparkline: block elements for the growth just seen.
    assert_output --regexp '[▁▂▃▄▅▆▇█]'
    run grep '/grid' <<<"$screen"
    assert_output --regexp '/grid +1 rows +\[1, 2\] '
    # The first line names the file and the writer's state.
    run head -n 1 <<<"$screen"
    assert_output --regexp '^run\.h5 +writer active'
    # A clean close: the view says so and the program exits 0.
    finish_writer
    wait_pane "exit=0"
    run pane
    assert_output --partial "writer closed the file"
    [ "$(grep -c '/data' <<<"$output")" -eq 1 ]
}

@test "terminal: colour by default, none with NO_COLOR" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_live NO_COLOR=
    wait_pane "writer active"
    run pane -e
    assert_output --partial $'\e[1m'
    # A second terminal on a server of its own (restarting one server on
    # the same socket races with its exit).
    SOCKET=$BATS_TEST_TMPDIR/tmux-b
    start_live NO_COLOR=1
    wait_pane "writer active"
    run pane -e
    refute_output --partial $'\e[1m'
    refute_output --partial $'\e[32m'
    finish_writer
}

@test "not a terminal: plain lines, no escape sequences" {
    start_writer run.h5
    start_watch --wait --timeout 20 run.h5
    wait_lines 1
    send append 3
    wait_lines 2
    finish_writer
    finish_watch
    run grep -c $'\e' watch.out
    assert_output 0
    assert_equal "$(lines_in watch.out)" 3
}

@test "--values on a terminal prints plain lines (rows cannot be redrawn)" {
    command -v tmux >/dev/null || skip "tmux is not installed"
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    tmux_ new-session -d -s live -x 120 -y 30 -c "$PWD" \
        "'$SWMR_BIN/swmr-watch' --values --timeout 20 run.h5; echo exit=\$?; sleep 30"
    wait_pane "(start)"
    send append 2
    wait_pane "  2: 2"
    finish_writer
    wait_pane "exit=0"
    run pane
    assert_line --index 2 "  1: -9223372036854775808"
    assert_line --index 3 "  2: 2"
}
