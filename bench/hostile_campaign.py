#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A randomised hostile-hypervisor campaign (emu/hostile.h): boots
svsm.igvm with `hostile=<random seed>,<period>` until --runs boots or
--budget seconds, classifies each run (tests/emu/hostile_run.py) and
prints how many host acts of each kind the SVSM survived (the run ended
acceptably: completed, or ended by the SVSM/guest with a reason, or
stopped by the RMP after a remap). Run it niced; it judges nothing but
prints the figures and every unacceptable run's seed.

usage: hostile_campaign.py RUN_IMAGE QEMU SNPEMU IGVM KEYS
                           [--runs N] [--budget S] [--period P] [--ri]
                           [--keep DIR]
"""

import argparse
import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "emu"))
import hostile_run  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("run_image")
ap.add_argument("qemu")
ap.add_argument("snpemu")
ap.add_argument("igvm")
ap.add_argument("keys")
ap.add_argument("--runs", type=int, default=20)
ap.add_argument("--budget", type=int, default=1200)
ap.add_argument("--period", type=int, default=1000)
ap.add_argument("--ri", action="store_true")
ap.add_argument("--keep", metavar="DIR",
                help="write the output of every run that did not complete "
                     "cleanly to DIR/<seed>.log")
a = ap.parse_args()

t0 = time.time()
outcomes = collections.Counter()
survived = collections.Counter()
bad = []
vmsa_outcomes = collections.Counter()  # runs with a VMSA remap
runs = 0
while runs < a.runs and time.time() - t0 < a.budget:
    seed = random.randrange(1, 1 << 40)
    words = "%shostile=%d,%d" % ("ri=1 " if a.ri else "", seed, a.period)
    out = hostile_run.boot((a.run_image, a.qemu, a.snpemu, a.igvm, a.keys),
                           words)
    outcome, detail = hostile_run.classify(out)
    n, kinds = hostile_run.acts(out)
    # Remaps of a VMSA no vCPU runs (one remap in four; emu/hostile.c).
    kinds["remap-vmsa"] = out.count("remap of the VMSA at GPA")
    runs += 1
    outcomes[outcome] += 1
    print("# seed %d: %s %s, %d acts %s" % (seed, outcome, detail, n,
                                           dict(kinds)), flush=True)
    if a.keep and outcome != "clean":
        os.makedirs(a.keep, exist_ok=True)
        with open(os.path.join(a.keep, "%d.log" % seed), "w") as f:
            f.write(out)
    if outcome == "bad":
        bad.append((seed, detail))
    else:
        survived.update(kinds)
        survived["all"] += n
        if kinds["remap-vmsa"]:
            vmsa_outcomes[outcome] += 1

print("runs: %d in %.0f s (period %d%s)" % (runs, time.time() - t0,
                                             a.period,
                                             ", ri=1" if a.ri else ""))
print("outcomes: " + ", ".join("%s %d" % kv for kv in sorted(
    outcomes.items())))
print("acts survived: %d (%s)" % (survived.pop("all", 0), ", ".join(
    "%s %d" % kv for kv in sorted(survived.items()))))
print("runs with a VMSA remapped (remap-vmsa is part of remap): " +
      (", ".join("%s %d" % kv for kv in sorted(vmsa_outcomes.items()))
       or "none"))
for seed, detail in bad:
    print("unacceptable: seed %d: %s" % (seed, detail))
