#!/usr/bin/env python3
# Median wall time of a command over N runs, in milliseconds: `median_ms.py N cmd args...`.
# Timed from Python so that no extra processes are spawned per measurement. Also prints the
# median CPU time (user + system of the child), which stays meaningful when other jobs share
# the cores and stretch the wall time.
import os, subprocess, sys, time
n = int(sys.argv[1]); cmd = sys.argv[2:]
wall, cpu = [], []
for _ in range(n):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall.append((time.perf_counter() - t0) * 1000)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}")
    cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
def median(xs):
    xs = sorted(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
print(f"{median(wall):.2f} ms (min {min(wall):.2f}, max {max(wall):.2f}, n={n}); "
      f"cpu {median(cpu):.2f} ms (min {min(cpu):.2f})")
