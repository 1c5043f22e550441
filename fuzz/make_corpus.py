#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds the fuzz targets' seed corpus in fuzz/corpus/<target>/ from the bundled files.

scenario: every scenario under scenarios/ and tests/fixtures/, and every scenario of the
  invalid-input corpus (tests/fixtures/invalid_input_test/cases.txt); a file that extends another
  gets it appended after a "#%parent" line (fuzz/fuzz_targets.hpp) and extends "parent.yaml".
csv: every CSV file of the test fixtures and of the invalid-input corpus, and the first 60 lines
  of each bundled data file.
results: results files that ROTOR (the built rotor binary) writes for small scenarios of the
  invalid-input corpus: a historical one, a forward one and a sweep of two cells, and two whose
  groups have more than 8 links (libhdf5's dense storage: a fractal heap and a name index): the
  historical one with ten strategies, and a sweep of nine cells of one strategy; and a small
  backtest-model file of the bundled regime model (two starts, 20 paths, no stored outcomes).
part: shards that ROTOR writes with `run --path-range` for the forward scenario of the
  invalid-input corpus (fwd.yaml, 50 paths), the one the part target decodes against: one shard
  of all paths, and the shares of two shards (paths 0:20 and 20:50) as raw bytes, each its head
  and pieces joined by the target's piece separator, the two by its share separator (read from
  the shards with h5py).
Usage: fuzz/make_corpus.py [ROTOR]   (without ROTOR, the results and part seeds are left as
they are)
Names are content hashes, so a rerun adds no text seed twice; the results and part seeds are
replaced.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_LEN = 8192  # the fuzzers' -max_len for text inputs (fuzz/CMakeLists.txt)
EXTENDS = re.compile(r"^extends:\s*(\S+)\s*$", re.M)


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_LEN and target not in ("results", "part"):
        return
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def with_parent(text, find):
    """`text` with its `extends` parent appended after '#%parent', when `find` has it."""
    m = EXTENDS.search(text)
    if not m:
        return text
    parent = find(m.group(1))
    if parent is None:
        return text
    return text[: m.start()] + "extends: parent.yaml" + text[m.end():] + "\n#%parent\n" + parent


