#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""snp_boot.py can fail: fed recorded transcripts through a stand-in QEMU,
it passes a complete boot and fails a panic, a GHCB termination, a failed
guest check, a digest that differs from the prediction, a missing
milestone and a hang. TAP on stdout.

usage: test_snp_boot_harness.py SNP_BOOT_PY
"""
import os
import subprocess
import sys
import tempfile

HARNESS = sys.argv[1]
DIGEST = "ab" * 48
GOOD = [
    f"snpemu: launch digest {DIGEST}",
    "linux: 0 2 MiB + 57940 4 KiB pages validated and zeroed",
    "guest: linux64 entry 1000200, VMSA 8510000, CAA 10a000, features 1",
    "[    0.000000] Linux version 7.2.13-svsm (svsm@svsm)",
    "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x0000000000107fff]  "
    "device reserved",
    "[    0.000000] BIOS-e820: [mem 0x0000000000108000-0x0000000000147fff]  "
    "ACPI data",
    "[    0.000000] BIOS-e820: [mem 0x0000000000148000-0x000000000014afff]  "
    "device reserved",
    "[    0.000000] BIOS-e820: [gap 0x0000000008000000-0x00000000087fffff]",
    "[    0.000000] RAMDISK: [mem 0x05000000-0x05ffffff]",
    "[    0.000000] Dentry cache hash table entries: 32768",
    "svsm-init: reached /init at uptime 1.69 s",
    "ok 3 - snp",
    "ok 4 - vmpl2",
    "[    3.440167] ok 5 - sev_guest",
    "[    4.092208] ok 6 - shared_rt",
    "[    4.1] ok 7 - tpm_svsm",
    "[    4.2] ok 8 - tpm",
    "[    4.3] ok 9 - tpm2tools",
    "svsm-init: powering off",
    "[    4.4] reboot: Power down",
    "snpemu: VMPL2 powered off through ACPI (S5: PM1a_CNT SLP_TYP 0 + "
    "SLP_EN)",
    "snpemu: after 248888 exits, 1255 VMPL switches",
]


def run(d, lines, digest=DIGEST, hang=False):
    t = os.path.join(d, "transcript")
    with open(t, "w") as f:
        f.write("\n".join(lines) + "\n")
    qemu = os.path.join(d, "qemu")
    with open(qemu, "w") as f:
        f.write(f"#!/bin/sh\ncat {t}\n" + ("exec sleep 30\n" if hang else ""))
    measure = os.path.join(d, "measure")
    with open(measure, "w") as f:
        f.write(f"#!/bin/sh\necho {digest}\n")
    os.chmod(qemu, 0o755)
    os.chmod(measure, 0o755)
    p = subprocess.run([sys.executable, HARNESS, "--timeout", "3",
                        "--measure", measure, "img", "--checks",
                        "snp,vmpl2,sev_guest,shared_rt,tpm_svsm,tpm,tpm2tools",
                        "--", qemu],
                       capture_output=True, text=True)
    return p.returncode


def without(pattern):
    return [x for x in GOOD if pattern not in x]


cases = []
with tempfile.TemporaryDirectory() as d:
    cases.append(("complete boot passes", run(d, GOOD) == 0))
    cases.append(("kernel panic fails", run(d, GOOD[:11] + [
        "[    1.0] Kernel panic - not syncing: VFS"] + GOOD[11:]) != 0))
    cases.append(("GHCB termination fails", run(d, GOOD[:5] + [
        "snpemu: VMPL2 terminated (reason set 0, code 0) after 1 exits"])
        != 0))
    cases.append(("failed guest check fails", run(d, [
        x.replace("ok 4 - vmpl2", "not ok 4 - vmpl2") for x in GOOD]) != 0))
    cases.append(("digest other than predicted fails",
                  run(d, GOOD, digest="cd" * 48) != 0))
    cases.append(("missing milestone fails", run(d, without("RAMDISK")) != 0))
    cases.append(("machine stop before the power-off fails", run(d, GOOD[:11] + [
        "snpemu: VM stopped: VMPL2 RIP 0x1: HLT with RFLAGS.IF=0"]) != 0))
    # The end before ACPI: a halt instead of the S5 power-off no longer
    # counts as clean.
    cases.append(("halt instead of ACPI power-off fails", run(d, GOOD[:-3] + [
        "[    4.4] reboot: Power off not available: System halted instead",
        "snpemu: VM stopped: VMPL2 RIP 0xffffffff81227d3b: HLT with "
        "RFLAGS.IF=0: the vCPU would sleep forever",
        "snpemu: after 248888 exits, 1255 VMPL switches"]) != 0))
    cases.append(("ACPI tables refused fails", run(d, without("ACPI data"))
                  != 0))
    cases.append(("hang fails (timeout)", run(d, GOOD[:11], hang=True) != 0))

print(f"1..{len(cases)}")
for i, (name, ok) in enumerate(cases, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
sys.exit(0 if all(ok for _, ok in cases) else 1)
