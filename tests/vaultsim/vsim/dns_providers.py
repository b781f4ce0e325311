# dns_providers.py: Vault's DNS providers (config/dns/<type>/<name>): the four
# types and their fields, input checking, the answer without secrets, and
# which provider covers an identifier (its `identifiers` globs, `*` allowed
# only as the whole leftmost label; `*` matches one or more labels, so
# "*.auto.example.net" covers "a.auto.example.net", "a.b.auto.example.net"
# and the wildcard "*.auto.example.net", not "auto.example.net").

import base64
import binascii
import ipaddress

from . import domains
from .errors import VaultError
from .timefmt import parse_duration, rfc3339

# type -> (fields returned, secret fields (write-only), required fields)
TYPES = {
    "aws-route53": (("region", "hosted_zone_id"), ("secret_access_key",), ()),
    "azure-dns": (("zone_name", "tenant_id", "subscription_id", "resource_group_name",
                   "environment"), ("client_secret",), ()),
    "google-cloud-dns": (("project", "zone_name"), ("credentials",), ()),
    "rfc2136": (("nameserver", "tsig_key_name", "tsig_algorithm"), ("tsig_secret",),
                ("nameserver",)),
}
SECRET_FIELDS = frozenset(f for _, secrets, _ in TYPES.values() for f in secrets)
TSIG_ALGORITHMS = ("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512")


class DnsProvider:
    def __init__(self, typ, name, identifiers, ttl, fields, secrets, now):
        self.type = typ
        self.name = name
        self.identifiers = list(identifiers)
        self.ttl = ttl
        self.fields = dict(fields)     # the returned per-type fields
        self.secrets = dict(secrets)   # kept, never returned
        self.creation = now
        self.updated = now

    @property
    def key(self) -> str:
        return f"{self.type}/{self.name}"

    def covers(self, identifier: str) -> bool:
        name = identifier.lower().rstrip(".")
        for glob in self.identifiers:
            g = glob.lower().rstrip(".")
            if g.startswith("*."):
                if name.endswith(g[1:]) and len(name) > len(g) - 1:
                    return True
            elif name == g:
                return True
        return False

    def view(self) -> dict:
        d = {"name": self.name, "type": self.type, "identifiers": list(self.identifiers),
             "ttl": self.ttl, "creation_date": rfc3339(self.creation),
             "last_updated_date": rfc3339(self.updated)}
        d.update(self.fields)
        return d


def glob_error(glob) -> str | None:
    """Why glob is not an identifiers glob (a DNS name, `*` only as the leftmost label)."""
    if not isinstance(glob, str) or not glob:
        return "identifiers must be non-empty strings"
    rest = glob[2:] if glob.startswith("*.") else glob
    if "*" in rest:
        return (f"identifiers glob {glob!r}: \"*\" is only allowed as the whole leftmost "
                f"label (\"*.example.com\")")
    why = domains.identifier_syntax_error(rest)
    return f"identifiers glob {glob!r} is not a DNS name" if why else None


def _ttl(raw, typ) -> int:
    if raw is None or raw == "":
        return 10 if typ == "google-cloud-dns" else 60
    try:
        ttl = parse_duration(raw)
    except ValueError as e:
        raise VaultError(400, f"ttl: {e}")
    if ttl <= 0:
        raise VaultError(400, "ttl must be positive")
    return int(ttl)


def _check_field(typ, field, value) -> None:
    if not isinstance(value, str):
        raise VaultError(400, f"parameter \"{field}\" must be a string")
    if field == "nameserver":
        host, sep, port = value.rpartition(":")
        try:
            ipaddress.ip_address(host.strip("[]"))
            ok = sep and port.isdigit() and 0 < int(port) < 65536
        except ValueError:
            ok = False
        if not ok:
            raise VaultError(400, f"nameserver {value!r}: expected IP:port (\"127.0.0.1:53\")")
    elif field == "tsig_algorithm" and value not in TSIG_ALGORITHMS:
        raise VaultError(400, f"invalid tsig_algorithm {value!r}: expected one of "
                              f"{list(TSIG_ALGORITHMS)}")
    elif field == "tsig_secret":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise VaultError(400, "tsig_secret must be base64")


def provider_write(existing, typ, name, req) -> DnsProvider:
    """The provider after a write of req (create, or update of existing)."""
    returned, secret_names, required = TYPES[typ]
    globs = req.param_list("identifiers")
    if globs is None and existing is not None:
        globs = existing.identifiers
    if not globs:
        raise VaultError(400, "missing required parameter \"identifiers\" (at least one glob)")
    for g in globs:
        why = glob_error(g)
        if why:
            raise VaultError(400, why)
    raw_ttl = req.param("ttl")
    ttl = existing.ttl if raw_ttl is None and existing is not None else _ttl(raw_ttl, typ)
    fields = dict(existing.fields) if existing else {}
    secrets = dict(existing.secrets) if existing else {}
    for f in returned + secret_names:
        v = req.param(f)
        if v is None:
            continue
        _check_field(typ, f, v)
        (secrets if f in secret_names else fields)[f] = v
    if typ == "rfc2136":
        fields.setdefault("tsig_algorithm", "hmac-sha1")
    for f in returned:
        fields.setdefault(f, "")
    missing = [f for f in required if not fields.get(f)]
    if missing:
        raise VaultError(400, f"missing required parameter \"{missing[0]}\" for {typ}")
    p = DnsProvider(typ, name, globs, ttl, fields, secrets, req.now)
    if existing is not None:
        p.creation = existing.creation
    return p


def provider_for(providers: dict, identifier: str):
    """The provider (first by "type/name") whose globs cover identifier, or None."""
    for key in sorted(providers):
        if providers[key].covers(identifier):
            return providers[key]
    return None


def record_name(identifier: str) -> str:
    host = identifier[2:] if identifier.startswith("*.") else identifier
    return "_acme-challenge." + host.rstrip(".")
