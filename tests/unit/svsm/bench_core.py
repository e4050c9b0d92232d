#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per SVSM call, measured with callgrind on the hosted core
(bench_core.c against the fake platform). Prints figures; judges nothing.

Usage: bench_core.py BENCH

What is counted is callgrind's inclusive instruction count (Ir) of
request_loop_once() (src/request_loop.c, the image's own code): one turn of
the request loop, from setting EFER.SVME before RUN_VMPL to the return after
the write-back. The numbers are printed as callgrind reports them, with no
correction. Inside the turn, plat_run_vmpl() is the fake platform's stand-in
for the hypervisor (a few instructions; on hardware it is the MSR exchange
and the VMGEXIT, which are not in these figures), and for PVALIDATE the
fake plat_pvalidate/plat_rmpadjust/plat_tlb_flush_all stand for the
instructions. The `while` around the turn in request_loop() (a test and a
branch) is not counted.

  per null call      = Ir(request_loop_once) / calls   (QUERY_PROTOCOL)
  per PVALIDATE entry = Ir(request_loop_once) / entries (510 4K entries per
                        call); also printed net of what stands for the
                        instruction and the zeroing (plat_pvalidate,
                        plat_rmpadjust, plat_tlb_flush_all, guest_mem_zero).
"""
import re
import shutil
import subprocess
import sys
import tempfile

bench = sys.argv[1]
valgrind = shutil.which("valgrind") or "valgrind"
annotate = shutil.which("callgrind_annotate") or "callgrind_annotate"
N_QUERY = 2000
N_PV = 4
CALLS_PV = 2 * N_PV
ENTRIES = 510 * CALLS_PV


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


q = inclusive("query", N_QUERY)
turn = q.get("request_loop_once", 0)
print("null call (QUERY_PROTOCOL), one request-loop turn, callgrind Ir: "
      "%.0f instructions" % (turn / N_QUERY))
print("  of which plat_run_vmpl (fake hypervisor): %.0f"
      % (q.get("plat_run_vmpl", 0) / N_QUERY))
print("  of which svsm_request_process (CAA, registers, dispatch, "
      "write-back): %.0f" % (q.get("svsm_request_process", 0) / N_QUERY))
print("  of which svsm_dispatch: %.0f"
      % (q.get("svsm_dispatch", 0) / N_QUERY))
p = inclusive("pvalidate", N_PV)
hw = sum(p.get(f, 0) for f in ("plat_pvalidate", "plat_rmpadjust",
                                "plat_tlb_flush_all", "guest_mem_zero"))
p_turn = p.get("request_loop_once", 0)
handler = p.get("core_pvalidate", 0)
print("PVALIDATE 4K entry (510 per call), one turn, callgrind Ir: %.0f "
      "(fake instruction and zeroing included)" % (p_turn / ENTRIES))
print("  net of what stands for the instruction and the zeroing: %.0f"
      % ((p_turn - hw) / ENTRIES))
print("  of which core_pvalidate net: %.0f" % ((handler - hw) / ENTRIES))
if turn == 0 or handler == 0:
    sys.exit("could not parse callgrind output")
