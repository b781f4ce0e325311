# control.py: the simulator's control API under /_sim/ (no token, never
# faulted, never logged): request log, faults, order patching, the clock,
# tokens, the orders' statuses, going offline, the simulator CA. Documented in tests/vaultsim/README.md.

import re

from . import certs
from .errors import VaultError
from .policy import token_parse
from .views import order_view
from .state import Challenge
from .timefmt import rfc3339

PATCHABLE = ("role_name", "identifiers", "csr", "creation_date", "last_update",
             "next_work_date", "expires", "last_error", "serial_number", "challenges")


def control_handle(sim, method: str, path: str, query: dict, body):
    """(status, JSON-able answer or None) for /_sim/<path>."""
    p = path.strip("/")
    if p == "health" and method == "GET":
        now = sim.clock.now()
        return 200, {"ok": True, "backend": sim.backend, "orders": sim.store.order_count(),
                     "now": rfc3339(now), "now_epoch": now, "time_scale": sim.clock.time_scale,
                     "pid": sim.pid, "version": sim.version}
    if p == "requests":
        if method == "GET":
            since = int((query.get("since") or ["0"])[0])
            return 200, sim.log.entries(since)
        if method == "DELETE":
            return 200, {"cleared": sim.log.clear()}
    if p == "faults":
        if method == "GET":
            return 200, sim.faults.list()
        if method == "POST":
            specs = body if isinstance(body, list) else [body]
            ids = []
            for spec in specs:
                if not isinstance(spec, dict):
                    raise VaultError(400, "a fault is a JSON object")
                try:
                    ids.append(sim.faults.add(spec).id)
                except (ValueError, TypeError, KeyError, re.error) as e:
                    raise VaultError(400, f"bad fault: {e}")
            return 200, {"id": ids[0], "ids": ids}
        if method == "DELETE":
            return 200, {"cleared": sim.faults.clear()}
    if p.startswith("faults/") and method == "DELETE":
        try:
            n = sim.faults.clear(int(p.split("/", 1)[1]))
        except ValueError:
            raise VaultError(400, "fault id must be a number")
        return 200, {"cleared": n}
    if p == "advance" and method == "POST":
        body = body or {}
        try:
            if "time_scale" in body:
                sim.clock.set_scale(float(body["time_scale"]))
            now = sim.clock.advance(float(body.get("seconds", 0)))
        except (TypeError, ValueError) as e:
            raise VaultError(400, f"bad advance: {e}")
        return 200, {"now": rfc3339(now), "now_epoch": now, "time_scale": sim.clock.time_scale}
    if p == "token" and method == "POST":
        spec = (body or {}).get("spec") if isinstance(body, dict) else None
        if not isinstance(spec, str):
            raise VaultError(400, 'expected {"spec": "TOKEN[:OPT,...]"} (the --token syntax)')
        try:
            token = token_parse(spec)
        except ValueError as e:
            raise VaultError(400, str(e))
        sim.tokens.put(token)
        return 200, {"sha256": token.sha256, "policies": token.policies}
    if p == "token" and method == "DELETE":
        secret = (body or {}).get("token") if isinstance(body, dict) else None
        if not isinstance(secret, str):
            raise VaultError(400, 'expected {"token": "TOKEN"}')
        return 200, {"revoked": 1 if sim.tokens.revoke(secret) else 0}
    if p == "orders" and method == "GET":
        ns = (query.get("namespace") or [""])[0].strip("/")
        mount_name = (query.get("mount") or ["pki-external-ca"])[0]
        now = sim.clock.now()
        with sim.store.lock:
            m = sim.store.mount(ns, mount_name)
            orders = m.orders if m is not None else {}
            statuses = {oid: o.state_at(now)[0] for oid, o in orders.items()}
        return 200, {"now_epoch": now, "orders": statuses}
    if p == "offline" and method == "POST":
        try:
            seconds = float((body or {}).get("seconds"))
        except (TypeError, ValueError, AttributeError):
            raise VaultError(400, 'expected {"seconds": S}')
        if not 0 < seconds <= 3600:
            raise VaultError(400, "seconds must be in (0, 3600]")
        sim.go_offline(seconds)
        return 200, {"offline_seconds": seconds}
    if p == "order" and method == "POST":
        return 200, order_patch(sim, body or {})
    if p == "ca" and method == "GET":
        return 200, {"root_pem": certs.cert_pem(sim.ca.root),
                     "issuer_pem": certs.cert_pem(sim.ca.issuer),
                     "chain": list(sim.ca.chain_pems)}
    raise VaultError(404, f"no control endpoint {method} /_sim/{p}")


def order_patch(sim, body: dict):
    """Patch one order: order_status goes through its timeline (last_update moves),
    every other PATCHABLE field is a raw override of what the API answers."""
    if not isinstance(body, dict) or not isinstance(body.get("order_id"), str):
        raise VaultError(400, "order_id (string) is required")
    ns = str(body.get("namespace", "")).strip("/")
    mount_name = body.get("mount", "pki-external-ca")
    now = sim.clock.now()
    with sim.store.lock:
        mount = sim.store.mount(ns, mount_name)
        order = mount.orders.get(body["order_id"]) if mount is not None else None
        if order is None:
            raise VaultError(404, f"order {body['order_id']!r} not found in "
                                  f"namespace {ns!r} mount {mount_name!r}")
        if body.get("delete"):
            del mount.orders[order.order_id]
            return {"deleted": order.order_id}
        unknown = set(body) - set(PATCHABLE) - {"order_id", "namespace", "mount", "order_status",
                                                "challenge_status", "delete", "cert_not_before",
                                                "cert_not_after"}
        if unknown:
            raise VaultError(400, f"unknown fields {sorted(unknown)}; patchable: "
                                  f"{['order_status', 'challenge_status', *PATCHABLE]}")
        if "order_status" in body:
            order.set_status(now, str(body["order_status"]),
                             body.get("last_error") if isinstance(body.get("last_error"), str)
                             else None)
        if "challenge_status" in body:
            # {"identifier": {"http-01": "valid"}}: set challenge statuses now
            cs = body["challenge_status"]
            if not isinstance(cs, dict):
                raise VaultError(400, "challenge_status is {identifier: {type: status}}")
            for ident, per in cs.items():
                for ctype, st in (per or {}).items():
                    ch = order.challenges.setdefault(ident, {}).get(ctype)
                    if ch is None:
                        ch = order.challenges[ident][ctype] = Challenge(
                            ctype, "", "", order.expires, [])
                    ch.set_status(now, str(st))
        for k, attr in (("cert_not_before", "not_before"), ("cert_not_after", "not_after")):
            # the certificate's validity as lookup/cert answers it (epoch seconds); the
            # PEM of fetch-cert keeps the dates it was issued with
            if k in body:
                if order.serial is None:
                    raise VaultError(400, f"{k}: the order has no certificate")
                if not isinstance(body[k], (int, float)) or isinstance(body[k], bool):
                    raise VaultError(400, f"{k} is a number of seconds since the epoch")
                setattr(order, attr, float(body[k]))
        for k in PATCHABLE:
            if k in body:
                if k == "last_error" and "order_status" in body and isinstance(body[k], str):
                    continue
                order.overrides[k] = body[k]
        return order_view(order, now)
