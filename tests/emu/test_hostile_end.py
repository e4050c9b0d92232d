#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The hidden hostile-guest cases that end the guest's use of the SVSM
(tests/guest/tests_hostile_end.c; docs/threat-model.md "SVSM pages made
shared"), each booted alone through the test guest's fw_cfg filter:

  calling_area_shared  the guest's calling area made shared, then a call:
                       the call is not taken, no register changes, the VM
                       runs on and the guest ends with its own verdict
  svsm_page_shared     the SVSM's request-loop stack page (svsm_boot_stack
                       from svsm.elf's symbols) made shared, then a call:
                       the SVSM takes #VC 0x404 on its own page (it never
                       re-validates it, so no host data is read), and ends
                       the VM itself with an SVSM reason (set 3: code 2
                       through the panic path, or the #VC handler's own
                       refusal code); the guest's case never reports back

Prints TAP.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm, keys_bin, svsm_elf, nm = sys.argv[1:8]
TEST_RE = re.compile(r"^(not ok|ok) \d+ - (.*)$", re.M)
STACK_SIZE = 16384  # src/entry.S


def symbol(name):
    out = subprocess.run([nm, svsm_elf], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"^([0-9a-f]+) \w " + re.escape(name) + "$", out, re.M)
    return int(m.group(1), 16) if m else None


def boot(case, extra=()):
    args = [sys.executable, run_image, "--qemu", qemu, snpemu,
            "--timeout", "120", "--append", "run=igvm verdict=4",
            "--qemu-arg=-initrd " + igvm,
            "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" + keys_bin,
            "--qemu-arg=-fw_cfg name=opt/test-guest/filter,string=" + case]
    args += ["--qemu-arg=" + a for a in extra]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=200)
    lines = {name: st == "ok" for st, name in TEST_RE.findall(p.stdout)}
    return p.returncode, p.stdout, lines


checks = []
rc, out, lines = boot("hostile_end/calling_area_shared")
checks.append(("calling area made shared: call not taken, VM runs on, "
               "guest verdict pass",
               rc == 0 and lines.get("hostile_end/calling_area_shared")
               and "PANIC" not in out
               and "VMPL2 terminated (reason set 4, code 0)" in out))

stack = symbol("svsm_boot_stack")
top = None if stack is None else stack + STACK_SIZE - 4096
if top is None:
    checks.append(("svsm_boot_stack found in svsm.elf", False))
else:
    rc, out, lines = boot("hostile_end/svsm_page_shared",
                          ["-fw_cfg name=opt/test-guest/svsm-page,string=%#x"
                           % top])
    # Either the panic path's register dump (RSP on the page) or the #VC
    # handler's refusal line names the page-not-validated #VC.
    first = re.search(r"PANIC: unhandled exception #VC.*\n.*\n"
                      r"# RSP ([0-9a-f]+) SS \w+ ERR ([0-9a-f]+)", out)
    dump_ok = (first is not None and int(first.group(2), 16) == 0x404
               and int(first.group(1), 16) & ~0xfff == top)
    refused = re.search(r"refused #VC \(exit code 0x404\)", out) is not None
    checks.append(("SVSM stack page made shared: the guest converted it",
                   "converting SVSM page %x to shared" % top in out))
    checks.append(("the SVSM's access to it is a #VC 0x404",
                   dump_ok or refused))
    checks.append(("the SVSM ends the VM with its own reason (set 3)",
                   re.search(r"VMPL0 terminated \(reason set 3, code \d+\)",
                             out) is not None))
    checks.append(("the guest's call never came back",
                   "hostile_end/svsm_page_shared" not in lines
                   and "served a call with its stack page shared" not in out))

for i, (name, ok) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
print("1..%d" % len(checks))
if not all(ok for _, ok in checks):
    print(out[-3000:], file=sys.stderr)
sys.exit(0 if all(ok for _, ok in checks) else 1)
