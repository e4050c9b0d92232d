#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu stops the VM with a report, never hangs, on interrupt requests
it cannot honour: an INIT IPI to the vCPU's own APIC (not modelled) and
HLT with RFLAGS.IF=0 (the vCPU would sleep forever). Runs the interrupt
payload in modes 3 and 4. A pass means run-image FAILED with the report.
Prints TAP.
"""

import subprocess
import sys

run_image, qemu, snpemu, payload = sys.argv[1:5]
CASES = [
    (3, "INIT IPI to its own APIC",
     "VM stopped: VMPL2: a INIT IPI to its own APIC"),
    (4, "HLT with IF=0",
     "HLT with RFLAGS.IF=0: the vCPU would sleep forever"),
]
print("1..%d" % len(CASES))
failed = 0
for i, (mode, name, text) in enumerate(CASES, 1):
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu, "--timeout",
           "120", "--append", "run=payload arg=%d" % mode,
           "--qemu-arg=-initrd " + payload, "--qemu-arg=-serial null"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=240)
    ok = (p.returncode == 1 and text in p.stdout and
          "panic" not in p.stdout.lower() and "ok 5 -" in p.stdout)
    if not ok:
        failed += 1
        for line in p.stdout.splitlines()[-10:]:
            print("#   " + line)
    print("%s %d - %s stops the VM with a report" %
          ("ok" if ok else "not ok", i, name))
sys.exit(1 if failed else 0)
