#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SVSM's final page tables, checked on snpemu: W^X, and no guest
memory mapped while it serves calls (the guest's 146 cases then run through
the per-access guest window).

Boots svsm.igvm (the SVSM and the VMPL2 test guest). After building its
final page tables the SVSM walks them (pt_find_wx(), lib/pt.c, unit-tested
in tests/unit/test_pt.c) and panics on any mapping that is writable and
executable once every level's W and NX bits are applied; otherwise it logs
how many mappings it checked. This test fails unless that line is there
with a plausible count, and unless the run ended cleanly. Prints TAP.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_run  # noqa: E402

rc, out = emu_run.boot(emu_run.args())
wx = re.search(r"W\^X: (\d+) mappings checked, none writable and "
               r"executable", out)
checks = [
    ("the SVSM walked its final page tables (W^X)", wx is not None),
    ("it checked the whole image (more than 64 mappings)",
     wx is not None and int(wx.group(1)) > 64),
    ("no W^X panic", re.search(r"W\^X: \d+ of \d+ mappings", out) is None),
    # Before the request loop the SVSM drops guest RAM from its tables
    # and looks up page 0 and the guest's calling area there.
    ("page 0 and guest RAM are unmapped while the SVSM serves calls",
     "guest memory unmapped (page 0 unmapped, guest RAM unmapped)" in out),
    ("the run ended cleanly", rc == 0),
]
sys.exit(emu_run.tap(checks, out))
