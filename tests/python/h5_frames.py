# SPDX-License-Identifier: MIT
"""The frames rotor.Results promises, built a second way: straight from the HDF5 file with h5py
(walking groups, decoding bytes by hand), sharing no code with the package or the engine's
reader. The tests compare the two with exact equality."""

import h5py
import numpy as np
import pandas as pd


def text(values):
    """Fixed-length byte strings (or str) as an object array of str."""
    return np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values],
                    dtype=object)


def day(values):
    """ISO date strings (bytes; b"" for none) as datetime64[ns]."""
    present = [v if v else None for v in text(values)]
    return pd.to_datetime(pd.Series(present, dtype=object), format="%Y-%m-%d").to_numpy()


def attr(obj, name):
    v = obj.attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def table(ds, drop=("group",)):
    """A compound dataset as a DataFrame: strings decoded, *_date and date fields as dates."""
    raw = ds[()]
    out = {}
    for name in raw.dtype.names:
        if name in drop:
            continue
        col = raw[name]
        if col.dtype.kind == "S":
            out[name] = day(col) if name == "date" or name.endswith("_date") else text(col)
        else:
            out[name] = col.astype(np.float64)
    return pd.DataFrame(out)


def scenario_groups(f):
    """Scenario groups in the run order of the summary tables (h5py lists them by name)."""
    order = []
    for t in ("metrics", "mc_summary"):
        if t in f:
            for s in text(f[t]["scenario"]):
                if s not in order:
                    order.append(s)
    groups = {attr(g, "name"): g for g in f["scenarios"].values()}
    return [groups[name] for name in order]


def strategy_groups(scenario, f):
    """Strategy groups of a scenario in the summary table's order."""
    t = "mc_summary" if attr(scenario, "mode") == "monte_carlo" else "metrics"
    name = attr(scenario, "name")
    rows = f[t][()]
    order = [s for sc, s in zip(text(rows["scenario"]), text(rows["strategy"])) if sc == name]
    groups = {attr(g, "name"): g for g in scenario["strategies"].values()}
    return [groups[s] for s in order]


def sweep_of(scenario):
    if "sweep_labels" not in scenario.attrs:
        return {}
    return dict(zip(text(scenario.attrs["sweep_labels"]), text(scenario.attrs["sweep_values"])))


def stacked(grid, dates, column, labels, value, **keys):
    """A T x K grid as long rows (date, column, value) through pandas' stack, keys in front."""
    wide = pd.DataFrame(grid, index=pd.Index(dates, name="date"),
                        columns=pd.Index(list(labels), name=column))
    long = wide.stack(dropna=False).rename(value).reset_index()
    if long[column].dtype != object:
        long[column] = long[column].astype(np.float64)
    for i, (k, v) in enumerate(keys.items()):
        long.insert(i, k, np.full(len(long), v, dtype=object))
    return long


def expected(path):
    """Every frame of Results for the file at `path`, as a dict name -> DataFrame."""
    with h5py.File(path, "r") as f:
        return _expected(f)


