#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per SVSM call, measured with callgrind on the hosted core
(bench_core.c against the fake platform). Prints figures; judges nothing.

  per null call     = inclusive Ir of svsm_request_process / calls
                      (QUERY_PROTOCOL: CAA read+clear, snapshot, dispatch,
                      write-back)
  per PVALIDATE entry (net) = inclusive Ir of core_pvalidate minus what
                      stands for the instructions and the zeroing
                      (plat_pvalidate, plat_rmpadjust, plat_tlb_flush_all,
                      guest_mem_zero), / entries
"""
import re
import subprocess
import sys
import tempfile

bench = sys.argv[1]
valgrind = sys.argv[2] if len(sys.argv) > 2 else "valgrind"
annotate = sys.argv[3] if len(sys.argv) > 3 else "callgrind_annotate"
N_QUERY = 2000
N_PV = 4
ENTRIES = 510 * 2 * N_PV


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
per_call = q.get("svsm_request_process", 0) / N_QUERY
per_dispatch = q.get("svsm_dispatch", 0) / N_QUERY
p = inclusive("pvalidate", N_PV)
total = p.get("core_pvalidate", 0)
hw = sum(p.get(f, 0) for f in ("plat_pvalidate", "plat_rmpadjust",
                                "plat_tlb_flush_all", "guest_mem_zero"))
print("null call (QUERY_PROTOCOL, whole request path): %.0f instructions"
      % per_call)
print("  of which svsm_dispatch: %.0f instructions" % per_dispatch)
print("PVALIDATE 4K entry, total (fake insn + zeroing included): %.0f"
      % (total / ENTRIES))
print("PVALIDATE 4K entry, net of instruction and zeroing: %.0f"
      % ((total - hw) / ENTRIES))
if per_call == 0 or total == 0:
    sys.exit("could not parse callgrind output")
