# SPDX-License-Identifier: MIT
"""The host end of the guest link (guest/initramfs/checks.sh host_get,
host_put), and what the host checks of what the guest hands out.

The guest asks for fresh data on its console ("svsm-host: want NAME
BYTES"); HostLink.feed() answers with os.urandom() bytes in hex, to be
written to the guest's COM2. The guest hands files out as "svsm-blob NAME
HEX" lines closed by "svsm-blob-end NAME SIZE SHA256". The kernel command
line (measured) is the same on every run; the data is not.

host_checks() then verifies, each a (name, ok, detail) for TAP:
  * the SVSM attestation report Linux fetched through configfs-tsm:
    svsm-verify (chain, signature, VCEK TCB, REPORT_DATA over the host's
    nonce and the manifest, MEASUREMENT of the image, VMPL 0) and a
    refusal with another nonce; the OpenSSL command line alone on the
    certificates the guest handed out (chain) and the report's signature;
  * the EK the guest read with tpm2_readpublic against the vTPM's EK in
    the services manifest (svsm-verify --ek-pub), and the vTPM service's
    own report (ATTEST_SINGLE_SERVICE: its manifest is the EK's public
    area), verified and compared with the same EK;
  * the guest's TPM2_Quote over the host's nonce with tpm2_checkquote.
bench_figures() turns the guest's "svsm-bench:" markers and snpemu's
greq_stats=1 lines into figures (printed, never judged).

Files are left in OUTDIR: report.bin, manifest.bin, nonce.bin, certs.bin,
ark.pem (the host's trusted ARK), ask.pem and vcek.pem (from the guest's
certificate table), ek.pem, the quote files, verify.txt.
"""
import hashlib
import os
import re
import subprocess

KTIME = re.compile(r"^\[\s*(\d+\.\d+)\] ")
WANT = re.compile(r"svsm-host: want ([a-z0-9-]+) (\d+)$")
BLOB = re.compile(r"svsm-blob ([a-z0-9.-]+) ([0-9a-f]+)$")
BLOB_END = re.compile(r"svsm-blob-end ([a-z0-9.-]+) (\d+) ([0-9a-f]{64})$")
BENCH = re.compile(r"svsm-bench: ([a-z0-9-]+)")
GREQ = re.compile(r"snpemu: guest request at exit (\d+), (\d+) VMPL "
                  r"switches \(VMPL(\d)\)")
# Certificate table GUIDs, as stored (docs/attestation.md §3).
CERT_GUIDS = {
    "ark": "c0b406a4-a803-4952-9743-3fb6014cd0ae",
    "ask": "4ab7b379-bbac-4fe4-a02f-05aef327c782",
    "vcek": "63da758d-e664-4564-adc5-f4b93be8accd",
}
MAX_WANT = 1024


class HostLink:
    """Feeds on console lines; remembers what it gave and what it got."""

    def __init__(self):
        self.given = {}      # name -> bytes the host sent
        self.hexes = {}      # name -> hex received so far
        self.blobs = {}      # name -> bytes, complete and intact
        self.bad_blobs = []  # names whose size or hash did not match
        self.events = []     # ("bench", name, time) / ("greq", e, s, vmpl)

    def feed(self, line):
        """One console line; returns the answer to send, or None."""
        m = KTIME.match(line)
        when = float(m.group(1)) if m else None
        text = KTIME.sub("", line)
        m = WANT.search(text)
        if m:
            n = int(m.group(2))
            if n > MAX_WANT:
                return None
            data = os.urandom(n)
            self.given[m.group(1)] = data
            return data.hex() + "\n"
        m = BLOB.search(text)
        if m:
            self.hexes[m.group(1)] = self.hexes.get(m.group(1), "") + \
                m.group(2)
            return None
        m = BLOB_END.search(text)
        if m:
            name = m.group(1)
            data = bytes.fromhex(self.hexes.pop(name, ""))
            if len(data) == int(m.group(2)) and \
                    hashlib.sha256(data).hexdigest() == m.group(3):
                self.blobs[name] = data
            else:
                self.bad_blobs.append(name)
            return None
        m = GREQ.search(text)
        if m:
            self.events.append(("greq", int(m.group(1)), int(m.group(2)),
                                int(m.group(3))))
            return None
        m = BENCH.search(text)
        if m:
            self.events.append(("bench", m.group(1), when))
        return None


def _run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 127, str(e)
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


