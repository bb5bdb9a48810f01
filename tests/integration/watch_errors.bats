#!/usr/bin/env bats
# Errors: one clear line on stderr and a sysexits status; never HDF5's
# error stack unless --debug.

load watch_helper

# A closed SWMR-capable file with one growing dataset, and other objects.
make_file() {
    "$PY" - <<'PY'
import h5py
with h5py.File("run.h5", "w", libver="latest") as f:
    f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(2,), dtype="int64")
    f.create_dataset("contiguous", data=[1, 2, 3])
    f.create_dataset("full", shape=(4,), maxshape=(4,), chunks=(2,), dtype="int8")
    f.create_group("grp")
    f.create_dataset("text", shape=(0,), maxshape=(None,), chunks=(2,), dtype=h5py.string_dtype())
PY
}

@test "file missing without --wait: 66" {
    run swmr_watch nothing.h5
    assert_equal "$status" 66
    assert_output "swmr-watch: cannot open nothing.h5: No such file or directory; --wait waits for it to appear"
    # Nothing on stdout, not even the TSV header.
    swmr_watch --format=tsv nothing.h5 >out.txt 2>/dev/null || true
    [ ! -s out.txt ]
}

@test "a directory is not a file: 66" {
    mkdir d.h5
    run swmr_watch d.h5
    assert_equal "$status" 66
    assert_output "swmr-watch: d.h5 is a directory"
}

@test "unreadable file: 66" {
    [ "$(id -u)" -ne 0 ] || skip "root reads every file"
    make_file
    chmod 000 run.h5
    run swmr_watch run.h5
    assert_equal "$status" 66
    assert_output --partial "Permission denied"
}

@test "not an HDF5 file: 65, one line" {
    echo "just text, long enough to hold a superblock" >notes.h5
    run swmr_watch notes.h5
    assert_equal "$status" 65
    assert_output "swmr-watch: notes.h5 is not an HDF5 file"
}

@test "an HDF5 file older than the 1.10 format: 65, says SWMR needs 1.10" {
    "$PY" -c 'import h5py; h5py.File("old.h5", "w", libver="earliest").create_dataset("data", shape=(0,), maxshape=(None,), chunks=(2,))'
    run swmr_watch old.h5
    assert_equal "$status" 65
    assert_output --partial "old.h5 uses a format older than HDF5 1.10 (superblock version 0)"
    assert_output --partial "SWMR needs a file written for HDF5 1.10 or later"
    assert_equal "${#lines[@]}" 1
}

@test "dataset missing: 65" {
    make_file
    run swmr_watch run.h5 data nope
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 has no dataset /nope (swmr-watch --list run.h5 lists those it has); --wait waits for it to be made"
    run swmr_watch run.h5 grp/inner/deeper
    assert_equal "$status" 65
    assert_output "swmr-watch: run.h5 has no dataset /grp/inner/deeper (swmr-watch --list run.h5 lists those it has); --wait waits for it to be made"
}

@test "a group is not a dataset: 65" {
    make_file
    run swmr_watch run.h5 grp
    assert_equal "$status" 65
    assert_output "swmr-watch: /grp in run.h5 is not a dataset"
}

@test "a dataset that cannot grow: 65, says which reason" {
    make_file
    run swmr_watch run.h5 contiguous
    assert_equal "$status" 65
    assert_output "swmr-watch: dataset /contiguous in run.h5 cannot grow: it is not chunked (contiguous or compact)"
    run swmr_watch run.h5 full
    assert_equal "$status" 65
    assert_output "swmr-watch: dataset /full in run.h5 cannot grow: it is already at its maximum shape"
}

@test "no growing dataset at all: 65" {
    "$PY" -c 'import h5py; h5py.File("fixed.h5", "w", libver="latest").create_dataset("x", data=[1])'
    run swmr_watch fixed.h5
    assert_equal "$status" 65
    assert_output --partial "fixed.h5 has no dataset that can grow (chunked or virtual, with a dimension unlimited or below its maximum)"
}

