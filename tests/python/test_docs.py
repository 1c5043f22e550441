# SPDX-License-Identifier: MIT
"""docs/python.md: every ```python block runs, in order, in one namespace, from a folder whose
scenarios/ and data/ are the repository's; then its results are checked against rotor's own
metrics (the tear sheet recomputes CAGR, volatility and drawdown from the returns)."""

import os
import re

import numpy as np
import yaml

from conftest import SOURCE


def blocks(path):
    text = open(path, encoding="utf-8").read()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_worked_example_runs(tmp_path, monkeypatch):
    code = blocks(os.path.join(SOURCE, "docs", "python.md"))
    assert len(code) >= 5
    for name in ("scenarios", "data"):
        os.symlink(os.path.join(SOURCE, name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__docs__"}
    for block in code:
        exec(compile(block, "docs/python.md", "exec"), namespace)

    # The fan chart was drawn.
    with open(tmp_path / "fan_chart.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    # Every member of the pack compared: one row per entry of its pack: list.
    with open(os.path.join(SOURCE, "scenarios", "pack_2026.yaml")) as f:
        members = yaml.safe_load(f)["pack"]
    assert namespace["median"].shape[0] == len(members)
    # The tear sheet's numbers, recomputed from the returns, agree with the engine's metrics.
    sheet = namespace["sheet"]
    hist = namespace["hist"]
    row = hist.metrics.set_index("strategy").loc["dual_momentum_12m"]
    for key in ("volatility", "max_drawdown"):
        np.testing.assert_allclose(sheet[key], row[key], rtol=1e-10, err_msg=key)
    # rotor's total return counts from the initial capital, the tear sheet's from day 0's close.
    equity = hist.equity.query("strategy == 'dual_momentum_12m'").equity.to_numpy()
    capital = hist.scenarios.initial_capital[0]
    n = len(namespace["r"])
    growth = (1 + sheet["cagr"]) ** (n / 252) * equity[0] / capital
    np.testing.assert_allclose(growth - 1, row["total_return"], rtol=1e-10)
    assert sheet["cagr"] > row["cagr"]  # day 0's costs
    # The quick start saved and reopened a file.
    assert namespace["old"].metrics.shape[0] == 7
