#!/usr/bin/env bats
# A line per change of shape, in each format, with an h5py writer in
# another process following the SWMR recipe.

load watch_helper

@test "text: a start line, then a line per append with the rows added" {
    start_writer run.h5
    send append 3           # before the watcher: the start line shows 3
    wait_rows run.h5 data 3
    start_watch --timeout 120 run.h5
    wait_lines 1
    send append 2
    wait_lines 2
    send append 4
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.out
    assert_line --index 0 --regexp '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}  /data  \[3\] +\+0 .*\(start\)$'
    assert_line --index 1 --regexp '^[0-9:.]{12}  /data  \[5\] +\+2 +[0-9.k]+ rows/s$'
    assert_line --index 2 --regexp '^[0-9:.]{12}  /data  \[9\] +\+4 +[0-9.k]+ rows/s$'
    assert_line --index 3 --regexp '/data  \[9\] +\+0 .*\(writer closed the file\)$'
    assert_equal "${#lines[@]}" 4
}

@test "json: one object per line with time, dataset, shape, delta, rate" {
    start_writer run.h5
    start_watch --wait --format=json --timeout 120 run.h5
    wait_lines 1
    send append 5
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" - <<'PY'
import json, re
rows = [json.loads(l) for l in open("watch.out")]
assert [r["shape"] for r in rows] == [[0], [5], [5]], rows
assert [r["delta"] for r in rows] == [0, 5, 0], rows
assert [r["event"] for r in rows] == ["start", "change", "close"], rows
for r in rows:
    assert r["dataset"] == "/data"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", r["time"]), r
    assert isinstance(r["rate"], (int, float)) and r["rate"] >= 0
assert rows[1]["rate"] > 0
print("ok")
PY
    assert_success
    assert_output ok
}

@test "json time is local time with its UTC offset" {
    start_writer run.h5
    send append 1
    finish_writer
    TZ=XYZ-05:30 swmr_watch --format=json --once run.h5 >watch.out
    run json_field 1 time
    assert_output --regexp '^"[0-9-]{10}T[0-9:.]{12}\+05:30"$'
    expected=$(TZ=XYZ-05:30 date +%H)
    assert_output --partial "T$expected:"
}

@test "tsv: a header line, then stable tab-separated columns" {
    start_writer run.h5 data:int64 grid:float32:3
    start_watch --wait --format=tsv --timeout 120 run.h5 data grid
    wait_lines 3
    send append 4 grid
    wait_lines 4
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.out
    assert_line --index 0 "$(printf 'time\tdataset\trows\tshape\tdelta\trate\tevent')"
    assert_line --index 1 --regexp $'^[0-9T:.+-]+\t/data\t0\t0\t0\t0.000\tstart$'
    assert_line --index 2 --regexp $'^[0-9T:.+-]+\t/grid\t0\t0x3\t0\t0.000\tstart$'
    assert_line --index 3 --regexp $'^[0-9T:.+-]+\t/grid\t4\t4x3\t4\t[0-9.]+\tchange$'
    # Every line has the same seven columns.
    run awk -F'\t' 'NF != 7' watch.out
    assert_output ''
}

@test "without DATASET every dataset that can grow, its unlimited dimension anywhere" {
    "$PY" - <<'PY'
import h5py
with h5py.File("run.h5", "w", libver="latest") as f:
    f.create_dataset("fixed", data=[1, 2, 3])
    f.create_dataset("g/deep", shape=(0, 2), maxshape=(None, 2), chunks=(2, 2), dtype="int8")
    f.create_dataset("top", shape=(0,), maxshape=(None,), chunks=(2,), dtype="uint16")
    f.create_dataset("wide", shape=(2, 0), maxshape=(2, None), chunks=(2, 2), dtype="int8")
PY
    run swmr_watch --once --format=tsv run.h5
    assert_success
    run cut -f2 <<<"$output"
    assert_output "$(printf 'dataset\n/g/deep\n/top\n/wide')"
}

@test "several datasets: each line names its dataset; text columns line up" {
    start_writer run.h5 a:int32 longer_name:float64:2
    start_watch --wait --timeout 120 run.h5
    wait_lines 2
    send append 2 a
    wait_lines 3
    send append 3 longer_name
    wait_lines 4
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.out
    assert_line --index 2 --regexp '  /a            \[2\] +\+2 '
    assert_line --index 3 --regexp '  /longer_name  \[3, 2\] +\+3 '
    # "rows/s" ends at the same column on every line.
    run awk '{ print index($0, "rows/s") }' watch.out
    [ "$(sort -u <<<"$output" | wc -l)" -eq 1 ]
}

@test "shrinking is a change too, with a negative delta" {
    start_writer run.h5
    send append 6
    wait_rows run.h5 data 6
    start_watch --format=json --timeout 120 run.h5
    wait_lines 1
    send shrink 2
    wait_lines 2
    finish_writer
    finish_watch
    run json_field 2 delta
    assert_output -- -4
    run json_field 2 shape
    assert_output '[2]'
}

@test "2-D datasets growing along the first dimension" {
    start_writer run.h5 m:uint8:4
    start_watch --wait --format=json --timeout 120 run.h5
    wait_lines 1
    send append 3
    wait_lines 2
    send append 7
    wait_lines 3
    finish_writer
    finish_watch
    run json_field 3 shape
    assert_output '[10, 4]'
    run json_field 3 delta
    assert_output 7
}

@test "output flows through a pipe line by line, before the watcher exits" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    (swmr_watch --wait --timeout 120 --format=tsv run.h5 2>watch.err |
        cat >watch.out) 3>&- 7>&- &
    pipeline=$!
    wait_lines 2        # the header and the start line, while it runs
    send append 1
    wait_lines 3
    finish_writer
    wait "$pipeline"
    run cut -f3,7 watch.out
    assert_output "$(printf 'rows\tevent\n1\tstart\n2\tchange\n2\tclose')"
}

@test "one dataset named several ways is watched once" {
    "$PY" -c '
import h5py
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("grp/x", data=[1, 2], maxshape=(None,), chunks=(2,))
f.close()'
    run swmr_watch --once -o tsv run.h5 grp//x grp/x/ ./grp/x /grp/x
    assert_success
    assert_equal "${#lines[@]}" 2
    assert_line --index 1 --regexp $'^[^\t]+\t/grp/x\t2\t'
}
