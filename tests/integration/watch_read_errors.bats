#!/usr/bin/env bats
# Rows that cannot be read (--values): the message names HDF5's cause, every
# time; JSON says null with an "error", never []; the run ends with 2 unless
# --follow keeps going. The unreadable chunks are real: h5py writes them with
# its own lzf filter, which Debian's libhdf5 (and so swmr-watch) lacks.

load watch_helper

# An h5py SWMR writer of an lzf-compressed float64 dataset "data", driven as
# watch_writer.py is ("append N"; end of input closes the file).
lzf_writer() {
    cat >lzf_writer.py <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "w", libver="latest")
d = f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(4,),
                     dtype="float64", compression="lzf")
f.swmr_mode = True
print("ready", flush=True)
for line in sys.stdin:
    cmd, n = line.split()
    old = d.shape[0]
    d.resize(old + int(n), axis=0)
    d[old:] = np.arange(old, old + int(n))
    d.flush()
f.close()
PY
    WRITER=$PWD/lzf_writer.py
}

setup_file() {
    /usr/bin/python3 -c 'import h5py.h5z as z; assert z.filter_avail(z.FILTER_LZF)' ||
        skip "this h5py has no lzf filter"
}

@test "an unreadable chunk: the cause is named, JSON says null and why, exit 2" {
    lzf_writer
    start_writer run.h5
    start_watch --values --format=json --timeout 120 run.h5
    wait_lines 1
    send append 3
    finish_watch
    assert_equal "$WATCH_STATUS" 2
    run cat watch.err
    assert_output "swmr-watch: cannot read rows 0 to 2 of /data in run.h5: required filter 'lzf' is not registered"
    assert_equal "$(lines_in watch.out)" 2
    assert_equal "$(json_field 2 shape)" "[3]"
    assert_equal "$(json_field 2 values)" "null"
    assert_equal "$(json_field 2 error)" \
        "\"cannot read rows 0 to 2: required filter 'lzf' is not registered\""
    finish_writer
}

@test "an unreadable chunk in text: the change line, no row, one error, exit 2" {
    lzf_writer
    start_writer run.h5
    start_watch --values --timeout 120 run.h5
    wait_lines 1
    send append 5
    finish_watch
    assert_equal "$WATCH_STATUS" 2
    assert_equal "$(lines_in watch.out)" 2
    run grep -c '^  ' watch.out
    assert_output 0
    run cat watch.err
    assert_output --partial "cannot read rows 0 to 4 of /data in run.h5: required filter 'lzf' is not registered"
    assert_equal "${#lines[@]}" 1
    finish_writer
}

@test "--follow goes on: every failure names the cause, never []" {
    lzf_writer
    start_writer run.h5
    start_watch --follow --count 3 --values --format=json --timeout 120 run.h5
    wait_lines 1
    for n in 1 2 3; do
        send append 2
        wait_lines $((n + 1))
    done
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run grep -c "required filter 'lzf' is not registered" watch.err
    assert_output 3
    run grep -c 'cannot read rows .*: $' watch.err
    assert_output 0
    # The start line's [] is true: no rows are new there.
    run grep -c '"event":"change","values":\[\]' watch.out
    assert_output 0
    run grep -c '"values":null,"blocks":null,"error":"cannot read rows' watch.out
    assert_output 3
    assert_equal "$(json_field 4 error)" \
        "\"cannot read rows 4 to 5: required filter 'lzf' is not registered\""
    finish_writer
}

@test "--debug prints HDF5's stack, and the line still names the cause" {
    lzf_writer
    start_writer run.h5
    start_watch --debug --values --timeout 120 run.h5
    wait_lines 1
    send append 2
    finish_watch
    assert_equal "$WATCH_STATUS" 2
    run cat watch.err
    assert_output --partial "HDF5-DIAG"
    assert_output --partial "swmr-watch: cannot read rows 0 to 1 of /data in run.h5: required filter 'lzf' is not registered"
    finish_writer
}
