#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The VMPL2 test guest selects its TEST() cases like the in-image tests.

tests/guest/main.c reads the filter ("suite" or "suite/name", as test= of
snpemu's in-image tests) from the fw_cfg file opt/test-guest/filter. With
"vtpm" only the vtpm/ cases run and pass; with "core/msr" exactly that case;
a filter that names no case ends the guest with a failure (no plan, so the
harness line fails). Prints TAP.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm, psp_keys = sys.argv[1:6]
CASE_RE = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)


def boot(flt):
    cmd = [sys.executable, run_image, "--qemu", qemu, snpemu,
           "--timeout", "120", "--append", "run=igvm verdict=4", psp_keys,
           "--qemu-arg=-initrd " + igvm,
           "--qemu-arg=-fw_cfg name=opt/test-guest/filter,string=" + flt]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=200)
    cases = [(st, n) for st, n in CASE_RE.findall(p.stdout)
             if not n.startswith("harness")]
    return p, cases


checks = []
p, cases = boot("vtpm")
checks.append(("filter 'vtpm': only the vtpm cases run, all pass",
               p.returncode == 0 and len(cases) >= 5 and
               all(st == "ok" and n.startswith("vtpm/") for st, n in cases),
               p))
p, cases = boot("core/msr")
checks.append(("filter 'core/msr': exactly that case",
               p.returncode == 0 and cases == [("ok", "core/msr")], p))
p, cases = boot("no_such_suite")
checks.append(("a filter that names no case fails",
               p.returncode != 0 and cases == [] and
               "no test matches 'no_such_suite'" in p.stdout, p))
print("1..%d" % len(checks))
failed = 0
for i, (name, ok, proc) in enumerate(checks, 1):
    if not ok:
        failed += 1
        for line in proc.stdout.splitlines()[-15:]:
            print("# " + line)
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
sys.exit(1 if failed else 0)
