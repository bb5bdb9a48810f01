#!/usr/bin/env bats
# --compress: rows still reach SWMR readers within --flush-interval (the
# last, partly filled chunk is compressed by swmr-append and rewritten in
# place: see src/swmr-append/h5chunk.h), exactly, through kills and
# --append. Handshakes only: a reader reports what it saw, the test waits
# for it with a generous bound.
load helper
load fault_helper

teardown() {
    [ -n "${live:-}" ] && { touch "$BATS_TEST_TMPDIR/live.stop"; wait "$live" 2>/dev/null || true; }
    [ -n "${pid:-}" ] && { kill -9 "$pid" 2>/dev/null || true; }
    return 0
}

# A SWMR reader that stays open on FILE, refreshing: each time it checks
# that the dataset holds exactly 1..n and writes n to live.seen, until
# live.stop exists. A read error is counted (a reader may catch the last
# chunk while it is rewritten: zlib's checksum refuses it) and retried;
# wrong values end it with status 1.
start_live_reader() {
    rm -f live.seen live.stop live.out
    "$PY" - "$1" > live.out 2>&1 3>&- 7>&- <<'PY' &
import os, sys, time, h5py, numpy as np
path = sys.argv[1]
while True:
    try:
        f = h5py.File(path, "r", libver="latest", swmr=True)
        d = f["data"]
        break
    except (OSError, KeyError):
        time.sleep(0.01)
errors = 0
while True:
    stop = os.path.exists("live.stop")
    try:
        d.refresh()
        v = d[...]
    except OSError as e:
        errors += 1
        if errors > 100:
            sys.exit("read errors: %s" % e)
        continue
    if not (v == np.arange(1, len(v) + 1)).all():
        sys.exit("wrong values at %d rows: %s" % (len(v), v[:20]))
    with open("live.seen.tmp", "w") as out:
        out.write(str(len(v)))
    os.rename("live.seen.tmp", "live.seen")
    if stop:
        break
    time.sleep(0.005)
print("read errors:", errors)
PY
    live=$!
}
live_sees() { [ -e live.seen ] && [ "$(cat live.seen)" -ge "$1" ]; }

@test "--compress: a live SWMR reader sees each batch, in partial and completed chunks, exactly" {
    start_writer -t int64 --compress 4 --chunk 100 --flush-interval 0.05 run.h5
    send seq 1 30
    wait_until 30 test -e run.h5
    start_live_reader run.h5
    # 30: a partial first chunk; 130, 250: a completed chunk and a partial
    # one; 400: several chunks at once; 401: one row into a new chunk.
    local from=1 to
    for to in 30 130 250 400 401; do
        [ "$from" -gt 30 ] && send seq "$from" "$to"
        wait_until 60 live_sees "$to" || fail "the reader saw $(cat live.seen 2>/dev/null) rows, not $to"
        alive "$pid" || fail "the writer ended"
        from=$((to + 1))
    done
    finish_writer
    assert_equal "$status" 0
    touch live.stop
    wait "$live" || fail "$(cat live.out)"
    live=
    echo "# live reader: $(cat live.out)" >&3
    run counting_prefix run.h5 400
    assert_output True
    # h5dump reads the closed file too, with the filters listed.
    run h5dump -d data -p -A run.h5
    assert_output --partial "SHUFFLE"
    assert_output --partial "DEFLATE"
}

@test "--compress without --flush-interval: rows still reach readers (within 1 s)" {
    start_writer -t int64 --compress 6 run.h5
    send seq 1 5
    # The chunk holds 8192 rows: before, nothing showed until it filled.
    wait_until 60 has_rows 5 run.h5 || fail "5 rows never reached a reader"
    run swmr_count run.h5
    assert_output "5 True"
    alive "$pid"
    finish_writer
    assert_equal "$status" 0
}

@test "--compress --flush-rows: a flood is flushed every so many rows" {
    start_writer -t int64 --compress 1 --chunk 1000 --flush-rows 10 --flush-interval 3600 run.h5
    send seq 1 25
    # Only --flush-rows can flush here: 20 rows, never 25 until the end.
    wait_until 60 has_rows 20 run.h5 || fail "--flush-rows did not flush"
    run swmr_count run.h5
    assert_output "20 True"
    finish_writer
    run counting_prefix run.h5 24
    assert_output True
}

@test "--append to a compressed dataset that ends mid-chunk goes on from its rows" {
    seq 1 150 | swmr_append -t int64 --compress 4 --chunk 100 run.h5
    seq 151 260 | swmr_append --append run.h5
    seq 261 261 | swmr_append --append run.h5
    run counting_prefix run.h5 260
    assert_output True
    run h5py_dump run.h5
    assert_line --index 0 "int64 (261,)"
}

