#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The hostile-hypervisor mode (emu/hostile.h) with fixed seeds.

Each seed boots svsm.igvm with `hostile=<seed>,<period>`: snpemu injects
events, garbles, replays or withholds GHCB answers, scribbles on the GHCB
page and remaps SVSM pages while the SVSM serves the test guest. Passes
if every run ends in an acceptable way (tests/emu/hostile_run.py: the
guest's run completes, the SVSM or the guest ends it with a reason, or
the RMP stops an access after a remap) and the host did act in each run.
One run with restricted injection on (ri=1) must see every injected event
but #HV refused. Prints TAP.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_run  # noqa: E402

PATHS = hostile_run.emu_run.args()
SEEDS = [(1, 1000, ""), (2, 1000, ""), (7, 400, ""), (12, 300, "ri=1 "),
         # A delay while the SVSM set COM1 up (divisor latch selected):
         # once ended QEMU without a word (docs/snpemu.md §6).
         (505251574348, 1000, ""),
         # A remap of the guest's VMPL2 VMSA while VMPL0 runs (no vCPU runs
         # it, so RMPUPDATE converts it: docs/snpemu.md row F6): the VM
         # stops at the VMRUN of that VMSA (VMEXIT_INVALID on hardware).
         (102, 300, "")]

checks = []
for seed, period, extra in SEEDS:
    words = "%shostile=%d,%d" % (extra, seed, period)
    out = hostile_run.boot(PATHS, words)
    outcome, detail = hostile_run.classify(out)
    n, kinds = hostile_run.acts(out)
    print("# %s: %s %s; %d acts %s" % (words, outcome, detail, n, kinds))
    checks.append(("%s: acceptable end (%s%s), %d acts" %
                   (words, outcome, ", " + detail if detail else "", n),
                   outcome != "bad" and n > 0, out))
    if seed == 102:
        checks.append(("%s: the host remapped a VMSA no vCPU runs" % words,
                       "remap of the VMSA at GPA" in out, out))
    if extra:
        ri = re.search(r"host injections into the guest: (\d+) delivered, "
                       r"(\d+) refused", out)
        hv = out.count("snpemu: hostile host: injected #HV")
        checks.append(("%s: only #HV got through restricted injection "
                       "(%s)" % (words, ri.group(0) if ri else "none"),
                       ri is not None and int(ri.group(1)) == hv, out))

sys.exit(hostile_run.emu_run.tap(checks))
