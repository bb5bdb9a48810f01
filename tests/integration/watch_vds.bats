#!/usr/bin/env bats
# Virtual datasets (VDS): one whose mapping is unlimited grows with its
# source, and HDF5 1.10 refreshes the source with the VDS, so swmr-watch
# follows it, named or found, with its values read through the VDS. One
# that cannot grow is refused with that reason. The writer is h5py
# (watch_vds_writer.py), driven step by step.

load watch_helper

WRITER=$BATS_TEST_DIRNAME/watch_vds_writer.py

@test "a named VDS follows its source as a SWMR writer grows it" {
    start_writer v.h5
    start_watch --format=tsv --timeout 120 v.h5 v
    wait_lines 2
    send append 3
    wait_lines 3
    send append 4
    wait_lines 4
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f 2-5,7 watch.out
    assert_output "$(printf 'dataset\trows\tshape\tdelta\tevent
/v\t0\t0\t0\tstart
/v\t3\t3\t3\tchange
/v\t7\t7\t4\tchange
/v\t7\t7\t0\tclose')"
    assert_equal "$(cat watch.err)" ""
}

@test "--values reads a VDS's new rows through the VDS" {
    start_writer v.h5
    start_watch --values --format=json --timeout 120 v.h5 v
    wait_lines 1
    send append 3
    wait_lines 2
    send append 2
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 2 values
    assert_output '[100, 101, 102]'
    run json_field 3 values
    assert_output '[103, 104]'
    run json_field 3 shape
    assert_output '[5]'
}

@test "without names, a VDS next to an ordinary growing dataset: both followed" {
    start_writer v.h5 --with-data
    start_watch --format=tsv --timeout 120 v.h5
    wait_lines 4
    send append 2 data
    wait_lines 5
    send append 3
    # src and v change: two lines.
    wait_lines 7
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cut -f 2,3,7 watch.out
    assert_equal "$(sed -n '1,5p;8,$p' <<< "$output")" "$(printf 'dataset\trows\tevent
/data\t0\tstart
/src\t0\tstart
/v\t0\tstart
/data\t2\tchange
/data\t2\tclose
/src\t3\tclose
/v\t3\tclose')"
    # One wake-up prints src, then v; a flush between reading the two
    # makes it two wake-ups, which may print v first.
    assert_equal "$(sed -n 6,7p <<< "$output" | sort)" "$(printf '/src\t3\tchange\n/v\t3\tchange')"
    assert_equal "$(cat watch.err)" ""
}

# HDF5's "last available" view: the extent reaches the last row any source
# wrote; a slower source's cells read as the fill value, and are not
# printed again when it catches up (the shape does not change).
@test "a VDS over two sources growing unevenly: the slower one's cells are the fill value" {
    start_writer v.h5 --two
    start_watch --values --format=json --timeout 120 v.h5 v
    wait_lines 1
    send append 3
    wait_lines 2
    send append 3 src2
    send append 1
    wait_lines 3
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 2 values
    assert_output '[[100, 101, 102], [-1, -1, -1]]'
    run json_field 3 values
    assert_output '[[103], [-1]]'
    run json_field 3 shape
    assert_output '[2, 4]'
    # start, two changes, close.
    assert_equal "$(lines_in watch.out)" 4
}

@test "a VDS whose source is in another file grows at each poll" {
    # Nothing writes v.h5 itself: only the --interval poll sees the source
    # grow. The writer holds v.h5 in SWMR mode, so the watch goes on.
    start_writer v.h5 --sources-in src.h5
    start_watch --values --format=json --interval 0.05 --timeout 120 v.h5 v
    wait_lines 1
    send append 3
    wait_lines 2
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run json_field 2 values
    assert_output '[100, 101, 102]'
}

@test "a VDS with no unlimited mapping: skipped unnamed, refused named with that reason" {
    "$PY" - <<'PY'
import h5py, numpy as np
f = h5py.File("fixed.h5", "w", libver="latest")
f.create_dataset("data", data=[1, 2], maxshape=(None,), chunks=(2,))
f.create_dataset("src", data=np.arange(5))
layout = h5py.VirtualLayout(shape=(5,), dtype="int64")
layout[:] = h5py.VirtualSource(".", "src", shape=(5,))
f.create_virtual_dataset("v", layout)
# Declared unlimited, mapped without limit nowhere: it never grows either.
layout = h5py.VirtualLayout(shape=(5,), dtype="int64", maxshape=(None,))
layout[0:5] = h5py.VirtualSource(".", "src", shape=(5,))
f.create_virtual_dataset("w", layout)
f.close()
PY
    run swmr_watch --once --format=tsv fixed.h5
    assert_success
    run cut -f 2,3 <<< "$output"
    assert_output "$(printf 'dataset\trows\n/data\t2')"
    for v in v w; do
        run swmr_watch fixed.h5 $v
        assert_equal "$status" 65
        assert_output "swmr-watch: dataset /$v in fixed.h5 cannot grow: it is a virtual dataset with no unlimited mapping"
    done
}

# bad.h5: /data (int64, 2 rows, from swmr-append) and /src beside /v, a VDS
# whose mapping HDF5 cannot decode (its encoding's version byte changed, as
# a damaged file or a newer encoding would have it).
make_bad_vds() {
    seq 1 2 | swmr_append -t int64 bad.h5 data
    "$PY" - <<'PY'
import h5py
with h5py.File("bad.h5", "a", libver="latest") as f:
    f.create_dataset("src", shape=(0,), maxshape=(None,), chunks=(4,), dtype="int64")
    layout = h5py.VirtualLayout(shape=(1,), maxshape=(None,), dtype="int64")
    source = h5py.VirtualSource(".", "src", shape=(1,), maxshape=(None,))
    layout[0:h5py.h5s.UNLIMITED] = source[0:h5py.h5s.UNLIMITED]
    f.create_virtual_dataset("v", layout, fillvalue=-1)
b = bytearray(open("bad.h5", "rb").read())
# The mapping is the first object of a global heap collection ("GCOL", a
# 16-byte header, then 16 bytes before each object): its version byte.
at = b.index(b"GCOL") + 32
assert b[at] == 0, b[at]
b[at] = 99
open("bad.h5", "wb").write(b)
PY
}

@test "a VDS HDF5 cannot open: passed over with one notice, the others watched" {
    make_bad_vds
    start_watch --follow --format=tsv --timeout 120 bad.h5
    wait_lines 3
    # A writer comes and goes: the file is opened and searched again.
    seq 3 4 | swmr_append -t int64 --append bad.h5 data
    wait_text "$(printf '/data\t4\t')"
    kill "$WATCH_PID"
    finish_watch
    run cut -f 2,3,7 watch.out
    assert_line --index 1 "$(printf '/data\t2\tstart')"
    assert_line --index 2 "$(printf '/src\t0\tstart')"
    # Opened again (the file searched again): a reopen line.
    assert_output --regexp $'\n/data\t[24]\treopen\n'
    assert_output --regexp $'\n/data\t4\t(reopen|change|close)\n'
    run cat watch.err
    assert_output "swmr-watch: /v in bad.h5 is not watched: HDF5 cannot open it: bad version # of encoded VDS heap information, expected 0, got 99"
}

@test "a named VDS HDF5 cannot open is refused with HDF5's reason: 65" {
    make_bad_vds
    run swmr_watch bad.h5 v
    assert_equal "$status" 65
    assert_output "swmr-watch: cannot open dataset /v in bad.h5: bad version # of encoded VDS heap information, expected 0, got 99"
}
