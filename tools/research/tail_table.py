#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Left tail of simulated S&P 500 wealth against history (issue 10, "tails like history").

Historical side: the percentiles of overlapping 1-, 5- and 10-year wealth factors of S&P 500
total return from the Shiller file since 1926-01, with the monthly gross return

    G_k = (P_k + D_k / 12) / P_{k-1}     P = sp_composite_price (monthly average of daily closes),
                                         D = dividend_12m (trailing 12-month dividends)

and the h-month wealth factor from the end of month s, WF_s = G_{s+1} G_{s+2} ... G_{s+h}, for
every start month s >= 1926-01 whose window ends by the file's last month (h = 12, 60, 120).
Simulated side: the same percentiles of a strategy's terminal wealth (final equity / initial
capital) in Monte Carlo results files, the horizon of each file read off its simulated dates.
Percentiles interpolate linearly between order statistics (numpy's default, as rotor's own).

Verdict per cell: `ok` when simulated <= historical (the model's tail is at least as heavy as
history's), `higher` otherwise; the 2.5th, 5th and 10th percentiles are the targets (the 1st,
25th and 50th percentiles and the minimum are shown for reading, with no verdict: a simulated
tail far below history's worst window is as much a finding as one above it).

Usage:
  /usr/bin/python3 tools/research/tail_table.py [RESULTS.h5 ...] [--strategy spy_buy_and_hold]
      [--scenario NAME] [--data DATA_DIR] [--since 1926-01] [--self-test]

  RESULTS.h5    Monte Carlo results of 1-, 5- or 10-year horizons (at most one per horizon), e.g.
                RESULTS_1Y.h5 RESULTS_5Y.h5 RESULTS_10Y.h5; none prints history alone
  --strategy    the strategy whose terminal wealth is compared (default spy_buy_and_hold)
  --scenario    the Monte Carlo scenario, when a file holds several
  --data DIR    the data folder (default: data/ of this repository)

Exit status: 0 when every 2.5/5/10 cell of the given files is ok, 1 when one is higher, 2 on an
input error. Markdown on stdout.

Research values reproduced (1926-01 to 2026-03): p2.5 / p5 / p10 = 0.679 / 0.786 / 0.879 (1 year),
0.597 / 0.791 / 0.974 (5 years), 0.883 / 1.049 / 1.399 (10 years).
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data"))
HORIZONS = [1, 5, 10]
PERCENTILES = [1, 2.5, 5, 10, 25, 50]
TARGETS = {2.5, 5, 10}
RESEARCH = {1: (0.679, 0.786, 0.879), 5: (0.597, 0.791, 0.974), 10: (0.883, 1.049, 1.399)}


class InputError(Exception):
    pass


# ------------------------------------------------------------------------------------ history
def read_shiller(path):
    if not os.path.exists(path):
        raise InputError(f"{path}: file not found")
    sh = pd.read_csv(path, parse_dates=["date"]).set_index("date")
    return sh[["sp_composite_price", "dividend_12m"]].astype(float)


def monthly_gross(sh):
    """G_k = (P_k + D_k / 12) / P_{k-1}, indexed by month k (the first month has none)."""
    p, d = sh["sp_composite_price"], sh["dividend_12m"]
    return ((p + d / 12) / p.shift(1)).iloc[1:]


def wealth_factors(gross, since, months):
    """Overlapping windows: the product of G over months s+1..s+h for each start s >= since."""
    g = gross[gross.index > pd.Timestamp(since)].to_numpy()
    if len(g) < months:
        return np.array([])
    c = np.r_[0.0, np.cumsum(np.log(g))]
    return np.exp(c[months:] - c[:-months])


def historical(sh, since):
    g = monthly_gross(sh)
    out = {}
    for h in HORIZONS:
        wf = wealth_factors(g, since, 12 * h)
        q = {q: np.percentile(wf, q) for q in PERCENTILES} if len(wf) else {}
        out[h] = dict(n=len(wf), q=q, min=wf.min() if len(wf) else np.nan)
    return out, g.index[-1]


# ------------------------------------------------------------------------------------ results
def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def mc_scenario(f, path, name):
    """The Monte Carlo scenario group of a results file (the only one, or `name`)."""
    if "scenarios" not in f:
        raise InputError(f"{path}: no /scenarios group (not a rotor results file?)")
    groups = [g for g in f["scenarios"].values() if text(g.attrs.get("mode", "")) == "monte_carlo"]
    names = [text(g.attrs.get("name", g.name.split("/")[-1])) for g in groups]
    if name is not None:
        if name not in names:
            raise InputError(f"{path}: no Monte Carlo scenario '{name}' (has: {', '.join(names)})")
        return groups[names.index(name)]
    if len(groups) != 1:
        raise InputError(f"{path}: {len(groups)} Monte Carlo scenarios ({', '.join(names)}); "
                         "choose one with --scenario")
    return groups[0]


def strategy_group(sc, path, name):
    for g in sc["strategies"].values():
        if text(g.attrs.get("name", "")) == name:
            if text(g.attrs.get("status", "ok")) != "ok":
                raise InputError(f"{path}: strategy '{name}' failed: {text(g.attrs.get('error'))}")
            return g
    have = [text(g.attrs.get("name", "")) for g in sc["strategies"].values()]
    raise InputError(f"{path}: no strategy '{name}' in {text(sc.attrs['name'])} "
                     f"(has: {', '.join(have)})")


def horizon_years(sc, path):
    dates = pd.to_datetime([text(d) for d in sc["dates"][[0, -1]]])
    years = (dates[1] - dates[0]).days / 365.25
    h = int(round(years))
    if h not in HORIZONS or abs(years - h) > 0.1:
        raise InputError(f"{path}: simulated {dates[0].date()}..{dates[1].date()} ({years:.2f} "
                         f"years) is not a {', '.join(map(str, HORIZONS))}-year horizon")
    return h, dates


def simulated(path, strategy, scenario):
    import h5py
    if not os.path.exists(path):
        raise InputError(f"{path}: file not found")
    with h5py.File(path, "r") as f:
        sc = mc_scenario(f, path, scenario)
        h, dates = horizon_years(sc, path)
        w = strategy_group(sc, path, strategy)["paths/terminal_wealth"][()]
        w = w[np.isfinite(w)]
        return h, dict(file=path, scenario=text(sc.attrs["name"]), paths=len(w),
                       span=f"{dates[0].date()}..{dates[1].date()}",
                       q={q: np.percentile(w, q) for q in PERCENTILES}, min=w.min())


# ------------------------------------------------------------------------------------ table
def verdict(q, sim, hist):
    if q not in TARGETS:
        return ""
    return "ok" if sim <= hist else "higher"


def render(hist, last_month, since, sims, strategy):
    lines = [f"Historical: S&P 500 total return (Shiller, G_k = (P_k + D_k/12) / P_(k-1)), "
             f"overlapping monthly windows from {pd.Timestamp(since):%Y-%m} to "
             f"{last_month:%Y-%m}. Simulated: terminal wealth of `{strategy}`. Verdict: ok when "
             "simulated <= history (2.5th, 5th and 10th percentiles).", ""]
    head = ["percentile"]
    for h in HORIZONS:
        head += [f"{h}y history", f"{h}y simulated", f"{h}y verdict"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for q in PERCENTILES:
        cells = [f"{q:g}"]
        for h in HORIZONS:
            hv, sim = hist[h]["q"].get(q, np.nan), sims.get(h)
            cells.append(f"{hv:.3f}")
            cells.append(f"{sim['q'][q]:.3f}" if sim else "")
            cells.append(verdict(q, sim["q"][q], hv) if sim else "")
        lines.append("| " + " | ".join(cells) + " |")
    cells = ["min"]
    for h in HORIZONS:
        sim = sims.get(h)
        cells += [f"{hist[h]['min']:.3f}", f"{sim['min']:.3f}" if sim else "", ""]
    lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for h in HORIZONS:
        sim = sims.get(h)
        src = (f"{sim['paths']} paths of {sim['scenario']} ({sim['span']}, {sim['file']})"
               if sim else "no results file")
        lines.append(f"- {h}y: {hist[h]['n']} historical windows; simulated: {src}.")
    lines.append("")
    return "\n".join(lines)


def failures(hist, sims):
    return [(h, q) for h, s in sims.items() for q in PERCENTILES
            if verdict(q, s["q"][q], hist[h]["q"][q]) == "higher"]


# ------------------------------------------------------------------------------------ self-test
def write_results(path, dates, wealth, strategy="spy_buy_and_hold"):
    """A minimal results file with the groups this script reads."""
    import h5py
    with h5py.File(path, "w") as f:
        sc = f.create_group("scenarios/toy")
        sc.attrs.update(name="toy", mode="monte_carlo")
        sc["dates"] = np.array(dates, dtype="S10")
        g = sc.create_group(f"strategies/{strategy}")
        g.attrs.update(name=strategy, type="buy_and_hold", status="ok", error="")
        g["paths/terminal_wealth"] = np.asarray(wealth, float)


def self_test():
    ok = True

    def check(name, got, want, tol=1e-12):
        nonlocal ok
        good = abs(got - want) <= tol
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} {name}: {got:.10g} (expected {want:.10g})")

    # Three months: P 100, 110, 99 and D 12, 12, 24 -> G = (110 + 1) / 100 = 1.11 and
    # (99 + 2) / 110 = 0.918181...; one-month windows [1.11, 0.9181...], one two-month window.
    sh = pd.DataFrame({"sp_composite_price": [100.0, 110.0, 99.0], "dividend_12m": [12.0, 12, 24]},
                      index=pd.to_datetime(["1926-01-01", "1926-02-01", "1926-03-01"]))
    g = monthly_gross(sh)
    wf1 = wealth_factors(g, "1926-01-01", 1)
    check("one-month windows", len(wf1), 2)
    check("G_1", wf1[0], 1.11)
    check("G_2", wf1[1], 101 / 110)
    check("p50 of the one-month windows", np.percentile(wf1, 50), (1.11 + 101 / 110) / 2)
    check("p25 of the one-month windows", np.percentile(wf1, 25),
          101 / 110 + 0.25 * (1.11 - 101 / 110))
    check("two-month window", wealth_factors(g, "1926-01-01", 2)[0], 1.11 * 101 / 110)
    check("start after the first month", len(wealth_factors(g, "1926-02-01", 1)), 1)

    # Simulated: five paths 0.5 .. 2.5 over one year: p10 = 0.5 + 0.4 * 0.5 = 0.7, p25 = 1.0.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "toy.h5")
        write_results(path, ["2026-01-02", "2026-06-30", "2026-12-31"], [2.5, 0.5, 1.5, 1.0, 2.0])
        h, s = simulated(path, "spy_buy_and_hold", None)
        check("horizon of 2026-01-02..2026-12-31", h, 1)
        check("simulated p10", s["q"][10], 0.7)
        check("simulated p25", s["q"][25], 1.0)
        hist = {1: dict(n=2, q={q: 0.8 for q in PERCENTILES})}
        check("p10 0.7 <= 0.8 passes, p2.5 / p5 too", len(failures(hist, {1: s})), 0)
        hist = {1: dict(n=2, q={q: 0.65 for q in PERCENTILES})}
        check("p10 0.7 above 0.65 fails, p2.5 0.55 and p5 0.6 pass", len(failures(hist, {1: s})), 1)
        write_results(path, ["2026-01-02", "2028-01-03"], [1.0])
        try:
            simulated(path, "spy_buy_and_hold", None)
            check("a two-year file is refused", 0, 1)
        except InputError:
            check("a two-year file is refused", 1, 1)

    shiller = f"{DEFAULT_DATA}/shiller/shiller_monthly.csv"
    if os.path.exists(shiller):
        hist, _ = historical(read_shiller(shiller), "1926-01-01")
        for h, want in RESEARCH.items():
            for q, w in zip((2.5, 5, 10), want):
                check(f"shipped Shiller: {h}y p{q:g} (3 decimals)", round(hist[h]["q"][q], 3), w,
                      1e-9)
    else:
        print(f"skip shipped-data research values ({shiller} not found)")
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="*")
    ap.add_argument("--strategy", default="spy_buy_and_hold")
    ap.add_argument("--scenario")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--since", default="1926-01")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    try:
        since = pd.Timestamp(a.since)
        hist, last = historical(read_shiller(f"{a.data}/shiller/shiller_monthly.csv"), since)
        sims = {}
        for path in a.results:
            h, s = simulated(path, a.strategy, a.scenario)
            if h in sims:
                raise InputError(f"{path}: a second {h}-year file (after {sims[h]['file']})")
            sims[h] = s
    except InputError as e:
        print(f"tail_table.py: {e}", file=sys.stderr)
        return 2
    print(render(hist, last, since, sims, a.strategy))
    bad = failures(hist, sims)
    if bad:
        print("Higher than history: " + ", ".join(f"{h}y p{q:g}" for h, q in bad) + ".")
        return 1
    if sims:
        print("Every 2.5th, 5th and 10th percentile is at or below history's.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
