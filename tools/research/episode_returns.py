#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Twelve-month total returns after each Fed policy episode start since 1984, from data/ only.

The historical side of issue 10's target "regimes behave as history did": what the S&P 500, small
caps, SHY and cash returned in the year after each easing-episode start (first cuts and
resumptions), each tightening start and each hold-phase start. Episodes, their kind and their
recession tag come from policy_episodes.py (same folder; docs/regimes.md).

Usage:
  /usr/bin/python3 tools/research/episode_returns.py [--data DATA_DIR] [--since YYYY-MM-DD]
      [--min-hold-days N] [--csv | --ranges] [--self-test]

  --data DIR        the data folder (default: data/ of this repository)
  --since DATE      first episode start (default 1984-01-01)
  --min-hold-days N hold spans shorter than N calendar days are not hold phases (default 183,
                    the pause that splits an easing or tightening episode)
  --csv             one CSV of every row (returns as fractions) instead of markdown tables
  --ranges          `name value` lines: per class, the number of events and the min / max of the
                    S&P, small-cap and small - S&P one-year returns (fractions), e.g.
                    `soft_landing.sp.min 0.147000`; used by regime_targets.py
  --self-test       check a hand-computed case (and, when the shipped data is found, the
                    reference values below); exit 0 or 1

Events (t0):
  * easing episodes: kind `first_cut` (a cycle start) or `resumption`; class `soft_landing` or
    `recession` (a recession begins within 12 months of the start, is under way at the start, or
    overlaps the episode). t0 = the FOMC decision for the first cuts in FIRST_CUT_DECISIONS
    (Federal Reserve, target history), else the detected start (before 1990 the FOMC announced
    no target; resumptions also use the detected start);
  * tightening episodes: kind `first_hike` or `resumption`, t0 = the detected start;
  * hold phases: the spans between episodes (docs/regimes.md, "Hold spans") lasting at least
    --min-hold-days, t0 = the span's first day (the day after the previous episode ends).
  Episodes whose recession tag is still provisional (USREC ends within 12 months of the start)
  are marked and left out of the ranges.

Window and series (total returns):
  close of the last trading day <= t0 to the close of the last trading day <= t0 + 1 calendar
  year, each series on its own dates; blank when the series starts after t0 or ends before
  t0 + 1 year.
  * S&P 500: SPY (adj_etf) where it exists at t0, else SPX_TR, the GSPC price index with daily
    dividend accrual W_t = W_{t-1} (P_t / P_{t-1}) (1 + y_m d_t / 365), d_t = calendar days since
    the previous row, y_m = Shiller dividend_12m / sp_composite_price of the month of t;
  * small caps: IWM where it exists at t0, else FF_qnt2, French NYSE size quintile 2
    (`qnt2_pct`, value-weighted, the closest tracker of the Russell 2000);
  * SHY where it exists at t0;
  * cash: DFF accrued ACT/360 on every calendar day from the S&P window's first close to its
    last, prod (1 + DFF_c / 36000).

Reference values reproduced (12 months after the first cut, IWM / SPY): 2001-01-03 +3.6 / -12.3,
2007-09-18 -9.8 / -19.7, 2019-07-31 -4.5 / +12.0, 2024-09-18 +13.2 / +19.4 (%).
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import policy_episodes as pe  # noqa: E402

DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data"))

# First cuts of the easing cycles since 1990: the FOMC decision (Federal Reserve, "Open Market
# Operations" / federal funds target history). Each is matched to the detected first cut within
# MATCH_DAYS calendar days (the rule dates 2007's cycle on 2007-08-10, docs/regimes.md).
FIRST_CUT_DECISIONS = ["1995-07-06", "1998-09-29", "2001-01-03", "2007-09-18", "2019-07-31",
                       "2024-09-18"]
MATCH_DAYS = 60

CLASSES = ["soft_landing", "recession", "hold", "tightening"]
SERIES = [("sp", "S&P"), ("small", "small"), ("small_minus_sp", "small - S&P")]

REFERENCE = [("2001-01-03", "IWM", 3.6), ("2001-01-03", "SPY", -12.3),
             ("2007-09-18", "IWM", -9.8), ("2007-09-18", "SPY", -19.7),
             ("2019-07-31", "IWM", -4.5), ("2019-07-31", "SPY", 12.0),
             ("2024-09-18", "IWM", 13.2), ("2024-09-18", "SPY", 19.4)]


