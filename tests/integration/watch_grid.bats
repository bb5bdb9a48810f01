#!/usr/bin/env bats
# Datasets that grow along any dimension, as HDF5's own SWMR test writer
# grows (1, N) datasets along the second: found without naming them, their
# rows counted, and with --values every new cell printed where it belongs.
# The writer is h5py (watch_grid_writer.py), driven step by step.

load watch_helper

WRITER=$BATS_TEST_DIRNAME/watch_grid_writer.py
ROW_N=x:int64:1x0:1xN:1x64          # h5py: shape (1, 0), maxshape (1, None)
BOTH=y:float64:2x3:NxN:4x4          # maxshape (None, None)

@test "(1, N) growing along dimension 2: found unnamed, rows and rate follow it, --until met" {
    start_writer g.h5 "$ROW_N"
    start_watch --format=tsv --until 5 --timeout 120 g.h5
    wait_lines 2
    send resize x 1x3
    wait_lines 3
    send resize x 1x6
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f 2-5,7 watch.out
    assert_output "$(printf 'dataset\trows\tshape\tdelta\tevent
/x\t0\t1x0\t0\tstart
/x\t3\t1x3\t3\tchange
/x\t6\t1x6\t3\tchange')"
    # The rates are those of the rows added, not 0.
    run awk -F'\t' '$7 == "change" && $6 <= 0' watch.out
    assert_output ""
    finish_writer
}

@test "--until counts the cells of every unlimited dimension; text says +N" {
    start_writer g.h5 "$BOTH"
    start_watch --until 20 --timeout 120 g.h5 y
    wait_lines 1
    send resize y 4x5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    assert_equal "$(lines_in watch.out)" 2
    run grep -c '/y  \[4, 5\] *+14 ' watch.out
    assert_output 1
    finish_writer
}

@test "json --values: every new cell of growth along dimension 2, both, and after a shrink, placed by its blocks" {
    start_watch_waiting --values --format=json --timeout 120 g.h5
    start_writer g.h5 "$ROW_N" "$BOTH"
    wait_lines 2
    send resize x 1x3
    wait_lines 3
    send resize y 4x5
    wait_lines 4
    send resize x 1x200
    wait_lines 5
    send resize y 3x6
    wait_lines 6
    send resize y 5x7
    wait_lines 7
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" "$BATS_TEST_DIRNAME/watch_check_cells.py" g.h5 x y
    assert_success
    # Row 3 of y shrank away and came back: its 5 cells are new again.
    assert_output "$(printf 'x (1, 200) ok 200 twice 0\ny (5, 7) ok 35 twice 5')"
    run json_field 4 blocks
    assert_output '[{"start": [0, 3], "count": [2, 2]}, {"start": [2, 0], "count": [2, 5]}]'
    run json_field 4 values
    assert_output '[[3.0, 4.0], [1003.0, 1004.0], [2000.0, 2001.0, 2002.0, 2003.0, 2004.0], [3000.0, 3001.0, 3002.0, 3003.0, 3004.0]]'
}

# grid_values FORMAT: the value lines of a watch of x and y through three
# changes: x (1, 0) -> (1, 3), y (2, 3) -> (4, 5), x -> (1, 5).
grid_values() {
    start_writer g.h5 "$ROW_N" "$BOTH"
    start_watch --values --format="$1" --timeout 120 g.h5
    local head=0
    [ "$1" = tsv ] && head=1
    wait_lines $((head + 2))
    send resize x 1x3
    wait_lines $((head + 4))
    send resize y 4x5
    wait_lines $((head + 9))
    send resize x 1x5
    wait_lines $((head + 11))
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "text --values: each run of new cells on a line with the index of its first" {
    grid_values text
    run grep -v rows/s watch.out
    assert_output "$(printf '  0: 0 1 2
  0,3: 3 4
  1,3: 1003 1004
  2: 2000 2001 2002 2003 2004
  3: 3000 3001 3002 3003 3004
  0,3: 3 4')"
}

@test "tsv --values: the index, then the values, tab-separated" {
    grid_values tsv
    run grep $'^\t' watch.out
    assert_output "$(printf '\t0\t0\t1\t2
\t0,3\t3\t4
\t1,3\t1003\t1004
\t2\t2000\t2001\t2002\t2003\t2004
\t3\t3000\t3001\t3002\t3003\t3004
\t0,3\t3\t4')"
}

@test "a jump of 300,000 cells along dimension 2 is printed in full" {
    start_writer g.h5 "$ROW_N"
    start_watch --values --format=json --until 300000 --timeout 120 g.h5
    wait_lines 1
    send resize x 1x300000
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
o = [json.loads(l) for l in open("watch.out")][-1]
v = o["values"][0]
print(o["blocks"], len(v), v[:2], v[-1])'
    assert_output "[{'start': [0, 0], 'count': [1, 300000]}] 300000 [0, 1] 299999"
    finish_writer
}

@test "rows past 2^64 (2^33 x 2^33 cells) saturate: the delta is never negative" {
    start_writer g.h5 "z:int8:1x1:NxN:1x1"
    start_watch --format=tsv --count 1 --timeout 120 g.h5
    wait_lines 2
    send extent z 8589934592x8589934592
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run awk -F'\t' '$7 == "change" { print $3, $5 }' watch.out
    assert_output "18446744073709551615 9223372036854775807"
    finish_writer
}
