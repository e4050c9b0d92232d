#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU's PCI devices behind snpemu (docs/snpemu.md §4): the interrupt
payload in mode 5 (tests/emu/payloads/irq_pci.c) with QEMU's `edu` and
`pci-testdev` on the outer machine, booted twice:

  1. `pci=1234:11e8,1b36:0005`: both on snpemu's allow-list. The guest
     finds them through configuration mechanism #1, uses edu's BAR0 and
     INTx, pci-testdev's I/O and MMIO BARs; BAR moves, Bus Master Enable
     and MSI refused. The payload prints pci-testdev's I/O BAR.
  2. `pci=1234:11e8`: the same machine, pci-testdev not on the list: the
     guest must not find it, and its I/O BAR (from run 1; the firmware
     assigns the same one) must be denied.
  3. `pci=1234:11e8` with QEMU's VT-d (run-image --iommu, emu/iommu.c):
     edu may bus-master; its DMA from VMPL2 reaches the two pages the
     guest made shared, not a private one, and snpemu logs the blocked
     write and read.

Prints TAP: every case of both runs, renumbered, and each run's harness
line. Usage: test_pci.py RUN_IMAGE QEMU SNPEMU PAYLOAD
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, payload = sys.argv[1:5]
TEST_RE = re.compile(r"^(ok|not ok) \d+ - (.*)$")
PORT_RE = re.compile(r"pci-testdev I/O BAR (0x[0-9a-f]+)")


def run(words, iommu=False):
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu, "--timeout",
           "120", "--append", "run=payload " + words,
           "--qemu-arg=-initrd " + payload, "--qemu-arg=-serial null",
           "--qemu-arg=-device edu", "--qemu-arg=-device pci-testdev"]
    if iommu:
        cmd.append("--iommu")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=240)
    return p.returncode, p.stdout


n = 0
failed = 0


def emit(ok, text):
    global n, failed
    n += 1
    failed += 0 if ok else 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, text))


def relay(tag, rc, out):
    for line in out.splitlines():
        m = TEST_RE.match(line)
        if m and not m.group(2).startswith("harness"):
            emit(m.group(1) == "ok",
                 "%s: %s" % (tag, m.group(2).replace("#", "")))
        elif (line.startswith("# snpemu: pci") or "# #" in line or
              line.startswith("# snpemu: iommu")):
            print(line)
    emit(rc == 0, "%s: run-image harness (clean exit, every case run)" % tag)
    if rc != 0:
        for line in out.splitlines()[-15:]:
            print("#   " + line)


rc, out = run("pci=1234:11e8,1b36:0005 arg=0x15")
relay("both listed", rc, out)
m = PORT_RE.search(out)
port = int(m.group(1), 16) if m else 0
emit(port != 0, "run 1 printed pci-testdev's I/O BAR")
rc, out = run("pci=1234:11e8 arg=0x%x" % (port << 16 | 5))
relay("edu only", rc, out)
rc, out = run("pci=1234:11e8 arg=0x25", iommu=True)
relay("with the IOMMU", rc, out)
for kind in ("write", "read"):
    emit("snpemu: iommu: blocked DMA %s by 00:02.0" % kind in out,
         "with the IOMMU: snpemu logged the blocked DMA %s" % kind)
print("1..%d" % n)
sys.exit(1 if failed else 0)
