#!/usr/bin/env bats
# Files that are damaged, or legal but extreme: swmr-watch says one clear
# line, prints valid output, and never reads garbage.
load helper

@test "a damaged file: one line from swmr-watch, none of HDF5's exit noise" {
    seq 1 20000 | swmr_append -t int64 --chunk 1000 good.h5
    cp good.h5 bad.h5
    # Garbage over the root group's object header: its checksum fails.
    printf '\xff\xff\xff\xff\xff\xff\xff\xff' |
        dd of=bad.h5 bs=1 seek=100 conv=notrunc 2>/dev/null
    run swmr_watch --once bad.h5
    assert_failure 65
    assert_output "swmr-watch: cannot list the datasets of bad.h5: incorrect metadata checksum after all read attempts"
}

@test "a dataset path longer than 4096 bytes is watched; JSON stays valid" {
    "$PY" - <<'PY'
import h5py
with h5py.File("lp.h5", "w", libver="latest") as f:
    name = "/" + "/".join(["g" * 200] * 26) + "/data"
    f.create_dataset(name, (2,), maxshape=(None,), chunks=(4,), dtype="i8")
    open("name", "w").write(name)
PY
    run swmr_watch --once --format=json lp.h5 "$(cat name)"
    assert_success
    run "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(len(d["dataset"]), d["shape"])' "$output"
    assert_output "5231 [2]"
    run swmr_watch --once --format=tsv lp.h5
    assert_success
    assert_line --index 1 --partial "$(cat name)"
}

@test "a dataset name that is not UTF-8: JSON shows U+FFFD, text shows the bytes escaped" {
    "$PY" - <<'PY'
import h5py
with h5py.File("u.h5", "w", libver="latest") as f:
    f.create_dataset(b"bad\xff\xfe\xc3name\xe2\x82", (1,), maxshape=(None,), chunks=(4,), dtype="i8")
    f.create_dataset("caf\u00e9", (1,), maxshape=(None,), chunks=(4,), dtype="i8")
PY
    run swmr_watch --once --format=json u.h5
    assert_success
    run "$PY" -c '
import json, sys
for line in sys.argv[1].splitlines():
    print(json.loads(line)["dataset"].encode("unicode_escape").decode())' "$output"
    assert_output $'/bad\\ufffd\\ufffd\\ufffdname\\ufffd\\ufffd\n/caf\\xe9'
    run swmr_watch --once --format=tsv u.h5
    assert_line --index 1 --partial '/bad'
}

@test "--values on rows too large to print: JSON null and one notice, no garbage" {
    cat > grow.py <<'PY'
import h5py, os, time
f = h5py.File("big.h5", "w", libver="latest")
h = f.create_dataset("huge", (1, 2**40), maxshape=(None, 2**62), chunks=(1, 1024), dtype="f8")
f.swmr_mode = True
open("ready", "w").close()
while not os.path.exists("go"):
    time.sleep(0.02)
for i in range(2, 5):
    h.resize((i, 2**40)); h.flush()
f.close()
PY
    "$PY" grow.py 3>&- &
    writer=$!
    wait_until 60 test -e ready
    "$SWMR_BIN/swmr-watch" --values --format=json --until 4 --timeout 60 big.h5 huge \
        > w.json 2> w.err 3>&- &
    watcher=$!
    wait_until 60 grep -q start w.json
    touch go
    wait "$writer"
    wait "$watcher"
    # Every line valid JSON, with "values": null; the last one at 4 rows.
    run "$PY" -c '
import json
lines = [json.loads(line) for line in open("w.json")]
print(lines[-1]["shape"][0], {str(d["values"]) for d in lines})'
    assert_output "4 {'None'}"
    run cat w.err
    assert_output "swmr-watch: values of /huge are not shown: its rows are larger than 64 MiB"
}
