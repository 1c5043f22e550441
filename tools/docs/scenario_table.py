#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Headline tables of Monte Carlo scenarios, regenerated from results files for the docs.

For every Monte Carlo scenario in the given files (files in argument order, scenarios and
strategies in the order of the file's /mc_summary, i.e. the order of the run and of the YAML), a
markdown table with one row per strategy:

  mean, p5, median, p95   of terminal wealth - 1 (return over the horizon), percent
  P(loss)                 share of paths with terminal wealth < 1, percent
  P(beat benchmark)       share of paths beating the benchmark's terminal wealth on the same path,
                          percent; `—` for the benchmark itself or without one
  mean in <regime>        mean return over the paths that drew each rate regime (regime_names
                          order), with the regime's share of paths in the header

Percentiles interpolate linearly between order statistics (numpy's default, as rotor's own). All
figures have one decimal; a failed strategy shows `failed`. Each table is wrapped in
`<!-- scenario_table: NAME -->` ... `<!-- /scenario_table: NAME -->` so that a page can embed it
verbatim and be checked (--check) or refreshed (--update) against a new run.

Usage:
  /usr/bin/python3 tools/docs/scenario_table.py RESULTS.h5 [RESULTS.h5 ...] [--scenario NAME ...]
      [--check DOC.md | --update DOC.md] [--self-test]

  --scenario NAME  only these scenarios (repeatable; default every Monte Carlo scenario)
  --check DOC      exit 1 unless DOC embeds every generated table exactly (prints the diff)
  --update DOC     rewrite the tables DOC already embeds; exit 1 if one is not embedded

Example (docs/scenarios.md):
  build/tools/rotor/rotor run scenarios/great_rotation_2026.yaml -o /tmp/gr.h5 --force
  /usr/bin/python3 tools/docs/scenario_table.py /tmp/gr.h5 --check docs/scenarios.md
"""
import argparse
import difflib
import os
import re
import sys
import tempfile

import numpy as np

DASH = "—"


class InputError(Exception):
    pass


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def escape(name):
    """The HDF5 group name of a scenario or strategy name (docs/results-format.md)."""
    if name == ".":
        return "%2E"
    return name.replace("%", "%25").replace("/", "%2F")


def num(x):
    """One decimal; no `-0.0`."""
    if not np.isfinite(x):
        return DASH
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


# ------------------------------------------------------------------------------------ reading
def scenario_order(f):
    """[(scenario, [strategies])] in /mc_summary order, else by name."""
    order = {}
    if "mc_summary" in f:
        rows = f["mc_summary"][()]
        for sc, st in zip(rows["scenario"], rows["strategy"]):
            order.setdefault(text(sc), []).append(text(st))
        return list(order.items())
    for g in sorted(f["scenarios"].values(), key=lambda g: text(g.attrs.get("name", ""))):
        if text(g.attrs.get("mode", "")) == "monte_carlo":
            names = sorted(text(s.attrs.get("name", "")) for s in g["strategies"].values())
            order[text(g.attrs["name"])] = names
    return list(order.items())


def read_scenario(f, name, strategies):
    sc = f["scenarios"][escape(name)]
    dates = [text(d) for d in sc["dates"][[0, -1]]]
    regimes = [text(r) for r in sc["regime_names"][()]] if "regime_names" in sc else []
    of_path = sc["regime_of_path"][()] if "regime_of_path" in sc else None
    wealth, failed = {}, {}
    for s in strategies:
        g = sc["strategies"][escape(s)]
        if text(g.attrs.get("status", "ok")) == "ok":
            wealth[s] = g["paths/terminal_wealth"][()]
        else:
            failed[s] = text(g.attrs.get("error", ""))
    return dict(name=name, strategies=strategies, wealth=wealth, failed=failed,
                benchmark=text(sc.attrs.get("benchmark", "")), paths=int(sc.attrs["paths"]),
                seed=int(sc.attrs["seed"]), span=f"{dates[0]}..{dates[1]}", regimes=regimes,
                regime_of_path=of_path)


def read_files(paths, only=None):
    import h5py
    out = []
    for path in paths:
        if not os.path.exists(path):
            raise InputError(f"{path}: file not found")
        with h5py.File(path, "r") as f:
            if "scenarios" not in f:
                raise InputError(f"{path}: no /scenarios group (not a rotor results file?)")
            for name, strategies in scenario_order(f):
                if only is None or name in only:
                    if name in {s["name"] for s in out}:
                        raise InputError(f"{path}: scenario {name} is also in an earlier file")
                    out.append(read_scenario(f, name, strategies))
    if only is not None:
        missing = [n for n in only if n not in {s["name"] for s in out}]
        if missing:
            raise InputError(f"no Monte Carlo scenario {', '.join(missing)} in the files")
    if not out:
        raise InputError("no Monte Carlo scenario in the files")
    return out


# ------------------------------------------------------------------------------------ table
def row(sc, s):
    if s in sc["failed"]:
        return [s] + ["failed"] * (6 + len(sc["regimes"]))
    w = sc["wealth"][s]
    ok = np.isfinite(w)
    r = w[ok] - 1
    p5, p50, p95 = np.percentile(r, [5, 50, 95])
    cells = [s + (" (benchmark)" if s == sc["benchmark"] else ""),
             num(100 * r.mean()), num(100 * p5), num(100 * p50), num(100 * p95),
             num(100 * np.mean(w[ok] < 1))]
    b = sc["wealth"].get(sc["benchmark"])
    cells.append(DASH if b is None or s == sc["benchmark"] else num(100 * np.mean(w > b)))
    for i, _ in enumerate(sc["regimes"]):
        on = (sc["regime_of_path"] == i) & ok
        cells.append(num(100 * (w[on].mean() - 1)) if on.any() else DASH)
    return cells


def table(sc):
    share = [np.mean(sc["regime_of_path"] == i) for i in range(len(sc["regimes"]))]
    head = ["strategy", "mean", "p5", "median", "p95", "P(loss)", "P(beat benchmark)"] + [
        f"mean in {r} ({num(100 * p)} % of paths)" for r, p in zip(sc["regimes"], share)]
    lines = [f"<!-- scenario_table: {sc['name']} -->",
             f"**{sc['name']}**: {sc['paths']} paths, seed {sc['seed']}, {sc['span']}; returns "
             "over the horizon and probabilities in percent.",
             "",
             "| " + " | ".join(head) + " |",
             "|---|" + "---:|" * (len(head) - 1)]
    for s in sc["strategies"]:
        lines.append("| " + " | ".join(row(sc, s)) + " |")
    lines.append(f"<!-- /scenario_table: {sc['name']} -->")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ docs
def block_re(name):
    n = re.escape(name)
    return re.compile(rf"<!-- scenario_table: {n} -->\n.*?<!-- /scenario_table: {n} -->\n",
                      re.S)


def check_doc(doc_text, blocks):
    """[(name, problem, diff)] for blocks the document lacks or holds differently."""
    out = []
    for name, block in blocks:
        m = block_re(name).search(doc_text)
        if not m:
            out.append((name, "not embedded", ""))
        elif m.group(0) != block:
            diff = "".join(difflib.unified_diff(m.group(0).splitlines(True), block.splitlines(True),
                                                "document", "results"))
            out.append((name, "differs", diff))
    return out


def update_doc(doc_text, blocks):
    missing = []
    for name, block in blocks:
        pat = block_re(name)
        if pat.search(doc_text):
            doc_text = pat.sub(lambda _: block, doc_text, count=1)
        else:
            missing.append(name)
    return doc_text, missing


# ------------------------------------------------------------------------------------ self-test
def write_toy(path):
    import h5py
    with h5py.File(path, "w") as f:
        dt = np.dtype([("scenario", "S3"), ("strategy", "S5")])
        f["mc_summary"] = np.array([(b"toy", b"bench"), (b"toy", b"alt"), (b"toy", b"bad")], dt)
        sc = f.create_group("scenarios/toy")
        sc.attrs.update(name="toy", mode="monte_carlo", benchmark="bench", paths=4, seed=7)
        sc["dates"] = np.array(["2026-01-02", "2026-12-31"], dtype="S10")
        sc["regime_names"] = np.array(["a", "b"], dtype=h5py.string_dtype())
        sc["regime_of_path"] = np.array([0, 0, 1, 1], dtype=np.int32)
        for name, w in (("bench", [0.9, 1.1, 1.2, 1.0]), ("alt", [1.0, 1.3, 0.8, 1.5])):
            g = sc.create_group(f"strategies/{name}")
            g.attrs.update(name=name, status="ok")
            g["paths/terminal_wealth"] = np.array(w)
        g = sc.create_group("strategies/bad")
        g.attrs.update(name="bad", status="failed", error="path 0: boom")


EXPECTED = """<!-- scenario_table: toy -->
**toy**: 4 paths, seed 7, 2026-01-02..2026-12-31; returns over the horizon and probabilities in percent.

| strategy | mean | p5 | median | p95 | P(loss) | P(beat benchmark) | mean in a (50.0 % of paths) | mean in b (50.0 % of paths) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| bench (benchmark) | 5.0 | -8.5 | 5.0 | 18.5 | 25.0 | — | 0.0 | 10.0 |
| alt | 15.0 | -17.0 | 15.0 | 47.0 | 25.0 | 75.0 | 15.0 | 15.0 |
| bad | failed | failed | failed | failed | failed | failed | failed | failed |
<!-- /scenario_table: toy -->
"""


def self_test():
    ok = True

    def check(name, good, detail=""):
        nonlocal ok
        ok &= bool(good)
        print(f"{'ok  ' if good else 'FAIL'} {name}{detail}")

    # bench 0.9 1.1 1.2 1.0: mean 1.05; sorted 0.9 1.0 1.1 1.2, p5 at h = 0.15 -> 0.915, p95 at
    # h = 2.85 -> 1.185; one loss (1.0 is none). alt 1.0 1.3 0.8 1.5: mean 1.15, p5 0.83, p95 1.47,
    # beats bench on paths 0, 1, 3; regime a = paths 0, 1, b = paths 2, 3.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "toy.h5")
        write_toy(path)
        got = table(read_files([path])[0])
        check("table of the toy file", got == EXPECTED,
              "" if got == EXPECTED else "\n" + "".join(difflib.unified_diff(
                  EXPECTED.splitlines(True), got.splitlines(True), "expected", "got")))
    check("no negative zero", num(-0.04) == "0.0" and num(-0.06) == "-0.1")
    doc = "# Page\n\ntext\n\n" + EXPECTED.replace("| 5.0 |", "| 5.1 |", 1) + "\nmore\n"
    probs = check_doc(doc, [("toy", EXPECTED)])
    check("--check finds a changed figure", len(probs) == 1 and probs[0][1] == "differs")
    new, missing = update_doc(doc, [("toy", EXPECTED)])
    check("--update rewrites it in place", not missing and new == "# Page\n\ntext\n\n" + EXPECTED
          + "\nmore\n")
    check("--check passes afterwards", check_doc(new, [("toy", EXPECTED)]) == [])
    check("--check reports a table not embedded",
          check_doc("# Page\n", [("toy", EXPECTED)])[0][1] == "not embedded")
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="*")
    ap.add_argument("--scenario", action="append")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", metavar="DOC")
    mode.add_argument("--update", metavar="DOC")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if not a.results:
        ap.error("at least one results file is needed")
    try:
        blocks = [(sc["name"], table(sc)) for sc in read_files(a.results, a.scenario)]
        doc = a.check or a.update
        if doc and not os.path.exists(doc):
            raise InputError(f"{doc}: file not found")
    except InputError as e:
        print(f"scenario_table.py: {e}", file=sys.stderr)
        return 2
    if a.check:
        with open(a.check) as fh:
            probs = check_doc(fh.read(), blocks)
        for name, what, diff in probs:
            print(f"{a.check}: table {name} {what}")
            sys.stdout.write(diff)
        if not probs:
            print(f"{a.check}: every table ({', '.join(n for n, _ in blocks)}) reproduces")
        return 1 if probs else 0
    if a.update:
        with open(a.update) as fh:
            new, missing = update_doc(fh.read(), blocks)
        with open(a.update, "w") as fh:
            fh.write(new)
        for name in missing:
            print(f"{a.update}: table {name} is not embedded (paste this script's output where it "
                  "belongs, then --update refreshes it)")
        return 1 if missing else 0
    sys.stdout.write("\n".join(b for _, b in blocks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