@test "--append to an h5py gzip+shuffle big-endian dataset mid-chunk: its type, exact values" {
    "$PY" -c 'import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w", libver="latest") as f:
    f.create_dataset("data", data=np.arange(1, 151, dtype=">i8"), chunks=(100,),
                     maxshape=(None,), compression="gzip", shuffle=True)' run.h5
    seq 151 420 | swmr_append --append run.h5
    run counting_prefix run.h5 419
    assert_output True
    run "$PY" -c 'import h5py, sys
d = h5py.File(sys.argv[1], "r")["data"]
print(d.dtype.str, d.compression, d.shuffle)' run.h5
    assert_output ">i8 gzip True"
}

@test "--append to a dataset with filters swmr-append does not write (fletcher32): whole chunks, exact" {
    "$PY" -c 'import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w", libver="latest") as f:
    f.create_dataset("data", data=np.arange(1, 151, dtype="<i8"), chunks=(100,),
                     maxshape=(None,), compression="gzip", fletcher32=True)' run.h5
    seq 151 420 | swmr_append --append run.h5
    run counting_prefix run.h5 419
    assert_output True
}

@test "--compress with incompressible rows: every chunk deflated (mask 0), read back exactly, also after --append" {
    "$PY" -c 'import numpy as np, sys
np.random.default_rng(7).integers(0, 2**63, 250, dtype=np.int64).tofile(sys.argv[1])' rand.bin
    # 199 rows: the second chunk, 99 random rows and one of zeros, does not
    # shrink either. A filter mask that changed in place would leave the
    # chunk read with the wrong filters.
    head -c 1592 rand.bin | swmr_append --input-format=binary -t int64 --compress 9 --chunk 100 --flush-rows 7 run.h5
    run "$PY" -c 'import h5py, sys
d = h5py.File(sys.argv[1], "r")["data"]
print([d.id.get_chunk_info(i).filter_mask for i in range(2)])' run.h5
    assert_output "[0, 0]"
    tail -c +1593 rand.bin | swmr_append --append --input-format=binary -t int64 run.h5
    run "$PY" -c 'import h5py, numpy as np, sys
d = h5py.File(sys.argv[1], "r")["data"][...]
print(len(d), bool((d == np.fromfile(sys.argv[2], dtype="<i8")).all()))' run.h5 rand.bin
    assert_output "250 True"
}

@test "--compress: noisy rows in tiny chunks, flushed row by row, all read back (no chunk read with the wrong filters)" {
    "$PY" -c 'import numpy as np
for x in np.random.default_rng(3).integers(0, 2**64 - 1, 2000, dtype=np.uint64): print(x)' > u64.txt
    swmr_append -t uint64 --compress 4 --flush-rows 100 -i u64.txt big.h5
    "$PY" -c 'import numpy as np
for x in np.random.default_rng(5).standard_normal(200): print(repr(float(x)))' > f.txt
    swmr_append --compress 4 --chunk 4 --flush-rows 1 -i f.txt small.h5
    run "$PY" - <<'PY'
import h5py, numpy as np
for path, txt, t in (("big.h5", "u64.txt", np.uint64), ("small.h5", "f.txt", np.float64)):
    d = h5py.File(path, "r")["data"][...]
    print(len(d), bool((d == np.loadtxt(txt, dtype=t)).all()))
PY
    assert_output "2000 True
200 True"
    run h5dump -d data small.h5
    assert_success
}

@test "--append --compress to another writer's chunks: filters skipped, padded past zlib's bound, shuffle alone" {
    "$PY" - <<'PY'
import h5py, numpy as np, zlib
a = np.arange(1, 51, dtype="<i8")
with h5py.File("masked.h5", "w", libver="latest") as f:
    d = f.create_dataset("data", shape=(50,), maxshape=(None,), chunks=(100,), dtype="<i8", compression="gzip")
    full = np.zeros(100, dtype="<i8"); full[:50] = a
    d.id.write_direct_chunk((0,), full.tobytes(), filter_mask=1)   # deflate skipped
with h5py.File("padded.h5", "w", libver="latest") as f:
    d = f.create_dataset("data", shape=(50,), maxshape=(None,), chunks=(100,), dtype="<i8", compression="gzip")
    full = np.zeros(100, dtype="<i8"); full[:50] = a
    z = zlib.compress(full.tobytes())
    d.id.write_direct_chunk((0,), z + bytes(3000 - len(z)))
with h5py.File("shuffled.h5", "w", libver="latest") as f:
    f.create_dataset("data", data=a, maxshape=(None,), chunks=(100,), shuffle=True)
PY
    for f in masked padded shuffled; do
        seq 51 60 | swmr_append -a --flush-rows 3 $f.h5
        seq 61 130 | swmr_append -a $f.h5
        run counting_prefix $f.h5 129
        assert_equal "$f $output" "$f True"
    done
}

# The writer for the kill tests: 400 rows in batches of 7, a flush at each
# pause (--flush-interval 0), chunks of 50 rows.
trickle() {
    "$PY" -c 'import sys, time
for i in range(1, 401, 7):
    sys.stdout.write("".join("%d\n" % j for j in range(i, min(i + 7, 401))))
    sys.stdout.flush()
    time.sleep(0.002)'
}