def fail(msg):
    sys.exit(f"episode_returns.py: {msg}")


# ------------------------------------------------------------------------------------ series
def read_frame(path):
    if not os.path.exists(path):
        fail(f"{path}: file not found")
    df = pd.read_csv(path)
    if df.columns[0].strip().lower() != "date":
        fail(f"{path}: first column must be 'date'")
    df.index = pd.DatetimeIndex(pd.to_datetime(df.iloc[:, 0], format="%Y-%m-%d"))
    if not df.index.is_monotonic_increasing or df.index.has_duplicates:
        fail(f"{path}: dates must ascend strictly")
    return df.iloc[:, 1:]


def etf_wealth(data, ticker):
    return read_frame(f"{data}/adj_etf/{ticker}.csv")["adj_close"].astype(float).rename(ticker)


def spx_tr(gspc_close, shiller):
    """S&P total-return proxy: GSPC close with the Shiller dividend yield accrued per day."""
    y = shiller["dividend_12m"] / shiller["sp_composite_price"]
    months = gspc_close.index.to_period("M").to_timestamp()
    ym = y.reindex(months).to_numpy()
    if np.isnan(ym[1:]).any():
        first = gspc_close.index[1:][np.isnan(ym[1:])][0]
        fail(f"Shiller file has no dividend yield for the month of {first.date()}")
    days = np.r_[0.0, np.diff(gspc_close.index.values).astype("timedelta64[D]").astype(float)]
    g = gspc_close.to_numpy() / np.r_[np.nan, gspc_close.to_numpy()[:-1]] * (1 + ym * days / 365.0)
    g[0] = 1.0
    return pd.Series(np.cumprod(g), index=gspc_close.index, name="SPX_TR")


def returns_wealth(pct, name):
    """Wealth from daily returns in percent (the level after each day's return)."""
    return pd.Series(np.cumprod(1 + pct.to_numpy() / 100.0), index=pct.index, name=name)


def cash_index(dff):
    """C(d) = prod over calendar days c < d of (1 + DFF_c / 36000), on every calendar day up to
    the day after the last DFF row (FRED's rows are 7 days a week; a gap is forward-filled)."""
    days = pd.date_range(dff.index[0], dff.index[-1], freq="D")
    rate = dff.reindex(days).ffill().to_numpy()
    level = np.r_[1.0, np.cumprod(1 + rate / 36000.0)]
    return pd.Series(level, index=days.append(pd.DatetimeIndex([days[-1] + pd.Timedelta(days=1)])))


def load(data):
    """Every series the table needs, as wealth levels (only ratios matter)."""
    sh = read_frame(f"{data}/shiller/shiller_monthly.csv")
    gspc = read_frame(f"{data}/index/GSPC.csv")["close"].astype(float)
    size = read_frame(f"{data}/french/size_portfolios_daily_vw.csv")
    return dict(SPY=etf_wealth(data, "SPY"), IWM=etf_wealth(data, "IWM"),
                SHY=etf_wealth(data, "SHY"), SPX_TR=spx_tr(gspc, sh),
                FF_qnt2=returns_wealth(size["qnt2_pct"].astype(float), "FF_qnt2"),
                cash=cash_index(pe.read_series(f"{data}/fred/DFF.csv")))


# ------------------------------------------------------------------------------------ window
def one_year(t0):
    return pd.Timestamp(t0) + pd.DateOffset(years=1)


def window(s, t0):
    """(return, first close date, last close date) from the close of the last row <= t0 to the
    close of the last row <= t0 + 1 year; NaN when s starts after t0 or ends before t0 + 1y."""
    t0, t1 = pd.Timestamp(t0), one_year(t0)
    if s.index[0] > t0 or s.index[-1] < t1:
        return np.nan, None, None
    i0 = s.index.searchsorted(t0, side="right") - 1
    i1 = s.index.searchsorted(t1, side="right") - 1
    return s.iloc[i1] / s.iloc[i0] - 1, s.index[i0], s.index[i1]


def cash_return(cash, d0, d1):
    """DFF ACT/360 from close d0 to close d1: the calendar days d0 .. d1 - 1."""
    if d0 is None or d1 > cash.index[-1]:
        return np.nan
    return cash[d1] / cash[d0] - 1


