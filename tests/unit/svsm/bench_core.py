#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per SVSM call, measured with callgrind on the hosted core
(bench_core.c against the fake platform). Prints figures; judges nothing.

Usage: bench_core.py BENCH [SVSM_ELF]

The full path is what the SVSM runs from the instruction after its
RUN_VMPL VMGEXIT returns to the next VMGEXIT:
  - request_loop_step() (src/request_step.c, the image's own code, with the
    MSR reads/writes and the per-CPU GHCB GPA stubbed in bench_core.c), by
    inclusive Ir under callgrind;
  - the 4 KiB VMSA copy is the image's `rep movsb`: one instruction, which
    callgrind counts once per byte (VEX re-executes it per iteration), so
    4096 - 1 Ir per copy are taken off;
  - plus the request loop's own instructions around the call (argument
    moves, call, test, branch back to VMGEXIT), counted in SVSM_ELF's
    request_loop; without SVSM_ELF they are left out and said so.

  per null call           = full path / calls (QUERY_PROTOCOL)
  per PVALIDATE entry net = (full path - what stands for the instruction
                            and the zeroing: plat_pvalidate, plat_rmpadjust,
                            plat_tlb_flush_all, guest_mem_zero) / entries;
                            also core_pvalidate alone (the handler).
"""
import re
import shutil
import subprocess
import sys
import tempfile

bench = sys.argv[1]
elf = sys.argv[2] if len(sys.argv) > 2 else None
valgrind = shutil.which("valgrind") or "valgrind"
annotate = shutil.which("callgrind_annotate") or "callgrind_annotate"
N_QUERY = 2000
N_PV = 4
CALLS_PV = 2 * N_PV
ENTRIES = 510 * CALLS_PV
VMSA_BYTES = 4096
REP_EXTRA = VMSA_BYTES - 1  # callgrind Ir beyond the one instruction


def inclusive(mode, n):
    with tempfile.NamedTemporaryFile(suffix=".cg") as out:
        subprocess.run([valgrind, "--tool=callgrind",
                        "--callgrind-out-file=" + out.name, bench, mode,
                        str(n)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        text = subprocess.run([annotate, "--inclusive=yes",
                               "--threshold=100", out.name], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+\S*:(\w+)", line)
        if m:
            # The first (function summary) line wins; later lines of the
            # same name come from the per-file annotation.
            costs.setdefault(m.group(2), int(m.group(1).replace(",", "")))
    return costs


def loop_glue(path):
    """Instructions of request_loop after its VMGEXIT up to the branch back
    to it, request_loop_step() itself excluded (callgrind has it)."""
    objdump = shutil.which("objdump")
    if path is None or objdump is None:
        return None
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", path],
                          check=True, stdout=subprocess.PIPE,
                          text=True).stdout
    body = re.search(r"<request_loop>:\n(.*?)\n\n", text, re.S)
    if body is None:
        return None
    insns = [l.split("\t")[1:] for l in body.group(1).splitlines()
             if "\t" in l]
    addrs = [l.split(":")[0].strip() for l in body.group(1).splitlines()
             if "\t" in l]
    at = next((i for i, x in enumerate(insns) if x[0].startswith("vmgexit")),
              None)
    if at is None:
        return None
    target = addrs[at]
    for i in range(at + 1, len(insns)):
        if re.match(r"j\w*\s+%s\b" % target, insns[i][0]):
            return i - at
    return None


glue = loop_glue(elf)
glue_n = glue or 0
q = inclusive("query", N_QUERY)
step = q.get("request_loop_step", 0)
copy = q.get("loop_vmsa_copy", 0)
full = (step - REP_EXTRA * N_QUERY) / N_QUERY + glue_n
print("null call (QUERY_PROTOCOL), VMGEXIT to VMGEXIT: %.0f instructions"
      % full)
print("  request_loop_step, callgrind Ir: %.0f (4 KiB VMSA copy: %.0f of "
      "them, rep movsb counted once per byte)" % (step / N_QUERY,
                                                  copy / N_QUERY))
print("  rep movsb as the one instruction it is: -%d" % REP_EXTRA)
if glue is None:
    print("  request loop around the step: not counted (no svsm.elf)")
else:
    print("  request loop around the step (svsm.elf): +%d" % glue)
print("  of which svsm_request_process (CAA, snapshot, dispatch, "
      "write-back): %.0f" % (q.get("svsm_request_process", 0) / N_QUERY))
print("  of which svsm_dispatch: %.0f"
      % (q.get("svsm_dispatch", 0) / N_QUERY))
print("  loop path without svsm_request_process: %.0f"
      % (full - q.get("svsm_request_process", 0) / N_QUERY))
p = inclusive("pvalidate", N_PV)
hw = sum(p.get(f, 0) for f in ("plat_pvalidate", "plat_rmpadjust",
                                "plat_tlb_flush_all", "guest_mem_zero"))
p_full = p.get("request_loop_step", 0) - REP_EXTRA * CALLS_PV \
    + glue_n * CALLS_PV
handler = p.get("core_pvalidate", 0)
print("PVALIDATE 4K entry (510 per call), VMGEXIT to VMGEXIT, total "
      "(fake insn + zeroing included): %.0f" % (p_full / ENTRIES))
print("PVALIDATE 4K entry, VMGEXIT to VMGEXIT, net of instruction and "
      "zeroing: %.0f" % ((p_full - hw) / ENTRIES))
print("  of which core_pvalidate net: %.0f" % ((handler - hw) / ENTRIES))
if step == 0 or copy == 0 or handler == 0:
    sys.exit("could not parse callgrind output")
