#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regime-conditional one-year returns of a Monte Carlo run against history (issue 10, "regimes
behave as history did").

For each rate regime of a forward scenario: the number of paths that drew it and the mean
one-year return of IWM, SPY and IWM - SPY over those paths (terminal wealth - 1 of the one-asset
buy-and-hold strategies; the difference path by path), with its Monte Carlo standard error
(sample standard deviation / sqrt(paths)), next to the range (min .. max) of the historical
episodes of the regime's class from episode_returns.py (same folder): first cuts followed by a
soft landing or a recession, hold-phase starts, tightening starts since 1984. Verdict `inside`
when min <= mean <= max.

The class of each rate regime is read from the model stored with the results
(/scenarios/<name>/model, its `regimes:` map, e.g. {cuts_to_3: soft_landing, hold: hold,
emergency_cuts: recession}). A model without that map (e.g. `type: factor`) is said so, and
each rate regime is compared with the class of its own name (so only `hold` has a range).

Usage:
  /usr/bin/python3 tools/research/regime_targets.py RESULTS.h5 [--scenario NAME]
      [--data DATA_DIR] [--ranges RANGES.txt] [--spy STRATEGY] [--iwm STRATEGY] [--self-test]

  --scenario   the Monte Carlo scenario, when the file holds several
  --data DIR   the data folder for the historical ranges (default: data/ of this repository)
  --ranges F   read the ranges from F (the output of episode_returns.py --ranges) instead
  --spy, --iwm the strategies giving the SPY and IWM legs. Default: `spy_buy_and_hold` and
               `iwm_buy_and_hold`, else the first strategy of the scenario's YAML that is a
               buy_and_hold of that one asset

The scenario must run one year (the ranges are 12-month returns). The legs include the
strategy's entry costs (commission and slippage on day 0, a few basis points).

Exit status: 0 when every mean is inside its range; 1 when one is outside; 2 on an input error
or when a rate regime has no historical range to compare with (an unknown class, or no path).
Markdown on stdout.
"""
import argparse
import io
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data"))
LEGS = [("IWM", "small"), ("SPY", "sp"), ("IWM - SPY", "small_minus_sp")]


class InputError(Exception):
    pass


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


# ------------------------------------------------------------------------------------ reading
def mc_scenario(f, path, name):
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


def scenario_yaml(f, name):
    """The scenario's resolved YAML (one document per scenario of the run), or {}."""
    import yaml
    if "provenance/resolved_yaml" not in f:
        return {}
    for doc in yaml.safe_load_all(text(f["provenance/resolved_yaml"][()])):
        if isinstance(doc, dict) and str(doc.get("name")) == name:
            return doc
    return {}


def find_leg(sc, doc, asset, chosen):
    """(strategy name, how it was found) of the buy-and-hold of `asset`."""
    groups = {text(g.attrs.get("name", "")): g for g in sc["strategies"].values()}
    if chosen is not None:
        if chosen not in groups:
            raise InputError(f"no strategy '{chosen}' (has: {', '.join(groups)})")
        return chosen, "given"
    default = f"{asset.lower()}_buy_and_hold"
    if default in groups:
        return default, "by name"
    for s in doc.get("strategies") or []:
        w = s.get("weights") or {}
        if s.get("type") == "buy_and_hold" and list(w) == [asset] and str(s.get("name")) in groups:
            return str(s["name"]), "buy_and_hold of it in the YAML"
    example = f"{{name: {default}, type: buy_and_hold, weights: {{{asset}: 1.0}}}}"
    raise InputError(f"no buy-and-hold of {asset} among the strategies ({', '.join(groups)}): add "
                     f"one, e.g. {example}, or name it with --{asset.lower()}")


def terminal_wealth(sc, name):
    for g in sc["strategies"].values():
        if text(g.attrs.get("name", "")) == name:
            if text(g.attrs.get("status", "ok")) != "ok":
                raise InputError(f"strategy '{name}' failed: {text(g.attrs.get('error', ''))}")
            return g["paths/terminal_wealth"][()]
    raise InputError(f"no strategy '{name}'")


def regime_classes(sc):
    """({rate regime: class}, note) from the stored model's `regimes:` map."""
    import yaml
    names = [text(n) for n in sc["regime_names"][()]]
    model = yaml.safe_load(text(sc["model"][()])) if "model" in sc else None
    model = model if isinstance(model, dict) else {}
    if isinstance(model.get("model"), dict):
        model = model["model"]
    mapping = model.get("regimes")
    if isinstance(mapping, dict):
        missing = [n for n in names if n not in mapping]
        if missing:
            raise InputError(f"the model's regimes: map has no class for {', '.join(missing)}")
        return {n: str(mapping[n]) for n in names}, "classes from the model's `regimes:` map"
    kind = model.get("type", "unknown")
    return ({n: n for n in names},
            f"the model (type: {kind}) has no `regimes:` map: each rate regime is compared with "
            "the class of its own name")


