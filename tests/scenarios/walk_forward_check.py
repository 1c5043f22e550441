#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a walk-forward stored by `rotor run` against the rules of docs/walk-forward.md,
recomputed here from the file's other datasets (numpy, not rotor):

- the decision days d = I, I+S, ... while d < T-1 and every step's window dates (in-sample
  from d-I, or from day 0 when the window is anchored), from the trading days of the sweep's
  cells;
- each step's chosen cell from the stored in-sample metrics (goal, NaN never wins, ties to the
  earliest cell) and its in-sample metric;
- the hindsight-best cell from the cells' full-period metrics, which must equal the ordinary
  /metrics row of that cell's strategy;
- the stitched curve: its days, its start at the initial capital, and its total return from the
  equity against the stored metrics row.
Exit 1 naming the first mismatch, 0 when everything agrees. --self-test damages copies of
the file (another cell chosen at one step, a richer end of the stitched curve) and
requires the check to catch each.
Usage: walk_forward_check.py [--self-test] RESULTS.h5
"""
import math
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


class Mismatch(Exception):
    pass


def fail(msg):
    raise Mismatch(msg)


def close(a, b, tol=1e-12):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol * max(1.0, abs(b))


def check(path):
    with h5py.File(path, "r") as f:
        return check_file(f)


def check_file(f):
    groups = list(f["walk_forward"])
    if len(groups) != 1:
        fail(f"expected one walk-forward group, found {groups}")
    g = f["walk_forward"][groups[0]]
    I, O, S = (int(g.attrs[k]) for k in ("in_sample", "out_of_sample", "step"))
    anchored = text(g.attrs.get("window", "rolling")) == "anchored"
    goal, strategy = text(g.attrs["goal"]), text(g.attrs["strategy"])
    cells = g["cells"][:]
    names = [text(n) for n in cells["name"]]
    dates = [text(d) for d in f["scenarios"][names[0]]["dates"][:]]
    T = len(dates)
    for n in names[1:]:
        if [text(d) for d in f["scenarios"][n]["dates"][:]] != dates:
            fail(f"cell {n} has other trading days than {names[0]}")

    decisions = list(range(I, T - 1, S))
    steps = g["steps"][:]
    if len(steps) != len(decisions):
        fail(f"{len(steps)} steps stored, the rules give {len(decisions)}")
    ism = g["in_sample_metrics"][:]
    if ism.shape != (len(decisions), len(names)):
        fail(f"in_sample_metrics is {ism.shape}")
    better = (lambda a, b: a > b) if goal == "maximise" else (lambda a, b: a < b)

    def best(row):
        pick = 0
        for c in range(len(row)):
            if not math.isnan(row[c]) and (math.isnan(row[pick]) or better(row[c], row[pick])):
                pick = c
        return pick

    for k, d in enumerate(decisions):
        st = steps[k]
        want = {"in_sample_start": dates[0 if anchored else d - I], "in_sample_end": dates[d],
                "out_of_sample_start": dates[d], "out_of_sample_end": dates[min(d + O, T - 1)],
                "stitched_end": dates[decisions[k + 1]] if k + 1 < len(decisions) else dates[-1]}
        for col, value in want.items():
            if text(st[col]) != value:
                fail(f"step {k}: {col} {text(st[col])}, the rules give {value}")
        c = best(ism[k])
        if int(st["cell"]) != c or text(st["cell_name"]) != names[c]:
            fail(f"step {k}: chose cell {int(st['cell'])}, its in-sample metrics choose {c}")
        if not close(float(st["in_sample_metric"]), float(ism[k][c])):
            fail(f"step {k}: in_sample_metric {st['in_sample_metric']} != {ism[k][c]}")

    full = cells["full_period_metric"].astype(float)
    b = best(full)
    if text(g.attrs["best_cell"]) != names[b]:
        fail(f"best cell {text(g.attrs['best_cell'])}, the full-period metrics give {names[b]}")
    metric = text(g.attrs["metric"])
    table = f["metrics"][:]
    row = [r for r in table if text(r["scenario"]) == names[b] and text(r["strategy"]) == strategy]
    if len(row) != 1 or not close(float(row[0][metric]), float(full[b]), 1e-12):
        fail(f"{names[b]}/{strategy}: /metrics {metric} does not match full_period_metric")
    if not close(float(g.attrs["best_full_period_metric"]), float(full[b])):
        fail("best_full_period_metric is not the best cell's full-period metric")

    sdates = [text(d) for d in g["dates"][:]]
    equity = g["equity"][:]
    if sdates != dates[I:]:
        fail(f"stitched days {sdates[0]}..{sdates[-1]}, expected {dates[I]}..{dates[-1]}")
    # The first run invests the initial capital at the first close: the curve's first value is
    # that less the entry costs (a few basis points), and total return counts from the capital.
    capital = float(g.attrs["initial_capital"])
    if not 0.0 <= capital - equity[0] <= 0.01 * capital:
        fail(f"the stitched curve starts at {equity[0]}, not the initial capital less costs")
    m = g["metrics"][:][0]
    if not close(float(m["total_return"]), equity[-1] / capital - 1.0, 1e-12):
        fail(f"stitched total_return {m['total_return']} != {equity[-1] / capital - 1.0}")
    if not close(float(g.attrs["stitched_metric"]), float(m[metric])):
        fail("stitched_metric is not the stitched metrics row's")
    return f"{len(decisions)} steps, {len(names)} cells agree"


def self_test(path):
    def damaged(edit):
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "damaged.h5")
            shutil.copyfile(path, copy)
            with h5py.File(copy, "r+") as f:
                g = f["walk_forward"][list(f["walk_forward"])[0]]
                edit(g)
            try:
                check(copy)
            except Mismatch as e:
                return str(e)
            return None

    def other_cell(g):
        steps = g["steps"][:]
        steps[0]["cell"] = (int(steps[0]["cell"]) + 1) % len(g["cells"])
        g["steps"][0] = steps[0]

    def richer_end(g):
        g["equity"][-1] = g["equity"][-1] * 1.01

    for name, edit in (("another cell at step 0", other_cell),
                       ("a richer end of the stitched curve", richer_end)):
        if damaged(edit) is None:
            print(f"walk_forward_check: self-test: {name} went unnoticed")
            return 1
    print(f"walk_forward_check: self-test: both damages caught; {check(path)}")
    return 0


def main(argv):
    if argv[1:2] == ["--self-test"]:
        return self_test(argv[2])
    try:
        print(f"walk_forward_check: {check(argv[1])}")
    except Mismatch as e:
        print(f"walk_forward_check: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
