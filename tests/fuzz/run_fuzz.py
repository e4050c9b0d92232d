#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a libFuzzer binary for a bounded time on a fresh corpus directory
seeded from the given files and directories (a directory: every file in
it, e.g. a target's corpus kept in tests/fuzz/corpus/); exit status is 0 if
the fuzzer found nothing, 1 otherwise.

usage: run_fuzz.py FUZZER SECONDS|RUNS=N SEED_FILE_OR_DIR...
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    fuzzer, budget, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory(prefix="igvm-fuzz-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.mkdir(corpus)
        files = []
        for s in seeds:
            if os.path.isdir(s):
                files += [os.path.join(s, f) for f in sorted(os.listdir(s))]
            else:
                files.append(s)
        for i, s in enumerate(files):
            shutil.copy(s, os.path.join(corpus, "seed-%d" % i))
        limit = (["-runs=" + budget[5:]] if budget.startswith("RUNS=")
                 else ["-max_total_time=" + budget])
        cmd = [fuzzer, "-seed=1", "-max_len=65536",
               "-artifact_prefix=" + tmp + "/", corpus] + limit
        r = subprocess.run(cmd)
        if r.returncode != 0:
            for f in os.listdir(tmp):
                if f.startswith(("crash-", "leak-", "timeout-", "oom-")):
                    dst = os.path.join(os.getcwd(), f)
                    shutil.copy(os.path.join(tmp, f), dst)
                    print("artifact kept:", dst)
        # libFuzzer exits 77 on a crash by default (-error_exitcode), which
        # meson reads as "skipped": a finding must be a failure.
        return 0 if r.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
