#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux boot to /init on snpemu with 1 and with N vCPUs (issue 13
benchmark): the same image, kernel and initramfs, only QEMU's -smp
differs (the launch digest differs too; nothing here checks it).

usage: boot_smp.py RUNS --one QEMU... --many QEMU...

Runs the two commands alternately RUNS times each, under nice 19, times
each from QEMU start to /init's "svsm-init: reached /init" line
(boot_ratio.boot) and prints the medians, the guest's own uptime at /init
and the ratio; judges nothing. snpemu runs every vCPU on one L1 CPU
(docs/snpemu.md §3), so the ratio measures snpemu's time slicing and the
APs' start through the SVSM, not what SMP costs on hardware.
"""
import os
import statistics
import sys

from boot_ratio import boot


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    i, j = rest.index("--one"), rest.index("--many")
    one, rest = rest[i + 1:j], rest[j + 1:]
    many = "%s vCPUs" % rest[rest.index("-smp") + 1]
    cmds = {"1 vCPU": one, many: rest}
    os.nice(19)
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    got = {k: [] for k in cmds}
    for _ in range(runs):
        for k, c in cmds.items():
            got[k].append(boot(c)[:2])
    med = {}
    for k, v in got.items():
        wall = [w for w, _ in v]
        up = [u for _, u in v]
        med[k] = statistics.median(wall)
        print("linux boot to /init on snpemu, %s: median %.1f s wall (min "
              "%.1f, max %.1f, n=%d), guest uptime at /init median %.1f s" %
              (k, med[k], min(wall), max(wall), len(wall),
               statistics.median(up)))
    print("%s / 1 vCPU, boot to /init: %.2fx" %
          (many, med[many] / med["1 vCPU"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
