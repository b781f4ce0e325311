# views.py: the JSON shapes the API answers with: the order object (status,
# lookup/order), recent key_info, accounts (account_keys: version -> key),
# roles, and certificate data (fetch-cert, cached) in the pem, pem_bundle and
# der formats.

import base64
import datetime
import math

from cryptography import x509

from . import certs
from .state import TERMINAL, Account, Order, Role
from .timefmt import ZERO_TIME, rfc3339


def next_work_date(order: Order, status: str, now: float) -> str:
    if status in TERMINAL:
        return ZERO_TIME
    periodic = order.creation + (math.floor((now - order.creation) / 60.0) + 1) * 60.0
    nxt = order.next_change_after(now)
    # rounded up to the second: shown without fractions it is still after now
    return rfc3339(math.ceil(min(periodic, nxt) if nxt is not None else periodic))


def challenges_view(order: Order, now: float) -> dict:
    out = {}
    for ident, per in order.challenges.items():
        items = [{"challenge_type": c.type, "challenge_status": c.status_at(now),
                  "expires": rfc3339(c.expires)}
                 for c in per.values() if c.timeline and c.timeline[0][0] <= now]
        if items:
            out[ident] = items
    return out


def order_view(order: Order, now: float) -> dict:
    status, last_update, last_error = order.state_at(now)
    d = {
        "order_id": order.order_id,
        "order_status": status,
        "role_name": order.role_name,
        "identifiers": list(order.identifiers),
        "csr": order.csr_pem,
        "creation_date": rfc3339(order.creation),
        "last_update": rfc3339(last_update),
        "next_work_date": next_work_date(order, status, now),
        "expires": rfc3339(order.expires),
        "last_error": last_error,
        "serial_number": certs.serial_format(order.serial) if order.cert_issued_at(now) else "",
        "challenges": challenges_view(order, now),
    }
    if order.overrides:
        d.update(order.overrides)
    return d


def recent_info(order: Order, status: str, last_update: float) -> dict:
    d = {"creation_date": rfc3339(order.creation), "identifiers": list(order.identifiers),
         "last_update": rfc3339(last_update), "order_status": status,
         "role_name": order.role_name}
    if order.overrides:
        for k in d:
            if k in order.overrides:
                d[k] = order.overrides[k]
    return d


def account_view(a: Account) -> dict:
    keys = {str(v): {"key_type": k.key_type, "key_version": v,
                     "key_creation_date": rfc3339(k.creation)} for v, k in sorted(a.keys.items())}
    return {"name": a.name, "directory_url": a.directory_url,
            "email_contacts": list(a.email_contacts), "active_key_version": a.active_key_version,
            "account_keys": keys,
            "trusted_ca": a.trusted_ca, "creation_date": rfc3339(a.creation),
            "last_updated_date": rfc3339(a.updated)}


def role_view(r: Role) -> dict:
    return {"name": r.name, "acme_account_name": r.acme_account_name,
            "allowed_domains": list(r.allowed_domains),
            "allowed_domain_options": list(r.allowed_domain_options),
            "allowed_challenge_types": list(r.allowed_challenge_types),
            "csr_generate_key_type": r.csr_generate_key_type,
            "csr_identifier_population": r.csr_identifier_population,
            "creation_date": rfc3339(r.creation), "last_updated_date": rfc3339(r.updated)}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def cert_data(bundle, fmt: str) -> dict:
    cert = bundle.cert
    chain = list(bundle.chain_pems)
    if fmt == "der":
        chain_der = [x509.load_pem_x509_certificate(p.encode("ascii")) for p in chain]
        certificate = _b64(certs.cert_der(cert))
        ca_chain = [_b64(certs.cert_der(c)) for c in chain_der]
        key = _b64(certs.key_der(bundle.key)) if bundle.key is not None else (
            _pem_body(bundle.key_pem) if bundle.key_pem else "")
    else:
        certificate = certs.cert_pem(cert)
        if fmt == "pem_bundle":
            certificate += "".join(chain)
        ca_chain = chain
        key = bundle.key_pem or ""
    return {"certificate": certificate, "ca_chain": ca_chain, "private_key": key,
            "private_key_type": bundle.key_type if key else "",
            "serial_number": certs.serial_format(cert.serial_number),
            "not_before": rfc3339(_timestamp(cert.not_valid_before)),
            "not_after": rfc3339(_timestamp(cert.not_valid_after)),
            "authority_key_id": certs.cert_authority_key_id(cert),
            "certificate_format": fmt}


def _timestamp(naive_utc: datetime.datetime) -> float:
    """cryptography 38 gives naive UTC datetimes; .timestamp() alone would read local time."""
    return naive_utc.replace(tzinfo=datetime.timezone.utc).timestamp()


def _pem_body(pem: str) -> str:
    """The base64 DER inside a PEM block."""
    return "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
