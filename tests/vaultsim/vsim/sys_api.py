# sys_api.py: the non-PKI Vault endpoints a client touches: sys/health and
# sys/seal-status (no token), sys/mounts (list; POST sys/mounts/PATH mounts an
# engine), POST sys/namespaces/NAME, sys/internal/ui/mounts/PATH (a mount's
# type, for a token with any capability under it), and auth/token/lookup-self
# (the caller's own token: ttl, policies, display_name; never the token itself).

import hashlib
import time
import uuid

from .errors import PERMISSION_DENIED, VaultError
from .timefmt import rfc3339

VAULT_VERSION = "2.0.1+ent"
CLUSTER_ID = str(uuid.UUID(int=0x5A17_0000_0000_4000_8000_0000_0000_0001))


def health_body(version: str, sealed: bool) -> dict:
    return {"initialized": True, "sealed": sealed, "standby": False,
            "performance_standby": False, "replication_performance_mode": "disabled",
            "replication_dr_mode": "disabled", "server_time_utc": int(time.time()),
            "version": version, "enterprise": True, "cluster_name": "vault-cluster-vaultsim",
            "cluster_id": CLUSTER_ID, "echo_duration_ms": 0, "clock_skew_ms": 0}


def seal_status_body(version: str, sealed: bool) -> dict:
    return {"type": "shamir", "initialized": True, "sealed": sealed, "t": 1, "n": 1,
            "progress": 0, "nonce": "", "version": version, "build_date": "2026-01-01T00:00:00Z",
            "migration": False, "cluster_name": "vault-cluster-vaultsim",
            "cluster_id": CLUSTER_ID, "recovery_seal": False, "storage_type": "raft"}


def mount_entry(m) -> dict:
    return {"type": m.type, "description": "",
            "accessor": m.type + "_" + hashlib.sha256(m.name.encode()).hexdigest()[:8],
            "config": {"default_lease_ttl": 0, "max_lease_ttl": 0},
            "local": False, "seal_wrap": False, "options": m.options}


def mounts_body(store, namespace: str) -> dict:
    with store.lock:
        mounts = sorted(store.namespaces.get(namespace, {}).items())
    return {n + "/": mount_entry(m) for n, m in mounts}


def _mount_create(store, namespace, path, body) -> None:
    name = path.strip("/")
    typ = body.get("type")
    if not isinstance(typ, str) or not typ:
        raise VaultError(400, "missing required parameter \"type\"")
    options = body.get("options")
    if options is not None and not isinstance(options, dict):
        raise VaultError(400, "options must be a JSON object")
    if name in ("sys", "auth") or name.startswith(("sys/", "auth/")):
        raise VaultError(400, f"cannot mount at reserved path {name}/")
    try:
        store.mount_create(namespace, name, typ, options)
    except ValueError as e:
        raise VaultError(400, str(e))


def _namespace_create(store, namespace, name) -> dict:
    if not name or "/" in name:
        raise VaultError(400, f"namespace name {name!r}: one path segment expected "
                              f"(create children with X-Vault-Namespace set to the parent)")
    full = f"{namespace}/{name}" if namespace else name
    if not store.namespace_create(full):
        raise VaultError(400, f"namespace \"{full}/\" already exists")
    return {"id": hashlib.sha256(full.encode()).hexdigest()[:5], "path": full + "/",
            "custom_metadata": {}}


def _ui_mount(store, token, namespace, path) -> dict:
    """sys/internal/ui/mounts/PATH: 403 for a mount that does not exist or that
    the token sees nothing of (as Vault: no probing for mounts)."""
    m, _ = store.mount_of_path(namespace, path.strip("/"))
    if m is None or not token.sees_mount(m.name, namespace):
        raise VaultError(403, PERMISSION_DENIED)
    d = mount_entry(m)
    d["path"] = m.name + "/"
    return d


def lookup_self_data(token, store_start: float, now: float, namespace: str) -> dict:
    ttl = token.remaining_ttl(store_start, now)
    return {"accessor": token.accessor, "creation_time": int(store_start),
            "creation_ttl": token.ttl, "display_name": token.display_name,
            "entity_id": "", "expire_time": rfc3339(store_start + token.ttl) if token.ttl else None,
            "explicit_max_ttl": 0, "issue_time": rfc3339(store_start), "meta": None,
            "num_uses": 0, "orphan": True, "path": "auth/token/create",
            "policies": list(token.policies), "renewable": bool(token.ttl),
            "ttl": max(ttl, 0), "type": "service",
            "namespace_path": (namespace + "/") if namespace else ""}


def sys_or_auth_handle(op: str, path: str, body: dict, token, tokens, store, now,
                       namespace):
    """(status, data) for sys/* and auth/* paths that need a token."""
    if path == "auth/token/lookup-self" and op in ("read", "write"):
        return 200, lookup_self_data(token, tokens.start, now, namespace)
    if path == "sys/mounts" and op == "read":
        return 200, mounts_body(store, namespace)
    if path.startswith("sys/internal/ui/mounts/") and op == "read":
        return 200, _ui_mount(store, token, namespace, path[len("sys/internal/ui/mounts/"):])
    for prefix in ("sys/mounts/", "sys/namespaces/"):
        if path.startswith(prefix) and op == "write":
            if not token.is_root:
                raise VaultError(403, PERMISSION_DENIED)
            if prefix == "sys/mounts/":
                _mount_create(store, namespace, path[len(prefix):], body)
                return 204, None
            return 200, _namespace_create(store, namespace, path[len(prefix):])
    raise VaultError(404, f"unsupported path: no handler for route \"{path}\"")
