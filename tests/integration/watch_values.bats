#!/usr/bin/env bats
# --values: the new rows themselves, exactly, for every integer and float
# type, 2-D too; old rows never printed again; big jumps in full.

load watch_helper

@test "json values for every integer and float type, 1-D and 2-D" {
    types="int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64"
    specs=()
    for t in $types; do specs+=("$t:$t" "${t}x3:$t:3"); done
    start_writer run.h5 "${specs[@]}"
    start_watch --wait --values --format=json --timeout 120 run.h5
    wait_lines 20
    send append 1
    wait_lines 40
    send append 5
    wait_lines 60
    send append 37
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    names=()
    for t in $types; do names+=("$t" "${t}x3"); done
    run "$PY" "$BATS_TEST_DIRNAME/watch_check_values.py" run.h5 "${names[@]}"
    assert_success
    assert_equal "${#lines[@]}" 20
}

@test "text values: one row per line with its index, only new rows" {
    start_writer run.h5 data:int16 m:float64:2
    start_watch --wait --values --timeout 120 run.h5
    wait_lines 2
    send append 2 data
    wait_lines 5
    send append 1 data
    wait_lines 7
    send append 2 m
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run grep -v rows/s watch.out
    # Rows 0 and 1 hold the type's extremes (see watch_writer.py).
    assert_output "$(printf '  0: 32767\n  1: -32768\n  2: 2\n  0: 1.7976931348623157e+308 -2.2250738585072014e-308\n  1: 0.5333333333333333 0.6333333333333333')"
}

@test "tsv values: tab-separated, index first" {
    start_writer run.h5 m:uint8:2
    start_watch --wait --values --format=tsv --timeout 120 run.h5
    wait_lines 2
    send append 2
    finish_writer
    finish_watch
    run grep -v -e change -e start -e close -e '^time' watch.out
    assert_output "$(printf '\t0\t255\t0\n\t1\t2\t3')"
}

@test "values after a shrink: rows that come back are new rows" {
    start_writer run.h5
    start_watch --wait --values --format=json --timeout 120 run.h5
    wait_lines 1
    send append 4
    wait_lines 2
    send shrink 2
    wait_lines 3
    send append 1
    finish_writer
    finish_watch
    run json_field 2 values
    assert_output '[9223372036854775807, -9223372036854775808, 2, -3]'
    run json_field 3 values
    assert_output '[]'
    run json_field 4 values
    assert_output '[2]'
}

@test "a big jump is printed in full, read in bounded blocks (memory stays flat)" {
    # 3 M int64 rows (24 MB) in one flush; the watcher's peak memory must
    # not grow by anything near that, compared with a 30 k row jump.
    peak() {
        rm -f big.h5 writer.fifo watch.out
        start_writer big.h5 data:int64:1:65536
        start_watch --wait --values --format=tsv --timeout 30 big.h5
        wait_lines 2
        send append "$1"
        wait_until 60 grep -q "^	$(($1 - 1))	" watch.out
        awk '/^VmHWM/ { print $2 }' "/proc/$WATCH_PID/status"
        finish_writer
        finish_watch
        [ "$WATCH_STATUS" -eq 0 ]
        [ "$(grep -c '^	' watch.out)" -eq "$1" ]
    }
    [ "${SWMR_VALGRIND:-0}" = 1 ] && skip "valgrind's own memory hides the peak"
    small=$(peak 30000)
    large=$(peak 3000000)
    echo "# peak RSS: $small kB for 30k rows, $large kB for 3M rows" >&3
    [ "$((large - small))" -lt 12000 ]
}

@test "a variable-length string dataset of h5py: each new string, live, no notice" {
    "$PY" - <<'PY' &
import h5py, os, time
f = h5py.File("run.h5", "w", libver="latest")
d = f.create_dataset("names", shape=(0,), maxshape=(None,), chunks=(2,), dtype=h5py.string_dtype())
f.swmr_mode = True
for i in range(3):
    while not os.path.exists("go%d" % i):
        time.sleep(0.01)
    d.resize((i + 1,)); d[i] = "row %d" % i; d.flush()
f.close()
PY
    writer=$!
    start_watch --wait --values --format=json --timeout 120 run.h5 names
    wait_lines 1
    touch go0; wait_lines 2
    touch go1; wait_lines 3
    touch go2
    wait "$writer"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 3 values
    assert_output '["row 1"]'
    run json_field 3 shape
    assert_output '[2]'
    run cat watch.err
    assert_output ""
}

@test "--values with --min-interval: a held-back line carries every new row" {
    start_writer run.h5 data:int32 m:uint16:2
    start_watch --wait --values --min-interval 1000 --format=json --timeout 120 run.h5
    wait_lines 2
    for i in 1 2 3 4 5 6 7; do send append "$i"; done
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    # start and close lines for each, and one change line each between.
    assert_equal "$(lines_in watch.out)" 6
    run "$PY" "$BATS_TEST_DIRNAME/watch_check_values.py" run.h5 data m
    assert_success
}

# Rows that shrank away while --min-interval held the lines back, then came
# back, are new rows: the held-back line prints them, not only the rows
# past the last line's shape. --debug says when a change is held back: the
# handshake that the watcher saw the shrink.
@test "--values with --min-interval: rows that shrank away and came back while held back are new" {
    start_writer run.h5 data:int64
    send append 4
    wait_rows run.h5 data 4
    start_watch --debug --values --min-interval 1000 --format=json --timeout 120 run.h5
    wait_lines 1
    send shrink 2
    wait_until 60 grep -q "/data \[2\]: held back by --min-interval" watch.err
    send append 3
    wait_until 60 grep -q "/data \[5\]: held back by --min-interval" watch.err
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 2 shape
    assert_output '[5]'
    # Rows 2 to 4 as watch_writer.py writes them: 2, -3, 4.
    run json_field 2 values
    assert_output '[2, -3, 4]'
}

@test "--values on a dataset of a type it cannot print (opaque) says so once, by the type's name" {
    "$PY" -c '
import h5py, numpy
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("blob", data=numpy.array([b"ab", b"cd"], "V2"), maxshape=(None,), chunks=(2,))
f.close()'
    run swmr_watch --once --values --format=json run.h5
    assert_success
    assert_line --partial '"dataset":"/blob","shape":[2],"delta":0,"rate":0.000,"event":"start","values":null,"blocks":null}'
    assert_line "swmr-watch: values of /blob are not shown: --values cannot print its type (opaque)"
    assert_equal "${#lines[@]}" 2
}
