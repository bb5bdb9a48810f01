# What the Python writers and checkers of swmr-watch's bats tests share:
# imported by them (their folder is first in Python's path).
import json
import sys


def serve(prog, commands):
    """Say "ready", then run each line of standard input: COMMANDS maps
    its first word to a function of the other words. "close", or the end
    of the input, ends it; an unknown word ends the writer with PROG's
    name and the line."""
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "close":
            break
        run = commands.get(words[0])
        if run is None:
            sys.exit("%s: unknown command: %s" % (prog, line))
        run(*words[1:])


def printed_values(names, out="watch.out"):
    """The values swmr-watch --values --format=json printed in OUT, each
    dataset of NAMES (without the leading /) to the list of its values."""
    got = {n: [] for n in names}
    for line in open(out):
        obj = json.loads(line)
        name = obj["dataset"].lstrip("/")
        if name in got:
            got[name].extend(obj["values"])
    return got
