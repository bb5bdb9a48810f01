#!/usr/bin/env bats
# Faults around swmr-append: kill -9 at each pwrite of a start, writes that
# fail, readers and other writers beside it, FILE moved away under it.
# The sweeps are scripts/torture's (sweep-kill, sweep-error): one run per N
# with a fault injected by strace at the Nth pwrite64, N = 1, 2, ... until the
# run no longer meets it. Their output names each N that broke a promise.
load helper
load fault_helper

# A test that failed half-way leaves no reader or writer running.
teardown() {
    if [ -n "${reader:-}" ]; then
        touch "$BATS_TEST_TMPDIR/stop"
        wait "$reader" 2>/dev/null || true
    fi
    if [ -n "${pid:-}" ]; then
        kill -9 "$pid" 2>/dev/null || true
    fi
}

@test "strace injection reaches swmr-append (what every sweep relies on)" {
    need_strace
    status=0
    seq 1 10 | strace -f -o trace -e trace=pwrite64 \
        -e inject=pwrite64:signal=SIGKILL:when=1 "$SWMR_BIN/swmr-append" run.h5 || status=$?
    assert_equal "status $status" "status 137"
    run tail -1 trace
    assert_output --partial "+++ killed by SIGKILL +++"
}

# A. After a kill at any pwrite of a start (and of its first flushes): FILE
# is absent (fresh start only) or an h5py SWMR reader opens it and finds
# exactly 1..k, every row of the starting file kept, k never smaller than
# after a kill one pwrite earlier; a following --append gives 1..k and its
# own rows, closes cleanly, and leaves nothing but FILE in the folder.

@test "kill -9 at each pwrite of a fresh start: no FILE, or 1..k for SWMR readers; recovery" {
    sweep sweep-kill fresh
}

@test "kill -9 at each pwrite of --append to a clean file: 1..k for SWMR readers; recovery" {
    sweep sweep-kill append
}

@test "kill -9 at each pwrite of --append to a file left by a killed writer: 1..k; recovery" {
    sweep sweep-kill crashed
}

@test "kill -9 at each pwrite of --append of a new dataset: only its creation window needs a plain --append" {
    # HDF5 1.10 creates objects only before SWMR writing starts; a kill in
    # that window leaves a file SWMR readers refuse. There, and only there,
    # `swmr-append --append run.h5 data </dev/null` must repair it with
    # every row. The sweep counts those cases.
    sweep sweep-kill newdset
}

# B. A write that fails never leaves a row that was not written:
# `seq 1 5000 | swmr-append -t int64 --chunk 1000 --flush-rows 500 run.h5`
# with the Nth pwrite64 failing exits 74 saying "kept K rows", the file holds
# exactly 1..K for a SWMR reader, and a later --append goes on from K.

@test "ENOSPC at each pwrite: exit 74, \"kept K rows\", exactly 1..K in the file, --append goes on" {
    sweep sweep-error ENOSPC
}

@test "EIO at each pwrite: exit 74, \"kept K rows\", exactly 1..K in the file, --append goes on" {
    sweep sweep-error EIO
}

# C. A reader never makes the writer fail; a second writer is refused.

@test "an h5py SWMR reader open before the first record, polling through the start: exit 0, all rows" {
    start_reader run.h5
    start_writer -t int64 run.h5
    # Where FILE exists before the first record, the reader is in it first.
    wait_until 60 waiting_for_input "$pid" ||
        fail "swmr-append never waited for input: $(cat err)"
    if [ -e run.h5 ]; then
        wait_until 60 reader_is_open ||
            fail "the reader never opened run.h5: $(cat reader.err)"
    else
        echo "# no run.h5 before the first record: the reader opens it when it can" >&3
    fi
    send echo 1
    # The start happens now, with the reader polling: wait for the row (or
    # for the writer's end), then the rest.
    wait_until 60 rows_or_writer_gone 1 run.h5
    send seq 2 500
    finish_writer
    assert_equal "writer status $status: $(cat err)" "writer status 0: "
    stop_reader
    run plain_count run.h5
    assert_output "500 True"
}

