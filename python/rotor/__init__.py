# SPDX-License-Identifier: MIT
"""rotor from Python: run scenarios with the rotor engine and read results as pandas frames.

    import rotor
    res = rotor.run("scenarios/rotation_2000_2025.yaml")
    res.metrics                      # one row per strategy x scenario cell
    res.returns("trend_200d")        # a daily pd.Series for tear-sheet tools

    res = rotor.open("results/pack_2026.h5")   # a file written by `rotor run`

The engine is the one the ``rotor`` command line runs (same library, same results file); see
docs/python.md.
"""

import contextlib as _contextlib
import sys as _sys
import time as _time
import warnings as _warnings

import pandas as _pd

from . import _rotor
from ._errors import RotorWarning, RunError, ScenarioError
from ._results import Results
from ._scenario import source as _source

__all__ = ["run", "open", "validate", "calibrate", "strategies", "Results", "ScenarioError",
           "RunError", "RotorWarning", "__version__"]

__version__ = _rotor.version
git_commit = _rotor.git_commit


def _hdf5():
    """Holds h5py's global lock, when h5py is loaded, while the engine uses HDF5: both use the
    same (serial, not thread-safe) HDF5 library, so h5py calls from other threads wait."""
    h5py = _sys.modules.get("h5py")
    lock = getattr(getattr(h5py, "_objects", None), "phil", None)
    return lock if lock is not None else _contextlib.nullcontext()


def _count(name, value):
    """An optional non-negative whole number given as a keyword (None: the YAML's value)."""
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} must be an int or None, not {type(value).__name__}")
    value = value.__index__()
    if not -(2**63) <= value < 2**63:  # the engine's 64-bit range; the engine checks the rest
        raise ScenarioError(f"{name}={value} is out of range (at most 2**63 - 1)", key=name)
    return value


class _StderrProgress:
    """Progress on sys.stderr (a notebook shows it under the cell) for runs longer than half a
    second: ``<cell>: <done>/<total> <unit>``, rewritten in place."""

    def __init__(self):
        self.start = _time.monotonic()
        self.shown = False

    def __call__(self, cell, unit, done, total):
        if not self.shown and _time.monotonic() - self.start < 0.5:
            return
        self.shown = True
        end = "\n" if done == total else ""
        _sys.stderr.write(f"\r{cell}: {done}/{total} {unit}{end}")
        _sys.stderr.flush()


def run(scenario, *, paths=None, seed=None, threads=None, output=None, progress=True,
        force=False, base_dir=None):
    """Runs a scenario (one scenario, a sweep or a pack: every cell) and returns its Results.

    ``scenario`` is a scenario file path, YAML text (a str with a line break, ``{...}``, or one
    ``key: value`` line that names no file) or a dict of the
    same keys; relative paths in text or a dict resolve against ``base_dir`` (default: the
    working directory). ``paths``, ``seed`` and ``threads`` override every forward scenario's
    ``simulation:`` block, as ``rotor run --paths/--seed/--threads`` do; results are
    bit-identical for any thread count.

    Nothing is written unless ``output`` names an HDF5 file (the file ``rotor run -o`` writes;
    an existing one only with ``force=True``); ``Results.save`` writes it later.

    ``progress``: True shows progress on stderr for runs over half a second; False shows
    nothing; a callable is called as ``progress(cell, unit, done, total)`` with unit
    "strategies" or "paths" (at each cell's start and end, and at most every 0.1 s between).

    The GIL is released while the engine runs, so other Python threads keep going. Ctrl-C
    (KeyboardInterrupt) stops the run between strategies or chunks of paths and leaves no
    partial file behind.

    Raises ScenarioError for bad input (nothing runs), RunError when a strategy failed (its
    ``results`` still hold every strategy, the failed ones marked) or an output cannot be
    written; engine warnings arrive as RotorWarning.
    """
    file, text, described = _source(scenario, base_dir)
    paths, seed, threads = _count("paths", paths), _count("seed", seed), _count("threads", threads)
    if output is not None:
        import os
        output = os.fspath(output)
    if progress is True:
        callback = _StderrProgress()
    elif progress is False or progress is None:
        callback = None
    elif callable(progress):
        callback = progress
    else:
        raise TypeError("progress must be True, False or a callable")
    command_line = (f"rotor.run({described}, paths={paths}, seed={seed}, threads={threads}, "
                    f"output={output!r}) [python {_sys.version.split()[0]}]")
    with _hdf5():
        out = _rotor.run(file, text, paths, seed, threads, output, bool(force), command_line,
                         callback)
    for w in out["warnings"]:
        _warnings.warn(w, RotorWarning, stacklevel=2)
    results = Results(out["results"], out["image"])
    if out["exit_code"] != 0:
        failed = results.metrics.query("status == 'failed'")
        detail = "; ".join(f"{r.scenario}/{r.strategy}: {r.error}" for r in failed.itertuples())
        raise RunError(f"some strategies failed: {detail}", results=results)
    return results


def open(path):  # noqa: A001 - rotor.open mirrors the builtin for results files
    """Reads a results file written by ``rotor run`` or ``rotor.run(output=...)``.

    Raises FileNotFoundError for a missing file and ValueError when the file is not a rotor
    results file or was written in a newer format version than this rotor reads.
    """
    import os
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such results file: '{path}'")
    with _hdf5():
        return Results(_rotor.open(path))


def validate(scenario, *, base_dir=None):
    """Checks a scenario as ``rotor validate`` does (YAML keys, strategy parameters, data, the
    forward model) without running it. Returns one row per cell: file, scenario, mode, assets,
    strategies (counts) and the sweep parameters; raises ScenarioError at the first problem."""
    file, text, _ = _source(scenario, base_dir)
    cells = _rotor.validate(file, text)
    frame = _pd.DataFrame([{k: v for k, v in c.items() if k != "sweep"} for c in cells],
                          columns=["file", "scenario", "mode", "assets", "strategies"])
    labels = list(dict.fromkeys(label for c in cells for _, label, _ in c["sweep"]))
    for label in labels:
        values = []
        for c in cells:
            found = [v for _, lab, v in c["sweep"] if lab == label]
            values.append(found[0] if found else None)
        frame[label] = values
    return frame


def calibrate(scenario, *, base_dir=None):
    """The calibrated factor model of a forward scenario, as ``rotor calibrate`` prints it:
    comment lines, then the resolved ``model:`` block in YAML (``yaml.safe_load`` reads it)."""
    file, text, _ = _source(scenario, base_dir)
    return _rotor.calibrate(file, text)


def strategies():
    """The strategy types a scenario may use: one row per (type, parameter) with type,
    summary, parameter, kind, required, default (the YAML value used when the key is absent;
    None when required or when absence has its own meaning, see rule) and rule."""
    rows = []
    for t in _rotor.strategies():
        for p in t["parameters"]:
            rows.append({"type": t["type"], "summary": t["summary"], **p})
    return _pd.DataFrame(rows, columns=["type", "summary", "parameter", "kind", "required",
                                        "default", "rule"])
