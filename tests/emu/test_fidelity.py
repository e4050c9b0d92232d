#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One row of snpemu's fidelity table (docs/snpemu.md).

Runs the test payload with arg = 4 | row << 4 (tests_fidelity.c). A row
whose hardware answer is "the access works" passes when the payload's TAP
passes. A row whose hardware answer is "the VM stops" must first pass its
TAP lines (the part that must still work), then end in snpemu's stop
report matching the row's pattern: run-image fails, no panic, and the
report comes after the payload's "# fidelity: ... stop the VM now" line.
Prints TAP.
"""

import re
import subprocess
import sys

# name: (row, regex of the stop report, or None for a plain pass)
ROWS = {
    "s1_ap_creation_vmpl": (1, None),
    "s2_tlb_flush": (2, r"RMP violation: VMPL2 RIP 0x[0-9a-f]+: read of "
                        r"GPA 0x8000[0-9a-f]+ \(private"),
    "s3_user_exec": (3, r"RMP violation: VMPL2 RIP 0x[0-9a-f]+: supervisor "
                        r"execute of GPA 0x8000[0-9a-f]+ .*XU only"),
    "s4_unrunnable_vmsa": (4, r"VMRUN of VMPL2's VMSA at GPA 0x[0-9a-f]+ "
                              r"fails: EFER.SVME is clear"),
    "s5_vmsa_2m_aligned": (5, None),
    "s6_vmsa_in_use": (6, r"VMSA in use: VMPL0 RIP 0x[0-9a-f]+: read of "
                          r"GPA 0x8000[0-9a-f]+"),
    "s7_private_access_shared": (7, None),
    "s8_vc_sources": (8, None),
    "s12_psc_private_twice": (12, None),
    "l4_implicit_psmash": (14, None),
    # A VMSA no vCPU runs converts, a running one is refused; the stop
    # comes when vCPU 1 converts its own VMSA (its next VMRUN fails).
    "f6_psc_vmsa_shared": (17, r"VMPL2 made its own VMSA at GPA "
                               r"0x[0-9a-f]+ shared: the VMRUN that "
                               r"resumes it fails"),
    "l5_cbitless_alias": (16, r"RMP violation: VMPL0 RIP 0x[0-9a-f]+: read "
                              r"of GPA 0x[0-9a-f]+ \(shared"),
    # S2 with two vCPUs: the stop comes from vCPU 1's read.
    "s2_tlb_flush_smp": (15, r"RMP violation: VMPL2 RIP 0x[0-9a-f]+: read of "
                             r"GPA 0x8000[0-9a-f]+ \(private.*\n.*\n"
                             r".*on vCPU 1 of 2"),
}
# Rows that need more than one vCPU (QEMU -smp).
SMP = {"s2_tlb_flush_smp": 2, "f6_psc_vmsa_shared": 2}

run_image, qemu, snpemu, payload, name = sys.argv[1:6]
row, stop = ROWS[name]
cmd = [sys.executable, run_image, "--qemu", qemu, snpemu, "--timeout", "120",
       "--append", "run=payload arg=%d" % (4 | row << 4),
       "--qemu-arg=-initrd " + payload]
if name in SMP:
    cmd.append("--qemu-arg=-smp %d" % SMP[name])
p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=200)
out = p.stdout
tap_ok = re.search(r"^ok 1 - fidelity/" + name, out, re.M) is not None
if stop is None:
    checks = [("fidelity/%s passes in the payload" % name, tap_ok),
              ("snpemu ended cleanly (run-image passed)", p.returncode == 0)]
else:
    marker = out.find("snpemu must stop the VM now")
    m = re.search(r"VM stopped: " + stop, out)
    checks = [
        ("fidelity/%s: the part that must work passes" % name, tap_ok),
        ("then the VM stops with the hardware's verdict",
         m is not None and 0 <= marker < m.start()),
        ("run-image fails: the VM was stopped", p.returncode == 1),
        ("stopped through the stop path, not a panic",
         "panic" not in out.lower()),
    ]
print("1..%d" % len(checks))
failed = 0
for i, (what, ok) in enumerate(checks, 1):
    failed += not ok
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
if failed:
    for line in out.splitlines()[-15:]:
        print("#   " + line)
sys.exit(1 if failed else 0)
