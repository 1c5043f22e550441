# SPDX-License-Identifier: MIT
"""``rotor.Results``: a results file (docs/results-format.md) as tidy pandas frames.

Every frame is long ("tidy"): one row per observation, a RangeIndex, string columns of ``str``
and dates as ``datetime64[ns]``. Frames are built on first use and cached; each call returns a
copy, so changing one never changes what the next call returns.
"""

import os
import shutil
import tempfile

import numpy as np
import pandas as pd

from ._errors import ScenarioError

# Columns of the summary tables that only serve HDF5 navigation.
_INTERNAL = ("group",)
# Leading columns of every per-cell frame, in this order.
_KEYS = ("scenario", "strategy", "type", "status", "error")


def _table(raw):
    """A RecordTable from the native reader as a DataFrame (file column order)."""
    if raw is None:
        return pd.DataFrame()
    cols = raw["columns"]
    data = {}
    for f in raw["fields"]:
        v = cols[f]
        data[f] = np.array(v, dtype=object) if isinstance(v, list) else v
    return pd.DataFrame(data, columns=list(raw["fields"]))


def _typed(values):
    """Sweep values (YAML scalar text) as one column: int64 or float64 when every present value
    reads as a number, else str."""
    present = [v for v in values if v is not None]
    for kind in (int, float):
        try:
            converted = [kind(v) for v in present]
        except ValueError:
            continue
        if kind is int and len(present) == len(values):
            return np.array(converted, dtype=np.int64)
        return np.array([np.nan if v is None else kind(v) for v in values], dtype=np.float64)
    return np.array(values, dtype=object)


