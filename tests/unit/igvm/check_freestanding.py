#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The freestanding IGVM parser library (built with the image flags) must
import nothing but itself and, at most, the four memory primitives the
freestanding runtime provides. That is what lets snpemu link it (TAP).

usage: check_freestanding.py NM LIBRARY
"""
import subprocess
import sys

nm, lib = sys.argv[1:3]
ALLOWED = {"memcpy", "memset", "memcmp", "memmove"}


def symbols(*flags):
    out = subprocess.run([nm, *flags, lib], capture_output=True, text=True,
                         check=True).stdout
    return {l.split()[-1] for l in out.splitlines()
            if l.strip() and not l.endswith(":")}


undefined = symbols("-u")
defined = symbols("--defined-only", "-g")
foreign = sorted(undefined - defined - ALLOWED)
print("1..2")
print("%sok 1 - parser library imports only itself and mem*%s" %
      ("" if not foreign else "not ", ""))
if foreign:
    print("# imports: " + " ".join(foreign))
api = {"igvm_parse", "igvm_iter_init", "igvm_iter_next", "igvm_measure",
       "igvm_strerror", "igvm_crc32", "igvm_ld_page"}
print("%sok 2 - exports the parser and measurement API" %
      ("" if api <= defined else "not "))
sys.exit(0 if not foreign and api <= defined else 1)
