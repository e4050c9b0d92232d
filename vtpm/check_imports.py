#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Exact import checks for the vTPM link (docs/architecture.md §6 "Imports").

archive mode: the undefined symbols of Debian's libtpms.a (undefined in
  some member and defined in none) must equal the checked-in allow-list,
  line for line. A new libtpms-dev pin that imports anything new, or stops
  importing something, fails the build until a human reviews the shim.
object mode: the combined vtpm.o may import exactly the embedder hooks.
Writes the stamp file only on success.
"""
import subprocess
import sys


def symbols(nm, path):
    out = subprocess.run([nm, "--format=posix", path], check=True,
                         capture_output=True, text=True).stdout
    undef, defined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or parts[0].endswith(":") or parts[0].endswith("]:"):
            continue
        name, kind = parts[0], parts[1]
        if kind in ("U", "w", "v"):
            if kind == "U":
                undef.add(name)
        else:
            defined.add(name)
    return undef - defined


def read_list(path):
    with open(path) as f:
        return {l.split("#")[0].strip() for l in f} - {""}


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: check_imports.py archive|object NM FILE ALLOWLIST STAMP")
    mode, nm, path, allow_path, stamp = sys.argv[1:]
    got = symbols(nm, path)
    want = read_list(allow_path)
    if mode == "object":
        got.discard("_GLOBAL_OFFSET_TABLE_")
    extra, missing = sorted(got - want), sorted(want - got)
    if extra or missing:
        print(f"{path}: imports differ from {allow_path}", file=sys.stderr)
        for s in extra:
            print(f"  new import:     {s}", file=sys.stderr)
        for s in missing:
            print(f"  no longer used: {s}", file=sys.stderr)
        sys.exit(1)
    with open(stamp, "w") as f:
        f.write(f"{len(got)} imports as listed\n")


if __name__ == "__main__":
    main()
