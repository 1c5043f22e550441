#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Recomputes the report's tear-sheet numbers from a results file with pandas/numpy, by methods
independent of engine/report/tearsheet.cpp (groupby, rolling, cummax), and prints them one per
line: `KIND fields... value` (numbers %.17g, nan for undefined).

Usage: tearsheet_reference.py history RESULTS.h5 SCENARIO STRATEGY [BENCHMARK]
       tearsheet_reference.py montecarlo RESULTS.h5 SCENARIO STRATEGY
"""
import math
import sys

import h5py
import numpy as np
import pandas as pd


def text(a):
    return [x.decode() if isinstance(x, bytes) else x for x in a]


def series(f, scenario, strategy):
    g = f["/scenarios/%s" % scenario]
    dates = pd.to_datetime(text(g["dates"][()]))
    eq = pd.Series(g["strategies/%s/equity" % strategy][()], index=dates)
    return g, eq


def periods(eq, capital, keys):
    last = eq.groupby(keys).last()
    base = np.concatenate([[capital], last.values[:-1]])
    return [[list(map(int, k if isinstance(k, tuple) else (k,))), v]
            for k, v in zip(last.index, last.values / base - 1)]


def drawdowns(eq):
    v = eq.values
    dd = v / np.maximum.accumulate(v) - 1
    out, t, n = [], 1, len(v)
    while t < n:
        if dd[t] >= 0:
            t += 1
            continue
        start = t
        while t < n and dd[t] < 0:
            t += 1
        peak = start - 1  # dd is 0 there: the last day at the high
        trough = start + int(np.argmin(v[start:t]))
        rec = t if t < n else -1
        out.append({"peak": peak, "trough": trough, "recovery": rec,
                    "depth": 1 - v[trough] / v[peak],
                    "length": (rec if rec >= 0 else n - 1) - peak})
    out.sort(key=lambda e: -e["depth"])  # stable: ties keep time order
    return out[:5]


def history(path, scenario, strategy, benchmark):
    with h5py.File(path, "r") as f:
        g, eq = series(f, scenario, strategy)
        capital = float(g.attrs["initial_capital"])
        rate = pd.Series(g["cash_rate"][()], index=eq.index)
        bench = series(f, scenario, benchmark)[1] if benchmark else None
    r = eq.pct_change().iloc[1:]
    days = eq.index.to_series().diff().dt.days.iloc[1:]
    rf = rate.shift(1).iloc[1:] / 100 * days / 360
    x = r - rf
    out = {
        "months": periods(eq, capital, [eq.index.year, eq.index.month]),
        "years": periods(eq, capital, eq.index.year),
        "skew": r.skew(), "kurtosis": r.kurt(), "best_day": r.max(), "worst_day": r.min(),
        "hit_rate": float((r > 0).mean()), "drawdowns": drawdowns(eq), "rolling": {},
    }
    rb = bench.pct_change().iloc[1:] if bench is not None else None
    n = len(eq)
    sample = sorted(set(list(range(0, n, 397)) + [n - 1]))
    for w in (126, 252):
        vol = r.rolling(w).std() * math.sqrt(252)
        sharpe = x.rolling(w).mean() / x.rolling(w).std() * math.sqrt(252)
        beta = r.rolling(w).cov(rb) / rb.rolling(w).var() if rb is not None else None
        rows = []
        for day in sample:
            if day < w:
                continue  # day t's window is the returns of days t-w+1..t (row t-1 of r)
            rows.append([day, vol.iloc[day - 1], sharpe.iloc[day - 1],
                         beta.iloc[day - 1] if beta is not None else None])
        out["rolling"][str(w)] = rows
    return out


def montecarlo(path, scenario, strategy):
    with h5py.File(path, "r") as f:
        p = f["/scenarios/%s/strategies/%s/paths" % (scenario, strategy)]
        w = np.asarray(p["terminal_wealth"][()])
    n = len(w)
    s = np.sort(w)
    lo = int(min(max(math.floor(n / 2 - 0.98 * math.sqrt(n) + 0.5), 1), n))
    hi = int(min(max(math.floor(1 + n / 2 + 0.98 * math.sqrt(n) + 0.5), 1), n))
    p_loss = float(np.mean(w < 1.0))
    return {"mean": float(w.mean()), "mean_se": float(w.std(ddof=1) / math.sqrt(n)),
            "median": float(np.percentile(w, 50)), "median_se": (s[hi - 1] - s[lo - 1]) / 3.92,
            "p_loss": p_loss, "p_loss_se": math.sqrt(p_loss * (1 - p_loss) / n)}


def g(v):
    return "nan" if v is None or not math.isfinite(v) else "%.17g" % v


def main():
    kind, path, scenario, strategy = sys.argv[1:5]
    if kind == "montecarlo":
        for k, v in montecarlo(path, scenario, strategy).items():
            print("mc", k, g(v))
        return
    out = history(path, scenario, strategy, sys.argv[5] if len(sys.argv) > 5 else None)
    for (y, m), v in out["months"]:
        print("month", y, m, g(v))
    for (y,), v in out["years"]:
        print("year", y, g(v))
    for k in ("skew", "kurtosis", "best_day", "worst_day", "hit_rate"):
        print("stat", k, g(out[k]))
    for e in out["drawdowns"]:
        print("drawdown", e["peak"], e["trough"], e["recovery"], g(e["depth"]), e["length"])
    for w, rows in out["rolling"].items():
        for day, vol, sharpe, beta in rows:
            print("rolling", w, day, g(vol), g(sharpe), g(beta))


if __name__ == "__main__":
    main()
