#!/usr/bin/env bats
# The everyday uses: shapes, types, dataset paths, input sources.
load helper

@test "one field per line gives float64 (N,) in dataset data" {
    printf '1\n2.5\n-3e2\n' | swmr_append run.h5
    run h5py_dump run.h5
    assert_success
    assert_output "float64 (3,)
1.0
2.5
-300.0"
}

@test "int64 into a named dataset" {
    seq 1 1000 | swmr_append -t int64 counts.h5 counts
    run "$PY" -c 'import h5py,numpy as np
d=h5py.File("counts.h5","r")["counts"]
print(d.dtype, d.shape, bool((d[...]==np.arange(1,1001)).all()))'
    assert_output "int64 (1000,) True"
}

@test "C fields per line give (N, C), groups are created" {
    printf '1,2,3\n4 5 6\n7, 8 ,9\n' | swmr_append -t float32 run.h5 /grid/xyz
    run h5py_dump run.h5 /grid/xyz
    assert_output "float32 (3, 3)
1.0 2.0 3.0
4.0 5.0 6.0
7.0 8.0 9.0"
}

@test "--header stores column names and fixes the width" {
    printf '# comment first\nx,y,z\n1,2,3\n' > xyz.csv
    swmr_append -t float32 --header -i xyz.csv run.h5 /grid/xyz
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["/grid/xyz"]
print(d.shape, list(d.attrs["columns"]))'
    assert_output "(1, 3) ['x', 'y', 'z']"
}

@test "--header with one name gives (N,)" {
    printf 'temp\n20.5\n21\n' | swmr_append --header run.h5
    run h5py_dump run.h5
    assert_line --index 0 "float64 (2,)"
}

@test "--columns creates the dataset before any input arrives" {
    mkfifo in
    swmr_append --columns 3 -t int16 run.h5 < in 3>&- &
    pid=$!
    exec 7>in
    # A SWMR reader finds the empty (0, 3) dataset while the writer waits.
    wait_until 60 "$PY" -c 'import h5py,sys
f=h5py.File("run.h5","r",libver="latest",swmr=True)
sys.exit(0 if f["data"].shape==(0,3) and f["data"].dtype=="int16" else 1)'
    echo "1 2 3" >&7
    exec 7>&-
    wait "$pid"
    run h5py_dump run.h5
    assert_output "int16 (1, 3)
1 2 3"
}

@test "--columns 2 refuses a line of 3 fields, naming the line" {
    run swmr_append --columns 2 run.h5 <<< $'1 2\n3 4 5\n'
    assert_failure 65
    assert_output "swmr-append: stdin: line 2: 3 fields, expected 2 (--columns)"
    run h5py_dump run.h5
    assert_output "float64 (1, 2)
1.0 2.0"
}

@test "a later line with another width is a bad line" {
    run swmr_append run.h5 <<< $'1 2\n3\n'
    assert_failure 65
    assert_output "swmr-append: stdin: line 2: 1 field, expected 2"
}

@test "input without a record creates no file; --append then sets the width" {
    run swmr_append run.h5 < /dev/null
    assert_success
    assert_output "swmr-append: run.h5: no record in the input; not created"
    [ ! -e run.h5 ]
    run ls -A
    assert_output ""    # no temporary file left either
    printf '1 2\n' | swmr_append --append run.h5
    run h5py_dump run.h5
    assert_output $'float64 (1, 2)\n1.0 2.0'
}

@test "only a valid record decides the width" {
    run swmr_append --skip-bad run.h5 <<< $'x y z\n1 2\n3 4\n'
    assert_success
    run h5py_dump run.h5
    assert_output $'float64 (2, 2)\n1.0 2.0\n3.0 4.0'
    run swmr_append bad.h5 <<< $'1 2 x\n'
    assert_failure 65
    printf '1 2\n' | swmr_append --append bad.h5
    run h5py_dump bad.h5
    assert_output $'float64 (1, 2)\n1.0 2.0'
}

@test "-i of a directory is refused before anything is created (66)" {
    run swmr_append -i . run.h5
    assert_failure 66
    assert_output "swmr-append: .: Is a directory"
    [ ! -e run.h5 ]
}

@test "-i reads a file, - is stdin, a missing input is 66 and creates nothing" {
    printf '5\n6\n' > in.txt
    swmr_append -i in.txt a.h5
    echo 7 | swmr_append -i - b.h5
    run h5py_dump a.h5
    assert_output $'float64 (2,)\n5.0\n6.0'
    run h5py_dump b.h5
    assert_output $'float64 (1,)\n7.0'
    run swmr_append -i nope.txt c.h5
    assert_failure 66
    assert_output "swmr-append: nope.txt: No such file or directory"
    [ ! -e c.h5 ]
}

@test "the file is HDF5 1.10 format: superblock version 3" {
    echo 1 | swmr_append run.h5
    run od -An -tu1 -j8 -N1 run.h5
    assert_equal "$(echo $output)" 3
    run h5dump -H run.h5
    assert_success
}

@test "--attr stores integers, floats and strings before SWMR starts" {
    echo 1 | swmr_append --attr units=V --attr gain=2.5 --attr id=7 \
        --attr note='two words' run.h5
    run "$PY" -c 'import h5py
a=h5py.File("run.h5","r")["data"].attrs
for k in ("units","gain","id","note"): print(k, type(a[k]).__name__, a[k])'
    assert_output "units str V
gain float64 2.5
id int64 7
note str two words"
}

@test "-v prints a summary on stderr; -q prints nothing" {
    run swmr_append -v run.h5 < <(seq 1 10)
    assert_success
    assert_line --regexp '^swmr-append: run.h5: 10 rows appended in [0-9.]+ s \([0-9.]+[kM]? rows/s\), 21 bytes in, 1 flush, file [0-9]+ bytes$'
    run swmr_append -v --append run.h5 < <(seq 1 3)
    assert_line --regexp '^swmr-append: run.h5: 3 rows appended in '
    run swmr_append -q --skip-bad run2.h5 <<< $'1\nx\n'
    assert_success
    assert_output "swmr-append: stdin: line 2, field 1: 'x' is not a number"
}

@test "--help, --usage and --version" {
    run swmr_append --help
    assert_success
    assert_output --partial "Usage: swmr-append [OPTION...] FILE [DATASET]"
    assert_output --partial "--flush-interval=SECONDS"
    run swmr_append --usage
    assert_success
    run swmr_append --version
    assert_output --regexp '^swmr-append \(swmr-tools\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "usage errors exit 64 with one line" {
    run swmr_append
    assert_failure 64
    assert_line --index 0 "swmr-append: no FILE given"
    run swmr_append -t int7 x.h5
    assert_failure 64
    assert_line --index 0 --partial "unknown type 'int7'"
    run swmr_append --append --force x.h5
    assert_failure 64
    run swmr_append --flush-interval=-1 x.h5
    assert_failure 64
    run swmr_append --compress 10 x.h5
    assert_failure 64
    run swmr_append a.h5 b c
    assert_failure 64
    for name in / x/ a//b ./x ../x; do
        run swmr_append a.h5 "$name"
        assert_failure 64
        assert_line --index 0 "swmr-append: DATASET '$name' is not a dataset path (like data or /group/data)"
    done
    run swmr_append --delimiter n a.h5
    assert_failure 64
    run swmr_append --flush-interval 0x10 a.h5
    assert_failure 64
    run swmr_append --header --attr columns=x a.h5
    assert_failure 64
    [ ! -e x.h5 ] && [ ! -e a.h5 ]
}
