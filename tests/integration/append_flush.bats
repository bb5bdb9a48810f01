#!/usr/bin/env bats
# The flush policy as readers in other processes see it.
load helper

start_writer() {
    mkfifo in
    "${APPEND[@]}" "$@" < in 3>&- &
    pid=$!
    exec 7> in
}

@test "rows reach a SWMR reader while the producer goes quiet" {
    start_writer -t int32 run.h5
    printf '1\n2\n3\n' >&7
    # The producer keeps the pipe open and says nothing more: only the
    # time-based flush can make these rows visible.
    wait_until 60 has_rows 3 run.h5
    kill -0 "$pid"
    run "$PY" -c 'import h5py
f=h5py.File("run.h5","r",libver="latest",swmr=True); print(f["data"][...].tolist())'
    assert_output "[1, 2, 3]"
    exec 7>&-
    wait "$pid"
}

@test "a reader that stays open sees rows arrive one by one via refresh" {
    start_writer -t int64 --flush-interval 0.05 run.h5
    echo 0 >&7
    wait_until 60 has_rows 1 run.h5
    coproc READER { "$PY" -u -c 'import h5py,sys
f=h5py.File("run.h5","r",libver="latest",swmr=True); d=f["data"]
for line in sys.stdin:
    want=int(line)
    while True:
        d.refresh()
        if d.shape[0] >= want: break
    print(d.shape[0], d[want-1])'; } 3>&-
    for i in 1 2 3 4 5; do
        echo "$i" >&7
        echo $((i + 1)) >&"${READER[1]}"
        read -r -t 20 got <&"${READER[0]}"
        assert_equal "$got" "$((i + 1)) $i"
    done
    exec {READER[1]}>&-
    exec 7>&-
    wait "$pid"
}

@test "--flush-rows: under a flood, flushes follow the row count" {
    start_writer -t int64 --flush-interval 3600 --flush-rows 10 run.h5
    seq 1 25 >&7
    wait_until 60 has_rows 20 run.h5
    sleep 1   # rows 21-25 stay pending: no time-based flush for an hour
    run swmr_rows run.h5
    assert_output 20
    exec 7>&-
    wait "$pid"
    run swmr_rows run.h5
    assert_output 25
}

@test "--compress: the partial last chunk reaches readers too, values intact" {
    start_writer -t int64 --compress 6 --chunk 10 run.h5
    seq 1 25 >&7
    # Within the interval (1 s by default with --compress), not at close.
    wait_until 60 has_rows 25 run.h5
    run swmr_rows run.h5
    assert_output 25
    exec 7>&-
    wait "$pid"
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r")["data"]
print(d.compression, d.compression_opts, d.shuffle, d.chunks, bool((d[...]==np.arange(1,26)).all()))'
    assert_output "gzip 6 True (10,) True"
}

@test "--compress: a trickle does not bloat the file" {
    # 40 bursts of 250 rows with pauses longer than the flush interval; a
    # policy that flushed partial compressed chunks would rewrite one each
    # time. Compare with the same rows written in one go.
    for b in $(seq 0 39); do
        seq $((b * 250 + 1)) $((b * 250 + 250))
        sleep 0.12
    done | swmr_append -t int64 --compress 4 --chunk 1000 slow.h5
    seq 1 10000 | swmr_append -t int64 --compress 4 --chunk 1000 fast.h5
    slow=$(stat -c %s slow.h5) fast=$(stat -c %s fast.h5)
    echo "slow=$slow fast=$fast"
    [ "$slow" -le $((fast * 3 / 2)) ]
}

@test "--append to a compressed dataset goes on inside its partial chunk" {
    seq 1 15 | swmr_append -t int64 --compress 1 --chunk 10 run.h5
    start_writer --append run.h5
    seq 16 27 >&7
    # The second chunk completed, the third one partial: all visible.
    wait_until 60 has_rows 27 run.h5
    run swmr_rows run.h5
    assert_output 27
    exec 7>&-
    wait "$pid"
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("run.h5","r")["data"][...]; print(len(d), bool((d==np.arange(1,28)).all()))'
    assert_output "27 True"
}

@test "memory stays flat whatever the input size" {
    # Peak RSS for 200k and 2M rows: the buffer is one chunk either way.
    small=$( { /usr/bin/time -f %M "$SWMR_BIN/swmr-append" -t int64 a.h5 < <(seq 1 200000); } 2>&1 )
    large=$( { /usr/bin/time -f %M "$SWMR_BIN/swmr-append" -t int64 b.h5 < <(seq 1 2000000); } 2>&1 )
    echo "small=${small}KiB large=${large}KiB"
    [ "$large" -le $((small + 4096)) ]
}

@test "--flush-interval 0: a flood is flushed a block at a time, not a row at a time" {
    seq 1 100000 > in.txt
    run swmr_append -v -t int64 --flush-interval 0 run.h5 < in.txt
    assert_success
    assert_output --partial "100000 rows appended"
    flushes=$(sed -n 's/.* rows\/s), \([0-9]*\) flush.*/\1/p' <<< "$output")
    # 589 KB of input comes in reads of up to 64 KiB, and a flush by size
    # every 8192 rows: a few dozen flushes, not 100000.
    [ -n "$flushes" ] && [ "$flushes" -le 200 ]
    run swmr_rows run.h5 data
    assert_output 100000
}

@test "--flush-interval 0: a trickle gets each row flushed as it comes" {
    start_writer -t int64 --flush-interval 0 --flush-rows 1000000 run.h5
    for i in 1 2 3; do
        echo "$i" >&7
        wait_until 60 has_rows "$i" run.h5
    done
    exec 7>&-
    wait "$pid"
}
