# SPDX-License-Identifier: MIT
"""rotor.run and friends: a file written by the CLI and one written by rotor.run give the same
frames (and so do in-memory results); scenarios as path, text or dict; bad input raises
ScenarioError at the right line and column; the GIL is released during a run; Ctrl-C stops a
run and leaves no file; failures raise RunError with the results; validate, calibrate and
strategies agree with the CLI."""

import os
import re
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest
import yaml

import rotor
from conftest import (FORWARD, HISTORY, SOURCE, assert_frames_identical, cli, cli_run,
                      sweep_yaml)

FRAMES = ["scenarios", "metrics", "equity", "weights", "trades", "cash_rate", "paths", "bands",
          "rates", "realised", "data_files"]
# What differs between two runs of the same scenario: when and how it was started.
RUN_ATTRIBUTES = ("created_utc", "command_line")


def assert_same_results(a, b, frames=FRAMES):
    for name in frames:
        assert_frames_identical(getattr(a, name), getattr(b, name), name)
    pa = {k: v for k, v in a.provenance.items() if k not in RUN_ATTRIBUTES}
    pb = {k: v for k, v in b.provenance.items() if k not in RUN_ATTRIBUTES}
    assert pa == pb


@pytest.mark.parametrize("kind", ["history", "forward", "sweep"])
def test_cli_file_and_rotor_run_give_identical_frames(kind, tmp_path):
    extra = []
    if kind == "history":
        scenario = HISTORY
    elif kind == "forward":
        scenario, extra = FORWARD, ["--paths", "300", "--seed", "5"]
    else:
        scenario = str(tmp_path / "lookback_sweep.yaml")
        (tmp_path / "lookback_sweep.yaml").write_text(sweep_yaml())
    from_cli = rotor.open(cli_run(scenario, str(tmp_path / "cli.h5"), *extra))
    kw = dict(paths=300, seed=5) if kind == "forward" else {}
    written = rotor.run(scenario, output=tmp_path / "py.h5", progress=False, **kw)
    assert written.path == str(tmp_path / "py.h5")
    in_memory = rotor.run(scenario, progress=False, **kw)
    assert in_memory.path is None
    # The sweep's weights (4 cells x 7 strategies x 6,539 days x 4 assets) add time, not cover:
    # the history case compares them.
    frames = [f for f in FRAMES if not (kind == "sweep" and f == "weights")]
    assert_same_results(from_cli, written, frames)  # read back from tmp_path / "py.h5"
    assert_same_results(from_cli, in_memory, frames)
    assert in_memory.provenance["command_line"].startswith("rotor.run(")
    # Saved later, the in-memory results are the same file again.
    in_memory.save(tmp_path / "saved.h5")
    assert_same_results(from_cli, rotor.open(tmp_path / "saved.h5"), frames)


def test_scenario_as_path_text_or_dict(tmp_path):
    by_path = rotor.run(HISTORY, progress=False)
    text = open(HISTORY).read()
    base = os.path.dirname(HISTORY)
    by_text = rotor.run(text, base_dir=base, progress=False)
    by_dict = rotor.run(yaml.safe_load(text), base_dir=base, progress=False)
    for other in (by_text, by_dict):
        for name in ("metrics", "equity", "weights", "trades"):
            assert_frames_identical(getattr(by_path, name), getattr(other, name), name)
    assert by_text.provenance["scenario_yaml"] == text
    assert by_dict.provenance["scenario_file"].endswith("<dict>")
    # A dict that extends a file and overrides one key: the override shows in the results.
    costly = rotor.run({"extends": HISTORY, "name": "costly", "costs": {"slippage_bps": 25.0}},
                       progress=False)
    a = by_path.metrics.set_index("strategy").total_costs
    b = costly.metrics.set_index("strategy").total_costs
    assert (b > a).all()


