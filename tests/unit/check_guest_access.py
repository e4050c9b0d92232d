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
memory it reaches, which must be the SVSM's own; any other use fails.
Prints TAP, one line per file.

What remains listed, and why it must: the SVSM's own memory managers
(src/mm/mem.c hands out pool pages, shared pages and VMSA pages as
pointers; src/mm/paging.c edits page-table pages), which are where an
SVSM physical address becomes a pointer; the #VC handler (src/sev/vc.c),
which decodes the SVSM's own instruction at RIP; and the one pointer boot
code hands it, the PSP's CPUID page in the SVSM region (src/main.c: the
handler reads it in place, after the guarded copy was checked; snpemu's
inject=vc-mid relies on that read). Otherwise boot code (src/main.c,
src/launch.c, src/linux_boot.c, src/boot/) reads boot data with
plat_boot_read() and reaches guest pages through guest_mem and the
platform like the request path.
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
        "bp->cpuid_gpa": "the PSP's CPUID page in the SVSM region, which "
                         "the #VC handler reads in place",
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