class Results:
    """The results of one scenario file (one scenario, a sweep or a pack): ``rotor.run``
    returns one and ``rotor.open`` reads one from an HDF5 file.

    Frames (see docs/python.md for every column):

    - ``scenarios``: one row per scenario cell, sweep parameters as columns
    - ``metrics``: one row per (scenario cell, strategy), sweep parameters as columns
    - ``equity``, ``weights``, ``trades``: the daily series of historical scenarios
    - ``returns(strategy)``: one strategy's daily returns as a Series on a DatetimeIndex
    - ``paths``, ``bands``, ``rates``, ``realised``: Monte Carlo per-path metrics, percentile
      bands of wealth and of the cash rate, and the realised outcome where data covers it
    - ``cash_rate``: the cash rate that applied (historical days, realised forward days)
    - ``provenance`` (dict of str), ``data_files``
    """

    def __init__(self, raw, image=None):
        self._raw = raw
        self._image = image
        self._cache = {}

    # ---- identity ---------------------------------------------------------------------------

    @property
    def path(self):
        """The results file read or written, or None for results kept in memory."""
        return self._raw["path"]

    def __repr__(self):
        cells = self._raw["scenarios"]
        modes = sorted({s["mode"] for s in cells})
        strategies = sum(len(s["strategies"]) for s in cells)
        where = self.path if self.path is not None else "in memory"
        return (f"<rotor.Results: {len(cells)} scenario{'s' if len(cells) != 1 else ''} "
                f"({', '.join(modes)}), {strategies} strategy runs, {where}>")

    def _cached(self, name, build):
        if name not in self._cache:
            value = build()
            if isinstance(value, pd.DataFrame) and value.empty:
                value = value.reset_index(drop=True)  # a RangeIndex, as every other frame
            self._cache[name] = value
        value = self._cache[name]
        return value.copy() if hasattr(value, "copy") else value

    def _cells(self, mode=None):
        for s in self._raw["scenarios"]:
            if mode is None or (s["mode"] == "monte_carlo") == (mode == "monte_carlo"):
                yield s

    # ---- sweep parameters -------------------------------------------------------------------

    @property
    def parameters(self):
        """The sweep parameter columns of ``scenarios`` and ``metrics`` (labels as in the cell
        names, e.g. ``["lookback", "slippage_bps"]``), in sweep order; empty without a sweep.
        A label that would clash with a standard column is replaced by its full sweep key."""
        return list(self._cached("parameters", self._parameter_columns))

    def _parameter_columns(self):
        reserved = set(_KEYS) | {"mode", "description", "benchmark", "initial_capital", "start",
                                 "end", "days", "assets", "paths", "seed", "checkpoint_day",
                                 "model", "date", "asset", "path", "regime", "percentile"}
        for t in ("metrics", "mc_summary"):
            if self._raw[t] is not None:
                reserved.update(self._raw[t]["fields"])
        names = {}
        for s in self._raw["scenarios"]:
            for key, label, _ in s["sweep"]:
                names.setdefault(key, label if label not in reserved else key)
        return tuple(dict.fromkeys(names.values()))

    def _sweep_values(self, cells):
        """{column: typed values, one per cell}."""
        columns = self._parameter_columns()
        per_cell = []
        for s in cells:
            mine = {}
            for key, label, value in s["sweep"]:
                mine[label if label in columns else key] = value
            per_cell.append(mine)
        return {c: _typed([m.get(c) for m in per_cell]) for c in columns}

    # ---- scenarios and metrics --------------------------------------------------------------

    @property
    def scenarios(self):
        """One row per scenario cell: scenario, its sweep parameters, mode, description,
        benchmark, initial_capital, start, end, days, assets (list of str), and for Monte Carlo
        cells paths, seed, checkpoint_day and model (the resolved model as YAML)."""
        return self._cached("scenarios", self._build_scenarios)

    def _build_scenarios(self):
        cells = list(self._cells())
        rows = []
        for s in cells:
            d = s["dates"]
            mc = s["mode"] == "monte_carlo"
            rows.append({
                "scenario": s["name"], "mode": s["mode"], "description": s["description"],
                "benchmark": s["benchmark"], "initial_capital": s["initial_capital"],
                "start": d[0] if len(d) else pd.NaT, "end": d[-1] if len(d) else pd.NaT,
                "days": len(d), "assets": list(s["assets"]),
                "paths": s["paths"] if mc else pd.NA, "seed": s["seed"] if mc else pd.NA,
                "checkpoint_day": s["checkpoint_day"] if mc else pd.NA,
                "model": s["model"] if mc else None})
        frame = pd.DataFrame(rows, columns=["scenario", "mode", "description", "benchmark",
                                            "initial_capital", "start", "end", "days", "assets",
                                            "paths", "seed", "checkpoint_day", "model"])
        for c in ("paths", "seed", "checkpoint_day"):
            frame[c] = frame[c].astype("Int64")
        for c in ("start", "end"):
            frame[c] = pd.to_datetime(frame[c])
        for i, (name, values) in enumerate(self._sweep_values(cells).items()):
            frame.insert(1 + i, name, values)
        return frame

    @property
    def metrics(self):
        """One row per (scenario cell, strategy), in run order: scenario, the sweep parameters,
        strategy, type, status, error ("" when ok), then the historical metrics of
        docs/metrics.md with peak_date, trough_date and recovery_date, and/or the Monte Carlo
        distribution summary (paths, mean, stdev, p05 ... p95, prob_loss, prob_beat_benchmark,
        var95, cvar95, median_cagr, p05_cagr, p95_cagr, median_max_drawdown). A file with both
        kinds of scenario has both sets of columns, NaN where a row has no such value."""
        return self._cached("metrics", self._build_metrics)

    def _build_metrics(self):
        parts = []
        for name in ("metrics", "mc_summary"):
            t = _table(self._raw[name])
            if len(t.columns) and len(t):  # an empty table adds no all-NaN columns
                parts.append(t.drop(columns=[c for c in _INTERNAL if c in t.columns]))
        frame = pd.concat(parts, ignore_index=True, sort=False) if parts else pd.DataFrame(
            columns=["scenario", "strategy", "type", "status"])
        if "paths" in frame and frame["paths"].notna().all():
            frame["paths"] = frame["paths"].astype(np.int64)
        elif "paths" in frame:
            frame["paths"] = frame["paths"].astype("Int64")
        errors = {(s["name"], st["name"]): st["error"]
                  for s in self._cells() for st in s["strategies"]}
        frame.insert(4, "error", np.array(
            [errors.get((a, b), "") for a, b in zip(frame["scenario"], frame["strategy"])],
            dtype=object))
        cells = {s["name"]: s for s in self._cells()}
        sweep = self._sweep_values([cells[n] for n in frame["scenario"]])
        for i, (name, values) in enumerate(sweep.items()):
            frame.insert(1 + i, name, values)
        return frame

    # ---- historical series ------------------------------------------------------------------

    def _history(self):
        for s in self._cells("historical"):
            for st in s["strategies"]:
                if st["status"] == "ok":
                    yield s, st

    @property
    def equity(self):
        """Historical scenarios, one row per (scenario, strategy, day): scenario, strategy,
        date, equity (portfolio value at the close, currency). Failed strategies have none."""
        return self._cached("equity", self._build_equity)

    def _build_equity(self):
        parts = [(s["name"], st["name"], s["dates"], st["equity"]) for s, st in self._history()]
        return _long(parts, "equity")

    @property
    def weights(self):
        """Historical scenarios, one row per (scenario, strategy, day, asset): scenario,
        strategy, date, asset, weight (end-of-day fraction of equity; cash is 1 - the sum).
        One strategy as a date x asset table: ``w[w.strategy == s].pivot(index="date",
        columns="asset", values="weight")``."""
        return self._cached("weights", self._build_weights)

    def _build_weights(self):
        cols = {"scenario": [], "strategy": [], "date": [], "asset": [], "weight": []}
        for s, st in self._history():
            w = st["weights"]
            t, n = w.shape
            cols["scenario"].append(_Same(s["name"], t * n))
            cols["strategy"].append(_Same(st["name"], t * n))
            cols["date"].append(np.repeat(s["dates"], n))
            cols["asset"].append(np.tile(np.array(s["assets"], dtype=object), t))
            cols["weight"].append(w.reshape(-1))
        return _concat(cols, {"date": "datetime64[ns]"})

    @property
    def trades(self):
        """Historical scenarios, one row per executed trade in execution order: scenario,
        strategy, date, asset, quantity (units, > 0 buy), price, notional, commission,
        slippage (currency)."""
        return self._cached("trades", self._build_trades)

    def _build_trades(self):
        parts = []
        for s, st in self._history():
            t = _table(st["trades"])
            t.insert(0, "strategy", np.full(len(t), st["name"], dtype=object))
            t.insert(0, "scenario", np.full(len(t), s["name"], dtype=object))
            parts.append(t)
        if not parts:
            return _concat({k: [] for k in ["scenario", "strategy", "date", "asset", "quantity",
                                            "price", "notional", "commission", "slippage"]},
                           {"date": "datetime64[ns]"})
        return pd.concat(parts, ignore_index=True)

    def returns(self, strategy, scenario=None):
        """One strategy's daily simple returns as a ``pd.Series`` (float64, named after the
        strategy) on a ``DatetimeIndex`` named ``date``: the return from each trading day's
        close to the next, dated at the later close. Day 0 has no return and is left out, so
        the series suits tear-sheet tools (quantstats, pyfolio, empyrical) as it is.

        ``scenario`` is needed when the strategy name appears in several historical cells.
        """
        matches = [(s, st) for s in self._cells("historical") for st in s["strategies"]
                   if st["name"] == strategy and (scenario is None or s["name"] == scenario)]
        if not matches:
            known = sorted({st["name"] for s in self._cells("historical")
                            for st in s["strategies"]})
            where = f" in scenario '{scenario}'" if scenario is not None else ""
            raise KeyError(f"no historical strategy '{strategy}'{where} "
                           f"(known: {', '.join(known) or 'none'}; Monte Carlo scenarios keep "
                           "no daily series, see paths and bands)")
        if len(matches) > 1:
            raise ValueError(f"strategy '{strategy}' runs in {len(matches)} scenarios; pass "
                             "scenario= one of " + ", ".join(s["name"] for s, _ in matches))
        s, st = matches[0]
        if st["status"] != "ok":
            raise ValueError(f"strategy '{strategy}' failed in scenario '{s['name']}': "
                             f"{st['error']}")
        index = pd.DatetimeIndex(s["dates"][1:], name="date")
        return pd.Series(st["returns"][1:].copy(), index=index, name=strategy)

    # ---- Monte Carlo ------------------------------------------------------------------------

    def _monte_carlo(self):
        for s in self._cells("monte_carlo"):
            for st in s["strategies"]:
                if st["status"] == "ok":
                    yield s, st

    @property
    def paths(self):
        """Monte Carlo scenarios, one row per (scenario, strategy, path): scenario, strategy,
        path (0 .. P-1; the same path across strategies), regime (the rate regime the path
        drew), terminal_wealth, cagr, volatility, sharpe, max_drawdown, turnover, and
        checkpoint_wealth when the scenario has a checkpoint day (NaN elsewhere). Failed
        strategies have no rows."""
        return self._cached("paths", self._build_paths)

    def _build_paths(self):
        metrics = ["terminal_wealth", "cagr", "volatility", "sharpe", "max_drawdown", "turnover",
                   "checkpoint_wealth"]
        cols = {k: [] for k in ["scenario", "strategy", "path", "regime"] + metrics}
        for s, st in self._monte_carlo():
            p = int(s["paths"])
            regimes = np.array(s["regime_names"], dtype=object)[
                s["regime_of_path"].astype(np.int64)]
            cols["scenario"].append(_Same(s["name"], p))
            cols["strategy"].append(_Same(st["name"], p))
            cols["path"].append(np.arange(p, dtype=np.int64))
            cols["regime"].append(regimes)
            for m in metrics:
                v = st["paths"].get(m)
                cols[m].append(v if v is not None else np.full(p, np.nan))
        frame = _concat(cols, {"path": np.int64})
        if "checkpoint_wealth" in frame and frame["checkpoint_wealth"].isna().all():
            frame = frame.drop(columns="checkpoint_wealth")
        return frame

    @property
    def bands(self):
        """Monte Carlo scenarios, one row per (scenario, strategy, day, percentile): scenario,
        strategy, date, percentile (e.g. 5.0), wealth (equity / initial capital at that
        percentile across paths). A fan chart's table for one strategy:
        ``b[b.strategy == s].pivot(index="date", columns="percentile", values="wealth")``."""
        return self._cached("bands", self._build_bands)

    def _build_bands(self):
        parts = [(s, st["name"], st["equity_bands"]) for s, st in self._monte_carlo()]
        return _bands(parts, "wealth", with_strategy=True)

    @property
    def rates(self):
        """Monte Carlo scenarios, one row per (scenario, day, percentile): scenario, date,
        percentile, rate (the simulated cash rate at that percentile, annual percent)."""
        return self._cached("rates", self._build_rates)

    def _build_rates(self):
        parts = [(s, None, s["rate_bands"]) for s in self._cells("monte_carlo")]
        return _bands(parts, "rate", with_strategy=False)

    @property
    def cash_rate(self):
        """The cash rate that applied, one row per (scenario, day): scenario, date, cash_rate
        (annual percent). Historical scenarios give every day; Monte Carlo scenarios the
        realised days data already covers."""
        return self._cached("cash_rate", self._build_cash_rate)

    def _build_cash_rate(self):
        parts = []
        for s in self._cells():
            if s["mode"] == "monte_carlo":
                if s["realised"] is not None:
                    r = s["realised"]
                    parts.append((s["name"], None, r["dates"], r["cash_rate"]))
            else:
                parts.append((s["name"], None, s["dates"], s["cash_rate"]))
        return _long(parts, "cash_rate", with_strategy=False)

    @property
    def realised(self):
        """Monte Carlo scenarios whose horizon data already covers in part: one row per
        (scenario, strategy, realised day): scenario, strategy, date, wealth (equity / initial
        capital), percentile_rank (the strategy's realised wealth on the checkpoint day ranked
        among the paths, percent)."""
        return self._cached("realised", self._build_realised)

    @property
    def realised_coverage(self):
        """Where each Monte Carlo scenario's realised replay stopped and why, one row per
        (scenario, series line): scenario, ended_by (the series that ended the replay, e.g. the
        cash rate past its staleness limit, or "the horizon's end"), first_date and last_date
        (the realised days), coverage (one line per series: where its data ends)."""
        return self._cached("realised_coverage", self._build_realised_coverage)

    def _build_realised_coverage(self):
        rows = []
        for s in self._cells("monte_carlo"):
            r = s["realised"]
            if r is None:
                continue
            first = r["dates"][0] if len(r["dates"]) else None
            last = r["dates"][-1] if len(r["dates"]) else None
            for line in r["coverage"] or [""]:
                rows.append((s["name"], r["ended_by"], first, last, line))
        frame = pd.DataFrame(rows, columns=["scenario", "ended_by", "first_date", "last_date",
                                            "coverage"])
        for c in ("first_date", "last_date"):
            frame[c] = pd.to_datetime(frame[c])
        return frame

    def _build_realised(self):
        parts = []
        ranks = []
        for s in self._cells("monte_carlo"):
            if s["realised"] is None:
                continue
            r = s["realised"]
            for st in r["strategies"]:
                parts.append((s["name"], st["name"], r["dates"], st["wealth"]))
                ranks.append(np.full(len(st["wealth"]), st["percentile_rank"]))
        frame = _long(parts, "wealth")
        frame["percentile_rank"] = np.concatenate(ranks) if ranks else np.array([], float)
        return frame

    # ---- walk-forward -----------------------------------------------------------------------

    _WF_SUMMARY = ("walk_forward", "strategy", "metric", "goal", "in_sample", "window",
                   "out_of_sample", "step", "stitched_metric", "best_cell", "best_full_period_metric",
                   "best_on_stitched_days_metric")

    @property
    def walk_forward(self):
        """One row per walk-forward (docs/walk-forward.md): walk_forward (its name), strategy,
        metric, goal, in_sample, window (rolling or anchored), out_of_sample, step (trading
        days), stitched_metric (the
        stitched out-of-sample curve's metric), best_cell (the cell best over the whole period),
        best_full_period_metric, best_on_stitched_days_metric. Empty without a walk-forward."""
        return self._cached("walk_forward", self._build_walk_forward)

    def _build_walk_forward(self):
        rows = [tuple([w["name"]] + [w[k] for k in self._WF_SUMMARY[1:]])
                for w in self._raw.get("walk_forward", [])]
        return pd.DataFrame(rows, columns=list(self._WF_SUMMARY))

    @property
    def walk_forward_steps(self):
        """One row per (walk-forward, step): walk_forward, then the /walk_forward/<name>/steps
        columns (window dates as datetime64, cell, cell_name, param_<label>,
        in_sample_metric, out_of_sample_metric)."""
        return self._cached("walk_forward_steps", self._build_walk_forward_steps)

    def _build_walk_forward_steps(self):
        frames = []
        for w in self._raw.get("walk_forward", []):
            f = _table(w["steps"])
            for c in ("in_sample_start", "in_sample_end", "out_of_sample_start",
                      "out_of_sample_end", "stitched_end"):
                f[c] = pd.to_datetime(f[c])
            f.insert(0, "walk_forward", w["name"])
            frames.append(f)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def walk_forward_equity(self):
        """The stitched out-of-sample curves, one row per (walk-forward, day): walk_forward,
        date, equity (currency)."""
        return self._cached("walk_forward_equity", self._build_walk_forward_equity)

    def _build_walk_forward_equity(self):
        frames = [pd.DataFrame({"walk_forward": w["name"], "date": w["dates"],
                                "equity": w["equity"]})
                  for w in self._raw.get("walk_forward", [])]
        if not frames:
            return pd.DataFrame(columns=["walk_forward", "date", "equity"])
        return pd.concat(frames, ignore_index=True)

    # ---- provenance -------------------------------------------------------------------------

    @property
    def provenance(self):
        """Where the results came from, every value a str: format, format_version,
        rotor_version, git_commit, created_utc, command_line, scenario_file, seed (the root
        attributes), scenario_yaml (the scenario as given) and resolved_yaml (every default
        filled in, paths resolved)."""
        out = dict(self._raw["attributes"])
        out["scenario_yaml"] = self._raw["scenario_yaml"]
        out["resolved_yaml"] = self._raw["resolved_yaml"]
        return out

    @property
    def data_files(self):
        """Every data file the run read: path (as resolved), sha256 (of its bytes)."""
        return self._cached("data_files", lambda: _table(self._raw["data_files"]))

    # ---- saving -----------------------------------------------------------------------------

    def save(self, path, *, force=False):
        """Writes the results file to ``path`` (the same HDF5 file ``rotor run`` writes). An
        existing file is refused unless ``force=True``; the file appears complete or not at
        all (written to a temporary next to it and renamed)."""
        path = os.fspath(path)
        if os.path.isdir(path):
            raise ScenarioError(f"{path} is a directory", file=path)
        if os.path.exists(path) and not force:
            raise ScenarioError(f"{path} exists; use force=True to overwrite", file=path)
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=os.path.basename(path) + ".tmp.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                if self._image is not None:
                    out.write(self._image)
                else:
                    with open(self.path, "rb") as src:
                        shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise


