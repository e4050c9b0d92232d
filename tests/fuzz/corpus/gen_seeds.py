#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hand-made seeds of the svsm-lists, svsm-vmsa, svsm-attest and
ghcb fuzzers (their input formats: the header comment of each fuzz_*.c) into
tests/fuzz/corpus/. Run once when a format changes; the files are kept in
the tree with what the campaigns added."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
FREE, SCRATCH, UNVAL = 0x10000, 0x200000, 0x400000


def put(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(data))


def pv_list(entries, nxt=0, count=None):
    h = struct.pack("<HHI", len(entries) if count is None else count, nxt, 0)
    return h + b"".join(struct.pack("<Q", e) for e in entries)


def list_call(flags, off, lst):
    return bytes([flags, off]) + struct.pack("<H", len(lst)) + lst


# svsm-lists: cfg, backing, then calls (flags: bits 1:0 call 0 PVALIDATE
# 1 DEPOSIT 2 WITHDRAW; bits 3:2 scratch page; off byte 1 = 8 bytes in).
val = [FREE + 0x1000 * i | 4 for i in range(8)]
put("svsm-lists", "pvalidate-8", [0, 0] + list(list_call(0, 1, pv_list(val))))
put("svsm-lists", "pvalidate-rescind", [0, 0] + list(
    list_call(0, 1, pv_list([e & ~4 for e in val])) +
    list_call(4, 1, pv_list(val))))
put("svsm-lists", "pvalidate-2m", [0, 0xff] + list(
    list_call(0, 1, pv_list([UNVAL | 5, UNVAL | 4]))))
put("svsm-lists", "deposit-withdraw", [8, 0] + list(
    list_call(1, 1, pv_list([UNVAL + 0x1000 * i for i in range(4)])) +
    list_call(2, 2, pv_list([0] * 6, count=6))))
put("svsm-lists", "pvalidate-partial", [1, 0] + list(
    list_call(0, 1, pv_list(val, nxt=3))))

# svsm-vmsa: cfg, backing, flags, apic, VMSA page sel, CAA page sel, VMSA.
def vmsa(vmpl=2, efer=0x1000, feat=1):
    v = bytearray(0x400)
    v[0xca] = vmpl
    struct.pack_into("<Q", v, 0xd0, efer)
    struct.pack_into("<Q", v, 0x3b0, feat)
    return bytes(v)


put("svsm-vmsa", "create-ap", [5, 0, 0, 1, 6 | 8 * 4, 6 | 8 * 5] +
    list(vmsa()))
put("svsm-vmsa", "create-delete", [5, 0, 0x10, 1, 6 | 8 * 4, 6 | 8 * 5] +
    list(vmsa()))
put("svsm-vmsa", "create-twice", [5, 0, 0x20, 1, 6 | 8 * 4, 6 | 8 * 5] +
    list(vmsa()) + [6 | 8 * 6])
put("svsm-vmsa", "create-2m-aligned", [5, 0xff, 0, 1, 2, 6 | 8 * 5] +
    list(vmsa()))
put("svsm-vmsa", "toctou-vmpl", [5, 0, 0x40, 1, 6 | 8 * 4, 6 | 8 * 5] +
    list(vmsa()))
put("svsm-vmsa", "features", [5, 0, 0, 1, 6 | 8 * 4, 6 | 8 * 5] +
    list(vmsa(feat=0x81)))


# svsm-attest: cfg, backing, flags (bit 0 SINGLE_SERVICE), raw, request
# offset (u16), the 0x58-byte request, the nonce.
def attest_req(rep=0x1000, rsz=0x1000, nonce=0x2000, man=0x3000, msz=0x1000,
               certs=0x4000, csz=0x1000):
    r = struct.pack("<QIIQH6xQIIQII", rep, rsz, 0, nonce, 64, man, msz, 0,
                    certs, csz, 0)
    return r + bytes(16) + struct.pack("<II", 0, 0)


nonce = bytes(range(64))
put("svsm-attest", "services", [0, 0, 0, 0, 0, 0] + list(attest_req()) +
    list(nonce))
put("svsm-attest", "services-no-certs", [0, 0, 0, 0, 0, 0] +
    list(attest_req(certs=0, csz=0)) + list(nonce))
put("svsm-attest", "services-small", [0, 0, 0, 0, 0, 0] +
    list(attest_req(rsz=0x100, msz=0)) + list(nonce))
put("svsm-attest", "single", [0, 0, 1, 0, 0, 0] + list(attest_req()) +
    list(nonce))
put("svsm-attest", "psp-busy", [0, 0, 0x80 | 0x20, 0, 0, 0] +
    list(attest_req()) + list(nonce))


# ghcb: cfg (bit 0: VMPL2 runs), then VMGEXITs. MSR: 1, code index, u64
# data. NAE: 0, exit index, vsel, info1, info2 (u64, or a page when vsel
# bit 7/6), scratch slot, RAX, RBX (u8), RCX, RDX, entry count, entries.
def q(v):
    return struct.pack("<Q", v)


def msr(idx, data=0):
    return bytes([1, idx]) + q(data)


def page(gfn):
    return bytes([0]) + struct.pack("<H", gfn)


def nae(idx, info1=0, info2=0, rax=0, rbx=0, rcx=0, rdx=0, entries=(),
        vsel=0):
    a = q(info1) if not vsel & 0x80 else page(info1)
    b = q(info2) if not vsel & 0x40 else page(info2)
    return (bytes([0, idx, vsel]) + a + b + bytes([0]) + q(rax) +
            bytes([rbx]) + q(rcx) + q(rdx) + bytes([len(entries)]) +
            b"".join(q(e) for e in entries))


