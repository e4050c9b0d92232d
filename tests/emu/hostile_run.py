# SPDX-License-Identifier: MIT
"""One boot of svsm.igvm (the SVSM + the VMPL2 test guest) on snpemu with
hostile words (hostile=, inject=, ri=; emu/hostile.h, emu/inject.h), and
what became of it. Shared by tests/emu/test_hostile.py (fixed seeds) and
bench/hostile_campaign.py (random seeds).

Outcomes:
  clean       every guest case passed and the guest's verdict was "pass"
  svsm-term   the SVSM ended the VM with a reason (termination set 3)
  guest-fail  the guest saw an error and said so (its verdict, set 4, is
              "fail"): refused service, never a wrong success
  rmp-stop    snpemu stopped the VM for an access the RMP forbids, after a
              remap act (the RMP caught what the host did)
  bad         anything else: a hang, a stop without an SVSM reason, an
              snpemu panic, a triple fault, "pass" with failed cases
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_run  # noqa: E402

TERM_RE = re.compile(r"VMPL(\d) terminated \(reason set (\d+), code (\d+)\)")
ACTS_RE = re.compile(r"hostile host: (\d+) acts:(.*)\(remaps refused by the "
                     r"RMP: (\d+)\)")
GUEST_SET = emu_run.GUEST_SET


def boot(paths, words, timeout=150):
    """The output of one boot with @words (emu_run.boot)."""
    return emu_run.boot(paths, words, timeout)[1]


def acts(out):
    """(number of acts, {act: count}) from snpemu's last line."""
    m = ACTS_RE.search(out)
    if not m:
        return 0, {}
    kinds = dict((k, int(v)) for k, v in
                 re.findall(r"(\w+) (\d+)", m.group(2)))
    return int(m.group(1)), kinds


def classify(out):
    """(outcome, detail) for one boot's output."""
    if "# HANG" in out or "timed out" in out:
        return "bad", "hang"
    c = emu_run.CLEAN_RE.search(out)
    t = TERM_RE.search(out)
    if c is not None:
        if c.group(1) == c.group(2):
            return "clean", ""
        return "bad", "verdict pass with failed cases"
    if t is not None:
        vmpl, rset, code = (int(x) for x in t.groups())
        if vmpl == 0 and rset == 3:
            return "svsm-term", "code %d" % code
        if vmpl != 0 and rset == GUEST_SET and code != 0:
            return "guest-fail", "guest verdict %d" % code
        return "bad", "VMPL%d set %d code %d" % (vmpl, rset, code)
    stop = re.search(r"snpemu: VM stopped: (.*)", out)
    if stop is not None:
        _, kinds = acts(out)
        why = stop.group(1)
        if kinds.get("remap", 0) > 0 and ("RMP" in why or "GPA" in why):
            return "rmp-stop", why
        return "bad", "stopped: " + why
    return "bad", "no verdict (snpemu or QEMU failed)"
