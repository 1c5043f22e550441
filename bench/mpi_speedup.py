#!/usr/bin/env python3
# Speed-up of `mpirun -np 2` over one process on a Monte Carlo run, next to a purely parallel
# control, measured interleaved (docs/performance.md, docs/cluster.md). Each round runs, in an
# order that alternates:
#   one     rotor run FILE --paths P --threads 1
#   mpi2    mpirun -np 2 rotor run FILE --paths P --threads 1
#   control two independent `rotor run FILE --paths P/2 --threads 1` at once: the speed-up the
#           machine itself allows two processes right now (shared cores, other load)
# and prints medians, the MPI speed-up one/mpi2 and the control's one/control. Each LAUNCHER
# (default "mpirun") is a case of its own, split at spaces, e.g. "mpirun --mca pml ob1".
# `--before ROTOR2` adds the case "mpi2 before": ROTOR2 (another build) under the first launcher.
# Usage: bench/mpi_speedup.py ROUNDS ROTOR FILE PATHS [LAUNCHER ...] [--before ROTOR2]
import os, statistics, subprocess, sys, tempfile, time

args = sys.argv[1:]
before = None
if "--before" in args:
    k = args.index("--before")
    before = args[k + 1]
    del args[k:k + 2]
if len(args) < 4:
    sys.exit("usage: mpi_speedup.py ROUNDS ROTOR FILE PATHS [LAUNCHER ...] [--before ROTOR2]")
rounds, rotor, scenario, paths = int(args[0]), args[1], args[2], int(args[3])
launchers = args[4:] or ["mpirun"]
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
work = tempfile.mkdtemp(prefix="rotor-mpi-bench-")


def run(name, p, binary=rotor):
    return [binary, "run", scenario, "--paths", str(p), "--threads", "1", "--quiet", "--force",
            "-o", os.path.join(work, name + ".h5")]


def timed(cmds):
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL) for c in cmds]
    for p, c in zip(procs, cmds):
        if p.wait() != 0:
            sys.exit("failed: " + " ".join(c))
    return time.perf_counter() - t0


cases = {"one": lambda: timed([run("one", paths)])}
mpi = []
for k, launcher in enumerate(launchers):
    name = "mpi2" if len(launchers) == 1 else f"mpi2 [{launcher}]"
    mpi.append(name)
    cases[name] = (lambda w, n: lambda: timed([w + ["-np", "2"] + run(n, paths)]))(
        launcher.split(), f"mpi2_{k}")
if before:
    mpi.append("mpi2 before")
    cases["mpi2 before"] = lambda: timed([launchers[0].split() + ["-np", "2"] +
                                          run("before", paths, before)])
cases["control"] = lambda: timed([run("c1", paths // 2), run("c2", paths - paths // 2)])
times = {k: [] for k in cases}
order = list(cases)
for i in range(rounds):
    for k in (order if i % 2 == 0 else order[::-1]):
        times[k].append(cases[k]())
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in times.items():
    print(f"{k}: median {med[k]:.2f} s (min {min(v):.2f}, max {max(v):.2f}, n={len(v)})")
for name in mpi:
    print(f"speed-up {name}: {med['one'] / med[name]:.2f}x")
print(f"parallel control: {med['one'] / med['control']:.2f}x; load average {os.getloadavg()}")