@test "a reader holding the file across --append (clean file, killed writer's file): exit 0, all rows" {
    seq 1 5 | swmr_append -t int64 run.h5
    start_reader run.h5
    wait_until 60 reader_is_open
    run swmr_append --append run.h5 < <(seq 6 10)
    assert_success
    stop_reader

    # A writer killed after rows 11-15 were visible, then a reader in the file.
    start_writer --append run.h5
    send seq 11 15
    wait_until 60 has_rows 15 run.h5
    kill -9 "$pid"
    finish_writer
    start_reader run.h5
    wait_until 60 reader_is_open
    run swmr_append --append run.h5 < <(seq 16 20)
    assert_success
    stop_reader
    run plain_count run.h5
    assert_output "20 True"
}

@test "a reader holding the file across --force: exit 0, new rows; the reader keeps the old file" {
    seq 1 5 | swmr_append -t int64 run.h5
    start_reader run.h5
    wait_until 60 reader_is_open
    run swmr_append --force -t int64 run.h5 < <(seq 1 3)
    assert_success
    stop_reader
    run plain_count run.h5
    assert_output "3 True"
    run cat reader.out
    assert_output "data 5"
}

@test "a second writer (--append, --force) while one writes: exit 75, one clear line; the first unharmed" {
    start_writer -t int64 run.h5
    send seq 1 3
    wait_until 60 has_rows 3 run.h5
    for opt in --append --force; do
        run swmr_append "$opt" -t int64 run.h5 <<< 100
        assert_failure 75
        assert_equal "${#lines[@]}" 1
        assert_output --regexp '^swmr-append: run\.h5: .*(in use|writ)'
    done
    send seq 4 6
    finish_writer
    assert_equal "writer status $status: $(cat err)" "writer status 0: "
    run plain_count run.h5
    assert_output "6 True"
}

@test "h5py opening the file \"a\" or \"r+\" while swmr-append writes fails; the writer unharmed" {
    start_writer -t int64 run.h5
    send seq 1 3
    wait_until 60 has_rows 3 run.h5
    for mode in a r+; do
        run "$PY" -c 'import h5py,sys; h5py.File(sys.argv[1], sys.argv[2]).close()' run.h5 "$mode"
        assert_failure 1
    done
    send seq 4 6
    finish_writer
    assert_equal "writer status $status: $(cat err)" "writer status 0: "
    run plain_count run.h5
    assert_output "6 True"
}

# D. FILE moved over or removed under a writer fed slowly through a fifo: it
# notices after its next flush, within about a second, and exits 72 naming
# the rows that went to the old file.

# ACTION (mv or rm) while writing; checks all of the above. The old file is
# read back through fd 8, held open on it from before.
file_goes_away() {
    make_other_h5 other.h5
    local want_md5
    want_md5=$(md5sum < other.h5)
    start_writer -t int64 run.h5
    send seq 1 5
    wait_until 60 has_rows 5 run.h5
    exec 8< run.h5
    if [ "$1" = mv ]; then mv other.h5 run.h5; else rm run.h5; fi
    local gone_at
    gone_at=$(now_us)
    # A slow producer: a row every 0.1 s, for 3 s at most.
    ( trap '' PIPE; for i in $(seq 6 35); do echo "$i" || exit 0; sleep 0.1; done ) >&7 2>/dev/null 3>&- &
    local producer=$!
    finish_writer
    local took_ms=$((($(now_us) - gone_at) / 1000))
    wait "$producer" || true
    assert_equal "writer status $status after ${took_ms} ms: $(cat err)" \
                 "writer status 72 after ${took_ms} ms: $(cat err)"
    [ "$took_ms" -le 3000 ] || fail "noticed after ${took_ms} ms (about a second expected)"
    [[ $(cat err) =~ ([0-9]+)\ rows ]] || fail "no \"N rows\" in: $(cat err)"
    local n=${BASH_REMATCH[1]}
    cp "/proc/$BASHPID/fd/8" old.h5
    exec 8<&-
    run swmr_count old.h5
    assert_output "$n True"
    [ "$n" -ge 5 ] || fail "\"$n rows\", but 5 were visible before"
    if [ "$1" = mv ]; then
        assert_equal "$(md5sum < run.h5)" "$want_md5"   # the new file untouched
    fi
}

