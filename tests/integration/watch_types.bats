#!/usr/bin/env bats
# swmr-watch --values on every HDF5 type a user meets, written by writers
# this project did not write (h5py: watch_types_writer.py, driven step by
# step, and small h5py scripts) and by swmr-append's compound datasets:
# compounds as JSON objects and as text/TSV columns named on a fields line
# (nested as pos.x, arrays as a[0]); --fields and its refusals; fixed and
# variable-length strings with their escapes; enums by name; booleans;
# arrays; sequences; float16; big-endian and 3-byte integers; one notice and
# null for what it cannot print; variable-length strings read live across
# many flushes (past a SWMR reader's stale end of allocation).
# Every JSON value is checked against h5py by watch_check_types.py.

load watch_helper

WRITER=$BATS_TEST_DIRNAME/watch_types_writer.py
CHECK=$BATS_TEST_DIRNAME/watch_check_types.py
ALL="log vstr fstr color flag half big i24 pair seq"

# types_file NAME:ROWS...: a closed file t.h5 from the h5py writer.
types_file() {
    local spec names=()
    for spec; do names+=("${spec%%:*}"); done
    for spec; do echo "append ${spec%%:*} ${spec#*:}"; done |
        "$PY" "$WRITER" t.h5 "${names[@]}" >/dev/null
}

# once ARGS...: swmr-watch --once --values ARGS, stdout in watch.out,
# stderr in watch.err, its status in $ONCE_STATUS.
once() {
    ONCE_STATUS=0
    swmr_watch --once --values "$@" >watch.out 2>watch.err || ONCE_STATUS=$?
}

# value_lines: watch.out with each start line (which begins with the
# time) cut to its dataset; the TSV header, fields and value lines whole.
value_lines() {
    awk '/^[0-9]/ { print $2; next } { print }' watch.out
}

# json_values: each JSON line of watch.out as its dataset and the exact
# text of its values.
json_values() {
    sed 's/.*"dataset":"\([^"]*\)".*"values":\(.*\),"blocks".*/\1 \2/' watch.out
}

@test "json, live h5py writer: every value of every type, as h5py reads it" {
    start_writer t.h5 $ALL
    start_watch --values --format=json --timeout 120 t.h5
    wait_lines 10
    for name in $ALL; do send append "$name" 3; done
    wait_lines 20
    for name in $ALL; do send append "$name" 6; done
    wait_lines 30
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run "$PY" "$CHECK" t.h5 $ALL
    assert_output "$(for name in $ALL; do echo "$name 9 ok"; done)"
    run cat watch.err
    assert_output ""
}

@test "text: a fields line, then each type as it reads: quoted strings, enum names, flattened arrays" {
    types_file log:4 vstr:2 fstr:2 color:4 flag:2 half:5 big:2 i24:2 pair:2 seq:3
    once t.h5
    assert_equal "$ONCE_STATUS" 0
    run value_lines
    assert_output '/big
  0: -3
  1: -1.75
/color
  0: RED
  1: GREEN
  2: BLUE
  3: 7
/flag
  0: false
  1: true
/fstr
  0: "s0"
  1: "s1"
/half
  0: 0.1
  1: 65500
  2: -2.5
  3: 6e-08
  4: 0.2
/i24
  0: 0
  1: -1000
/log
  fields: time pos.x pos.y a[0] a[1] a[2] name ok color
  0: 0.5 0 0 0 1 2 "a b\tc" true RED
  1: 1.5 0.1 -1 1 2 3 "r1" false GREEN
  2: 2.5 0.2 -2 2 3 4 "a b\tc" true BLUE
  3: 3.5 0.3 -3 3 4 5 "r3" false 7
/pair
  0: 0 1 2 3
  1: 1 2 3 4
/seq
  0: []
  1: [1]
  2: [2,3]
/vstr
  0: "line\nbreak \"q\""
  1: "héllo 1"'
    run cat watch.err
    assert_output ""
}

