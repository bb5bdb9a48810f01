#!/usr/bin/env bats
# The writer's state: a clean close ends the watch with a last line and
# status 0; a writer that vanishes without closing ends it with 69.

load watch_helper

@test "clean close: a last line, exit 0" {
    start_writer run.h5
    start_watch --wait --format=json --timeout 120 run.h5
    wait_lines 1
    send append 4
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    assert_equal "$(lines_in watch.out)" 3
    run json_field 3 event
    assert_output '"close"'
    run json_field 3 shape
    assert_output '[4]'
    assert_equal "$(cat watch.err)" ""
    # The close really was clean: a plain (non-SWMR) open works.
    run h5py_dump run.h5
    assert_line --index 0 "int64 (4,)"
}

@test "rows flushed just before the close are in the last line" {
    start_writer run.h5
    start_watch --wait --format=tsv --timeout 120 run.h5
    wait_lines 2
    send append 7
    send close
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --regexp $'\t/data\t7\t7\t[0-9]+\t[0-9.]+\tclose$'
}

@test "a SIGKILLed writer: says so and exits 69" {
    start_writer run.h5
    start_watch --wait --format=json --timeout 120 run.h5
    wait_lines 1
    send append 3
    wait_lines 2
    send kill
    finish_writer
    assert_equal "$WRITER_STATUS" 137
    finish_watch
    assert_equal "$WATCH_STATUS" 69
    run cat watch.err
    assert_output "swmr-watch: the writer of run.h5 went away without closing it (killed?): swmr-append --append run.h5 </dev/null closes it, keeping every row flushed"
    # The last line is still the last shape it flushed, not a close.
    run json_field 2 shape
    assert_output '[3]'
    assert_equal "$(lines_in watch.out)" 2
}

@test "a file left by a killed writer, watched afterwards: 69" {
    start_writer run.h5
    send append 2
    send kill
    finish_writer
    run swmr_watch --timeout 120 run.h5
    assert_equal "$status" 69
    assert_line --index 0 --regexp '/data  \[2\] .*\(start\)'
    assert_line --index 1 "swmr-watch: the writer of run.h5 went away without closing it (killed?): swmr-append --append run.h5 </dev/null closes it, keeping every row flushed"
}

@test "killed writer noticed with --poll too (no inotify)" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --poll --interval 0.05 --timeout 120 run.h5
    wait_lines 1
    send kill
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 69
}

@test "clean close with --poll: exit 0" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --poll --interval 0.05 --format=json --timeout 120 run.h5
    wait_lines 1
    send append 1
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 3 event
    assert_output '"close"'
}

@test "an already closed file: the shapes, a notice, exit 0" {
    start_writer run.h5
    send append 5
    finish_writer
    run swmr_watch --format=tsv run.h5
    assert_success
    assert_line --index 1 --regexp $'\t/data\t5\t5\t0\t0.000\tstart$'
    assert_line --index 2 "swmr-watch: no writer has run.h5 open: nothing more to watch (--follow waits for one)"
    run swmr_watch -q --format=tsv run.h5
    assert_success
    refute_output --partial "no writer"
}

@test "closed before --until was reached: 1, says so" {
    start_writer run.h5
    start_watch --wait --until 100 --timeout 120 run.h5
    wait_lines 1
    send append 10
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 1
    run cat watch.err
    assert_output "swmr-watch: the writer closed run.h5 before every dataset reached 100 rows"
}
