#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu's guest RAM comes from its command line (mem=, emu/main.c).

The product image (svsm.igvm + the VMPL2 test guest) must pass with the
smallest and the largest size, a bad mem= and a QEMU -m too small for the
guest must be refused with a message (usage exit), never run. Prints TAP.
"""

import subprocess
import sys

run_image, qemu, snpemu, igvm, psp_keys = sys.argv[1:6]


def run(append, memory):
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu,
           "--timeout", "150", "--memory", memory,
           "--append", "run=igvm verdict=4 " + append,
           psp_keys, "--qemu-arg=-initrd " + igvm]
    return subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=240)


checks = []
p = run("mem=2G", "2560M")
checks.append(("mem=2G (-m 2560M): 2048 MiB, the test guest passes",
               "guest RAM 2048 MiB" in p.stdout and p.returncode == 0, p))
p = run("mem=256M", "1G")
checks.append(("mem=256M (-m 1G): 256 MiB, the test guest passes",
               "guest RAM 256 MiB" in p.stdout and p.returncode == 0, p))
p = run("mem=100M", "1G")
checks.append(("mem=100M refused with the allowed range",
               "mem=100M: need 128 MiB to 2048 MiB" in p.stdout
               and p.returncode != 0 and "guest RAM 100" not in p.stdout, p))
p = run("", "1G")
checks.append(("default 1 GiB with -m 1G refused: names the -m it needs",
               "need -m 1344M or more" in p.stdout and p.returncode != 0, p))
print("1..%d" % len(checks))
failed = 0
for i, (what, ok, proc) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    if not ok:
        failed += 1
        for line in proc.stdout.splitlines()[-8:]:
            print("#   " + line)
sys.exit(1 if failed else 0)
