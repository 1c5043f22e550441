#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that #include lines only point down the layer order of docs/architecture.md.

engine/<layer>/ may include its own layer and layers listed before it; strategies/ may include
engine layers up to `strategy`; tools/ and bench/ may include anything. Exit 1 with one line per
upward include (and per folder cycle, which an upward include always is), 0 when clean.
Usage: tools/dev/check_layers.py [SOURCE_DIR]
"""
import os
import re
import sys

# Bottom to top. A layer may use the layers before it, never the ones after it.
LAYERS = [
    "core",        # dates, errors, numeric types, random streams, JSON text, background worker
    "data",        # CSV readers, the per-run data store, checksums
    "config",      # YAML reading/writing with located errors; extends/sweep/pack composition
    "calendar",    # NYSE trading days, alignment, rate forward-fill
    "scenario",    # paths, rate paths, path generators and their YAML blocks
    "strategy",    # strategy interface, no-look-ahead market view, schedules, algo steps, registry
    "portfolio",   # the day loop: accounting, costs, cash accrual
    "metrics",     # performance metrics
    "results",     # the results vocabulary and the ResultSink interface
    "io",          # HDF5 results writer and sink, atomic output files
    "montecarlo",  # chunked multi-threaded simulation, bands, distribution summaries
    "spec",        # scenario files -> typed specs -> paths, generators and strategies
    "run",         # wires a run: history and forward runs, commands, table/JSON sinks
    "report",      # reading results back: compare, HTML report, CSV export
]
RANK = {name: i for i, name in enumerate(LAYERS)}
STRATEGIES_MAX = RANK["strategy"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """('engine', layer) / ('strategies', None) / (None, None) for a repository path."""
    parts = path.split("/")
    if parts[0] == "engine" and len(parts) >= 3:
        return "engine", parts[1]
    if parts[0] == "strategies":
        return "strategies", None
    return None, None


def check(root):
    """The list of problems in the tree at `root`."""
    problems = []
    for top in ("engine", "strategies"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".hpp", ".cpp", ".h")):
                    continue
                full = os.path.join(d, f)
                src = os.path.relpath(full, root)
                kind, layer = layer_of(src)
                if kind == "engine" and layer not in RANK:
                    problems.append(f"{src}: folder engine/{layer} is not in the layer order")
                    continue
                with open(full, errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        tkind, tlayer = layer_of(target)
                        if target.startswith(("tools/", "bench/", "tests/")):
                            problems.append(f"{src}:{n}: includes {target} (library code may not)")
                        elif kind == "engine" and tkind == "strategies":
                            problems.append(f"{src}:{n}: engine includes {target} (strategies/ sits above)")
                        elif tkind == "engine":
                            if tlayer not in RANK:
                                problems.append(f"{src}:{n}: {target}: unknown layer {tlayer}")
                                continue
                            limit = RANK[layer] if kind == "engine" else STRATEGIES_MAX
                            if RANK[tlayer] > limit:
                                here = f"engine/{layer}" if kind == "engine" else "strategies"
                                problems.append(f"{src}:{n}: {here} includes {target}, "
                                                f"which is above it (engine/{tlayer})")
    return problems


def self_test():
    """The checker finds an upward include, a strategy reaching above its layer and an unknown
    folder, and passes a tree that only points down."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        def write(path, text):
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        write("engine/core/a.hpp", '#pragma once\n')
        write("engine/run/b.hpp", '#include "engine/core/a.hpp"\n')
        write("strategies/s.cpp", '#include "engine/strategy/x.hpp"\n')
        assert check(root) == [], check(root)
        write("engine/core/c.cpp", '#include "engine/run/b.hpp"\n')
        write("strategies/t.cpp", '#include "engine/montecarlo/m.hpp"\n')
        write("engine/extra/d.cpp", '\n')
        found = check(root)
        assert any("engine/core/c.cpp:1" in p and "engine/run" in p for p in found), found
        assert any("strategies/t.cpp:1" in p for p in found), found
        assert any("engine/extra" in p for p in found), found
        assert len(found) == 3, found
    print("self-test ok")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layer order (tools/dev/check_layers.py)")
        return 1
    print(f"layers ok: {len(LAYERS)} engine layers, includes point down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