def psc_entry(gfn, op, big=False):
    return gfn << 12 | op << 52 | (1 << 56 if big else 0)


put("ghcb", "msr-all", [0] + list(msr(0) + msr(1, 1 << 20) + msr(2, 0x20) +
                                 msr(3, 0x300) + msr(5)))
put("ghcb", "msr-run-vmpl", [0] + list(msr(4, 2) + msr(4, 0)))
put("ghcb", "msr-term", [0] + list(msr(6, 0x10)))
put("ghcb", "nae-cpuid", [0] + list(nae(0, rax=1) + nae(0, rax=0x8000001f)))
put("ghcb", "nae-ioio", [2] + list(nae(1, info1=0x3f8 << 16 | 0x10, rax=0x41)
                                   + nae(1, info1=0x2f8 << 16 | 0x15)))
put("ghcb", "nae-msr", [0] + list(nae(2, rcx=0x10) + nae(2, info1=1,
                                  rcx=0x277, rax=6)))
put("ghcb", "nae-mmio", [0] + list(nae(3, info1=0xfee00000, info2=4) +
                                   nae(4, info1=0xfec00000, info2=8)))
put("ghcb", "nae-psc", [0] + list(nae(5, entries=(
    1 << 16, psc_entry(0x300, 1), psc_entry(0x301, 2)))))
put("ghcb", "nae-psc-2m", [0] + list(nae(5, entries=(
    0, psc_entry(0x200, 1, True)))))
put("ghcb", "nae-ap-create", [0] + list(nae(6, info1=2 << 16 | 1,
                                        info2=0x112000, rax=1)))
put("ghcb", "nae-run-vmpl", [0] + list(nae(7, info1=2)))
put("ghcb", "nae-misc", [1] + list(nae(8) + nae(9, rax=0x400) + nae(10) +
                                   nae(11) + nae(12) + nae(13)))
put("ghcb", "nae-guest-request", [0] + list(nae(15, info1=0x30, info2=0x31,
                                            vsel=0xc0)))
put("ghcb", "nae-ext-request", [0] + list(nae(16, info1=0x30, info2=0x31,
                                          rax=0x32000, rbx=4,
                                          vsel=0xc0)))
put("ghcb", "nae-ext-request-small", [0] + list(nae(
    16, info1=0x30, info2=0x31, rax=0x32000, rbx=1, vsel=0xc0)))


# acpi-loader: u16 script length, u16 RSDP length, script, RSDP, tables
# (fuzz_acpi_loader.c). A q35-like set as the unit test builds it: RSDP
# revision 0 -> RSDT -> FACP (FACS, DSDT) and APIC; then an XSDT variant.
def acpi_cmd(c, *fields):
    b = struct.pack("<I", c)
    for f in fields:
        b += f.encode().ljust(56, b"\0") if isinstance(f, str) else f
    return b.ljust(128, b"\0")


def acpi_set(xsdt=False):
    R, T = "etc/acpi/rsdp", "etc/acpi/tables"
    facs, dsdt, facp, apic, sdt = 0, 64, 128, 384, 448
    w = 8 if xsdt else 4
    t = bytearray(sdt + 36 + 2 * w)
    t[facs:facs + 8] = b"FACS" + struct.pack("<I", 64)
    t[dsdt:dsdt + 8] = b"DSDT" + struct.pack("<I", 40)
    t[facp:facp + 8] = b"FACP" + struct.pack("<I", 244)
    t[facp + 36:facp + 44] = struct.pack("<II", facs, dsdt)
    t[apic:apic + 8] = b"APIC" + struct.pack("<I", 44)
    t[sdt:sdt + 8] = (b"XSDT" if xsdt else b"RSDT") + struct.pack(
        "<I", 36 + 2 * w)
    t[sdt + 36:sdt + 36 + 2 * w] = struct.pack("<QQ" if xsdt else "<II",
                                               facp, apic)
    if xsdt:
        r = b"RSD PTR " + bytes(7) + b"\2" + struct.pack("<IIQ", 0, 36,
                                                        sdt) + bytes(4)
    else:
        r = b"RSD PTR " + bytes(8) + struct.pack("<I", sdt)

    def ptr(dst, src, off, size):
        return acpi_cmd(2, dst, src, struct.pack("<IB", off, size))

    def csum(f, off, start, n):
        return acpi_cmd(3, f, struct.pack("<III", off, start, n))

    s = (acpi_cmd(1, R, struct.pack("<IB", 16, 2)) +
         acpi_cmd(1, T, struct.pack("<IB", 64, 1)) +
         csum(T, dsdt + 9, dsdt, 40) + ptr(T, T, facp + 36, 4) +
         ptr(T, T, facp + 40, 4) + csum(T, facp + 9, facp, 244) +
         csum(T, apic + 9, apic, 44) + ptr(T, T, sdt + 36, w) +
         ptr(T, T, sdt + 36 + w, w) + csum(T, sdt + 9, sdt, 36 + 2 * w) +
         ptr(R, T, 24 if xsdt else 16, w) + csum(R, 8, 0, 20))
    if xsdt:
        s += csum(R, 32, 0, 36)
    return struct.pack("<HH", len(s), len(r)) + s + r + bytes(t)


put("acpi-loader", "q35-rsdt", acpi_set())
put("acpi-loader", "xsdt", acpi_set(xsdt=True))
