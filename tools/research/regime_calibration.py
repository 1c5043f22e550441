#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The regime model's calibration (docs/regimes.md), written with numpy/pandas as the second,
independent implementation of engine/scenario/regime/regime_calibration.cpp. The C++ tests run
it on the shipped data and compare every number.

Usage:
  /usr/bin/python3 tools/research/regime_calibration.py --data DATA_DIR --start 1984-01-01
      --end 2025-12-31 --assets-from 2003-01-02 --cutoff 2026-01-02 --valuation-from 1954-01-01
      --assets SPY,IWM --bonds SHY

Prints `name value` lines: class.<c>.days, .spells, .mean.<j>, .cov.<i>.<j>, .long_spells,
.spell.<s>.logvar.<j> (spells of at least 21 days); asset.<a>.beta.<c>.<j>,
.idio.<c>, .premium.<c>, .duration; curve.start_2y, curve.policy_beta; valuation.<field>.
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import policy_episodes as pe  # noqa: E402

CLASSES = ["soft_landing", "recession", "hold", "tightening"]
FACTORS = ["mkt_rf_pct", "smb_pct", "hml_pct", "rmw_pct", "cma_pct"]


def last_on_or_before(s, day):
    return s[s.index <= day].iloc[-1]


def ols(x, y):
    b, *_ = np.linalg.lstsq(x, y, rcond=None)
    r = y - x @ b
    return b, r @ r / (len(y) - x.shape[1])


