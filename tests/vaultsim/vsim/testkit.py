# testkit.py: helpers for tests that drive the simulator: SimProcess starts
# tests/vaultsim/vaultsim as a subprocess on a free port and reads its
# VAULT_ADDR= line; VaultClient speaks to it over one keep-alive
# http.client connection (HTTP or HTTPS) and decodes JSON answers.

import http.client
import json
import os
import select
import ssl
import subprocess
import tempfile
import time
import urllib.parse

VAULTSIM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vaultsim")
PY = "/usr/bin/python3"


class SimProcess:
    """vaultsim subprocess; use as a context manager. Attributes: addr, cacert, proc."""

    def __init__(self, *args, tokens=("root",), timeout=30.0):
        argv = [PY, VAULTSIM, "--listen", "127.0.0.1:0", "--exit-with-parent"]
        for t in tokens:
            argv += ["--token", t]
        self.argv = argv + list(args)
        self.timeout = timeout
        self.addr = None
        self.cacert = None
        self.proc = None
        self.startup_seconds = None
        self._stderr = None
        self._stderr_final = ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def _line(self, deadline) -> str:
        buf = b""
        while not buf.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"vaultsim printed nothing within {self.timeout}s")
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if r:
                ch = os.read(self.proc.stdout.fileno(), 1)
                if not ch:
                    code = self.proc.wait()
                    raise RuntimeError(f"vaultsim exited ({code}): {self.stderr_text()}")
                buf += ch
        return buf.decode().strip()

    def start(self):
        t0 = time.monotonic()
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        deadline = t0 + self.timeout
        line = self._line(deadline)
        if not line.startswith("VAULT_ADDR="):
            raise RuntimeError(f"unexpected first line {line!r}")
        self.addr = line.split("=", 1)[1]
        if self.addr.startswith("https:"):
            line = self._line(deadline)
            if not line.startswith("VAULT_CACERT="):
                raise RuntimeError(f"unexpected second line {line!r}")
            self.cacert = line.split("=", 1)[1]
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
        if self._stderr is not None:
            self._stderr_final = self.stderr_text()
            self._stderr.close()
            self._stderr = None

    def stderr_text(self) -> str:
        """Everything the simulator wrote on stderr so far (tracebacks of bugs)."""
        if self._stderr is None:
            return self._stderr_final
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def client(self, token="root", namespace=None):
        return VaultClient(self.addr, token, namespace, self.cacert)


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw) if raw else None
        except ValueError:
            self.json = None

    @property
    def data(self):
        return (self.json or {}).get("data")

    @property
    def errors(self):
        return (self.json or {}).get("errors")

    def __repr__(self):
        return f"<Response {self.status} {self.raw[:300]!r}>"


class VaultClient:
    """One keep-alive connection; reconnects only when the server closed it."""

    def __init__(self, addr, token="root", namespace=None, cacert=None):
        u = urllib.parse.urlsplit(addr)
        self.https = u.scheme == "https"
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.namespace = namespace
        self.ctx = ssl.create_default_context(cafile=cacert) if self.https else None
        self.conn = None
        self.connects = 0

    def _connect(self):
        if self.https:
            self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx,
                                                    timeout=30)
        else:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.connects += 1

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, token=...,
                namespace=...) -> Response:
        if self.conn is None:
            self._connect()
        h = {}
        tok = self.token if token is ... else token
        ns = self.namespace if namespace is ... else namespace
        if tok is not None:
            h["X-Vault-Token"] = tok
        if ns is not None:
            h["X-Vault-Namespace"] = ns
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=data, headers=h)
            r = self.conn.getresponse()
            raw = r.read()
        except (ConnectionError, http.client.HTTPException, OSError):
            self.close()
            raise
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, raw)

    # Vault verbs ------------------------------------------------------------------
    def read(self, path, **kw):
        return self.request("GET", "/v1/" + path, **kw)

    def list(self, path, **kw):
        return self.request("LIST", "/v1/" + path, **kw)

    def write(self, path, body=None, **kw):
        return self.request("POST", "/v1/" + path, body if body is not None else {}, **kw)

    def sim(self, method, path, body=None):
        r = self.request(method, "/_sim/" + path, body, token=None, namespace=None)
        return r