def cert_table(buf):
    """{ark|ask|vcek: DER} from a GHCB certificate table; None if it is
    malformed (an entry past the buffer, no terminator)."""
    import uuid
    names = {v: k for k, v in CERT_GUIDS.items()}
    out = {}
    for off in range(0, len(buf) - 23, 24):
        g = buf[off:off + 16]
        o = int.from_bytes(buf[off + 16:off + 20], "little")
        n = int.from_bytes(buf[off + 20:off + 24], "little")
        if g == bytes(16) and o == 0 and n == 0:
            return out
        if o + n > len(buf):
            return None
        name = names.get(str(uuid.UUID(bytes_le=g)))
        if name:
            out[name] = buf[o:o + n]
    return None


def der_sig(report):
    """The report's ECDSA r and s (little-endian, 72 bytes each) as DER."""
    def der_int(v):
        b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
        return b"\x02" + bytes([len(b)]) + b
    r = int.from_bytes(report[0x2a0:0x2a0 + 72], "little")
    s = int.from_bytes(report[0x2e8:0x2e8 + 72], "little")
    body = der_int(r) + der_int(s)
    return b"\x30" + bytes([len(body)]) + body


def _fails(out):
    """svsm-verify's FAIL lines (or its last line), for a TAP comment."""
    lines = out.strip().splitlines()
    bad = [x for x in lines if x.startswith("FAIL")]
    return "; ".join(bad or lines[-1:])


def host_checks(link, outdir, verify, ark, image, openssl="openssl",
                checkquote="tpm2_checkquote"):
    os.makedirs(outdir, exist_ok=True)
    O = lambda n: os.path.join(outdir, n)  # noqa: E731
    checks = []
    b = link.blobs
    have = all(n in b for n in ("report", "manifest", "certs")) and \
        "report-nonce" in link.given
    checks.append(("host: Linux's configfs-tsm report, manifest and "
                   "certificates arrived intact", have,
                   "" if have else "missing or damaged: " +
                   " ".join(link.bad_blobs or ["report/manifest/certs"])))
    verify_out = ""
    if have:
        for n in ("report", "manifest", "certs"):
            open(O(n + ".bin"), "wb").write(b[n])
        open(O("nonce.bin"), "wb").write(link.given["report-nonce"])
        open(O("ark.pem"), "wb").write(open(ark, "rb").read())
        base = [verify, "--report", O("report.bin"), "--manifest",
                O("manifest.bin"), "--ark", O("ark.pem"), "--certs",
                O("certs.bin"), "--image", image]
        rc, verify_out = _run(base + ["--nonce", O("nonce.bin")])
        open(O("verify.txt"), "w").write(verify_out)
        checks.append(("host: svsm-verify accepts it (chain, signature, "
                       "REPORT_DATA over the host's nonce, MEASUREMENT of "
                       "the image, VMPL 0)",
                       rc == 0 and "VERIFIED" in verify_out,
                       verify_out.strip().splitlines()[-1:] or ""))
        other = bytearray(link.given["report-nonce"])
        other[0] ^= 1
        open(O("nonce-other.bin"), "wb").write(other)
        rc2, out2 = _run(base + ["--nonce", O("nonce-other.bin")])
        checks.append(("host: svsm-verify refuses it with another nonce",
                       rc2 == 1 and "FAIL REPORT_DATA" in out2, ""))
        certs = cert_table(b["certs"]) or {}
        ok_chain = False
        for n in ("ask", "vcek"):
            if n in certs:
                open(O(n + ".der"), "wb").write(certs[n])
                _run([openssl, "x509", "-inform", "der", "-in",
                      O(n + ".der"), "-out", O(n + ".pem")])
        if "ask" in certs and "vcek" in certs:
            rc3, out3 = _run([openssl, "verify", "-CAfile", O("ark.pem"),
                              "-untrusted", O("ask.pem"), O("vcek.pem")])
            ok_chain = rc3 == 0
        checks.append(("host: openssl verify: ARK -> ASK -> VCEK from the "
                       "guest's certificate table", ok_chain, ""))
        report = b["report"]
        open(O("report-signed.bin"), "wb").write(report[:0x2a0])
        open(O("report-sig.der"), "wb").write(der_sig(report))
        rc4, pub = _run([openssl, "x509", "-in", O("vcek.pem"), "-noout",
                         "-pubkey"])
        open(O("vcek-pub.pem"), "w").write(pub if rc4 == 0 else "")
        rc5, out5 = _run([openssl, "dgst", "-sha384", "-verify",
                          O("vcek-pub.pem"), "-signature",
                          O("report-sig.der"), O("report-signed.bin")])
        checks.append(("host: openssl dgst -verify: the report's signature "
                       "with that VCEK",
                       rc4 == 0 and rc5 == 0 and "Verified OK" in out5, ""))
    # The vTPM: the EK against the manifest, the quote.
    if "ek-pem" in b:
        open(O("ek.pem"), "wb").write(b["ek-pem"])
    ok = have and "ek-pem" in b
    out = "no report or no EK from the guest"
    if ok:
        rc, out = _run(base + ["--nonce", O("nonce.bin"), "--ek-pub",
                               O("ek.pem")])
        ok = rc == 0
    checks.append(("host: the EK Linux read with tpm2-tools equals the "
                   "vTPM's EK in the verified services manifest", ok,
                   _fails(out)))
    v = ("vtpm-report", "vtpm-manifest", "vtpm-certs")
    ok = all(n in b for n in v) and "vtpm-nonce" in link.given and \
        "ek-pem" in b
    out = "the vTPM service's report or the EK is missing"
    if ok:
        for n in v:
            open(O(n + ".bin"), "wb").write(b[n])
        open(O("vtpm-nonce.bin"), "wb").write(link.given["vtpm-nonce"])
        rc, out = _run([verify, "--report", O("vtpm-report.bin"),
                        "--manifest", O("vtpm-manifest.bin"), "--nonce",
                        O("vtpm-nonce.bin"), "--ark", O("ark.pem"),
                        "--certs", O("vtpm-certs.bin"), "--image", image,
                        "--ek-pub", O("ek.pem")])
        open(O("verify-vtpm.txt"), "w").write(out)
        ok = rc == 0 and "VERIFIED" in out
    checks.append(("host: svsm-verify accepts the vTPM service's report "
                   "(ATTEST_SINGLE_SERVICE), its EK equal to Linux's", ok,
                   _fails(out)))
    q = ("ak.pem", "quote.msg", "quote.sig", "quote.pcrs")
    ok = all(n in b for n in q) and "quote-nonce" in link.given
    out = "quote files missing"
    if ok:
        for n in q:
            open(O(n), "wb").write(b[n])
        rc, out = _run([checkquote, "-u", O("ak.pem"), "-m", O("quote.msg"),
                        "-s", O("quote.sig"), "-f", O("quote.pcrs"), "-g",
                        "sha256", "-q", link.given["quote-nonce"].hex()])
        ok = rc == 0
    checks.append(("host: tpm2_checkquote accepts the guest's quote (AK "
                   "under the EK) over the host's nonce", ok,
                   "" if ok else out.strip().splitlines()[-1:] or ""))
    return [(n, ok, d if isinstance(d, str) else " ".join(d))
            for n, ok, d in checks]


