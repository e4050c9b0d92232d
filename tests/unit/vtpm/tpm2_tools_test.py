#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Debian's tpm2-tools against the vTPM engine, through the mssim bridge:
startup, getrandom, pcrextend + pcrread (checked with hashlib), createek
(RSA and ECC), createprimary, create + load, quote + checkquote (and a
tampered quote that checkquote must reject), nvdefine/nvwrite/nvread.
Prints TAP. usage: tpm2_tools_test.py VTPM_FS"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mssim_bridge  # noqa: E402

n = 0
failed = 0


def tap(ok, name, diag=""):
    global n, failed
    n += 1
    failed += 0 if ok else 1
    if not ok:
        for line in diag.splitlines()[-12:]:
            print("# " + line)
    print(("ok" if ok else "not ok") + " %d - %s" % (n, name), flush=True)
    return ok


def main():
    vtpm_fs = sys.argv[1]
    if shutil.which("tpm2_startup") is None:
        tap(False, "tpm2-tools installed (scripts/packages.txt)")
        print("1..%d" % n)
        return 1
    port = mssim_bridge.free_port_pair()
    bridge = mssim_bridge.Bridge(vtpm_fs, port)
    work = tempfile.mkdtemp(prefix="vtpm-tools-")
    env = dict(os.environ,
               TPM2TOOLS_TCTI="mssim:host=127.0.0.1,port=%d" % port)

    def tool(name, *args, expect_ok=True):
        r = subprocess.run(list(args), cwd=work, env=env, capture_output=True,
                           text=True, timeout=60)
        ok = (r.returncode == 0) == expect_ok
        tap(ok, name, "$ %s\nexit %d\n%s%s" % (" ".join(args), r.returncode,
                                                 r.stdout, r.stderr))
        return ok, r.stdout

    def read(name):
        try:
            with open(os.path.join(work, name), "rb") as f:
                return f.read()
        except OSError:
            return b""

    def flush():
        subprocess.run(["tpm2_flushcontext", "-t"], cwd=work, env=env,
                       capture_output=True, timeout=60)

    try:
        tool("tpm2_startup -c", "tpm2_startup", "-c")
        ok1, _ = tool("tpm2_getrandom 32", "tpm2_getrandom", "-o", "r1", "32")
        ok2, _ = tool("tpm2_getrandom 32 again", "tpm2_getrandom", "-o", "r2",
                      "32")
        if ok1 and ok2:
            r1, r2 = read("r1"), read("r2")
            tap(len(r1) == 32 and len(r2) == 32 and r1 != r2,
                "two GetRandom(32) results: 32 bytes each, different")

        digest = hashlib.sha256(b"svsm vtpm tpm2-tools").digest()
        tool("tpm2_pcrread sha256:16 (before)", "tpm2_pcrread", "sha256:16",
             "-o", "pcr_before")
        tool("tpm2_pcrextend 16:sha256", "tpm2_pcrextend",
             "16:sha256=" + digest.hex())
        ok, _ = tool("tpm2_pcrread sha256:16", "tpm2_pcrread", "sha256:16",
                     "-o", "pcr_after")
        if ok:
            want = hashlib.sha256(read("pcr_before") + digest).digest()
            tap(read("pcr_after") == want,
                "PCR 16 = SHA-256(old || digest) (hashlib)",
                "got %s\nwant %s" % (read("pcr_after").hex(), want.hex()))

        tool("tpm2_createek -G rsa", "tpm2_createek", "-c", "ek_rsa.ctx",
             "-G", "rsa", "-u", "ek_rsa.pub")
        flush()
        tool("tpm2_createek -G ecc", "tpm2_createek", "-c", "ek_ecc.ctx",
             "-G", "ecc", "-u", "ek_ecc.pub")
        flush()
        tool("tpm2_createek -G rsa again", "tpm2_createek", "-c",
             "ek_rsa2.ctx", "-G", "rsa", "-u", "ek_rsa2.pub")
        flush()
        tap(read("ek_rsa.pub") == read("ek_rsa2.pub"),
            "the RSA EK is the same key each time")

        tool("tpm2_createprimary -C o -G ecc", "tpm2_createprimary", "-C",
             "o", "-g", "sha256", "-G", "ecc", "-c", "primary.ctx")
        flush()
        tool("tpm2_create (restricted ECDSA signing key)", "tpm2_create",
             "-C", "primary.ctx", "-G", "ecc256:ecdsa-sha256:null", "-u", "ak.pub", "-r", "ak.priv",
             "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|"
             "restricted|sign")
        flush()
        tool("tpm2_load", "tpm2_load", "-C", "primary.ctx", "-u", "ak.pub",
             "-r", "ak.priv", "-c", "ak.ctx")
        flush()
        tool("tpm2_readpublic -f pem", "tpm2_readpublic", "-c", "ak.ctx",
             "-f", "pem", "-o", "ak.pem")
        flush()
        nonce = "1122334455667788"
        tool("tpm2_quote sha256:16", "tpm2_quote", "-c", "ak.ctx", "-l",
             "sha256:16", "-q", nonce, "-m", "quote.msg", "-s", "quote.sig",
             "-o", "quote.pcrs", "-g", "sha256")
        flush()
        tool("tpm2_checkquote", "tpm2_checkquote", "-u", "ak.pem", "-m",
             "quote.msg", "-s", "quote.sig", "-f", "quote.pcrs", "-g",
             "sha256", "-q", nonce)
        msg = bytearray(read("quote.msg"))
        msg[-1:] = bytes([msg[-1] ^ 1]) if msg else b"x"
        with open(os.path.join(work, "bad.msg"), "wb") as f:
            f.write(msg)
        tool("tpm2_checkquote rejects a tampered quote", "tpm2_checkquote",
             "-u", "ak.pem", "-m", "bad.msg", "-s", "quote.sig", "-f",
             "quote.pcrs", "-g", "sha256", "-q", nonce, expect_ok=False)

        data = b"nv data through tpm2-tools, 32B"
        data = data + b"!" * (32 - len(data))
        with open(os.path.join(work, "nv.in"), "wb") as f:
            f.write(data)
        tool("tpm2_nvdefine", "tpm2_nvdefine", "0x1500020", "-C", "o", "-s",
             "32", "-a", "ownerread|ownerwrite|authread|authwrite")
        tool("tpm2_nvwrite", "tpm2_nvwrite", "0x1500020", "-C", "o", "-i",
             "nv.in")
        ok, _ = tool("tpm2_nvread", "tpm2_nvread", "0x1500020", "-C", "o",
                     "-s", "32", "-o", "nv.out")
        if ok:
            tap(read("nv.out") == data, "tpm2_nvread returns what was written")
    finally:
        rc = bridge.close()
        tap(rc == 0, "vtpm-fs serve exits cleanly", "exit %s" % rc)
        print("# %d TPM commands through the bridge" % bridge.commands)
        shutil.rmtree(work, ignore_errors=True)
    print("1..%d" % n)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
