#!/usr/bin/env bats
# --last=N: the start line carries the last N rows already there (all of
# them with --last=all), like tail -n before tail -f; --once --values
# prints every value there now and exits 0. Read in bounded blocks
# whatever the dataset's size.

load watch_helper

# ten_rows FILE: a closed file whose /data holds 0.5, 1.5, ... 9.5 (float64).
ten_rows() {
    awk 'BEGIN { for (i = 0; i < 10; i++) print i + 0.5 }' |
        swmr_append -t float64 "$1"
}

# live_ten_rows: swmr-append writing run.h5 from fd 8, the ten rows of
# ten_rows flushed (a SWMR reader sees them) before it returns.
live_ten_rows() {
    exec 8> >(swmr_append -t float64 --flush-interval 0.05 run.h5 7>&-)
    awk 'BEGIN { for (i = 0; i < 10; i++) print i + 0.5 }' >&8
    wait_rows run.h5 data 10
}

@test "--last=3 of 10 rows: rows 7 to 9 on the start line, then new rows as a live writer adds them (no --values needed)" {
    live_ten_rows
    start_watch --last=3 --timeout 120 run.h5
    wait_lines 4
    printf '10.5\n11.5\n' >&8
    wait_text '  11: 11.5'
    exec 8>&-
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run grep -c 'rows/s' watch.out
    assert_output 3
    run sed -n '1p' watch.out
    assert_output --regexp '/data  \[10\] .*\(start\)$'
    run grep -v rows/s watch.out
    assert_output "$(printf '  7: 7.5\n  8: 8.5\n  9: 9.5\n  10: 10.5\n  11: 11.5')"
    # The new rows came on a change line, after the start line's three.
    run sed -n '5p' watch.out
    assert_output --regexp '/data  \[12\] +\+2 '
}

@test "--last=all: every row on the start line, each once" {
    ten_rows run.h5
    run swmr_watch -q --last=all --format=tsv run.h5
    assert_success
    run grep $'^\t' <<<"$output"
    assert_output "$(awk 'BEGIN { for (i = 0; i < 10; i++) printf "\t%d\t%s\n", i, i + 0.5 }')"
}

@test "--last=0 is --values as before: no rows on the start line, new rows after" {
    live_ten_rows
    start_watch --values --last=0 --format=json --timeout 120 run.h5
    wait_lines 1
    echo 10.5 >&8
    wait_lines 2
    exec 8>&-
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[]'
    run json_field 1 blocks
    assert_output '[]'
    run json_field 2 values
    assert_output '[10.5]'
    # The same start line as without --last.
    run swmr_watch --values --format=json run.h5
    assert_success
    assert_output --partial '"event":"start","values":[],"blocks":[]}'
}

@test "--last larger than the rows: all of them, once" {
    ten_rows run.h5
    run swmr_watch -q --last=25 --format=json run.h5
    assert_success
    assert_output --partial '"values":[0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5],"blocks":[{"start":[0],"count":[10]}]}'
}

@test "--last=2 of a (1, N) dataset growing along dimension 2: its last 2 columns with their indices; (N, N): the last 2 rows" {
    WRITER=$BATS_TEST_DIRNAME/watch_grid_writer.py
    start_writer g.h5 x:int64:1x6:1xN:1x64 y:float64:3x3:NxN:4x4
    start_watch --last=2 --format=json --timeout 120 g.h5
    wait_lines 2
    send resize x 1x8
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    # value(i, j) = i*1000 + j (watch_grid_writer.py).
    run "$PY" -c '
import json
for l in open("watch.out"):
    o = json.loads(l)
    print(o["dataset"], o["event"], o["values"], o["blocks"])'
    assert_line --index 0 "/x start [[4, 5]] [{'start': [0, 4], 'count': [1, 2]}]"
    assert_line --index 1 "/y start [[1000.0, 1001.0, 1002.0], [2000.0, 2001.0, 2002.0]] [{'start': [1, 0], 'count': [2, 3]}]"
    assert_line --index 2 "/x change [[6, 7]] [{'start': [0, 6], 'count': [1, 2]}]"
    # The same in text: the index of the first of each run.
    run swmr_watch -q --last=2 g.h5 x
    assert_success
    assert_line --index 1 '  0,6: 6 7'
}

