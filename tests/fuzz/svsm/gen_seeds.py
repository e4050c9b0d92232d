#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write seed inputs for fuzz-svsm-dispatch into OUTDIR: small guest
programs in the harness's encoding (see fuzz_dispatch.c), each a typical
use of one core call so the fuzzer mutates from working requests.

usage: gen_seeds.py OUTDIR
"""
import os
import struct
import sys

OP_CALL, OP_LIST, OP_VMSA, OP_RAW, OP_HOST = 0, 3, 5, 6, 7
CAA0 = bytes([0x01, 0x00])  # addr_page: vCPU 0's CAA


def page(kind, arg):
    return bytes([kind, arg])


def addr(pg, off8=0):
    """addr_any: a page plus 8 * off8."""
    return pg + bytes([off8])


def reg_addr(pg, off8=0):
    return b"\x00" + addr(pg, off8)


def reg_small(n):
    return bytes([0x80 | n])


def call(call_id, rcx, rdx=reg_small(0), r8=reg_small(0), flags=0):
    return bytes([OP_CALL, flags, 0x00, call_id]) + rcx + rdx + r8


def run_list(at, base, flags, count):
    """A header plus `count` consecutive 4K entries from `base`."""
    return (bytes([OP_LIST]) + at + bytes([0x08, 0x00]) + base +
            bytes([flags]) + struct.pack("<H", count - 1))


SCRATCH = page(0x09, 0)
UNVAL = page(0x04, 0)

seeds = {
    "seed-pvalidate":
        b"\x00\x00" +
        run_list(addr(CAA0, 1), UNVAL, 0x4, 510) +
        call(1, reg_addr(CAA0, 1)) +
        run_list(addr(CAA0, 1), UNVAL, 0x0, 510) +
        call(1, reg_addr(CAA0, 1)),
    "seed-vcpu":
        b"\x01\x00" +
        bytes([OP_VMSA]) + page(0x03, 0x20) + b"\x00" +
        call(2, reg_addr(page(0x03, 0x20)), reg_addr(page(0x03, 0x21)),
             reg_small(1)) +
        call(3, reg_addr(page(0x03, 0x20))),
    "seed-mem":
        b"\x08\x00" +
        run_list(addr(SCRATCH), page(0x03, 0x30), 0x0, 4) +
        call(4, reg_addr(SCRATCH)) +
        bytes([OP_LIST]) + addr(SCRATCH, 0x80) + bytes([0x00, 8]) +
        b"\x00\x03\x00" * 8 +
        call(5, reg_addr(SCRATCH, 0x80)),
    # A failing RMPADJUST in DEPOSIT of a page the SVSM had to validate
    # (regression input for the unzeroed-grant bug fixed in core_mem.c).
    "seed-deposit-fail":
        b"\x00\x00" +
        run_list(addr(SCRATCH), UNVAL, 0x0, 1) +
        bytes([OP_HOST, 0x03]) +
        call(4, reg_addr(SCRATCH)),
    # WITHDRAW with its list inside vCPU 0's VMSA at 0x3b0 (sev_features =
    # 1 reads as entries 1, next 0): regression input for the VMSA write.
    "seed-vmsa-list":
        b"\x08\x00" +
        call(5, reg_addr(page(0x02, 0), 0x76)),
    "seed-remap":
        b"\x00\x00" +
        call(0, reg_addr(page(0x03, 0x10))) +
        call(6, b"\xff" + struct.pack("<Q", 1)) +
        call(7, reg_small(1)),
}


def raw(at, data):
    """Guest bytes (at most 31) at `at`."""
    return bytes([OP_RAW]) + at + bytes([len(data)]) + data


def attest_request(certs_size):
    """An ATTEST_SERVICES request in vCPU 0's CAA at +8 (where Linux puts
    it), buffers in free guest pages, nonce at the scratch page."""
    req = struct.pack("<QII", 0x10000, 4096, 0) + \
        struct.pack("<QH6x", 0x200000, 64) + \
        struct.pack("<QII", 0x11000, 4096, 0) + \
        struct.pack("<QII", 0x12000, certs_size, 0)
    return (raw(addr(CAA0, 1), req[:24]) + raw(addr(CAA0, 4), req[24:48]) +
            raw(addr(CAA0, 7), req[48:]))


def attest_call(call_id):
    # Protocol byte 0xc1: protocol 1 (fuzz_dispatch.c op_call).
    return bytes([OP_CALL, 0x00, 0xc1, call_id]) + reg_addr(CAA0, 1) + \
        reg_small(0) + reg_small(0)


# ATTEST_SERVICES with and without certificates, then SINGLE_SERVICE.
seeds["seed-attest"] = (b"\x00\x00" + attest_request(16384) +
                        attest_call(0) + attest_request(0) + attest_call(0) +
                        attest_call(1))

for name, data in seeds.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)
