#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SVSM's guest-request channel against a hostile host.

Boots svsm.igvm (the SVSM + the VMPL2 test guest) with snpemu's
psp_fault= (emu/psp_faults.h) and checks what the SVSM makes of it
(docs/attestation.md §6), from the test guest's TAP lines and the SVSM's
console:

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

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm, keys_bin = sys.argv[1:6]
TEST_RE = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)
WIPED = "VMPCK0 wiped, attestation disabled"


def boot(fault):
    p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                        "--timeout", "120", "--append",
                        "run=igvm verdict=4 psp_fault=" + fault,
                        "--qemu-arg=-initrd " + igvm,
                        "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" +
                        keys_bin],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=200)
    lines = {name: st == "ok" for st, name in TEST_RE.findall(p.stdout)}
    return p.returncode, p.stdout, lines


def only_attest_failed(lines):
    bad = [n for n, ok in lines.items() if not ok]
    return all(n.startswith("attest:") or n.startswith("harness")
               for n in bad)


checks = []
rc, out, lines = boot("busy:1")
checks.append(("busy: resent, every test passes",
               rc == 0 and out.count("hostile host: BUSY") == 3))

rc, out, lines = boot("garbage:1")
checks.append(("garbage: VMPCK0 wiped, attestation refused after it",
               WIPED in out and "does not authenticate" in out and
               lines.get("attest: ATTEST_SERVICES with certificates") is
               False and
               lines.get("attest: ghcb: ATTEST_SERVICES without "
                         "certificates") is False and
               out.count("RAX 0x80000006, expected 0x0") >= 2))
checks.append(("garbage: only attestation affected, no panic",
               only_attest_failed(lines) and "PANIC" not in out and
               lines.get("attest: nonce size 32") is True and
               len(lines) > 150))

rc, out, lines = boot("replay:2")
checks.append(("replay: the first exchange works, the replayed response "
               "is refused and VMPCK0 wiped",
               lines.get("attest: ATTEST_SERVICES with certificates") is
               True and
               lines.get("attest: ghcb: ATTEST_SERVICES without "
                         "certificates") is False and
               "replaying a response" in out and WIPED in out and
               only_attest_failed(lines) and "PANIC" not in out))

rc, out, lines = boot("bigcerts:1")
checks.append(("bigcerts: INVALID_PARAMETER, the next exchange works",
               "INVALID_LEN, 100 pages" in out and
               "RAX 0x80000005, expected 0x0" in out and
               lines.get("attest: ghcb: ATTEST_SERVICES without "
                         "certificates") is True and
               WIPED not in out and only_attest_failed(lines)))

print("1..%d" % len(checks))
failed = 0
for i, (name, ok) in enumerate(checks, 1):
    failed += 0 if ok else 1
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
sys.exit(1 if failed else 0)