@test "a file open for writing without SWMR: 65 with a hint" {
    "$PY" - <<'PY'
import h5py, os
f = h5py.File("busy.h5", "w", libver="latest")
f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(2,))
f.flush()
os._exit(0)     # no close: the flags stay "open for writing"
PY
    run swmr_watch busy.h5
    assert_equal "$status" 65
    # Its writer is gone: said so, with how to close the file.
    assert_output --partial "busy.h5 is marked open for writing, not in SWMR mode, and no process has it open: its writer was killed"
    assert_output --partial "h5clear -s --increment busy.h5"
}

@test "no HDF5 error stack without --debug; with --debug there is one" {
    make_file
    printf '\x89HDF\r\n\x1a\n\x03\x08\x08\x05 and then garbage' >broken.h5
    head -c 4096 /dev/zero >>broken.h5
    run swmr_watch broken.h5
    assert_equal "$status" 65
    assert_equal "${#lines[@]}" 1
    assert_output --partial "cannot open broken.h5 as a SWMR reader"
    refute_output --partial "HDF5-DIAG"
    run swmr_watch --debug broken.h5
    assert_equal "$status" 65
    assert_output --partial "HDF5-DIAG"
}

@test "usage errors: 64" {
    run swmr_watch
    assert_equal "$status" 64
    assert_output --partial "no FILE given"
    run swmr_watch --format=xml run.h5
    assert_equal "$status" 64
    assert_output --partial "--format: 'xml' is not text, tsv or json"
    run swmr_watch --interval 0 run.h5
    assert_equal "$status" 64
    assert_output --partial "--interval: '0' is not a number of seconds from 0.01 to 1000000000"
    run swmr_watch --timeout 1e10 run.h5
    assert_equal "$status" 64
    assert_output --partial "--timeout: '1e10' is not a number of seconds from 0.01 to 1000000000"
    run swmr_watch --interval=-1 run.h5
    assert_equal "$status" 64
    run swmr_watch --timeout abc run.h5
    assert_equal "$status" 64
    run swmr_watch --until -5 run.h5
    assert_equal "$status" 64
    run swmr_watch --last=-1 run.h5
    assert_equal "$status" 64
    assert_output --partial "--last: '-1' is not a number of rows or all"
    run swmr_watch --last=ALL run.h5
    assert_equal "$status" 64
    run swmr_watch --last= run.h5
    assert_equal "$status" 64
    run swmr_watch --count 0 run.h5
    assert_equal "$status" 64
    assert_output --partial "--count: '0' is not a count of at least 1"
    run swmr_watch --min-interval 1x run.h5
    assert_equal "$status" 64
    run swmr_watch --bogus run.h5
    assert_equal "$status" 64
}

@test "contradictory options: 64 with the reason" {
    run swmr_watch --once --follow run.h5
    assert_equal "$status" 64
    assert_output --partial "--once and --follow may not be combined"
    run swmr_watch --once --until 5 run.h5
    assert_equal "$status" 64
    assert_output --partial "--once and --until may not be combined"
    run swmr_watch --once --count 2 run.h5
    assert_equal "$status" 64
    assert_output --partial "--once and --count may not be combined"
    # --last implies --values, which --once takes: what waits still goes.
    run swmr_watch --once --last=3 --timeout 5 run.h5
    assert_equal "$status" 64
    assert_output --partial "--once and --timeout may not be combined"
}

# A FIFO's open waits for a writer: swmr-watch must not open one. The
# bound of 60 s only stops a broken test; the refusal is at once.
@test "a FIFO, a device, a socket are no files: 66 at once, even with --wait" {
    mkfifo pipe.h5
    "$PY" -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock.h5")'
    for wait in "" --wait; do
        run timeout 60 "${WATCH[@]}" $wait pipe.h5
        assert_failure 66
        assert_output "swmr-watch: pipe.h5 is a FIFO, not a regular file"
        run timeout 60 "${WATCH[@]}" $wait /dev/null
        assert_failure 66
        assert_output "swmr-watch: /dev/null is a character device, not a regular file"
        run timeout 60 "${WATCH[@]}" $wait sock.h5
        assert_failure 66
        assert_output "swmr-watch: sock.h5 is a socket, not a regular file"
    done
}