def main():
    ap = argparse.ArgumentParser()
    for k in ["data", "start", "end", "assets-from", "cutoff", "valuation-from", "assets", "bonds",
              "stress-from"]:
        ap.add_argument("--" + k, required=k not in ("bonds", "stress-from"), default="")
    a = ap.parse_args()
    start, end = pd.Timestamp(a.start), pd.Timestamp(a.end)
    astart, cutoff = pd.Timestamp(a.assets_from), pd.Timestamp(a.cutoff)
    d = a.data

    # Episodes and day classes: easing years (365 days after a start) over tightening spans.
    dff = pe.read_series(f"{d}/fred/DFF.csv")
    usrec = pe.read_series(f"{d}/fred/USREC.csv")
    moves = pe.drop_reversals(pe.detect_moves(pe.weekday_rows(dff, "DFF")))
    eps = pe.tag_episodes(pe.build_episodes(moves), usrec, "USREC")

    ff = pd.read_csv(f"{d}/french/ff5_factors_daily.csv", parse_dates=["date"]).set_index("date")
    ff = ff[(ff.index >= min(start, astart)) & (ff.index <= end)]
    days = ff.index
    f = ff[FACTORS].to_numpy() * 0.01
    rf = ff["rf_pct"].to_numpy() * 0.01
    dgs2 = pe.read_series(f"{d}/fred/DGS2.csv")
    y2 = np.array([last_on_or_before(dgs2, t) for t in days])
    lab = np.full(len(days), 2)
    for _, e in eps.iterrows():
        if e.direction > 0:
            lab[(days >= e.start) & (days <= e.end)] = 3
    for _, e in eps.iterrows():
        if e.direction < 0:
            c = 1 if e.cls == "recession" else 0
            last = max(e.end, e.start + pd.Timedelta(days=365))
            lab[(days > e.start) & (days <= last)] = c
    k = f.shape[1]
    x_all = np.column_stack([f, np.r_[np.nan, np.diff(y2)]])
    means = {}
    for c, name in enumerate(CLASSES):
        rows, spells, prev = [], 0, -1
        for t in range(1, len(days)):
            if days[t] < start:
                continue
            if lab[t] == c:
                rows.append(t)
                if prev != c:
                    spells += 1
            prev = lab[t]
        x = x_all[rows]
        mean = x.mean(0)
        cov = np.cov(x, rowvar=False, ddof=1)
        print(f"class.{name}.days {len(rows)}")
        print(f"class.{name}.spells {spells}")
        means[c] = mean[:k] * 252
        for j in range(k):
            print(f"class.{name}.mean.{j} {means[c][j]:.17g}")
        for i in range(k + 1):
            for j in range(k + 1):
                print(f"class.{name}.cov.{i}.{j} {cov[i, j]:.17g}")
        # Spells (runs of consecutive days) of at least 21 days: ln of their factor variances.
        runs = np.split(np.array(rows), np.flatnonzero(np.diff(rows) != 1) + 1)
        long_runs = [r for r in runs if len(r) >= 21]
        print(f"class.{name}.long_spells {len(long_runs)}")
        for s, r in enumerate(long_runs):
            for j in range(k):
                print(f"class.{name}.spell.{s}.logvar.{j} {np.log(np.var(f[r, j], ddof=1)):.17g}")

    # Class switching: labels of the episode window sampled every 21 trading days (monthly),
    # and the class that follows each run of one class (after), rows normalised.
    seq = lab[days >= start]
    monthly = np.zeros((4, 4))
    to = seq[21::21]
    np.add.at(monthly, (seq[::21][: len(to)], to), 1.0)
    change = np.flatnonzero(seq[1:] != seq[:-1])
    after = np.zeros((4, 4))
    np.add.at(after, (seq[change], seq[change + 1]), 1.0)
    for c in range(4):
        if after[c].sum() == 0:
            after[c] = monthly[c]
            after[c, c] = 0
        if after[c].sum() == 0:
            after[c, c] = 1
        if monthly[c].sum() == 0:
            monthly[c, c] = 1
    monthly /= monthly.sum(1, keepdims=True)
    after /= after.sum(1, keepdims=True)
    for i in range(4):
        for j in range(4):
            print(f"switch.monthly.{i}.{j} {monthly[i, j]:.17g}")
            print(f"switch.after.{i}.{j} {after[i, j]:.17g}")

    bonds = set(filter(None, a.bonds.split(",")))
    for asset in a.assets.split(",") + sorted(bonds):
        px = pd.read_csv(f"{d}/adj_etf/{asset}.csv", parse_dates=["date"]).set_index("date").iloc[:, 0]
        px = px[(px.index >= astart) & (px.index <= end)]
        pos = {t: i for i, t in enumerate(days)}
        at = [(pos[t], v) for t, v in px.items() if t in pos]
        xs, ys, ls = [], [], []
        for (ia, pa), (ib, pb) in zip(at[:-1], at[1:]):
            fs = f[ia + 1:ib + 1].sum(0)
            xs.append(np.r_[1.0, fs, y2[ib] - y2[ia]])
            ys.append(np.log(pb / pa) - rf[ia + 1:ib + 1].sum())
            ls.append(lab[ib])
        x, y, ls = np.array(xs), np.array(ys), np.array(ls)
        bp, vp = ols(x, y)
        for c in range(4):
            m = ls == c
            w, b, v = 0.0, bp, vp
            if m.sum() > k + 10:
                b, v = ols(x[m], y[m])
                w = float(m.sum())
            beta = ((w * b + 252 * bp) / (w + 252))[1:]
            for j in range(k + 1):
                print(f"asset.{asset}.beta.{c}.{j} {beta[j]:.17g}")
            print(f"asset.{asset}.idio.{c} {np.sqrt((w * v + 252 * vp) / (w + 252)):.17g}")
            if asset not in bonds:
                print(f"asset.{asset}.premium.{c} {beta[:k] @ means[c]:.17g}")
        if asset in bonds:
            print(f"asset.{asset}.duration {-100 * bp[k + 1]:.17g}")

    print(f"curve.start_2y {last_on_or_before(dgs2, cutoff):.17g}")
    policy = np.array([last_on_or_before(dff, t) for t in days])
    h = 252
    xs = [[1.0, policy[i + 1:i + h + 1].mean()] for i in range(len(days) - h)]
    b, _ = ols(np.array(xs), y2[:len(days) - h])
    print(f"curve.policy_beta {b[1]:.17g}")

    sh = pd.read_csv(f"{d}/shiller/shiller_monthly.csv", parse_dates=["date"]).set_index("date")
    vstart = pd.Timestamp(a.valuation_from)
    win = sh[(sh.index >= vstart) & (sh.index <= end)]
    print(f"valuation.carry {(win.dividend_12m / win.sp_composite_price).mean():.17g}")
    lnpe = np.log(win.sp_composite_price / win.earnings_12m).mean()
    now = sh[sh.index <= cutoff].iloc[-1]
    print(f"valuation.pe_gap {lnpe - np.log(now.sp_composite_price / now.earnings_12m):.17g}")
    dec = sh[(sh.index.month == 12) & (sh.index >= pd.Timestamp(vstart.year - 1, 12, 1)) & (sh.index <= end)]
    g = np.log(dec.earnings_12m.to_numpy()[1:] / dec.earnings_12m.to_numpy()[:-1])
    dcape = np.log(dec.cape.to_numpy()[1:] / dec.cape.to_numpy()[:-1])
    dy = np.diff(dec.gs10_pct.to_numpy())
    lag = np.log(dec.cape.to_numpy()[:-1])
    print(f"valuation.growth {g.mean():.17g}")
    phi, _ = ols(np.column_stack([np.ones(len(g) - 1), g[:-1]]), g[1:])
    print(f"valuation.growth_reversion {-np.log(np.clip(phi[1], 0.05, 0.99)):.17g}")
    e, v = ols(np.column_stack([np.ones(len(g)), dy, lag]), dcape)
    print(f"valuation.multiple_reversion {max(0.0, -e[2]):.17g}")
    print(f"valuation.equity_duration {-100 * e[1]:.17g}")
    print(f"valuation.erp_shock_sd {np.sqrt(v):.17g}")
    print(f"valuation.years {len(g)}")

    if a.stress_from:
        # Monthly S&P total log returns and a two-state Gaussian HMM by Baum-Welch (500
        # iterations from a fixed start), the turbulent state being the more volatile one.
        p, dv = sh.sp_composite_price, sh.dividend_12m
        r = np.log((p + dv / 12) / p.shift(1))
        r = r[(r.index >= pd.Timestamp(a.stress_from)) & (r.index <= end)].to_numpy()
        n = len(r)
        mu, sd = np.array([0.01, -0.01]), np.array([0.035, 0.08])
        P, pi = np.array([[0.96, 0.04], [0.2, 0.8]]), np.array([0.8, 0.2])
        for _ in range(500):
            B = np.exp(-0.5 * ((r[:, None] - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))
            al, c = np.zeros((n, 2)), np.zeros(n)
            al[0] = pi * B[0]
            c[0] = al[0].sum()
            al[0] /= c[0]
            for t in range(1, n):
                al[t] = (al[t - 1] @ P) * B[t]
                c[t] = al[t].sum()
                al[t] /= c[t]
            be = np.ones((n, 2))
            for t in range(n - 2, -1, -1):
                be[t] = (P @ (B[t + 1] * be[t + 1])) / c[t + 1]
            gm = al * be
            gm /= gm.sum(1, keepdims=True)
            xi = np.zeros((2, 2))
            for t in range(n - 1):
                xi += (al[t][:, None] * P) * (B[t + 1] * be[t + 1])[None, :] / c[t + 1]
            P, pi = xi / xi.sum(1, keepdims=True), gm[0]
            mu = (gm * r[:, None]).sum(0) / gm.sum(0)
            sd = np.sqrt((gm * (r[:, None] - mu) ** 2).sum(0) / gm.sum(0))
        calm = 0 if sd[0] <= sd[1] else 1
        turb = 1 - calm
        print(f"stress.calm_mean {12 * mu[calm]:.17g}")
        print(f"stress.calm_vol {np.sqrt(12) * sd[calm]:.17g}")
        print(f"stress.turbulent_mean {12 * mu[turb]:.17g}")
        print(f"stress.turbulent_vol {np.sqrt(12) * sd[turb]:.17g}")
        print(f"stress.to_turbulent {P[calm, turb]:.17g}")
        print(f"stress.to_calm {P[turb, calm]:.17g}")
        print(f"stress.months {n}")
        print(f"stress.log_likelihood {np.log(c).sum():.17g}")


if __name__ == "__main__":
    main()
