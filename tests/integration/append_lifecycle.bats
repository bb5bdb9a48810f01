#!/usr/bin/env bats
# Signals, crashes, recovery, and never clobbering what exists.
load helper

# Plain h5py open (not SWMR): fails while the superblock says "open".
plain_open() {
    "$PY" -c 'import h5py,sys; h5py.File(sys.argv[1], "r").close()' "$1"
}

@test "INT, TERM, HUP and PIPE each flush pending rows and close cleanly" {
    for sig in INT:130 TERM:143 HUP:129 PIPE:141; do
        name=${sig%%:*} want=${sig##*:}
        rm -f in run.h5
        # Time never flushes here; only 5 rows at a time, or the signal.
        start_fifo_append --flush-interval 3600 --flush-rows 5 -t int64 run.h5
        # One write() of seven lines: the writer reads them in one go, so
        # once 5 are flushed, 6 and 7 are pending in its memory (a
        # handshake, where a sleep would fail on a busy machine).
        seq 1 7 >&7
        wait_until 60 has_rows 5 run.h5
        run swmr_rows run.h5
        assert_output 5
        kill -s "$name" "$pid"
        status=0; wait "$pid" || status=$?
        exec 7>&-
        assert_equal "$name:$status" "$name:$want"
        run cat err
        assert_output ""
        run h5py_dump run.h5
        assert_output "int64 (7,)
1
2
3
4
5
6
7"
    done
}

@test "SIGINT ignored by the parent (nohup, background jobs) stays ignored" {
    mkfifo in
    ( trap '' INT; exec "${APPEND[@]}" run.h5 < in ) 3>&- &
    pid=$!
    exec 7> in
    echo 1 >&7
    wait_until 60 has_rows 1 run.h5
    kill -INT "$pid"
    sleep 0.5
    kill -0 "$pid"      # still running
    exec 7>&-
    wait "$pid"
}

@test "INT and TERM stop a writer under a flood that never pauses" {
    # Input always ready: the signal must not wait for a pause that never
    # comes (it waited for ever in 0.1.0).
    for sig in INT:130 TERM:143; do
        name=${sig%%:*} want=${sig##*:}
        rm -f in run.h5
        mkfifo in
        yes 1 > in 3>&- &
        yes_pid=$!
        env --default-signal "${APPEND[@]}" -t int8 run.h5 < in 2> err 3>&- &
        pid=$!
        wait_until 60 has_rows 1000 run.h5
        kill -s "$name" "$pid"
        # A bound only so that a writer that ignores it fails the test.
        wait_until 60 eval '! kill -0 "$pid"' || kill -9 "$pid"
        status=0; wait "$pid" || status=$?
        kill "$yes_pid" 2>/dev/null || true; wait "$yes_pid" || true
        assert_equal "$name:$status" "$name:$want"
        run cat err
        assert_output ""
        # Closed cleanly (a plain open works), every row a 1.
        run "$PY" -c 'import h5py, sys; d = h5py.File("run.h5", "r")["data"][...]
print(len(d) >= 1000 and bool((d == 1).all()))'
        assert_output True
    done
}

@test "a signal while -i waits for a FIFO's writer ends it, leaving nothing" {
    mkfifo in
    env --default-signal "${APPEND[@]}" -i in run.h5 2> err 3>&- &
    pid=$!
    # Handshake: it sits in open() of the FIFO (openat is syscall 257).
    wait_until 60 eval '[ "$(cut -d" " -f1 /proc/$pid/syscall)" = 257 ]'
    kill -TERM "$pid"
    if ! wait_until 60 eval '! kill -0 "$pid"'; then
        exec 7> in; exec 7>&-   # let it out of open(), to end the test
    fi
    status=0; wait "$pid" || status=$?
    assert_equal "$status" 143
    [ ! -e run.h5 ]
}

@test "a closed file keeps no disk blocks past its end" {
    # The room reserved ahead of HDF5's writes (1 MiB) goes at close.
    seq 2 | swmr_append run.h5
    size=$(stat -c %s run.h5) used=$(( $(stat -c %b run.h5) * $(stat -c %B run.h5) ))
    echo "size $size, blocks $used"
    [ "$used" -le $((size + 65536)) ]
}

@test "kill -9: SWMR readers see every flushed row; --append recovers without loss" {
    start_fifo_append -t int64 run.h5
    seq 1 1000 >&7
    wait_until 60 has_rows 1000 run.h5
    kill -9 "$pid"
    wait "$pid" || true
    exec 7>&-
    run plain_open run.h5
    assert_failure
    assert_output --partial "already open for write"
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r",libver="latest",swmr=True)["data"][...]
print(len(d), bool((d==np.arange(1,1001)).all()))'
    assert_output "1000 True"

    run swmr_append --append run.h5 < <(seq 1001 1500)
    assert_success
    assert_output "swmr-append: run.h5: recovered file left open by a previous writer"
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r")["data"]
print(d.dtype, len(d), bool((d[...]==np.arange(1,1501)).all()))'
    assert_output "int64 1500 True"
}

@test "kill -9 at any moment of a flood leaves a readable prefix, recoverable" {
    for delay in 0.05 0.2 0.4 0.7; do
        rm -f run.h5 in
        mkfifo in
        seq 1 50000000 > in 3>&- &
        producer=$!
        "${APPEND[@]}" -t int64 --flush-rows 1000 run.h5 < in 3>&- &
        pid=$!
        sleep "$delay"
        kill -9 "$pid"
        wait "$pid" || true
        kill "$producer" 2>/dev/null || true
        wait "$producer" 2>/dev/null || true
        [ -e run.h5 ] || continue   # killed before it created the file
        run "$PY" -c 'import h5py,numpy as np
f=h5py.File("run.h5","r",libver="latest",swmr=True)
d=f["data"][...] if "data" in f else np.arange(0)
print(bool((d==np.arange(1,len(d)+1)).all()))'
        assert_output True
        seq 1 100 | swmr_append -q --append run.h5
        run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r")["data"][...]
n=len(d)-100
print(n>=0 and bool((d[:n]==np.arange(1,n+1)).all()) and bool((d[n:]==np.arange(1,101)).all()))'
        assert_output True
    done
}

# Succeeds once swmr-append has its temporary file for FILE beside it.
has_temp() {
    ls -A | grep -q "^\.$1\.swmr-append-[A-Za-z0-9]\{8\}\$"
}

@test "kill -9 while waiting for the first line leaves nothing at FILE; the next run tidies up" {
    start_fifo_append run.h5
    wait_until 60 has_temp run.h5
    kill -9 "$pid"
    wait "$pid" || true
    exec 7>&-
    [ ! -e run.h5 ]
    has_temp run.h5      # what the killed writer left
    seq 1 3 | swmr_append -t int8 run.h5
    run ls -A -I in -I err
    assert_output "run.h5"
    run h5py_dump run.h5
    assert_output $'int8 (3,)\n1\n2\n3'
}

@test "after kill -9, plain h5clear -s keeps every flushed row" {
    start_fifo_append -t int64 --flush-rows 4096 run.h5
    seq 1 300000 >&7
    wait_until 60 has_rows 300000 run.h5
    kill -9 "$pid"
    wait "$pid" || true
    exec 7>&-
    h5clear -s run.h5
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r")["data"][...]
print(len(d), bool((d==np.arange(1,300001)).all()))'
    assert_output "300000 True"
}

@test "an existing FILE is never overwritten without --force (exit 73)" {
    echo 1 | swmr_append run.h5
    before=$(md5sum < run.h5)
    run swmr_append run.h5 <<< 2
    assert_failure 73
    assert_output "swmr-append: run.h5: file exists (use --force to replace it, --append to add to it)"
    assert_equal "$(md5sum < run.h5)" "$before"
    echo "not hdf5" > notes.txt
    run swmr_append notes.txt <<< 2
    assert_failure 73
    assert_equal "$(cat notes.txt)" "not hdf5"
    run swmr_append -f run.h5 <<< 3
    assert_success
    run h5py_dump run.h5
    assert_output $'float64 (1,)\n3.0'
}

@test "--force does not replace a file another writer has open" {
    start_fifo_append run.h5
    echo 1 >&7
    wait_until 60 has_rows 1 run.h5
    run swmr_append -f run.h5 <<< 2
    assert_failure 75
    assert_output "swmr-append: run.h5: another swmr-append is writing it; wait for it to end, or write to another file"
    exec 7>&-
    wait "$pid"
    run h5py_dump run.h5
    assert_output $'float64 (1,)\n1.0'
}

@test "a FILE that is not a regular file is refused at once, even with --force" {
    mkfifo fifo
    mkdir dir
    ln -s target.h5 link.h5
    for args in "fifo" "-f fifo" "--append fifo" "dir" "-f dir"; do
        run timeout 10 "${APPEND[@]}" $args <<< 1
        assert_failure 73
    done
    run swmr_append -f fifo <<< 1
    assert_output "swmr-append: fifo: not a regular file"
    run swmr_append dir <<< 1
    assert_output "swmr-append: dir: is a directory"
    run swmr_append -f link.h5 <<< 1
    assert_failure 73
    assert_output "swmr-append: link.h5: a symbolic link; not replacing it"
    [ -p fifo ] && [ -L link.h5 ]
}

@test "a failed setup takes back the file it created" {
    "$PY" -c 'import h5py
with h5py.File("g.h5","w",libver="latest") as f: f.create_group("grp").attrs["a"]=1'
    run swmr_append --append g.h5 grp <<< 1
    assert_failure 73
    assert_output "swmr-append: g.h5: grp is a group, not a dataset"
    run swmr_append --attr "$(printf 'x%.0s' {1..300})=1" new.h5 <<< 1
    assert_failure 64
    [ ! -e new.h5 ]
    run swmr_append new.h5 data/x <<< 1
    assert_success
    run swmr_append --append new.h5 data/x/y <<< 1
    assert_failure 73
    assert_output "swmr-append: new.h5: cannot make dataset data/x/y: data/x is not a group"
}

@test "--append to a dataset wider than the first guess (100 columns)" {
    "$PY" -c 'print(*range(100))' > w.txt
    swmr_append w.h5 < w.txt
    swmr_append --append w.h5 < w.txt
    run "$PY" -c 'import h5py; d=h5py.File("w.h5","r")["data"]; print(d.shape, d[1,99])'
    assert_output "(2, 100) 99.0"
}

@test "a file made by another process while the writer waits for input is left alone" {
    start_fifo_append -t int8 run.h5
    wait_until 60 has_temp run.h5
    seq 100 102 | swmr_append run.h5
    echo 5 >&7
    exec 7>&-
    status=0; wait "$pid" || status=$?
    assert_equal "$status" 73
    run cat err
    assert_output "swmr-append: run.h5: file exists (use --force to replace it, --append to add to it)"
    run h5py_dump run.h5
    assert_output $'float64 (3,)\n100.0\n101.0\n102.0'
    run ls -A -I in -I err
    assert_output "run.h5"
}

@test "a run that fails before writing takes back the file it made" {
    run swmr_append --chunk 100000000 -t int64 new.h5 <<< 1
    assert_failure 64
    assert_output "swmr-append: --chunk 100000000: chunks of rows of 8 bytes would be over 64 MiB"
    [ ! -e new.h5 ]
    run swmr_append new.h5 <<< 'x'
    assert_failure 65
    [ ! -e new.h5 ]
}

@test "--append --header: a restarted logger may send its header again" {
    printf 't,v\n1,2\n' | swmr_append --append --header hh.h5
    printf 't,v\n3,4\n' | swmr_append --append --header hh.h5
    run h5py_dump hh.h5
    assert_output $'float64 (2, 2)\n1.0 2.0\n3.0 4.0'
    run swmr_append --append --header hh.h5 <<< $'t,w\n5,6'
    assert_failure 65
    assert_output 'swmr-append: stdin: line 1: the column names differ from the "columns" attribute of dataset data in hh.h5'
}

@test "a FILE that cannot be created is exit 73 with the reason" {
    run swmr_append no/such/dir/run.h5 <<< 1
    assert_failure 73
    assert_output "swmr-append: no/such/dir/run.h5: cannot create: No such file or directory"
}

@test "--append continues after a clean close, keeping the dataset's type" {
    seq 1 5 | swmr_append -t int16 run.h5 counts
    seq 6 8 | swmr_append --append run.h5 counts
    run h5py_dump run.h5 counts
    assert_output "int16 (8,)
1
2
3
4
5
6
7
8"
}

@test "--append creates a missing file or dataset" {
    echo 1 | swmr_append --append new.h5
    echo 2 | swmr_append --append new.h5 other
    run "$PY" -c 'import h5py; f=h5py.File("new.h5","r"); print(sorted(f), f["data"][0], f["other"][0])'
    assert_output "['data', 'other'] 1.0 2.0"
}

@test "--append refuses a dataset that does not fit, saying why" {
    printf '1 2\n' | swmr_append -t int32 run.h5
    run swmr_append --append -t float32 run.h5 <<< '3 4'
    assert_failure 73
    assert_output "swmr-append: run.h5: dataset data holds int32 values, not float32"
    run swmr_append --append --columns 3 run.h5 <<< '3 4 5'
    assert_failure 73
    assert_output "swmr-append: run.h5: dataset data has 2 columns, not 3"
    # The first record decides nothing here: the dataset's width rules, and
    # a record that does not fit it is refused (73); a later one is a bad
    # line (65).
    run swmr_append --append run.h5 <<< $'# comment\n3 4 5'
    assert_failure 73
    assert_output "swmr-append: stdin: line 2: 3 fields, but dataset data has 2 columns"
    run swmr_append --append --skip-bad run.h5 <<< '3 4 5'
    assert_failure 73
    run swmr_append --append run.h5 <<< $'3 4\n5 6 7'
    assert_failure 65
    assert_output "swmr-append: stdin: line 2: 3 fields, but dataset data has 2"
    "$PY" -c 'import h5py
with h5py.File("other.h5","w",libver="latest") as f:
    f["fixed"] = [1, 2, 3]
    f.create_dataset("names", data=["a", "b"], maxshape=(None,), chunks=(2,))'
    run swmr_append --append other.h5 fixed <<< 4
    assert_failure 73
    assert_output "swmr-append: other.h5: dataset fixed is not chunked with an unlimited first dimension: it cannot grow"
    run swmr_append --append other.h5 names <<< 4
    assert_failure 73
    assert_output "swmr-append: other.h5: dataset names holds values of a type swmr-append does not write"
    run h5py_dump run.h5
    assert_output $'int32 (2, 2)\n1 2\n3 4'
}

@test "--append to a file that is not HDF5, or too old for SWMR: one line, no HDF5 stack" {
    echo "plain text" > notes.txt
    run swmr_append --append notes.txt <<< 1
    assert_failure 65
    assert_output "swmr-append: notes.txt: not an HDF5 file: name another FILE, or replace it with --force (without --append)"
    "$PY" -c 'import h5py
with h5py.File("old.h5","w") as f: f.create_dataset("data", shape=(0,), maxshape=(None,), dtype="f8")'
    run swmr_append --append old.h5 <<< 1
    assert_failure 65
    assert_output --regexp "^swmr-append: old.h5: cannot start SWMR writing: the file was not written for HDF5 1.10 or later"
    assert_equal "${#lines[@]}" 1
    run swmr_append --debug --append notes.txt <<< 1
    assert_output --partial "HDF5-DIAG"
}

@test "--append while another process holds the file: exit 75, the writer unharmed" {
    start_fifo_append run.h5
    echo 1 >&7
    wait_until 60 has_rows 1 run.h5
    run swmr_append --append run.h5 <<< 2
    assert_failure 75
    assert_output "swmr-append: run.h5: another swmr-append is writing it; wait for it to end, or write to another file"
    echo 3 >&7
    exec 7>&-
    wait "$pid"
    run h5py_dump run.h5
    assert_output $'float64 (2,)\n1.0\n3.0'
}

@test "--append to an h5py SWMR recipe file (chunks of 2, int64)" {
    "$PY" -c 'import h5py
with h5py.File("r.h5","w",libver="latest") as f:
    d=f.create_dataset("data", shape=(0,), chunks=(2,), maxshape=(None,), dtype="int64")
    f.swmr_mode=True
    for i in range(3):
        d.resize((i+1,)); d[i]=i; d.flush()'
    seq 3 6 | swmr_append --append r.h5
    run h5py_dump r.h5
    assert_output $'int64 (7,)\n0\n1\n2\n3\n4\n5\n6'
}

@test "a file size limit is an I/O error (74); earlier rows kept, file clean" {
    seq 1 3000000 > in.txt
    run bash -c "ulimit -f 2000; exec $SWMR_BIN/swmr-append -t int64 --flush-rows 1000 -i in.txt run.h5"
    assert_failure 74
    assert_output --regexp "^swmr-append: run.h5: file size limit reached \(2048000 bytes\); kept [0-9]+ rows$"
    kept=$(sed -n 's/.*kept \([0-9]*\) rows/\1/p' <<< "$output")
    run swmr_rows run.h5
    assert_output "$kept"
    run counting_prefix run.h5 100000
    assert_output True
}

@test "a full disk is an I/O error (74); earlier rows kept, file clean" {
    mkdir small
    # A fault test that cannot run fails: run the suite as root.
    mount -t tmpfs -o size=2m tmpfs small || fail "cannot mount a tmpfs here"
    seq 1 3000000 > in.txt
    run "${APPEND[@]}" -t int64 --flush-rows 1000 -i in.txt small/run.h5
    cp small/run.h5 . 2>/dev/null
    umount small
    assert_failure 74
    assert_output --regexp "^swmr-append: small/run.h5: No space left on device; kept [0-9]+ rows$"
    kept=$(sed -n 's/.*kept \([0-9]*\) rows/\1/p' <<< "$output")
    run swmr_rows run.h5
    assert_output "$kept"
    run counting_prefix run.h5 100000
    assert_output True
}

@test "a file size limit too small for a first row: 74, and no file at all" {
    run bash -c "ulimit -f 1; echo 1 | exec $SWMR_BIN/swmr-append run.h5"
    assert_failure 74
    assert_output "swmr-append: run.h5: file size limit reached (1024 bytes)"
    run ls -A
    assert_output ""
}

@test "a file name of 255 bytes, the longest legal one, works" {
    name=$(printf 'n%.0s' {1..252}).h5
    seq 1 3 | swmr_append -t int8 "$name"
    run h5py_dump "$name"
    assert_output $'int8 (3,)\n1\n2\n3'
    run ls -A
    assert_output "$name"
}

@test "a first record wider than 1048576 fields is a bad line (65), nothing created" {
    "$PY" -c 'print(" ".join(["1"] * 1048577))' > wide.txt
    run swmr_append -i wide.txt wide.h5
    assert_failure 65
    assert_output "swmr-append: wide.txt: line 1: 1048577 fields, at most 1048576"
    [ ! -e wide.h5 ]
}

@test "--append that loses the race to create FILE checks the dataset it finds (73)" {
    # A waits for its first line; B creates FILE meanwhile with 3 columns.
    start_fifo_append --append run.h5
    wait_until 60 has_temp run.h5
    printf '1 2 3\n4 5 6\n' | swmr_append --append -t int16 run.h5
    echo 7 >&7
    exec 7>&-
    status=0; wait "$pid" || status=$?
    assert_equal "$status" 73
    run cat err
    assert_output "swmr-append: run.h5: dataset data holds int16 values in 3 columns; this input has float64 values in 1"
    run h5py_dump run.h5
    assert_output $'int16 (2, 3)\n1 2 3\n4 5 6'
    run ls -A -I in -I err
    assert_output "run.h5"
}

@test "--append that loses the race to create FILE flushes by the chunks it finds" {
    # A (default chunks) waits for its first line; B creates FILE with
    # chunks of 10 rows. A must size its flushes and reservations by those.
    start_fifo_append -v --append run.h5
    wait_until 60 has_temp run.h5
    seq 1 3 | swmr_append --append --chunk 10 run.h5
    seq 4 30 >&7
    exec 7>&-
    wait "$pid"
    run grep -F "writing data" err
    assert_output "swmr-append: run.h5: writing data float64, 1 column, 10 rows a chunk"
    run counting_prefix run.h5 29
    assert_output True
}

@test "a temporary file a killed --force left is tidied by the next --append" {
    seq 1 2 | swmr_append -t int8 run.h5
    start_fifo_append --force -t int8 run.h5
    wait_until 60 has_temp run.h5
    kill -9 "$pid"
    wait "$pid" || true
    exec 7>&-
    has_temp run.h5
    seq 3 4 | swmr_append --append run.h5
    run ls -A -I in -I err
    assert_output "run.h5"
    run h5py_dump run.h5
    assert_output $'int8 (4,)\n1\n2\n3\n4'
}

@test "two runs racing to create FILE: one wins, the other says it exists" {
    # The winner's sweep of stale temporary files once took the loser's
    # brand-new one (made, not yet locked), and the loser said HDF5's
    # "can't retrieve stat info for file".
    for round in $(seq 10); do
        rm -f run.h5 a.err b.err
        seq 100 | swmr_append -t int64 run.h5 2> a.err & a=$!
        seq 100 | swmr_append -t int64 run.h5 2> b.err & b=$!
        sa=0; wait "$a" || sa=$?
        sb=0; wait "$b" || sb=$?
        echo "round $round: $sa $sb: $(cat a.err b.err)"
        [ $((sa + sb)) -eq 73 ]
        run cat a.err b.err
        assert_output --regexp '^swmr-append: run\.h5: file exists'
        run counting_prefix run.h5 99
        assert_output True
    done
    run ls -A
    assert_output $'a.err\nb.err\nrun.h5'
}

@test "a signal with an unfinished line buffered says so; the whole lines are kept" {
    for sig in INT TERM; do
        rm -f in run.h5
        start_fifo_append --flush-interval 0.01 run.h5
        # One write (cat), so the unfinished "345" (or "3") is read with
        # the two lines that make the rows waited for (bash's printf
        # writes line by line).
        [ "$sig" = INT ] && printf '1\n2\n345' > batch || printf '1\n2\n3' > batch
        cat batch >&7
        wait_until 60 has_rows 2 run.h5
        kill -"$sig" "$pid"
        status=0; wait "$pid" || status=$?
        exec 7>&-
        if [ "$sig" = INT ]; then
            assert_equal "$status" 130
            assert_equal "$(cat err)" "swmr-append: stdin: stopped by SIGINT; an unfinished line of 3 bytes was read but not stored"
        else
            assert_equal "$status" 143
            assert_equal "$(cat err)" "swmr-append: stdin: stopped by SIGTERM; an unfinished line of 1 byte was read but not stored"
        fi
        run h5py_dump run.h5
        assert_output $'float64 (2,)\n1.0\n2.0'
    done
}

@test "--append to an empty FILE makes it anew, whatever its name; anything else not HDF5 is refused" {
    : > empty.txt
    run swmr_append --append empty.txt <<< 1
    assert_success
    run h5py_dump empty.txt
    assert_output $'float64 (1,)\n1.0'
    echo x > full.txt
    run swmr_append --append full.txt <<< 1
    assert_failure 65
    assert_equal "$(cat full.txt)" x
}