@test "tsv: the fields line names the columns; strings bare, escaped, never a raw tab or newline" {
    types_file log:2 vstr:2 fstr:1
    once --format=tsv t.h5
    assert_equal "$ONCE_STATUS" 0
    run value_lines
    assert_output $'time\tdataset\trows\tshape\tdelta\trate\tevent
/fstr
\t0\ts0
/log
fields\tindex\ttime\tpos.x\tpos.y\ta[0]\ta[1]\ta[2]\tname\tok\tcolor
\t0\t0.5\t0\t0\t0\t1\t2\ta b\\tc\ttrue\tRED
\t1\t1.5\t0.1\t-1\t1\t2\t3\tr1\tfalse\tGREEN
/vstr
\t0\tline\\nbreak "q"
\t1\th\303\251llo 1'
}

@test "control characters and bytes that are no UTF-8: \\xNN in text and TSV, \\uNNNN and U+FFFD in JSON" {
    "$PY" - <<'PY'
import h5py
with h5py.File("t.h5", "w", libver="latest") as f:
    for name, dt, rows in (("fixed", "S8", [b"\x01\xff\"\\\x7f", b"cr\r"]),
                           ("utf8", h5py.string_dtype(), ["\x01\u00e9\\", "\u20ac\t"])):
        f.create_dataset(name, data=rows, dtype=dt, maxshape=(None,))
PY
    once t.h5
    run value_lines
    assert_output $'/fixed\n  0: "\\x01\\xff\\"\\\\\\x7f"\n  1: "cr\\r"
/utf8\n  0: "\\x01\303\251\\\\"\n  1: "\342\202\254\\t"'
    once --format=tsv t.h5
    run value_lines
    assert_output $'time\tdataset\trows\tshape\tdelta\trate\tevent
/fixed\n\t0\t\\x01\\xff"\\\\\\x7f\n\t1\tcr\\r
/utf8\n\t0\t\\x01\303\251\\\\\n\t1\t\342\202\254\\t'
    once --format=json t.h5
    run json_values
    assert_output $'/fixed ["\\u0001\\ufffd\\"\\\\\177","cr\\r"]\n/utf8 ["\\u0001\303\251\\\\","\342\202\254\\t"]'
}

@test "--fields picks members in the order given, nested ones inside their compound, in every format" {
    types_file log:2
    once --format=json --fields=color,pos.x t.h5 log
    run json_values
    assert_output '/log [{"color":"RED","pos":{"x":0.0}},{"color":"GREEN","pos":{"x":0.1}}]'
    once --fields=name,a,pos t.h5 log
    run value_lines
    assert_output '/log
  fields: name a[0] a[1] a[2] pos.x pos.y
  0: "a b\tc" 0 1 2 0 0
  1: "r1" 1 2 3 0.1 -1'
    once --format=tsv --fields=ok t.h5 log
    run value_lines
    assert_output $'time\tdataset\trows\tshape\tdelta\trate\tevent
/log\nfields\tindex\tok\n\t0\ttrue\n\t1\tfalse'
    run cat watch.err
    assert_output ""
}

@test "--fields refusals: a field that is not there, a path into a non-compound, no --values: 64" {
    types_file log:1
    once --fields=time,pos.z t.h5 log
    assert_equal "$ONCE_STATUS" 64
    assert_equal "$(<watch.err)" "swmr-watch: --fields: dataset /log in t.h5: it has no field 'pos.z' (the fields of pos: x, y)"
    assert_equal "$(<watch.out)" ""
    once --fields=nope t.h5 log
    assert_equal "$ONCE_STATUS" 64
    assert_equal "$(<watch.err)" "swmr-watch: --fields: dataset /log in t.h5: it has no field 'nope' (the fields of its records: time, pos, a, name, ok, color)"
    once --fields=time.x t.h5 log
    assert_equal "$ONCE_STATUS" 64
    assert_equal "$(<watch.err)" "swmr-watch: --fields: dataset /log in t.h5: its field 'time' has no fields (it is not a compound)"
    once --fields=a.x t.h5 log
    assert_equal "$ONCE_STATUS" 64
    assert_equal "$(<watch.err)" "swmr-watch: --fields: dataset /log in t.h5: its field 'a' is an array: --fields picks it whole, not its elements or their fields"
    run swmr_watch --once --fields=time t.h5 log
    assert_equal "$status" 64
    assert_line --index 0 "swmr-watch: --fields picks what --values prints: add --values (-r)"
    run swmr_watch --once --values --fields=ok,time,ok t.h5 log
    assert_equal "$status" 64
    assert_line --index 0 "swmr-watch: --fields: 'ok' is named twice"
}