def location(text, needle):
    """1-based line and column of `needle` in `text`, counted by hand."""
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_bad_scenario_raises_scenario_error_at_its_line_and_column(tmp_path):
    text = open(HISTORY).read().replace("lookback: 126\n    skip: 0",
                                        "lookback: soon\n    skip: 0")
    line, column = location(text, "soon")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.run(str(bad), base_dir=None, progress=False)
    assert (e.value.file, e.value.line, e.value.column) == (str(bad), line, column)
    assert e.value.key == "strategies[3].lookback"
    assert str(e.value).startswith(f"{bad}:{line}:{column}: strategies[3].lookback: ")
    # The same text given as text: located in it.
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.validate(text, base_dir=tmp_path)
    assert (e.value.line, e.value.column, e.value.key) == (line, column, "strategies[3].lookback")
    assert e.value.file == os.path.join(str(tmp_path), "<yaml>")
    # The CLI says the same, with exit code 2.
    code, _, err = cli("validate", str(bad))
    assert code == 2 and str(e.value).split(": ", 1)[1] in err
    # A YAML syntax error.
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.validate("name: x\nmode: [historical\n")
    assert e.value.file == "<yaml>" and e.value.line is not None


def test_bad_dicts_and_unknown_strategies():
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.run({"name": "x", "window": {"start": object()}}, progress=False)
    assert e.value.key == "window.start" and "object" in str(e.value)
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.run({"name": "x", 3: "y"}, progress=False)
    assert "key 3" in str(e.value)
    base = yaml.safe_load(open(HISTORY))
    base["strategies"][2]["rebalance"] = ["monthly"]
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.run(base, base_dir=os.path.dirname(HISTORY), progress=False)
    assert e.value.key == "strategies[2].rebalance"
    base = yaml.safe_load(open(HISTORY))
    base["strategies"][0]["type"] = "buy_and_hodl"
    with pytest.raises(rotor.ScenarioError, match=r"unknown strategy 'buy_and_hodl' \(known: "):
        rotor.validate(base, base_dir=os.path.dirname(HISTORY))
    with pytest.raises(rotor.ScenarioError, match="paths"):
        rotor.run(FORWARD, paths=0, progress=False)
    with pytest.raises(TypeError):
        rotor.run(FORWARD, paths="many", progress=False)
    with pytest.raises(TypeError):
        rotor.run(42)
    with pytest.raises(rotor.ScenarioError, match="cannot open") as e:
        rotor.run("no/such/scenario.yaml", progress=False)
    # No place to name: the message says the file alone, not "file:0:0".
    assert str(e.value).startswith("no/such/scenario.yaml: ") and e.value.line is None
    # Seeds and counts beyond the engine's 64-bit integers: a ScenarioError, not a TypeError.
    for key in ("seed", "paths", "threads"):
        with pytest.raises(rotor.ScenarioError, match=key) as e:
            rotor.run(FORWARD, progress=False, **{key: 2**64 - 1})
        assert e.value.key == key
    # One line of YAML is text, not a file name; a file of that name would still be a file.
    with pytest.raises(rotor.ScenarioError) as e:
        rotor.validate("name: x")
    assert e.value.file == "<yaml>" and "cannot open" not in str(e.value)


def test_failed_strategy_raises_run_error_with_the_results():
    # Three times QQQ on margin does not survive 2000-2002: its equity goes below zero.
    scenario = {"extends": HISTORY, "name": "margin",
                "strategies": [{"name": "spy", "type": "buy_and_hold", "weights": {"SPY": 1.0}},
                               {"name": "qqq_x3", "type": "buy_and_hold",
                                "weights": {"QQQ": 3.0}}],
                "benchmark": "spy"}
    with pytest.raises(rotor.RunError) as e:
        rotor.run(scenario, progress=False)
    m = e.value.results.metrics.set_index("strategy")
    assert m.loc["spy", "status"] == "ok" and m.loc["spy", "error"] == ""
    assert m.loc["qqq_x3", "status"] == "failed" and m.loc["qqq_x3", "error"]
    assert np.isnan(m.loc["qqq_x3", "cagr"])
    assert "qqq_x3" in str(e.value)
    assert list(e.value.results.equity.strategy.unique()) == ["spy"]


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "r.h5"
    out.write_text("earlier")
    with pytest.raises(rotor.ScenarioError, match="exists"):
        rotor.run(HISTORY, output=out, progress=False)
    assert out.read_text() == "earlier"
    rotor.run(HISTORY, output=out, force=True, progress=False)
    assert rotor.open(out).metrics.shape[0] == 7
    with pytest.raises(rotor.ScenarioError, match="exists"):
        rotor.open(out).save(out)


