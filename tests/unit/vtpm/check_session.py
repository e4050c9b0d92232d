#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the freestanding vTPM session program and re-checks its artifacts
with independent code: PCR values with hashlib's SHA-256, the TPM2_Quote
structure by its own parser, and the quote's ECDSA P-256 signature with
the host's OpenSSL (`openssl dgst -verify`), plus a tampered copy that must
fail to verify. Prints TAP (the program's lines, renumbered, then ours)."""

import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

n = 0
failed = 0


def tap(ok, name, diag=None):
    global n, failed
    n += 1
    failed += 0 if ok else 1
    if diag and not ok:
        for line in str(diag).splitlines():
            print("# " + line)
    print(("ok" if ok else "not ok") + " %d - %s" % (n, name))


def der_int(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return b"\x02" + bytes([len(b)]) + b


def ecdsa_der(r, s):
    body = der_int(r) + der_int(s)
    return b"\x30" + bytes([len(body)]) + body


# SubjectPublicKeyInfo prefix for an uncompressed NIST P-256 point.
P256_SPKI = bytes.fromhex(
    "3059301306072a8648ce3d020106082a8648ce3d030107034200")


def openssl_verify(openssl, pub, sig, data):
    with tempfile.TemporaryDirectory() as d:
        paths = {}
        for name, blob in (("pub.der", pub), ("sig.der", sig), ("data", data)):
            paths[name] = os.path.join(d, name)
            with open(paths[name], "wb") as f:
                f.write(blob)
        r = subprocess.run([openssl, "dgst", "-sha256", "-keyform", "DER",
                            "-verify", paths["pub.der"], "-signature",
                            paths["sig.der"], paths["data"]],
                           capture_output=True, text=True)
        return r.returncode == 0, r.stdout + r.stderr


class Reader:
    def __init__(self, b):
        self.b, self.off = b, 0

    def take(self, k):
        if self.off + k > len(self.b):
            raise ValueError("short TPMS_ATTEST")
        self.off += k
        return self.b[self.off - k:self.off]

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def b2b(self):
        return self.take(self.u16())


def check_quote(art, openssl):
    attest = art["quote_attest"]
    r = Reader(attest)
    tap(r.u32() == 0xff544347, "quote: TPMS_ATTEST magic is TPM_GENERATED")
    tap(r.u16() == 0x8018, "quote: type is TPM_ST_ATTEST_QUOTE")
    r.b2b()  # qualifiedSigner
    tap(r.b2b() == art["quote_nonce"], "quote: extraData is our nonce")
    r.take(17 + 8)  # clockInfo, firmwareVersion
    count = r.u32()
    sel = [(r.u16(), r.take(r.u8())) for _ in range(count)]
    tap(sel == [(0x000b, bytes([0, 0, 1]))],
        "quote: PCR selection is sha256:16", sel)
    want = hashlib.sha256(art["pcr16_after"]).digest()
    tap(r.b2b() == want, "quote: pcrDigest = SHA-256(PCR 16) (hashlib)")
    pub = P256_SPKI + b"\x04" + art["ak_x"] + art["ak_y"]
    sig = ecdsa_der(art["quote_sig_r"], art["quote_sig_s"])
    ok, out = openssl_verify(openssl, pub, sig, attest)
    tap(ok, "quote: ECDSA P-256 signature verifies with host OpenSSL", out)
    bad = bytearray(attest)
    bad[-1] ^= 1
    ok, out = openssl_verify(openssl, pub, sig, bytes(bad))
    tap(not ok, "quote: a tampered TPMS_ATTEST does not verify", out)


def main():
    prog = sys.argv[1]
    openssl = shutil.which("openssl")
    p = subprocess.run([prog, "session"], capture_output=True, text=True,
                       timeout=110)
    art = {}
    for line in p.stdout.splitlines():
        if line.startswith("ok ") or line.startswith("not ok "):
            ok = line.startswith("ok ")
            tap(ok, line.split(" - ", 1)[1] if " - " in line else line)
        elif line.startswith("# artifact "):
            _, _, name, hexdata = line.split(" ", 3)
            art[name] = bytes.fromhex(hexdata)
        elif line.startswith("#"):
            print(line)
    for line in p.stderr.splitlines():
        print("# stderr: " + line)
    tap(p.returncode == 0, "session program exits 0", "exit %d" % p.returncode)
    tap(n > 20, "session program ran its tests")

    zero = bytes(32)
    try:
        tap(art["pcr16_before"] == zero, "PCR 16 starts at zero")
        want = hashlib.sha256(art["pcr16_before"] +
                              art["pcr16_extend_digest"]).digest()
        tap(art["pcr16_after"] == want,
            "PCR 16 after extend = SHA-256(old || digest) (hashlib)",
            "got %s want %s" % (art["pcr16_after"].hex(), want.hex()))
        ek = art["ek_rsa"]
        modulus = ek[-256:]
        tap(len(ek) == 314 and ek[:2] == b"\0\x01" and modulus[0] & 0x80 and
            modulus[-1] & 1, "RSA EK: 2048-bit odd modulus")
        if openssl:
            check_quote(art, openssl)
        else:
            tap(False, "openssl found on the host (package openssl)")
    except (KeyError, ValueError) as e:
        tap(False, "artifacts present and well-formed", repr(e))
    print("1..%d" % n)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
