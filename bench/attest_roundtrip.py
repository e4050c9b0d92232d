#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: one attestation report, from the guest's call to its result.

Boots svsm.igvm on snpemu with greq_stats=1: snpemu logs every guest
request with its exit and VMPL-switch counters, and the test guest
(tests/guest/tests_attest.c) makes 8 ATTEST_SERVICES calls in a row between
"attest-bench" markers and reports TSC cycles per call. Prints, per report:
PSP requests, snpemu exits (all VMGEXITs and intercepts, any VMPL) and VMPL
switches between consecutive requests, and the guest's TSC cycles and wall
time. Figures only; nothing is judged.
"""

import re
import subprocess
import sys
import time

run_image, qemu, snpemu, igvm, keys_bin = sys.argv[1:6]
t0 = time.monotonic()
p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "300", "--append",
                    "run=igvm verdict=4 greq_stats=1",
                    "--qemu-arg=-initrd " + igvm,
                    "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" +
                    keys_bin],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=400)
wall = time.monotonic() - t0
out = p.stdout
a = out.find("attest-bench: start")
b = out.find("attest-bench: end")
m = re.search(r"attest-bench: end, (\d+) reports, (\d+) TSC cycles each",
              out)
if a < 0 or b < 0 or m is None:
    print("attest-roundtrip: no figures (the run failed?)")
    print(out[-2000:])
    sys.exit(1)
n = int(m.group(1))
reqs = [(int(e), int(s)) for e, s in re.findall(
    r"guest request at exit (\d+), (\d+) VMPL switches", out[a:b])]
exits = [reqs[i + 1][0] - reqs[i][0] for i in range(len(reqs) - 1)]
switches = [reqs[i + 1][1] - reqs[i][1] for i in range(len(reqs) - 1)]
print("attest-roundtrip: %d reports, %d PSP requests (%.2f per report)"
      % (n, len(reqs), len(reqs) / n))
if exits:
    print("attest-roundtrip: per report: %.1f snpemu exits, %.1f VMPL "
          "switches (between consecutive PSP requests)"
          % (sum(exits) / len(exits), sum(switches) / len(switches)))
print("attest-roundtrip: %s TSC cycles per report in the guest "
      "(QEMU TCG, nested)" % m.group(2))
print("attest-roundtrip: whole boot + test guest run %.1f s" % wall)
