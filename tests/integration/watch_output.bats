#!/usr/bin/env bats
# Where the lines go: a pipe whose reader leaves, a full disk, a closed
# stdout.

load watch_helper

@test "a pipe's reader that leaves ends the watch at once, as SIGPIPE would" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    # The writer is idle from here on: without a look at the pipe, the
    # watcher would only notice at its next line (or at --timeout, 75).
    run bash -c '"$@" --timeout 120 run.h5 | head -n 1; echo "status=${PIPESTATUS[0]}"' \
        _ "${WATCH[@]}"
    assert_line --index 0 --partial "(start)"
    assert_line --index 1 "status=141"
    finish_writer
}

@test "a full disk: 'write error', status 74" {
    seq 3 | swmr_append run.h5
    # bats' run captures stdout: write to /dev/full from inside instead.
    run bash -c '"$@" -o json run.h5 >/dev/full' _ "${WATCH[@]}"
    assert_equal "$status" 74
    assert_line "swmr-watch: write error: No space left on device"
    [ "$(grep -c 'write error' <<<"$output")" -eq 1 ]
}

@test "a closed stdout: 'write error', status 74" {
    seq 3 | swmr_append run.h5
    run bash -c '"$@" --once run.h5 >&-' _ "${WATCH[@]}"
    assert_equal "$status" 74
    assert_output --partial "swmr-watch: write error: "
}

@test "dataset names with control characters are escaped in TSV and text" {
    "$PY" -c '
import h5py
f = h5py.File("run.h5", "w", libver="latest")
for n in ["a\tb", "n\nl", "\x1b[31mred"]:
    f.create_dataset(n, data=[1], maxshape=(None,), chunks=(2,))
f.close()'
    run swmr_watch --once -o tsv run.h5
    assert_success
    # A header and three lines of seven fields each.
    assert_equal "${#lines[@]}" 4
    [ "$(awk -F'\t' 'NF != 7' <<<"$output" | wc -l)" -eq 0 ]
    assert_output --partial '/a\tb'
    assert_output --partial '/n\nl'
    assert_output --partial '/\x1b[31mred'
    run swmr_watch --once run.h5
    refute_output --partial $'\e'
    assert_equal "${#lines[@]}" 3
}
