#!/usr/bin/env bats
# Columns with their own types and names, arrival times, CSV headers, and
# attributes that keep what was written: read back with h5py while the
# file grows and after.
load helper

start_writer() {
    mkfifo in
    "${APPEND[@]}" "$@" < in 3>&- &
    pid=$!
    exec 7> in
}

# The dataset as h5py sees it after close: dtype, then each row's repr.
structured() {
    "$PY" - "$@" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f[sys.argv[2] if len(sys.argv) > 2 else "data"]
    print(d.dtype.descr, d.shape)
    for row in d[...].tolist():
        print(row)
PY
}

@test "-t with a comma list: a compound dataset, each field parsed by its own type" {
    printf '1796105840.123,21.5,7\n1796105841.5,-3.25,4294967295\n' |
        swmr_append -t float64,float32,uint32 --columns=time,temp,n run.h5
    run structured run.h5
    assert_success
    assert_output "[('time', '<f8'), ('temp', '<f4'), ('n', '<u4')] (2,)
(1796105840.123, 21.5, 7)
(1796105841.5, -3.25, 4294967295)"
    # h5dump names the fields.
    run h5dump -H run.h5
    assert_output --partial 'H5T_IEEE_F64LE "time";'
    assert_output --partial 'H5T_STD_U32LE "n";'
}

@test "a comma list is a compound even of one type; fields default to col0, col1" {
    printf '1 2\n' | swmr_append -t float64,float64 run.h5
    run structured run.h5
    assert_output "[('col0', '<f8'), ('col1', '<f8')] (1,)
(1.0, 2.0)"
}

@test "each field keeps its own range: a line is refused by the field that breaks it" {
    printf '1,2\n3,300\n5,6\n' | swmr_append -t float32,uint8 run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    run cat err
    assert_output "swmr-append: stdin: line 2, field 2: '300' is out of range for uint8"
    run structured run.h5
    assert_output "[('col0', '<f4'), ('col1', '|u1')] (1,)
(1.0, 2)"
}

@test "--header as spreadsheets write it: commas, spaces, quotes, UTF-8" {
    printf '\xEF\xBB\xBF"time (s)",temp [°C],"n, count"\r\n1.5,21.5,3\r\n' |
        swmr_append --header -t float64,float32,int16 run.h5
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"].dtype.names)'
    assert_output "('time (s)', 'temp [°C]', 'n, count')"
}

@test "--header over one column takes the whole line as its name" {
    printf 'temp [°C]\n21.5\n' | swmr_append --header --timestamp run.h5
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"].dtype.names)'
    assert_output "('time', 'temp [°C]')"
}

@test "--header of one type writes the columns attribute, names with spaces kept" {
    printf 'time (s),temp\n1,2\n' | swmr_append --header run.h5
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["data"]; print(d.shape, list(d.attrs["columns"]))'
    assert_output "(1, 2) ['time (s)', 'temp']"
}

@test "a header whose count differs from the data is reported on its own line" {
    printf '# a comment\ntime temp pressure\n1 2\n' |
        swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    run cat err
    assert_output "swmr-append: stdin: line 2: the header names 3 columns, the data has 2"
    [ ! -e run.h5 ]
}

@test "a header split like the data: commas in the data, commas between names" {
    printf 'time temp\n1,2\n' | swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: the header names 1 column, the data has 2 (the data is separated by commas, so names are too)"
    # Counts fixed by the options are checked against the header as well.
    printf 'a,b,c\n1,2\n' | swmr_append --header -t int8,int8 run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: the header names 3 columns, -t gives types for 2"
}

@test "--columns=NAMES names a dataset of one type, and wins over a header" {
    printf 'x y\n1 2\n' | swmr_append --header --columns='a b,c' run.h5
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["data"]; print(d.shape, list(d.attrs["columns"]))'
    assert_output "(1, 2) ['a b', 'c']"
}

@test "a header of numbers is refused: it is data" {
    printf '1,2\n3,4\n' | swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    run cat err
    assert_output --partial "line 1: header names are all numbers"
    assert_output --partial "drop --header"
    [ ! -e run.h5 ]
}

@test "data that starts with a header, without --header, gets the hint" {
    printf 'time,temp\n1,2\n' | swmr_append run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    run cat err
    assert_output "swmr-append: stdin: line 1, field 1: 'time' is not a number (a header line? give --header)"
}