@test "--wait, the file not there yet: every row is new, --last=1 or not" {
    WRITER=$BATS_TEST_DIRNAME/watch_grid_writer.py
    start_watch_waiting --last=1 --format=json --timeout 120 g.h5
    # Five rows before SWMR starts: the watcher's first look has them all.
    start_writer g.h5 x:float64:5:N:4
    wait_lines 1
    send resize x 7
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[0.0, 1.0, 2.0, 3.0, 4.0]'
    run json_field 2 values
    assert_output '[5.0, 6.0]'
}

@test "--once --values on a closed file: every value, text, tsv and json, exit 0" {
    ten_rows run.h5
    printf '1 2 3\n4 5 6\n' | swmr_append -a -t int16 run.h5 m
    run swmr_watch --once --values run.h5
    assert_success
    run grep -v rows/s <<<"$output"
    assert_output "$(awk 'BEGIN { for (i = 0; i < 10; i++) printf "  %d: %s\n", i, i + 0.5 }'
                     printf '  0: 1 2 3\n  1: 4 5 6')"
    run swmr_watch --once --values --format=tsv run.h5 m
    assert_success
    assert_equal "${#lines[@]}" 4
    assert_line --index 1 --regexp $'\t/m\t2\t2x3\t0\t0.000\tstart$'
    assert_line --index 2 $'\t0\t1\t2\t3'
    assert_line --index 3 $'\t1\t4\t5\t6'
    run swmr_watch --once --values --format=json run.h5
    assert_success
    assert_equal "${#lines[@]}" 2
    assert_line --index 0 --partial '"values":[0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5],"blocks":[{"start":[0],"count":[10]}]}'
    assert_line --index 1 --partial '"values":[[1,2,3],[4,5,6]],"blocks":[{"start":[0,0],"count":[2,3]}]}'
    # --last=N: the last N.
    run swmr_watch --once --last=2 --format=tsv run.h5 data
    assert_success
    run grep $'^\t' <<<"$output"
    assert_output "$(printf '\t8\t8.5\n\t9\t9.5')"
}

@test "--once --values, json: the start line of a (2, 3) dataset carries its 6 values and their block" {
    "$PY" -c '
import h5py
with h5py.File("g.h5", "w", libver="latest") as f:
    f.create_dataset("y", data=[[0, 1, 2], [1000, 1001, 1002]], dtype="int32",
                     maxshape=(None, None), chunks=(4, 4))'
    run swmr_watch --once --values --format=json g.h5
    assert_success
    assert_output --regexp '"shape":\[2,3\],"delta":0,"rate":0.000,"event":"start","values":\[\[0,1,2\],\[1000,1001,1002\]\],"blocks":\[\{"start":\[0,0\],"count":\[2,3\]\}\]\}$'
}

@test "--once --values --last=all of 3 million rows: each once, in order, in bounded memory" {
    [ "${SWMR_VALGRIND:-0}" = 1 ] && skip "valgrind's own memory hides the peak"
    seq 3000000 | swmr_append big.h5
    /usr/bin/time -f %M -o rss.kb "$SWMR_BIN/swmr-watch" --once --values \
        --last=all --format=tsv big.h5 >watch.out
    # Row i holds i + 1, as seq wrote it: index and value on every line.
    run awk -F'\t' 'NR > 2 { if ($1 != "" || $2 != n || $3 != n + 1) bad++; n++ }
                    END { print n, bad + 0 }' watch.out
    assert_output "3000000 0"
    run cmp <(seq 3000000) <(awk -F'\t' 'NR > 2 { print $3 }' watch.out)
    assert_success
    # 24 MB of values; the watcher's peak stays near libhdf5's own.
    echo "# peak RSS of --once --values --last=all, 3M float64 rows: $(cat rss.kb) kB" >&3
    [ "$(cat rss.kb)" -lt 65536 ]
}
