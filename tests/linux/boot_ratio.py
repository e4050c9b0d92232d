#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux boot to /init: snpemu (SNP at VMPL2 under the SVSM) against plain
QEMU TCG, the same kernel and initramfs, in one run (issue 10 target:
snpemu at most 2.5x plain TCG).

usage: boot_ratio.py RUNS --tcg QEMU... --snpemu QEMU...

Runs the two commands alternately RUNS times each, under nice 19, and
times each from QEMU start to /init's "svsm-init: reached /init" line,
then kills QEMU. Prints the medians, the guest's own uptime at /init and
the ratio; judges nothing.
"""
import os
import re
import selectors
import statistics
import subprocess
import sys
import time

INIT_RE = re.compile(rb"svsm-init: reached /init at uptime ([0-9.]+) s")
TIMEOUT = 300


def boot(cmd):
    start = time.monotonic()
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(q.stdout, selectors.EVENT_READ)
    buf, found = b"", None
    try:
        while found is None:
            left = TIMEOUT - (time.monotonic() - start)
            if left <= 0 or not sel.select(timeout=left):
                break
            chunk = q.stdout.read1(65536)
            if not chunk:
                break
            buf = (buf + chunk)[-65536:]
            found = INIT_RE.search(buf)
    finally:
        q.kill()
        q.wait()
    if found is None:
        print("no /init within %d s: %s" % (TIMEOUT, " ".join(cmd)))
        print(buf.decode("utf-8", "replace")[-2000:])
        sys.exit(1)
    return time.monotonic() - start, float(found.group(1))


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    i, j = rest.index("--tcg"), rest.index("--snpemu")
    cmds = {"plain TCG": rest[i + 1:j], "snpemu": rest[j + 1:]}
    os.nice(19)
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    got = {k: [] for k in cmds}
    for _ in range(runs):
        for k, c in cmds.items():
            got[k].append(boot(c))
    med = {}
    for k, v in got.items():
        wall = [w for w, _ in v]
        up = [u for _, u in v]
        med[k] = statistics.median(wall)
        print("linux boot to /init, %s: median %.1f s wall (min %.1f, max "
              "%.1f, n=%d), guest uptime at /init median %.1f s" %
              (k, med[k], min(wall), max(wall), len(wall),
               statistics.median(up)))
    print("snpemu / plain TCG, boot to /init: %.2fx (issue 10 target: "
          "at most 2.5x)" % (med["snpemu"] / med["plain TCG"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
