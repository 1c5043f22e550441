#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Speed of the Python package (docs/performance.md, "Python").

1. rotor.run on the history scenario against the engine alone: the same in-memory run timed
   inside the extension (rotor._rotor._time_engine, executeRun only), interleaved with
   rotor.run (engine + reading the in-memory file back + arrays), then the frames built from
   the results (metrics, equity, weights, trades, returns: the conversion).
2. Per-path metrics of 10,000 paths (great_rotation_2026, 7 strategies): rotor.open of the file
   and the `paths` frame built from it.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [N] [--check]
--check exits 1 unless rotor.run <= 1.5 x engine + frames and the 10,000 paths' frame takes
under 50 ms (medians).
"""

import os
import statistics
import sys
import tempfile
import time

import rotor
from rotor import _rotor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HISTORY = os.path.join(ROOT, "scenarios", "rotation_2000_2025.yaml")
FORWARD = os.path.join(ROOT, "scenarios", "great_rotation_2026.yaml")


def ms(seconds):
    return f"{seconds * 1000:8.2f} ms"


def timed(f):
    t0 = time.perf_counter()
    value = f()
    return time.perf_counter() - t0, value


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    n = int(args[0]) if args else 31
    check = "--check" in sys.argv

    engine, run, frames = [], [], []
    rotor.run(HISTORY, progress=False)  # warm: page cache, first allocations
    for _ in range(n):
        engine.append(_rotor._time_engine(HISTORY, 1)[0])
        t, res = timed(lambda: rotor.run(HISTORY, progress=False))
        run.append(t)
        t, _ = timed(lambda: (res.metrics, res.equity, res.weights, res.trades,
                              res.returns("dual_momentum_12m")))
        frames.append(t)
    e, r, c = (statistics.median(x) for x in (engine, run, frames))
    print(f"history scenario, medians of {n} interleaved runs:")
    print(f"  engine alone (executeRun, in memory)     {ms(e)}")
    print(f"  rotor.run (engine + read back + arrays)  {ms(r)}   {r / e:.2f} x engine")
    print(f"  frames (metrics, equity, weights, trades, returns) {ms(c)}")
    print(f"  rotor.run + frames                       {ms(r + c)}   target 1.5 x engine + frames"
          f" = {ms(1.5 * e + c)}")

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "forward.h5")
        t, _ = timed(lambda: rotor.run(FORWARD, paths=10000, output=path, progress=False))
        print(f"10,000-path forward run (7 strategies): {t:.2f} s")
        opened, converted = [], []
        for _ in range(max(5, n // 3)):
            t, res = timed(lambda: rotor.open(path))
            opened.append(t)
            t, paths = timed(lambda: res.paths)
            converted.append(t)
        o, p = statistics.median(opened), statistics.median(converted)
        print(f"  rotor.open (read the file, arrays)       {ms(o)}")
        print(f"  paths frame ({len(paths):,} rows x {paths.shape[1]} columns)  {ms(p)}   "
              "target < 50 ms")

    if check:
        ok = r <= 1.5 * e + c and p < 0.050
        print("check:", "ok" if ok else "FAILED")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
