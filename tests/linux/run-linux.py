#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot the Linux guest under a given QEMU command and turn its console into TAP.

The guest's /init (guest/initramfs/init, svsm.mode=test) prints a TAP plan
and one line per check it was asked to run (svsm.checks=...). This harness
streams the console (other lines become "# " comments) and prints its own
TAP, one line each for:

  * "reached /init": the init marker appeared;
  * each --expect CHECK: the guest printed "ok N - CHECK";
  * each --expect-fail CHECK: the guest printed "not ok N - CHECK" (a
    check that must see what is absent, e.g. SNP under plain TCG);
  * each --expect-line REGEX: a console line matched it;
  * "no panic": no kernel panic, oops, BUG or WARN splat;
  * "clean poweroff": /init powered off, the kernel said "reboot: Power
    down" and QEMU exited with --exit-status, all before --timeout.

With --swtpm the harness starts Debian's swtpm (a TPM 2.0 on libtpms) and
gives QEMU a tpm-crb device backed by it: the guest's TPM path (kernel
driver, /dev/tpm0, tpm2-tools and its tcti-device library) checked
without the SVSM.

With --type the harness types on the console once /init has started,
e.g. commands for the interactive shell (svsm.mode=shell).

It also prints the figures of the boot (wall time from QEMU start to /init,
the guest's uptime at /init, the whole run) as "# figure:" comments.
Reusable for any machine that boots this kernel and initramfs (plain QEMU
TCG, snpemu): the QEMU command comes after "--", verbatim.

Exit status: 0 if every line passed, 1 otherwise, 2 on usage errors.
"""

import argparse
import os
import shutil
import re
import selectors
import shlex
import signal
import subprocess
import sys
import tempfile
import time

INIT_RE = re.compile(r"svsm-init: reached /init at uptime ([0-9.]+) s")
GUEST_PLAN_RE = re.compile(r"^1\.\.(\d+)\s*$")
GUEST_TEST_RE = re.compile(r"^(not ok|ok) (\d+) - (\S+)(?: # (.*))?$")
POWEROFF_LINES = ("svsm-init: powering off", "reboot: Power down")
# Kernel messages that mean the run is broken even if the checks passed
# (include/linux/bug.h, kernel/panic.c, arch/x86/kernel/dumpstack.c).
BAD_RE = re.compile(r"Kernel panic|BUG: |Oops|general protection fault|"
                    r"------------\[ cut here \]------------|Call Trace:")
# printk's "[    1.234567] " prefix (CONFIG_PRINTK_TIME).
KTIME_RE = re.compile(r"^\[\s*\d+\.\d+\] ")


class Console:
    """What the console said, line by line."""

    def __init__(self, out, expect_lines):
        self.out = out
        self.init_wall = None
        self.init_uptime = None
        self.guest_plan = None
        self.guest = {}  # check name -> (ok, reason)
        self.bad = []
        self.seen_poweroff = set()
        self.expect_lines = {r: False for r in expect_lines}
        self.start = time.monotonic()

    def comment(self, text):
        self.out.write(("# " + text if text else "#") + "\n")
        self.out.flush()

    def feed(self, line):
        line = line.rstrip("\r\n")
        self.comment(line)
        m = INIT_RE.search(line)
        if m and self.init_wall is None:
            self.init_wall = time.monotonic() - self.start
            self.init_uptime = float(m.group(1))
        body = KTIME_RE.sub("", line)
        m = GUEST_PLAN_RE.match(body)
        if m and self.guest_plan is None and self.init_wall is not None:
            self.guest_plan = int(m.group(1))
        m = GUEST_TEST_RE.match(body)
        if m and self.init_wall is not None:
            self.guest[m.group(3)] = (m.group(1) == "ok", m.group(4) or "")
        if BAD_RE.search(line):
            self.bad.append(body.strip())
        for p in POWEROFF_LINES:
            if p in line:
                self.seen_poweroff.add(p)
        for r in self.expect_lines:
            if not self.expect_lines[r] and re.search(r, line):
                self.expect_lines[r] = True


def boot(cmd, timeout, con, typed=None):
    """Run QEMU until it exits or the timeout; return (status, timed_out).

    typed: bytes written to the console (QEMU's stdin) once /init started.
    """
    con.start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if typed else
                            subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    timed_out = False
    while True:
        remaining = timeout - (time.monotonic() - con.start)
        if remaining <= 0:
            timed_out = True
            break
        if not sel.select(timeout=min(remaining, 1.0)):
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            raw, pending = pending.split(b"\n", 1)
            con.feed(raw.decode("utf-8", "replace"))
        if typed and con.init_wall is not None:
            # The tty buffers it until the shell reads.
            proc.stdin.write(typed)
            proc.stdin.flush()
            typed = None
    if pending:
        con.feed(pending.decode("utf-8", "replace"))
    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        # The console closed: give QEMU its own time to exit, then stop it.
        try:
            proc.wait(timeout=max(1.0, timeout - (time.monotonic() - con.start)))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            timed_out = True
    return proc.wait(), timed_out


def start_swtpm(tmp):
    """swtpm on a unix socket in tmp; returns (process, extra QEMU args)."""
    sock = os.path.join(tmp, "swtpm.sock")
    state = os.path.join(tmp, "state")
    os.mkdir(state)
    proc = subprocess.Popen(
        ["swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + state,
         "--ctrl", "type=unixio,path=" + sock],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while not os.path.exists(sock):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise OSError("swtpm did not create %s" % sock)
        time.sleep(0.05)
    return proc, ["-chardev", "socket,id=chrtpm,path=" + sock,
                  "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                  "-device", "tpm-crb,tpmdev=tpm0"]


def verdicts(args, con, status, timed_out):
    """The harness's TAP lines: list of (ok, description)."""
    lines = []
    lines.append((con.init_wall is not None, "reached /init"))
    for name in args.expect:
        if name not in con.guest:
            why = "no plan" if con.guest_plan is None else "not reported"
            lines.append((False, "guest: %s # %s" % (name, why)))
        else:
            ok, reason = con.guest[name]
            lines.append((ok, "guest: %s%s" % (name, "" if ok else " # " + reason)))
    for name in args.expect_fail:
        if name not in con.guest:
            lines.append((False, "guest: %s fails # not reported" % name))
        else:
            ok, reason = con.guest[name]
            lines.append((not ok, "guest: %s fails%s" %
                          (name, " # " + reason if reason else " # it passed")))
    if con.guest_plan is not None and con.guest_plan != len(con.guest):
        lines.append((False, "guest: planned %d checks, reported %d" %
                      (con.guest_plan, len(con.guest))))
    for r, seen in con.expect_lines.items():
        lines.append((seen, "console line /%s/" % r))
    lines.append((not con.bad, "no panic" + ("" if not con.bad else
                                            " # " + con.bad[0])))
    problems = []
    if timed_out:
        problems.append("timed out after %.0f s (hang)" % args.timeout)
    elif status != args.exit_status:
        problems.append("QEMU exited with %d, want %d" % (status, args.exit_status))
    for p in POWEROFF_LINES:
        if p not in con.seen_poweroff:
            problems.append("no '%s'" % p)
    lines.append((not problems, "clean poweroff" +
                  ("" if not problems else " # " + "; ".join(problems))))
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--expect", action="append", default=[], metavar="CHECK",
                   help="a guest check that must print ok (repeatable)")
    p.add_argument("--expect-fail", action="append", default=[],
                   metavar="CHECK",
                   help="a guest check that must print not ok (repeatable)")
    p.add_argument("--expect-line", action="append", default=[],
                   metavar="REGEX", help="a console line that must appear")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds before the run counts as hung")
    p.add_argument("--exit-status", type=int, default=0,
                   help="QEMU's exit status after the guest powered off")
    p.add_argument("--swtpm", action="store_true",
                   help="give the guest a tpm-crb backed by swtpm")
    p.add_argument("--type", metavar="TEXT",
                   help="type TEXT on the console once /init has started "
                   "(backslash escapes: \\n); for svsm.mode=shell")
    p.add_argument("--figures-only", action="store_true",
                   help="benchmark mode: print only the figures line")
    p.add_argument("cmd", nargs=argparse.REMAINDER,
                   help="-- QEMU command")
    args = p.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        p.error("no QEMU command after --")
    # -kernel/-initrd files: a clear message instead of QEMU's.
    for i, a in enumerate(cmd[:-1]):
        if a in ("-kernel", "-initrd") and not os.path.isfile(cmd[i + 1]):
            print("not ok 1 - %s %s: no such file (run scripts/setup: it "
                  "builds the guest kernel and initramfs)" % (a, cmd[i + 1]))
            print("1..1")
            return 1

    out = open(os.devnull, "w") if args.figures_only else sys.stdout
    con = Console(out, args.expect_line)
    tmp = tempfile.mkdtemp(prefix="run-linux.")
    swtpm = None
    try:
        if args.swtpm:
            swtpm, extra = start_swtpm(tmp)
            cmd = cmd + extra
        con.comment("run-linux: " + " ".join(shlex.quote(c) for c in cmd))
        typed = args.type.encode().decode("unicode_escape").encode() \
            if args.type else None
        status, timed_out = boot(cmd, args.timeout, con, typed)
    except OSError as e:
        print("not ok 1 - cannot start QEMU or swtpm: %s" % e)
        print("1..1")
        return 1
    finally:
        if swtpm is not None:
            os.killpg(swtpm.pid, signal.SIGKILL)
            swtpm.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    total = time.monotonic() - con.start
    lines = verdicts(args, con, status, timed_out)
    failed = sum(1 for ok, _ in lines if not ok)
    figures = ("figure: /init at %s s wall (guest uptime %s s), whole run "
               "%.2f s" % ("%.2f" % con.init_wall if con.init_wall else "-",
                           "%.2f" % con.init_uptime if con.init_uptime else "-",
                           total))
    if args.figures_only:
        if failed:
            print("run failed: %s" % "; ".join(d for ok, d in lines if not ok))
            return 1
        print("%.3f %.3f %.3f" % (con.init_wall, con.init_uptime, total))
        return 0
    for n, (ok, desc) in enumerate(lines, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
    print("# " + figures)
    print("1..%d" % len(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
