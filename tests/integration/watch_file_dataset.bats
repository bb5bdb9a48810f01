#!/usr/bin/env bats
# h5watch's FILE/DATASET in one argument: "run.h5/data" is dataset data of
# run.h5 when run.h5 is a regular file (the longest such prefix); before
# the file exists (--wait), only FILE DATASET is understood.

load watch_helper

@test "FILE/DATASET follows the dataset of a live file, to the close" {
    start_writer run.h5 data:int64 grp/x:float32:2 other:int8
    start_watch --format=tsv --timeout 120 run.h5/grp/x
    wait_lines 2
    send append 2
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f2,3,7 watch.out
    assert_output "$(printf 'dataset\trows\tevent\n/grp/x\t0\tstart\n/grp/x\t2\tchange\n/grp/x\t2\tclose')"
    refute_output --partial other
}

@test "FILE/DATASET on a closed file, with more DATASETs after it" {
    start_writer run.h5 data:int64 b:int8
    send append 3 data
    finish_writer
    run swmr_watch --once run.h5/data b
    assert_success
    assert_line --index 0 --regexp '  /data  \[3\] '
    assert_line --index 1 --regexp '  /b     \[0\] '
    assert_equal "${#lines[@]}" 2
    # Slashes doubled, a path from another directory: the same dataset.
    mkdir sub && cd sub
    run swmr_watch --once ../run.h5//data
    assert_success
    assert_output --regexp '^[0-9:.]+  /data  \[3\] '
}

@test "FILE/DATASET: a missing dataset is named as one, not 'Not a directory'" {
    start_writer run.h5
    finish_writer
    run swmr_watch run.h5/nope
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 has no dataset /nope (swmr-watch --list run.h5 lists those it has); --wait waits for it to be made"
    run swmr_watch run.h5/
    assert_equal "$status" 66
    refute_output --partial "no dataset"
}

@test "--wait before the file exists: FILE/DATASET is refused with the form that waits" {
    run swmr_watch -v --wait new.h5/data
    assert_equal "$status" 64
    assert_line "swmr-watch: new.h5/data: with --wait before the file exists, give FILE and DATASET apart (swmr-watch --wait new.h5 data)"
    # Any other path is a file's name, waited for (a folder yet to be made).
    run swmr_watch -v --wait --timeout 2 later/new.h5
    assert_equal "$status" 75
    assert_line "swmr-watch: waiting: cannot open later/new.h5: No such file or directory"
    # FILE DATASET is the form that waits for the file.
    start_watch_waiting --format=tsv --timeout 120 new.h5 data
    start_writer new.h5
    send append 1
    # Its start line: it may have come after the row did (then the next
    # line is the close), so no change line is waited for.
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f2,3,7 watch.out
    assert_line --index 1 --regexp $'^/data\t[01]\tstart$'
    assert_line --index 2 --regexp $'^/data\t1\t(change|close)$'
}