@test "text: field and enum names with blanks are quoted, one word a value (a spreadsheet's header)" {
    printf 'time (s),temp [\xc2\xb0C]\n1,2\n' |
        swmr_append --header -t float64,float32 h.h5
    run swmr_watch --once --values h.h5
    assert_success
    assert_line --index 1 '  fields: "time (s)" "temp [°C]"'
    assert_line --index 2 '  0: 1 2'
    "$PY" -c '
import h5py, numpy
e = h5py.enum_dtype({"NOT OK": 0, "OK": 1}, basetype="u1")
with h5py.File("e.h5", "w", libver="latest") as f:
    f.create_dataset("s", data=numpy.array([0, 1], "u1"), dtype=e, maxshape=(None,), chunks=(2,))'
    run swmr_watch --once --values e.h5
    assert_success
    assert_line --index 1 '  0: "NOT OK"'
    assert_line --index 2 '  1: OK'
    run swmr_watch --once --values --format=tsv e.h5
    assert_line --index 2 $'\t0\tNOT OK'
}

@test "--fields on a dataset that is no compound: one notice, all of its values" {
    types_file half:2 log:1
    once --format=json --fields=time t.h5
    assert_equal "$ONCE_STATUS" 0
    run json_values
    assert_output '/half [0.1,65500.0]
/log [{"time":0.5}]'
    run cat watch.err
    assert_output "swmr-watch: --fields: /half is not a compound (float16): all of its values are shown"
}

@test "opaque, live: one notice per dataset for the whole run; null in JSON, ? in text" {
    start_writer t.h5 blob opaque
    start_watch --values --format=json --timeout 120 t.h5
    wait_lines 2
    for step in 1 2 3; do
        send append blob 2
        send append opaque 2
        wait_lines $((2 + 2 * step))
    done
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.err
    assert_output "swmr-watch: values of /blob: field 'raw' (opaque) cannot be printed: shown as null in JSON, ? in text and TSV
swmr-watch: values of /opaque are not shown: --values cannot print its type (opaque)"
    run "$PY" "$CHECK" t.h5 blob
    assert_output "blob 6 ok"
    run grep -c '"dataset":"/opaque",.*"values":null,"blocks":null}$' watch.out
    assert_output 5
    once --fields=raw,n t.h5 blob
    run value_lines
    assert_output $'/blob\n  fields: raw n\n  0: ? 0\n  1: ? 1\n  2: ? 2\n  3: ? 3\n  4: ? 4\n  5: ? 5'
}

@test "variable-length strings read live across five flushes (past a SWMR reader's end of allocation)" {
    start_writer t.h5 vstr
    start_watch --values --format=json --timeout 120 t.h5
    wait_lines 1
    for step in 1 2 3 4 5; do
        send append vstr "$step"
        wait_lines $((1 + step))
    done
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run cat watch.err
    assert_output ""
    run "$PY" "$CHECK" t.h5 vstr
    assert_output "vstr 15 ok"
}

# append_live ARGS...: swmr-append ARGS run.h5, watched in JSON from before
# the file exists; each line of the heredoc on fd 0 is sent on its own and
# its row awaited, by the JSON object it must print (the line after the
# tab).
append_live() {
    start_watch_waiting --values --format=json --timeout 120 run.h5
    exec 8> >(swmr_append --flush-interval 0.05 "$@" run.h5 7>&-)
    local line json
    while IFS=$'\t' read -r line json; do
        echo "$line" >&8
        wait_text "$json"
    done
    exec 8>&-
    finish_watch
    assert_equal "$WATCH_STATUS" 0
}

