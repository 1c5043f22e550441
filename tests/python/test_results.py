# SPDX-License-Identifier: MIT
"""rotor.open: every frame equals the HDF5 file's values, read independently with h5py
(tests/python/h5_frames.py); strings are str, dates datetime64[ns]; sweep parameters are
columns; returns() is the file's daily returns on a DatetimeIndex."""

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

import h5_frames
import rotor
from conftest import FORWARD, FORWARD_PATHS, assert_frames_identical, cli_run

FRAMES = ["metrics", "equity", "weights", "trades", "cash_rate", "paths", "bands", "rates",
          "realised"]


def assert_frames_equal_file(res, path):
    want = h5_frames.expected(path)
    for name in FRAMES:
        got = getattr(res, name)
        if want[name] is None:
            assert len(got) == 0, name
            continue
        assert_frames_identical(got, want[name], name)


def test_history_frames_equal_the_file(history_file):
    res = rotor.open(history_file)
    assert res.path == history_file
    assert_frames_equal_file(res, history_file)
    # 7 strategies x 6,539 days of 4 assets, as the scenario says.
    assert len(res.metrics) == 7
    assert res.equity.groupby("strategy").size().eq(6539).all()
    assert len(res.weights) == 7 * 6539 * 4


def test_forward_frames_equal_the_file(forward_file):
    res = rotor.open(forward_file)
    assert_frames_equal_file(res, forward_file)
    # One row per (strategy, path): the strategies the scenario file lists, read with PyYAML.
    with open(FORWARD) as f:
        strategies = [s["name"] for s in yaml.safe_load(f)["strategies"]]
    assert list(res.paths.strategy.unique()) == strategies
    assert len(res.paths) == len(strategies) * FORWARD_PATHS
    assert (res.paths.groupby("strategy").path.max() == FORWARD_PATHS - 1).all()
    assert set(res.paths.regime) <= {"cuts_to_3", "hold", "emergency_cuts"}
    assert list(res.metrics.paths.unique()) == [FORWARD_PATHS]
    # Only the Monte Carlo summary's columns: the file's /metrics table is empty.
    with h5py.File(forward_file, "r") as f:
        assert f["metrics"].shape == (0,)
        historical = set(f["metrics"].dtype.names) - set(f["mc_summary"].dtype.names)
    assert historical and not historical & set(res.metrics.columns)


def test_empty_frames_have_a_range_index(history_file):
    res = rotor.open(history_file)
    for name in ("paths", "bands", "rates", "realised", "realised_coverage"):
        frame = getattr(res, name)
        assert len(frame) == 0 and isinstance(frame.index, pd.RangeIndex), name


def test_strings_are_str_and_dates_are_datetime64(history_file, forward_file):
    for path in (history_file, forward_file):
        res = rotor.open(path)
        for name in FRAMES + ["scenarios", "data_files"]:
            frame = getattr(res, name)
            for col in frame.columns:
                values = frame[col].dropna()
                if frame[col].dtype == object and col != "assets":
                    assert all(type(v) is str for v in values), (name, col)
                if col == "date" or col.endswith("_date") or col in ("start", "end"):
                    assert frame[col].dtype == "datetime64[ns]", (name, col)
        assert all(type(k) is str and type(v) is str for k, v in res.provenance.items())


def test_returns_is_the_files_daily_series(history_file):
    res = rotor.open(history_file)
    r = res.returns("dual_momentum_12m")
    dates, values, equity = h5_frames.returns(history_file, "rotation_2000_2025",
                                              "dual_momentum_12m")
    assert isinstance(r.index, pd.DatetimeIndex) and r.index.name == "date"
    assert r.name == "dual_momentum_12m" and r.dtype == np.float64
    np.testing.assert_array_equal(r.index.to_numpy(), dates)
    np.testing.assert_array_equal(r.to_numpy(), values)
    # A second way: the equity curve's day-on-day change.
    np.testing.assert_allclose(r.to_numpy(), equity[1:] / equity[:-1] - 1, rtol=0, atol=1e-15)
    assert r.index.is_monotonic_increasing and r.index[0] == pd.Timestamp("2000-01-04")
    with pytest.raises(KeyError, match="known: .*trend_200d"):
        res.returns("nope")


