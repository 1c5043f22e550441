#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""NumPy reference for the risk weighers (engine/strategy/algos/weigh.hpp).

Writes, or checks, tests/fixtures/risk_weights_test/: price files (closes, one row per day) and
expected.csv holding the inverse-volatility, risk-parity and minimum-variance weights of each
price file's daily simple returns, computed here by methods other than the engine's:
  covariance      numpy.cov (divisor n - 1)
  risk parity     cyclical coordinate descent on y_i (C y)_i = 1/n (Griveau-Billion, Richard and
                  Roncalli 2013), w = y / sum y
  min variance    every support S: w_S = C_SS^-1 1 / (1' C_SS^-1 1); the feasible (w >= 0) one
                  with the least variance is the long-only optimum
risk_weights_test.cpp reads the files and compares the engine's weights to 1e-8.
Usage: risk_weights_reference.py --write DIR | --check DIR
"""
import itertools
import os
import sys

import numpy as np

CASES = {
    # name: (seed, daily vols, loading on a common factor, days)
    "five": (11, [0.010, 0.015, 0.020, 0.012, 0.030], [0.3, 0.8, 0.9, 0.5, 0.7], 80),
    "three_correlated": (5, [0.008, 0.011, 0.025], [0.95, 0.9, 0.6], 40),
}


def prices(seed, vols, loadings, days):
    rng = np.random.default_rng(seed)
    vols = np.array(vols)
    load = np.array(loadings)
    common = rng.standard_normal(days)
    own = rng.standard_normal((days, len(vols)))
    r = vols * (load * common[:, None] + np.sqrt(1 - load**2) * own) + 0.0003
    return 100.0 * np.vstack([np.ones(len(vols)), np.cumprod(1.0 + r, axis=0)])


def returns(p):
    return p[1:] / p[:-1] - 1.0


def inverse_vol(c):
    w = 1.0 / np.sqrt(np.diag(c))
    return w / w.sum()


def risk_parity(c):
    n = len(c)
    y = np.ones(n) / np.sqrt(np.diag(c))
    for _ in range(100000):
        prev = y.copy()
        for i in range(n):
            ci = c[i] @ y - c[i, i] * y[i]
            y[i] = (-ci + np.sqrt(ci * ci + 4.0 * c[i, i] / n)) / (2.0 * c[i, i])
        if np.max(np.abs(y - prev) / y) < 1e-15:
            break
    return y / y.sum()


def min_variance(c):
    n = len(c)
    best, best_var = None, np.inf
    for size in range(1, n + 1):
        for s in itertools.combinations(range(n), size):
            x = np.linalg.solve(c[np.ix_(s, s)], np.ones(size))
            w = np.zeros(n)
            w[list(s)] = x / x.sum()
            if w.min() < 0.0:
                continue
            var = w @ c @ w
            if var < best_var:
                best, best_var = w, var
    return best


def self_test():
    # Two assets: risk parity and inverse volatility coincide (w1 = b / (a + b)); the long-only
    # minimum variance is (b^2 - rho a b) / (a^2 + b^2 - 2 rho a b) when that lies in [0, 1].
    a, b, rho = 0.2, 0.1, 0.3
    c = np.array([[a * a, rho * a * b], [rho * a * b, b * b]])
    assert abs(risk_parity(c)[0] - b / (a + b)) < 1e-14
    assert abs(inverse_vol(c)[0] - b / (a + b)) < 1e-14
    mv = (b * b - rho * a * b) / (a * a + b * b - 2 * rho * a * b)
    assert abs(min_variance(c)[0] - mv) < 1e-14


def files():
    """{file name: text} of the fixture."""
    out = {}
    rows = []
    for name, (seed, vols, load, days) in CASES.items():
        p = prices(seed, vols, load, days)
        out[f"{name}.csv"] = "".join(",".join(repr(float(v)) for v in row) + "\n" for row in p)
        c = np.cov(returns(p), rowvar=False)
        for rule, f in (("inverse_volatility", inverse_vol), ("risk_parity", risk_parity),
                        ("min_variance", min_variance)):
            rows.append(",".join([name, rule] + [repr(float(v)) for v in f(c)]))
    out["expected.csv"] = "# case,rule,weights... (tests/engine/strategy/algos/" \
                          "risk_weights_reference.py)\n" + "\n".join(rows) + "\n"
    return out


def main(argv):
    self_test()
    if len(argv) != 3 or argv[1] not in ("--write", "--check"):
        print(__doc__)
        return 2
    folder = argv[2]
    bad = 0
    for name, text in files().items():
        path = os.path.join(folder, name)
        if argv[1] == "--write":
            with open(path, "w") as f:
                f.write(text)
        else:
            with open(path) as f:
                if f.read() != text:
                    print(f"{path}: differs from the NumPy recomputation")
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
