# SPDX-License-Identifier: MIT
"""One boot of svsm.igvm (the SVSM + the VMPL2 test guest) on snpemu under
QEMU (tools/run-image), and the TAP the Python emu tests print. Shared by
the emu tests that boot the image with snpemu words (test_inject.py,
test_hostile.py through hostile_run.py, test_attest_faults.py,
test_svsm_smp.py, test_svsm_pagetables.py) and bench/hostile_campaign.py.

Every test takes the same arguments: RUN_IMAGE QEMU SNPEMU IGVM KEYS (the
PSP keys handed to snpemu through fw_cfg, which the test guest's
attestation cases need), and after them what a test needs besides
(args(more)).
"""

import re
import subprocess
import sys
import time

GUEST_SET = 4  # the test guest's verdict: termination reason set 4
# run-image's last line for a run whose guest passed: passed/planned tests.
CLEAN_RE = re.compile(r"^ok \d+ - harness: clean exit, (\d+)/(\d+) tests",
                      re.M)


def args(more=()):
    """(run_image, qemu, snpemu, igvm, keys) from the command line, and
    after them the further arguments named in @more (a list of them)."""
    if len(sys.argv) != 6 + len(more):
        sys.exit("usage: %s RUN_IMAGE QEMU SNPEMU IGVM KEYS %s" %
                 (sys.argv[0], " ".join(more)))
    if more:
        return tuple(sys.argv[1:6]), sys.argv[6:]
    return tuple(sys.argv[1:6])


def boot(paths, words="", timeout=150, qemu_args=(), iommu=False):
    """(status, output) of one boot: snpemu with `run=igvm verdict=4` and
    @words on its command line. @paths: what args() returns. A boot that
    outlives run-image's own limit returns status None and output that
    ends in '# HANG'. @iommu: QEMU's VT-d on the outer machine (run-image
    --iommu), for tests that give the guest devices (docs/snpemu.md §4)."""
    run_image, qemu, snpemu, igvm, keys = paths
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu,
           "--timeout", str(timeout), "--append",
           ("run=igvm verdict=%d %s" % (GUEST_SET, words)).strip(),
           "--qemu-arg=-initrd " + igvm,
           "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" + keys]
    if iommu:
        cmd.append("--iommu")
    cmd += ["--qemu-arg=" + a for a in qemu_args]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           timeout=timeout + 90)
        rc, out = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        rc, out = None, out + "\n# HANG\n"
    # How close a boot came to its limit: the first clue when a run on a
    # loaded machine is cut short.
    print("# boot '%s': %.0f s (limit %d s), status %s" %
          (words, time.monotonic() - t0, timeout, rc), flush=True)
    return rc, out


def clean(out):
    """The run ended with the guest's "pass" and every test passed."""
    c = CLEAN_RE.search(out)
    return c is not None and c.group(1) == c.group(2)


def tap(checks, out=None):
    """Print checks, (name, ok) or (name, ok, output of its boot), as TAP
    and return the exit status. The last 40 lines of the boot behind each
    failed check (its own output, else @out) follow as comments, once."""
    print("1..%d" % len(checks))
    tails = []
    for i, c in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if c[1] else "not ok", i, c[0]))
        o = c[2] if len(c) > 2 else out
        if not c[1] and o is not None and o not in tails:
            tails.append(o)
    for o in tails:
        for line in o.splitlines()[-40:]:
            print("# " + line)
    return 1 if any(not c[1] for c in checks) else 0
