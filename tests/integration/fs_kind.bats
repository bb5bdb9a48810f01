#!/usr/bin/env bats
# File systems where SWMR's write ordering is not promised (network, FUSE):
# swmr-append warns once, swmr-watch warns and polls, -q silences both. Run
# on a real FUSE mount (bindfs over a folder of the test's own); skipped
# where FUSE cannot be mounted. The other file systems are told apart by
# their statfs magic alone: the unit tests (test_fs_kind.c) cover those.
load watch_helper

RISK="which does not promise the write ordering SWMR needs"

# mount_fuse: bindfs mounts back/ at mnt/, or the test is skipped. Its
# caches are off (attributes, entries, and pages with direct_io): with
# them, even on one host, a reader that opened the file by another name
# than its writer reads stale data, the very risk the tools warn of, and
# the tools could not show that they work there.
mount_fuse() {
    command -v bindfs >/dev/null ||
        skip "bindfs is not installed (scripts/ensure-deps installs it)"
    [ -c /dev/fuse ] || skip "no /dev/fuse on this machine"
    mkdir back mnt
    bindfs -o subtype=bindfs,attr_timeout=0,entry_timeout=0,direct_io \
        back mnt 2>mount.err ||
        skip "FUSE cannot be mounted here: $(head -1 mount.err)"
    MOUNTED=1
}

teardown() {
    local pid
    for pid in ${WATCH_PID:-} ${APPEND_PID:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    exec 7>&- 2>/dev/null
    # Nothing of ours may stay mounted (bats then removes back/ plainly).
    if [ -n "${MOUNTED:-}" ]; then
        fusermount -u mnt 2>/dev/null || umount -l mnt 2>/dev/null
    fi
    return 0
}

# uses_inotify PID: PID has an inotify instance open.
uses_inotify() {
    ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:inotify'
}

@test "swmr-append on FUSE warns once, naming the file system and the risk" {
    mount_fuse
    run swmr_append mnt/run.h5 <<<$'1\n2\n3'
    assert_success
    assert_output "swmr-append: mnt/run.h5 is on fuse.bindfs, $RISK: readers may see torn or stale data (write to a local disk instead)"
    run h5py_dump back/run.h5
    assert_output $'float64 (3,)\n1.0\n2.0\n3.0'
    # --append to the file that is there: the same one warning.
    run swmr_append --append mnt/run.h5 <<<4
    assert_success
    assert_output --partial "mnt/run.h5 is on fuse.bindfs, $RISK"
    [ "${#lines[@]}" -eq 1 ]
}

@test "swmr-watch on FUSE warns, and says it polls unless --poll or --once is given" {
    mount_fuse
    swmr_append mnt/run.h5 <<<$'1\n2' 2>/dev/null
    # No writer: it shows the start line and ends.
    run swmr_watch mnt/run.h5
    assert_line "swmr-watch: mnt/run.h5 is on fuse.bindfs, $RISK: rows read may be torn or stale; polling every 1 second (inotify misses other hosts' writes)"
    run swmr_watch --interval 0.5 mnt/run.h5
    assert_line --partial "torn or stale; polling every 0.5 seconds ("
    for opt in --poll --once; do
        run swmr_watch "$opt" mnt/run.h5
        assert_line "swmr-watch: mnt/run.h5 is on fuse.bindfs, $RISK: rows read may be torn or stale"
    done
}

@test "-q silences the file system warning of both tools" {
    mount_fuse
    run swmr_append -q mnt/run.h5 <<<$'1\n2'
    assert_success
    assert_output ""
    run swmr_watch -q --once mnt/run.h5
    assert_success
    refute_output --partial "fuse"
    assert_output --partial "/data  [2]"
}

@test "swmr-watch --wait on FUSE polls (no inotify) and sees a new file grow" {
    mount_fuse
    # The file is not there yet: its folder tells the file system.
    start_watch_waiting --until 10 --interval 0.1 --timeout 60 mnt/run.h5
    grep -qF "mnt/run.h5 is on fuse.bindfs, $RISK" watch.err
    grep -qF "polling every 0.1 seconds" watch.err
    refute uses_inotify "$WATCH_PID"
    mkfifo rows.fifo
    (exec "${APPEND[@]}" --flush-interval 0 mnt/run.h5 <rows.fifo \
        2>append.err 3>&- 8>&- 9>&-) &
    APPEND_PID=$!
    exec 7>rows.fifo
    seq 1 5 >&7
    wait_text "[5]"
    seq 6 10 >&7
    finish_watch
    [ "$WATCH_STATUS" -eq 0 ]
    assert_equal "$(tail -1 watch.out | grep -o '\[10\]')" "[10]"
    exec 7>&-
    wait "$APPEND_PID"
    APPEND_PID=
    [ "$(grep -c "$RISK" append.err)" -eq 1 ]
}

@test "on this machine's own disk neither tool warns, and swmr-watch keeps inotify" {
    case $(stat -f -c %T .) in
        nfs*|smb*|cifs|fuse*|9p|v9fs|afs|ceph|gfs*|ocfs2|lustre|gpfs)
            skip "the test folder is on $(stat -f -c %T .)" ;;
    esac
    run swmr_append run.h5 <<<$'1\n2'
    assert_success
    assert_output ""
    start_watch_waiting --until 3 --timeout 60 run.h5
    assert uses_inotify "$WATCH_PID"
    swmr_append --append run.h5 <<<3
    finish_watch
    [ "$WATCH_STATUS" -eq 0 ]
    refute grep -q "is on" watch.err
}

@test "on a shared file system a writer elsewhere cannot be seen: a file marked open is not recovered, nor its writer said gone" {
    mount_fuse
    # A writer killed with the file open: on a local disk both tools would
    # know no one writes it any more; here one could, on another host.
    killed_writer mnt/run.h5 1
    run swmr_append -q --append mnt/run.h5 </dev/null
    assert_equal "$status" 75
    assert_output "swmr-append: mnt/run.h5: marked open by a writer that may still run on another host (it is on fuse.bindfs); not recovering it: once no writer runs anywhere, h5clear -s --increment mnt/run.h5 closes it"
    # The watcher keeps watching (a timeout ends it), never "killed?".
    run swmr_watch -q --timeout 1 mnt/run.h5
    assert_equal "$status" 75
    refute_output --partial "went away"
    # The remedy it names, once the user knows no writer runs.
    h5clear -s --increment mnt/run.h5
    run h5py_dump back/run.h5
    assert_output $'int32 (3,)\n1\n2\n3'
}
