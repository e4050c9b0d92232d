#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shipped svsm.elf carries no test code: no in-image test runner
(lib/test.c: test_run, test_fail), no registered cases (TEST() descriptors
and functions), no image_tests section. A sanity case checks that nm sees
the SVSM's own symbols, so an empty listing cannot pass. Prints TAP.

usage: check_svsm_symbols.py NM SVSM_ELF
"""
import re
import subprocess
import sys

nm, elf = sys.argv[1:3]
out = subprocess.run([nm, elf], capture_output=True, text=True,
                     check=True).stdout
names = {l.split()[-1] for l in out.splitlines() if l.strip()}
sections = subprocess.run(["objdump", "-h", elf], capture_output=True,
                          text=True, check=True).stdout
test_syms = sorted(n for n in names
                   if n in ("test_run", "test_fail", "test_selected")
                   or re.match(r"test_(desc|fn)_", n)
                   or "image_tests" in n)
checks = [
    ("nm lists the SVSM (svsm_main, request_loop)",
     {"svsm_main", "request_loop"} <= names, ""),
    ("no test runner or test case in svsm.elf", not test_syms,
     " ".join(test_syms[:10])),
    ("no image_tests section", "image_tests" not in sections, ""),
]
print("1..%d" % len(checks))
for i, (name, ok, why) in enumerate(checks, 1):
    if not ok and why:
        print("# found: " + why)
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
