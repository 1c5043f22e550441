#!/usr/bin/env python3
"""Prints the headers whose compile-alone check can have changed since a commit.

Usage: headers_since.py ROOT REV HEADER...   (HEADER paths relative to ROOT)
       headers_since.py --self-test            (checks the rules on a scratch repository)

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
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
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


def self_test():
    """Each rule on a scratch repository: a.hpp includes b.hpp, which includes c.hpp; d.hpp
    stands alone. Returns 0 when every case prints the headers the rules name."""
    failures = []
    with tempfile.TemporaryDirectory() as root:
        r = Path(root)

        def write(name, text):
            (r / name).parent.mkdir(parents=True, exist_ok=True)
            (r / name).write_text(text)

        def commit():
            git(root, "add", "-A")
            git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x")
            return git(root, "rev-parse", "HEAD")[0]

        def expect(case, rev, want, code=0):
            out = StringIO()
            with redirect_stdout(out), redirect_stderr(StringIO()):
                got_code = main(["headers_since", root, rev, "a.hpp", "b.hpp", "c.hpp", "d.hpp"])
            got = {h for h in out.getvalue().split("\n") if h}
            if got_code != code or (code == 0 and got != set(want)):
                failures.append(f"{case}: printed {sorted(got)} (exit {got_code}), "
                                f"expected {sorted(want)} (exit {code})")

        git(root, "init", "-q")
        write("a.hpp", '#include "b.hpp"\n')
        write("b.hpp", '#include "c.hpp"\n#include <vector>\n')
        write("c.hpp", "int c();\n")
        write("d.hpp", "int d();\n")
        write("engine/CMakeLists.txt", "add_library(e\n  x.cpp)\n")
        write("CMakeLists.txt", "project(p)\n")
        base = commit()
        expect("nothing changed", base, [])
        write("c.hpp", "int c(int);\n")  # modified in the working tree
        expect("a header deep in the closure", base, ["a.hpp", "b.hpp", "c.hpp"])
        after_c = commit()
        expect("committed since the revision", base, ["a.hpp", "b.hpp", "c.hpp"])
        expect("nothing since the later revision", after_c, [])
        write("e.hpp", "int e();\n")  # untracked, and now included
        write("d.hpp", '#include "e.hpp"\n')
        expect("an untracked include", after_c, ["d.hpp"])
        after_d = commit()
        write("engine/CMakeLists.txt", "add_library(e\n  x.cpp\n  y.cpp)\n")
        expect("a source list line only", after_d, [])
        write("engine/CMakeLists.txt", "add_library(e\n  x.cpp\n  y.cpp)\nadd_compile_options(-O3)\n")
        expect("a flag in a library's build file", after_d, ["a.hpp", "b.hpp", "c.hpp", "d.hpp"])
        git(root, "checkout", "-q", "--", "engine/CMakeLists.txt")
        write("cmake/flags.cmake", "set(X 1)\n")
        expect("anything under cmake/", after_d, ["a.hpp", "b.hpp", "c.hpp", "d.hpp"])
        expect("an unknown revision", "0" * 40, [], code=2)
    for f in failures:
        print(f"headers_since self-test: {f}", file=sys.stderr)
    if not failures:
        print("headers_since self-test: 9 cases ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(self_test() if sys.argv[1:] == ["--self-test"] else main(sys.argv))