def pick(w, t0, first, fallback):
    return first if w[first].index[0] <= pd.Timestamp(t0) else fallback


# ------------------------------------------------------------------------------------ events
def episodes(data):
    dff = pe.read_series(f"{data}/fred/DFF.csv")
    usrec = pe.read_series(f"{data}/fred/USREC.csv")
    moves = pe.drop_reversals(pe.detect_moves(pe.weekday_rows(dff, f"{data}/fred/DFF.csv")))
    eps = pe.tag_episodes(pe.build_episodes(moves), usrec, f"{data}/fred/USREC.csv")
    return dff, eps


def official_dates(eps):
    """Detected start -> FOMC decision for the first cuts of FIRST_CUT_DECISIONS."""
    cuts = eps[(eps.direction < 0) & (eps.kind == "cycle_start")]
    out = {}
    for d in FIRST_CUT_DECISIONS:
        d = pd.Timestamp(d)
        near = cuts[(cuts.start - d).abs() <= pd.Timedelta(days=MATCH_DAYS)]
        if len(near) != 1:
            fail(f"FOMC first cut {d.date()}: {len(near)} detected first cuts within {MATCH_DAYS} "
                 "days (expected 1): the episodes or the table of decisions changed")
        out[near.start.iloc[0]] = d
    return out


def events(data, since="1984-01-01", min_hold_days=183):
    """One row per event: group, kind, cls, detected, t0, span_days, provisional, rec_start."""
    dff, eps = episodes(data)
    since = pd.Timestamp(since)
    fomc = official_dates(eps)
    rows = []
    for _, e in eps[eps.start >= since].iterrows():
        easing = e.direction < 0
        first = "first_cut" if easing else "first_hike"
        kind = first if e.kind == "cycle_start" else "resumption"
        t0 = fomc.get(e.start, e.start) if easing else e.start
        rows.append(dict(group="easing" if easing else "tightening", kind=kind, cls=e.cls,
                         detected=e.start, t0=t0, span_days=(e.end - e.start).days + 1,
                         provisional=bool(e.provisional) and easing, rec_start=e.rec_start,
                         source="FOMC" if t0 != e.start else "detected"))
    for _, h in pe.holds(eps, dff.index[0], dff.index[-1]).iterrows():
        if h.start >= since and h.days >= min_hold_days:
            rows.append(dict(group="hold", kind="hold_start", cls="hold", detected=h.start,
                             t0=h.start, span_days=int(h.days), provisional=False, rec_start="",
                             source="detected", until=f"{h.before or 'data end'}"))
    return pd.DataFrame(rows).sort_values("t0", kind="stable").reset_index(drop=True)


def table(w, ev):
    """Adds the one-year returns and their sources to the events."""
    out = []
    for _, e in ev.iterrows():
        sp_src = pick(w, e.t0, "SPY", "SPX_TR")
        small_src = pick(w, e.t0, "IWM", "FF_qnt2")
        sp, d0, d1 = window(w[sp_src], e.t0)
        small = window(w[small_src], e.t0)[0]
        shy = window(w["SHY"], e.t0)[0] if w["SHY"].index[0] <= e.t0 else np.nan
        r = e.to_dict()
        r.update(sp=sp, sp_src=sp_src, small=small, small_src=small_src,
                 small_minus_sp=small - sp, shy=shy, cash=cash_return(w["cash"], d0, d1),
                 first_close=d0, last_close=d1)
        out.append(r)
    return pd.DataFrame(out)


def range_kind(row):
    """The class whose range an event belongs to, or None (resumptions are not in the ranges)."""
    if row.group == "easing":
        return row.cls if row.kind == "first_cut" and not row.provisional else None
    if row.group == "hold":
        return "hold"
    return "tightening"


def ranges(tab):
    """{class: {'n': n, 'sp': (min, max), ...}} over complete windows."""
    out = {}
    kinds = tab.apply(range_kind, axis=1)
    for c in CLASSES:
        t = tab[(kinds == c) & tab.sp.notna() & tab.small.notna()]
        out[c] = dict(n=len(t), events=[iso(d) for d in t.t0])
        for k, _ in SERIES:
            out[c][k] = (t[k].min(), t[k].max()) if len(t) else (np.nan, np.nan)
    return out


def historical_ranges(data=DEFAULT_DATA, since="1984-01-01", min_hold_days=183):
    """The ranges as regime_targets.py uses them."""
    return ranges(table(load(data), events(data, since, min_hold_days)))


