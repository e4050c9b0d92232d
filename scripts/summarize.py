#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sum a `meson test` run into one line: "N passed, N failed, N skipped".

TAP tests count per subtest (every in-image or unit case is one), and a TAP
test that failed without any "not ok" line (a crash, a timeout, a missing
plan) adds one failure. Other tests count once each. Prints a per-suite
breakdown first; the summary is the last line."""

import collections
import json
import re
import sys

TAP_RE = re.compile(r"^(not ok|ok)\b(.*)$", re.M)
PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}

per_suite = collections.defaultdict(lambda: [0, 0, 0])
with open(sys.argv[1]) as f:
    for line in f:
        t = json.loads(line)
        # "project:suite / name"
        suite = t.get("name", "?").split(" / ")[0].split(":")[-1]
        counts = per_suite[suite]
        result = t.get("result", "ERROR")
        lines = TAP_RE.findall(t.get("stdout") or "")
        if lines:
            bad = 0
            for verdict, rest in lines:
                if "# SKIP" in rest.upper():
                    counts[2] += 1
                elif verdict == "ok":
                    counts[0] += 1
                else:
                    counts[1] += 1
                    bad += 1
            if result not in PASS | SKIP and bad == 0:
                counts[1] += 1
        elif result in PASS:
            counts[0] += 1
        elif result in SKIP:
            counts[2] += 1
        else:
            counts[1] += 1

total = [0, 0, 0]
for suite in sorted(per_suite):
    p, f, s = per_suite[suite]
    print("suite %-8s %4d passed, %d failed, %d skipped" % (suite, p, f, s))
    total = [total[0] + p, total[1] + f, total[2] + s]
print("%d passed, %d failed, %d skipped" % tuple(total))
sys.exit(1 if total[1] else 0)
