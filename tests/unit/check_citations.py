#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every document a source file cites is in the repository (docs/style.md §5):
`docs/<name>.md` must exist and, when the citation names a section
(`docs/abi.md §3.2`), that document must have a heading with that number.
Bare `abi.md`/`design.md`/`style.md`/`igvm.md` citations (documents outside
the tree) fail. Prints TAP, one line per citing file."""

import pathlib
import re
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True,
                       text=True, check=True).stdout.split()
exts = (".c", ".h", ".S", ".ld", ".py", ".sh", ".build", ".cfg")
files = [f for f in files if f.endswith(exts) and not f.startswith("docs/")
         and f != "tests/unit/check_citations.py"]

cite = re.compile(r"docs/([a-z0-9-]+\.md)((?:,? ?§ ?\d+(?:\.\d+)?"
                  r"(?:[-–]\d+(?:\.\d+)?)?)*)")
bare = re.compile(r"(?<![/\w-])(abi|design|style|igvm|deps|snpemu-notes|"
                  r"snpemu-fidelity|linux-guest|qemu-igvm-rules)\.md\b")
heading = re.compile(r"^#+ (\d+(?:\.\d+)?)[. ]", re.M)

sections = {}
# Documents other work in progress writes (snpemu, IGVM use, Linux boot):
# a citation of one may land before the document does. Once it exists, its
# sections are checked like any other.
announced = {"snpemu.md", "igvm.md", "linux-boot.md"}


def doc_sections(name):
    if name not in sections:
        p = root / "docs" / name
        sections[name] = (set(heading.findall(p.read_text()))
                          if p.exists() else None)
    return sections[name]


results = []
for f in files:
    try:
        text = (root / f).read_text()
    except (UnicodeDecodeError, FileNotFoundError):
        continue
    bad = []
    seen = False
    for m in cite.finditer(text):
        seen = True
        secs = doc_sections(m.group(1))
        if secs is None and m.group(1) in announced:
            continue
        if secs is None:
            bad.append("docs/%s does not exist" % m.group(1))
            continue
        nums = []
        for a, b in re.findall(r"(\d+(?:\.\d+)?)(?:[-–](\d+(?:\.\d+)?))?",
                               m.group(2)):
            nums.append(a)
            # "§11.4–5" is 11.4 to 11.5
            if b:
                nums.append(b if "." in b or "." not in a
                            else a.rsplit(".", 1)[0] + "." + b)
        for n in nums:
            if secs and n not in secs:
                bad.append("docs/%s has no §%s" % (m.group(1), n))
    for m in bare.finditer(text):
        seen = True
        bad.append("%s is not in the repository (cite docs/...)" % m.group(0))
    if seen:
        results.append((f, bad))

print("1..%d" % len(results))
fails = 0
for i, (f, bad) in enumerate(results, 1):
    for b in bad[:5]:
        print("# %s: %s" % (f, b))
    print("%s %d - %s" % ("not ok" if bad else "ok", i, f))
    fails += bool(bad)
sys.exit(1 if fails else 0)
