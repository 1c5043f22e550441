#!/usr/bin/env python3
# Median wall time of a command over N runs, in milliseconds: `median_ms.py N cmd args...`.
# Timed from Python so that no extra processes are spawned per measurement.
import subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(n):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
m = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
print(f"{m:.2f} ms (min {times[0]:.2f}, max {times[-1]:.2f}, n={n})")
