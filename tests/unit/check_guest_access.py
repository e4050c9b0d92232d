#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Guest memory is reached only through guest_mem and the platform layer
(docs/style.md §3 G2, docs/architecture.md §9).

Scans the SVSM's sources (src/, protocols/) for the ways C code can touch
a physical page directly: an integer turned into a pointer
(`(T *)(uintptr_t)x`), the instructions that take a virtual address
(`snp_pvalidate`, `snp_rmpadjust`), the SVSM's own range helpers
(`mem_pvalidate_range`, `mem_rmpadjust_range`) and the raw guarded copy
(`arch_copy_guarded`). src/mm/guest_mem.c and src/sev/platform_snp.c may
use them freely. Anywhere else each use must be listed below with the
memory it reaches, which must be the SVSM's own (or host boot data read
with the guarded copy); any other use fails. Prints TAP, one line per file.
"""

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
GATEWAY = {"src/mm/guest_mem.c", "src/sev/platform_snp.c"}

# file -> {operand text: why it is not guest memory}
ALLOWED = {
    "src/mm/paging.c": {
        "(pa & ~paging_cbit_mask())": "page-table pages (SVSM pool)",
    },
    "src/mm/mem.c": {
        "heap_pa": "the heap (SVSM pool)",
        "pa": "pool pages being handed out (SVSM pool)",
        "snp_pvalidate": "validating the SVSM's own pool",
        "snp_rmpadjust": "the SVSM's own pool",
        "mem_pvalidate_range": "the SVSM's own pool",
        "mem_rmpadjust_range": "the SVSM's own pool",
    },
    "src/main.c": {
        "boot_params_gpa": "the measured boot-parameter page (SVSM region)",
        "bp->cpuid_gpa": "the PSP-checked CPUID page (SVSM region)",
        "bp->secrets_gpa": "the PSP's secrets page (SVSM region)",
        "pa": "the GHCB page (SVSM pool)",
        "bp->memmap_gpa": "host memory map, read with the guarded copy",
        "(bp->general_gpa +": "host parameter area, guarded copy",
        "arch_copy_guarded": "host-written boot data (parameter areas)",
        "mem_pvalidate_range": "the GHCB page (SVSM pool)",
    },
    "src/launch.c": {
        "vmsa_pa": "the guest's first VMSA, an SVSM pool page",
        "snp_rmpadjust": "making that SVSM pool page a VMSA",
    },
    "src/smp.c": {
        "pa": "an AP's VMPL0 VMSA (SVSM pool page)",
        "snp_rmpadjust": "making that SVSM pool page a VMSA",
    },
    "src/sev/guest_request.c": {
        "pa": "the guest-request channel's pages (SVSM pool, made shared)",
        "mem_pvalidate_range": "rescinding those pool pages before sharing",
    },
    "src/sev/vc.c": {
        "regs->rip": "the SVSM's own code (#VC decodes its instruction)",
    },
}

cast = re.compile(r"\(\s*(?:const\s+)?[\w\s]+\*\s*\)\s*\(\s*uintptr_t\s*\)"
                  r"\s*([\w>.-]+(?:\([^;]*?\))?|\([^;]*?\+)")
calls = re.compile(r"\b(snp_pvalidate|snp_rmpadjust|mem_pvalidate_range|"
                   r"mem_rmpadjust_range|arch_copy_guarded)\s*\(")

files = sorted(p for d in ("src", "protocols")
               for p in (root / d).rglob("*.[ch]"))
print("1..%d" % len(files))
fails = 0
for i, f in enumerate(files, 1):
    rel = str(f.relative_to(root))
    text = f.read_text()
    bad = []
    if rel not in GATEWAY:
        allowed = ALLOWED.get(rel, {})
        for m in cast.finditer(text):
            what = m.group(1).strip()
            if not any(what.startswith(a) for a in allowed):
                line = text.count("\n", 0, m.start()) + 1
                bad.append("%d: pointer made from %s" % (line, what))
        for m in calls.finditer(text):
            # Declarations and definitions are not uses.
            head = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            if re.match(r"\s*(static\s+)?[\w\s]*\b(bool|int|uint32_t|struct "
                        r"snp_pval_result)\s*$", head):
                continue
            if m.group(1) not in allowed:
                line = text.count("\n", 0, m.start()) + 1
                bad.append("%d: %s outside the gateway" % (line, m.group(1)))
    for b in bad:
        print("# %s:%s" % (rel, b))
    print("%s %d - %s" % ("not ok" if bad else "ok", i, rel))
    fails += bool(bad)
sys.exit(1 if fails else 0)