@test "swmr-append's compound (-t float64,int32,uint8 --columns=t,n,flag), followed live" {
    append_live -t float64,int32,uint8 --columns=t,n,flag <<'EOF2'
0.1,-7,255	{"t":0.1,"n":-7,"flag":255}
2.5e-300,2147483647,0	{"t":2.5e-300,"n":2147483647,"flag":0}
-0.5,-2147483648,1	{"t":-0.5,"n":-2147483648,"flag":1}
EOF2
    run "$PY" "$CHECK" run.h5 data
    assert_output "data 3 ok"
    once run.h5
    run value_lines
    assert_output $'/data\n  fields: t n flag\n  0: 0.1 -7 255\n  1: 2.5e-300 2147483647 0\n  2: -0.5 -2147483648 1'
}

@test "swmr-append --timestamp: the time field first, each row as h5py reads it" {
    append_live --timestamp -t int16,float32 --columns=a,b <<'EOF2'
1,0.1	"a":1,"b":0.1}
-32768,3e38	"a":-32768,"b":3e+38}
EOF2
    run "$PY" "$CHECK" run.h5 data
    assert_output "data 2 ok"
    run grep -c '"values":\[{"time":[0-9.]*,"a":' watch.out
    assert_output 2
}

@test "tsv, live: the fields line once per dataset, before its first values" {
    start_writer t.h5 log
    start_watch --values --format=tsv --timeout 120 t.h5
    wait_lines 2
    for step in 1 2 3; do
        send append log 1
        wait_lines $((2 + 2 * step + (step == 1)))
    done
    finish_writer
    finish_watch
    assert_equal "$WATCH_STATUS" 0
    run value_lines
    assert_output $'time\tdataset\trows\tshape\tdelta\trate\tevent
/log
/log
fields\tindex\ttime\tpos.x\tpos.y\ta[0]\ta[1]\ta[2]\tname\tok\tcolor
\t0\t0.5\t0\t0\t0\t1\t2\ta b\\tc\ttrue\tRED
/log
\t1\t1.5\t0.1\t-1\t1\t2\t3\tr1\tfalse\tGREEN
/log
\t2\t2.5\t0.2\t-2\t2\t3\t4\ta b\\tc\ttrue\tBLUE
/log'
}

@test "a big-endian enum: a value without a name is its own number, as h5py reads it" {

    "$PY" - <<'PY'
import h5py, numpy as np
with h5py.File("t.h5", "w", libver="latest") as f:
    for name, base in (("be", ">i2"), ("beu", ">u2")):
        dt = h5py.enum_dtype({"RED": 0, "BLUE": 42}, basetype=base)
        f.create_dataset(name, data=np.array([0, 42, 7, 9], dt), maxshape=(None,))
PY
    once --format=json t.h5
    assert_equal "$ONCE_STATUS" 0
    # h5py reads 0 42 7 9 from both.
    run json_values
    assert_output $'/be ["RED","BLUE",7,9]\n/beu ["RED","BLUE",7,9]'
}

@test "notices come after the line they are about, in order with stdout in a 2>&1 pipe" {
    "$PY" -c '
import h5py, numpy
with h5py.File("n.h5", "w", libver="latest") as f:
    f.create_dataset("a", data=[1], maxshape=(None,), chunks=(2,))
    f.create_dataset("b", data=numpy.array([b"xy"], "V2"), maxshape=(None,), chunks=(2,))
    f.create_dataset("c", data=[3], maxshape=(None,), chunks=(2,))'
    swmr_watch --once --values --format=tsv n.h5 > both.out 2>&1
    run cut -f 2 both.out
    assert_output "$(printf 'dataset\n/a\n0\n/b\nswmr-watch: values of /b are not shown: --values cannot print its type (opaque)\n/c\n0')"
}
