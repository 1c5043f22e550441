#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that strategies stored in rotor results files hold bit-identical results.

Each argument after the files is FILE_INDEX:SCENARIO/STRATEGY or SCENARIO/STRATEGY (file 0); the
datasets (equity, returns, weights, trades, metrics) of every listed strategy must equal those of
the first one exactly (bit for bit, no tolerance), except the fields that name the cell (scenario, strategy,
type, group). Exit 1 naming the first difference, 0 when all agree.
Usage: same_strategy_results.py A.h5 [B.h5 ...] -- REF OTHER [OTHER ...]
"""
import sys

import h5py
import numpy as np


def datasets(group):
    out = {}
    group.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
    return out


def load(files, spec):
    index, _, path = spec.rpartition(":")
    f = files[int(index) if index else 0]
    scenario, strategy = path.split("/")
    return datasets(f[f"scenarios/{scenario}/strategies/{strategy}"])


NAMES = {"scenario", "strategy", "type", "group"}


def same(a, b):
    if isinstance(a, np.ndarray) and a.dtype.names:
        return a.dtype.names == b.dtype.names and a.shape == b.shape and all(
            same(a[n], b[n]) for n in a.dtype.names if n not in NAMES)
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "fc":  # bit for bit: NaN (e.g. no benchmark) equals the same NaN
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return np.array_equal(a, b)


def main(argv):
    if "--" not in argv:
        print(__doc__)
        return 2
    cut = argv.index("--")
    files = [h5py.File(p, "r") for p in argv[1:cut]]
    ref, others = argv[cut + 1], argv[cut + 2:]
    want = load(files, ref)
    if not want or not others:
        print(f"{ref}: nothing to compare")
        return 2
    for other in others:
        got = load(files, other)
        if sorted(got) != sorted(want):
            print(f"{other}: datasets {sorted(got)} != {sorted(want)} of {ref}")
            return 1
        for name in want:
            if not same(want[name], got[name]):
                print(f"{other}/{name} differs from {ref}/{name}")
                return 1
        print(f"{other}: identical to {ref} ({', '.join(sorted(want))})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