def par_checks(link, outdir, verify, ark, image, n, vcpus):
    """The reports of check_par's N processes (guest/initramfs/
    checks-smp.sh): N distinct host nonces, each process's report intact
    (the manifest and certificates, equal in every process as the guest
    checked, once), each verified by svsm-verify against its own nonce and
    the image measured on VCPUS vCPUs, and refused with the next process's
    nonce (the binding is per process)."""
    os.makedirs(outdir, exist_ok=True)
    O = lambda n: os.path.join(outdir, n)  # noqa: E731
    b = link.blobs
    nonces = [link.given.get("par-nonce-%d" % i) for i in range(1, n + 1)]
    distinct = None not in nonces and len(set(nonces)) == n
    checks = [("host: %d processes asked for %d distinct nonces" % (n, n),
               distinct, "" if distinct else "got %d" %
               len([x for x in nonces if x]))]
    open(O("ark.pem"), "wb").write(open(ark, "rb").read())
    for i in range(1, n + 1):
        names = ["par-report-%d" % i, "par-manifest", "par-certs"]
        ok = distinct and all(x in b for x in names)
        out = "report, manifest or certificates missing or damaged"
        if ok:
            for x in names:
                open(O(x + ".bin"), "wb").write(b[x])
            open(O("par-nonce-%d.bin" % i), "wb").write(nonces[i - 1])
            base = [verify, "--report", O(names[0] + ".bin"),
                    "--manifest", O(names[1] + ".bin"), "--ark",
                    O("ark.pem"), "--certs", O(names[2] + ".bin"),
                    "--image", image, "--vcpus", str(vcpus)]
            rc, out = _run(base + ["--nonce", O("par-nonce-%d.bin" % i)])
            open(O("par-verify-%d.txt" % i), "w").write(out)
            other = "par-nonce-%d.bin" % (i % n + 1)
            open(O(other), "wb").write(nonces[i % n])
            rc2, out2 = _run(base + ["--nonce", O(other)])
            ok = rc == 0 and "VERIFIED" in out and rc2 == 1 and \
                "FAIL REPORT_DATA" in out2
            if rc == 0 and not ok:
                out = "not refused with another process's nonce"
        checks.append(("host: process %d's report verifies with its own "
                       "nonce (svsm-verify, %d vCPUs measured) and not "
                       "with process %d's" % (i, vcpus, i % n + 1),
                       ok, "" if ok else _fails(out)))
    return checks