def test_gil_is_released_while_the_engine_runs():
    # Without a progress callback the run never calls back into Python, so a second thread can
    # tick during it only if the engine released the GIL. Held, the ticks would stop for the
    # whole run: one gap as long as the run.
    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        time.sleep(0.02)
        # Long enough to tell, however fast the engine gets: double the paths until the run
        # takes a fifth of a second.
        paths = 3000
        while True:
            start = time.perf_counter()
            rotor.run(FORWARD, paths=paths, seed=1, threads=2, progress=False)
            end = time.perf_counter()
            if end - start > 0.2 or paths >= 200000:
                break
            paths *= 2
    finally:
        stop.set()
        t.join()
    assert end - start > 0.2, "the run is too short to tell"
    inside = [x for x in ticks if start < x < end]
    longest = np.diff([start] + inside + [end]).max()
    assert len(inside) > 20 and longest < (end - start) / 4, (len(inside), longest, end - start)


def test_ctrl_c_stops_the_run_and_leaves_no_file(tmp_path):
    out = tmp_path / "interrupted.h5"
    done = []

    def progress(cell, unit, d, total):
        done.append(d)
        if d > 0 and len(done) == 2:
            # As if Ctrl-C was pressed while the engine runs: the signal arrives from outside
            # the engine; the next progress point raises it.
            threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        rotor.run(FORWARD, paths=50000, seed=1, threads=2, output=out, progress=progress)
    assert max(done) < 50000
    assert os.listdir(tmp_path) == []  # neither the output nor its temporary
    # The process is still fine: the next run works.
    assert rotor.run(HISTORY, progress=False).metrics.shape[0] == 7
    assert time.monotonic() - start < 120


def test_threads_do_not_change_results():
    one = rotor.run(FORWARD, paths=200, seed=3, threads=1, progress=False)
    two = rotor.run(FORWARD, paths=200, seed=3, threads=2, progress=False)
    assert_frames_identical(one.paths, two.paths, "paths")
    assert_frames_identical(one.bands, two.bands, "bands")


def test_progress_reports_each_cell():
    seen = []
    rotor.run(HISTORY, progress=lambda *a: seen.append(a))
    assert seen[0] == ("rotation_2000_2025", "strategies", 0, 7)
    assert seen[-1] == ("rotation_2000_2025", "strategies", 7, 7)


def test_validate_calibrate_and_strategies_match_the_cli(tmp_path):
    cells = rotor.validate(os.path.join(SOURCE, "scenarios", "pack_2026.yaml"))
    code, out, _ = cli("validate", os.path.join(SOURCE, "scenarios", "pack_2026.yaml"))
    assert code == 0
    lines = re.findall(r"ok \((\S+), (\S+), (\d+) assets, (\d+) strategies\)", out)
    assert [tuple(r) for r in cells[["scenario", "mode", "assets", "strategies"]]
            .astype(str).itertuples(index=False)] == lines

    code, out, _ = cli("calibrate", FORWARD)
    assert code == 0 and out.startswith("# rotor calibrate ")
    assert rotor.calibrate(FORWARD) == out

    s = rotor.strategies()
    code, out, _ = cli("list-strategies")
    types = re.findall(r"^(\w+)\s{2,}", out, flags=re.M)
    assert sorted(s.type.unique()) == sorted(types)
    for row in s.itertuples():
        shown = f"    {row.parameter}: {row.kind}"
        assert shown in out, shown
    mom = s[s.type == "relative_momentum"].set_index("parameter")
    assert mom.loc["lookback", "required"] and mom.loc["lookback", "default"] is None
    assert mom.loc["top_k", "default"] == "1" and mom.loc["rebalance", "default"] == "monthly"
