#!/usr/bin/env bats
# Waking up: inotify by default (no need to wait for the poll), --poll
# alone, no CPU while idle, --min-interval coalescing.

load watch_helper

@test "inotify wakes it: a change arrives long before the poll interval" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    # A poll every 1000 s: only inotify can bring the next lines.
    start_watch --interval 1000 --format=json --timeout 60 run.h5
    wait_lines 1
    for i in 2 3 4; do
        send append 1
        wait_lines "$i"
    done
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "--poll alone (no inotify) still sees every change and the close" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --poll --interval 0.05 --format=json --timeout 120 run.h5
    wait_lines 1
    send append 2
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 2 shape
    assert_output '[3]'
}

@test "--poll does not use inotify at all" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --poll --timeout 120 run.h5
    wait_lines 1
    run ls -l "/proc/$WATCH_PID/fd"
    refute_output --partial inotify
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "by default it uses inotify" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --timeout 120 run.h5
    wait_lines 1
    run ls -l "/proc/$WATCH_PID/fd"
    assert_output --partial inotify
    finish_writer
    finish_watch
}

@test "idle: no CPU to speak of (no busy loop), with inotify and with --poll" {
    [ "${SWMR_VALGRIND:-0}" = 1 ] && skip "valgrind's own CPU use"
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    for mode in "" --poll; do
        start_watch $mode --interval 0.1 --timeout 120 run.h5
        wait_lines 1
        before=$(cpu_ticks "$WATCH_PID")
        sleep 2
        after=$(cpu_ticks "$WATCH_PID")
        echo "# ${mode:-inotify}: $((after - before)) ticks in 2 s idle" >&3
        # A busy loop would use ~200 ticks (100 a second); 20 polls a second
        # use well under 1.
        [ "$((after - before))" -le 10 ]
        kill "$WATCH_PID"
        finish_watch
    done
    finish_writer
}

@test "--min-interval: a flood becomes one line per interval" {
    start_writer run.h5
    start_watch --wait --min-interval 1000 --format=json --timeout 120 run.h5
    wait_lines 1
    # The start line was the line of this interval: everything after it
    # is held back...
    send append 1
    for i in $(seq 50); do send append 2; done
    wait_rows run.h5 data 101
    assert_equal "$(lines_in watch.out)" 1
    finish_writer       # the close prints what was held back
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
for l in open("watch.out"):
    o = json.loads(l); print(o["event"], o["shape"][0], o["delta"])'
    # ...until the close, which prints it first.
    assert_output "$(printf 'start 0 0\nchange 101 101\nclose 101 0')"
}

@test "--min-interval lines come at most once per interval, none lost" {
    start_writer run.h5
    start_watch --wait --min-interval 0.3 --format=json --until 40 --timeout 120 run.h5
    wait_lines 1
    for i in $(seq 40); do send append 1; sleep 0.01; done
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    finish_writer
    run "$PY" -c '
import json, datetime
rows = [json.loads(l) for l in open("watch.out")][1:]
assert sum(r["delta"] for r in rows) == 40, rows
assert rows[-1]["shape"] == [40]
t = [datetime.datetime.fromisoformat(r["time"]) for r in rows]
gaps = [(b - a).total_seconds() for a, b in zip(t, t[1:])]
# every line but the last (the --until one) waited for its interval
assert all(g >= 0.299 for g in gaps[:-1]), gaps
print(len(rows))'
    assert_success
    # 40 appends became fewer lines.
    [ "$output" -lt 40 ]
}
