#!/usr/bin/env bats
# The example pipelines in scripts/ work as their comments say.

load watch_helper

SCRIPTS=$BATS_TEST_DIRNAME/../../scripts

@test "watch-example-pipeline: producer | swmr-append with swmr-watch, ends by itself" {
    SWMR_BIN=$SWMR_BIN run "$SCRIPTS/watch-example-pipeline" ex.h5 50
    assert_success
    assert_line --regexp '/data  \[50, 2\] '
    assert_line --index $((${#lines[@]} - 1)) "ex.h5: 50 rows written and watched"
    run h5py_dump ex.h5
    assert_line --index 0 "float64 (50, 2)"
    assert_line --index 50 "49.0 -0.982453"
}

@test "watch-example-sensor: a writer and a watcher in two terminals" {
    SWMR_BIN=$SWMR_BIN setsid "$SCRIPTS/watch-example-sensor" watch log.h5 \
        >watch.out 2>watch.err 3>&- &
    watcher=$!
    SWMR_BIN=$SWMR_BIN setsid "$SCRIPTS/watch-example-sensor" write log.h5 \
        >/dev/null 2>writer.err 3>&- &
    writer=$!
    # Three samples, each a row of time, load and memory.
    wait_until 60 eval '[ "$(grep -c "^	" watch.out)" -ge 3 ]'
    kill -TERM -- "-$writer"        # the writer's process group: it closes
    wait_text $'\tclose'
    kill "$watcher"
    wait "$watcher" || true
    # The first sample it printed (on a busy machine the writer may have
    # stored a row or two before the watcher opened the file).
    run grep -m1 $'^\t' watch.out
    assert_output --regexp $'^\t[0-9]+\t[0-9]{10}\.[0-9]+\t[0-9.]+\t[0-9]+$'
    run head -n 1 watch.out
    assert_output "$(printf 'time\tdataset\trows\tshape\tdelta\trate\tevent')"
    run h5py_dump log.h5 sensor
    assert_line --index 0 --regexp '^float64 \([0-9]+, 3\)$'
}
