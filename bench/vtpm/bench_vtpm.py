#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vTPM benchmark, side by side in one run on one machine:
  1. vtpm_cmd: the freestanding engine (no-asm OpenSSL), in process;
  2. Debian's hosted libtpms.so.0 (system OpenSSL with assembly), in process,
     driven by the same benchmark code (bench/vtpm/hosted.c);
  3. Debian's swtpm driven by tpm2-tools (one tool run per command: what a
     user of the tools sees, process start-up included).
Prints medians and the library size; judges nothing (targets are printed
next to the figures, for the reader). The primaries of 1. and 2. run on the
same TPMs (state blobs from `vtpm-fs mkstates`: the same seeds, so the same
prime search); "cpu vtpm/hosted" is the ratio of their CPU time summed over
those TPMs, which the machine's load does not skew as it does medians of
wall time.
usage: bench_vtpm.py VTPM_FS HOSTED LIBVTPM_O FS_OBJS_DIR [N]"""

import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

CMDS = ["GetRandom(32)", "PCR_Extend", "CreatePrimary-ECC-P256",
        "CreatePrimary-RSA-2048"]


def parse_bench(out):
    res = {}
    for line in out.splitlines():
        m = re.match(r"bench (\S+) n=(\d+) median_ns=(\d+) min_ns=(\d+) "
                     r"max_ns=(\d+) cpu_sum_ns=(\d+)", line)
        if m:
            res[m.group(1)] = (int(m.group(2)), int(m.group(3)) / 1e6,
                               int(m.group(4)) / 1e6, int(m.group(5)) / 1e6,
                               int(m.group(6)) / 1e6)
    return res


def size_of(path):
    out = subprocess.run(["size", path], capture_output=True, text=True,
                         check=True).stdout.splitlines()[-1].split()
    return int(out[0]), int(out[1]), int(out[2])


def free_port_pair():
    for _ in range(50):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        try:
            t = socket.socket()
            t.bind(("127.0.0.1", port + 1))
            t.close()
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


class Swtpm:
    """One Debian swtpm (TPM 2.0, fresh state: new seeds) on a TCP port."""

    def __init__(self):
        self.state = tempfile.mkdtemp(prefix="vtpm-bench-swtpm-")
        self.port = free_port_pair()
        self.proc = subprocess.Popen(
            ["swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + self.state,
             "--server", "type=tcp,port=%d,bindaddr=127.0.0.1" % self.port,
             "--ctrl", "type=tcp,port=%d,bindaddr=127.0.0.1" % (self.port + 1),
             "--flags", "not-need-init,startup-clear"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.env = dict(os.environ, TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,"
                        "port=%d" % self.port)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                time.sleep(0.02)
        # As in bench.c: no lazy per-algorithm self-test inside the timing.
        self.run(["tpm2_selftest", "--fulltest"])

    def run(self, args):
        """Runs one tool; returns its wall time in ms."""
        t0 = time.perf_counter()
        subprocess.run(args, env=self.env, cwd=self.state, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.perf_counter() - t0) * 1e3

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.state, ignore_errors=True)


def raw_command(sock, cmd):
    """One TPM command on swtpm's data socket (raw TPM 2.0 bytes)."""
    sock.sendall(cmd)
    hdr = b""
    while len(hdr) < 10:
        hdr += sock.recv(10 - len(hdr))
    (size,) = struct.unpack(">I", hdr[2:6])
    body = b""
    while len(body) < size - 10:
        body += sock.recv(size - 10 - len(body))
    return hdr + body


RAW = {
    "GetRandom(32)": bytes.fromhex("80010000000c0000017b0020"),
    "PCR_Extend": bytes.fromhex("80020000004100000182" "00000010"
                                "00000009" "40000009" "0000" "00" "0000"
                                "00000001" "000b") + b"\xab" * 32,
}


