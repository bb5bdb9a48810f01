#!/usr/bin/env bats
# Text and TSV keep one line grammar for scripts, whatever the dataset's
# name and type: the first field tells a shape line from a value line
# (text: a time of day, or a space; TSV: a time stamp, or empty; TSV's
# header alone starts with "time").

load watch_helper

# Datasets whose names look like fields, times and lines (a tab, a newline,
# leading spaces, a colon, digits), of integer and float types, 1-D and
# 2-D; once "go" exists, 3 rows each (NaN and infinities among them), then
# the file is closed.
start_odd_writer() {
    "$PY" - <<'PY' &
import h5py, numpy as np, os, time
f = h5py.File("run.h5", "w", libver="latest")
names = ["  lead", "tab\there", "new\nline", "12:00:00.000  x", "7:", "\t3\t4"]
types = ["int8", "float64", "uint64", "float32", "int64", "float64"]
ds = []
for i, (n, t) in enumerate(zip(names, types)):
    cols = (2,) if i % 2 else ()
    ds.append(f.create_dataset(n, shape=(0,) + cols, maxshape=(None,) + cols,
                               chunks=(2,) + cols, dtype=t))
f.swmr_mode = True
while not os.path.exists("go"):
    time.sleep(0.01)
for d in ds:
    d.resize(3, axis=0)
    v = np.arange(3 * (d.shape[1] if d.ndim > 1 else 1)).reshape(d.shape)
    if d.dtype.kind == "f":
        v = v.astype(d.dtype); v.flat[0] = np.nan; v.flat[1] = -np.inf
    d[...] = v
f.flush()
f.close()
PY
    WRITER_PID=$!
}

# run_odd FORMAT: the writer and a watcher with --values, to the close.
run_odd() {
    start_odd_writer
    start_watch_waiting --values --format="$1" --timeout 120 run.h5
    wait_lines 6
    touch go
    wait "$WRITER_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "text: a shape line starts with the time, a value line with a space" {
    run_odd text
    shape='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}  '
    value='^  [0-9]+:( [^ ]+)+$'
    run grep -cEv "$shape|$value" watch.out
    assert_output 0
    # 6 start lines, 6 change lines with 3 rows each, 6 close lines.
    assert_equal "$(grep -cE "$shape" watch.out)" 18
    assert_equal "$(grep -cE "$value" watch.out)" 18
    run grep -F 'new\nline' watch.out
    assert_equal "${#lines[@]}" 3
}

@test "tsv: the header starts with time, a shape line with a time stamp, a value line with nothing" {
    run_odd tsv
    run sed -n 1p watch.out
    assert_output "$(printf 'time\tdataset\trows\tshape\tdelta\trate\tevent')"
    shape=$'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^\t]*(\t[^\t]+){6}$'
    value=$'^\t[0-9]+(\t[^\t]+)+$'
    run sh -c "sed 1d watch.out | grep -cEv '$shape|$value'"
    assert_output 0
    assert_equal "$(grep -cE "$shape" watch.out)" 18
    assert_equal "$(grep -cE "$value" watch.out)" 18
    # Each value line belongs to the shape line above it; a name with a
    # tab keeps its line whole.
    run grep -F 'tab\there' watch.out
    assert_equal "${#lines[@]}" 3
    assert_line --index 1 --regexp $'\t/tab\\\\there\t3\t3x2\t3\t'
}