def bench_figures(link, n=20):
    """Figure lines from the bench checks' markers (guest/initramfs/
    checks.sh check_bench, check_bench_tpm). Times come from the
    kernel-log timestamps. On snpemu each step is also followed by a
    marker, a guest request from VMPL2 that snpemu (greq_stats=1) logs
    with its counters: the counters between markers, less one marker's
    own cost (base0 -> base1), are what the step cost."""
    marks, t, label = {}, {}, None
    greqs_between = {}
    count = 0
    for ev in link.events:
        if ev[0] == "bench":
            t[ev[1]] = ev[2]
            label = ev[1]
        elif ev[3] == 2:
            if label is not None and label not in marks:
                marks[label] = (ev[1], ev[2])
                greqs_between[label] = count
            count = 0
        else:
            count += 1
    tpm_names = {"getrandom": "GetRandom(16)",
                 "pcrextend": "PCR_Extend (PCR 16, password session)"}
    figs = []

    def span(name):
        s, e = t.get(name + "-start"), t.get(name + "-end")
        return None if s is None or e is None else e - s
    if span("report") is not None:
        figs.append("SVSM attestation report round trip (configfs-tsm "
                    "outblob read): %.1f ms" % (span("report") * 1e3))
    null = span("null")
    for name, what in tpm_names.items():
        if span(name) is not None and null is not None:
            figs.append("TPM2_%s latency from Linux: %.2f ms per command "
                        "(/dev/tpm0 write + dd read, loop of %d; %.2f ms of "
                        "loop overhead subtracted)" %
                        (what, (span(name) - null) / n * 1e3, n,
                         null / n * 1e3))
    if span("tools") is not None:
        figs.append("tpm2_getrandom 16, the whole process: %.0f ms" %
                    (span("tools") * 1e3))
    need = ("base0", "base1", "report", "null", "getrandom", "pcrextend")
    if not all(k in marks for k in need):
        if any(k in marks for k in need):
            figs.append("no counter figures (markers missing: %s)" %
                        ", ".join(k for k in need if k not in marks))
        return figs or ["no bench figures (no markers)"]

    def d(a, b):
        return (marks[b][0] - marks[a][0], marks[b][1] - marks[a][1])
    base = d("base0", "base1")
    rep = d("base1", "report")
    figs.append("SVSM attestation report: %d PSP request(s), %d VMPL "
                "switches, %d snpemu exits (one marker's %d switches and "
                "%d exits subtracted)" %
                (greqs_between.get("report", 0), rep[1] - base[1],
                 rep[0] - base[0], base[1], base[0]))
    loop = d("report", "null")
    prev = "null"
    for name, what in tpm_names.items():
        w = d(prev, name)
        figs.append("TPM2_%s: %.2f VMPL switches, %.1f snpemu exits per "
                    "command (the loop without TPM subtracted)" %
                    (what, (w[1] - loop[1]) / n, (w[0] - loop[0]) / n))
        prev = name
    return figs


def main():
    """Benchmark mode: run a harness command (snp_boot.py, run-linux.py),
    read the console lines it passes through as "# " comments, print the
    bench figures."""
    import sys
    cmd = sys.argv[1:]
    cmd = cmd[1:] if cmd and cmd[0] == "--" else cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    link = HostLink()
    for raw in p.stdout.decode(errors="replace").splitlines():
        link.feed(raw[2:] if raw.startswith("# ") else raw)
    for f in bench_figures(link):
        print(f)
    if p.returncode != 0:
        print("the run failed (status %d); last lines:" % p.returncode)
        print("\n".join(p.stdout.decode(errors="replace").splitlines()[-15:]))
    return p.returncode


if __name__ == "__main__":
    raise SystemExit(main())
