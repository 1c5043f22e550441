# SPDX-License-Identifier: MIT
"""The exceptions of the rotor package, mirroring the command line's exit codes."""


class ScenarioError(ValueError):
    """Bad input (exit code 2 of the command line): a YAML syntax or schema error, a bad data
    file, an unknown strategy, a bad override, an existing output without ``force=True``.

    Nothing was computed. ``file``, ``line`` and ``column`` (1-based) locate the problem when it
    has a place, and ``key`` is the YAML key path (e.g. ``"strategies[2].lookback"``); each is
    ``None`` when it does not apply. ``str(error)`` is the command line's message,
    ``file:line:column: key: what was expected, what was found``.
    """

    def __init__(self, message, file=None, line=None, column=None, key=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key


class RunError(RuntimeError):
    """A runtime failure (exit code 1 of the command line): a strategy failed during the run,
    or an output could not be written.

    When strategies failed, the run still finished: ``results`` holds every result (the failed
    strategies with ``status == "failed"`` and their ``error``); otherwise it is ``None``.
    """

    def __init__(self, message, results=None):
        super().__init__(message)
        self.message = message
        self.results = results


class RotorWarning(UserWarning):
    """A warning from the engine, e.g. a forward model whose implied Sharpe ratio is above 1
    (the command line prints these as ``rotor: warning: ...``)."""
