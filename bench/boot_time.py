#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time from QEMU start to snpemu's isa-debug-exit, median of 5 runs.

A baseline for everything snpemu will later do: the fixed cost of starting
QEMU TCG, SeaBIOS, the PVH load and snpemu's own boot and in-image tests."""

import statistics
import subprocess
import sys
import time

run_image, qemu, snpemu = sys.argv[1:4]
times = []
for i in range(5):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    times.append(time.monotonic() - t0)
    if p.returncode != 0:
        print("run %d failed:\n%s" % (i, p.stdout.decode()[-2000:]))
        sys.exit(1)
print("snpemu boot + in-image tests: median %.3f s (min %.3f, max %.3f, "
      "n=%d)" % (statistics.median(times), min(times), max(times),
                 len(times)))
