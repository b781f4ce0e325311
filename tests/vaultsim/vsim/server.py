# server.py: the HTTP side of the simulated Vault. A ThreadingHTTPServer
# speaking HTTP/1.1 with keep-alive (one thread per connection, every answer
# written in one piece with an exact Content-Length, Nagle off), optional TLS
# (handshake in the connection's thread), any method including LIST. Applies
# Vault's conventions to /v1 (faults first, then token, policy, namespace and
# mount existence, LIST / ?list=true, Vault-shaped envelopes and errors) and
# records every /v1 request in the request log; /_sim/ goes to the control API.

import http
import json
import socket
import ssl
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .control import control_handle
from .errors import PERMISSION_DENIED, VaultError
from .offline import Offline
from .pki_api import ApiRequest
from .state import PKI_TYPE
from .sys_api import health_body, seal_status_body, sys_or_auth_handle

MAX_BODY = 16 * 1024 * 1024
_NO_TOKEN_PATHS = ("sys/health", "sys/seal-status")
_date_cache = [0, ""]


def _http_date() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[0] = now
        _date_cache[1] = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now))
    return _date_cache[1]


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def _envelope(data) -> dict:
    return {"request_id": str(uuid.uuid4()), "lease_id": "", "renewable": False,
            "lease_duration": 0, "data": data, "wrap_info": None, "warnings": None,
            "auth": None, "mount_type": "pki-external-ca"}


def _no_route(rel: str) -> VaultError:
    """Vault's answer for a path under no mount (or in no namespace)."""
    return VaultError(404, f"no handler for route \"{rel}\". route entry not found.")


