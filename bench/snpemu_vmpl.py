#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu world-switch costs, measured from the outside.

Runs the snpemu test payload in its benchmark modes with two iteration
counts and divides the wall-time difference by the count difference, so
QEMU start-up, firmware and snpemu boot cancel out (median of 5 pairs):

  bare switch   GHCB NAE HV_FEATURES from VMPL0: one L2 -> L1 -> L2 exit
  round trip    VMPL0 RUN_VMPL(2) -> VMPL2 RUN_VMPL(0) -> VMPL0, i.e. the
                path of one SVSM call (GHCB NAE form, GHCB MSR untouched)

The cost is taken from the CPU time (user + sys) of QEMU, which stays
meaningful on a loaded machine; the wall-clock figure is printed beside it.
snpemu's own exit counter gives the exits per round trip (target: 2).
Prints figures; judges nothing (targets are in the report text).
"""

import re
import resource
import statistics
import subprocess
import sys
import time

run_image, qemu, snpemu, payload = sys.argv[1:5]
LO, HI = 2000, 42000
STATS = re.compile(r"after (\d+) exits, (\d+) VMPL switches")


def run(mode, count):
    arg = mode | (count << 4)
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu, "--timeout",
           "300", "--append", "run=payload arg=%d" % arg,
           "--qemu-arg=-initrd " + payload]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    m = STATS.search(p.stdout)
    if p.returncode != 0 or m is None:
        print("benchmark run failed (mode %d, count %d):\n%s" %
              (mode, count, p.stdout[-2000:]))
        sys.exit(1)
    return cpu, wall, int(m.group(1)), int(m.group(2))


def per_iteration(mode):
    cpu, wall, exits, switches = [], [], [], []
    for _ in range(5):
        c_lo, w_lo, e_lo, s_lo = run(mode, LO)
        c_hi, w_hi, e_hi, s_hi = run(mode, HI)
        cpu.append((c_hi - c_lo) / (HI - LO) * 1e6)
        wall.append((w_hi - w_lo) / (HI - LO) * 1e6)
        exits.append((e_hi - e_lo) / (HI - LO))
        switches.append((s_hi - s_lo) / (HI - LO))
    return [statistics.median(x) for x in (cpu, wall, exits, switches)]


bare_cpu, bare_wall, bare_exits, _ = per_iteration(3)
rt_cpu, rt_wall, rt_exits, rt_switches = per_iteration(2)
print("load average: %.1f %.1f %.1f" % tuple(__import__("os").getloadavg()))
print("bare world switch (L2->L1->L2, GHCB HV_FEATURES): %.1f us CPU "
      "(%.1f us wall), %.2f exits each; %.0f world switches per CPU second" %
      (bare_cpu, bare_wall, bare_exits, 1e6 / bare_cpu))
print("VMPL2 -> VMPL0 -> VMPL2 round trip (RUN_VMPL, GHCB NAE): %.1f us CPU "
      "(%.1f us wall), %.2f exits, %.2f VMPL switches each" %
      (rt_cpu, rt_wall, rt_exits, rt_switches))
print("round trip / (2 x bare switch) = %.2f CPU, %.2f wall "
      "(target <= 2.5)" % (rt_cpu / (2 * bare_cpu), rt_wall / (2 * bare_wall)))
