#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SVSM's guest-request channel against a hostile host.

Boots svsm.igvm (the SVSM + the VMPL2 test guest) with snpemu's
psp_fault= (emu/psp_faults.h) and checks what the SVSM makes of it
(docs/attestation.md §6), from the test guest's TAP lines (one per TEST()
case, tests/guest/tests_attest.c), the diagnostics of its failed checks
("# file:line: <check>: ...") and the SVSM's console:

  busy:1      BUSY three times: the identical message is resent, every
              test passes
  garbage:1   a response that does not authenticate: VMPCK0 wiped, every
              later attestation call INVALID_REQUEST, nothing else affected,
              no panic
  replay:2    the first response again for the second request: refused the
              same way (its sequence number is old)
  bigcerts:1  INVALID_LEN for 100 pages: the guest is told 409600 bytes,
              and the next exchange works (the sequence number was used by
              resending the message as a plain request)

Prints TAP.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_run  # noqa: E402

PATHS = emu_run.args()
TEST_RE = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)
SUMMARY_RE = re.compile(r"(\d+) checks in (\d+) cases")
WIPED = "VMPCK0 wiped, attestation disabled"


def boot(fault):
    rc, out = emu_run.boot(PATHS, "psp_fault=" + fault)
    lines = {name: st == "ok" for st, name in TEST_RE.findall(out)}
    return rc, out, lines


# Cases outside attest/ that fetch a report themselves: once VMPCK0 is
# wiped their attestation step fails as it must (vtpm/ek_still_attested
# compares the TPM's EKs with the manifest of a fresh report; smp/load,
# tests_smp_load.c, attests from every vCPU).
NEEDS_ATTESTATION = ("vtpm/ek_still_attested", "smp/load")


def only_attest_failed(lines):
    bad = [n for n, ok in lines.items() if not ok]
    return all(n.startswith("attest/") or n.startswith("harness") or
               n in NEEDS_ATTESTATION for n in bad)


def failed(out, check):
    """The named check inside a case failed (its diagnostic is there)."""
    return re.search(r"\.c:\d+: " + re.escape(check) + r"(:|$)", out,
                     re.M) is not None


def passed(out, lines, case, check):
    """The case ran and the named check in it did not fail."""
    return case in lines and not failed(out, check)


def checks_run(out):
    m = SUMMARY_RE.search(out)
    return int(m.group(1)) if m else 0


CERTS = ("attest/services_with_certs",
         "attest: ATTEST_SERVICES with certificates")
NOCERTS = ("attest/services_ghcb_no_certs",
           "attest: ghcb: ATTEST_SERVICES without certificates")


checks = []
rc, out, lines = boot("busy:1")
checks.append(("busy: resent, every test passes",
               rc == 0 and out.count("hostile host: BUSY") == 3, out))

rc, out, lines = boot("garbage:1")
checks.append(("garbage: VMPCK0 wiped, attestation refused after it",
               WIPED in out and "does not authenticate" in out and
               lines.get(CERTS[0]) is False and failed(out, CERTS[1]) and
               lines.get(NOCERTS[0]) is False and failed(out, NOCERTS[1]) and
               out.count("RAX 0x80000006, expected 0x0") >= 2, out))
checks.append(("garbage: only attestation affected, no panic",
               only_attest_failed(lines) and "PANIC" not in out and
               passed(out, lines, "attest/hostile_requests",
                      "attest: nonce size 32") and
               checks_run(out) > 150, out))

rc, out, lines = boot("replay:2")
checks.append(("replay: the first exchange works, the replayed response "
               "is refused and VMPCK0 wiped",
               lines.get(CERTS[0]) is True and
               lines.get(NOCERTS[0]) is False and failed(out, NOCERTS[1]) and
               "replaying a response" in out and WIPED in out and
               only_attest_failed(lines) and "PANIC" not in out, out))

rc, out, lines = boot("bigcerts:1")
checks.append(("bigcerts: INVALID_PARAMETER, the next exchange works",
               "INVALID_LEN, 100 pages" in out and
               "RAX 0x80000005, expected 0x0" in out and
               lines.get(NOCERTS[0]) is True and
               WIPED not in out and only_attest_failed(lines), out))

sys.exit(emu_run.tap(checks))
