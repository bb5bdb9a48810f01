# Checks swmr-watch --values --format=json output (watch.out) against the
# file as h5py reads it after the writer closed it, for growth along any
# dimension: every line's "blocks" say where its "values" go.
#   watch_check_cells.py FILE DATASET...
# Every cell of the file must have been printed, with its exact value, and
# (unless the dataset shrank) exactly once. Prints "NAME SHAPE ok CELLS".
import json, sys
import h5py, numpy as np

path, names = sys.argv[1], sys.argv[2:]
seen = {n: {} for n in names}
twice = {n: 0 for n in names}
for line in open("watch.out"):
    obj = json.loads(line)
    name = obj["dataset"].lstrip("/")
    if name not in seen or not obj["values"]:
        continue
    rows = list(obj["values"])
    for b in obj["blocks"]:
        start, count = b["start"], b["count"]
        cells = []
        for _ in range(count[0]):
            row = rows.pop(0)
            cells.extend(row if isinstance(row, list) else [row])
        for off, v in enumerate(cells):
            idx = tuple(int(i) for i in np.unravel_index(off, count))
            where = tuple(s + i for s, i in zip(start, idx))
            twice[name] += where in seen[name]
            seen[name][where] = v
    if rows:
        sys.exit("%s: values left over after the blocks: %r" % (name, rows))
with h5py.File(path, "r") as f:
    for n in names:
        want = f[n][...]
        for where in np.ndindex(want.shape):
            if where not in seen[n]:
                sys.exit("%s: cell %s never printed" % (n, where))
            if seen[n][where] != want[where]:
                sys.exit("%s: cell %s printed %r, file %r" % (n, where, seen[n][where], want[where]))
        print(n, want.shape, "ok", len(seen[n]), "twice", twice[n])
