#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Speed of the Python package (docs/performance.md, "Python").

1. rotor.run on the history scenario against the engine alone: the same in-memory run timed
   inside the extension (rotor._rotor._time_engine, executeRun only), interleaved with
   rotor.run (engine + reading the in-memory file back + arrays), then the frames built from
   the results (metrics, equity, weights, trades, returns: the conversion).
2. Per-path metrics of 10,000 paths (great_rotation_2026, 8 strategies): rotor.open of the file
   and the `paths` frame built from it.

Each step is timed in wall time and in CPU time (user + system of every thread of the process,
time.process_time): on a machine shared with other jobs, wall times stretch with the load while
CPU times stay close to what a quiet machine shows.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [N] [--check]
--check exits 1 unless rotor.run <= 1.5 x engine + frames and the 10,000 paths' frame takes
under 50 ms (medians, CPU time).
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


class Clock:
    """Wall and CPU seconds of each timed call, kept for medians."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def __call__(self, f):
        w, c = time.perf_counter(), time.process_time()
        value = f()
        self.cpu.append(time.process_time() - c)
        self.wall.append(time.perf_counter() - w)
        return value

    def medians(self):
        return statistics.median(self.wall), statistics.median(self.cpu)

    def __str__(self):
        w, c = self.medians()
        return f"wall {ms(w)}   cpu {ms(c)}"


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    n = int(args[0]) if args else 31
    check = "--check" in sys.argv

    engine, run, frames = Clock(), Clock(), Clock()
    rotor.run(HISTORY, progress=False)  # warm: page cache, first allocations
    for _ in range(n):
        engine(lambda: _rotor._time_engine(HISTORY, 1))
        res = run(lambda: rotor.run(HISTORY, progress=False))
        frames(lambda: (res.metrics, res.equity, res.weights, res.trades,
                        res.returns("dual_momentum_12m")))
    print(f"history scenario, medians of {n} interleaved runs:")
    print(f"  engine alone (executeRun, in memory)     {engine}")
    print(f"  rotor.run (engine + read back + arrays)  {run}")
    print(f"  frames (metrics, equity, weights, trades, returns)  {frames}")
    (ew, ec), (rw, rc), (fw, fc) = engine.medians(), run.medians(), frames.medians()
    print(f"  rotor.run / engine: wall {rw / ew:.2f}x, cpu {rc / ec:.2f}x (target 1.5x, frames "
          "aside)")

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "forward.h5")
        forward = Clock()
        forward(lambda: rotor.run(FORWARD, paths=10000, output=path, progress=False))
        print(f"10,000-path forward run (8 strategies, written to a file): {forward}")
        opened, converted = Clock(), Clock()
        for _ in range(max(5, n // 3)):
            res = opened(lambda: rotor.open(path))
            paths = converted(lambda: res.paths)
        print(f"  rotor.open (read the file, arrays)       {opened}")
        print(f"  paths frame ({len(paths):,} rows x {paths.shape[1]} columns)  {converted}   "
              "target < 50 ms")
        pc = converted.medians()[1]

    if check:
        ok = rc <= 1.5 * ec and pc < 0.050
        print("check:", "ok" if ok else "FAILED")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
