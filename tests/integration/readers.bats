#!/usr/bin/env bats
# Which readers open a live file, which only a closed one, and what makes a
# file a killed writer left open to them all: what the README and the man
# pages say, each claim run here.

load helper

# A plain reader: h5py without swmr=True.
plain_rows() {
    "$PY" -c 'import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    print(f["data"].shape[0])' "$1"
}

@test "a live file: SWMR readers (h5py swmr=True, swmr-watch) read it; h5dump, h5ls, plain h5py are refused" {
    start_fifo_append -t int32 run.h5
    seq 1 5 >&7
    wait_until 60 has_rows 5 run.h5
    run swmr_watch --once run.h5
    assert_success
    assert_output --partial "[5]"
    run h5dump -H run.h5
    assert_failure
    assert_output --partial 'unable to open file'
    run h5ls run.h5
    assert_failure
    run plain_rows run.h5
    assert_failure
    exec 7>&-
    wait "$pid"
    # Closed: every reader.
    run h5dump -d data run.h5
    assert_success
    assert_output --partial '(0): 1, 2, 3, 4, 5'
    run h5ls run.h5
    assert_output --regexp '^data +Dataset \{5/Inf\}$'
    run plain_rows run.h5
    assert_output 5
}

@test "an h5py SWMR reader with HDF5's default locking, left open, never stops the writer" {
    start_fifo_append -t int32 run.h5
    seq 1 5 >&7
    wait_until 60 has_rows 5 run.h5
    # The reader holds the file (and HDF5's shared lock) until told to let go.
    mkfifo go
    "$PY" -c 'import sys, h5py
f = h5py.File("run.h5", "r", libver="latest", swmr=True)
d = f["data"]
print(d.shape[0], flush=True)
sys.stdin.readline()
d.refresh()
print(d.shape[0], flush=True)' < go > reader.out 3>&- 7>&- &
    reader=$!
    exec 8> go
    wait_until 60 grep -qx 5 reader.out
    seq 6 10 >&7
    exec 7>&-
    wait "$pid"          # the writer closed the file with the reader there
    echo >&8
    exec 8>&-
    wait "$reader"
    run cat reader.out
    assert_output $'5\n10'
    # And a writer can take the file up again while a reader holds it.
    "$PY" -c 'import h5py, time
f = h5py.File("run.h5", "r", libver="latest", swmr=True)
time.sleep(3600)' 3>&- 8>&- &
    holder=$!
    wait_until 60 eval "grep -q run.h5 <(ls -l /proc/$holder/fd 2>/dev/null)"
    seq 11 12 | swmr_append --append run.h5
    # Its lock does stop an HDF5 writer that locks, h5py's own; one with
    # HDF5_USE_FILE_LOCKING=FALSE is let in.
    run "$PY" -c 'import h5py; h5py.File("run.h5", "a").close()'
    assert_failure
    assert_output --partial "unable to lock file"
    HDF5_USE_FILE_LOCKING=FALSE "$PY" -c 'import h5py; h5py.File("run.h5", "a").close()'
    kill "$holder"
    run plain_rows run.h5
    assert_output 12
}

@test "after kill -9: SWMR readers read every flushed row; plain readers need swmr-append --append or h5clear -s --increment" {
    start_fifo_append -t int32 run.h5
    seq 1 1000 >&7
    wait_until 60 has_rows 1000 run.h5
    kill -9 "$pid"
    wait "$pid" || true
    exec 7>&-
    run swmr_rows run.h5
    assert_output 1000
    run h5dump -H run.h5
    assert_failure
    run plain_rows run.h5
    assert_failure
    cp run.h5 copy.h5
    swmr_append --append run.h5 </dev/null
    run plain_rows run.h5
    assert_output 1000
    h5clear -s --increment copy.h5
    run plain_rows copy.h5
    assert_output 1000
}

@test "why --increment: a killed writer that flushed only its dataset loses its rows to plain h5clear -s" {
    "$PY" - <<'PY'
import os, signal, h5py
pid = os.fork()
if pid == 0:
    f = h5py.File("run.h5", "w", libver="latest")
    d = f.create_dataset("data", shape=(0,), maxshape=(None,), dtype="i4",
                         chunks=(1000,))
    f.swmr_mode = True
    for n in range(0, 30000, 1000):
        d.resize((n + 1000,))
        d[n:n + 1000] = range(n, n + 1000)
        d.flush()           # H5Dflush: the superblock's end is stale
    os.kill(os.getpid(), signal.SIGKILL)
os.waitpid(pid, 0)
PY
    cp run.h5 plain.h5
    cp run.h5 ours.h5
    h5clear -s plain.h5
    run "$PY" -c 'import h5py; print(h5py.File("plain.h5", "r")["data"][-1])'
    assert_failure
    assert_output --partial "addr overflow"
    h5clear -s --increment run.h5
    run "$PY" -c 'import h5py; print(h5py.File("run.h5", "r")["data"][-1])'
    assert_output 29999
    swmr_append --append ours.h5 </dev/null
    run "$PY" -c 'import h5py; print(h5py.File("ours.h5", "r")["data"][-1])'
    assert_output 29999
}

@test "the man pages never advise plain h5clear -s, only with --increment or as the caveat" {
    local man
    for man in "$BATS_TEST_DIRNAME"/../../man/*.1; do
        # Each mention of "h5clear -s" with the lines around it: with
        # --increment, or the caveat ("plain h5clear -s ..."), or what it
        # does to swmr-append's own files ("even h5clear -s keeps ...").
        run awk '/h5clear \\-s/ { line = $0; getline nxt
                     if (prev line nxt !~ /increment|[Pp]lain|even/)
                         print FILENAME ": " line }
                 { prev = $0 }' "$man"
        assert_output ""
    done
}
