# SPDX-License-Identifier: MIT
"""What ``rotor.run``/``validate``/``calibrate`` accept as a scenario: a file path, YAML text or
a dict; turned into the (file, text) pair the engine reads."""

import datetime
import json
import math
import numbers
import os
import re

from ._errors import ScenarioError

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# "name: x": one line of YAML, told from a file name by the key, colon and space.
_ONE_LINE_MAPPING = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*:(\s|$)")


def source(scenario, base_dir=None):
    """(file, text, description): ``text`` is None for a file on disk.

    A path (str or os.PathLike) names a scenario file; a str holding a line break, a flow
    mapping ``{...}``, or one line ``key: value`` that names no file, is YAML text; a dict is written out as YAML. Relative paths inside text
    or a dict (data files, ``extends``, pack entries) resolve against ``base_dir`` (default: the
    working directory), exactly as they would in a file there.
    """
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), None, repr(os.fspath(scenario))
    if isinstance(scenario, dict):
        return _pseudo_file("<dict>", base_dir), to_yaml(scenario), "<dict>"
    if isinstance(scenario, str):
        if ("\n" in scenario or scenario.lstrip().startswith("{")
                or (_ONE_LINE_MAPPING.match(scenario) and not os.path.exists(scenario))):
            return _pseudo_file("<yaml>", base_dir), scenario, "<yaml text>"
        if base_dir is not None:
            raise TypeError("base_dir applies to YAML text or a dict, not to a scenario file")
        return scenario, None, repr(scenario)
    raise TypeError(
        "scenario must be a file path, YAML text or a dict, not " + type(scenario).__name__)


def _pseudo_file(name, base_dir):
    if base_dir is None:
        return name
    return os.path.join(os.fspath(base_dir), name)


def to_yaml(mapping):
    """A scenario dict as block YAML. Values may be dicts (str keys), lists/tuples, str, bool,
    int, float (NaN and infinities included), None and dates; numpy scalars count as numbers.
    Anything else is a ScenarioError naming its key path."""
    lines = []
    _emit_map(mapping, 0, lines, "")
    return "\n".join(lines) + "\n"


def _child(path, key):
    return f"{path}.{key}" if path else key


def _emit_map(mapping, indent, lines, path, first_prefix=None):
    if not mapping:
        return False
    pad = " " * indent
    for i, (key, value) in enumerate(mapping.items()):
        if not isinstance(key, str):
            raise ScenarioError(
                f"scenario dict: key {key!r} under '{path or 'the top level'}' is "
                f"{type(key).__name__}, expected str", key=path or None)
        where = _child(path, key)
        k = key if _PLAIN_KEY.match(key) else json.dumps(key)
        lead = first_prefix if (i == 0 and first_prefix is not None) else pad
        _emit_value(f"{lead}{k}:", value, indent, lines, where)
    return True


def _emit_value(head, value, indent, lines, where):
    if isinstance(value, dict):
        if not value:
            lines.append(head + " {}")
            return
        lines.append(head)
        _emit_map(value, indent + 2, lines, where)
    elif isinstance(value, (list, tuple)):
        if not value:
            lines.append(head + " []")
            return
        lines.append(head)
        _emit_list(value, indent + 2, lines, where)
    else:
        lines.append(f"{head} {_scalar(value, where)}")


def _emit_list(items, indent, lines, path):
    pad = " " * indent
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if isinstance(item, dict) and item:
            _emit_map(item, indent + 2, lines, where, first_prefix=pad + "- ")
        elif isinstance(item, (list, tuple)) and item:
            lines.append(pad + "-")
            _emit_list(item, indent + 2, lines, where)
        elif isinstance(item, dict):
            lines.append(pad + "- {}")
        elif isinstance(item, (list, tuple)):
            lines.append(pad + "- []")
        else:
            lines.append(f"{pad}- {_scalar(item, where)}")


def _scalar(value, where):
    if value is None:
        return "null"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        return repr(v)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar
    if isinstance(value, datetime.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0):
            raise ScenarioError(
                f"scenario dict: {where}: {value!r} has a time of day; scenarios take dates",
                key=where)
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise ScenarioError(
        f"scenario dict: {where}: {type(value).__name__} value {value!r} is not a YAML scalar "
        "(use str, int, float, bool, None, a date, a list or a dict)", key=where)
