#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/snp-host against fake hosts: it names every missing piece and
exits 1, and prints the QEMU command and exits 0 only when all is there.
A fake /sys and /dev (SVSM_HOST_ROOT) and a fake QEMU stand in for the
host. TAP on stdout.

usage: test_snp_host.py SCRIPT
"""
import os
import subprocess
import sys
import tempfile

script = sys.argv[1]
results = []


def fake_host(d, snp="Y", sev=True, qemu_ver="10.1.0", objects=True):
    os.makedirs(f"{d}/sys/module/kvm_amd/parameters", exist_ok=True)
    with open(f"{d}/sys/module/kvm_amd/parameters/sev_snp", "w") as f:
        f.write(snp + "\n")
    os.makedirs(f"{d}/dev", exist_ok=True)
    open(f"{d}/dev/kvm", "w").close()
    if sev:
        open(f"{d}/dev/sev", "w").close()
    elif os.path.exists(f"{d}/dev/sev"):
        os.unlink(f"{d}/dev/sev")
    objs = "igvm-cfg\\nsev-snp-guest" if objects else "memory-backend-ram"
    qemu = f"{d}/qemu"
    with open(qemu, "w") as f:
        f.write("#!/bin/sh\n"
                f'[ "$1" = --version ] && echo "QEMU emulator version {qemu_ver}"\n'
                f'[ "$1" = -object ] && printf "{objs}\\n"\n'
                "exit 0\n")
    os.chmod(qemu, 0o755)
    with open(f"{d}/img.igvm", "w") as f:
        f.write("x")
    return qemu


def run(d, qemu):
    env = dict(os.environ, SVSM_HOST_ROOT=d)
    p = subprocess.run([script, "--qemu", qemu, f"{d}/img.igvm"], env=env,
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def case(name, ok, out):
    results.append((name, ok))
    if not ok:
        for line in out.splitlines():
            print("# " + line)


with tempfile.TemporaryDirectory() as d:
    q = fake_host(d)
    rc, out = run(d, q)
    case("ready host: status 0 and the command",
         rc == 0 and "-object sev-snp-guest,id=sev0" in out and
         f"igvm-cfg,id=igvm0,file={d}/img.igvm" in out and
         "MISSING" not in out, out)
    q = fake_host(d, snp="N")
    rc, out = run(d, q)
    case("SNP disabled in kvm_amd is named",
         rc == 1 and "MISSING: SEV-SNP in kvm_amd" in out, out)
    q = fake_host(d, sev=False)
    rc, out = run(d, q)
    case("no /dev/sev is named", rc == 1 and "MISSING: /dev/sev" in out, out)
    q = fake_host(d, qemu_ver="10.0.2")
    rc, out = run(d, q)
    case("QEMU 10.0 is too old", rc == 1 and "MISSING: QEMU >= 10.1" in out,
         out)
    q = fake_host(d, qemu_ver="11.1.3", objects=False)
    rc, out = run(d, q)
    case("QEMU without IGVM is named",
         rc == 1 and "MISSING: IGVM support in QEMU" in out and
         "MISSING: SEV-SNP support in QEMU" in out and
         "QEMU >= 10.1" not in out, out)
with tempfile.TemporaryDirectory() as d:
    os.makedirs(f"{d}/dev")
    open(f"{d}/img.igvm", "w").close()
    rc, out = run(d, "/nonexistent/qemu")
    case("empty host: every piece named",
         rc == 1 and "MISSING: the kvm_amd module" in out and
         "MISSING: /dev/kvm" in out and "MISSING: QEMU (" in out and
         "4 thing(s) missing" in out, out)

print(f"1..{len(results)}")
for i, (name, ok) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
sys.exit(0 if all(ok for _, ok in results) else 1)
