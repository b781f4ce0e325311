# reqlog.py: the log of /v1 requests tests assert on (GET /_sim/requests).
# Entries hold method, path, query, headers, status, duration, namespace and
# mount (the mount the path is under in that namespace, null for sys/, auth/
# and paths under no mount);
# the X-Vault-Token header value is replaced by "sha256:<12 hex>" and the full
# hash is in token_sha256, so the log never holds a token yet a test can tell
# which token was sent. Request bodies are kept as parsed JSON ("body"),
# capped at 64 KiB, with the values of secret parameters (DNS provider
# credentials, imported account keys, EAB keys) replaced by "<redacted>".

import json
import threading

from .dns_providers import SECRET_FIELDS
from .policy import token_sha256

SECRET_PARAMS = SECRET_FIELDS | {"account_key", "eab_key"}

MAX_ENTRIES = 200_000


BODY_LOG_MAX = 65536


def _body_view(raw: bytes):
    """The request body as the log keeps it: parsed JSON with secret parameters
    redacted, a note when it is not JSON or too large, None when there was none."""
    if not raw or not raw.strip():
        return None
    if len(raw) > BODY_LOG_MAX:
        return {"_not_logged": f"{len(raw)} bytes"}
    try:
        body = json.loads(raw)
    except ValueError:
        return {"_not_json": len(raw)}
    if isinstance(body, dict):
        body = {k: ("<redacted>" if k in SECRET_PARAMS else v) for k, v in body.items()}
    return body


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def record(self, method, path, query, headers, namespace, status, duration_ms, fault=None,
               body=b"", mount=None):
        hdrs = {}
        tok_hash = None
        for name, value in headers.items():
            if name.lower() == "x-vault-token":
                tok_hash = token_sha256(value)
                value = "sha256:" + tok_hash[:12]
            elif name.lower() in ("authorization", "cookie"):
                value = "redacted"
            hdrs[name] = value
        with self._lock:
            self._seq += 1
            self._entries.append({"seq": self._seq, "method": method, "path": path,
                                  "query": query, "headers": hdrs, "token_sha256": tok_hash,
                                  "namespace": namespace, "mount": mount,
                                  "status": status,
                                  "duration_ms": round(duration_ms, 3), "fault": fault,
                                  "body": _body_view(body)})
            if len(self._entries) > MAX_ENTRIES:
                del self._entries[:len(self._entries) - MAX_ENTRIES]

    def entries(self, since: int = 0):
        with self._lock:
            return [e for e in self._entries if e["seq"] > since]

    def clear(self) -> int:
        with self._lock:
            n = len(self._entries)
            self._entries = []
            return n