# ------------------------------------------------------------------------------------ output
def iso(d):
    return "" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")


def pct(x):
    return "" if not np.isfinite(x) else f"{100 * x:+.1f}"


def markdown(tab, since, min_hold_days):
    lines = []

    def emit(title, t, extra):
        lines.append(f"### {title}")
        lines.append("")
        head = ["t0", "detected"] + [h for h, _ in extra] + [
            "S&P %", "S&P source", "small %", "small source", "small - S&P", "SHY %", "cash %",
            "window"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for _, r in t.iterrows():
            win = f"{iso(r.first_close)}..{iso(r.last_close)}" if np.isfinite(r.sp) else ""
            cells = [iso(r.t0) + (" (FOMC)" if r.source == "FOMC" else ""), iso(r.detected)]
            cells += [f(r) for _, f in extra]
            cells += [pct(r.sp), r.sp_src, pct(r.small), r.small_src, pct(r.small_minus_sp),
                      pct(r.shy), pct(r.cash), win]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")

    def cls(r):
        return r.cls + (" (provisional)" if r.provisional else "")

    emit(f"Easing episodes since {iso(since)}", tab[tab.group == "easing"],
         [("kind", lambda r: r.kind), ("class", cls),
          ("recession starts", lambda r: r.rec_start)])
    emit(f"Tightening episodes since {iso(since)}", tab[tab.group == "tightening"],
         [("kind", lambda r: r.kind)])
    emit(f"Hold phases since {iso(since)} (spans of at least {min_hold_days} days)",
         tab[tab.group == "hold"],
         [("days", lambda r: str(r.span_days)), ("ended by", lambda r: r.until)])
    lines.append("### Ranges (complete windows; first cuts by class, hold and tightening starts)")
    lines.append("")
    lines.append("| class | n | S&P min | S&P max | small min | small max | small - S&P min "
                 "| small - S&P max | events |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for c, r in ranges(tab).items():
        cells = [c, str(r["n"])]
        for k, _ in SERIES:
            cells += [pct(r[k][0]), pct(r[k][1])]
        lines.append("| " + " | ".join(cells + [", ".join(r["events"])]) + " |")
    return "\n".join(lines) + "\n"


def csv_text(tab):
    cols = ["group", "kind", "cls", "provisional", "rec_start", "detected", "t0", "source",
            "span_days", "first_close", "last_close", "sp", "sp_src", "small", "small_src",
            "small_minus_sp", "shy", "cash"]
    out = [",".join(cols)]
    for _, r in tab.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            if c in ("detected", "t0", "first_close", "last_close"):
                cells.append(iso(v))
            elif isinstance(v, (float, np.floating)):
                cells.append("" if not np.isfinite(v) else f"{v:.6f}")
            elif isinstance(v, (bool, np.bool_)):
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def ranges_text(rg):
    out = []
    for c, r in rg.items():
        out.append(f"{c}.n {r['n']}")
        for k, _ in SERIES:
            out.append(f"{c}.{k}.min {r[k][0]:.6f}")
            out.append(f"{c}.{k}.max {r[k][1]:.6f}")
    return "\n".join(out) + "\n"


def parse_ranges(text):
    """The inverse of ranges_text: {class: {'n': n, 'sp': (min, max), ...}}."""
    vals = dict(line.split() for line in text.splitlines() if line.strip())
    out = {}
    for c in {k.split(".")[0] for k in vals}:
        out[c] = dict(n=int(vals[f"{c}.n"]))
        for k, _ in SERIES:
            out[c][k] = (float(vals[f"{c}.{k}.min"]), float(vals[f"{c}.{k}.max"]))
    return out


# ------------------------------------------------------------------------------------ self-test
def self_test():
    ok = True

    def check(name, got, want, tol=1e-12):
        nonlocal ok
        good = abs(got - want) <= tol
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} {name}: {got:.10g} (expected {want:.10g})")

    # Window from Saturday 2020-01-04 (close of Friday 01-03) to Monday 2021-01-04, which has no
    # row: the close of Friday 2021-01-01.
    s = pd.Series([100.0, 101.0, 110.0, 120.0, 130.0],
                  index=pd.to_datetime(["2020-01-02", "2020-01-03", "2020-06-01", "2021-01-01",
                                        "2021-01-05"]))
    r, d0, d1 = window(s, "2020-01-04")
    check("window return 120/101 - 1", r, 120 / 101 - 1)
    check("window ends on the last row <= t0 + 1y", float(d1 == pd.Timestamp("2021-01-01")), 1.0)
    check("window before the series starts is blank",
          float(np.isnan(window(s, "2019-12-31")[0])), 1)
    check("window past the series end is blank", float(np.isnan(window(s, "2020-06-02")[0])), 1.0)
    # SPX_TR: two rows 3 days apart in March, yield 0.0365 -> accrual 1 + 0.0365 * 3 / 365.
    sh = pd.DataFrame({"dividend_12m": [3.65], "sp_composite_price": [100.0]},
                      index=pd.to_datetime(["2020-03-01"]))
    p = pd.Series([50.0, 51.0], index=pd.to_datetime(["2020-03-02", "2020-03-05"]))
    check("SPX_TR one step", spx_tr(p, sh).iloc[-1], 51 / 50 * (1 + 0.0365 * 3 / 365))
    # Cash: 3.6% for two days, then 7.2% -> (1 + 0.0001)^2 (1 + 0.0002).
    dff = pd.Series([3.6, 3.6, 7.2], index=pd.to_datetime(["2020-01-01", "2020-01-02",
                                                           "2020-01-03"]))
    c = cash_index(dff)
    check("cash ACT/360", cash_return(c, pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-04")),
          1.0001 ** 2 * 1.0002 - 1)
    # Returns in percent -> wealth.
    check("wealth from percent returns",
          returns_wealth(pd.Series([10.0, -10.0], index=p.index), "x").iloc[-1], 1.1 * 0.9)
    # Ranges: min / max by class, resumptions and provisional first cuts left out.
    tab = pd.DataFrame([
        dict(group="easing", kind="first_cut", cls="soft_landing", provisional=False,
             t0=pd.Timestamp("2000-01-01"), sp=0.10, small=0.20),
        dict(group="easing", kind="first_cut", cls="soft_landing", provisional=False,
             t0=pd.Timestamp("2001-01-01"), sp=0.30, small=0.05),
        dict(group="easing", kind="resumption", cls="soft_landing", provisional=False,
             t0=pd.Timestamp("2002-01-01"), sp=0.90, small=0.90),
        dict(group="easing", kind="first_cut", cls="soft_landing", provisional=True,
             t0=pd.Timestamp("2003-01-01"), sp=-0.9, small=-0.9),
        dict(group="hold", kind="hold_start", cls="hold", provisional=False,
             t0=pd.Timestamp("2004-01-01"), sp=-0.05, small=np.nan)])
    tab["small_minus_sp"] = tab.small - tab.sp
    rg = ranges(tab)
    check("soft_landing n", rg["soft_landing"]["n"], 2)
    check("soft_landing S&P max", rg["soft_landing"]["sp"][1], 0.30)
    check("soft_landing small - S&P min", rg["soft_landing"]["small_minus_sp"][0], -0.25)
    check("hold without a complete small-cap window", rg["hold"]["n"], 0)
    back = parse_ranges(ranges_text(rg))
    check("ranges text round trip", back["soft_landing"]["small"][0], 0.05, 1e-6)

    if os.path.exists(f"{DEFAULT_DATA}/index/GSPC.csv"):
        w = load(DEFAULT_DATA)
        for d, ticker, want in REFERENCE:
            got = 100 * window(w[ticker], d)[0]
            check(f"shipped data: {ticker} 12 months after {d} (%, 1 decimal)", round(got, 1),
                  want, 1e-9)
    else:
        print(f"skip shipped-data reference values ({DEFAULT_DATA}/index/GSPC.csv not found)")
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--since", default="1984-01-01")
    ap.add_argument("--min-hold-days", type=int, default=183)
    fmt = ap.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true")
    fmt.add_argument("--ranges", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    tab = table(load(a.data), events(a.data, a.since, a.min_hold_days))
    if a.csv:
        sys.stdout.write(csv_text(tab))
    elif a.ranges:
        sys.stdout.write(ranges_text(ranges(tab)))
    else:
        sys.stdout.write(markdown(tab, pd.Timestamp(a.since), a.min_hold_days))
    return 0


if __name__ == "__main__":
    sys.exit(main())
