#!/usr/bin/env bats
# swmr-watch can never make a writer wait: it takes no lease and no lock,
# so a watcher that is stopped (^Z, a debugger, a preempted process) at any
# moment leaves writers free.
load helper

@test "swmr-watch takes no lease and no lock on the file it watches" {
    seq 1 3 | swmr_append -t int64 run.h5
    # Follow a writer's start, growth and close, under strace.
    mkfifo in
    (exec "${APPEND[@]}" --append run.h5 < in 2>/dev/null 3>&-) &
    writer=$!
    exec 7> in
    # (LeakSanitizer cannot run under ptrace: off in a sanitize build.)
    ASAN_OPTIONS=detect_leaks=0 \
    strace -f -o trace.txt -e trace=fcntl,flock "$SWMR_BIN/swmr-watch" \
        --format=tsv --until 6 run.h5 > watch.out 2>&1 3>&- 7>&- &
    watcher=$!
    wait_until 60 grep -q start watch.out
    seq 4 6 >&7
    exec 7>&-
    wait "$writer"
    wait "$watcher"
    run grep -cE 'F_SETLEASE|F_SETLK|F_OFD_SETLK|flock\(' trace.txt
    assert_output 0
}

@test "a stopped watcher never delays a restarting writer" {
    seq 1 3 | swmr_append -t int64 run.h5
    "$SWMR_BIN/swmr-watch" --follow --format=tsv run.h5 > watch.out 2>&1 3>&- &
    watcher=$!
    wait_until 60 grep -q start watch.out
    for i in 1 2 3; do
        kill -STOP "$watcher"
        run timeout 20 "${APPEND[@]}" --append run.h5 <<< $((3 + i))
        assert_success
        kill -CONT "$watcher"
    done
    kill "$watcher"; wait "$watcher" || true
    run swmr_rows run.h5
    assert_output 6
}
