#!/usr/bin/env bats
# Record syntax and types: what is accepted exactly, and what is refused,
# with the rows before a bad line kept in a valid file.
load helper

# Feed INPUT (printf format) to swmr-append with ARGS; expect exit 65 and
# MESSAGE, and the rows before the bad line kept.
refuse() {
    local input=$1 message=$2 kept=$3; shift 3
    rm -f bad.h5
    run swmr_append "$@" bad.h5 < <(printf -- "$input")
    assert_failure 65
    assert_output "$message"
    run "$PY" -c 'import h5py; print(h5py.File("bad.h5","r")["data"].shape[0])'
    assert_output "$kept"
}

@test "blank lines, comments, CRLF and a last line without newline" {
    printf '# c\n\n1\r\n  \n  # c2\n2\r\n3' | swmr_append run.h5
    run h5py_dump run.h5
    assert_output $'float64 (3,)\n1.0\n2.0\n3.0'
}

@test "a UTF-8 byte order mark before the first line is ignored" {
    printf '\xef\xbb\xbfa,b\n1,2\n' | swmr_append --header run.h5
    run "$PY" -c 'import h5py; d=h5py.File("run.h5","r")["data"]; print(list(d.attrs["columns"]), d[...].tolist())'
    assert_output "['a', 'b'] [[1.0, 2.0]]"
}

@test "--delimiter forces one separator" {
    printf '1;2\n 3 ; 4 \n' | swmr_append --delimiter ';' -t int8 a.h5
    run h5py_dump a.h5
    assert_output $'int8 (2, 2)\n1 2\n3 4'
    printf '1\t2\n' | swmr_append --delimiter tab b.h5
    run h5py_dump b.h5
    assert_output $'float64 (1, 2)\n1.0 2.0'
    run swmr_append --delimiter ';' c.h5 <<< '1,2'
    assert_failure 65
    assert_output "swmr-append: stdin: line 1, field 1: '1,2' is not a number"
}

@test "bad syntax stops at the line, names line and field, keeps earlier rows" {
    refuse '1\n2\nabc\n4\n' "swmr-append: stdin: line 3, field 1: 'abc' is not a number" 2
    refuse '1 2\n3 abc\n' "swmr-append: stdin: line 2, field 2: 'abc' is not a number" 1
    refuse '1\n0x10\n' "swmr-append: stdin: line 2, field 1: '0x10' is not a number" 1
    refuse '1\n12abc\n' "swmr-append: stdin: line 2, field 1: '12abc' is not a number" 1
    refuse '1\n1e\n' "swmr-append: stdin: line 2, field 1: '1e' is not a number" 1
    refuse '1,2\n1,,2\n' "swmr-append: stdin: line 2, field 2: empty field" 1
    refuse '1,2\n,1,2\n' "swmr-append: stdin: line 2, field 1: empty field" 1
    refuse '1,2\n1,2,\n' "swmr-append: stdin: line 2, field 3: empty field" 1
    refuse '1\n2\0\n' "swmr-append: stdin: line 2: line holds a NUL byte" 1
}

@test "integer types: exact range, no wrap, no clamp, no fractions" {
    refuse '255\n256\n' "swmr-append: stdin: line 2, field 1: '256' is out of range for uint8" 1 -t uint8
    refuse '0\n-1\n' "swmr-append: stdin: line 2, field 1: '-1' is out of range for uint32" 1 -t uint32
    refuse '-128\n-129\n' "swmr-append: stdin: line 2, field 1: '-129' is out of range for int8" 1 -t int8
    refuse '9223372036854775807\n9223372036854775808\n' \
        "swmr-append: stdin: line 2, field 1: '9223372036854775808' is out of range for int64" 1 -t int64
    refuse '1\n1.5\n' "swmr-append: stdin: line 2, field 1: '1.5' is not an integer (int32)" 1 -t int32
    refuse '1\nnan\n' "swmr-append: stdin: line 2, field 1: 'nan' is not allowed for int16" 1 -t int16
    refuse '1\n-inf\n' "swmr-append: stdin: line 2, field 1: '-inf' is not allowed for int64" 1 -t int64
}

