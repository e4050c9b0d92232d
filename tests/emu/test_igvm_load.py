#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu loads svsm.igvm like QEMU and measures it like the PSP.

Boots snpemu with run=igvm and the repository's svsm.igvm as -initrd, and
checks what snpemu itself is responsible for: the file is accepted, the
VMPL0 VMSA is found, the launch digest snpemu computes equals the one
tools/svsm-measure predicts for QEMU + KVM (--profile kvm), and the VMPL0
context starts executing (at least one #VMEXIT). What the SVSM then does is
the SVSM's business (tests/guest), so the run's own verdict is printed as a
comment, not judged. Prints TAP.
"""

import re
import subprocess
import sys

run_image, qemu, snpemu, igvm, measure, keys, vcek_pem = sys.argv[1:8]

want = subprocess.run([measure, "--profile", "kvm", igvm],
                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                      text=True).stdout.strip()
p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "150", "--append", "run=igvm",
                    "--qemu-arg=-initrd " + igvm,
                    "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" +
                    keys],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=240)
out = p.stdout
m = re.search(r"snpemu: launch digest ([0-9a-f]{96})", out)
exits = re.search(r"after (\d+) exits", out)
checks = [
    ("svsm-measure predicts a digest", re.fullmatch(r"[0-9a-f]{96}", want)
     is not None),
    ("snpemu accepts the file and finds the VMPL0 VMSA",
     re.search(r"IGVM loaded \(\d+ headers\), VMPL0 VMSA in host page", out)
     is not None),
    ("snpemu's launch digest equals svsm-measure --profile kvm",
     m is not None and m.group(1) == want),
    ("VMPL0 ran (snpemu reports at least one exit)",
     exits is not None and int(exits.group(1)) >= 1 or
     re.search(r"^ok \d+ - harness", out, re.M) is not None),
]

# The VCEK snpemu signs with is the build's (tools/psp-keys): the public
# key it prints must be the one in vcek.pem.
vcek = re.search(r"emulated VCEK P-384 x=([0-9a-f]{96}) y=([0-9a-f]{96})",
                 out)
spki = subprocess.run(["openssl", "x509", "-in", vcek_pem, "-noout",
                       "-pubkey"], stdout=subprocess.PIPE).stdout
der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"],
                     input=spki, stdout=subprocess.PIPE).stdout
checks.append(("the VCEK snpemu signs with is vcek.pem's key",
               vcek is not None and len(der) > 96 and
               der[-96:].hex() == vcek.group(1) + vcek.group(2)))
print("1..%d" % len(checks))
failed = 0
for i, (name, ok) in enumerate(checks, 1):
    failed += 0 if ok else 1
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
for line in out.splitlines():
    if "snpemu:" in line or "harness" in line:
        print("# " + line.lstrip("# "))
sys.exit(1 if failed else 0)
