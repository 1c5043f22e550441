#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fed policy episodes from the daily effective funds rate (DFF) and NBER recession months (USREC).

The ex-post rule of docs/regimes.md ("Policy episodes"), written with pandas/numpy as the second,
independent implementation of engine/scenario/regime/policy_episodes.cpp: the C++ tests run this
script and compare its output with the library's.

Usage:
  /usr/bin/python3 tools/research/policy_episodes.py DFF.csv USREC.csv [--table TABLE]
      [--since YYYY-MM-DD] [--from YYYY-MM-DD] [--to YYYY-MM-DD]

Tables (CSV on stdout):
  episodes  (default) one row per episode starting on or after --since
  moves     one row per policy move (after the reversal filter) on or after --since
  holds     the spans between episodes (days labelled hold) that end on or after --since
  labels    one row per calendar day from --from to --to (default: the DFF file's range)

Steps (parameters as in EpisodeRule; every comparison of rates allows 1e-9, because DFF has two
decimals and 2.40 - 2.20 is 0.19999999999999973 in binary floating point):
  A. v = the DFF rows dated Monday to Friday (holiday rows kept, as FRED publishes them).
     B[i] = median(v[i-20 .. i-1]), F[i] = median(v[i .. i+9]), G[i] = median(v[i+10 .. i+29]).
     Day i is a cut candidate if F-B <= -0.20 and G-B <= -0.15, a hike candidate if F-B >= 0.20
     and G-B >= 0.15. A maximal run i0..i1 of same-sign candidates is one move, dated at the
     first k in the run with s*(v[k]-B[i0]) >= 0.20 and s*(v[k+1]-B[i0]) >= 0.20 (else i0);
     level before B[i0], level after median(v[i1+1 .. i1+10]), run end = day i1.
  B. Two consecutive moves of opposite sign at most 30 calendar days apart are both dropped;
     the scan restarts from the first move until nothing changes.
  C. Consecutive moves form one episode while the sign is the same and the move dates are at
     most 183 days apart; span = [first move date, last move's run end].
  D. An episode is a cycle start if it is the first one, or the previous episode has the
     opposite sign and |cum change| >= 0.50, or it starts >= 365 days after the end of the last
     same-sign episode; otherwise it is a resumption.
  E. Easing episodes are tagged with USREC (anchor = the detected start): a 0->1 month m with
     month(start) < m <= month(start) + 12, or USREC(month(start)) = 1, or a 1 in any month from
     month(start) to month(end) makes it a recession episode, else a soft landing.
  Day labels: tightening inside a hike episode's span, recession / soft_landing inside an easing
  episode's span, hold otherwise.
"""
import argparse
import sys

import numpy as np
import pandas as pd

RULE = dict(before=20, after=10, later=20, threshold=0.20, persist=0.15, reversal_days=30,
            split_gap_days=183, new_cycle_gap_days=365, min_opposite_change=0.50, tolerance=1e-9)


def fail(msg):
    sys.exit(f"policy_episodes.py: {msg}")


def read_series(path):
    """A `date,<value>` CSV as a float Series indexed by date (strictly ascending)."""
    df = pd.read_csv(path, dtype=str)
    if len(df.columns) != 2 or df.columns[0].strip().lower() != "date":
        fail(f"{path}: expected a header 'date,<column>', found {','.join(df.columns)}")
    dates = pd.to_datetime(df.iloc[:, 0].str.strip(), format="%Y-%m-%d")
    s = pd.Series(df.iloc[:, 1].astype(float).to_numpy(), index=pd.DatetimeIndex(dates))
    if not s.index.is_monotonic_increasing or s.index.has_duplicates:
        fail(f"{path}: dates must ascend strictly")
    return s


def weekday_rows(dff, path):
    """The Monday-Friday rows; refuses a missing weekday (the windows count rows, not dates)."""
    wd = dff[dff.index.dayofweek < 5]
    n = RULE["before"] + RULE["after"] + RULE["later"]
    if len(wd) < n:
        fail(f"{path}: {len(wd)} weekday rows, the rule needs at least {n}")
    days = wd.index.values.astype("datetime64[D]")
    steps = np.busday_count(days[:-1], days[1:])
    bad = np.flatnonzero(steps != 1)
    if len(bad):
        i = bad[0]
        fail(f"{path}: no row for the weekday(s) between {days[i]} and {days[i + 1]}")
    return wd


def detect_moves(wd):
    """Step A on the weekday rows: a DataFrame date, sign, level_before, level_after, run_end."""
    r, eps = RULE, RULE["tolerance"]
    v = wd.to_numpy()
    n = len(v)
    s = pd.Series(v)
    # rolling medians: pandas averages the two middle values of an even window
    B = s.shift(1).rolling(r["before"]).median().to_numpy()
    F = s[::-1].rolling(r["after"]).median().to_numpy()[::-1]
    ahead = s[::-1].rolling(r["later"]).median().to_numpy()[::-1]
    G = np.r_[ahead[r["after"]:], [np.nan] * r["after"]]
    with np.errstate(invalid="ignore"):
        d1, d2 = F - B, G - B
        cand = np.where((d1 <= -r["threshold"] + eps) & (d2 <= -r["persist"] + eps), -1,
                        np.where((d1 >= r["threshold"] - eps) & (d2 >= r["persist"] - eps), 1, 0))
    rows = []
    i = 0
    while i < n:
        sg = cand[i]
        if sg == 0:
            i += 1
            continue
        j = i
        while j + 1 < n and cand[j + 1] == sg:
            j += 1
        k = i
        for kk in range(i, j + 1):
            if (kk + 1 < n and sg * (v[kk] - B[i]) >= r["threshold"] - eps
                    and sg * (v[kk + 1] - B[i]) >= r["threshold"] - eps):
                k = kk
                break
        rows.append(dict(date=wd.index[k], sign=int(sg), level_before=B[i],
                         level_after=np.median(v[j + 1:j + 1 + r["after"]]), run_end=wd.index[j]))
        i = j + 1
    return pd.DataFrame(rows, columns=["date", "sign", "level_before", "level_after", "run_end"])


def drop_reversals(moves):
    """Step B: restart the scan after every dropped pair."""
    m = moves.reset_index(drop=True)
    changed = True
    while changed:
        changed = False
        for i in range(len(m) - 1):
            if (m.sign[i] != m.sign[i + 1]
                    and (m.date[i + 1] - m.date[i]).days <= RULE["reversal_days"]):
                m = m.drop([i, i + 1]).reset_index(drop=True)
                changed = True
                break
    return m


def build_episodes(moves):
    """Steps C and D: one row per episode."""
    r = RULE
    if moves.empty:
        return pd.DataFrame(columns=["start", "end", "direction", "moves", "level_before",
                                     "level_after", "cum_change", "kind"])
    ep = np.zeros(len(moves), int)
    for i in range(1, len(moves)):
        split = (moves.sign[i] != moves.sign[i - 1]
                 or (moves.date[i] - moves.date[i - 1]).days > r["split_gap_days"])
        ep[i] = ep[i - 1] + (1 if split else 0)
    rows = []
    for _, g in moves.assign(episode=ep).groupby("episode"):
        rows.append(dict(start=g.date.iloc[0], end=g.run_end.iloc[-1],
                         direction=int(g.sign.iloc[0]), moves=len(g),
                         level_before=g.level_before.iloc[0],
                         level_after=g.level_after.iloc[-1]))
    eps = pd.DataFrame(rows)
    eps["cum_change"] = eps.level_after - eps.level_before
    kinds = []
    for i, e in eps.iterrows():
        if i == 0:
            kinds.append("cycle_start")
            continue
        prev = eps.iloc[i - 1]
        opposite = (prev.direction != e.direction
                    and abs(prev.cum_change) >= r["min_opposite_change"] - r["tolerance"])
        same = eps.iloc[:i][eps.direction.iloc[:i] == e.direction]
        long_gap = len(same) == 0 or (e.start - same.end.iloc[-1]).days >= r["new_cycle_gap_days"]
        kinds.append("cycle_start" if opposite or long_gap else "resumption")
    eps["kind"] = kinds
    return eps


def month(d):
    return pd.Timestamp(d).to_period("M").to_timestamp()


def tag_episodes(eps, usrec, path):
    """Step E: recession columns and the class of every episode."""
    if not set(np.unique(usrec.to_numpy())) <= {0.0, 1.0}:
        fail(f"{path}: values must be 0 or 1")
    if (usrec.index.day != 1).any():
        fail(f"{path}: dates must be first days of months")
    expected = pd.date_range(usrec.index[0], usrec.index[-1], freq="MS")
    if len(expected) != len(usrec):
        fail(f"{path}: a month is missing")
    starts = usrec.index[1:][(usrec.to_numpy()[1:] == 1) & (usrec.to_numpy()[:-1] == 0)]
    out = []
    for _, e in eps.iterrows():
        m0, m1 = month(e.start), month(e.end)
        if m0 < usrec.index[0] or m1 > usrec.index[-1]:
            fail(f"{path}: covers {usrec.index[0].date()}..{usrec.index[-1].date()}, the episode "
                 f"{e.start.date()}..{e.end.date()} needs its months")
        horizon = m0 + pd.DateOffset(months=12)
        within = [s for s in starts if m0 < s <= horizon]
        in_rec = usrec[m0] == 1
        overlaps = bool((usrec[m0:m1] == 1).any())
        recession = bool(within) or in_rec or overlaps
        cls = ("tightening" if e.direction > 0 else "recession" if recession else "soft_landing")
        out.append(dict(rec_within_12m=bool(within),
                        rec_start=within[0].strftime("%Y-%m") if within else "",
                        in_rec_at_start=bool(in_rec), rec_overlaps=overlaps,
                        provisional=bool(horizon > usrec.index[-1]), cls=cls))
    cols = ["rec_within_12m", "rec_start", "in_rec_at_start", "rec_overlaps", "provisional", "cls"]
    return pd.concat([eps, pd.DataFrame(out, index=eps.index, columns=cols)], axis=1)


def labels(eps, first, last):
    """Class of every calendar day in [first, last]."""
    days = pd.date_range(first, last, freq="D")
    lab = pd.Series("hold", index=days)
    for _, e in eps.iterrows():
        lab[(days >= e.start) & (days <= e.end)] = e.cls
    return lab


def holds(eps, data_first, data_last):
    """The spans between episodes: hold days, with the move before and after."""
    rows = []
    prev_end, prev_dir = data_first - pd.Timedelta(days=1), 0
    for _, e in list(eps.iterrows()) + [(None, None)]:
        start = prev_end + pd.Timedelta(days=1)
        end = (e.start - pd.Timedelta(days=1)) if e is not None else data_last
        if start <= end:
            rows.append(dict(start=start, end=end, days=(end - start).days + 1,
                             after={-1: "cut", 1: "hike", 0: ""}[prev_dir],
                             before="" if e is None else ("cut" if e.direction < 0 else "hike")))
        if e is not None:
            prev_end, prev_dir = e.end, e.direction
    return pd.DataFrame(rows, columns=["start", "end", "days", "after", "before"])


def iso(d):
    return pd.Timestamp(d).strftime("%Y-%m-%d")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dff")
    ap.add_argument("usrec")
    ap.add_argument("--table", choices=["episodes", "moves", "holds", "labels"], default="episodes")
    ap.add_argument("--since", default="1900-01-01")
    ap.add_argument("--from", dest="first")
    ap.add_argument("--to", dest="last")
    a = ap.parse_args()

    dff = read_series(a.dff)
    wd = weekday_rows(dff, a.dff)
    moves = drop_reversals(detect_moves(wd))
    eps = tag_episodes(build_episodes(moves), read_series(a.usrec), a.usrec)
    since = pd.Timestamp(a.since)
    out = sys.stdout
    if a.table == "moves":
        out.write("date,sign,level_before,level_after,run_end\n")
        for _, m in moves[moves.date >= since].iterrows():
            out.write(f"{iso(m.date)},{m.sign},{m.level_before:.4f},{m.level_after:.4f},"
                      f"{iso(m.run_end)}\n")
    elif a.table == "episodes":
        out.write("start,end,direction,kind,moves,level_before,level_after,cum_change,"
                  "rec_within_12m,rec_start,in_rec_at_start,rec_overlaps,class,provisional\n")
        for _, e in eps[eps.start >= since].iterrows():
            out.write(f"{iso(e.start)},{iso(e.end)},{e.direction},{e.kind},{e.moves},"
                      f"{e.level_before:.4f},{e.level_after:.4f},{e.cum_change:.4f},"
                      f"{int(e.rec_within_12m)},{e.rec_start},{int(e.in_rec_at_start)},"
                      f"{int(e.rec_overlaps)},{e.cls},{int(e.provisional)}\n")
    elif a.table == "holds":
        out.write("start,end,days,after,before\n")
        h = holds(eps, dff.index[0], dff.index[-1])
        for _, r in h[h.end >= since].iterrows():
            out.write(f"{iso(r.start)},{iso(r.end)},{r.days},{r.after},{r.before}\n")
    else:
        first = pd.Timestamp(a.first) if a.first else dff.index[0]
        last = pd.Timestamp(a.last) if a.last else dff.index[-1]
        if first < dff.index[0] or last > dff.index[-1] or first > last:
            fail(f"labels {iso(first)}..{iso(last)} must lie within the DFF rows "
                 f"{iso(dff.index[0])}..{iso(dff.index[-1])}")
        out.write("date,class\n")
        lab = labels(eps, first, last)
        out.write("".join(f"{d},{c}\n" for d, c in zip(lab.index.strftime("%Y-%m-%d"), lab)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
