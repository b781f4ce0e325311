# sys_api.py: the non-PKI Vault endpoints a client touches: sys/health and
# sys/seal-status (no token), sys/mounts (list, with Vault's own sys/,
# identity/, cubbyhole/; POST sys/mounts/PATH mounts an engine),
# sys/namespaces (LIST the children, GET one, POST NAME creates it),
# sys/internal/ui/mounts/PATH (a mount's
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


# Vault's own mounts, in every namespace (types ns_* outside the root, as Vault
# Enterprise answers): listed by sys/mounts, never engines of the simulator.
BUILTIN_MOUNTS = ("cubbyhole", "identity", "sys")
_BUILTIN_TYPES = {"cubbyhole": "cubbyhole", "identity": "identity", "sys": "system"}


def mounts_body(store, namespace: str) -> dict:
    with store.lock:
        mounts = sorted(store.namespaces.get(namespace, {}).items())
    body = {n + "/": mount_entry(m) for n, m in mounts}
    for name in BUILTIN_MOUNTS:
        typ = _BUILTIN_TYPES[name]
        e = mount_entry(_Builtin(name, typ if not namespace else "ns_" + typ))
        body[name + "/"] = e
    return dict(sorted(body.items()))


class _Builtin:
    """The fields mount_entry reads, for one of Vault's own mounts."""

    def __init__(self, name, typ):
        self.name, self.type, self.options = name, typ, None


def _mount_create(store, namespace, path, body) -> None:
    name = path.strip("/")
    typ = body.get("type")
    if not isinstance(typ, str) or not typ:
        raise VaultError(400, "missing required parameter \"type\"")
    options = body.get("options")
    if options is not None and not isinstance(options, dict):
        raise VaultError(400, "options must be a JSON object")
    if name.split("/")[0] in ("auth",) + BUILTIN_MOUNTS:
        raise VaultError(400, f"cannot mount at reserved path {name}/")
    try:
        store.mount_create(namespace, name, typ, options)
    except ValueError as e:
        raise VaultError(400, str(e))


def namespace_info(full: str) -> dict:
    """A namespace as Vault describes it: a 5-character id, the path from the
    root with a trailing "/", custom_metadata."""
    return {"id": hashlib.sha256(full.encode()).hexdigest()[:5], "path": full + "/",
            "custom_metadata": {}}


def _namespace_create(store, namespace, name) -> dict:
    if not name or "/" in name:
        raise VaultError(400, f"namespace name {name!r}: one path segment expected "
                              f"(create children with X-Vault-Namespace set to the parent)")
    full = f"{namespace}/{name}" if namespace else name
    if not store.namespace_create(full):
        raise VaultError(400, f"namespace \"{full}/\" already exists")
    return namespace_info(full)


def _namespaces_list(store, namespace) -> dict:
    """LIST sys/namespaces: the direct children of namespace; none → 404 {"errors":[]}."""
    children = store.namespace_children(namespace)
    if not children:
        raise VaultError(404)
    keys = [c.rpartition("/")[2] + "/" for c in children]
    return {"keys": keys, "key_info": {k: namespace_info(c) for k, c in zip(keys, children)}}


def _namespace_read(store, namespace, name) -> dict:
    full = f"{namespace}/{name}" if namespace else name
    if "/" in name or full not in store.namespaces:
        raise VaultError(404)
    return namespace_info(full)


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
    if path == "sys/namespaces" and op == "list":
        return 200, _namespaces_list(store, namespace)
    if path.startswith("sys/namespaces/") and op == "read":
        return 200, _namespace_read(store, namespace, path[len("sys/namespaces/"):])
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
