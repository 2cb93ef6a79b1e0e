#!/usr/bin/python3
"""The layering of the C and C++ sources, checked from their #include lines.

Every quoted include names a file by its path from the repository root
("base/dates.hpp", "plugin/portfolio.hpp"); only the public header is named
alone ("crmtier.h", from abi/, as a host names it). And folders include
downwards only. The layers, top-down:

    host/      the reference host: knows only the public header
    abi/       crmtier.h, and its implementation: the C functions, the engine handle
    adapters/  host record shapes <-> canonical records   } side by side,
    report/    the sales plan page, from the core's results } neither includes the other
    plugin/    the scoring core
    base/      errors, UTF-8, dates, numbers, quoting, JSON writer, lines, limits

and beside them fuzz/ -> tests/ -> (everything below), bench/ -> (everything
below). A folder may include from itself and from the folders its row lists.

    check_layers.py [ROOT]      check the tree at ROOT (default: this checkout)
    check_layers.py --self-test check that the checker fails on a bad tree

Exit status 0 when the layering holds, 1 with one line per offending include.
"""
import os
import re
import sys
import tempfile

LIBRARY = ["base", "plugin", "adapters", "report", "abi"]
# folder -> the folders it may include from (besides itself)
ALLOWED = {
    "base": [],
    "plugin": ["base"],
    "adapters": ["base", "plugin"],
    "report": ["base", "plugin"],
    "abi": ["base", "plugin", "adapters", "report"],
    "host": [],  # the public header only, see PUBLIC_HEADER
    "bench": LIBRARY,
    "tests": LIBRARY,
    "fuzz": LIBRARY + ["tests"],
}
PUBLIC_HEADER = "crmtier.h"  # abi/crmtier.h, on the include path by its name
SOURCES = (".c", ".h", ".cpp", ".hpp")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def check(root):
    """One message per include that breaks the rules."""
    problems = []
    for folder in sorted(ALLOWED):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "build")))
            for name in sorted(filenames):
                if not name.endswith(SOURCES):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problem = judge(root, folder, match.group(1))
                    if problem:
                        problems.append(f"{rel}:{line}: #include \"{match.group(1)}\": {problem}")
    return problems


def judge(root, folder, target):
    if target == PUBLIC_HEADER:
        return None  # every folder may use the public interface
    if folder == "host":
        return "the reference host knows only the public header (crmtier.h)"
    parts = target.split("/")
    if len(parts) < 2 or ".." in parts or target.startswith(("/", "./")):
        return "name the file by its path from the repository root (e.g. \"base/dates.hpp\")"
    if not os.path.isfile(os.path.join(root, target)):
        return "no such file from the repository root"
    to = parts[0]
    if to == folder or to in ALLOWED[folder]:
        return None
    if to not in ALLOWED:
        return f"{to}/ is not a source folder"
    return f"{folder}/ may not include from {to}/ (allowed: {', '.join([folder] + ALLOWED[folder])})"


def self_test():
    """The checker fails on each kind of bad include, and passes a good tree."""
    cases = {
        "upward": ("plugin/a.cpp", '#include "adapters/b.hpp"\n', "adapters/b.hpp"),
        "base up": ("base/a.cpp", '#include "plugin/b.hpp"\n', "plugin/b.hpp"),
        "cycle half": ("adapters/a.cpp", '#include "abi/b.hpp"\n', "abi/b.hpp"),
        "flat": ("plugin/a.cpp", '#include "b.hpp"\n', "plugin/b.hpp"),
        "relative": ("tests/a.cpp", '#include "../plugin/b.hpp"\n', "plugin/b.hpp"),
        "host internals": ("host/a.cpp", '#include "plugin/b.hpp"\n', "plugin/b.hpp"),
        "tests into fuzz": ("tests/a.cpp", '#include "fuzz/b.hpp"\n', "fuzz/b.hpp"),
        "missing": ("abi/a.cpp", '#include "plugin/nope.hpp"\n', "plugin/b.hpp"),
    }
    failures = 0
    for name, (source, text, other) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            for rel, body in ((other, "// x\n"), (source, text)):
                os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(body)
            if not check(root):
                print(f"self-test: the bad include of case {name!r} was not reported")
                failures += 1
    with tempfile.TemporaryDirectory() as root:
        good = {"base/x.hpp": "", "plugin/y.hpp": '#include "base/x.hpp"\n',
                "adapters/z.cpp": '#include "plugin/y.hpp"\n#include "crmtier.h"\n',
                "abi/crmtier.h": "", "abi/w.cpp": '#include "adapters/z.cpp"\n#include "abi/crmtier.h"\n',
                "host/main.cpp": '#include "crmtier.h"\n', "fuzz/f.cpp": '#include "tests/t.hpp"\n',
                "tests/t.hpp": '#include "abi/w.cpp"\n'}
        for rel, body in good.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(body)
        if check(root):
            print("self-test: a good tree was refused:", *check(root), sep="\n  ")
            failures += 1
    print(f"self-test: {len(cases)} bad trees refused, a good one passed" if not failures else "self-test FAILED")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    root = os.path.abspath(root)
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the layering (see tests/layout/check_layers.py)")
        return 1
    print("layering holds: base <- plugin <- adapters <- abi <- host; tests, fuzz, bench above")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
