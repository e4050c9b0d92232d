#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The import allow-list check must fail when the archive's imports change:
runs vtpm/check_imports.py on Debian's libtpms.a against the checked-in
list (must pass), the list minus one name and the list plus one name (both
must fail). Prints TAP. usage: check_imports_test.py CHECKER NM ARCHIVE LIST"""

import os
import subprocess
import sys
import tempfile


def run(checker, nm, archive, names):
    with tempfile.TemporaryDirectory() as d:
        lst = os.path.join(d, "list")
        with open(lst, "w") as f:
            f.write("\n".join(sorted(names)) + "\n")
        r = subprocess.run([sys.executable, checker, "archive", nm, archive,
                            lst, os.path.join(d, "stamp")],
                           capture_output=True, text=True)
        return r.returncode == 0, r.stderr


def main():
    checker, nm, archive, listfile = sys.argv[1:5]
    with open(listfile) as f:
        names = {l.split("#")[0].strip() for l in f} - {""}
    cases = [
        ("the checked-in list matches the archive", names, True),
        ("a list missing __ctype_b_loc is refused",
         names - {"__ctype_b_loc"}, False),
        ("a list with an extra import is refused", names | {"system"}, False),
    ]
    print("1..%d" % len(cases))
    failed = 0
    for i, (name, lst, want) in enumerate(cases, 1):
        ok, err = run(checker, nm, archive, lst)
        good = ok == want
        failed += 0 if good else 1
        if not good:
            for line in err.splitlines()[:5]:
                print("# " + line)
        print("%sok %d - %s" % ("" if good else "not ", i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