def bench_swtpm_raw(counts):
    """swtpm with a persistent connection and raw commands: its engine and
    socket cost without tpm2-tools' process start-up."""
    res = {}
    tpm = Swtpm()
    try:
        sock = socket.create_connection(("127.0.0.1", tpm.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for name, cmd in RAW.items():
            samples = []
            for _ in range(counts[name]):
                t0 = time.perf_counter()
                resp = raw_command(sock, cmd)
                samples.append((time.perf_counter() - t0) * 1e3)
                if resp[6:10] != b"\0\0\0\0":
                    raise RuntimeError("swtpm: %s failed" % name)
            res[name] = (len(samples), statistics.median(samples),
                         min(samples), max(samples))
        sock.close()
    finally:
        tpm.close()
    return res


def bench_swtpm(counts):
    if not shutil.which("swtpm") or not shutil.which("tpm2_getrandom"):
        print("# swtpm or tpm2-tools missing: no swtpm column")
        return {}
    res = {}
    small = {
        "GetRandom(32)": ["tpm2_getrandom", "-o", "r.bin", "32"],
        "PCR_Extend": ["tpm2_pcrextend", "16:sha256=" + "ab" * 32],
    }
    tpm = Swtpm()
    try:
        for name, args in small.items():
            samples = [tpm.run(args) for _ in range(counts[name])]
            res[name] = (len(samples), statistics.median(samples),
                         min(samples), max(samples))
    finally:
        tpm.close()
    # A primary key's cost depends on the seed (RSA prime search): one
    # fresh swtpm per sample, as bench.c uses one fresh vTPM per sample.
    primaries = {
        "CreatePrimary-ECC-P256": ["tpm2_createek", "-G", "ecc", "-c", "ek.ctx"],
        "CreatePrimary-RSA-2048": ["tpm2_createek", "-G", "rsa", "-c", "ek.ctx"],
    }
    for name, args in primaries.items():
        samples = []
        for _ in range(counts[name]):
            tpm = Swtpm()
            try:
                samples.append(tpm.run(args))
            finally:
                tpm.close()
        res[name] = (len(samples), statistics.median(samples), min(samples),
                     max(samples))
    return res


def main():
    vtpm_fs, hosted, libvtpm_o, fs_objs = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    # One TPM per RSA sample (bench.c: runs * 6), shared by both engines.
    states = subprocess.run([vtpm_fs, "mkstates", str(min(runs * 6, 64))],
                            capture_output=True, timeout=600, check=True).stdout
    out = subprocess.run([vtpm_fs, "bench", str(runs), "states"],
                         capture_output=True, input=states, timeout=600)
    out.stdout = out.stdout.decode()
    vt = parse_bench(out.stdout)
    heap = re.search(r"# heap peak (\d+)", out.stdout)
    ho = {}
    if os.path.exists(hosted):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([hosted, str(runs), "states"],
                               capture_output=True, input=states,
                               timeout=600, env=dict(os.environ, TPM_PATH=d))
            r.stdout = r.stdout.decode()
            ho = parse_bench(r.stdout)
    counts = {k: v[0] for k, v in vt.items()}
    sw = bench_swtpm(counts)
    raw = bench_swtpm_raw(counts) if shutil.which("swtpm") else {}

    def cell(res, name):
        """Median in microseconds."""
        return "%10.1f" % (res[name][1] * 1e3) if name in res else "%10s" % "-"

    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("vTPM latency, median microseconds (lower is better); CreatePrimary: one "
          "TPM (seed) per sample, the same TPMs for vtpm_cmd and hosted "
          "libtpms; load average %s on %d CPUs" % (load, os.cpu_count()))
    print("| command (median us)      | vtpm_cmd | hosted libtpms | "
          "swtpm raw socket | swtpm+tpm2-tools | raw/vtpm | tools/vtpm | "
          "vtpm/hosted |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in CMDS:
        r1 = ("%.3gx" % (sw[name][1] / vt[name][1])
              if name in sw and name in vt else "-")
        r0 = ("%.3gx" % (raw[name][1] / vt[name][1])
              if name in raw and name in vt else "-")
        r2 = ("%.2fx" % (vt[name][1] / ho[name][1])
              if name in ho and name in vt else "-")
        print("| %-24s | %s | %s | %s | %s | %8s | %10s | %11s |" % (
            name, cell(vt, name), cell(ho, name), cell(raw, name),
            cell(sw, name), r0, r1, r2))
    for name in CMDS:
        if name in vt:
            print("# vtpm %s: n=%d min %.3f max %.3f ms" % (
                name, vt[name][0], vt[name][2], vt[name][3]))
    for name in CMDS[2:]:
        if name in vt and name in ho and ho[name][4] > 0:
            print("# %s on the same %d TPMs: CPU time vtpm %.1f ms, hosted "
                  "%.1f ms: cpu vtpm/hosted %.2fx" % (
                      name, vt[name][0], vt[name][4], ho[name][4],
                      vt[name][4] / ho[name][4]))
    if "vtpm_init" in vt:
        print("# vtpm_init (manufacture + Startup + RNG self-test): %.1f ms"
              % vt["vtpm_init"][1])
    if heap:
        print("# vtpm heap peak: %d KB" % (int(heap.group(1)) // 1024))

    t, d, b = size_of(libvtpm_o)
    ft, fd, fb = size_of(vtpm_fs)
    test_text = 0
    for root, _, files in os.walk(fs_objs):
        for f in files:
            if f.endswith(".o"):
                test_text += size_of(os.path.join(root, f))[0]
    print("vTPM size (bytes): libvtpm.o (combined, collected from the API) "
          "text=%d data=%d bss=%d" % (t, d, b))
    print("vTPM size (bytes): linked (vtpm-fs minus its %d B of test code) "
          "text=%d data=%d bss=%d (bss includes the %d KB heap arena)" % (
              test_text, ft - test_text, fd, fb, 2048))
    print("targets: small commands >= 5x faster than swtpm+tools; RSA "
          "CreatePrimary <= 1.2x hosted libtpms (issue 12); text <= 1.8 MB "
          "(1800000 B)")
    return 0 if vt else 1


if __name__ == "__main__":
    sys.exit(main())