def _typed(values):
    try:
        ints = [int(v) for v in values]
        return np.array(ints, dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.array([float(v) for v in values])
    except ValueError:
        return np.array(values, dtype=object)


def _expected(f):
    out = {}
    scenarios = scenario_groups(f)
    # metrics: /metrics rows then /mc_summary rows, an error column, sweep values after scenario
    # (an empty table brings no columns: a forward-only file has no historical-metric columns)
    parts = [table(f[t]) for t in ("metrics", "mc_summary") if t in f and f[t].shape[0]]
    metrics = pd.concat(parts, ignore_index=True, sort=False)
    if "paths" in metrics:
        metrics["paths"] = metrics["paths"].astype(np.int64)
    errors = {}
    for s in scenarios:
        for g in s["strategies"].values():
            errors[(attr(s, "name"), attr(g, "name"))] = attr(g, "error")
    metrics.insert(4, "error", np.array([errors[(a, b)] for a, b in
                                         zip(metrics.scenario, metrics.strategy)], dtype=object))
    sweeps = {attr(s, "name"): sweep_of(s) for s in scenarios}
    labels = list(dict.fromkeys(k for sw in sweeps.values() for k in sw))
    for i, label in enumerate(labels):
        metrics.insert(1 + i, label, _typed([sweeps[s][label] for s in metrics.scenario]))
    out["metrics"] = metrics

    equity, weights, trades, cash = [], [], [], []
    paths, bands, rates, realised = [], [], [], []
    for s in scenarios:
        name = attr(s, "name")
        dates = day(s["dates"][()])
        assets = [a.decode() if isinstance(a, bytes) else a for a in s["assets"][()]]
        if attr(s, "mode") != "monte_carlo":
            cash.append(pd.DataFrame({"scenario": name, "date": dates,
                                      "cash_rate": s["cash_rate"][()]}))
            for g in strategy_groups(s, f):
                if attr(g, "status") != "ok":
                    continue
                st = attr(g, "name")
                equity.append(pd.DataFrame({"scenario": name, "strategy": st, "date": dates,
                                            "equity": g["equity"][()]}))
                weights.append(stacked(g["weights"][()], dates, "asset", assets, "weight",
                                       scenario=name, strategy=st))
                tr = table(g["trades"])
                tr.insert(0, "strategy", st)
                tr.insert(0, "scenario", name)
                trades.append(tr)
            continue
        levels = s["percentiles"][()]
        regimes = [r.decode() if isinstance(r, bytes) else r for r in s["regime_names"][()]]
        of_path = s["regime_of_path"][()]
        rates.append(stacked(s["rate_bands"][()], dates, "percentile", levels, "rate",
                             scenario=name))
        for g in strategy_groups(s, f):
            if attr(g, "status") != "ok":
                continue
            st = attr(g, "name")
            p = g["paths"]
            frame = {"scenario": name, "strategy": st, "path": np.arange(len(of_path)),
                     "regime": [regimes[k] for k in of_path]}
            for m in ("terminal_wealth", "cagr", "volatility", "sharpe", "max_drawdown",
                      "turnover", "checkpoint_wealth"):
                frame[m] = p[m][()] if m in p else np.nan
            paths.append(pd.DataFrame(frame))
            bands.append(stacked(g["equity_bands"][()], dates, "percentile", levels, "wealth",
                                 scenario=name, strategy=st))
        if "realised" in s:
            r = s["realised"]
            rdates = day(r["dates"][()])
            cash.append(pd.DataFrame({"scenario": name, "date": rdates,
                                      "cash_rate": r["cash_rate"][()]}))
            by_name = {attr(g, "name"): g for g in r["strategies"].values()}
            for g in strategy_groups(s, f):
                st = attr(g, "name")
                if st not in by_name:
                    continue
                w = by_name[st]["wealth"]
                realised.append(pd.DataFrame({"scenario": name, "strategy": st, "date": rdates,
                                              "wealth": w[()],
                                              "percentile_rank": w.attrs["percentile_rank"]}))

    def cat(parts):
        return pd.concat(parts, ignore_index=True) if parts else None

    out.update(equity=cat(equity), weights=cat(weights), trades=cat(trades),
               cash_rate=cat(cash), paths=cat(paths), bands=cat(bands), rates=cat(rates),
               realised=cat(realised))
    if out["paths"] is not None and out["paths"]["checkpoint_wealth"].isna().all():
        out["paths"] = out["paths"].drop(columns="checkpoint_wealth")
    return out


def returns(path, scenario, strategy):
    """The file's returns of one strategy from day 1 on, on its dates."""
    with h5py.File(path, "r") as f:
        for s in f["scenarios"].values():
            if attr(s, "name") != scenario:
                continue
            for g in s["strategies"].values():
                if attr(g, "name") == strategy:
                    return day(s["dates"][()])[1:], g["returns"][()][1:], g["equity"][()]
    raise KeyError(strategy)
