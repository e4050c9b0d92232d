#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A long vTPM session through VTPM_CMD inside the SVSM on snpemu: the test
guest's hidden case vtpm_soak/heap (tests/guest/tests_vtpm_soak.c) sends
3072+ commands (create/load/HMAC/flush, sessions, NV define/undefine, PCR
extends, GetRandom); the SVSM prints its vTPM heap in use after every
1024th command (src/vtpm_service.c). Passes if the case passes and the
figures after 2048 and 3072 commands equal the one after 1024 (a heap
that grows with the session fails). Prints TAP and the figures.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm, keys_bin = sys.argv[1:6]
TEST_RE = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)
HEAP_RE = re.compile(r"vtpm: (\d+) commands; heap in use (\d+) B, "
                     r"peak (\d+) KiB")

args = [sys.executable, run_image, "--qemu", qemu, snpemu,
        "--timeout", "300", "--append", "run=igvm verdict=4",
        "--qemu-arg=-initrd " + igvm,
        "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" + keys_bin,
        "--qemu-arg=-fw_cfg name=opt/test-guest/filter,string=vtpm_soak/heap"]
p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=400)
cases = {name: st == "ok" for st, name in TEST_RE.findall(p.stdout)}
reports = [(int(n), int(used), int(peak))
           for n, used, peak in HEAP_RE.findall(p.stdout)]
for n, used, peak in reports:
    print("# after %d commands: heap in use %d B, peak %d KiB" %
          (n, used, peak))
checks = [
    ("the guest's soak case passes (every command rc 0)",
     p.returncode == 0 and cases.get("vtpm_soak/heap") is True),
    ("the SVSM reports its heap after 1024, 2048 and 3072 commands",
     [n for n, _, _ in reports[:3]] == [1024, 2048, 3072]),
    ("heap in use after 2048 and 3072 commands = after 1024",
     len(reports) >= 3 and reports[1][1] == reports[0][1]
     and reports[2][1] == reports[0][1]),
    ("the heap peak does not grow after 1024 commands",
     len(reports) >= 3 and reports[2][2] == reports[0][2]),
]
print("1..%d" % len(checks))
for i, (name, ok) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
if not all(ok for _, ok in checks):
    print("# output tail:\n" + "\n".join(
        "# " + l for l in p.stdout.splitlines()[-30:]))
sys.exit(0 if all(ok for _, ok in checks) else 1)
