#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""clang-format gate: every C source and header in the tree must already be
formatted with the repository's .clang-format. Prints TAP, one line per file."""

import pathlib
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
clang_format = sys.argv[2]
skip = {"build", ".git"}
files = sorted(p for p in root.rglob("*.[ch]")
               if not any(part in skip or part.startswith("build")
                          for part in p.relative_to(root).parts))
print("1..%d" % len(files))
bad = 0
for i, f in enumerate(files, 1):
    r = subprocess.run([clang_format, "--dry-run", "--Werror",
                        "--style=file", str(f)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, cwd=root)
    rel = f.relative_to(root)
    if r.returncode != 0:
        bad += 1
        for line in r.stdout.splitlines()[:6]:
            print("# " + line)
        print("not ok %d - %s (run: clang-format -i %s)" % (i, rel, rel))
    else:
        print("ok %d - %s" % (i, rel))
sys.exit(1 if bad else 0)
