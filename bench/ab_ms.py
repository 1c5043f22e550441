#!/usr/bin/env python3
# Interleaved A/B timing of two builds: `ab_ms.py N BIN_A BIN_B args...` runs each binary N
# times with the same arguments, alternating A,B / B,A so that drifts in machine load hit both
# alike, and prints the median, quartiles and minimum wall time and the median CPU time (user +
# system of the child) of each, in milliseconds, and the ratio of the medians.
import os, statistics, subprocess, sys, time

if len(sys.argv) < 4:
    sys.exit("usage: ab_ms.py N BIN_A BIN_B [args...]")
n = int(sys.argv[1])
bins = sys.argv[2:4]
args = sys.argv[4:]
wall = {b: [] for b in bins}
cpu = {b: [] for b in bins}
for i in range(n):
    for b in (bins if i % 2 == 0 else bins[::-1]):
        t0 = time.perf_counter()
        p = subprocess.Popen([b] + args, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        wall[b].append((time.perf_counter() - t0) * 1000)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"command failed: {b} {' '.join(args)}")
        cpu[b].append((usage.ru_utime + usage.ru_stime) * 1000)
for b in bins:
    w = sorted(wall[b])
    print(f"{b}: median {statistics.median(w):.2f} ms (p25 {w[n // 4]:.2f}, p75 {w[3 * n // 4]:.2f}, "
          f"min {w[0]:.2f}, n={n}); cpu {statistics.median(cpu[b]):.2f} ms")
print(f"ratio A/B of the medians: {statistics.median(wall[bins[0]]) / statistics.median(wall[bins[1]]):.2f}")