@test "integer types round-trip their extremes exactly" {
    for spec in int8:-128:127 int16:-32768:32767 int32:-2147483648:2147483647 \
                int64:-9223372036854775808:9223372036854775807 uint8:0:255 \
                uint16:0:65535 uint32:0:4294967295 uint64:0:18446744073709551615; do
        IFS=: read -r t lo hi <<< "$spec"
        printf '%s\n%s\n1e2\n2.0\n' "$lo" "$hi" | swmr_append -t "$t" "$t.h5"
        run h5py_dump "$t.h5"
        assert_output "$t (4,)
$lo
$hi
100
2"
    done
}

@test "float overflow to infinity is refused; nan and inf are accepted" {
    refuse '1\n1e400\n' "swmr-append: stdin: line 2, field 1: '1e400' overflows float64" 1
    refuse '1\n3.5e38\n' "swmr-append: stdin: line 2, field 1: '3.5e38' overflows float32" 1 -t float32
    printf 'nan\nInf\n-INF\n-0\n1e-320\n' | swmr_append f.h5
    run h5py_dump f.h5
    assert_output "float64 (5,)
nan
inf
-inf
-0.0
1e-320"
}

@test "float64 is bit-exact against Python's float() on 20000 values" {
    "$PY" - > values.txt <<'PY'
import random
r = random.Random(42)
for i in range(20000):
    k = r.randrange(5)
    if k == 0:   s = repr(r.uniform(-1e6, 1e6))
    elif k == 1: s = "%de%d" % (r.randrange(10**17), r.randrange(-340, 290))
    elif k == 2: s = "%.25g" % r.uniform(0, 1)
    elif k == 3: s = "0.%s" % "".join(r.choice("0123456789") for _ in range(r.randrange(1, 40)))
    else:        s = "%d.%de%d" % (r.randrange(10**9), r.randrange(10**9), r.randrange(-30, 30))
    print(s)
PY
    swmr_append -i values.txt f.h5
    run "$PY" -c 'import h5py,struct
got=h5py.File("f.h5","r")["data"][...]
want=[float(l) for l in open("values.txt")]
bad=[(w,g) for w,g in zip(want,got.tolist()) if struct.pack("<d",w)!=struct.pack("<d",g)]
print(len(got), len(bad), bad[:3])'
    assert_output "20000 0 []"
}

@test "float32 is the correctly rounded value, not a double rounding" {
    "$PY" - > values.txt <<'PY'
import random
r = random.Random(7)
# Halfway and near-halfway cases between float32 neighbours, then random ones.
print("16777217"); print("16777219"); print("1.00000005960464477539062500000001")
print("1.000000059604644775390625"); print("3.4028235677973366e38"); print("1e-45")
for i in range(5000):
    print("%de%d" % (r.randrange(10**12), r.randrange(-56, 26)))
PY
    swmr_append -t float32 -i values.txt f.h5
    run "$PY" -W ignore - <<'PY'
import h5py, numpy as np
from fractions import Fraction
def f32(s):
    # The float32 nearest to the exact decimal value, ties to even.
    x = Fraction(s)
    c = np.float32(float(x))
    cands = [v for v in (c, np.nextafter(c, np.float32(np.inf)),
                         np.nextafter(c, np.float32(-np.inf))) if np.isfinite(v)]
    best = min(cands, key=lambda v: (abs(Fraction(float(v)) - x), int(v.view(np.uint32)) & 1))
    return best
got = h5py.File("f.h5", "r")["data"][...]
want = [f32(l.strip()) for l in open("values.txt")]
bad = [(l, w, g) for l, w, g in zip(open("values.txt"), want, got) if w.view(np.uint32) != g.view(np.uint32)]
print(len(got), len(bad), bad[:3])
PY
    assert_output --regexp '^5006 0 \[\]$'
}

@test "--skip-bad reports bad lines up to the limit, then counts, and goes on" {
    printf '1\nx\n2\ny\n3\nz\n4\n' > in.txt
    run swmr_append --skip-bad=2 -i in.txt run.h5
    assert_success
    assert_output "swmr-append: in.txt: line 2, field 1: 'x' is not a number
swmr-append: in.txt: line 4, field 1: 'y' is not a number
swmr-append: in.txt: more bad lines; counting them from now on
swmr-append: in.txt: 3 bad lines skipped"
    run h5py_dump run.h5
    assert_output $'float64 (4,)\n1.0\n2.0\n3.0\n4.0'
}

