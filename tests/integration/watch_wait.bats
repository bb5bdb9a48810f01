#!/usr/bin/env bats
# --wait: start before the file, the dataset or the SWMR writer exists.

load watch_helper

@test "--wait before the file exists (h5py writer)" {
    start_watch --wait --format=json --timeout 120 run.h5
    # Let it reach its wait first (a shortcut, not needed for correctness).
    wait_until 60 test -e "/proc/$WATCH_PID"
    start_writer run.h5
    send append 2
    wait_lines 1
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" -c 'import json; print([json.loads(l)["event"] for l in open("watch.out")][-1])'
    assert_output close
    run tail -n 1 watch.out
    assert_output --partial '"shape":[2]'
}

@test "--wait in a directory that gets the file later, watched by path" {
    mkdir sub
    start_watch --wait --format=tsv --timeout 120 sub/run.h5
    start_writer sub/run.h5
    wait_lines 2
    send append 1
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f2,3,7 watch.out
    assert_line --index 1 "$(printf '/data\t0\tstart')"
    assert_line --index 2 "$(printf '/data\t1\tchange')"
}

@test "--wait for a file that exists but is not in SWMR mode yet" {
    "$PY" - <<'PY' &
import h5py, os, time
f = h5py.File("run.h5", "w", libver="latest")
d = f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(2,), dtype="int32")
f.flush()                    # flags: open for writing, not SWMR
open("created", "w").close()
while not os.path.exists("go"):
    time.sleep(0.01)
f.swmr_mode = True
d.resize((3,)); d[:] = [1, 2, 3]; d.flush()
f.close()
PY
    writer=$!
    wait_until 60 test -e created
    start_watch --wait -v --values --format=json --timeout 120 run.h5
    wait_until 60 grep -q "waiting: run.h5 is open for writing but not in SWMR mode" watch.err
    touch go
    wait "$writer"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --partial '"shape":[3]'
    run cat watch.out
    assert_output --partial '"values":[1,2,3]'
}

@test "--wait for a named dataset the file does not have yet" {
    # A closed file without the dataset, then a writer that makes it.
    "$PY" -c 'import h5py; h5py.File("run.h5", "w", libver="latest").create_dataset("other", data=[1])'
    start_watch --wait -v --format=json --timeout 120 run.h5 data
    wait_until 60 grep -q "waiting" watch.err
    rm run.h5
    start_writer run.h5
    send append 1
    wait_lines 1
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run tail -n 1 watch.out
    assert_output --partial '"shape":[1]'
}

@test "--wait with -v says what it waits for" {
    start_watch --wait -v --timeout 0.5 nothere.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 75
    run cat watch.err
    assert_line --index 0 "swmr-watch: waiting: cannot open nothere.h5: No such file or directory"
}

@test "without --wait a file not yet in SWMR mode is an error" {
    "$PY" - <<'PY'
import h5py, os
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(2,))
f.flush()
os._exit(0)
PY
    run swmr_watch --timeout 5 run.h5
    assert_equal "$status" 65
}

# A restarting writer (swmr-append --append) opens the file read-write and
# closes it before it opens it again and starts SWMR. That gap is no
# writer's close: --wait keeps waiting for the writer itself.
@test "--wait: a writer that opens and closes the file before SWMR is waited for" {
    "$PY" -c '
import h5py
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("data", data=[1, 2, 3, 4, 5], maxshape=(None,), chunks=(2,))
f.close()'
    start_watch_waiting --format=tsv --values --timeout 120 run.h5
    "$PY" - <<'PY' &
import h5py, os, time
h5py.File("run.h5", "a", libver="latest").close()   # the check, then the gap
open("gap", "w").close()
while not os.path.exists("go"):
    time.sleep(0.01)
f = h5py.File("run.h5", "a", libver="latest")
f.swmr_mode = True
d = f["data"]
d.resize((7,)); d[5:] = [6, 7]; d.flush()
f.close()
PY
    writer=$!
    wait_until 60 test -e gap
    # The watcher has seen the gap: it says so, or (the bug) gives up.
    wait_until 60 eval 'grep -q "no SWMR writer has it open yet" watch.err || ! kill -0 $WATCH_PID'
    touch go
    wait "$writer"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.out
    # Rows 5 and 6 (values 6, 7) are shown; those before the start are
    # history.
    assert_line "$(printf '\t5\t6')"
    assert_line "$(printf '\t6\t7')"
    refute_line "$(printf '\t0\t1')"
}

