# sys_api.py: the non-PKI Vault endpoints a client touches: sys/health and
# sys/seal-status (no token), sys/mounts, and auth/token/lookup-self (the
# caller's own token: ttl, policies, display_name; never the token itself).

import hashlib
import time
import uuid

from .errors import VaultError
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


def mounts_body(store, namespace: str) -> dict:
    with store.lock:
        names = sorted(store.namespaces.get(namespace, {}))
    data = {}
    for n in names:
        data[n + "/"] = {"type": "pki-external-ca", "description": "",
                         "accessor": "pki-external-ca_" + hashlib.sha256(
                             n.encode()).hexdigest()[:8],
                         "config": {"default_lease_ttl": 0, "max_lease_ttl": 0},
                         "local": False, "seal_wrap": False, "options": None}
    return data


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


def sys_or_auth_handle(op: str, path: str, token, tokens, store, now, namespace):
    """(status, data) for sys/* and auth/* paths that need a token."""
    if path == "auth/token/lookup-self" and op in ("read", "write"):
        return 200, lookup_self_data(token, tokens.start, now, namespace)
    if path == "sys/mounts" and op == "read":
        return 200, mounts_body(store, namespace)
    raise VaultError(404, f"unsupported path: no handler for route \"{path}\"")
