#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A report the test guest fetched through the SVSM verifies on the host.

Boots svsm.igvm (the SVSM + the VMPL2 test guest) on snpemu with the build's
PSP keys; tests/guest/tests_attest.c prints its first ATTEST_SERVICES
exchange as "attest-hex" lines. They are written to OUTDIR as nonce.bin,
manifest.bin, report.bin and certs.bin, and checked:

  * svsm-verify accepts them against the build's ARK and svsm.igvm
    (chain, signature, VCEK TCB, REPORT_DATA binding, MEASUREMENT, VMPL 0);
  * the OpenSSL command line alone verifies the chain (openssl verify) and
    the report's signature (openssl dgst -verify with the VCEK's key);
  * svsm-verify refuses the same report with another nonce;
  * the manifest's vTPM EK (docs/attestation.md §4.3): svsm-verify prints
    it as an RSA-2048 EK of template L-1 and writes it with --ek-out, the
    openssl command line reads that PEM as a 2048-bit RSA key, --ek-pub
    accepts it and refuses another key; the guest's ATTEST_SINGLE_SERVICE
    exchange of manifest version 1 (ecc-*) verifies with its ECC P-256 EK.
    (The guest itself checks that TPM2_CreatePrimary through VTPM_CMD gives
    the same EKs: tests/guest/tests_vtpm.c.)

Prints TAP.
"""

import os
import re
import subprocess
import sys

# The report's signature as DER, shared with the Linux client's host checks.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "linux"))
from host_link import der_sig  # noqa: E402

run_image, qemu, snpemu, igvm, keys, verify, outdir = sys.argv[1:8]
os.makedirs(outdir, exist_ok=True)
K = lambda n: os.path.join(keys, n)  # noqa: E731
O = lambda n: os.path.join(outdir, n)  # noqa: E731

p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                    "--timeout", "120", "--append", "run=igvm verdict=4",
                    "--qemu-arg=-initrd " + igvm,
                    "--qemu-arg=-fw_cfg name=opt/snpemu/psp-keys,file=" +
                    K("psp-keys.bin")],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   text=True, timeout=200)
blobs = {}
for m in re.finditer(r"attest-hex ([\w-]+) ([0-9a-f]+)", p.stdout):
    blobs[m.group(1)] = blobs.get(m.group(1), "") + m.group(2)
for name, hexdata in blobs.items():
    with open(O(name + ".bin"), "wb") as f:
        f.write(bytes.fromhex(hexdata))
have = all(n in blobs for n in ("nonce", "manifest", "report", "certs"))
checks = [("the test guest ran and printed its exchange",
           p.returncode == 0 and have)]


def run(cmd, data=None):
    r = subprocess.run(cmd, input=data, capture_output=True)
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


out = ""
if have:
    base = [verify, "--report", O("report.bin"), "--manifest",
            O("manifest.bin"), "--nonce", O("nonce.bin"), "--ark",
            K("ark.pem"), "--certs", O("certs.bin"), "--image", igvm]
    rc, out = run(base + ["--ek-out", O("ek.pem")])
    checks.append(("svsm-verify accepts the report (chain, signature, "
                   "binding, measurement, VMPL 0)",
                   rc == 0 and "VERIFIED" in out))
    checks.append(("svsm-verify: the manifest's vTPM EK is an RSA-2048 EK "
                   "of template L-1",
                   "ok   vTPM EK template" in out and
                   "vTPM EK (manifest version 0): RSA-2048 (template L-1)"
                   in out))
    rc6, out6 = run(["openssl", "pkey", "-pubin", "-in", O("ek.pem"),
                     "-noout", "-text"])
    checks.append(("openssl reads --ek-out's PEM as a 2048-bit RSA key",
                   rc6 == 0 and "Public-Key: (2048 bit)" in out6))
    with open(O("nonce-other.bin"), "wb") as f:
        f.write(bytes(64))
    rc2, out2 = run([verify, "--report", O("report.bin"), "--manifest",
                     O("manifest.bin"), "--nonce", O("nonce-other.bin"),
                     "--ark", K("ark.pem"), "--certs", O("certs.bin"),
                     "--image", igvm])
    checks.append(("svsm-verify refuses it with another nonce",
                   rc2 == 1 and "FAIL REPORT_DATA" in out2))
    rc3, out3 = run(["openssl", "verify", "-CAfile", K("ark.pem"),
                     "-untrusted", K("ask.pem"), K("vcek.pem")])
    checks.append(("openssl verify: ARK -> ASK -> VCEK", rc3 == 0))
    report = open(O("report.bin"), "rb").read()
    with open(O("report-signed.bin"), "wb") as f:
        f.write(report[:0x2a0])
    with open(O("report-sig.der"), "wb") as f:
        f.write(der_sig(report))
    rc4, pub = run(["openssl", "x509", "-in", K("vcek.pem"), "-noout",
                    "-pubkey"])
    with open(O("vcek-pub.pem"), "w") as f:
        f.write(pub)
    rc5, out5 = run(["openssl", "dgst", "-sha384", "-verify",
                     O("vcek-pub.pem"), "-signature", O("report-sig.der"),
                     O("report-signed.bin")])
    checks.append(("openssl dgst -verify: the report's signature with the "
                   "VCEK", rc4 == 0 and rc5 == 0 and "Verified OK" in out5))
    rc7, out7 = run(base + ["--ek-pub", O("ek.pem")])
    checks.append(("svsm-verify --ek-pub accepts the EK it wrote",
                   rc7 == 0 and "ok   vTPM EK = --ek-pub" in out7))
    rc8, out8 = run(base + ["--ek-pub", O("vcek-pub.pem")])
    checks.append(("svsm-verify --ek-pub refuses another key",
                   rc8 == 1 and "FAIL vTPM EK = --ek-pub" in out8))
ecc = all(n in blobs for n in ("ecc-nonce", "ecc-manifest", "ecc-report"))
checks.append(("the test guest printed its ATTEST_SINGLE_SERVICE v1 "
               "exchange", ecc))
if have and ecc:
    rc9, out9 = run([verify, "--report", O("ecc-report.bin"), "--manifest",
                     O("ecc-manifest.bin"), "--nonce", O("ecc-nonce.bin"),
                     "--ark", K("ark.pem"), "--certs", O("certs.bin"),
                     "--image", igvm, "--ek-out", O("ek-ecc.pem")])
    checks.append(("svsm-verify accepts the v1 report with its ECC P-256 "
                   "EK (template L-2)",
                   rc9 == 0 and "vTPM EK (manifest version 1): ECC NIST "
                   "P-256 (template L-2)" in out9))
    out += "\n" + out9

print("1..%d" % len(checks))
failed = 0
for i, (name, ok) in enumerate(checks, 1):
    failed += 0 if ok else 1
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
for line in out.splitlines():
    print("# " + line)
if failed:
    for line in p.stdout.splitlines()[-30:]:
        print("# " + line)
sys.exit(1 if failed else 0)
