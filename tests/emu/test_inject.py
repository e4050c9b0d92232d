#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Events a hostile host injects into the SVSM (issue 14, finding 1).

Boots svsm.igvm (the SVSM + the VMPL2 test guest) with snpemu's inject=
and ri= words (emu/inject.h) and checks what the SVSM makes of each
injection (src/sev/vc.c; docs/threat-model.md, "Injected events"):

  vc-cpuid@50     #VC(CPUID) at an instruction that is no CPUID (WeSee):
                  terminated with SVSM_TERM_VC_REFUSED (set 3, code 48)
  vc-nested@1     a second #VC at the handler's first instruction: refused
                  (no CPUID there), code 48
  vc-mid@1        a #VC while the handler runs (after an #NPF the host
                  caused in it): refused as nested, code 48
  irq@50          an interrupt the SVSM's IDT does not cover: the SVSM
                  ends the VM (set 3), never continues
  hv@50           #HV: ignored, every guest case passes
  ri=1 irq@50     restricted injection on: the host cannot inject it, the
  ri=1 vc-cpuid@50  SVSM says it runs with it, every guest case passes

Prints TAP.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_run  # noqa: E402

PATHS = emu_run.args()
TERM_RE = re.compile(r"VMPL0 terminated \(reason set (\d+), code (\d+)\)")
VC_REFUSED = 48


def boot(words):
    _, out = emu_run.boot(PATHS, words)
    m = TERM_RE.search(out)
    term = (int(m.group(1)), int(m.group(2))) if m else None
    return out, term, emu_run.clean(out)


def delivered(out, n):
    return ("host injections into the guest: %d delivered" % n) in out


checks = []
out, term, clean = boot("inject=vc-cpuid@50")
checks.append(("#VC(CPUID) at a non-CPUID instruction: VM ended, code 48",
               term == (3, VC_REFUSED) and not clean and
               delivered(out, 1), out))

out, term, clean = boot("inject=vc-nested@1")
checks.append(("nested #VC at the handler's entry: refused, code 48",
               term == (3, VC_REFUSED) and
               "exit code CPUID, but no CPUID at RIP" in out, out))

out, term, clean = boot("inject=vc-mid@1")
checks.append(("#VC inside the #VC handler: refused as nested, code 48",
               term == (3, VC_REFUSED) and
               "nested #VC while another is handled" in out, out))

out, term, clean = boot("inject=irq@50")
checks.append(("interrupt without restricted injection: the SVSM ends "
               "the VM",
               term is not None and term[0] == 3 and not clean and
               delivered(out, 1), out))

out, term, clean = boot("inject=hv@50")
checks.append(("#HV: ignored, every guest case passes",
               clean and delivered(out, 1), out))

out, term, clean = boot("ri=1 inject=irq@50")
checks.append(("restricted injection: the interrupt is refused by the "
               "machine, every guest case passes",
               clean and "restricted injection: on" in out and
               "0 delivered, 1 refused" in out, out))

out, term, clean = boot("ri=1 inject=vc-cpuid@50")
checks.append(("restricted injection: an injected #VC is refused, every "
               "guest case passes",
               clean and "0 delivered, 1 refused" in out, out))

sys.exit(emu_run.tap(checks))
