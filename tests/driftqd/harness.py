"""Helpers shared by driftqd's socket-level tests: start the server on a free port with a fresh
WAL, send raw requests, read answers (whole, chunked, or streamed), compare bytes."""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

DATE = re.compile(rb"Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n")
STARTUP = re.compile(r"driftqd listening on 127\.0\.0\.1:(\d+), WAL (.*) \((.*)\)$")


class Driftqd:
    """A driftqd process. `extra` are more flags."""

    def __init__(self, binary, wal, *extra, fresh=False):
        if fresh:
            shutil.rmtree(wal, ignore_errors=True)
        self.proc = subprocess.Popen([binary, "--addr", "127.0.0.1:0", "--wal", wal, "--log-level", "warn", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = STARTUP.match(line.strip())
        if not m:
            self.proc.kill()
            sys.exit(f"unexpected startup line: {line!r} {self.proc.stderr.read()}")
        self.port = int(m.group(1))
        self.recovered = m.group(3)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return self.proc.returncode, out, err

    def alive(self):
        return self.proc.poll() is None


def request(method, target, body=None, headers=None, close=True):
    """An HTTP/1.1 request's bytes. A body gets its Content-Length; str bodies are UTF-8. Host is
    localhost unless `headers` names one."""
    if isinstance(body, str):
        body = body.encode()
    head = f"{method} {target} HTTP/1.1\r\n".encode()
    if "Host" not in (headers or {}):
        head += b"Host: localhost\r\n"
    if close:
        head += b"Connection: close\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n".encode()
    if body is not None:
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return head + b"\r\n" + (body or b"")


def exchange(port, raw, timeout=5.0):
    """Sends raw bytes and reads until the server closes the connection (or `timeout`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
        return data


def split_answer(data, head_request=False):
    """(status, headers dict, body) of one whole answer."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b": ")
        headers[k.decode()] = v.decode()
    if head_request:
        body = b""
    elif "Content-Length" in headers:
        body = body[:int(headers["Content-Length"])]
    return status, headers, body


def masked(data):
    data = DATE.sub(b"Date: *\r\n", data)
    return re.sub(rb"X-Request-Id: [0-9a-f]{24}\r\n", b"X-Request-Id: <generated>\r\n", data)


def call(port, method, target, body=None, headers=None):
    """One request on its own connection: (status, headers, body as str)."""
    status, h, b = split_answer(exchange(port, request(method, target, body, headers)), method == "HEAD")
    return status, h, b.decode(errors="replace")


class Stream:
    """A /v1/consume stream read line by line (chunked NDJSON)."""

    def __init__(self, port, target, read_buffer=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if read_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, read_buffer)
        self.sock.sendall(request("GET", target, close=False))
        self.buf = b""
        self.head = None
        self.closed = False

    def _fill(self, timeout):
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            return False
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.buf += chunk
        return True

    def read_head(self, timeout=5):
        deadline = time.time() + timeout
        while b"\r\n\r\n" not in self.buf and time.time() < deadline and not self.closed:
            self._fill(max(0, deadline - time.time()))
        if b"\r\n\r\n" not in self.buf:
            return None
        self.head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        return self.head

    def read_lines(self, n, timeout=5, idle=None):
        """Up to n NDJSON lines (each one chunk) within `timeout`. With `idle`, it returns early
        once it has some lines and nothing more arrives for that many seconds."""
        lines = []
        deadline = time.time() + timeout
        if self.head is None and self.read_head(timeout) is None:
            return lines
        while len(lines) < n and time.time() < deadline:
            m = re.match(rb"([0-9a-f]+)\r\n", self.buf)
            if m:
                size = int(m.group(1), 16)
                start = m.end()
                if len(self.buf) >= start + size + 2:
                    if size == 0:
                        self.closed = True
                        break
                    lines.append(self.buf[start:start + size].decode(errors="replace"))
                    self.buf = self.buf[start + size + 2:]
                    continue
            wait = max(0, deadline - time.time())
            if idle is not None and lines:
                wait = min(wait, idle)
            if not self._fill(wait):
                if self.closed or (idle is not None and lines):
                    break
        return lines

    def close(self):
        self.sock.close()