def test_sweep_parameters_are_real_columns(sweep_file):
    res = rotor.open(sweep_file)
    assert res.parameters == ["lookback", "slippage_bps"]
    m = res.metrics
    assert m.lookback.dtype == np.int64 and m.slippage_bps.dtype == np.float64
    # The cell names say the same, parsed a second way.
    for name, lookback, slippage in zip(m.scenario, m.lookback, m.slippage_bps):
        fields = dict(part.split("=") for part in name.split("__")[1:])
        assert int(fields["lookback"]) == lookback and float(fields["slippage_bps"]) == slippage
    assert sorted(set(zip(m.lookback, m.slippage_bps))) == [(63, 2.0), (63, 7.5), (126, 2.0),
                                                            (126, 7.5)]
    assert list(res.scenarios.columns[:3]) == ["scenario", "lookback", "slippage_bps"]
    assert_frames_equal_file(res, sweep_file)
    # Only the swept strategy moves with the lookback (at equal slippage).
    wide = m.pivot_table(index=["strategy", "slippage_bps"], columns="lookback", values="cagr")
    moved = wide[wide[63] != wide[126]].index.get_level_values("strategy").unique()
    assert list(moved) == ["momentum_top1_6m"]


def test_provenance_and_data_files(history_file):
    res = rotor.open(history_file)
    p = res.provenance
    with h5py.File(history_file, "r") as f:
        assert p["scenario_yaml"] == f["provenance/scenario_yaml"][()].decode()
        assert p["format"] == "rotor-results" and p["format_version"] == "1"
        assert p["seed"] == str(f.attrs["seed"])
        files = f["provenance/data_files"][()]
        assert list(res.data_files.path) == [v.decode() for v in files["path"]]
        assert list(res.data_files.sha256) == [v.decode() for v in files["sha256"]]


def test_frames_are_copies(history_file):
    res = rotor.open(history_file)
    m = res.metrics
    m.loc[0, "cagr"] = 99.0
    assert res.metrics.loc[0, "cagr"] != 99.0


def test_files_that_are_not_results(tmp_path, history_file):
    with pytest.raises(FileNotFoundError):
        rotor.open(tmp_path / "missing.h5")
    (tmp_path / "text.h5").write_text("date,close\n")
    with pytest.raises(ValueError, match="not a rotor results file"):
        rotor.open(tmp_path / "text.h5")
    with h5py.File(tmp_path / "foreign.h5", "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(ValueError, match="not a rotor results file"):
        rotor.open(tmp_path / "foreign.h5")
    newer = tmp_path / "newer.h5"
    newer.write_bytes(open(history_file, "rb").read())
    with h5py.File(newer, "r+") as f:
        f.attrs["format_version"] = np.int64(2)
    with pytest.raises(ValueError, match="format version 2 was written by a newer rotor"):
        rotor.open(newer)
    # A shard of a run (`rotor run --path-range`) is not a results file until merged: said so.
    shard = cli_run(FORWARD, str(tmp_path / "shard.h5"), "--paths", "40", "--path-range", "0:20")
    with pytest.raises(ValueError, match="format is 'rotor-shard'.*combine the shards with "
                                         "`rotor merge`"):
        rotor.open(shard)


def test_realised_coverage_is_the_files(forward_file):
    # The replay's stop, read a second way: the realised group's attributes with h5py.
    res = rotor.open(forward_file)
    got = res.realised_coverage
    with h5py.File(forward_file, "r") as f:
        rows = []
        for s in h5_frames.scenario_groups(f):
            if attr_or_none(s, "mode") != "monte_carlo" or "realised" not in s:
                continue
            r = s["realised"]
            dates = h5_frames.day(r["dates"][()])
            text = h5_frames.attr(r, "coverage")  # one line per series, joined by newlines
            lines = text.split("\n") if text else []
            ended = h5_frames.attr(r, "ended_by")
            for line in lines or [""]:
                rows.append((h5_frames.attr(s, "name"), ended, dates[0], dates[-1], line))
    assert rows, "the forward fixture covers part of its horizon"
    want = pd.DataFrame(rows, columns=["scenario", "ended_by", "first_date", "last_date",
                                       "coverage"])
    assert_frames_identical(got, want, "realised_coverage")
    # The cash rate ends the 2026 replay (its last observation + the staleness limit).
    assert got.ended_by.str.startswith("cash rate").all()
    assert (got.last_date == got.last_date.iloc[0]).all()


def attr_or_none(obj, name):
    return h5_frames.attr(obj, name) if name in obj.attrs else None
