#!/usr/bin/env bats
# Messages that teach (issue 13, item 3): each error or notice with a known
# remedy names it, and the remedy it names works.

load watch_helper

@test "-q with -v is refused at once, in either order, by both tools" {
    for opts in "-q -v" "-v -q"; do
        run swmr_append $opts run.h5 <<< 1
        assert_equal "$status" 64
        assert_line --index 0 "swmr-append: -q and -v may not be combined (-q prints errors only, -v more than the usual notices): give one"
        [ ! -e run.h5 ]
        run swmr_watch $opts run.h5
        assert_equal "$status" 64
        assert_line --index 0 "swmr-watch: -q and -v may not be combined (-q prints errors only, -v more than the usual notices): give one"
    done
    # Each alone, or twice, is fine.
    run swmr_append -q -q run.h5 <<< 1
    assert_success
    run swmr_watch -v -v --once run.h5
    assert_success
}

@test "a file not there yet: the error names --wait, and --wait does wait for it" {
    run swmr_watch run.h5
    assert_equal "$status" 66
    assert_output "swmr-watch: cannot open run.h5: No such file or directory; --wait waits for it to appear"
    start_watch_waiting --until 1 --timeout 120 run.h5
    swmr_append run.h5 <<< 1
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "a dataset not there: the error names --list and --wait, and --list lists the ones there" {
    swmr_append run.h5 <<< 1
    run swmr_watch run.h5 dat
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 has no dataset /dat (swmr-watch --list run.h5 lists those it has); --wait waits for it to be made"
    run swmr_watch --list run.h5
    assert_output "/data"
}

@test "swmr-append reading a terminal says how to end the input, and Ctrl-D does" {
    # script(1) gives swmr-append a terminal for stdin; it types two
    # records and Ctrl-D.
    printf '1\n2\n\004' | script -qec "$SWMR_BIN/swmr-append run.h5" /dev/null \
        >typed.out 2>&1
    run grep -c "swmr-append: reading records from the terminal, one a line: Ctrl-D ends the input and closes run.h5 (or pipe a producer into swmr-append)" typed.out
    assert_output 1
    run h5py_dump run.h5
    assert_output $'float64 (2,)\n1.0\n2.0'
    # From a pipe or a file, nothing is said.
    run swmr_append other.h5 <<< 1
    assert_output ""
    # -q silences it.
    printf '3\n\004' | script -qec "$SWMR_BIN/swmr-append -q quiet.h5" /dev/null \
        >quiet.out 2>&1
    run grep -c "reading records" quiet.out
    assert_output 0
}

@test "swmr-append reading a terminal: the hint only once FILE is ready; binary input is refused" {
    # An existing FILE: its error alone, no promise to close it.
    seq 3 | swmr_append ex.h5
    status=0
    printf '1\n\004' | script -qec "$SWMR_BIN/swmr-append ex.h5" /dev/null \
        >typed.out 2>&1 || status=$?
    assert_equal "$status" 73
    # What swmr-append said (the terminal echoes the typing too).
    run grep '^swmr-append: ' <(tr -d '\r' < typed.out)
    assert_output "swmr-append: ex.h5: file exists (use --force to replace it, --append to add to it)"
    # Bytes cannot be typed: a usage error (64) before FILE is made.
    status=0
    printf '1\n\004' | script -qec "$SWMR_BIN/swmr-append --input-format=binary bin.h5" \
        /dev/null >typed.out 2>&1 || status=$?
    assert_equal "$status" 64
    run grep '^swmr-append: ' <(tr -d '\r' < typed.out)
    assert_output "swmr-append: stdin is a terminal: binary input cannot be typed; pipe a producer into swmr-append or give -i FILE"
    [ ! -e bin.h5 ]
}

@test "a writer killed in SWMR mode: the watcher's command closes the file, every row kept" {
    killed_writer run.h5 1
    run swmr_watch --timeout 120 run.h5
    assert_equal "$status" 69
    assert_line --index 1 "swmr-watch: the writer of run.h5 went away without closing it (killed?): swmr-append --append run.h5 </dev/null closes it, keeping every row flushed"
    # A plain reader cannot open it yet; after the command, it can.
    run h5dump -d data run.h5
    assert_failure
    run swmr_append --append run.h5 </dev/null
    assert_success
    run h5py_dump run.h5
    assert_output $'int32 (3,)\n1\n2\n3'
}

@test "a writer killed before SWMR mode: said so, no --wait offered, and both repairs the message names work" {
    killed_writer run.h5 0
    run swmr_watch run.h5
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 is marked open for writing, not in SWMR mode, and no process has it open: its writer was killed (swmr-append --append run.h5 </dev/null, or h5clear -s --increment run.h5, closes it)"
    cp run.h5 copy.h5
    run swmr_append --append run.h5 </dev/null
    assert_success
    run h5py_dump run.h5
    assert_output $'int32 (3,)\n1\n2\n3'
    run h5clear -s --increment copy.h5
    assert_success
    run h5py_dump copy.h5
    assert_output $'int32 (3,)\n1\n2\n3'
}

@test "a live writer not in SWMR mode yet: --wait is the remedy, not a repair" {
    mkfifo go
    "$PY" -c 'import sys, h5py
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("data", shape=(0,), maxshape=(None,), dtype="i4")
f.flush()
print("ready", flush=True)
sys.stdin.readline()' < go > writer.out 3>&- &
    local writer=$!
    exec 8> go
    wait_until 60 grep -qx ready writer.out
    run swmr_watch run.h5
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 is open for writing but not in SWMR mode: its writer has not started SWMR yet; --wait waits until it is ready"
    exec 8>&-
    wait "$writer"
}

@test "--wait on a file a killed writer left: said without -v, with how to close it" {
    killed_writer run.h5 1
    run swmr_watch --wait --timeout 1 run.h5
    assert_equal "$status" 75
    assert_line --index 0 "swmr-watch: waiting: the writer of run.h5 went away without closing it (killed?): waiting for a new one (swmr-append --append run.h5 </dev/null closes it)"
}

@test "FILE/DATASET of a file not there yet: the remedy is the form that waits" {
    run swmr_watch new.h5/data
    assert_equal "$status" 66
    assert_output "swmr-watch: cannot open new.h5/data: No such file or directory; swmr-watch --wait new.h5 data waits for it to appear"
    # ... and that form works.
    start_watch_waiting --until 1 --timeout 120 new.h5 data
    swmr_append new.h5 <<< 1
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "an empty FILE is refused at once" {
    run swmr_watch ""
    assert_equal "$status" 64
    assert_line --index 0 "swmr-watch: FILE may not be empty"
    run swmr_watch --wait ""
    assert_equal "$status" 64
}

@test "a command a message suggests can be pasted: names with blanks are quoted" {
    killed_writer "my run.h5" 1
    run swmr_watch --timeout 120 "my run.h5"
    assert_equal "$status" 69
    assert_line --index 1 "swmr-watch: the writer of my run.h5 went away without closing it (killed?): swmr-append --append 'my run.h5' </dev/null closes it, keeping every row flushed"
    # The command as printed, run by a shell, closes it.
    local printed=${lines[1]#*(killed?): }
    printed=${printed% closes it, keeping every row flushed}
    bash -c "$SWMR_BIN/$printed"
    run h5py_dump "my run.h5"
    assert_output $'int32 (3,)\n1\n2\n3'
    run swmr_watch "my run.h5" nod
    assert_output "swmr-watch: my run.h5 has no dataset /nod (swmr-watch --list 'my run.h5' lists those it has); --wait waits for it to be made"
}
