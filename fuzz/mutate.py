#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A mutation run outside libFuzzer (docs/fuzzing.md): COUNT copies of SEED, each with 1 to
MAX_BYTES bytes set to random values at random offsets, given to `ROTOR report` one by one (or
`ROTOR merge` for a shard seed, --merge), with a time limit per file. Prints how they ended:
exit codes, signals by name, time-outs, and for each crash the file kept in --keep DIR.

Usage: fuzz/mutate.py ROTOR SEED [--count 300] [--max-bytes 16] [--rng 1] [--timeout 60]
                      [--merge --cwd DIR] [--keep DIR] [--region START:END ...]
--region (repeatable) confines the changed bytes to those byte ranges of SEED (END excluded),
e.g. one structure of the file.
The same --rng gives the same files, so a run before and after a change compares like with like.
"""
import argparse
import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile


def mutate(data, rng, max_bytes, offsets=None):
    out = bytearray(data)
    for _ in range(rng.randint(1, max_bytes)):
        at = rng.choice(offsets) if offsets else rng.randrange(len(out))
        out[at] = rng.randrange(256)
    return bytes(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rotor")
    ap.add_argument("seed")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--max-bytes", type=int, default=16)
    ap.add_argument("--rng", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--merge", action="store_true", help="the seed is a shard: rotor merge")
    ap.add_argument("--cwd", help="where rotor runs (a shard's scenario and data for --merge)")
    ap.add_argument("--keep", help="folder for the files that crashed or timed out")
    ap.add_argument("--region", action="append", default=[],
                    help="START:END, a byte range of SEED the changes are confined to")
    args = ap.parse_args(argv[1:])
    rotor = os.path.abspath(args.rotor)
    seed = open(args.seed, "rb").read()
    rng = random.Random(args.rng)
    offsets = [at for r in args.region for at in range(*map(int, r.split(":")))
               if at < len(seed)]
    outcomes = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.count):
            path = os.path.join(tmp, "m%04d.h5" % i)
            with open(path, "wb") as f:
                f.write(mutate(seed, rng, args.max_bytes, offsets))
            out = os.path.join(tmp, "out.%s" % ("h5" if args.merge else "html"))
            cwd = os.path.abspath(args.cwd) if args.cwd else tmp
            cmd = ([rotor, "merge", out, path, "--force", "--quiet"] if args.merge else
                   [rotor, "report", path, "-o", out, "--force", "--max-memory", "1G"])
            try:
                rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, timeout=args.timeout).returncode
                what = ("signal %s" % signal.Signals(-rc).name) if rc < 0 else "exit %d" % rc
            except subprocess.TimeoutExpired:
                what = "timeout"
            outcomes[what] += 1
            if args.keep and (what.startswith("signal") or what == "timeout"):
                os.makedirs(args.keep, exist_ok=True)
                shutil.copy(path, os.path.join(args.keep, "%s-%04d.h5" % (what.replace(" ", "-"),
                                                                         i)))
            if os.path.exists(out):
                os.remove(out)
    for what, n in sorted(outcomes.items()):
        print("%-16s %d" % (what, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
