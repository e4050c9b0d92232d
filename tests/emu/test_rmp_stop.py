#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu must stop the VM, with a report, when VMPL2 reads VMPL0 memory.

Also checks the consoles: VMPL2 writes one line to COM2 (a second QEMU
-serial, a file here) before its attack; it must arrive there and not on
COM1.

Runs the test payload in attack mode (arg=1): it does the normal VMPL2 set
up, then VMPL2 reads a VMPL0-only variable. A pass means run-image FAILED
(the VM was stopped), and the output names the violation, the VMPL, the
RIP, the GPA (private, C-bit set) and the access kind. Prints TAP.
"""

import os
import re
import subprocess
import sys
import tempfile

run_image, qemu, snpemu, payload = sys.argv[1:5]

com2 = tempfile.NamedTemporaryFile(prefix="snpemu-com2-", delete=False)
com2.close()
cmd = [sys.executable, run_image, "--qemu", qemu, snpemu,
       "--append", "run=payload arg=1", "--qemu-arg=-initrd " + payload,
       "--qemu-arg=-serial file:" + com2.name]
p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=240)
with open(com2.name, encoding="utf-8", errors="replace") as f:
    com2_text = f.read()
os.unlink(com2.name)
report = re.search(r"VM stopped: RMP violation: VMPL2 RIP (0x[0-9a-f]+): "
                   r"read of GPA 0x8000001[0-9a-f]{5} \(private", p.stdout)
checks = [
    ("run-image fails: the VM was stopped", p.returncode == 1),
    ("the report names the RMP violation, VMPL2, RIP, GPA and 'read'",
     report is not None),
    ("the stop came after the VMPL0 tests ran", "ok 13 -" in p.stdout),
    ("snpemu ended through its stop path, not a panic",
     "panic" not in p.stdout.lower()),
    # The stop prints each vCPU's last exits (emu/stats.c): the last one
    # is the #NPF (0x400) of the VMPL2 read, at the RIP the report names.
    ("the last exit printed is VMPL2's #NPF at the reported RIP",
     report is not None and re.search(
         r"snpemu: vCPU 0 exit \d+: \+\d+ us VMPL2 code 0x400 info1 "
         r"0x[0-9a-f]+ info2 0x8000001[0-9a-f]{5} RIP " +
         re.escape(report.group(1)) + r" .*\n(?!snpemu: vCPU 0 exit)",
         p.stdout) is not None),
    ("VMPL2's console line is on COM2 and not on COM1",
     com2_text == "VMPL2 on COM2\n" and "VMPL2 on COM2" not in p.stdout),
]
print("1..%d" % len(checks))
failed = 0
for i, (name, ok) in enumerate(checks, 1):
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
if failed:
    for line in p.stdout.splitlines()[-15:]:
        print("#   " + line)
sys.exit(1 if failed else 0)
