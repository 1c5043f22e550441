# SPDX-License-Identifier: MIT
"""Shared fixtures of the Python tests (run by ctest: tests/python/tests.cmake sets PYTHONPATH to
the build tree's package, ROTOR_CLI to the `rotor` binary and ROTOR_SOURCE_DIR)."""

import os
import subprocess

import numpy as np
import pandas as pd
import pytest

SOURCE = os.environ.get("ROTOR_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
CLI = os.environ.get("ROTOR_CLI", os.path.join(SOURCE, "build", "tools", "rotor", "rotor"))
HISTORY = os.path.join(SOURCE, "scenarios", "rotation_2000_2025.yaml")
FORWARD = os.path.join(SOURCE, "scenarios", "great_rotation_2026.yaml")
PACK = os.path.join(SOURCE, "scenarios", "pack_2026.yaml")
# Few paths keep the forward runs short; the layout does not depend on the count.
FORWARD_PATHS = 400


def assert_frames_identical(got, want, name):
    """`got` and `want` have the same columns, dtypes, index and values, bit for bit (NaN equal
    to NaN, -0.0 not equal to 0.0). pd.testing.assert_frame_equal(check_exact=True) says the
    same, but takes tens of seconds on the weights of a sweep; this takes a fraction of one."""
    assert list(got.columns) == list(want.columns), (name, list(got.columns), list(want.columns))
    assert got.index.equals(want.index) and type(got.index) is type(want.index), name
    for col in got.columns:
        a, b = got[col], want[col]
        assert a.dtype == b.dtype, (name, col, a.dtype, b.dtype)
        if a.dtype == object:
            assert (a.isna() == b.isna()).all(), (name, col)
            x, y = a.dropna().to_numpy(), b.dropna().to_numpy()
            same = np.fromiter((type(v) is type(w) and v == w for v, w in zip(x, y)), bool,
                               len(x))
            assert same.all(), (name, col, x[~same][:3], y[~same][:3])
        elif isinstance(a.dtype, np.dtype) and a.dtype.kind in "fMm":
            bits = a.to_numpy().view(np.int64) == b.to_numpy().view(np.int64)
            assert bits.all(), (name, col, a[~bits].head(3).tolist(), b[~bits].head(3).tolist())
        else:
            pd.testing.assert_series_equal(a, b, check_exact=True, obj=f"{name}.{col}")


def cli(*args, cwd=None):
    """Runs the `rotor` binary; returns (exit code, stdout, stderr)."""
    p = subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def cli_run(scenario, out, *extra):
    code, _, err = cli("run", scenario, "-o", out, "--quiet", "--force", *extra)
    assert code == 0, err
    return out


def sweep_yaml():
    """A 2 x 2 sweep over the history scenario: a strategy's lookback and the slippage."""
    return (f"extends: {HISTORY}\n"
            "name: lookback_sweep\n"
            "sweep:\n"
            "  strategies[name=momentum_top1_6m].lookback: [63, 126]\n"
            "  costs.slippage_bps: [2, 7.5]\n")


@pytest.fixture(scope="session")
def history_file(tmp_path_factory):
    return cli_run(HISTORY, str(tmp_path_factory.mktemp("cli") / "history.h5"))


@pytest.fixture(scope="session")
def forward_file(tmp_path_factory):
    return cli_run(FORWARD, str(tmp_path_factory.mktemp("cli") / "forward.h5"),
                   "--paths", str(FORWARD_PATHS), "--seed", "7")


@pytest.fixture(scope="session")
def sweep_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    (d / "lookback_sweep.yaml").write_text(sweep_yaml())
    return cli_run(str(d / "lookback_sweep.yaml"), str(d / "sweep.h5"))