class _Dropped(Exception):
    """The answer is deliberately never sent (drop fault)."""


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many clients connect at once (parallel fetches)

    def __init__(self, address, sim, ssl_context=None, family=socket.AF_INET):
        self.address_family = family
        self.sim = sim
        self.ssl_context = ssl_context
        super().__init__(address, VaultHandler)
        self.offline = Offline(self)
        sim.go_offline = self.offline.start

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class VaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "vaultsim"

    def setup(self):
        ctx = self.server.ssl_context
        if ctx is not None:
            self.request.settimeout(10)
            self.request = ctx.wrap_socket(self.request, server_side=True)
            self.request.settimeout(None)
        self.server.offline.track(self.request)
        super().setup()

    def finish(self):
        self.server.offline.untrack()
        super().finish()

    def log_message(self, fmt, *args):
        pass

    # ---- request loop -------------------------------------------------------

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self._send(414, b'{"errors":["request line too long"]}\n')
                self.close_connection = True
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._dispatch()
        except _Dropped:
            self.close_connection = True
        except (ConnectionError, TimeoutError, ssl.SSLError, OSError):
            self.close_connection = True

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            parts, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    self.close_connection = True
                    raise VaultError(413, "request body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline(16)
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise VaultError(413, "request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: bytes = b"", headers=None,
              ctype: str = "application/json") -> None:
        lines = [f"HTTP/1.1 {status} {_reason(status)}\r\n", f"Date: {_http_date()}\r\n",
                 "Cache-Control: no-store\r\n"]
        if status != 204 and not 100 <= status < 200:
            lines.append(f"Content-Type: {ctype}\r\n")
            lines.append(f"Content-Length: {len(body)}\r\n")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}\r\n")
        if self.close_connection:
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        if self.command == "HEAD" or status == 204:
            body = b""
        self._status = status
        self._log_request()
        self.wfile.write(head + body)

    def _send_json(self, status: int, obj, headers=None) -> None:
        body = b"" if obj is None else (json.dumps(obj) + "\n").encode("utf-8")
        self._send(status, body, headers)

    def _log_request(self) -> None:
        """Record the /v1 request being answered (once), before its answer is
        written: a client that has its answer finds it in the request log."""
        log, self._pending_log = getattr(self, "_pending_log", None), None
        if log is not None:
            log()

    def _dispatch(self):
        self._status = 0
        self._pending_log = None
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        if path.startswith("/v1/") or path == "/v1":
            self._vault(path, query)
        elif path.startswith("/_sim/"):
            self._control(path[len("/_sim/"):], query)
        else:
            self._send_json(404, {"errors": [f"no handler for {path}"]})

    # ---- /_sim/ ----------------------------------------------------------------------

    def _control(self, sub, query):
        try:
            raw = self._read_body()
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, VaultError) as e:
            self._send_json(400, {"errors": [f"bad JSON body: {e}"]})
            return
        try:
            status, obj = control_handle(self.server.sim, self.command, sub, query, body)
            if sub.strip("/") == "offline":
                self.close_connection = True  # nothing stays connected to a down Vault
        except VaultError as e:
            self._send_json(e.status, {"errors": e.messages})
            return
        except Exception as e:  # a bug: say so, keep serving
            traceback.print_exc()
            self._send_json(500, {"errors": [f"internal error: {e}"]})
            return
        self._send_json(status, obj)

    # ---- /v1 ---------------------------------------------------------------------------

    def _vault(self, path, query):
        sim = self.server.sim
        t0 = time.monotonic()
        rel = path[4:].strip("/")
        namespace = (self.headers.get("X-Vault-Namespace") or "").strip().strip("/")
        fault = None
        raw = b""

        def log():
            q = {k: (v[0] if len(v) == 1 else v) for k, v in query.items()}
            mount = sim.store.mount_of_path(namespace, rel)[0]
            sim.log.record(self.command, path, q, self.headers, namespace, self._status,
                           (time.monotonic() - t0) * 1000.0, fault, body=raw,
                           mount=mount.name if mount is not None else None)

        self._pending_log = log
        try:
            try:
                raw = self._read_body()
                decision = sim.faults.decide(self.command, rel)
                if decision.latency_ms:
                    time.sleep(decision.latency_ms / 1000.0)
                if decision.action is not None:
                    fault = decision.action
                    self._fault(decision, rel)
                else:
                    self._vault_answer(sim, rel, query, namespace, raw)
            except VaultError as e:
                self._send_json(e.status, {"errors": e.messages}, e.headers)
            except (_Dropped, ConnectionError, TimeoutError, ssl.SSLError):
                raise
            except Exception as e:
                traceback.print_exc()
                self._send_json(500, {"errors": [f"internal error: {type(e).__name__}: {e}"]})
        finally:
            self._log_request()     # not answered (dropped, connection lost): status 0

    def _fault(self, d, rel):
        sim = self.server.sim
        if d.action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise _Dropped()
        if d.action == "down":
            if rel in _NO_TOKEN_PATHS:
                body = health_body(sim.version, True) if rel == "sys/health" else \
                    seal_status_body(sim.version, True)
                self._send_json(503, body)
            else:
                self._send_json(503, {"errors": ["Vault is sealed"]})
        elif d.action == "rate_limit":
            retry = d.value.get("retry_after", 1) if isinstance(d.value, dict) else 1
            self._send_json(429, {"errors": [f"request path \"{rel}\": rate limit quota "
                                             f"exceeded"]}, {"Retry-After": str(retry)})
        elif d.action == "error_status":
            status = int(d.value)
            self._send_json(status, {"errors": [f"injected fault: {status} "
                                                f"{_reason(status).lower()}"]})
        elif d.action == "malformed":
            self._send(200, b'{"request_id":"00000000-0000","data":{"keys":["trunc')
        elif d.action == "oversize_bytes":
            self._send_oversize(int(d.value))

    def _send_oversize(self, size: int):
        prefix = b'{"request_id":"oversize","data":{"keys":["x"],"padding":"'
        suffix = b'"}}\n'
        pad = max(0, size - len(prefix) - len(suffix))
        head = (f"HTTP/1.1 200 OK\r\nDate: {_http_date()}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(prefix) + pad + len(suffix)}\r\n\r\n").encode("latin-1")
        self._status = 200
        self._log_request()
        self.wfile.write(head + prefix)
        chunk = b"x" * 65536
        while pad > 0:
            n = min(pad, len(chunk))
            self.wfile.write(chunk[:n])
            pad -= n
        self.wfile.write(suffix)

    def _op(self, query) -> str:
        m = self.command
        if m == "LIST" or (m in ("GET", "HEAD") and (query.get("list") or [""])[0] == "true"):
            return "list"
        if m in ("GET", "HEAD"):
            return "read"
        if m in ("POST", "PUT"):
            return "write"
        if m == "DELETE":
            return "delete"
        raise VaultError(405, "unsupported operation")

    def _token_secret(self):
        tok = self.headers.get("X-Vault-Token")
        if tok:
            return tok.strip()
        auth = self.headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return None

    def _vault_answer(self, sim, rel, query, namespace, raw):
        op = self._op(query)
        if rel in _NO_TOKEN_PATHS:
            if op != "read":
                raise VaultError(405, "unsupported operation")
            if rel == "sys/health":
                self._send_json(200, health_body(sim.version, False))
            else:
                self._send_json(200, seal_status_body(sim.version, False))
            return
        now = sim.clock.now()
        token = sim.tokens.find(self._token_secret())
        if token is None or token.remaining_ttl(sim.tokens.start, now) < 0 or \
                not token.allows("LIST" if op == "list" else self.command, rel, namespace):
            raise VaultError(403, PERMISSION_DENIED)
        body = {}
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError as e:
                raise VaultError(400, f"failed to parse JSON input: {e}")
            if not isinstance(body, dict):
                raise VaultError(400, "failed to parse JSON input: expected a JSON object")
        if namespace not in sim.store.namespaces:
            raise _no_route(rel)
        first = rel.partition("/")[0]
        if first in ("sys", "auth"):
            status, data = sys_or_auth_handle(op, rel, body, token, sim.tokens, sim.store,
                                              now, namespace)
            self._send_json(status, _envelope(data) if data is not None else None)
            return
        mount, sub = sim.store.mount_of_path(namespace, rel)
        if mount is None or mount.type != PKI_TYPE:
            raise _no_route(rel)
        if not sub:
            raise VaultError(404, f"unsupported path: no handler for route \"{rel}\"")
        req = ApiRequest(op, namespace, rel, query, body, now)
        status, data = sim.api.handle(req, mount, sub)
        self._send_json(status, _envelope(data) if data is not None else None)