@test "--timestamp: a leading float64 time, the wall clock of each line's read" {
    before=$("$PY" -c 'import time; print(time.time())')
    start_writer --timestamp -t float32 --flush-interval 0.01 run.h5
    echo 1.5 >&7
    wait_until 60 has_rows 1 run.h5
    # A later read: a later time, never an earlier one. The two lines go
    # in one write(), so they come in one read (cat copies the file in one
    # write; bash's printf promises nothing).
    sleep 0.05
    printf '2.5\n3.5\n' > batch
    cat batch >&7
    exec 7>&-
    wait "$pid"
    after=$("$PY" -c 'import time; print(time.time())')
    run "$PY" - "$before" "$after" <<'PY'
import sys, h5py
lo, hi = float(sys.argv[1]), float(sys.argv[2])
d = h5py.File("run.h5", "r")["data"]
print(d.dtype.descr)
t = d["time"]
print(list(d["value"]), all(lo <= x <= hi for x in t), t[0] < t[1], t[1] == t[2])
PY
    assert_output "[('time', '<f8'), ('value', '<f4')]
[1.5, 2.5, 3.5] True True True"
}

@test "--timestamp with named columns: time first, then the columns" {
    printf 'a,b\n1,2\n' | swmr_append --timestamp --header -t int32 run.h5
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["data"]; print(d.dtype.names, d["a"].tolist(), d["b"].tolist())'
    assert_output "('time', 'a', 'b') [1] [2]"
}

@test "--timestamp refuses a column named time, in the header or in --columns" {
    printf 'time,x\n1,2\n' | swmr_append --header --timestamp run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" 'swmr-append: stdin: line 1: header names a column "time", which --timestamp adds: rename it with --columns=NAMES'
    run swmr_append --timestamp --columns=time,x run.h5 </dev/null
    [ "$status" -eq 64 ]
    assert_output --partial '--columns names column 1 time too'
}

