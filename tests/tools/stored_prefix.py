#!/usr/bin/env python3
"""Checks the stored paths of two `store: paths` results files of one scenario and seed.

Path p depends on the seed and p alone, so the file of fewer paths (another window of chunks,
other pieces, another route) holds exactly the first rows of the file of more paths. Both keep
float32 `stored_prices` [P, T, N] and `stored_rates` [P, T], chunked with shuffle + gzip, with
finite values and positive prices.
Usage: stored_prefix.py ALL.h5 FIRST.h5 SCENARIO
"""
import sys

import h5py
import numpy as np


def stored(path, scenario):
    with h5py.File(path, "r") as f:
        g = f["scenarios"][scenario]
        out = {}
        for name in ("stored_prices", "stored_rates"):
            d = g[name]
            if d.dtype != np.float32 or d.compression != "gzip" or not d.shuffle or not d.chunks:
                sys.exit(f"FAIL: {path} {name}: {d.dtype}, {d.compression}, chunks {d.chunks}")
            out[name] = d[...]
        days, assets = len(g["dates"]), len(g["assets"])
        paths = int(g.attrs["paths"])
    if out["stored_prices"].shape != (paths, days, assets) or \
            out["stored_rates"].shape != (paths, days):
        sys.exit(f"FAIL: {path}: shapes {out['stored_prices'].shape} {out['stored_rates'].shape}")
    if not (np.isfinite(out["stored_prices"]).all() and (out["stored_prices"] > 0).all() and
            np.isfinite(out["stored_rates"]).all()):
        sys.exit(f"FAIL: {path}: a stored price not finite and positive, or a rate not finite")
    return out


def main():
    all_paths, first, scenario = sys.argv[1:4]
    a, b = stored(all_paths, scenario), stored(first, scenario)
    n = b["stored_rates"].shape[0]
    if n >= a["stored_rates"].shape[0]:
        sys.exit(f"FAIL: {first} has {n} paths, not fewer than {all_paths}")
    for name in a:
        if a[name][:n].tobytes() != b[name].tobytes():
            sys.exit(f"FAIL: {name}: the first {n} paths of {all_paths} differ from {first}")


if __name__ == "__main__":
    main()
