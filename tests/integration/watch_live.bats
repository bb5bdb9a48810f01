#!/usr/bin/env bats
# The live view in a real terminal (tmux): one line per dataset updated in
# place, with rows, rate and a sparkline; colour unless NO_COLOR; plain
# lines when stdout is not a terminal.

load watch_helper
load tmux_helper

# start_live ENV...: swmr-watch in a 120x30 terminal, then a shell line
# with its exit status.
start_live() {
    tmux_start 120 30 \
        "env $* '$SWMR_BIN/swmr-watch' --timeout 120 run.h5; echo exit=\$?; sleep 30"
}

teardown() {
    tmux_stop
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
    TMUX_SOCKET=$BATS_TEST_TMPDIR/tmux-b
    start_live NO_COLOR=1
    wait_pane "writer active"
    run pane -e
    refute_output --partial $'\e[1m'
    refute_output --partial $'\e[32m'
    finish_writer
}

@test "not a terminal: plain lines, no escape sequences" {
    start_writer run.h5
    start_watch --wait --timeout 120 run.h5
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
    need_tmux
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    tmux_start 120 30 \
        "'$SWMR_BIN/swmr-watch' --values --timeout 120 run.h5; echo exit=\$?; sleep 30"
    wait_pane "(start)"
    send append 2
    wait_pane "  2: 2"
    finish_writer
    wait_pane "exit=0"
    run pane
    assert_line --index 2 "  1: -9223372036854775808"
    assert_line --index 3 "  2: 2"
}

# start_live_args ARGS...: swmr-watch ARGS in a 120x30 terminal, NO_COLOR.
start_live_args() {
    tmux_start 120 30 \
        "env NO_COLOR=1 '$SWMR_BIN/swmr-watch' $*; echo exit=\$?; sleep 30"
}

@test "terminal: a killed writer's message stays below the last view" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_live_args --timeout 120 run.h5
    wait_pane "writer active"
    send kill
    wait_pane "exit=69"
    run pane
    assert_output --partial "went away without closing it (killed?)"
    refute_output --partial "writer active"
    assert_line --index 0 --regexp '^run\.h5 +writer went away'
    [ "$(grep -c '/data' <<<"$output")" -eq 1 ]
}

@test "terminal: --timeout's message stays below the last view" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_live_args --timeout 0.5 run.h5
    wait_pane "exit=75"
    run pane
    assert_line --index 0 --regexp '^run\.h5 +no growth'
    assert_output --partial "no growth in run.h5 for 0.5 seconds"
    finish_writer
}

@test "terminal: a closed file says so in the header, and the notice stays" {
    seq 3 | swmr_append run.h5
    start_live_args --timeout 120 run.h5
    wait_pane "exit=0"
    run pane
    refute_output --partial "writer active"
    assert_line --index 0 --regexp '^run\.h5 +no writer'
    assert_output --partial "nothing more to watch"
}

@test "terminal: --until on a closed file: the error stays below the view" {
    seq 3 | swmr_append run.h5
    start_live_args --until 5 --timeout 120 run.h5
    wait_pane "exit=1"
    run pane
    assert_output --partial "run.h5 is closed, and not every dataset reached 5 rows"
    refute_output --partial "nothing more to watch"
    refute_output --partial "writer active"
}

@test "terminal: --follow notices leave no stale header behind" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_live_args --follow --timeout 120 run.h5
    wait_pane "writer active"
    send kill
    wait_pane "went away without closing it: waiting"
    wait_pane "writer gone"
    run pane
    # One header and one dataset line: the view was moved, not copied.
    [ "$(grep -c '^run\.h5 ' <<<"$output")" -eq 1 ]
    [ "$(grep -c '/data' <<<"$output")" -eq 1 ]
    assert_output --partial "went away without closing it: waiting for a new one"
}

@test "terminal: --wait before the file exists shows what it waits for" {
    start_live_args --wait --timeout 120 run.h5
    wait_pane "waiting for the file"
    run pane
    assert_line --index 0 --regexp '^run\.h5 +waiting for the file'
}

@test "terminal: more datasets than rows: clipped, with '… N more', not scrolled" {
    need_tmux
    specs=()
    for i in $(seq -w 1 20); do specs+=("d$i:int8"); done
    start_writer run.h5 "${specs[@]}"
    send append 1
    wait_rows run.h5 d20 1
    tmux_start 100 10 \
        "env NO_COLOR=1 '$SWMR_BIN/swmr-watch' --timeout 120 run.h5; echo exit=\$?; sleep 30"
    wait_pane "writer active"
    send append 1
    wait_pane "2 rows"
    send append 1
    wait_pane "3 rows"
    run pane
    # Header, 7 datasets, "… 13 more", and the line the cursor is on.
    assert_line --index 0 --regexp '^run\.h5 +writer active'
    assert_line --index 1 --partial "/d01"
    assert_line --index 7 --partial "/d07"
    assert_line --index 8 "  … 13 more"
    finish_writer
}

@test "terminal: long names are shortened in the middle, numbers stay visible" {
    need_tmux
    long=a_very_long_group_name_for_experiment_number_one_and_then_some_more
    start_writer run.h5 "${long}_x:int8" "${long}_y:int8"
    send append 1
    wait_rows run.h5 "${long}_y" 1
    tmux_start 80 10 \
        "env NO_COLOR=1 '$SWMR_BIN/swmr-watch' --timeout 120 run.h5; echo exit=\$?; sleep 30"
    wait_pane "writer active"
    run pane
    assert_line --index 1 --regexp '^  /a_very.*….*_x +1 rows +\[1\] +[0-9.k]+ rows/s'
    assert_line --index 2 --regexp '^  /a_very.*….*_y +1 rows +\[1\] +[0-9.k]+ rows/s'
    finish_writer
}

