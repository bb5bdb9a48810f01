#!/usr/bin/env bats
# --values with NaN and infinities: JSON tells them apart as the strings
# "nan", "inf", "-inf" (JSON has no such numbers); text and TSV print them
# bare.

load watch_helper

# An h5py SWMR writer of float32 and float64 datasets that appends the row
# [nan, inf, -inf, 1.5] (2-D, 4 columns) and the four values (1-D) once the
# file "go" exists, then closes.
start_nonfinite_writer() {
    "$PY" - <<'PY' &
import h5py, numpy as np, os, time
row = [np.nan, np.inf, -np.inf, 1.5]
f = h5py.File("run.h5", "w", libver="latest")
ds = [f.create_dataset(n, shape=s, maxshape=(None,) + s[1:], chunks=(2,) + s[1:], dtype=t)
      for n, s, t in (("f64", (0,), "float64"), ("f32", (0, 4), "float32"))]
f.swmr_mode = True
while not os.path.exists("go"):
    time.sleep(0.01)
ds[0].resize((4,)); ds[0][:] = row
ds[1].resize((1, 4)); ds[1][0] = row
f.flush()
f.close()
PY
    WRITER_PID=$!
}

@test "json: nan, inf and -inf are the strings \"nan\", \"inf\", \"-inf\"" {
    start_nonfinite_writer
    start_watch_waiting --values --format=json --timeout 120 run.h5
    wait_lines 2
    touch go
    wait "$WRITER_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
for line in open("watch.out"):
    o = json.loads(line)
    if o["event"] == "change":
        print(o["dataset"], json.dumps(o["values"]))'
    assert_line '/f64 ["nan", "inf", "-inf", 1.5]'
    assert_line '/f32 [["nan", "inf", "-inf", 1.5]]'
    assert_equal "${#lines[@]}" 2
}

@test "text and tsv: nan, inf, -inf bare" {
    start_nonfinite_writer
    start_watch_waiting --values --format=tsv --timeout 120 run.h5
    wait_lines 3
    touch go
    wait "$WRITER_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run grep -P '^\t' watch.out
    assert_line "$(printf '\t0\tnan\tinf\t-inf\t1.5')"
    assert_line "$(printf '\t0\tnan')"
    assert_line "$(printf '\t3\t1.5')"
}
