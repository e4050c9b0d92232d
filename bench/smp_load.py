#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The concurrent load at full size and the SVSM's lock hold times (issue 13).

Runs svsm.igvm on snpemu with QEMU -smp 4 and the test guest's hidden case
load/full (tests/guest/tests_smp_load.c): vCPU 0 and three APs each make
at least 10^5 SVSM calls at the same time (QUERY_PROTOCOL every round,
PVALIDATE of an own and a shared page, vTPM GetRandom, ATTEST_SERVICES),
every result checked by the case; it fails if anything was lost or
doubled. Prints each vCPU's calls and rate, and the hold times of
core_lock, attest_lock and vtpm_lock as the SVSM last reported them
(svsm/lock_stat.h: counts at powers of two, mean and max in TSC cycles).
Prints figures, judges nothing; the case's own pass/fail is reported.
snpemu runs every vCPU on one L1 CPU in time slices, so the rates measure
snpemu's scheduling and VMPL switches more than the SVSM, and a hold time
includes the slices the holder's vCPU waited.
"""

import re
import subprocess
import sys
import time

# --check (the emu suite's svsm-smp-load): exit 1 unless load/full passed.
CHECK = "--check" in sys.argv
argv = [a for a in sys.argv if a != "--check"]
run_image, qemu, snpemu, igvm = argv[1:5]
extra = argv[5:]

t0 = time.time()
p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "3000", "--append", "run=igvm verdict=4",
                    "--qemu-arg=-initrd " + igvm, "--qemu-arg=-smp 4",
                    "--qemu-arg=-fw_cfg name=opt/test-guest/filter,"
                    "string=load/full"] + extra,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=3300)
wall = time.time() - t0
out = p.stdout
khz = re.search(r"snpemu: TSC (\d+) kHz", out)
ok = re.search(r"^ok \d+ - load/full", out, re.M) is not None
print("smp-load: 4 vCPUs, >= 10^5 SVSM calls each at once (load/full), "
      "%.0f s wall; the case %s" % (wall, "passed" if ok else "FAILED"))
if khz is None:
    print("no TSC rate in the log (status %d)" % p.returncode)
    for line in out.splitlines()[-20:]:
        print("#   " + line)
    sys.exit(1 if CHECK else 0)
hz = int(khz.group(1)) * 1000.0
total = 0
for m in re.finditer(r"load-bench: full vCPU (\d+): (\d+) calls \((\d+) QUERY, "
                     r"(\d+) PVALIDATE, (\d+) GetRandom, (\d+) ATTEST\) in "
                     r"(\d+) TSC", out):
    calls, secs = int(m.group(2)), int(m.group(7)) / hz
    total += calls / secs
    print("vCPU %s: %s calls (%s QUERY, %s PVALIDATE, %s GetRandom, %s "
          "ATTEST) in %.1f s: %.0f calls/s" %
          (m.group(1), calls, m.group(3), m.group(4), m.group(5),
           m.group(6), secs, calls / secs))
print("all vCPUs together: %.0f calls/s" % total)
last = {}
for m in re.finditer(r"lock-stat: (\w+) (\d+) holds, mean (\d+), max (\d+) "
                     r"TSC cycles", out):
    last[m.group(1)] = m
for name in ("core_lock", "attest_lock", "vtpm_lock"):
    m = last.get(name)
    if m is None:
        print("%s: no report (fewer holds than its first report)" % name)
        continue
    mean, mx = int(m.group(3)), int(m.group(4))
    print("%s: over its first %s holds: mean %d TSC cycles (%.1f us), "
          "max %d (%.1f ms)" % (name, m.group(2), mean, mean / hz * 1e6,
                                mx, mx / hz * 1e3))
if CHECK and not ok:
    for line in out.splitlines()[-40:]:
        print("#   " + line)
sys.exit(0 if ok or not CHECK else 1)