# After a kill: a SWMR reader finds exactly 1..k with k >= $1, and --append
# goes on from there to a cleanly closed 1..500.
check_after_kill() {
    run swmr_count run.h5
    local k=${output% *}
    assert_equal "${output#* }" True
    [ "$k" -ge "$1" ] || fail "only $k rows after the kill; a reader had seen $1"
    seq $((k + 1)) 500 | swmr_append --append run.h5
    run counting_prefix run.h5 499
    assert_output True
}

@test "--compress: kill -9 at a random pwrite keeps every flushed row; --append recovers" {
    need_strace
    local n placed=0
    for n in $((RANDOM % 20 + 1)) $((RANDOM % 80 + 20)) $((RANDOM % 300 + 100)); do
        echo "# kill at pwrite $n" >&3
        rm -f run.h5
        status=0
        trickle | strace -f -o /dev/null -e inject=pwrite64:signal=SIGKILL:when="$n" \
            "$SWMR_BIN/swmr-append" -t int64 --compress 4 --chunk 50 \
            --flush-interval 0 run.h5 || status=$?
        [ -e run.h5 ] || continue   # killed before the file was placed
        placed=$((placed + 1))
        check_after_kill 0
    done
    [ "$placed" -gt 0 ] || fail "every kill came before the file was placed"
}

@test "--compress: kill -9 at a random moment while a reader follows; every row it saw is kept" {
    start_writer -t int64 --compress 4 --chunk 50 --flush-interval 0 run.h5
    local batches=$((RANDOM % 40 + 1)) i seen=0
    echo "# kill after $batches batches" >&3
    for ((i = 0; i < batches; i++)); do
        send seq $((i * 7 + 1)) $((i * 7 + 7))
        seen=$((i * 7 + 7))
        # Every other batch, wait for a reader to see it: rows it saw
        # were flushed, and must survive the kill.
        ((i % 2)) || wait_until 60 has_rows "$seen" run.h5 || fail "no flush of $seen rows"
    done
    ((batches % 2)) || seen=$(((batches - 1) * 7))
    kill -9 "$pid"
    wait "$pid" || true
    pid=
    check_after_kill "$seen"
}

@test "--compress with a compound and --timestamp: a trickle and a flood, exact" {
    (for i in $(seq 1 50); do echo "$i,$i.25,$((i * 3))"; sleep 0.005; done) |
        swmr_append --compress 4 --flush-interval 0 --chunk 16 -t int64,float32,uint16 --timestamp trickle.h5
    seq 1 100000 | awk '{ print $1 "," $1 * 2 }' | swmr_append --compress 4 -t int32,float64 flood.h5
    run "$PY" - <<'PY'
import h5py, numpy as np
t = h5py.File("trickle.h5", "r")["data"][...]
f = h5py.File("flood.h5", "r")["data"][...]
n = np.arange(1, 51)
print(t.dtype.names, (t["col0"] == n).all(), (t["col1"] == n + 0.25).all(),
      (t["col2"] == n * 3).all(), (t["time"] > 1.7e9).all())
print(len(f), (f["col0"] == np.arange(1, 100001)).all(), (f["col1"] == f["col0"] * 2).all())
PY
    assert_output "('time', 'col0', 'col1', 'col2') True True True True
100000 True True"
}

@test "--compress --append to an h5py compound with padding mid-chunk: converted into its layout" {
    "$PY" - <<'PY'
import h5py, numpy as np
t = np.dtype({"names": ["a", "b"], "formats": [">f8", "<i2"], "offsets": [0, 16], "itemsize": 24})
with h5py.File("run.h5", "w", libver="latest") as f:
    f.create_dataset("data", shape=(3,), maxshape=(None,), chunks=(8,), dtype=t,
                     compression="gzip", shuffle=True, data=np.array([(1.5, 1), (2.5, 2), (3.5, 3)], dtype=t))
PY
    seq 4 20 | awk '{ print $1 + 0.5 "," $1 }' | swmr_append -a run.h5
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["data"][...]; print(d["a"].tolist() == [i + 0.5 for i in range(1, 21)], d["b"].tolist() == list(range(1, 21)))'
    assert_output "True True"
}

@test "--append to a dataset whose filter this libhdf5 lacks (h5py's lzf): refused at once (73), the file untouched" {
    "$PY" -c 'import h5py, numpy as np
with h5py.File("lzf.h5", "w", libver="latest") as f:
    f.create_dataset("data", data=np.arange(5.0), maxshape=(None,), chunks=(4,), compression="lzf")'
    run swmr_append -a lzf.h5 <<< 6
    [ "$status" -eq 73 ]
    assert_output "swmr-append: lzf.h5: dataset data uses a filter this libhdf5 does not have (lzf, id 32000): its chunks cannot be written"
    run "$PY" -c 'import h5py
print(h5py.File("lzf.h5", "r", libver="latest", swmr=True)["data"][...].tolist())'
    assert_output "[0.0, 1.0, 2.0, 3.0, 4.0]"
}
