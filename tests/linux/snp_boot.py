#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux at VMPL2 on snpemu: the whole boot, milestone by milestone.

Checks, in order, and fails on anything missing or out of order:

  * snpemu's measured launch digest equals svsm-measure's prediction;
  * the SVSM validated guest RAM for VMPL2 and entered startup_64;
  * the kernel proper runs (its banner): the decompressor found the CC
    blob, accepted the secrets page's SVSM fields and had its PVALIDATE
    calls served, the early kernel its REMAP_CA (any failure there is a
    GHCB termination, which fails this test);
  * the e820 map and initrd the SVSM wrote are what Linux sees;
  * /init runs and its checks pass inside the guest: SNP active, VMPL2
    with the SVSM detected, sev-guest, a shared-memory round trip, the
    tpm_svsm driver bound to the SVSM's vTPM and /dev/tpm0 answering
    tpm2-tools (guest/initramfs/checks.sh);
  * /init powers off through ACPI (S5: the FADT's PM1a_CNT, which snpemu
    models and ends on with its clean status; docs/linux-boot.md §5), and
    snpemu counted VMPL switches (SVSM calls) on the way.

It fails on a GHCB termination, any other machine stop, a panic, a
failed guest check, or the timeout. TAP on stdout.

With --verify, the guest's requests for fresh data are answered on its
COM2 (QEMU's stdin: the mux chardev gives input to COM2) and what it hands
out is checked on the host (tests/linux/host_link.py): more TAP lines, and
figures as comments. The files are left in --out.

With --vcpus N (QEMU -smp N) the digest is predicted for N vCPUs, the
SVSM's contexts on vCPUs 1..N-1 must each serve a guest AP, and the par
check's N reports are verified on the host (host_link.par_checks).

usage: snp_boot.py --measure SVSM_MEASURE IMAGE
                   (--checks a,b,c | --checks-from-image)
                   [--verify SVSM_VERIFY --ark ARK_PEM --out DIR]
                   [--vcpus N] [--timeout S] -- QEMU...
"""
import argparse
import re
import selectors
import subprocess
import sys
import time

import host_link

BOOT = [
    ("launch digest measured by snpemu's PSP equals the prediction",
     r"snpemu: launch digest ([0-9a-f]{96})"),
    ("SVSM validated guest RAM for VMPL2",
     r"linux: \d+ 2 MiB \+ \d+ 4 KiB pages validated and zeroed"),
    ("SVSM entered startup_64 at VMPL2", r"guest: linux64 entry"),
    ("kernel proper runs at VMPL2 (SNP early boot served)",
     r"Linux version \S+"),
    # igvm-linux.cfg: the boot area at 1 MiB (its entry part, then the
    # host's ACPI tables), then the secrets, CPUID and calling-area pages.
    ("e820 shows the SVSM's boot area reserved",
     r"BIOS-e820: \[mem 0x0000000000100000-0x0000000000107fff\]\s+"
     r"device reserved"),
    ("e820 shows the host's ACPI tables (SVSM loaded them from fw_cfg)",
     r"BIOS-e820: \[mem 0x0000000000108000-0x0000000000147fff\]\s+"
     r"ACPI data"),
    ("e820 shows the secrets, CPUID and calling-area pages reserved",
     r"BIOS-e820: \[mem 0x0000000000148000-0x000000000014afff\]\s+"
     r"device reserved"),
    ("e820 leaves the SVSM region out",
     r"BIOS-e820: \[gap 0x0000000008000000-0x00000000087fffff\]"),
    ("initrd where the image put it", r"RAMDISK: \[mem 0x05000000-"),
    ("allocator runs on the validated RAM", r"Dentry cache hash table"),
    ("/init reached", r"svsm-init: reached /init"),
]
# Between BOOT and END: one milestone per guest check (--checks, CHECKS).
END = [
    ("/init powers off", r"svsm-init: powering off"),
    ("ACPI S5 power-off, snpemu's clean end",
     r"snpemu: VMPL2 powered off through ACPI \(S5"),
    ("snpemu counted SVSM calls", r"snpemu: after \d+ exits, ([1-9]\d*) VMPL"),
]
# What each guest check proves (guest/initramfs/checks.sh).
CHECKS = {
    "init": "userspace runs on the svsm kernel",
    "mounts": "pseudo file systems mounted",
    "modules": "the kernel's own modules loaded",
    "klog": "dmesg without warnings or call traces",
    "acpi": "the host's ACPI tables: MADT, FADT, DSDT; the MADT's CPUs "
            "are Linux's possible CPUs",
    "tsm": "configfs-tsm present",
    "snp": "SNP active",
    "vmpl2": "VMPL2, SVSM detected",
    "sev_guest": "sev-guest",
    "shared_rt": "shared-memory round trip",
    "tpm_svsm": "tpm_svsm bound to the SVSM's vTPM (protocol 2)",
    "tpm": "/dev/tpm0 answers TPM2_GetRandom",
    "tpm2tools": "tpm2-tools run",
    "attest_svsm": "configfs-tsm report from the SVSM over the host's "
                   "nonce, with manifest and certificates",
    "tpm_pcr": "tpm2_pcrread, pcrextend, the expected value read back",
    "tpm_primary": "tpm2_createprimary RSA and ECC",
    "tpm_ek": "tpm2_createek (RSA) and readpublic",
    "attest_vtpm": "configfs-tsm report of the vTPM service "
                   "(ATTEST_SINGLE_SERVICE) over the host's nonce",
    "tpm_quote": "AK under the EK, tpm2_quote over the host's nonce",
    "ima": "IMA found the TPM (boot_aggregate) and its list replays to "
           "PCR 10",
    "bench": "attestation and TPM figures taken",
    "nproc": "all vCPUs online (nproc = svsm.cpus), each AP started "
             "through the SVSM",
    "par": "configfs-tsm reports and vTPM commands from one process per "
           "vCPU at once, every TPM answer correct",
}
# printk's "[    1.234567] " prefix: /init's lines may come through the
# kernel log.
KTIME = re.compile(r"^\[\s*\d+\.\d+\] ")
# src/smp.c: an AP's SVSM context takes the guest VMSA Linux created for it.
SERVED = re.compile(r"smp: CPU (\d+) serves the guest VMSA at [0-9a-f]+")
# The SVSM's COM1 and Linux's COM2 share QEMU's stdio: with several vCPUs
# a whole SVSM line (printed at once under its console lock) can land in
# the middle of a Linux line. Such a line is taken out and the Linux
# line's two halves joined again.
SVSM_LINE = re.compile(rb"(lock-stat: |smp: CPU \d+ )")
BAD = re.compile(r"snpemu: VM stopped|terminated \(reason|Kernel panic|"
                 r"PANIC|BUG: |Oops|^not ok \d+ - ")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--measure", nargs=2, required=True,
                   metavar=("SVSM_MEASURE", "IMAGE"))
    p.add_argument("--checks")
    p.add_argument("--checks-from-image", action="store_true",
                   help="the svsm.checks= list of the image's (measured) "
                   "kernel command line")
    p.add_argument("--verify")
    p.add_argument("--ark")
    p.add_argument("--out", default="snp-boot-out")
    p.add_argument("--timeout", type=float, default=240)
    p.add_argument("--vcpus", type=int, default=1,
                   help="QEMU -smp: KVM measures one VMSA per vCPU, and "
                   "the SVSM context of every AP must serve a guest AP")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if a.checks_from_image:
        m = re.search(rb"svsm\.checks=([a-z0-9_,]+)",
                      open(a.measure[1], "rb").read())
        a.checks = m.group(1).decode() if m else ""
    checks = [c for c in (a.checks or "").split(",") if c]
    MILESTONES = BOOT + [("guest check: " + CHECKS.get(c, c),
                          r"^ok \d+ - %s$" % re.escape(c))
                         for c in checks] + END
    link = host_link.HostLink()
    predicted = subprocess.run([a.measure[0], "--profile", "kvm",
                                "--vcpus", str(a.vcpus), a.measure[1]],
                               capture_output=True,
                               text=True, check=True).stdout.strip()
    start = time.monotonic()
    q = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(q.stdout, selectors.EVENT_READ)
    got, bad, nxt, buf, when = {}, None, 0, b"", {}
    head = b""  # a Linux line's start an SVSM line cut off
    served = set()  # vCPUs whose SVSM context took a guest VMSA
    while nxt < len(MILESTONES) and bad is None:
        left = a.timeout - (time.monotonic() - start)
        if left <= 0 or not sel.select(timeout=left):
            break
        chunk = q.stdout.read1(65536)
        if not chunk:
            break
        buf += chunk
        *parts, buf = buf.split(b"\n")
        lines = []
        for raw in parts:
            raw = head + raw
            head = b""
            m = SVSM_LINE.search(raw)
            if m and m.start() > 0:
                head = raw[:m.start()]
                raw = raw[m.start():]
            lines.append(raw)
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            print("# " + line, flush=True)
            answer = link.feed(line)
            if answer and a.verify:
                try:
                    q.stdin.write(answer.encode())
                    q.stdin.flush()
                except OSError:
                    pass
            line = KTIME.sub("", line)
            m = SERVED.search(line)
            if m:
                served.add(int(m.group(1)))
            if BAD.search(line):
                bad = line
                break
            for i in range(nxt, len(MILESTONES)):
                m = re.search(MILESTONES[i][1], line)
                if m:
                    got[i] = m
                    when[i] = time.monotonic() - start
                    nxt = i + 1
                    break
    q.kill()
    q.wait()
    host = []
    if a.vcpus > 1:
        want = set(range(1, a.vcpus))
        host.append(("the SVSM contexts of vCPUs 1-%d each serve a guest AP"
                     % (a.vcpus - 1), served == want,
                     "served: %s" % sorted(served)))
    if a.verify and "attest_svsm" in checks:
        host += host_link.host_checks(link, a.out, a.verify, a.ark,
                                      a.measure[1])
    if a.verify and "par" in checks:
        host += host_link.par_checks(link, a.out, a.verify, a.ark,
                                     a.measure[1], a.vcpus, a.vcpus)
    print(f"1..{len(MILESTONES) + 1 + len(host)}")
    ok_all = True
    for i, (name, _) in enumerate(MILESTONES):
        ok = i in got
        if i == 0 and ok:
            ok = got[0].group(1) == predicted
        ok_all &= ok
        extra = f" # {when[i]:.1f} s" if i in when else ""
        print(f"{'ok' if ok else 'not ok'} {i + 1} - {name}{extra}")
    clean = bad is None
    ok_all &= clean
    print(f"{'ok' if clean else 'not ok'} {len(MILESTONES) + 1} - "
          f"no termination, machine stop or panic"
          + ("" if clean else f" # {bad}"))
    for j, (name, ok, why) in enumerate(host, len(MILESTONES) + 2):
        ok_all &= ok
        print(f"{'ok' if ok else 'not ok'} {j} - {name}"
              + (f" # {why}" if why and not ok else ""))
    names = [n for n, _ in MILESTONES]
    for name, what in (("kernel proper runs", "the kernel banner"),
                       ("/init reached", "/init"),
                       ("/init powers off", "/init's power-off")):
        i = next(k for k, n in enumerate(names) if n.startswith(name))
        if i in when:
            print(f"# figure: QEMU start to {what} {when[i]:.1f} s")
    if len(MILESTONES) - 1 in got:
        print(f"# figure: VMPL switches {got[len(MILESTONES) - 1].group(1)}")
    if a.verify:
        for f in host_link.bench_figures(link):
            print("# figure: " + f)
        print(f"# host files in {a.out}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
