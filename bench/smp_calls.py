#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SVSM calls per second with 1, 2 and 4 vCPUs on snpemu (issue 13).

Runs svsm.igvm with QEMU -smp N and the test guest's filter `smp`
(tests/guest/tests_smp.c, case smp/ap_calls): vCPU 0 first makes 2000
QUERY_PROTOCOL calls alone (the 1-vCPU figure), then every AP makes 100
rounds of one QUERY_PROTOCOL and four single-page PVALIDATEs through its
own SVSM context while vCPU 0 keeps making QUERY_PROTOCOL calls. The AP
figures are therefore mostly PVALIDATE, which on snpemu costs a
whole-RMP TLBSYNC flush each: they are not comparable with the 1-vCPU
QUERY figure. TSC cycles are
turned into seconds with the TSC rate snpemu measured at start. Prints
figures, judges nothing. snpemu runs all vCPUs on one L1 CPU (time
slices), so more vCPUs are not expected to add throughput: the figures
show what the scheduling and the SVSM's locking cost.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm = sys.argv[1:5]
extra = sys.argv[5:]

print("smp-calls: SVSM calls per second (1 vCPU: QUERY_PROTOCOL; APs: "
      "1 QUERY + 4 PVALIDATE per round)")
for n in (1, 2, 4):
    p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                        "--timeout", "300", "--append", "run=igvm verdict=4",
                        "--qemu-arg=-initrd " + igvm,
                        "--qemu-arg=-smp %d" % n,
                        "--qemu-arg=-fw_cfg name=opt/test-guest/filter,"
                        "string=smp/ap_calls"] + extra,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=400)
    out = p.stdout
    khz = re.search(r"snpemu: TSC (\d+) kHz", out)
    one = re.search(r"smp-bench: 1 vCPU, (\d+) calls in (\d+) TSC", out)
    many = re.search(r"smp-bench: (\d+) vCPUs, APs (\d+) calls in (\d+) TSC "
                     r"cycles, vCPU 0 (\d+) calls in (\d+)", out)
    if p.returncode != 0 or khz is None or one is None:
        print("-smp %d: run failed (status %d)" % (n, p.returncode))
        for line in out.splitlines()[-15:]:
            print("#   " + line)
        continue
    hz = int(khz.group(1)) * 1000.0
    if n == 1:
        rate = int(one.group(1)) / (int(one.group(2)) / hz)
        print("-smp 1: %.0f calls/s (vCPU 0 alone)" % rate)
        continue
    if many is None:
        print("-smp %d: no AP figures" % n)
        continue
    ap = int(many.group(2)) / (int(many.group(3)) / hz)
    v0 = int(many.group(4)) / (int(many.group(5)) / hz)
    print("-smp %d: %.0f mixed calls/s from %d APs together, %.0f "
          "QUERY calls/s from vCPU 0 meanwhile" % (n, ap, n - 1, v0))
