#!/usr/bin/env bats
# Ending on purpose: --once, --until, --count, --timeout.

load watch_helper

@test "--once: the current shapes, then exit 0 while the writer goes on" {
    start_writer run.h5 a:int64 b:float32:2
    send append 3 a
    send append 5 b
    wait_rows run.h5 b 5
    run swmr_watch --once --format=tsv run.h5
    assert_success
    assert_equal "${#lines[@]}" 3
    assert_line --index 1 --regexp $'\t/a\t3\t3\t0\t0.000\tstart$'
    assert_line --index 2 --regexp $'\t/b\t5\t5x2\t0\t0.000\tstart$'
    # The writer is unaffected.
    send append 1
    finish_writer
    assert_equal "$WRITER_STATUS" 0
}

@test "--once --wait: waits for the file, then prints once" {
    start_watch --once --wait --format=json run.h5
    sleep 0.2   # not a handshake: only makes "before the file" likely
    start_writer run.h5
    send append 2
    wait_lines 1
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    assert_equal "$(lines_in watch.out)" 1
    finish_writer
}

@test "--until ROWS: exit 0 once the dataset has that many rows" {
    start_writer run.h5
    start_watch --wait --until 10 --format=json --timeout 120 run.h5
    wait_lines 1
    send append 4
    wait_lines 2
    send append 4
    wait_lines 3
    kill -0 "$WATCH_PID"        # 8 rows: still watching
    send append 4
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 4 shape
    assert_output '[12]'
    assert_equal "$(lines_in watch.out)" 4
    finish_writer
}

@test "--until already reached at the start: exit 0 at once" {
    start_writer run.h5
    send append 5
    wait_rows run.h5 data 5
    run swmr_watch --until 5 --timeout 120 run.h5
    assert_success
    assert_equal "${#lines[@]}" 1
    finish_writer
}

@test "--wait --until on a closed file: 0 if the rows are in, else waits" {
    seq 5 | swmr_append -t int64 run.h5
    run swmr_watch --wait --until 5 --timeout 120 run.h5
    assert_success
    assert_equal "${#lines[@]}" 1
    # Fewer rows than asked: it waits for a writer (here, until --timeout).
    run swmr_watch -v --wait --until 6 --timeout 0.5 run.h5
    assert_equal "$status" 75
    assert_line --index 0 "swmr-watch: waiting: no SWMR writer has run.h5 open"
    assert_line --index 1 "swmr-watch: run.h5 was not ready within 0.5 seconds: no SWMR writer has run.h5 open"
    # Without --wait: the rows are not in, and no writer will add them.
    run swmr_watch --until 6 run.h5
    assert_equal "$status" 1
    assert_line --index 1 "swmr-watch: run.h5 is closed, and not every dataset reached 6 rows (--wait waits for a writer to add them)"
    [ "${#lines[@]}" -eq 2 ]
}

@test "--until with several datasets waits for every one" {
    start_writer run.h5 a:int8 b:int8
    start_watch --wait --until 3 --format=tsv --timeout 120 run.h5
    wait_lines 3
    send append 3 a
    wait_lines 4
    kill -0 "$WATCH_PID"        # b has 0 rows: still watching
    send append 3 b
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    finish_writer
}

@test "--count N: exit 0 after N change lines (the start line not counted)" {
    start_writer run.h5
    start_watch --wait --count 2 --format=json --timeout 120 run.h5
    wait_lines 1
    send append 1
    wait_lines 2
    send append 1
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    assert_equal "$(lines_in watch.out)" 3
    run json_field 3 event
    assert_output '"change"'
    finish_writer
}

@test "--count N: the writer closing first ends with 1, as --until does" {
    start_writer run.h5
    start_watch --wait --count 10 --format=json --timeout 120 run.h5
    wait_lines 1
    send append 1
    wait_lines 2
    send append 1
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 1
    run cat watch.err
    assert_output "swmr-watch: the writer closed run.h5 after 2 of 10 change lines"
    run json_field 4 event
    assert_output '"close"'
    # --until in the same case: the same status (in a folder of its own, so
    # that the last watcher's output cannot pass for this one's).
    mkdir until && cd until
    start_writer until.h5
    start_watch --wait --until 10 --format=json --timeout 120 until.h5
    wait_lines 1
    send append 1
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 1
}

@test "--count N on a file no writer has open: 1, no change line can come" {
    start_writer run.h5
    send append 2
    finish_writer
    run swmr_watch --count 3 run.h5
    assert_equal "$status" 1
    assert_line "swmr-watch: run.h5 is closed: no change lines can come (--wait waits for a writer)"
    # The count met by the writer's last lines, seen with its close: 0.
    mkdir last && cd last
    start_writer last.h5
    start_watch --wait --count 2 --format=json --timeout 120 last.h5
    wait_lines 1
    send append 1
    wait_lines 2
    send append 1
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "--timeout: exit 75 after that long without growth" {
    start_writer run.h5
    start_watch --wait --timeout 0.5 --format=json run.h5
    wait_lines 1
    finish_watch
    assert_equal "$WATCH_STATUS" 75
    run cat watch.err
    assert_output "swmr-watch: no growth in run.h5 for 0.5 seconds"
    finish_writer
}

@test "--timeout counts from the last growth, not from the start" {
    start_writer run.h5
    start_watch --wait --timeout 3 --format=json run.h5
    wait_lines 1
    # Growth every 0.5 s (plus the writer's and watcher's delay, which a busy
    # machine stretches), for longer than the timeout, keeps it alive.
    for i in 1 2 3 4 5 6 7 8; do
        send append 1
        wait_lines $((i + 1))
        sleep 0.5
    done
    kill -0 "$WATCH_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 75
    assert_equal "$(lines_in watch.out)" 9
    finish_writer
}

@test "--timeout while waiting for a file that never comes: 75" {
    run swmr_watch --wait --timeout 0.3 never.h5
    assert_equal "$status" 75
    assert_output "swmr-watch: never.h5 did not appear within 0.3 seconds"
    run swmr_watch --wait --timeout 1 never.h5
    assert_output "swmr-watch: never.h5 did not appear within 1 second"
}

@test "SIGINT and SIGTERM: 128 + the signal, output complete" {
    start_writer run.h5
    start_watch --wait --format=json --timeout 120 run.h5
    wait_lines 1
    kill -INT "$WATCH_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 130
    start_watch --format=json --timeout 120 run.h5
    wait_lines 1
    kill -TERM "$WATCH_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 143
    finish_writer
}

@test "INT, TERM, HUP: it dies of the signal (a shell loop around it stops)" {
    start_writer run.h5
    for sig in INT TERM HUP; do
        # Python tells "died of signal N" (-N) from "exited 128+N".
        run "$PY" - "$SWMR_BIN/swmr-watch" "$sig" <<'PY'
import signal, subprocess, sys
p = subprocess.Popen([sys.argv[1], "--format=json", "--timeout", "20", "run.h5"],
                     stdout=subprocess.PIPE, start_new_session=True)
p.stdout.readline()          # the start line: it is watching
p.send_signal(getattr(signal, "SIG" + sys.argv[2]))
print(p.wait())
PY
        assert_output "-$(kill -l "$sig")"
    done
    finish_writer
}
