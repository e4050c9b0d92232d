#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu interrupt figures, from the interrupt payload's benchmark modes.

  latency   a TSC-deadline timer 1 ms ahead, 200 times: TSC at the
            handler's entry minus the deadline, with the guest in HLT
            (snpemu idles on its own LAPIC timer) and with the guest
            spinning (snpemu's LAPIC timer forces a #VMEXIT(INTR))
  idle      a 250 Hz APIC timer (Linux's HZ) with the guest in HLT between
            ticks; two run lengths, so start-up cancels out: exits and
            snpemu idle wake-ups per second of guest idle

  plain TCG the same latency measurement without snpemu: snpemu's own
            image runs on plain TCG, and its hidden case
            bench/host_timer_latency times QEMU's local APIC timer the
            same way (tests/emu/image/bench_host_timer.c)

The payload itself cannot run on plain TCG (it is an SNP guest: GHCB,
VMPLs), hence the separate plain-TCG case. Runs under nice 19.
Prints figures; judges nothing.
"""

import os
import re
import subprocess
import sys

run_image, qemu, snpemu, payload = sys.argv[1:5]
EXITS = re.compile(r"after (\d+) exits")
WAKE = re.compile(r"(\d+) HLT exits, (\d+) idle wake-ups, (\d+) interrupts")
IDLE = re.compile(r"bench: idle (\d+) us with a 250 Hz tick: (\d+) ticks")


def run(arg):
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu, "--timeout",
           "300", "--append", "run=payload arg=%d" % arg,
           "--qemu-arg=-initrd " + payload, "--qemu-arg=-serial null"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        print("benchmark run failed (arg %d):\n%s" % (arg, p.stdout[-2000:]))
        sys.exit(1)
    return p.stdout


os.nice(19)
print("load average: %.1f %.1f %.1f" % os.getloadavg())
out = run(1)
for line in out.splitlines():
    if "bench: timer" in line:
        print(line.lstrip("# "))
p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "300", "--append",
                    "test=bench/host_timer_latency"],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
if p.returncode != 0:
    print("plain-TCG run failed:\n%s" % p.stdout[-2000:])
    sys.exit(1)
for line in p.stdout.splitlines():
    if "bench: timer" in line:
        print(line.lstrip("# "))

runs = []
for ticks in (100, 600):
    out = run(2 | (ticks << 4))
    i, e, w = IDLE.search(out), EXITS.search(out), WAKE.search(out)
    runs.append((int(i.group(1)), int(e.group(1)), int(w.group(2)),
                 int(w.group(1)), int(w.group(3))))
(us0, e0, w0, h0, j0), (us1, e1, w1, h1, j1) = runs
sec = (us1 - us0) / 1e6
print("guest idle, 250 Hz tick: %.0f exits/s, %.0f snpemu idle wake-ups/s, "
      "%.0f HLT exits/s, %.0f interrupts injected/s (%.2f s measured)" %
      ((e1 - e0) / sec, (w1 - w0) / sec, (h1 - h0) / sec, (j1 - j0) / sec,
       sec))
