#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The user-facing tools (issue 15 item 9), installed (TAP): `meson install
--destdir` into a temporary directory puts svsm-igvm, svsm-measure,
svsm-verify and svsm-launch into bin/ and snpemu.elf into share/svsm/; the installed binaries
are built without sanitizers, answer --help, and the installed svsm-measure
gives the digest the build's map predicts for svsm.igvm; svsm-launch prints
the QEMU/KVM command line.

usage: check_install.py MESON BUILD_DIR IMAGE MAP
"""
import os
import subprocess
import sys
import tempfile

meson, build, image, map_path = sys.argv[1:5]
results = []


def case(name, ok, why=""):
    results.append((name, ok, why))


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


with tempfile.TemporaryDirectory() as dest:
    r = run(meson, "install", "-C", build, "--no-rebuild", "--destdir", dest,
            "--quiet")
    case("meson install --destdir succeeds", r.returncode == 0,
         (r.stdout + r.stderr)[-400:])
    bindir = snpemu = None
    for root, _, files in os.walk(dest):
        if "svsm-measure" in files:
            bindir = root
        if "snpemu.elf" in files:
            snpemu = os.path.join(root, "snpemu.elf")
    case("bin/ holds svsm-igvm, svsm-measure, svsm-verify, svsm-launch",
         bindir is not None and all(
             os.access(os.path.join(bindir, t), os.X_OK)
             for t in ("svsm-igvm", "svsm-measure", "svsm-verify",
                       "svsm-launch")),
         str(bindir))
    case("share/svsm/snpemu.elf installed",
         snpemu is not None and snpemu.endswith("share/svsm/snpemu.elf"),
         str(snpemu))
    if bindir is None:
        bindir = dest
    tools = [os.path.join(bindir, t)
             for t in ("svsm-igvm", "svsm-measure", "svsm-verify")]
    for t in tools:
        blob = open(t, "rb").read() if os.path.exists(t) else b"__asan"
        case("%s is built without sanitizers" % os.path.basename(t),
             b"__asan_init" not in blob and b"__ubsan_handle" not in blob)
    for t in tools + [os.path.join(bindir, "svsm-launch")]:
        r = run(t, "--help") if os.path.exists(t) else None
        case("%s --help exits 0 with a usage text" % os.path.basename(t),
             r is not None and r.returncode == 0 and "usage" in
             r.stdout.lower() and not r.stderr,
             r.stderr if r else "missing")
    digest = [l.split()[2] for l in open(map_path)
              if l.startswith("digest")][0]
    r = run(tools[1], "--profile", "kvm", image)
    case("installed svsm-measure --profile kvm equals the map's digest",
         r.returncode == 0 and r.stdout.strip() == digest,
         r.stdout + r.stderr)
    r = run(tools[1], "--profile", "nope", image)
    case("installed svsm-measure: usage error, exit 2, no leak report",
         r.returncode == 2 and "Sanitizer" not in r.stderr, r.stderr)
    r = run(os.path.join(bindir, "svsm-launch"), "qemu", image, "--smp", "2")
    case("svsm-launch qemu prints the QEMU >= 10.1 SNP command line",
         r.returncode == 0 and "igvm-cfg,id=igvm0,file=" in r.stdout and
         "sev-snp-guest,id=sev0" in r.stdout and "-smp" in r.stdout and
         "-bios" not in r.stdout, r.stdout + r.stderr)

print("1..%d" % len(results))
for i, (name, ok, why) in enumerate(results, 1):
    print("%sok %d - %s" % ("" if ok else "not ", i, name))
    if not ok and why:
        print("# " + why.replace("\n", "\n# "))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
