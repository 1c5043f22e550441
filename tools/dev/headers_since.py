#!/usr/bin/env python3
"""Prints the headers whose compile-alone check can have changed since a commit.

Usage: headers_since.py ROOT REV HEADER...   (HEADER paths relative to ROOT)

A header compiles alone or not depending only on itself, the project headers it includes
(transitively), the system headers and the compiler flags. So after a commit REV whose full
check passed, only headers with a changed file in that closure need checking again, unless the
build files that set their flags changed, in which case every header is printed (a change there
that only adds or removes source files of a library does not count: it sets no flag). Changed
means committed since REV, modified in the working tree, or untracked. Exit 2 if REV is not a
commit here.
"""
import re
import subprocess
import sys
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A line of a library's source list, e.g. `  stack/steps.cpp` or `  stack/steps.cpp)`.
SOURCE_LINE = re.compile(r'^\s*[\w./-]+\.cpp\)?\s*$')


def git(root, *args):
    return subprocess.run(["git", "-C", root, *args], check=True, capture_output=True,
                          text=True).stdout.split("\n")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, rev, headers = argv[1], argv[2], argv[3:]
    try:
        git(root, "rev-parse", "-q", "--verify", rev + "^{commit}")
        changed = set(git(root, "diff", "--name-only", rev, "--"))
        changed |= set(git(root, "ls-files", "--others", "--exclude-standard"))
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"headers_since: {rev}: {e}", file=sys.stderr)
        return 2
    changed.discard("")
    def sets_flags(f):  # a changed build file whose change can reach a compiler flag
        if f.startswith("cmake/"):
            return True
        if f not in {"CMakeLists.txt", "engine/CMakeLists.txt", "strategies/CMakeLists.txt"}:
            return False
        diff = git(root, "diff", "-U0", rev, "--", f)
        edits = [line[1:] for line in diff
                 if line[:1] in ("+", "-") and line[:3] not in ("+++", "---")]
        # An untracked build file, or one whose diff cannot be read, counts as changed.
        return not edits or not all(SOURCE_LINE.match(e) for e in edits)

    if any(sets_flags(f) for f in changed):
        print("\n".join(headers))
        return 0

    closure = {}

    def reach(path):  # the project files `path` includes, itself included
        if path in closure:
            return closure[path]
        closure[path] = {path}  # a cycle stops here (#pragma once makes it harmless)
        try:
            text = (Path(root) / path).read_text(errors="replace")
        except OSError:
            return closure[path]
        found = {path}
        for inc in INCLUDE.findall(text):
            if (Path(root) / inc).is_file():
                found |= reach(inc)
        closure[path] = found
        return found

    print("\n".join(h for h in headers if reach(h) & changed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