@test "a line over 16 MiB is refused by line number" {
    { echo 1; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '1'; echo; echo 2; } > big.txt
    run swmr_append -i big.txt run.h5
    assert_failure 65
    assert_output "swmr-append: big.txt: line 2: longer than 16 MiB"
    run swmr_append --skip-bad -i big.txt run2.h5
    assert_success
    run h5py_dump run2.h5
    assert_output $'float64 (2,)\n1.0\n2.0'
}

@test "the locale does not change parsing" {
    locale -a 2>/dev/null | grep -qi '^de_DE' || skip "no de_DE locale here"
    printf '1.5\n' | LC_ALL=de_DE.UTF-8 swmr_append run.h5
    run h5py_dump run.h5
    assert_output $'float64 (1,)\n1.5'
}

@test "--input-format=binary: numpy's tofile rows, bit for bit" {
    "$PY" -c '
import numpy as np
np.array([1.5, -0.0, float("nan"), 1e-310, 2.0**60], dtype="<f8").tofile("f.bin")
np.arange(12, dtype="<u2").reshape(4, 3).tofile("u.bin")'
    swmr_append --input-format=binary f.h5 < f.bin
    swmr_append --input-format binary -t uint16 --columns 3 u.h5 grid < u.bin
    run "$PY" -c '
import h5py, numpy as np
f = np.fromfile("f.bin", dtype="<f8")
d = h5py.File("f.h5", "r")["data"][...]
u = h5py.File("u.h5", "r")["grid"]
print(d.tobytes() == f.tobytes(), u.shape, u.dtype, u[...].tolist() == np.arange(12).reshape(4, 3).tolist())'
    assert_output "True (4, 3) uint16 True"
}

@test "--input-format=binary: a partial last row is an error that keeps every whole row" {
    "$PY" -c '
import numpy as np
open("p.bin", "wb").write(np.arange(7, dtype="<i4").tobytes() + b"\x01\x02")'
    run swmr_append --input-format=binary -t int32 p.h5 < p.bin
    assert_failure 65
    assert_output "swmr-append: stdin: 2 bytes after row 7: not a whole row of 4 bytes (1 int32 value)"
    run "$PY" -c 'import h5py; print(h5py.File("p.h5", "r")["data"][...].tolist())'
    assert_output "[0, 1, 2, 3, 4, 5, 6]"
}

@test "--input-format=binary: no whole row, no file; text-only options refused" {
    run swmr_append --input-format=binary e.h5 < /dev/null
    assert_success
    [ ! -e e.h5 ]
    run swmr_append --input-format=binary --header e.h5 < /dev/null
    assert_failure 64
    assert_line --index 0 "swmr-append: --input-format=binary reads packed rows: --header, --delimiter and --skip-bad apply to text only"
    run swmr_append --input-format=csv e.h5 < /dev/null
    assert_failure 64
    assert_line --index 0 "swmr-append: --input-format wants text or binary, not 'csv'"
}

@test "--input-format=binary --append: the bytes' type and width are said, never guessed" {
    printf '1 2 3\n' | swmr_append -t int16 run.h5
    "$PY" -c 'import sys, numpy as np; sys.stdout.buffer.write(np.array([[10.5, 20.5, 30.5]]).tobytes())' > f.bin
    "$PY" -c 'import sys, numpy as np; sys.stdout.buffer.write(np.array([[10, 20, 30]], dtype="<i2").tobytes())' > i.bin
    run swmr_append -a --input-format=binary run.h5 < f.bin
    assert_failure 73
    assert_output "swmr-append: run.h5: dataset data holds int16 values; binary input is read as float64: give -t int16 if that is what it holds"
    run swmr_append -a -t int16 --input-format=binary run.h5 < i.bin
    assert_failure 73
    assert_output "swmr-append: run.h5: dataset data has 3 columns; binary input is read as rows of 1 value: give --columns 3 if that is what it holds"
    swmr_append -a -t int16 --columns 3 --input-format=binary run.h5 < i.bin
    run "$PY" -c 'import h5py; print(h5py.File("run.h5", "r")["data"][...].tolist())'
    assert_output "[[1, 2, 3], [10, 20, 30]]"
}
