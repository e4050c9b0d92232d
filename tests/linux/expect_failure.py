#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run run-linux.py on a broken boot; pass only if it fails for that reason.

Usage: expect_failure.py REGEX RUN_LINUX [ARGS...]
Passes when the harness exits non-zero and one of its "not ok" lines
matches REGEX (so a missing kernel file, say, does not count as the
detected failure)."""

import re
import subprocess
import sys

want, harness, args = re.compile(sys.argv[1]), sys.argv[2], sys.argv[3:]
p = subprocess.run([sys.executable, harness] + args, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT)
out = p.stdout.decode("utf-8", "replace")
hits = [l for l in out.splitlines()
        if l.startswith("not ok") and want.search(l)]
if p.returncode != 0 and hits:
    print("harness failed as it must: " + hits[0])
    sys.exit(0)
print(out[-3000:])
print("the harness did not fail with /%s/ (status %d)" % (want.pattern,
                                                          p.returncode))
sys.exit(1)