@test "FILE moved over while swmr-append writes: exit 72 within about a second, \"N rows\" in the old file" {
    file_goes_away mv
}

@test "FILE removed while swmr-append writes: exit 72 within about a second, \"N rows\" in the old file" {
    file_goes_away rm
}

@test "a full disk while --append opens FILE is an I/O error (74); the file unharmed" {
    need_strace
    seq 1 3 | swmr_append -t int64 run.h5
    run bash -c 'seq 4 5 | strace -f -o /dev/null \
        -e inject=pwrite64:error=ENOSPC:when=1 "$@" --append run.h5' _ "${APPEND[@]}"
    assert_equal "$status" 74
    assert_output --partial "No space left on device"
    seq 4 5 | swmr_append --append run.h5
    run counting_prefix run.h5 4
    assert_output True
}

@test "kill -9 at each pwrite of a compound with --timestamp: no FILE, or whole rows 1..k; recovery" {
    need_strace
    rows() { for i in $(seq "$1" "$2"); do echo "$i,$i.5"; done; }
    check() {
        "$PY" - "$@" <<'PY'
import sys, h5py, numpy as np
path, mode, want = sys.argv[1], sys.argv[2], sys.argv[3]
kw = dict(libver="latest", swmr=True) if mode == "swmr" else {}
with h5py.File(path, "r", **kw) as f:
    d = f["data"][...]
k = len(d)
ok = (d.dtype.names == ("time", "n", "x") and (d["n"] == np.arange(1, k + 1)).all()
      and (d["x"] == d["n"] + 0.5).all() and (d["time"] > 1.7e9).all())
print(k if ok and (want == "any" or k == int(want)) else "bad %r" % (d.tolist(),))
PY
    }
    local n=1 kept=0
    while :; do
        rm -rf "k$n"; mkdir "k$n"
        status=0
        rows 1 10 | (cd "k$n" && strace -f -o /dev/null -e "inject=pwrite64:signal=SIGKILL:when=$n" \
            "${APPEND[@]}" -q --timestamp -t int64,float32 --columns=n,x --chunk 4 \
            --flush-rows 4 --flush-interval 3600 run.h5) || status=$?
        if [ "$status" -eq 0 ]; then
            assert_equal "$(check "k$n/run.h5" plain 10)" 10
            break
        fi
        [ "$status" -eq 137 ] || fail "pwrite64 $n: exit $status, not killed"
        if [ -e "k$n/run.h5" ]; then
            k=$(check "k$n/run.h5" swmr any)
            [[ $k =~ ^[0-9]+$ ]] || fail "pwrite64 $n: SWMR reader found $k"
            [ "$k" -ge "$kept" ] || fail "pwrite64 $n: $k rows, a kill at an earlier write kept $kept"
            kept=$k
            rows $((k + 1)) $((k + 5)) | (cd "k$n" && "${APPEND[@]}" -q --append --timestamp run.h5)
            assert_equal "$(check "k$n/run.h5" plain $((k + 5)))" $((k + 5))
        fi
        n=$((n + 1))
        [ "$n" -lt 200 ] || fail "the run never ended without meeting a fault"
    done
    echo "# compound kill sweep: faults at pwrite64 1..$((n - 1)), the run ends at $n" >&3
}
