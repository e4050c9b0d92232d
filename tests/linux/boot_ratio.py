#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux boot to /init: snpemu (SNP at VMPL2 under the SVSM) against plain
QEMU TCG, the same kernel and initramfs, in one run (issue 10 target:
snpemu at most 2.5x plain TCG).

usage: boot_ratio.py RUNS --tcg QEMU... --snpemu QEMU...

Runs the two commands alternately RUNS times each, under nice 19, and
times each from QEMU start to /init's "svsm-init: reached /init" line.
Prints the medians, the guest's own uptime at /init and the ratio, then
where the snpemu boot's time goes: the host time at which each milestone
line appeared (snpemu, the SVSM, Linux), the figures snpemu and the SVSM
print about themselves (launch, validation) and snpemu's exit counts per
phase (docs/linux-boot.md §9). Judges nothing.
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
# After /init the guest powers off; snpemu then prints its exit counts for
# the kernel phase. Wait this long for them.
TAIL = 30

# Milestones of the snpemu boot, in order: (label, first line matching).
MILESTONES = [
    ("snpemu running (QEMU started, image loaded)", rb"^snpemu \d"),
    ("TSC calibrated against the PIT", rb"^snpemu: TSC "),
    ("launch measured (digest)", rb"^snpemu: launch digest "),
    ("SVSM banner", rb"^C SVSM "),
    ("vTPM manufactured", rb"^vtpm: started"),
    ("SVSM starts validating guest RAM", rb"^linux: validating "),
    ("guest RAM validated", rb"^linux: .* pages validated"),
    ("Linux entered (startup_64)", rb"^guest: linux64 entry"),
    ("vTPM EKs made (first TPM command)", rb"^vtpm: EKs "),
    ("/init", rb"svsm-init: reached /init"),
]
# Lines whose figures are printed as they are.
FIGURES = [rb"^snpemu: launch timing: .*", rb"^linux: .* in \d+ Mcycles.*",
           rb"^vtpm: .*Mcycles.*"]
# snpemu's milestone blocks: a header line and its indented kinds.
BLOCK_RE = re.compile(rb"^snpemu: \[[0-9.]+ s\] .*")
KIND_RE = re.compile(rb"^snpemu:   .*")


def boot(cmd):
    """(wall to /init, guest uptime, {milestone: s}, [lines])"""
    start = time.monotonic()
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(q.stdout, selectors.EVENT_READ)
    pending, found, at, seen = b"", None, {}, []
    deadline = start + TIMEOUT
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(timeout=left):
                break
            chunk = q.stdout.read1(65536)
            if not chunk:
                break
            now = time.monotonic() - start
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for ln in lines:
                ln = ln.rstrip(b"\r")
                for label, pat in MILESTONES:
                    if label not in at and re.search(pat, ln):
                        at[label] = now
                if any(re.match(p, ln) for p in FIGURES) or \
                        BLOCK_RE.match(ln) or KIND_RE.match(ln):
                    seen.append(ln.decode("utf-8", "replace"))
                m = INIT_RE.search(ln)
                if m and found is None:
                    found = (now, float(m.group(1)))
                    deadline = time.monotonic() + TAIL
            if len(pending) > 65536:
                pending = pending[-65536:]
    finally:
        q.kill()
        q.wait()
    if found is None:
        print("no /init within %d s: %s" % (TIMEOUT, " ".join(cmd)))
        print(pending.decode("utf-8", "replace")[-2000:])
        sys.exit(1)
    return found[0], found[1], at, seen


def phase_table(runs):
    """Median time of each milestone and of the step that ends there."""
    print("where the snpemu boot's time goes (wall seconds from QEMU "
          "start, median of %d; the step is the time since the previous "
          "milestone):" % len(runs))
    prev = 0.0
    for label, _ in MILESTONES:
        ts = [r[2][label] for r in runs if label in r[2]]
        if not ts:
            print("  %-45s (not seen)" % label)
            continue
        t = statistics.median(ts)
        print("  %-45s at %6.1f s   step %5.1f s" % (label, t, t - prev))
        prev = t


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
        wall = [r[0] for r in v]
        up = [r[1] for r in v]
        med[k] = statistics.median(wall)
        print("linux boot to /init, %s: median %.1f s wall (min %.1f, max "
              "%.1f, n=%d), guest uptime at /init median %.1f s" %
              (k, med[k], min(wall), max(wall), len(wall),
               statistics.median(up)))
    print("snpemu / plain TCG, boot to /init: %.2fx (issue 10 target: "
          "at most 2.5x)" % (med["snpemu"] / med["plain TCG"]))
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    phase_table(got["snpemu"])
    # The figures of the median snpemu run, as snpemu and the SVSM print
    # them (exit counts per phase: first entry into VMPL2, VM stop).
    by_wall = sorted(got["snpemu"], key=lambda r: r[0])
    print("snpemu's and the SVSM's own figures (the median run):")
    for ln in by_wall[len(by_wall) // 2][3]:
        print("  " + ln)
    return 0


if __name__ == "__main__":
    sys.exit(main())
