#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snpemu launches as the PSP does: policy at LAUNCH_START, ID block at
LAUNCH_FINISH (docs/igvm.md §6). Prints TAP.

Keys are generated per run with openssl in a temporary directory under the
build directory (never committed). svsm-igvm builds igvm.cfg plus a signed
[id_block]; snpemu must accept it, print the digest svsm-measure --profile
kvm predicts and the ID key digest computed here, and must refuse, each with
one line naming the cause: a page changed after signing (digest mismatch),
a launch policy other than the image's, a policy with bit 17 clear, and a
direct-profile image QEMU would refuse.

usage: test_launch.py RUN_IMAGE QEMU SNPEMU SVSM_IGVM SVSM_MEASURE CFG
                      SVSM_ELF GUEST_ELF
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

(run_image, qemu, snpemu, builder, measure, cfg, svsm_elf,
 guest_elf) = sys.argv[1:9]
results = []


def case(name, ok, why=""):
    results.append((name, ok, why))


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def boot(image, append=""):
    p = subprocess.run([sys.executable, run_image, "--qemu", qemu, snpemu,
                        "--timeout", "90", "--append",
                        ("run=igvm verdict=4 " + append).strip(),
                        "--qemu-arg=-initrd " + image],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=150)
    return p.stdout


def pubkey_digest(pem):
    """SHA-384 of the SNP public-key structure of an EC P-384 key."""
    out = subprocess.run(["openssl", "ec", "-in", pem, "-pubout",
                          "-outform", "DER"], capture_output=True).stdout
    point = out[-97:]  # 0x04 | X | Y at the end of SubjectPublicKeyInfo
    if len(point) != 97 or point[0] != 4:
        return None
    x, y = point[1:49], point[49:97]
    st = bytearray(0x404)
    st[0:4] = (2).to_bytes(4, "little")
    st[4:4 + 72] = x[::-1] + bytes(24)
    st[76:76 + 72] = y[::-1] + bytes(24)
    return hashlib.sha384(bytes(st)).hexdigest()


def build(tmp, name, text):
    path = os.path.join(tmp, name + ".cfg")
    open(path, "w").write(text)
    out = os.path.join(tmp, name + ".igvm")
    r = run(builder, "build", "-c", path, "-o", out,
            "-D", "svsm_elf=" + svsm_elf, "-D", "guest_elf=" + guest_elf)
    return out if r.returncode == 0 else None, r.stderr


def refused(out, pattern):
    return (re.search(pattern, out) is not None and
            "IGVM loaded" not in out)


tmp = tempfile.mkdtemp(prefix="launch-keys-", dir=os.getcwd())
try:
    keys = {}
    for k in ("id", "author"):
        keys[k] = os.path.join(tmp, k + ".pem")
        run("openssl", "ecparam", "-name", "secp384r1", "-genkey",
            "-noout", "-out", keys[k])
    base = open(cfg).read()
    signed_cfg = base + (
        "\n[id_block]\nid_key = %s\nauthor_key = %s\n"
        "family_id = 0102030405060708090a0b0c0d0e0f10\n"
        "image_id = a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\nguest_svn = 3\n"
        % (keys["id"], keys["author"]))
    signed, err = build(tmp, "signed", signed_cfg)
    case("svsm-igvm builds the image with a signed ID block",
         signed is not None, err)
    if signed:
        want = run(measure, "--profile", "kvm", signed).stdout.strip()
        out = boot(signed)
        ld = re.search(r"snpemu: launch digest ([0-9a-f]{96})", out)
        idk = re.search(r"ID block accepted, ID key digest ([0-9a-f]{96}),"
                        r" guest SVN (\d+)", out)
        case("snpemu's digest equals svsm-measure --profile kvm",
             ld is not None and ld.group(1) == want, out[-600:])
        case("snpemu accepts the ID block (ld, policy, ID and author "
             "signatures)", idk is not None and "IGVM loaded" in out,
             out[-600:])
        case("the ID key digest is SHA-384 of the SNP public-key structure",
             idk is not None and idk.group(1) == pubkey_digest(keys["id"]))
        case("the guest SVN is the ID block's",
             idk is not None and idk.group(2) == "3")

        out = boot(signed, "policy=0xB0000")
        case("a launch policy other than the image's is refused",
             refused(out, r"launch refused: the file's GUEST_POLICY "
                     r"0x30000 differs from policy=0xb0000"), out[-400:])

        # A measured page changed after signing: the file data is not
        # covered by the header CRC, so only the launch digest notices.
        data = bytearray(open(signed, "rb").read())
        dump = run(builder, "dump", signed).stdout
        m = re.search(r"PAGE_DATA .* data=(0x[0-9a-f]+)", dump)
        if m:
            data[int(m.group(1), 16) + 0x100] ^= 0xff
        bad = os.path.join(tmp, "tampered.igvm")
        open(bad, "wb").write(bytes(data))
        out = boot(bad)
        case("a page changed after signing: LAUNCH_FINISH refuses "
             "(digest differs from ld)",
             m is not None and refused(
                 out, r"launch refused at LAUNCH_FINISH: ID block digest "
                 r"\(ld\) differs"), out[-400:])

        # The ID block's signature covers ld: patch ld, fix the CRC.
        raw = bytearray(open(signed, "rb").read())
        hdr = re.search(r"^([0-9a-f]+) SNP_ID_BLOCK", dump, re.M)
        if hdr:
            off = int(hdr.group(1), 16) + 8 + 8  # TLV, mask, flags
            raw[off] ^= 1
            hoff, hsize = (int.from_bytes(raw[8:12], "little"),
                           int.from_bytes(raw[12:16], "little"))
            raw[20:24] = bytes(4)
            crc = zlib.crc32(bytes(raw[:24]) + bytes(raw[hoff:hoff + hsize]))
            raw[20:24] = crc.to_bytes(4, "little")
        bad = os.path.join(tmp, "badsig.igvm")
        open(bad, "wb").write(bytes(raw))
        out = boot(bad)
        case("an ID block whose ld was changed fails its signature",
             hdr is not None and refused(
                 out, r"ID block signature does not verify"), out[-400:])

    out = boot(signed or "", "policy=0x10000") if signed else ""
    case("a policy with bit 17 clear is refused at LAUNCH_START",
         refused(out, r"launch refused at LAUNCH_START \(policy 0x10000\)"
                 r": policy bit 17"), out[-400:])

    direct_cfg = base.replace("host_profile    = kvm",
                              "host_profile    = direct")
    direct_cfg = re.sub(r"gpa\s+= 0xFFFFFFFFF000", "gpa = 0x0858F000",
                        direct_cfg)
    direct, err = build(tmp, "direct", direct_cfg)
    out = boot(direct) if direct else ""
    case("a direct-profile image (VMSA at 0x0858F000) is refused as QEMU "
         "would", direct is not None and refused(
             out, r"QEMU would refuse this IGVM file"), err + out[-400:])
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("1..%d" % len(results))
for i, (name, ok, why) in enumerate(results, 1):
    print("%sok %d - %s" % ("" if ok else "not ", i, name))
    if not ok and why:
        print("# " + why.strip().replace("\n", "\n# "))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
