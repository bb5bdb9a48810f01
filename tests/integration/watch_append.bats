#!/usr/bin/env bats
# swmr-watch following swmr-append, the writer of this project: a producer
# piped into swmr-append while swmr-watch follows the file.

load watch_helper

@test "seq | swmr-append, watched from before the file exists, --until" {
    start_watch_waiting --values --format=json --until 2000 --timeout 120 run.h5
    seq 1 2000 | swmr_append -t int32 run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
vals = []
for l in open("watch.out"):
    vals += json.loads(l)["values"]
print(vals == list(range(1, 2001)), len(vals))'
    assert_output "True 2000"
}

@test "a slow producer: one line per flush, rows as they come" {
    exec 8> >(swmr_append -t int64 --flush-interval 0.05 run.h5 7>&-)
    start_watch_waiting --values --format=tsv --timeout 120 run.h5
    for i in 1 2 3 4 5; do
        echo "$((i * 10))" >&8
        wait_text $'\t'"$((i - 1))"$'\t'"$((i * 10))"
    done
    exec 8>&-
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run grep -c $'^\t' watch.out
    assert_output 5
    run tail -n 1 watch.out
    assert_output --regexp $'\t/data\t5\t5\t0\t[0-9.]+\tclose$'
}

@test "2-D rows from swmr-append --columns, float64 values exact" {
    start_watch_waiting --values --format=json --timeout 120 run.h5 data
    printf '0.1 -2.5 1e-300\n3 4 5\n' | swmr_append --columns 3 run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
vals = []
for l in open("watch.out"):
    o = json.loads(l); vals += o["values"]; shape = o["shape"]
print(shape, vals)'
    assert_output "[2, 3] [[0.1, -2.5, 1e-300], [3.0, 4.0, 5.0]]"
}

@test "a dataset in a group, named on the command line" {
    start_watch_waiting --format=tsv --until 3 --timeout 120 run.h5 /runs/a
    seq 3 | swmr_append -t uint8 run.h5 runs/a
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --regexp $'\t/runs/a\t3\t3\t'
}

@test "swmr-append killed mid-stream: 69" {
    mkfifo input.fifo
    # Not the swmr_append function: its own pid is needed for the kill.
    "$SWMR_BIN/swmr-append" -t int64 --flush-interval 0.05 run.h5 \
        <input.fifo 3>&- &
    append=$!
    exec 8>input.fifo
    echo 1 >&8
    wait_rows run.h5 data 1
    start_watch --format=json --timeout 120 run.h5
    wait_lines 1
    kill -KILL "$append"
    finish_watch
    exec 8>&-
    assert_equal "$WATCH_STATUS" 69
    run cat watch.err
    assert_output "swmr-watch: the writer of run.h5 went away without closing it (killed?): swmr-append --append run.h5 </dev/null closes it, keeping every row flushed"
}

@test "--append --attr: the writer's short plain window is no close" {
    # swmr-append --append with a changed --attr closes the file and opens
    # it again to write the attribute: flags cleared while it still holds
    # the file. A watcher that took that for a close ended with 1 here.
    seq 3 | swmr_append -t int64 run.h5
    start_watch_waiting --until 20 --timeout 60 -o tsv run.h5
    (seq 4 20 | while read -r x; do echo "$x"; sleep 0.02; done) |
        swmr_append --append -t int64 --attr x=1 run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f3,7 watch.out
    refute_output --partial close
    assert_line --index 1 --regexp $'^3\t'
}
