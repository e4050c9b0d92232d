#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host bridge: serves the vTPM engine over the TPM simulator (mssim) socket
protocol, so that unmodified tpm2-tools reach it with
`-T mssim:host=127.0.0.1,port=N`.

The engine runs in the freestanding program (`vtpm-fs serve`), which reads
length-framed TPM commands on stdin and answers on stdout; this bridge only
translates framing. mssim protocol (Microsoft TPM simulator, as spoken by
libtss2-tcti-mssim):
  command port N:   u32 TPM_SEND_COMMAND(8) | u8 locality | u32 size | cmd
                    -> u32 size | response | u32 0
                    u32 TPM_SESSION_END(20) -> connection closes
  platform port N+1: u32 signal (power on/off, NV on/off, cancel, ...)
                    -> u32 0; the engine is always powered (the SVSM starts
                    it at boot), so signals are acknowledged and ignored.
Usable as a module (Bridge) or standalone: mssim_bridge.py VTPM_FS PORT.
"""

import socket
import struct
import subprocess
import sys
import threading

TPM_SEND_COMMAND = 8
TPM_SESSION_END = 20
TPM_STOP = 21


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


class Bridge:
    def __init__(self, vtpm_fs, port=0):
        self.proc = subprocess.Popen([vtpm_fs, "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.lock = threading.Lock()
        self.cmd_sock = self._listen(port)
        self.port = self.cmd_sock.getsockname()[1]
        self.plat_sock = self._listen(self.port + 1)
        self.commands = 0
        for sock, handler in ((self.cmd_sock, self._serve_cmd),
                              (self.plat_sock, self._serve_plat)):
            threading.Thread(target=self._accept, args=(sock, handler),
                             daemon=True).start()

    @staticmethod
    def _listen(port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(4)
        return s

    def _accept(self, sock, handler):
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    def execute(self, cmd):
        """One TPM command through the engine; returns the response."""
        with self.lock:
            self.proc.stdin.write(struct.pack(">I", len(cmd)) + cmd)
            self.proc.stdin.flush()
            hdr = self.proc.stdout.read(4)
            if len(hdr) != 4:
                raise EOFError("vtpm-fs serve stopped")
            (n,) = struct.unpack(">I", hdr)
            resp = self.proc.stdout.read(n)
            self.commands += 1
            return resp

    def _serve_cmd(self, conn):
        try:
            while True:
                (code,) = struct.unpack(">I", recv_exact(conn, 4))
                if code == TPM_SEND_COMMAND:
                    recv_exact(conn, 1)  # locality: the engine has one
                    (size,) = struct.unpack(">I", recv_exact(conn, 4))
                    resp = self.execute(recv_exact(conn, size))
                    conn.sendall(struct.pack(">I", len(resp)) + resp +
                                 struct.pack(">I", 0))
                elif code in (TPM_SESSION_END, TPM_STOP):
                    break
                else:
                    conn.sendall(struct.pack(">I", 0))
        except (EOFError, ConnectionError):
            pass
        finally:
            conn.close()

    def _serve_plat(self, conn):
        try:
            while True:
                (code,) = struct.unpack(">I", recv_exact(conn, 4))
                if code in (TPM_SESSION_END, TPM_STOP):
                    break
                conn.sendall(struct.pack(">I", 0))
        except (EOFError, ConnectionError):
            pass
        finally:
            conn.close()

    def close(self):
        for s in (self.cmd_sock, self.plat_sock):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        try:
            self.proc.stdin.write(struct.pack(">I", 0))
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -1


def free_port_pair():
    """A port N with N+1 also free (mssim uses both)."""
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


if __name__ == "__main__":
    b = Bridge(sys.argv[1], int(sys.argv[2]))
    print("mssim bridge on 127.0.0.1:%d (+1)" % b.port, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        b.close()
