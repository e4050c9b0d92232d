#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SVSM's final page tables, checked on snpemu: W^X, and no guest
memory mapped while it serves calls (the guest's 146 cases then run through
the per-access guest window).

Boots svsm.igvm (the SVSM and the VMPL2 test guest). After building its
final page tables the SVSM walks them (pt_find_wx(), lib/pt.c, unit-tested
in tests/unit/test_pt.c) and panics on any mapping that is writable and
executable once every level's W and NX bits are applied; otherwise it logs
how many mappings it checked. This test fails unless that line is there
with a plausible count, and unless the run ended cleanly. Prints TAP.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm = sys.argv[1:5]
# Further arguments go to run-image (the PSP keys' fw_cfg, which the test
# guest's attestation cases need).
extra = sys.argv[5:]

p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "60", "--append", "run=igvm verdict=4",
                    "--qemu-arg=-initrd " + igvm] + extra,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=120)
out = p.stdout
wx = re.search(r"W\^X: (\d+) mappings checked, none writable and "
               r"executable", out)
checks = [
    ("the SVSM walked its final page tables (W^X)", wx is not None),
    ("it checked the whole image (more than 64 mappings)",
     wx is not None and int(wx.group(1)) > 64),
    ("no W^X panic", re.search(r"W\^X: \d+ of \d+ mappings", out) is None),
    # Before the request loop the SVSM drops guest RAM from its tables
    # and looks up page 0 and the guest's calling area there.
    ("page 0 and guest RAM are unmapped while the SVSM serves calls",
     "guest memory unmapped (page 0 unmapped, guest RAM unmapped)" in out),
    ("the run ended cleanly", p.returncode == 0),
]
print("1..%d" % len(checks))
for i, (name, ok) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
if not all(ok for _, ok in checks):
    for line in out.splitlines()[-40:]:
        print("# " + line)
sys.exit(0 if all(ok for _, ok in checks) else 1)