def load_run(path, scenario=None, spy=None, iwm=None):
    import h5py
    if not os.path.exists(path):
        raise InputError(f"{path}: file not found")
    with h5py.File(path, "r") as f:
        sc = mc_scenario(f, path, scenario)
        name = text(sc.attrs["name"])
        dates = [text(d) for d in sc["dates"][[0, -1]]]
        days = (np.datetime64(dates[1]) - np.datetime64(dates[0])).astype(int)
        if not 350 <= days <= 380:
            raise InputError(f"{path}: {name} simulates {dates[0]}..{dates[1]} ({days} days); the "
                             "historical ranges are one-year returns, so a one-year run is needed")
        doc = scenario_yaml(f, name)
        try:
            legs = {a: find_leg(sc, doc, a, c) for a, c in (("SPY", spy), ("IWM", iwm))}
            wealth = {a: terminal_wealth(sc, legs[a][0]) for a in legs}
            classes, note = regime_classes(sc)
        except InputError as e:
            raise InputError(f"{path}: {name}: {e}")
        return dict(name=name, span=f"{dates[0]}..{dates[1]}", legs=legs, wealth=wealth,
                    regimes=[text(n) for n in sc["regime_names"][()]],
                    regime_of_path=sc["regime_of_path"][()], classes=classes, note=note)


# ------------------------------------------------------------------------------------ check
def mean_se(x):
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return np.nan, np.nan
    se = x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else np.nan
    return x.mean(), se


def evaluate(run, ranges):
    """Rows (regime, class, paths, leg, mean, se, lo, hi, n, verdict)."""
    r = {"IWM": run["wealth"]["IWM"] - 1, "SPY": run["wealth"]["SPY"] - 1}
    r["IWM - SPY"] = r["IWM"] - r["SPY"]
    rows = []
    for i, reg in enumerate(run["regimes"]):
        cls = run["classes"][reg]
        on = run["regime_of_path"] == i
        rg = ranges.get(cls)
        for leg, key in LEGS:
            m, se = mean_se(r[leg][on])
            lo, hi = rg[key] if rg else (np.nan, np.nan)
            n = rg["n"] if rg else 0
            if not on.any():
                v = "no paths"
            elif n == 0:
                v = "no history"
            else:
                v = "inside" if lo <= m <= hi else "outside"
            rows.append(dict(regime=reg, cls=cls, paths=int(on.sum()), leg=leg, mean=m, se=se,
                             lo=lo, hi=hi, n=n, verdict=v))
    return rows


def status(rows):
    if any(r["verdict"] == "outside" for r in rows):
        return 1
    if any(r["verdict"] != "inside" for r in rows):
        return 2
    return 0


def pct(x, digits=1):
    return "" if not np.isfinite(x) else f"{100 * x:+.{digits}f}"


def render(run, rows, source):
    legs = ", ".join(f"{a} = `{s}` ({how})" for a, (s, how) in run["legs"].items())
    out = [f"## {run['name']}: rate regimes against history", "",
           f"{len(run['regime_of_path'])} paths, {run['span']}; legs: {legs}; {run['note']}. "
           f"Historical ranges: {source}.", "",
           "| rate regime | class | paths | series | mean % | s.e. % | history min % "
           "| history max % | episodes | verdict |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['regime']} | {r['cls']} | {r['paths']} | {r['leg']} | {pct(r['mean'])} "
                   f"| {pct(r['se'], 2).lstrip('+')} | {pct(r['lo'])} | {pct(r['hi'])} "
                   f"| {r['n']} | {r['verdict']} |")
    out.append("")
    bad = [f"{r['regime']} {r['leg']}" for r in rows if r["verdict"] == "outside"]
    unchecked = sorted({r["regime"] for r in rows if r["verdict"] in ("no history", "no paths")})
    if bad:
        out.append("Outside the historical range: " + ", ".join(bad) + ".")
    if unchecked:
        out.append("Not checked (no historical range or no path): " + ", ".join(unchecked) + ".")
    if not bad and not unchecked:
        out.append("Every regime-conditional mean lies inside its historical range.")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------ self-test
def write_toy(path, model_text, strategies=("large", "small")):
    """Four paths in two regimes; SPY / IWM legs named as given, found through the YAML."""
    import h5py
    spy, iwm = strategies
    with h5py.File(path, "w") as f:
        f["provenance/resolved_yaml"] = (
            "name: other\nstrategies: []\n---\nname: toy\nstrategies:\n"
            f"  - {{name: {spy}, type: buy_and_hold, weights: {{SPY: 1.0}}}}\n"
            "  - {name: mix, type: fixed_mix, weights: {SPY: 0.5, IWM: 0.5}}\n"
            f"  - {{name: {iwm}, type: buy_and_hold, weights: {{IWM: 1.0}}}}\n")
        sc = f.create_group("scenarios/toy")
        sc.attrs.update(name="toy", mode="monte_carlo")
        sc["dates"] = np.array(["2026-01-02", "2026-12-31"], dtype="S10")
        sc["regime_names"] = np.array(["up", "flat"], dtype=h5py.string_dtype())
        sc["regime_of_path"] = np.array([0, 0, 1, 1], dtype=np.int32)
        sc["model"] = model_text
        for name, w in ((spy, [1.1, 1.3, 0.9, 1.0]), ("mix", [1, 1, 1, 1]),
                        (iwm, [1.2, 1.2, 0.8, 1.3])):
            g = sc.create_group(f"strategies/{name}")
            g.attrs.update(name=name, status="ok")
            g["paths/terminal_wealth"] = np.array(w, float)