def cases():
    """(name, {file: text}) for each case of the invalid-input corpus."""
    path = os.path.join(ROOT, "tests", "fixtures", "invalid_input_test", "cases.txt")
    out, files, cur = [], None, None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("=== "):
            files, cur = {}, None
            out.append((line[4:], files))
        elif files is not None and line.startswith(">>> "):
            cur = line[4:]
            files[cur] = ""
        elif cur is not None:
            files[cur] += line + "\n"
    return out


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def main():
    common = os.path.join(ROOT, "tests", "fixtures", "invalid_input_test", "common")
    for top in ("scenarios", os.path.join("tests", "fixtures")):
        for d, _, names in os.walk(os.path.join(ROOT, top)):
            for n in sorted(names):
                full = os.path.join(d, n)
                if n.endswith(".yaml"):
                    def find(rel, d=d):
                        p = os.path.join(d, rel)
                        return read(p) if os.path.isfile(p) else None
                    put("scenario", with_parent(read(full), find))
                elif n.endswith(".csv"):
                    put("csv", open(full, "rb").read())
    for _, files in cases():
        def find(rel, files=files):
            if rel in files:
                return files[rel]
            p = os.path.join(common, rel)
            return read(p) if os.path.isfile(p) else None
        for n, text in files.items():
            put("scenario" if n.endswith(".yaml") else "csv", with_parent(text, find)
                if n.endswith(".yaml") else text)
    for d, _, names in os.walk(os.path.join(ROOT, "data")):
        for n in sorted(names):
            if n.endswith(".csv"):
                with open(os.path.join(d, n), "rb") as f:
                    put("csv", b"".join(f.readline() for _ in range(60)))
    if len(sys.argv) > 1:
        rotor = os.path.abspath(sys.argv[1])
        # Results files hold the time they were written: replace the seeds rather than add.
        for target in ("results", "part"):
            old = os.path.join(CORPUS, target)
            for n in os.listdir(old) if os.path.isdir(old) else []:
                os.remove(os.path.join(old, n))
        with tempfile.TemporaryDirectory() as tmp:
            for n in os.listdir(common):
                with open(os.path.join(common, n), "rb") as src, open(os.path.join(tmp, n), "wb") as dst:
                    dst.write(src.read())
            with open(os.path.join(tmp, "sweep.yaml"), "w") as f:
                f.write("extends: ok.yaml\nsweep:\n  costs.commission_bps: [1, 5]\n")
            ok = read(os.path.join(common, "ok.yaml"))
            with open(os.path.join(tmp, "dense.yaml"), "w") as f:
                f.write(ok.replace("name: tiny", "name: tiny10") + "".join(
                    "  - name: mix_%d\n    type: fixed_mix\n    weights: {AAA: 0.%d, BBB: 0.%d}\n"
                    "    rebalance: weekly\n" % (i, i, 10 - i) for i in range(1, 8)))
            with open(os.path.join(tmp, "one.yaml"), "w") as f:
                f.write(ok[:ok.index("  - name: mix")].replace("name: tiny", "name: one"))
            with open(os.path.join(tmp, "sweep9.yaml"), "w") as f:
                f.write("extends: one.yaml\nsweep:\n  costs.commission_bps: [%s]\n"
                        % ", ".join(str(i) for i in range(1, 10)))
            for yaml in ("ok.yaml", "fwd.yaml", "sweep.yaml", "dense.yaml", "sweep9.yaml"):
                out = os.path.join(tmp, yaml + ".h5")
                subprocess.run([rotor, "run", yaml, "-o", out, "--quiet"], cwd=tmp, check=True)
                put("results", open(out, "rb").read())
            spec = os.path.join(tmp, "backtest.yaml")
            with open(spec, "w") as f:
                f.write("name: seed\nscenario: '%s'\nstarts: [2009-01-30, 2009-04-30]\n"
                        "horizon_months: 3\npaths: 20\nseed: 1\n"
                        "conditioning: [unconditional, realised_regime]\nassets: [SPY, IWM]\n"
                        "spreads: [{name: IWM-SPY, long: IWM, short: SPY}]\n"
                        "store_outcomes: false\n"
                        % os.path.join(ROOT, "scenarios", "great_rotation_2026.yaml"))
            out = os.path.join(tmp, "backtest.h5")
            subprocess.run([rotor, "backtest-model", spec, "-o", out, "--quiet"], cwd=tmp,
                           check=True)
            put("results", open(out, "rb").read())
            shares = []
            for begin, end in ((0, 50), (0, 20), (20, 50)):
                out = os.path.join(tmp, "shard-%d-%d.h5" % (begin, end))
                subprocess.run([rotor, "run", "fwd.yaml", "--path-range", "%d:%d" % (begin, end),
                                "-o", out, "--quiet"], cwd=tmp, check=True)
                if (begin, end) == (0, 50):
                    put("part", open(out, "rb").read())
                else:
                    shares.append(read_share(out))
            put("part", SHARE_SEPARATOR.join(shares))


SHARE_SEPARATOR = b"#%rotor-share%#"  # rotor::fuzz::kShareSeparator (fuzz/fuzz_targets.hpp)
PIECE_SEPARATOR = b"#%rotor-piece%#"  # rotor::fuzz::kPieceSeparator


def read_share(path):
    """The stored share of the shard's first cell: its head, then its pieces."""
    import h5py  # only here: the text seeds need no HDF5
    with h5py.File(path, "r") as f:
        cell = f["cells/0000"]
        pieces = [bytes(cell["paths/%06d" % k][()]) for k in range(int(cell.attrs["pieces"]))]
        return PIECE_SEPARATOR.join([bytes(cell["share"][()])] + pieces)


if __name__ == "__main__":
    main()
