#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SVSM on every vCPU (issue 13): svsm.igvm on snpemu with QEMU -smp 4.

snpemu writes the vCPU count into the IGVM VP_COUNT parameter; the SVSM
starts an SVSM context (VMPL0 VMSA, own GDT/TSS/IST stacks, own GHCB) on
APIC IDs 1-3 through AP_CREATION and waits until each reports in. The
VMPL2 test guest then passes as with one vCPU, and its case smp/ap_calls
starts a VMPL2 vCPU on APIC IDs 1-3 the way Linux does (CREATE_VCPU, then
AP_CREATION): the SVSM context of each vCPU must serve it, and the APs'
calls, made while vCPU 0 calls too, must all succeed and add up (the
case checks that; here it must have taken the served path, not the
one-vCPU refusal). The other smp cases (tests/guest/tests_smp.c,
tests_smp_load.c) must take the served path too: DELETE_VCPU racing the
APs' calls, simultaneous PVALIDATEs of one page, an AP switched to a
second VMSA, and the concurrent load from all four vCPUs (its small
suite count; bench/smp_load.py runs 10^5 calls per vCPU). Prints TAP.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_run  # noqa: E402

CPUS = 4

paths, (measure,) = emu_run.args(["SVSM_MEASURE"])
igvm = paths[3]
rc, out = emu_run.boot(paths, timeout=420, qemu_args=["-smp %d" % CPUS])
# KVM measures one VMSA per vCPU: snpemu's digest is svsm-measure's for
# CPUS vCPUs (docs/igvm.md §2), and not the 1-vCPU one.
predicted = {n: subprocess.run([measure, "--profile", "kvm", "--vcpus",
                                str(n), igvm], capture_output=True,
                               text=True, check=True).stdout.strip()
             for n in (1, CPUS)}
digest = re.search(r"snpemu: launch digest ([0-9a-f]{96})", out)
up = sorted(int(m.group(1)) for m in
            re.finditer(r"smp: CPU (\d+) \(APIC ID \1\) up at VMPL0", out))
guest_fail = re.search(r"^not ok \d+ - (?!harness)", out, re.M)
plan = re.search(r"^1\.\.(\d+)$", out, re.M)
checks = [
    ("snpemu gives the guest %d vCPUs" % CPUS,
     "snpemu: %d vCPUs" % CPUS in out),
    ("the launch digest is svsm-measure --vcpus %d's, not the 1-vCPU one"
     % CPUS, digest is not None and digest.group(1) == predicted[CPUS] and
     predicted[CPUS] != predicted[1]),
    ("the SVSM reads %d vCPUs from VP_COUNT" % CPUS,
     re.search(r"memory: .* %d vCPUs" % CPUS, out) is not None),
    ("APs 1-%d report in at VMPL0, each once" % (CPUS - 1),
     up == list(range(1, CPUS))),
    ("the SVSM counts %d started APs" % (CPUS - 1),
     "smp: %d APs started" % (CPUS - 1) in out),
    ("the SVSM contexts of vCPUs 1-%d each serve a guest AP" % (CPUS - 1),
     sorted(int(m.group(1)) for m in re.finditer(
         r"smp: CPU (\d+) serves the guest VMSA at [0-9a-f]+", out))
     == list(range(1, CPUS))),
    ("smp/ap_calls passed on the served path",
     re.search(r"^ok \d+ - smp/ap_calls", out, re.M) is not None and
     "smp: %d APs, 100 iterations each ok" % (CPUS - 1) in out),
    ("smp/delete_races_calls: every DELETE_VCPU of a running VMSA "
     "refused while the APs called",
     re.search(r"^ok \d+ - smp/delete_races_calls", out, re.M) is not None
     and re.search(r"smp: (\d+) DELETE_VCPUs of running VMSAs during "
                   r"\d+ calls per AP, \1 refused INUSE", out) is not None),
    ("smp/pvalidate_one_page: %d APs at once, one SUCCESS per round"
     % (CPUS - 1),
     re.search(r"^ok \d+ - smp/pvalidate_one_page", out, re.M) is not None
     and "simultaneous PVALIDATEs of one page: one SUCCESS each, 0 bad "
     "rounds" in out),
    ("smp/ap_switch_vmsa: the SVSM follows an AP to its second VMSA",
     re.search(r"^ok \d+ - smp/ap_switch_vmsa", out, re.M) is not None
     and "AP 0 switched to its second VMSA" in out),
    ("smp/load: %d vCPUs at once, everything answered and distinct" % CPUS,
     re.search(r"^ok \d+ - smp/load", out, re.M) is not None
     and "load: %d vCPUs at once" % CPUS in out),
    ("the test guest on vCPU 0 planned its cases",
     plan is not None and int(plan.group(1)) > 10),
    ("none of its cases failed", guest_fail is None),
    ("the run ended cleanly (run-image passed)", rc == 0),
]
# The failed cases and their diagnostics, which the tail may not reach.
for line in out.splitlines():
    if re.match(r"^not ok \d+ - (?!harness)", line) or \
            re.search(r"\.c:\d+: ", line):
        print("# failed: " + line)
sys.exit(emu_run.tap(checks, out))