@test "--wait --values on an existing file shows only rows added after the start" {
    "$PY" -c '
import h5py
f = h5py.File("run.h5", "w", libver="latest")
f.create_dataset("data", data=[1, 2, 3], maxshape=(None,), chunks=(2,))
f.close()'
    start_watch_waiting --format=json --values --timeout 120 run.h5
    "$PY" -c '
import h5py
f = h5py.File("run.h5", "a", libver="latest")
f.swmr_mode = True
d = f["data"]
d.resize((5,)); d[3:] = [4, 5]; d.flush()
f.close()'
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.out
    refute_output --partial '[1,2,3'
    assert_output --partial '"values":[4,5]'
}

@test "--wait: a writer that wrote and closed the file before the watcher looked has closed it" {
    # The file appears whole and closed (renamed into place): the watcher
    # never sees its writer, but it waited for one and one came.
    seq 3 | swmr_append made.h5
    start_watch_waiting --format=json --values --timeout 120 run.h5
    mv made.h5 run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[1.0, 2.0, 3.0]'
    run json_field 2 event
    assert_output '"close"'
    run cat watch.err
    refute_output --partial "nothing more to watch"
}

# h5py's "w" empties the file and writes it anew in the same inode: dev and
# ino cannot tell the new file from the one --wait noted at the start. The
# watcher saw it empty, so every row of it is new.
@test "--wait --values: a file emptied and written anew in place is new: its first rows are shown" {
    seq 1 | swmr_append run.h5
    printf '10\n20\n30\n' | swmr_append new.h5
    start_watch_waiting --values --format=json --timeout 120 run.h5
    : > run.h5
    wait_until 60 grep -q "run.h5 is empty" watch.err
    cat new.h5 > run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[10.0, 20.0, 30.0]'
}

# ... and with as many rows as the file had at the start, written and
# closed before the watcher opened it: no writer seen, no row grown, yet a
# new file that --wait waited for (it was let go, waiting on to the end).
@test "--wait: a file emptied and written anew in place with as many rows, closed unseen, is shown" {
    seq 3 | swmr_append run.h5
    printf '10\n20\n30\n' | swmr_append new.h5
    start_watch_waiting --values --format=json --timeout 120 run.h5
    : > run.h5
    wait_until 60 grep -q "run.h5 is empty" watch.err
    cat new.h5 > run.h5
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[10.0, 20.0, 30.0]'
    run json_field 2 event
    assert_output '"close"'
}

# HDF5 reads a file's size before its superblock: a file a writer is just
# making or closing can fail as "truncated file" for a moment, and a
# writer waiting for input makes no event after that. A file HDF5 refuses
# (its superblock checksum wrong) is put right through a shared mapping,
# which makes no inotify event either: the watcher must try again by
# itself, not only at the next event or --interval poll.
@test "--wait tries again soon a file HDF5 refused, with no event to wake it" {
    printf '10\n20\n30\n' | swmr_append new.h5
    cat > mapped.py <<'PY'
import ctypes, mmap, os, sys
with open(sys.argv[1], "rb") as src, open("part.h5", "wb") as dst:
    dst.write(src.read())
# mmap(2) itself: Python's mmap keeps a descriptor of its own, which would
# count as a writer's.
libc = ctypes.CDLL(None)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long]
fd = os.open("part.h5", os.O_RDWR)
at = libc.mmap(None, os.fstat(fd).st_size, mmap.PROT_READ | mmap.PROT_WRITE,
               mmap.MAP_SHARED, fd, 0)
os.close(fd)   # only the mapping holds it: no writer among open files
checksum = ctypes.c_ubyte.from_address(at + 44)   # the superblock's (v3)
checksum.value ^= 0xFF
print("ready", flush=True)
sys.stdin.readline()
checksum.value ^= 0xFF
sys.stdin.read()   # exit unmaps it: a close event, only now
PY
    start_watch_waiting --values --format=json --interval 1000 --timeout 120 run.h5
    WRITER=$PWD/mapped.py start_writer new.h5
    mv part.h5 run.h5
    wait_until 60 grep -q "cannot open run.h5 as a SWMR reader" watch.err
    send fix
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 1 values
    assert_output '[10.0, 20.0, 30.0]'
}