class _Same:
    """A part of a key column: `n` copies of one value. A column of such parts is built in one
    allocation (np.repeat) rather than one array per part and a concatenation."""

    __slots__ = ("value", "n")

    def __init__(self, value, n):
        self.value, self.n = value, n


def _concat(cols, dtypes):
    """A frame from lists of per-part arrays (or _Same parts); empty parts give an empty, typed
    frame."""
    data = {}
    for k, parts in cols.items():
        if parts and isinstance(parts[0], _Same):
            values = np.empty(len(parts), dtype=object)
            values[:] = [p.value for p in parts]
            data[k] = np.repeat(values, [p.n for p in parts])
        elif parts:
            data[k] = np.concatenate(parts)
        else:
            data[k] = np.array([], dtype=dtypes.get(k, object if k in (
                "scenario", "strategy", "asset", "regime") else np.float64))
    return pd.DataFrame(data)


def _long(parts, value, with_strategy=True):
    """(scenario, strategy, dates, values) parts as scenario[, strategy], date, value."""
    cols = {"scenario": [], "strategy": [], "date": [], value: []}
    for scenario, strategy, dates, values in parts:
        n = len(dates)
        cols["scenario"].append(_Same(scenario, n))
        cols["strategy"].append(_Same(strategy, n))
        cols["date"].append(dates)
        cols[value].append(values)
    if not with_strategy:
        del cols["strategy"]
    return _concat(cols, {"date": "datetime64[ns]"})


def _bands(parts, value, with_strategy):
    """(scenario cell, strategy, T x Q grid) parts as scenario[, strategy], date, percentile,
    value."""
    cols = {"scenario": [], "strategy": [], "date": [], "percentile": [], value: []}
    for s, strategy, grid in parts:
        t, q = grid.shape
        cols["scenario"].append(_Same(s["name"], t * q))
        cols["strategy"].append(_Same(strategy, t * q))
        cols["date"].append(np.repeat(s["dates"], q))
        cols["percentile"].append(np.tile(s["percentiles"], t))
        cols[value].append(grid.reshape(-1))
    if not with_strategy:
        del cols["strategy"]
    return _concat(cols, {"date": "datetime64[ns]"})
