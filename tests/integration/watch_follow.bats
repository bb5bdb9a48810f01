#!/usr/bin/env bats
# --follow: stay on through a close, a restart with swmr-append --append,
# a killed writer, and the file being replaced. And never block a writer
# that re-opens the file (HDF5's file lock).

load watch_helper

@test "a writer restarting with --append while watched is never blocked" {
    seq 1 3 | swmr_append -t int64 run.h5
    start_watch --follow --format=tsv --timeout 120 run.h5
    wait_lines 2
    # The watcher holds the file open as a reader: the writer must still
    # get it for writing.
    exec 8> >(swmr_append -t int64 --append run.h5 2>append.err 7>&-)
    echo 4 >&8
    wait_text $'\t4\t4\t'
    echo 5 >&8
    wait_text $'\t5\t5\t'
    exec 8>&-
    wait_text $'\t5\t5\t0\t0.000\tclose'
    run cat append.err
    assert_output ''
    kill "$WATCH_PID"
    finish_watch
    assert_equal "$WATCH_STATUS" 143
    run h5py_dump run.h5
    assert_line --index 0 "int64 (5,)"
}

@test "--follow through a clean close and a restart with swmr-append --append" {
    exec 8> >(swmr_append -t int64 run.h5 7>&-)
    echo 1 >&8
    wait_rows run.h5 data 1
    start_watch --follow --format=json --until 6 --timeout 120 run.h5
    wait_lines 1
    echo 2 >&8
    wait_text '"shape":[2]'
    exec 8>&-                     # the writer closes the file
    wait_text '"event":"close"'
    seq 3 6 | swmr_append -t int64 --append run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c '
import json
for l in open("watch.out"):
    o = json.loads(l); print(o["event"], o["shape"][0])'
    assert_line --index 0 'start 1'
    assert_line "close 2"
    # After the restart: a reopen line, then (or at once) 6 rows.
    assert_line --regexp '^reopen [2-6]$'
    assert_line --index $((${#lines[@]} - 1)) --regexp '^(reopen|change) 6$'
    run grep -c '"event":"reopen"' watch.out
    assert_output 1
}

@test "--follow through a killed writer and a restart" {
    start_writer run.h5
    start_watch --wait --follow --format=json --until 5 --timeout 120 run.h5
    wait_lines 1
    send append 2
    wait_text '"shape":[2]'
    send kill
    finish_writer
    wait_until 60 grep -q "went away without closing" watch.err
    kill -0 "$WATCH_PID"          # still watching
    seq 3 5 | swmr_append -t int64 --append run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --partial '"shape":[5]'
    run cat watch.err
    assert_output "swmr-watch: the writer of run.h5 went away without closing it: waiting for a new one"
    # One restart, one reopen line (however the new writer opens the file).
    run grep -c '"event":"reopen"' watch.out
    assert_output 1
}

@test "--follow follows a file replaced by another (renamed over it)" {
    start_writer run.h5
    send append 3
    wait_rows run.h5 data 3
    start_watch --follow --values --format=json --timeout 120 run.h5
    wait_lines 1
    # A new file written elsewhere, then renamed over the watched name.
    printf 'append 1\nclose\n' | "$PY" "$WRITER" new.h5
    mv new.h5 run.h5
    wait_text '"event":"close"'
    kill "$WATCH_PID"
    finish_watch
    run grep '"event":"reopen"' watch.out
    assert_output --partial '"shape":[1]'
    assert_output --partial '"delta":-2'
    assert_output --partial '"values":[9223372036854775807]'
    # Its writer closed it before it took the name: its close line last.
    run tail -n 1 watch.out
    assert_output --partial '"event":"close"'
    assert_output --partial '"shape":[1]'
    run cat watch.err
    assert_output "swmr-watch: run.h5 was replaced: following the new file"
    send close
    finish_writer
}

@test "without --follow a replaced file ends the watch: 66" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --timeout 120 run.h5
    wait_lines 1
    printf 'close\n' | "$PY" "$WRITER" new.h5
    mv new.h5 run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 66
    run cat watch.err
    assert_output "swmr-watch: run.h5 was replaced by another file (--follow follows the new one)"
    send close
    finish_writer
}

@test "without --follow a removed file ends the watch: 66" {
    start_writer run.h5
    send append 1
    wait_rows run.h5 data 1
    start_watch --timeout 120 run.h5
    wait_lines 1
    rm run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 66
    run cat watch.err
    assert_output "swmr-watch: run.h5 was removed"
    send close
    finish_writer
}

@test "--follow on a closed file waits for the next writer" {
    seq 1 2 | swmr_append -t int64 run.h5
    start_watch --follow --format=tsv --until 4 --timeout 120 run.h5 data
    wait_lines 2
    kill -0 "$WATCH_PID"
    seq 3 4 | swmr_append -t int64 --append run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --regexp $'\t/data\t4\t4\t2\t[0-9.]+\t(reopen|change|close)$'
    # Opening the file again does not watch the dataset twice.
    run sh -c "tail -n +2 watch.out | cut -f7 | sort | uniq -d"
    assert_output ''
}

@test "--follow: a new file without a watched dataset says so" {
    start_writer run.h5 a:int8 b:int8
    send append 1
    wait_rows run.h5 b 1
    start_watch --follow --format=tsv --timeout 120 run.h5
    wait_lines 3
    finish_writer
    wait_text "close"
    "$PY" -c '
import h5py
f = h5py.File("new.h5", "w", libver="latest")
f.create_dataset("a", data=[1, 2], maxshape=(None,), chunks=(2,))
f.close()'
    mv new.h5 run.h5
    wait_until 60 grep -q "no dataset /b" watch.err
    kill "$WATCH_PID"
    finish_watch
    run cat watch.err
    assert_line "swmr-watch: run.h5 has no dataset /b any more: not reported until a file has it again"
    [ "$(grep -c 'no dataset /b' watch.err)" -eq 1 ]
}

@test "--follow: a file put in place of a closed one is a new file: every row is new" {
    seq 5 | swmr_append run.h5
    seq 11 17 | swmr_append other.h5
    start_watch -v --follow --format=json --values --timeout 120 run.h5
    wait_text '"event":"start"'
    wait_until 60 grep -q "waiting: " watch.err
    mv other.h5 run.h5
    wait_text '"event":"close"'
    kill "$WATCH_PID"
    finish_watch
    run cat watch.err
    assert_output --partial "run.h5 was replaced: following the new file"
    run json_field 2 values
    assert_output '[11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]'
    run json_field 2 event
    assert_output '"reopen"'
}

# ext4 gives a removed file's inode number to the next file made: only the
# removal (or our holding the old one open) tells the new file apart.
@test "--follow: a file removed and made again while let go is new, whatever its inode" {
    seq 3 | swmr_append run.h5
    printf '10\n20\n30\n' | swmr_append new.h5
    start_watch -v --follow --format=json --values --timeout 120 run.h5
    wait_text '"event":"start"'
    wait_until 60 grep -q "waiting: " watch.err
    rm run.h5
    wait_until 60 grep -q "cannot open run.h5: No such file" watch.err
    cat new.h5 > run.h5
    wait_text '"event":"reopen"'
    kill "$WATCH_PID"
    finish_watch
    run cat watch.err
    assert_output --partial "run.h5 was replaced: following the new file"
    run json_field 2 values
    assert_output '[10.0, 20.0, 30.0]'
}

# The same, removed and made again between two looks (polling): only our
# holding the old file open keeps its inode number from the new one.
@test "--follow --poll: a file removed and made again between two looks is new" {
    seq 3 | swmr_append run.h5
    printf '10\n20\n30\n' | swmr_append new.h5
    start_watch -v --follow --poll --interval 0.5 --format=json --values --timeout 120 run.h5
    wait_text '"event":"start"'
    wait_until 60 grep -q "waiting: " watch.err
    rm run.h5
    cat new.h5 > run.h5
    wait_text '"event":"reopen"'
    kill "$WATCH_PID"
    finish_watch
    run cat watch.err
    assert_output --partial "run.h5 was replaced: following the new file"
    run json_field 2 values
    assert_output '[10.0, 20.0, 30.0]'
}

# The file let go of is held open only to keep its inode number from the
# next file: once it is removed, its space is not kept.
@test "--follow: a removed file's space is not held while waiting for the next" {
    seq 3 | swmr_append run.h5
    start_watch -v --follow --timeout 120 run.h5
    wait_text "(start)"
    wait_until 60 grep -q "waiting: " watch.err
    rm run.h5
    wait_until 60 grep -q "cannot open run.h5: No such file" watch.err
    run bash -c "ls -l /proc/$WATCH_PID/fd | grep -c '(deleted)'"
    assert_output 0
    kill "$WATCH_PID"
    finish_watch
}
