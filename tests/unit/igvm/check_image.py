#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The repo's svsm.igvm against its layout map (TAP): every region, area,
required range and the VMSA of the map appear in `svsm-igvm dump` as the
config describes them; the map's digest is what svsm-measure predicts;
measuring and rebuilding are deterministic.

usage: check_image.py SVSM_IGVM SVSM_MEASURE IMAGE MAP CFG SVSM_ELF GUEST_ELF
                      TINY_IGVM
"""
import os
import re
import subprocess
import sys
import tempfile

tool, measure, image, map_path, cfg, svsm_elf, guest_elf, tiny = sys.argv[1:9]
results = []


def case(name, ok, why=""):
    results.append((name, ok, why))


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


dump = run(tool, "dump", image)
case("dump accepts the image", dump.returncode == 0, dump.stderr.strip())
lines = dump.stdout.splitlines()


def headers(kind):
    out = []
    for line in lines:
        f = line.split()
        if len(f) >= 2 and f[1] == kind:
            out.append(dict(kv.split("=", 1) for kv in f[2:] if "=" in kv))
    return out


pages = {int(h["gpa"], 16): h for h in headers("PAGE_DATA")}
maplines = [l.split() for l in open(map_path) if not l.startswith("#")]
want_type = {"secrets": "SECRETS", "cpuid": "CPUID_DATA"}
page_total = 0
for f in maplines:
    if f[0] != "region":
        continue
    name, gpa, size, kind = f[1], int(f[2], 16), int(f[3], 16), f[4]
    if kind == "pool":
        inside = [g for g in pages if gpa <= g < gpa + size]
        case("pool %s has no pages" % name, not inside, str(inside[:3]))
        continue
    page_total += size // 4096
    missing = [hex(g) for g in range(gpa, gpa + size, 4096)
               if g not in pages or
               pages[g]["type"] != want_type.get(kind, "NORMAL")]
    case("region %s: %d pages at 0x%x as %s" %
         (name, size // 4096, gpa, want_type.get(kind, "NORMAL")),
         not missing, "missing/wrong: " + ",".join(missing[:4]))
case("PAGE_DATA count equals the map's pages", len(pages) == page_total,
     "%d != %d" % (len(pages), page_total))

inserts = {int(h["gpa"], 16): h for h in headers("PARAMETER_INSERT")}
for f in (f for f in maplines if f[0] == "param"):
    idx = f[4].split("=")[1]
    ok = int(f[2], 16) in inserts and inserts[int(f[2], 16)]["index"] == idx
    case("param %s inserted at %s" % (f[1], f[2]), ok)
kinds = [l.split()[1] for l in lines[1:] if not l.startswith(" ")]
first_page = kinds.index("PAGE_DATA") if "PAGE_DATA" in kinds else 0
case("every PARAMETER_INSERT precedes every PAGE_DATA (docs/abi.md §12 2.3)",
     "PARAMETER_INSERT" not in kinds[first_page:])

required = {(int(h["gpa"], 16), int(h["size"], 16))
            for h in headers("REQUIRED_MEMORY")}
for f in (f for f in maplines if f[0] == "memory"):
    want = (int(f[2], 16), int(f[3], 16))
    case("memory %s %srequired" % (f[1], "" if "required" in f else "not "),
         (want in required) == ("required" in f))

vm = [f for f in maplines if f[0] == "vmsa"][0]
vp = headers("VP_CONTEXT")
rip = re.search(r"rip=(0x[0-9a-f]+)", dump.stdout)
case("one VP_CONTEXT at the map's VMSA GPA, VMPL0, map's RIP",
     len(vp) == 1 and int(vp[0]["gpa"], 16) == int(vm[2], 16) and
     "vmpl=0 " in dump.stdout and rip and rip.group(1) == vm[4][4:],
     str(vp))
pol = [f for f in maplines if f[0] == "image"][0][1]
case("GUEST_POLICY matches", headers("GUEST_POLICY")[0]["policy"] ==
     pol.split("=")[1])

dig = [f for f in maplines if f[0] == "digest"][0]
m1 = run(measure, "--profile", dig[1], image)
m2 = run(measure, "--profile", dig[1], image)
case("svsm-measure --profile %s equals the map's digest" % dig[1],
     m1.returncode == 0 and m1.stdout.strip() == dig[2],
     m1.stdout.strip() + m1.stderr)
case("svsm-measure is deterministic", m1.stdout == m2.stdout)
v = run(measure, "--profile", dig[1], "-v", image)
vl = v.stdout.splitlines()
case("svsm-measure -v: one line per measured page, then the digest",
     v.returncode == 0 and vl[-1] == dig[2] and len(vl) - 1 ==
     page_total + 1 + sum(int(f[3], 16) // 4096
                          for f in maplines if f[0] == "param"))

with tempfile.TemporaryDirectory() as tmp:
    outs = []
    for i in range(2):
        out = os.path.join(tmp, "x%d.igvm" % i)
        r = run(tool, "build", "-c", cfg, "-o", out,
                "-D", "svsm_elf=" + svsm_elf, "-D", "guest_elf=" + guest_elf)
        outs.append(open(out, "rb").read() if r.returncode == 0 else b"")
    case("rebuilding gives identical bytes",
         outs[0] and outs[0] == outs[1] == open(image, "rb").read())

# The CLI reproduces the docs/abi.md §12 3.7 vector for the 1.7 file, and wants an
# explicit profile.
TINY_LD = ("7ce46c880b9289ca8f41024457a2293e58445026d91e7e1896a846a8587124"
           "2811ed79c7597198c96432326b4afe030a")
r = run(measure, "--profile", "kvm", tiny)
case("svsm-measure --profile kvm on the 1.7 file gives the 3.7 vector",
     r.stdout.strip() == TINY_LD, r.stdout + r.stderr)
r = run(measure, image)
case("svsm-measure without --profile is a usage error",
     r.returncode == 2 and not r.stdout)
case("the image is built for QEMU/KVM (map digest profile kvm)",
     dig[1] == "kvm", dig[1])
r = run(measure, "--profile", "direct", image)
# Inserts first and the VMSA last at 0xFFFFFFFFF000: file order and QEMU's
# issue order coincide, so the direct model gives the same digest.
case("svsm-measure --profile direct agrees on this image (file order = "
     "QEMU order)", r.returncode == 0 and r.stdout.strip() == dig[2],
     r.stdout + r.stderr)
r = run(measure, "--help")
case("svsm-measure --help prints the profiles and exits 0",
     r.returncode == 0 and "--profile kvm" in r.stdout and
     not r.stderr, r.stderr)
r = run(measure, "--profile", "bogus", image)
case("svsm-measure with a bad profile is a usage error, without a leak "
     "report", r.returncode == 2 and "LeakSanitizer" not in r.stderr,
     r.stderr)

# The dump tool refuses damaged copies with a message and status 1.
data = open(image, "rb").read()
with tempfile.TemporaryDirectory() as tmp:
    for label, blob, msg in (
            ("truncated", data[:-1], "total_file_size"),
            ("bad CRC", data[:40] + bytes([data[40] ^ 1]) + data[41:],
             "checksum"),
            ("empty", b"", "shorter than the fixed header")):
        bad = os.path.join(tmp, "bad.igvm")
        open(bad, "wb").write(blob)
        r = run(tool, "dump", bad)
        case("dump refuses a %s image" % label,
             r.returncode == 1 and msg in r.stderr and not r.stdout,
             r.stderr.strip())

print("1..%d" % len(results))
for i, (name, ok, why) in enumerate(results, 1):
    print("%sok %d - %s" % ("" if ok else "not ", i, name))
    if not ok and why:
        print("# " + why)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
