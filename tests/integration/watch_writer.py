# An h5py SWMR writer for swmr-watch's tests, following the h5py recipe:
# libver="latest", chunked datasets with an unlimited first dimension,
# swmr_mode = True, then resize + write + flush per append.
#
#   watch_writer.py FILE [NAME:DTYPE[:COLS[:CHUNK]] ...]  (default data:int64)
# (CHUNK rows a chunk, default 2 as in the recipe)
#
# It then obeys commands, one a line on stdin (a pipe or a FIFO, so a test
# can hand-shake with the watcher between steps):
#   append N [NAME]   add N rows to NAME (default: every dataset), flush
#   shrink N [NAME]   set the first dimension to N, flush
#   wait PATH         wait until PATH exists
#   close             close the file cleanly and exit 0
#   kill              die by SIGKILL, leaving the file open for writing
# Once the file is in SWMR mode it prints "ready" on stdout (the test's
# handshake: start_writer returns then). End of input closes the file. Row i, column c holds value(i * COLS + c),
# with the type's extremes in rows 0 and 1, so every bit is checked.
import os, signal, sys, time
import h5py, numpy as np

def values(dtype, first, n, cols):
    idx = np.arange(first * cols, (first + n) * cols, dtype=np.int64)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        v = (idx * 0.1 + 1.0 / 3.0).astype(dt)
        if dt.itemsize >= 4:
            v[idx == 0] = np.finfo(dt).max
            v[idx == 1] = -np.finfo(dt).tiny
    else:
        info = np.iinfo(dt)
        span = min(int(info.max), 1000)
        v = np.where(idx % 2 == 0, idx % span, -(idx % span) if info.min < 0 else idx % span)
        v = v.astype(dt)
        v[idx == 0] = info.max
        v[idx == 1] = info.min
    return v.reshape((n, cols)) if cols > 1 else v

def main():
    path = sys.argv[1]
    specs = sys.argv[2:] or ["data:int64"]
    f = h5py.File(path, "w", libver="latest")
    dsets = {}
    for spec in specs:
        parts = spec.split(":")
        name, dtype = parts[0], parts[1]
        cols = int(parts[2]) if len(parts) > 2 else 1
        chunk = int(parts[3]) if len(parts) > 3 else 2
        shape, maxshape, chunks = ((0,), (None,), (chunk,)) if cols == 1 else \
            ((0, cols), (None, cols), (chunk, cols))
        d = f.create_dataset(name, shape=shape, maxshape=maxshape,
                             chunks=chunks, dtype=dtype)
        dsets[name] = (d, cols)
    f.swmr_mode = True
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if cmd in ("append", "shrink"):
            n = int(args[0])
            for name in (args[1:] or list(dsets)):
                d, cols = dsets[name]
                old = d.shape[0]
                if cmd == "append":
                    d.resize(old + n, axis=0)
                    d[old:old + n] = values(d.dtype, old, n, cols)
                else:
                    d.resize(n, axis=0)
                d.flush()
        elif cmd == "wait":
            while not os.path.exists(args[0]):
                time.sleep(0.01)
        elif cmd == "close":
            break
        elif cmd == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        else:
            sys.exit("watch_writer.py: unknown command: " + line)
    f.close()

main()
