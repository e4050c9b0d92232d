#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the host harness itself (tools/run-image).

Each case boots snpemu with a command line that makes it misbehave on
purpose and checks that run-image fails, for the right reason. A positive
control proves the harness can pass at all. Prints TAP.
"""

import subprocess
import sys

run_image, qemu, snpemu = sys.argv[1:4]

CASES = [
    # (name, extra run-image args, expected exit status, expected text)
    ("passing test passes", ["--append", "test=harness/passing_neighbour"],
     0, "ok 2 - harness: clean exit, 1/1 tests"),
    ("failing in-image test fails", ["--append", "test=harness"],
     1, "1 test(s) failed"),
    ("hanging image fails", ["--append", "selftest=hang", "--timeout", "8"],
     1, "timed out"),
    ("triple fault fails", ["--append", "selftest=triple-fault"],
     1, "triple-faulted"),
    ("panic fails", ["--append", "selftest=panic"], 1, "panicked"),
    ("unhandled exception fails, with a register dump",
     ["--append", "selftest=fault"], 1, "# RIP "),
    ("missing plan fails", ["--append", "selftest=no-plan"],
     1, "no TAP plan"),
    ("silent clean exit fails", ["--append", "selftest=silent"],
     1, "no TAP plan"),
    ("unknown test filter fails", ["--append", "test=no_such_suite"],
     1, "rejected its command line"),
    ("QEMU crash fails", ["--qemu-arg=-no-such-option"],
     1, "unexpected status"),
]


def main():
    print("1..%d" % len(CASES))
    failed = 0
    for i, (name, extra, want_rc, want_text) in enumerate(CASES, 1):
        cmd = [sys.executable, run_image, "--qemu", qemu, snpemu] + extra
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        ok = p.returncode == want_rc and want_text in p.stdout
        if not ok:
            failed += 1
            print("# expected status %d and '%s'; got status %d:" %
                  (want_rc, want_text, p.returncode))
            for line in p.stdout.splitlines()[-8:]:
                print("#   " + line)
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
