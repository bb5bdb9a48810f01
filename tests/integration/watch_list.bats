#!/usr/bin/env bats
# swmr-watch --list: the datasets that can grow, one absolute path a line,
# read as a SWMR reader that never blocks a writer; files it cannot read
# refused as a watch refuses them.

load watch_helper

@test "--list prints every dataset that can grow, nested ones with their groups" {
    make_run_file
    run swmr_watch --list run.h5
    assert_success
    assert_output "/data
/grp/sub/x
/odd name"
}

@test "--list leaves out what cannot grow, lists (1, N) datasets, and a dataset linked twice once" {
    make_run_file
    "$PY" - <<'PY'
import h5py
with h5py.File("run.h5", "a", libver="latest") as f:
    f.create_dataset("contiguous", data=[1, 2, 3])
    f.create_dataset("full", shape=(4,), maxshape=(4,), chunks=(2,))
    f.create_dataset("wide", shape=(1, 0), maxshape=(1, None), chunks=(1, 8))
    f["grp/also"] = f["data"]
PY
    run swmr_watch -l run.h5
    assert_success
    assert_output "/data
/grp/sub/x
/odd name
/wide"
}

@test "--list escapes control characters and backslashes; printf %b gives the names back" {
    "$PY" - <<'PY'
import h5py
with h5py.File("run.h5", "w", libver="latest") as f:
    for name in ["new\nline", "tab\tx", "back\\slash", "héllo"]:
        f.create_dataset(name, shape=(0,), maxshape=(None,), chunks=(4,))
PY
    run swmr_watch --list run.h5
    assert_success
    assert_output '/back\\slash
/héllo
/new\nline
/tab\tx'
    # Read back as a script would: one name a line, then %b.
    swmr_watch --list run.h5 | while IFS= read -r line; do
        printf '%b\0' "$line"
    done >names
    run "$PY" -c 'import sys; print(open("names", "rb").read().split(b"\0")[:-1] == [b"/back\\slash", "/héllo".encode(), b"/new\nline", b"/tab\tx"])'
    assert_output True
}

@test "--list of a file without a dataset that can grow prints nothing, exit 0" {
    "$PY" -c 'import h5py; h5py.File("run.h5", "w", libver="latest").create_dataset("c", data=[1])'
    run swmr_watch --list run.h5
    assert_success
    assert_output ""
}

@test "--list reads a file while swmr-append writes it, and the writer goes on" {
    mkfifo in
    "${APPEND[@]}" --flush-interval 0 run.h5 <in 2>append.err 3>&- &
    WRITER_PID=$!
    exec 7>in
    seq 1 5 >&7
    wait_rows run.h5 data 5
    # The writer is alive with the file open in SWMR mode (stdin held).
    run swmr_watch --list run.h5
    assert_success
    assert_output "/data"
    kill -0 "$WRITER_PID"
    seq 6 10 >&7
    wait_rows run.h5 data 10
    run swmr_watch --list run.h5
    assert_output "/data"
    exec 7>&-
    wait "$WRITER_PID"
    run counting_prefix run.h5 9
    assert_output True
}

@test "--list of a missing file: 66, named; of a directory: 66" {
    run swmr_watch --list missing.h5
    assert_failure 66
    assert_output "swmr-watch: cannot open missing.h5: No such file or directory"
    mkdir folder.h5
    run swmr_watch --list folder.h5
    assert_failure 66
    assert_output "swmr-watch: folder.h5 is a directory"
}

# The bound of 60 s only stops a broken test: a FIFO nobody writes held
# --list forever when it was opened.
@test "--list of a FIFO, a device or a socket: 66 at once, named" {
    mkfifo pipe.h5
    "$PY" -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock.h5")'
    run timeout 60 "${WATCH[@]}" --list pipe.h5
    assert_failure 66
    assert_output "swmr-watch: pipe.h5 is a FIFO, not a regular file"
    run timeout 60 "${WATCH[@]}" --list /dev/null
    assert_failure 66
    assert_output "swmr-watch: /dev/null is a character device, not a regular file"
    run timeout 60 "${WATCH[@]}" --list sock.h5
    assert_failure 66
    assert_output "swmr-watch: sock.h5 is a socket, not a regular file"
}

@test "--list of a file that is not HDF5, empty, or of the old format: 65" {
    echo "1 2 3" >notes.txt
    run swmr_watch --list notes.txt
    assert_failure 65
    assert_output "swmr-watch: notes.txt is not an HDF5 file"
    : >empty.h5
    run swmr_watch --list empty.h5
    assert_failure 65
    assert_output --partial "empty.h5 is empty or still being created"
    "$PY" -c 'import h5py; h5py.File("old.h5", "w").create_dataset("d", shape=(0,), maxshape=(None,))'
    run swmr_watch --list old.h5
    assert_failure 65
    assert_output --partial "old.h5 uses a format older than HDF5 1.10"
}

@test "--list with a DATASET, FILE/DATASET or a watch option is a usage error" {
    make_run_file
    run swmr_watch --list run.h5 data
    assert_failure 64
    assert_output --partial "--list lists every dataset of FILE that can grow: give FILE alone"
    run swmr_watch --list run.h5/data
    assert_failure 64
    assert_output --partial "give FILE alone"
    for option in --values --once --wait --follow --poll --format=text \
        --interval=1 --last=1 --until=1 --count=1 --timeout=1 --fields=a; do
        run swmr_watch --list "$option" run.h5
        assert_failure 64
        assert_output --partial "--list and ${option%%=*} may not be combined"
    done
    run swmr_watch -w -l run.h5
    assert_failure 64
    assert_output --partial "--list and --wait may not be combined"
}

@test "--list goes with -q, -v and --debug" {
    make_run_file
    run swmr_watch -lq run.h5
    assert_success
    assert_line --index 0 "/data"
    run swmr_watch --verbose --debug --list run.h5
    assert_success
    assert_line --index 0 "/data"
}

@test "--list into a full device: 74" {
    make_run_file
    run bash -c '"$@" >/dev/full' _ "${WATCH[@]}" --list run.h5
    assert_failure 74
    assert_output --partial "cannot write the list"
}

@test "--list in --help" {
    run swmr_watch --help
    assert_output --partial "-l, --list"
    assert_output --partial "--list FILE"
}
