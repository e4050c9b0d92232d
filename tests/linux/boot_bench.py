#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux guest boot to /init under the given QEMU command, median of 5 runs.

Usage: boot_bench.py RUN_LINUX -- QEMU COMMAND...
Prints the wall time from QEMU start to the /init marker, the guest's own
uptime at that point, and the whole run (to power-off); it never judges
them (the snpemu-versus-TCG ratio is read from these figures)."""

import statistics
import subprocess
import sys

harness, rest = sys.argv[1], sys.argv[2:]
runs = []
for i in range(5):
    p = subprocess.run([sys.executable, harness, "--figures-only"] + rest,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode()
    if p.returncode != 0:
        print("run %d failed: %s" % (i, out[-2000:]))
        sys.exit(1)
    runs.append([float(x) for x in out.split()])


def line(name, col):
    v = [r[col] for r in runs]
    print("%s: median %.2f s (min %.2f, max %.2f, n=%d)" %
          (name, statistics.median(v), min(v), max(v), len(v)))


line("linux boot to /init, wall from QEMU start", 0)
line("linux boot to /init, guest uptime", 1)
line("linux boot to power-off, wall", 2)