def self_test():
    import episode_returns as er
    ok = True

    def check(name, got, want, tol=1e-12):
        nonlocal ok
        good = abs(got - want) <= tol
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} {name}: {got:.10g} (expected {want:.10g})")

    wide = er.parse_ranges("".join(
        f"{c}.n 3\n" + "".join(f"{c}.{k}.min -0.5\n{c}.{k}.max 0.5\n" for _, k in LEGS)
        for c in ("soft_landing", "hold")))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "toy.h5")
        write_toy(path, "type: regime\nregimes:\n  up: soft_landing\n  flat: hold\n")
        run = load_run(path)
        check("SPY leg found through the YAML", float(run["legs"]["SPY"][0] == "large"), 1)
        check("IWM leg found through the YAML", float(run["legs"]["IWM"][0] == "small"), 1)
        rows = {(r["regime"], r["leg"]): r for r in evaluate(run, wide)}
        # up: SPY 0.1, 0.3 -> mean 0.2, s.e. sqrt(0.02) / sqrt(2) = 0.1; IWM 0.2, 0.2;
        # IWM - SPY 0.1, -0.1 -> 0. flat: SPY -0.1, 0 -> -0.05; IWM -0.2, 0.3;
        # IWM - SPY -0.1, 0.3 -> 0.1.
        check("up: paths", rows[("up", "SPY")]["paths"], 2)
        check("up: SPY mean", rows[("up", "SPY")]["mean"], 0.2)
        check("up: SPY s.e.", rows[("up", "SPY")]["se"], 0.1)
        check("up: IWM mean", rows[("up", "IWM")]["mean"], 0.2)
        check("up: IWM - SPY mean", rows[("up", "IWM - SPY")]["mean"], 0.0, 1e-15)
        check("flat: SPY mean", rows[("flat", "SPY")]["mean"], -0.05)
        check("flat: IWM - SPY mean", rows[("flat", "IWM - SPY")]["mean"], 0.1, 1e-15)
        check("flat is the class hold", float(rows[("flat", "SPY")]["cls"] == "hold"), 1)
        check("all inside wide ranges: exit 0", status(evaluate(run, wide)), 0)
        narrow = dict(wide, soft_landing=dict(wide["soft_landing"], small=(0.0, 0.1)))
        check("up: IWM 0.2 above 0.1: exit 1", status(evaluate(run, narrow)), 1)
        check("flat: SPY -0.05 inside -0.06 .. -0.04: exit 0",
              status(evaluate(run, dict(wide, hold=dict(wide["hold"], sp=(-0.06, -0.04))))), 0)
        check("flat: SPY -0.05 above -0.07 .. -0.06: exit 1",
              status(evaluate(run, dict(wide, hold=dict(wide["hold"], sp=(-0.07, -0.06))))), 1)

        write_toy(path, "type: factor\n", strategies=("spy_buy_and_hold", "iwm_buy_and_hold"))
        run = load_run(path)
        check("legs found by name", float(run["legs"]["IWM"][1] == "by name"), 1)
        check("no regimes: map -> classes are the names",
              float(run["classes"]["flat"] == "flat"), 1)
        check("a regime without history: exit 2", status(evaluate(run, wide)), 2)
        buf = io.StringIO()
        buf.write(render(run, evaluate(run, wide), "test"))
        check("the note says so", float("no `regimes:` map" in buf.getvalue()), 1)
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="?")
    ap.add_argument("--scenario")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--ranges")
    ap.add_argument("--spy")
    ap.add_argument("--iwm")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if not a.results:
        ap.error("a results file is needed")
    import episode_returns as er
    try:
        run = load_run(a.results, a.scenario, a.spy, a.iwm)
        if a.ranges:
            if not os.path.exists(a.ranges):
                raise InputError(f"{a.ranges}: file not found")
            with open(a.ranges) as fh:
                ranges = er.parse_ranges(fh.read())
            source = a.ranges
        else:
            ranges = er.historical_ranges(a.data)
            source = (f"episode_returns.py on {a.data} (first cuts by class, hold-phase starts, "
                      "tightening starts since 1984; complete 12-month windows)")
    except InputError as e:
        print(f"regime_targets.py: {e}", file=sys.stderr)
        return 2
    rows = evaluate(run, ranges)
    sys.stdout.write(render(run, rows, source))
    return status(rows)


if __name__ == "__main__":
    sys.exit(main())