@test "a live SWMR reader sees a growing compound as a structured array" {
    start_writer -t float64,int32 --columns=x,n --flush-interval 0.01 run.h5
    printf '0.5,1\n' >&7
    wait_until 60 has_rows 1 run.h5
    coproc READER { "$PY" -u -c 'import h5py,sys
f=h5py.File("run.h5","r",libver="latest",swmr=True); d=f["data"]
for line in sys.stdin:
    want=int(line)
    while True:
        d.refresh()
        if d.shape[0] >= want: break
    print(d.dtype.names, d[want-1].tolist())'; }
    echo 1 >&"${READER[1]}"
    read -r -t 60 got <&"${READER[0]}"
    assert_equal "$got" "('x', 'n') (0.5, 1)"
    printf '1.5,2\n' >&7
    echo 2 >&"${READER[1]}"
    read -r -t 60 got <&"${READER[0]}"
    assert_equal "$got" "('x', 'n') (1.5, 2)"
    exec {READER[1]}>&-
    exec 7>&-
    wait "$pid"
}

@test "--append to a compound takes its fields from the file" {
    printf '1,2\n' | swmr_append -t float32,int8 --columns=a,b run.h5
    printf '3,4\n' | swmr_append -a run.h5
    # The fields' own rules still apply.
    printf '5,500\n' | swmr_append -a run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1, field 2: '500' is out of range for int8"
    # The width of the file, said on the first line (73) and later (65).
    printf '1\n' | swmr_append -a run.h5 2>err || status=$?
    [ "$status" -eq 73 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: 1 field, but dataset data has 2 columns"
    printf '6,7\n8\n' | swmr_append -a run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 2: 1 field, but dataset data has 2"
    run structured run.h5
    assert_output "[('a', '<f4'), ('b', '|i1')] (3,)
(1.0, 2)
(3.0, 4)
(6.0, 7)"
}

@test "--append with --header: a restarted logger's header must name the file's fields" {
    printf 'a,b\n1,2\n' | swmr_append --header -t int32,int32 run.h5
    printf 'a,b\n3,4\n' | swmr_append -a --header run.h5
    printf 'a,c\n5,6\n' | swmr_append -a --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: the header names column 2 'c', dataset data calls it 'b'"
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"][...].tolist())'
    assert_output "[(1, 2), (3, 4)]"
}

@test "--append: a timestamped compound wants --timestamp, and other types are refused" {
    printf '1\n' | swmr_append --timestamp run.h5
    printf '2\n' | swmr_append -a run.h5 2>err || status=$?
    [ "$status" -eq 73 ]
    assert_equal "$(cat err)" 'swmr-append: stdin: line 1: 1 field, but dataset data has 2 columns (the first is "time": give --timestamp?)'
    printf '2\n' | swmr_append -a --timestamp run.h5
    printf '3\n' | swmr_append -a -t int32,int32 run.h5 2>err || status=$?
    [ "$status" -eq 73 ]
    assert_equal "$(cat err)" "swmr-append: run.h5: dataset data has fields float64,float64: give -t with those types (the first is \"time\": give --timestamp?)"
    printf '1\n' | swmr_append plain.h5
    printf '2\n' | swmr_append -a --timestamp plain.h5 2>err || status=$?
    [ "$status" -eq 73 ]
    run cat err
    assert_output --partial "not a compound"
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"]["value"].tolist())'
    assert_output "[1.0, 2.0]"
}

@test "--append to a compound h5py made, with padding and big-endian fields" {
    "$PY" - <<'PY'
import h5py, numpy as np
t = np.dtype({"names": ["a", "b"], "formats": [">f8", "<i2"], "offsets": [0, 16], "itemsize": 24})
with h5py.File("run.h5", "w", libver="latest") as f:
    f.create_dataset("data", shape=(1,), maxshape=(None,), chunks=(4,), dtype=t, data=np.array([(1.5, 2)], dtype=t))
PY
    printf '2.5,3\n-1e300,-32768\n' | swmr_append -a run.h5
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"][...].tolist())'
    assert_output "[(1.5, 2), (2.5, 3), (-1e+300, -32768)]"
}

@test "binary input: packed rows of the listed types, bit for bit, with --timestamp too" {
    "$PY" - <<'PY'
import numpy as np
a = np.zeros(3, dtype=[("t", "<f8"), ("v", "<f4"), ("n", "<u2")])
a["t"] = [1.25, 2.5, 1e300]; a["v"] = [0.5, -1.5, np.float32(3.4e38)]; a["n"] = [0, 7, 65535]
a.tofile("rows.bin")
PY
    swmr_append --input-format=binary -t float64,float32,uint16 --columns=t,v,n run.h5 < rows.bin
    swmr_append --input-format=binary -t float64,float32,uint16 --timestamp stamped.h5 < rows.bin
    run "$PY" - <<'PY'
import h5py, numpy as np
a = np.fromfile("rows.bin", dtype=[("t", "<f8"), ("v", "<f4"), ("n", "<u2")])
d = h5py.File("run.h5", "r")["data"][...]
s = h5py.File("stamped.h5", "r")["data"][...]
print(d.tobytes() == a.tobytes(), s.dtype.names,
      [s[n].tobytes() == a[m].tobytes() for n, m in (("col0", "t"), ("col1", "v"), ("col2", "n"))],
      bool((s["time"] > 1.7e9).all()))
PY
    assert_output "True ('time', 'col0', 'col1', 'col2') [True, True, True] True"
    # Bytes are never reinterpreted: --append says the types again.
    run swmr_append --input-format=binary -a run.h5 < rows.bin
    [ "$status" -eq 73 ]
    assert_output "swmr-append: run.h5: dataset data has fields float64,float32,uint16 and binary input is read as said: give -t with those types"
    swmr_append --input-format=binary -a -t float64,float32,uint16 run.h5 < rows.bin
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"].shape)'
    assert_output "(6,)"
}

@test "--attr types only what reads back the same; --attr-string forces a string" {
    echo 1 | swmr_append --attr id=007 --attr version=1.10 \
        --attr big=99999999999999999999 --attr gain=0.1 --attr n=-5 \
        --attr one=1.0 --attr-string serial=42 run.h5
    run "$PY" -c 'import h5py
a=h5py.File("run.h5","r")["data"].attrs
for k in ("id","version","big","gain","n","one","serial"):
    v=a[k]; print(k, type(v).__name__, v)'
    assert_output "id str 007
version str 1.10
big str 99999999999999999999
gain float64 0.1
n int64 -5
one float64 1.0
serial str 42"
}

@test "a ';' between numbers hints at --delimiter" {
    printf '1;2\n' | swmr_append run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1, field 1: '1;2' is not a number (fields separated by ';'? give --delimiter ';')"
    printf '1;2\n' | swmr_append --delimiter ';' run.h5
}

@test "--skip-bad N in the space form is refused, no file named N is made" {
    run swmr_append --skip-bad 3 run.h5 </dev/null
    [ "$status" -eq 64 ]
    assert_output --partial "--skip-bad takes its count as --skip-bad=3"
    [ ! -e 3 ]
    [ ! -e run.h5 ]
}

@test "1,000.5 reads as two fields, and says so once" {
    printf '1,000.5\n2,000.5\n' | swmr_append run.h5 2>err
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: '1,000.5' is read as two fields, '1' and '000.5': commas separate fields, and thousands separators are not read"
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"].shape)'
    assert_output "(2, 2)"
}

@test "swmr-watch follows a compound dataset's shape" {
    printf '1,2\n3,4\n' | swmr_append -t float32,int64 run.h5
    run swmr_watch --once --format=tsv run.h5
    assert_success
    assert_output --partial $'data\t2'
}

@test "names that are not UTF-8 are refused on their line: h5py could not read them" {
    printf 'caf\xe9,b\n1,2\n' | swmr_append --header -t float32,float32 run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: header: name 1 is not UTF-8 text (a Latin-1 file? convert it: iconv -f latin1 -t utf-8)"
    [ ! -e run.h5 ]
    run swmr_append --columns="$(printf 'caf\xe9'),b" run.h5 </dev/null
    [ "$status" -eq 64 ]
    run swmr_append --attr "$(printf 'unit=\xb0C')" run.h5 </dev/null
    [ "$status" -eq 64 ]
    assert_output --partial "not UTF-8 text"
}

@test "--append: one -t for a compound must be every field's type" {
    printf '1,2\n' | swmr_append -t int32,float32 run.h5
    printf '3,4\n' | swmr_append -a -t int8 run.h5 2>err || status=$?
    [ "$status" -eq 73 ]
    assert_equal "$(cat err)" "swmr-append: run.h5: dataset data has fields int32,float32: give -t with those types"
    printf '1\n' | swmr_append --timestamp -t float32 ts.h5
    printf '2\n' | swmr_append -a --timestamp -t float32 ts.h5
    printf '3\n' | swmr_append -a --timestamp ts.h5
}

@test "--append --input-format=binary continues a --timestamp file with the command that made it" {
    "$PY" -c 'import numpy as np; np.array([1.5, 2.5], dtype="<f4").tofile("v.bin")'
    swmr_append --input-format=binary --timestamp -t float32 run.h5 < v.bin
    swmr_append --input-format=binary --timestamp -t float32 -a run.h5 < v.bin
    run swmr_append --input-format=binary --timestamp -a run.h5 < v.bin
    [ "$status" -eq 73 ]
    assert_output "swmr-append: run.h5: dataset data has fields float32 and binary input is read as said: give -t with those types (after time)"
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"]["value"].tolist())'
    assert_output "[1.5, 2.5, 1.5, 2.5]"
}

@test "a lone line of numbers under --header is refused at once, not swallowed" {
    printf '1,2\n' | swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    run cat err
    assert_output --partial "line 1: header names are all numbers"
}

@test "hints hold when the width is fixed by -t or --columns" {
    printf '1;2\n' | swmr_append -t int8,int8 run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: 1 field, expected 2 (one per -t type) (fields separated by ';'? give --delimiter ';')"
    printf 'x,y\n1,2\n' | swmr_append --columns=2 b.h5 2>err || status=$?
    assert_equal "$(cat err)" "swmr-append: stdin: line 1, field 1: 'x' is not a number (a header line? give --header)"
    printf '"1","2"\n' | swmr_append c.h5 2>err || status=$?
    assert_equal "$(cat err)" "swmr-append: stdin: line 1, field 1: '\"1\"' is not a number (numbers are read bare, without quotes)"
    printf '1,000.5\n' | swmr_append --columns=a,b d.h5 2>err
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: '1,000.5' is read as two fields, '1' and '000.5': commas separate fields, and thousands separators are not read"
}

@test "two integer columns are not taken for a thousands separator" {
    printf '5,120\n6,130\n' | swmr_append run.h5 2>err
    assert_equal "$(cat err)" ""
}

@test "duplicate header names are refused for a dataset of one type too" {
    printf 'a,a\n1,2\n' | swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: header: 'a' names two columns"
}

@test "--columns: a mistyped count is refused, not taken for a name" {
    # (2x is a name: 2theta is a real column name.)
    for bad in -2 3e0 ' 2' 1,2 0; do
        run swmr_append --columns="$bad" run.h5 </dev/null
        [ "$status" -eq 64 ] || { echo "--columns='$bad' gave $status"; false; }
    done
}

@test "a TSV header without --delimiter gets the hint" {
    printf 'time (s)\ttemp [C]\n1\t2\n' | swmr_append --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: the header names 4 columns, the data has 2 (names separated by tabs? give --delimiter=tab)"
    printf 'time (s)\ttemp [C]\n1\t2\n' | swmr_append --header --delimiter=tab run.h5
}

@test "a restarted logger's header that differs from the columns attribute is named by its line" {
    printf 'a b\n1 2\n' | swmr_append --header run.h5
    printf '# restarted\na c\n3 4\n' | swmr_append -a --header run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" 'swmr-append: stdin: line 2: the column names differ from the "columns" attribute of dataset data in run.h5'
}

@test "--attr given twice for one name is refused" {
    run swmr_append --attr a=1 --attr-string a=2 run.h5 </dev/null
    [ "$status" -eq 64 ]
    assert_output --partial "attribute a is given twice"
}

@test "the last -t and the last --columns win, whatever came before" {
    printf '1 2 3\n' | swmr_append --columns=a,b --columns 3 run.h5
    run "$PY" -c 'import h5py
d=h5py.File("run.h5","r")["data"]; print(d.shape, d.dtype, "columns" in d.attrs)'
    assert_output "(1, 3) float64 False"
    printf '1 2\n' | swmr_append -t int8,int16 -t float32 two.h5
    run "$PY" -c 'import h5py
d=h5py.File("two.h5","r")["data"]; print(d.shape, d.dtype)'
    assert_output "(1, 2) float32"
}

@test "--append --timestamp to a compound of only time is refused, not divided by zero" {
    "$PY" -c 'import h5py
with h5py.File("run.h5","w",libver="latest") as f:
    f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(4,), dtype=[("time","<f8")])'
    run swmr_append --append --timestamp --input-format=binary run.h5 <<< abcdefg
    [ "$status" -eq 73 ]
    assert_output "swmr-append: run.h5: dataset data has no field but time"
    # Untouched, and SWMR readers still open it.
    run swmr_rows run.h5
    assert_output "0"
}

@test "a compound's limits: 1000 columns and a type HDF5 can hold, said before anything is made" {
    "$PY" -c "print(' '.join(['1']*1000))" > wide.txt
    swmr_append --timestamp -i wide.txt run.h5
    swmr_append --timestamp -a -i wide.txt run.h5
    run swmr_rows run.h5
    assert_output "2"
    "$PY" -c "print(' '.join(['1']*1001))" > wider.txt
    run swmr_append --timestamp --columns 1001 -i wider.txt big.h5
    [ "$status" -eq 64 ]
    assert_output "swmr-append: 1001 columns: a compound (a -t list, --timestamp) has at most 1000"
    [ ! -e big.h5 ]
    "$PY" -c "print(','.join(('n%05d' % i).ljust(60, 'x') for i in range(1000))); print(','.join(['1']*1000))" > long.csv
    run swmr_append --header --timestamp -i long.csv long.h5
    [ "$status" -eq 73 ]
    assert_output --partial "1001 fields with these names make a type of about"
    [ ! -e long.h5 ]
}

@test "--columns=NAMES wins over a header: the header's names are only counted" {
    printf 'time,temp\n1,2\n' | swmr_append --timestamp --columns=t0,temp --header run.h5
    run "$PY" -c 'import h5py
print(h5py.File("run.h5","r")["data"].dtype.names)'
    assert_output "('time', 't0', 'temp')"
}

@test "the header is split by the data also when the width is fixed" {
    printf 'a b\n1,2\n' | swmr_append --header --columns 2 run.h5 2>err || status=$?
    [ "$status" -eq 65 ]
    assert_equal "$(cat err)" "swmr-append: stdin: line 1: the header names 1 column, --columns says 2 (the data is separated by commas, so names are too)"
    printf 'a b\n1 2\n' | swmr_append --header --columns 2 ok.h5
}

@test "--attr with more digits than fit anywhere stays a string; a compound's --attr columns is free" {
    big="1$(printf '0%.0s' $(seq 1200)).5"
    echo 1 | swmr_append --attr "big=$big" run.h5
    run "$PY" -c 'import h5py
v=h5py.File("run.h5","r")["data"].attrs["big"]; print(type(v).__name__, len(v))'
    assert_output "str 1203"
    printf 'a,b\n1,2\n' | swmr_append -t int8,int16 --header --attr columns=x c.h5
}
