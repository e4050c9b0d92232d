#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""svsm-verify accepts a good report and refuses each kind of tampering.

The report is built here, independently of the SVSM and of svsm-verify's
code: the fields with struct, the signature with `openssl dgst -sign` and
the build's VCEK key (tools/psp-keys), the measurement with svsm-measure.
Each case changes one thing and expects exit status 1 and the FAIL line of
the check that catches it (docs/attestation.md §5). The vTPM EK in the
manifest is a TPMT_PUBLIC built here from keys the openssl command made, so
--ek-pub/--ek-out are checked against OpenSSL's own view of the same keys.
Prints TAP.
"""

import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid

verify, measure, keys, igvm = sys.argv[1:5]
tmp = tempfile.mkdtemp(prefix="svsm-verify-test.")
P = lambda n: os.path.join(tmp, n)  # noqa: E731
K = lambda n: os.path.join(keys, n)  # noqa: E731

blob = open(K("psp-keys.bin"), "rb").read()
(table_len,) = struct.unpack_from("<I", blob, 12)
(tcb,) = struct.unpack_from("<Q", blob, 16)
hwid = blob[72:136]
table = blob[136:136 + table_len]
digest = bytes.fromhex(subprocess.run(
    [measure, "--profile", "kvm", igvm], capture_output=True, text=True,
    check=True).stdout.strip())
# KVM measures one VMSA per vCPU: a 4-vCPU launch has another digest.
digest4 = bytes.fromhex(subprocess.run(
    [measure, "--profile", "kvm", "--vcpus", "4", igvm], capture_output=True,
    text=True, check=True).stdout.strip())


def openssl(*args, data=None):
    return subprocess.run(["openssl"] + list(args), input=data,
                          capture_output=True, check=True).stdout


def der_ints(der):
    """r and s from a DER ECDSA-Sig-Value."""
    out, i = [], 2 if der[1] < 0x80 else 3
    for _ in range(2):
        n = der[i + 1]
        out.append(int.from_bytes(der[i + 2:i + 2 + n], "big"))
        i += 2 + n
    return out


# The TCG EK Credential Profile's PolicyA (PolicySecret(TPM_RH_ENDORSEMENT)).
POLICY_A = bytes.fromhex("837197674484b3f81a90cc8d46a5d724"
                         "fd52d76e06520b64f2a1da1b331469aa")


def tpmt_public(alg, attrs=0x000300b2):
    """The start of an EK TPMT_PUBLIC: type, SHA-256, attributes, PolicyA,
    AES-128-CFB, scheme NULL (templates L-1 and L-2)."""
    return struct.pack(">HHIH", alg, 0x000b, attrs, 32) + POLICY_A + \
        struct.pack(">HHHH", 0x0006, 128, 0x0043, 0x0010)


def rsa_ek(pem, attrs=0x000300b2):
    """Template L-1 with the modulus of the key in @pem."""
    n = bytes.fromhex(openssl("rsa", "-pubin", "-in", pem, "-noout",
                              "-modulus").decode().split("=")[1].strip())
    return tpmt_public(0x0001, attrs) + struct.pack(">HIH", 2048, 0, 256) + n


def ecc_ek(pem):
    """Template L-2 with the point of the key in @pem (the last 64 bytes
    of a P-256 SubjectPublicKeyInfo are x and y)."""
    der = openssl("pkey", "-pubin", "-in", pem, "-outform", "DER")
    return tpmt_public(0x0023) + struct.pack(">HHH", 0x0003, 0x0010, 32) + \
        der[-64:-32] + struct.pack(">H", 32) + der[-32:]


def new_key(name, *alg):
    openssl("genpkey", *alg, "-out", P(name + ".key"))
    openssl("pkey", "-in", P(name + ".key"), "-pubout", "-out",
            P(name + ".pem"))
    return P(name + ".pem")


def spki_sha256(pem):
    return hashlib.sha256(openssl("pkey", "-pubin", "-in", pem, "-outform",
                                  "DER")).hexdigest()


RSA = ("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
ECC = ("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
ek_pem, other_pem = new_key("ek", *RSA), new_key("wrong-ek", *RSA)
ecc_pem = new_key("ek-ecc", *ECC)
EK = rsa_ek(ek_pem)


def manifest(data=EK):
    g = uuid.UUID("63849ebb-3d92-4670-a1ff-58f9c94b87bb").bytes_le
    vtpm = uuid.UUID("c476f1eb-0123-45a5-9641-b4e7dde5bfe3").bytes_le
    if data is None:  # no services
        return g + struct.pack("<II", 24, 0)
    size = 24 + 24 + len(data)
    return g + struct.pack("<II", size, 1) + vtpm + \
        struct.pack("<II", 48, len(data)) + data


def report(nonce, man, vmpl=0, policy=0x30000, meas=digest, key="vcek.key"):
    r = bytearray(0x4a0)
    struct.pack_into("<IIQ", r, 0, 2, 0, policy)
    struct.pack_into("<II", r, 0x30, vmpl, 1)
    struct.pack_into("<Q", r, 0x38, tcb)
    r[0x50:0x90] = hashlib.sha512(nonce + man).digest()
    r[0x90:0xc0] = meas
    struct.pack_into("<Q", r, 0x180, tcb)
    r[0x1a0:0x1e0] = hwid
    sig = openssl("dgst", "-sha384", "-sign", key, data=bytes(r[:0x2a0]))
    rr, ss = der_ints(sig)
    r[0x2a0:0x2a0 + 72] = rr.to_bytes(72, "little")
    r[0x2e8:0x2e8 + 72] = ss.to_bytes(72, "little")
    return bytes(r)


def write(name, data):
    with open(P(name), "wb") as f:
        f.write(data)
    return P(name)


nonce = os.urandom(64)
man = manifest()
good = {"report": write("report.bin", report(nonce, man, key=K("vcek.key"))),
        "manifest": write("manifest.bin", man),
        "nonce": write("nonce.bin", nonce),
        "ark": K("ark.pem"), "ask": K("ask.pem"), "vcek": K("vcek.pem"),
        "image": igvm}


def signed(man, name):
    """A manifest and a good report over it: only the manifest differs."""
    return {"manifest": write(name + ".man", man),
            "report": write(name + ".rep",
                            report(nonce, man, key=K("vcek.key")))}


def run(**over):
    a = dict(good)
    a.update(over)
    cmd = [verify]
    for k, v in a.items():
        if v is not None:
            cmd += ["--" + k, v]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


# Other chains, cheaply: an ASK issued with PKCS#1 v1.5 instead of PSS, and
# a P-384 "VCEK" that is self-signed and did not sign the report.
openssl("req", "-new", "-key", K("ask.key"), "-subj", "/CN=SEV-Milan",
        "-out", P("ask.csr"))
openssl("x509", "-req", "-in", P("ask.csr"), "-CA", K("ark.pem"), "-CAkey",
        K("ark.key"), "-sha384", "-set_serial", "9", "-days", "30",
        "-out", P("ask-pkcs1.pem"))
openssl("req", "-new", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-384", "-nodes", "-keyout", P("other.key"),
        "-subj", "/CN=other", "-days", "30", "-out", P("other.pem"))
bad_table = bytearray(table)
bad_table[24 * 4 + 40] ^= 1  # inside the ARK's DER (tbs)

cases = [
    ("a good report verifies (PEM chain)", run(), 0, "VERIFIED"),
    ("a good report verifies (certificate table)",
     run(ask=None, vcek=None, certs=write("t.bin", table)), 0, "VERIFIED"),
    ("--help", subprocess.run([verify, "--help"], capture_output=True,
                              text=True), 0, "REPORT_DATA"),
    ("usage error exits 2", run(nonce=None), 2, "usage"),
]
r = bytearray(open(good["report"], "rb").read())
r[0x20] ^= 1
cases += [
    ("flipped report byte", run(report=write("r1", r)), 1,
     "FAIL report signed by the VCEK"),
    ("wrong nonce", run(nonce=write("n2", os.urandom(64))), 1,
     "FAIL REPORT_DATA"),
    ("short nonce", run(nonce=write("n3", nonce[:32])), 1,
     "FAIL REPORT_DATA binding: the nonce is 32 bytes"),
    ("wrong manifest", run(manifest=write("m2", manifest(b"other EK"))), 1,
     "FAIL REPORT_DATA"),
    ("wrong chain: ASK as the root", run(ark=K("ask.pem")), 1,
     "FAIL chain: ARK self-signed"),
    ("wrong chain: ASK signed with PKCS#1 v1.5", run(ask=P("ask-pkcs1.pem")),
     1, "FAIL chain: ASK signed by the ARK: not RSASSA-PSS"),
    ("wrong chain: a VCEK that did not sign", run(vcek=P("other.pem")), 1,
     "FAIL report signed by the VCEK"),
    ("wrong chain: table ARK is not the trusted ARK",
     run(ask=None, vcek=None, certs=write("t2", bytes(bad_table))), 1,
     "FAIL table ARK = trusted ARK"),
    ("wrong measurement", run(image=None, measurement="00" * 48), 1,
     "FAIL MEASUREMENT"),
    ("a 4-vCPU launch verifies with --vcpus 4",
     run(report=write("r4", report(nonce, man, meas=digest4,
                                   key=K("vcek.key"))), vcpus="4"), 0,
     "VERIFIED"),
    ("a 4-vCPU launch is not the 1-vCPU measurement",
     run(report=P("r4")), 1, "FAIL MEASUREMENT"),
    ("--vcpus 0 is a usage error", run(vcpus="0"), 2, "usage"),
    ("wrong VMPL", run(report=write("r2", report(nonce, man, vmpl=1,
                                                 key=K("vcek.key")))), 1,
     "FAIL VMPL"),
    ("debug policy", run(report=write("r3", report(nonce, man,
                                                   policy=0xb0000,
                                                   key=K("vcek.key")))), 1,
     "FAIL policy: no DEBUG"),
    ("expected policy", run(policy="70000"), 1, "FAIL policy: 0x30000"),
]

# The vTPM EK (docs/attestation.md §4.3).
rc, out = run(**{"ek-pub": ek_pem, "ek-out": P("out.pem")})
cases += [
    ("EK: printed, equal to --ek-pub, fingerprint as openssl computes it",
     (rc, out), 0, "SubjectPublicKeyInfo sha256 " + spki_sha256(ek_pem)),
    ("EK: --ek-pub passes", (rc, out), 0, "ok   vTPM EK = --ek-pub"),
    ("EK: --ek-out writes the same key as PEM",
     (0 if os.path.exists(P("out.pem")) and
      spki_sha256(P("out.pem")) == spki_sha256(ek_pem) else 1, out), 0,
     "RSA-2048 (template L-1)"),
    ("EK: wrong key", run(**{"ek-pub": other_pem}), 1,
     "FAIL vTPM EK = --ek-pub: the manifest's EK is not the key in"),
]
tampered = bytearray(man)
tampered[48 + 100] ^= 0x10  # inside the modulus
cases += [
    ("EK: tampered modulus breaks the binding",
     run(manifest=write("m-t", tampered)), 1, "FAIL REPORT_DATA"),
    # OpenSSL's public-key check usually refuses the flipped modulus
    # already (small factors); either way it is not the --ek-pub key.
    ("EK: tampered modulus is not the EK",
     run(manifest=write("m-t", tampered), **{"ek-pub": ek_pem}), 1,
     "FAIL vTPM EK"),
    ("EK: a signed manifest whose key is not fixedTPM (not template L-1)",
     run(**signed(manifest(rsa_ek(ek_pem, attrs=0x000300b0)), "na")), 1,
     "FAIL vTPM EK template: not template L-1: nameAlg 0x000b, "
     "attributes 0x000300b0"),
    ("EK: a signed manifest whose EK data is not a TPMT_PUBLIC",
     run(**signed(manifest(b"EK public area"), "nt")), 1,
     "FAIL vTPM EK template"),
    ("EK: --ek-pub with no vTPM in the manifest",
     run(**signed(manifest(None), "nv"), **{"ek-pub": ek_pem}), 1,
     "FAIL vTPM EK: the manifest has no vTPM EK"),
]
ecc = ecc_ek(ecc_pem)
bad_point = bytearray(ecc)
bad_point[-1] ^= 1
cases += [
    ("EK: version 1 (ATTEST_SINGLE_SERVICE): the ECC P-256 EK verifies",
     run(**signed(ecc, "ecc"), **{"ek-pub": ecc_pem}), 0,
     "vTPM EK (manifest version 1): ECC NIST P-256 (template L-2)"),
    ("EK: wrong manifest version (v1 ECC EK where the RSA EK is expected)",
     run(**signed(ecc, "ecc"), **{"ek-pub": ek_pem}), 1,
     "FAIL vTPM EK = --ek-pub"),
    ("EK: a point off the curve",
     run(**signed(manifest(bytes(bad_point)), "bp")), 1,
     "FAIL vTPM EK template: OpenSSL refuses the key"),
    ("EK: one service's data that is no EK, with --ek-pub",
     run(**signed(b"not an EK", "ne"), **{"ek-pub": ek_pem}), 1,
     "FAIL vTPM EK: the manifest has no vTPM EK"),
]

print("1..%d" % len(cases))
failed = 0
for i, (name, res, want_rc, want_text) in enumerate(cases, 1):
    rc, out = res if isinstance(res, tuple) else (res.returncode,
                                                  res.stdout + res.stderr)
    ok = rc == want_rc and want_text in out
    failed += 0 if ok else 1
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok or i == 1:
        for line in out.splitlines():
            print("#   " + line)
        print("#   (exit %d, wanted %d and %r)" % (rc, want_rc, want_text))
shutil.rmtree(tmp)
sys.exit(1 if failed else 0)
