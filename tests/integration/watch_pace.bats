#!/usr/bin/env bats
# Following a flood: a watcher that cannot refresh at every flush refreshes
# less often (pace.h), yet every line carries the exact change since the
# line before, no row is skipped, and --count counts lines.

load watch_helper

# A swmr-append flood of N rows of `seq` (from a file: no producer competes
# for the CPU); its -v summary in append.err.
flood() {
    seq 1 "$1" >input.txt
    "$SWMR_BIN/swmr-append" -v run.h5 <input.txt 2>append.err
}

# flushes FILE: the count in swmr-append -v's summary in FILE.
flushes() {
    sed -n 's/.* \([0-9]*\) flushes.*/\1/p' "$1"
}

# changes: the change lines the watcher printed so far.
changes() {
    grep -c $'\tchange$' watch.out
}

# watched_writer ARGS...: swmr-append ARGS fed through fd 7, with one row
# flushed and a watcher (started by the test before the flood) to see it.
watched_writer() {
    start_fifo_append "$@" run.h5
    echo 0 >&7
    wait_rows run.h5 data 1
}

@test "in a flood, fewer refreshes than flushes, and the lines add up to every row" {
    watched_writer -v
    start_watch --debug --format=tsv --timeout 120 run.h5
    wait_lines 2                   # header and start: it is watching
    seq 1 2000000 >&7
    exec 7>&-
    wait "$pid"
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    # Each line's delta is its rows minus the rows of the line before; the
    # last is the whole dataset.
    run awk -F'\t' 'NR == 1 { next }
        NR > 2 && $3 - prev != $5 { print "line " NR ": " $3 " - " prev " != " $5 }
        { prev = $3; last = $3; event = $7 }
        END { print "last " last " " event }' watch.out
    assert_output "last 2000001 close"
    local refreshes
    refreshes=$(sed -n 's/.*: \([0-9]*\) refreshes, .*/\1/p' watch.err)
    [ -n "$refreshes" ] || { cat watch.err >&2; false; }
    # One refresh a flush would be $(flushes err); a watcher that keeps
    # pace with a writer flushing every 0.4 ms makes a handful.
    echo "refreshes $refreshes, flushes $(flushes err)" >&2
    [ "$refreshes" -lt $(( $(flushes err) / 4 )) ]
    grep -q "refreshes, [1-9][0-9]* of them after waiting" watch.err
}

@test "--values in a flood: every row once, in order, with its value" {
    start_watch_waiting --values --format=tsv --timeout 120 run.h5
    flood 300000
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    # Value lines start with a tab: "\tINDEX\tVALUE".
    run awk -F'\t' '$1 == "" && NF == 3 {
            if ($2 != n) { print "index " $2 " where " n " was due"; exit }
            if ($3 != n + 1) { print "value " $3 " at " $2; exit }
            n++ }
        END { print n " values" }' watch.out
    assert_output "300000 values"
}

@test "--count counts lines, however many flushes each one sums" {
    watched_writer
    start_watch --count 3 --format=tsv --timeout 120 run.h5
    wait_lines 2
    # Three floods of 500,000 rows, each once the watcher showed the one
    # before: however slow it is, three lines come.
    local k
    for k in 1 2 3; do
        seq 1 500000 >&7
        wait_until 120 eval '[ "$(changes)" -ge '"$k"' ]' ||
            { cat watch.out watch.err >&2; false; }
    done
    finish_watch
    exec 7>&-
    wait "$pid"
    assert_equal "$WATCH_STATUS" 0
    run changes
    assert_output 3
    # The three deltas sum to the growth since the start line.
    run awk -F'\t' 'NR == 2 { first = $3 } NR > 2 { sum += $5; last = $3 }
        END { print (last - first == sum) ? "exact" : "off by " last - first - sum }' watch.out
    assert_output exact
}
