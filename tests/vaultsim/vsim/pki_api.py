# pki_api.py: the PKI External CA endpoints of API.md at any mount: ACME
# accounts (create, import, update, delete, rotate-key), roles, DNS providers
# (config/dns, dns/test/workflow), orders (new-order, status, challenge,
# fulfilled-challenge, fetch-cert, revoke, active-orders, cached) and lookups
# (order, orders, orders/recent, cert). Input checking and Vault-shaped
# answers live here; what happens to an order over time is the engine's
# business (scripted.py or pebble_backend.py).

import re
import time
import uuid

from . import certs, domains
from .dns_providers import TYPES as DNS_TYPES, provider_for, provider_write, record_name
from .errors import VaultError
from .state import CHALLENGE_TYPES, TERMINAL, Account, AccountKey, Order, Role
from .timefmt import parse_duration, rfc3339
from .views import account_view, cert_data, order_view, recent_info, role_view

ORDER_LIFETIME = 7 * 86400.0
DNS_TEST_WAIT = 10.0
RECENT_MIN, RECENT_MAX, RECENT_CAP = 3600.0, 168 * 3600.0, 500
DOMAIN_OPTIONS = ("bare_domains", "subdomains", "wildcards", "globs")
POPULATIONS = ("cn_first", "sans_only")
CERT_FORMATS = ("pem", "der", "pem_bundle")
REVOKE_REASONS = {"unspecified": 0, "key_compromise": 1, "ca_compromise": 2,
                  "affiliation_changed": 3, "superseded": 4, "cessation_of_operation": 5,
                  "certificate_hold": 6, "remove_from_crl": 8, "privilege_withdrawn": 9,
                  "aa_compromise": 10}
ACCOUNT_KEY_TYPES = ("ec-256", "ec-384", "ec-521", "rsa-2048", "rsa-4096", "rsa-8192")
ACCOUNT_FIXED = ("directory_url", "email_contacts", "key_type", "eab_kid", "eab_key",
                 "account_key")
_DNS_TYPE = "(" + "|".join(re.escape(t) for t in DNS_TYPES) + ")"


class ApiRequest:
    """One Vault request as the handlers see it (op: list, read, write, delete)."""
    __slots__ = ("op", "namespace", "path", "query", "body", "now")

    def __init__(self, op, namespace, path, query, body, now):
        self.op = op
        self.namespace = namespace
        self.path = path          # after /v1/, no trailing slash
        self.query = query        # name -> [values]
        self.body = body          # dict (JSON body) or {}
        self.now = now

    def param(self, name, default=None):
        if name in self.body:
            return self.body[name]
        values = self.query.get(name)
        return values[0] if values else default

    def param_list(self, name):
        """A []string parameter: JSON array, comma-separated text, or repeated query."""
        if name in self.body:
            v = self.body[name]
        else:
            values = self.query.get(name)
            if not values:
                return None
            v = values[0] if len(values) == 1 else values
        if isinstance(v, str):
            return [x.strip() for x in v.split(",") if x.strip()]
        if isinstance(v, list):
            return v
        raise VaultError(400, f"{name} must be a list of strings")


# ---- the API ----------------------------------------------------------------------

class PkiApi:
    def __init__(self, store, clock, scripted, pebble=None, backend="scripted"):
        self.store = store
        self.clock = clock
        self.scripted = scripted
        self.pebble = pebble
        self.backend = backend
        self._routes = [
            (re.compile(r"config/acme-account"), {"list": self.account_list}),
            (re.compile(r"config/acme-account/([^/]+)"),
             {"read": self.account_read, "write": self.account_write,
              "delete": self.account_delete}),
            (re.compile(r"config/acme-account/([^/]+)/import"), {"write": self.account_import}),
            (re.compile(r"config/acme-account/([^/]+)/rotate-key"),
             {"write": self.account_rotate_key}),
            (re.compile(r"config/dns"), {"list": self.dns_list}),
            (re.compile(r"config/dns/" + _DNS_TYPE), {"list": self.dns_list_type}),
            (re.compile(r"config/dns/" + _DNS_TYPE + r"/([^/]+)"),
             {"read": self.dns_read, "write": self.dns_write, "delete": self.dns_delete}),
            (re.compile(r"dns/test/workflow"), {"write": self.dns_test_workflow}),
            (re.compile(r"role"), {"list": self.role_list}),
            (re.compile(r"role/([^/]+)"),
             {"read": self.role_read, "write": self.role_write, "delete": self.role_delete}),
            (re.compile(r"role/([^/]+)/new-order"), {"write": self.order_new}),
            (re.compile(r"role/([^/]+)/order/([^/]+)/status"), {"read": self.order_status}),
            (re.compile(r"role/([^/]+)/order/([^/]+)/challenge"),
             {"read": self.order_challenge}),
            (re.compile(r"role/([^/]+)/order/([^/]+)/fulfilled-challenge"),
             {"write": self.order_fulfilled}),
            (re.compile(r"role/([^/]+)/order/([^/]+)/fetch-cert"),
             {"read": self.order_fetch_cert}),
            (re.compile(r"role/([^/]+)/order/([^/]+)/revoke"), {"write": self.order_revoke}),
            (re.compile(r"role/([^/]+)/active-orders"), {"list": self.role_active_orders}),
            (re.compile(r"role/([^/]+)/cached"), {"read": self.role_cached}),
            (re.compile(r"lookup/order/([^/]+)"), {"read": self.lookup_order}),
            (re.compile(r"lookup/orders"), {"list": self.lookup_orders}),
            (re.compile(r"lookup/orders/recent"), {"list": self.lookup_recent}),
            (re.compile(r"lookup/cert/([^/]+)"), {"read": self.lookup_cert}),
        ]

    def handle(self, req: ApiRequest, mount, sub: str):
        """(status, data or None) for a request to sub (path after the mount)."""
        for rx, ops in self._routes:
            m = rx.fullmatch(sub)
            if m is None:
                continue
            fn = ops.get(req.op)
            if fn is None:
                raise VaultError(405, "unsupported operation")
            return fn(req, mount, *m.groups())
        raise VaultError(404, f"unsupported path: no handler for route \"{req.path}\"")

    # ---- helpers --------------------------------------------------------------

    @staticmethod
    def _keys(keys, key_info=None):
        if not keys:
            raise VaultError(404)            # Vault: empty list -> 404 {"errors":[]}
        data = {"keys": keys}
        if key_info is not None:
            data["key_info"] = key_info
        return 200, data

    def _role(self, mount, name) -> Role:
        role = mount.roles.get(name)
        if role is None:
            raise VaultError(404, f"role \"{name}\" not found")
        return role

    def _order(self, mount, role_name, order_id) -> Order:
        self._role(mount, role_name)
        order = mount.orders.get(order_id)
        if order is None or order.role_name != role_name:
            raise VaultError(404, f"order \"{order_id}\" not found for role \"{role_name}\"")
        return order

    def _engine_for(self, order_or_account):
        if isinstance(order_or_account, Order):
            return order_or_account.engine
        if self.backend == "pebble" and order_or_account.acme is not None:
            return self.pebble
        return self.scripted

    @staticmethod
    def _bool_param(req, name) -> bool:
        v = req.param(name, False)
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.lower() in ("true", "false", "1", "0", ""):
            return v.lower() in ("true", "1")
        raise VaultError(400, f"parameter \"{name}\" must be a boolean")

    @staticmethod
    def _active_orders(mount, now, roles):
        return [o for o in mount.orders.values()
                if o.role_name in roles and o.state_at(now)[0] not in TERMINAL]

    @staticmethod
    def _str_param(req, name, required=True, default=""):
        v = req.param(name)
        if v is None or v == "":
            if required:
                raise VaultError(400, f"missing required parameter \"{name}\"")
            return default
        if not isinstance(v, str):
            raise VaultError(400, f"parameter \"{name}\" must be a string")
        return v

    # ---- accounts --------------------------------------------------------------

    def account_list(self, req, mount):
        with self.store.lock:
            return self._keys(sorted(mount.accounts))

    def account_read(self, req, mount, name):
        with self.store.lock:
            a = mount.accounts.get(name)
            if a is None:
                raise VaultError(404, f"ACME account \"{name}\" not found")
            return 200, account_view(a)

    def _account_register(self, name, directory_url, trusted_ca, contacts, key_type,
                          version, key_pem=None):
        engine = self.pebble if self.backend == "pebble" else self.scripted
        return engine.account_register(name, directory_url, trusted_ca, contacts,
                                       key_type=key_type, version=version, key_pem=key_pem)

    def _account_input(self, req, import_key=False):
        directory_url = self._str_param(req, "directory_url")
        trusted_ca = self._str_param(req, "trusted_ca", required=False)
        if trusted_ca and "-----BEGIN CERTIFICATE-----" not in trusted_ca:
            raise VaultError(400, "trusted_ca must be a PEM certificate")
        contacts = req.param_list("email_contacts") or []
        if not all(isinstance(c, str) and c for c in contacts):
            raise VaultError(400, "email_contacts must be a list of strings")
        if not contacts and not import_key:
            raise VaultError(400, "missing required parameter \"email_contacts\" "
                                  "(at least one address)")
        for f in ("eab_kid", "eab_key"):
            self._str_param(req, f, required=False)
        return directory_url, trusted_ca, contacts

    def account_write(self, req, mount, name):
        with self.store.lock:
            existing = mount.accounts.get(name)
        if existing is not None:
            return self._account_update(req, existing)
        directory_url, trusted_ca, contacts = self._account_input(req)
        key_type = self._str_param(req, "key_type", required=False, default="ec-256")
        if key_type not in ACCOUNT_KEY_TYPES:
            raise VaultError(400, f"invalid key_type \"{key_type}\": expected one of "
                                  f"{list(ACCOUNT_KEY_TYPES)}")
        if "account_key" in req.body:
            raise VaultError(400, "account_key is given to config/acme-account/:name/import")
        thumbprint, acme = self._account_register(name, directory_url, trusted_ca, contacts,
                                                  key_type, 1)
        return self._account_store(mount, name, Account(
            name, directory_url, contacts, trusted_ca, req.now, thumbprint, acme, key_type))

    def _account_store(self, mount, name, account):
        with self.store.lock:
            if name in mount.accounts:
                raise VaultError(400, f"ACME account \"{name}\" already exists")
            mount.accounts[name] = account
            return 200, account_view(account)

    def _account_update(self, req, a):
        """A write to an existing account: only trusted_ca may change."""
        current = {"directory_url": a.directory_url, "email_contacts": a.email_contacts,
                   "key_type": a.active_key.key_type}
        for f in ACCOUNT_FIXED:
            if f not in req.body:
                continue
            v = req.param_list(f) if f == "email_contacts" else req.param(f)
            if f not in current or v != current[f]:
                raise VaultError(400, f"\"{f}\" of ACME account \"{a.name}\" cannot change: "
                                      f"only trusted_ca can be updated (use rotate-key for "
                                      f"a new key)")
        trusted_ca = self._str_param(req, "trusted_ca", required=False, default=a.trusted_ca)
        if trusted_ca and "-----BEGIN CERTIFICATE-----" not in trusted_ca:
            raise VaultError(400, "trusted_ca must be a PEM certificate")
        with self.store.lock:
            a.trusted_ca = trusted_ca
            a.updated = req.now
            return 200, account_view(a)

    def account_import(self, req, mount, name):
        pem = self._str_param(req, "account_key")
        try:
            key = certs.key_load(pem)
        except ValueError as e:
            raise VaultError(400, f"account_key: {e}")
        key_type = certs.key_type_of(key)
        if key_type not in ACCOUNT_KEY_TYPES:
            raise VaultError(400, f"account_key: unsupported key ({key_type})")
        directory_url, trusted_ca, contacts = self._account_input(req, import_key=True)
        with self.store.lock:
            if name in mount.accounts:
                raise VaultError(400, f"ACME account \"{name}\" already exists")
        thumbprint, acme = self._account_register(name, directory_url, trusted_ca, contacts,
                                                  key_type, 1, key_pem=pem)
        return self._account_store(mount, name, Account(
            name, directory_url, contacts, trusted_ca, req.now, thumbprint, acme, key_type))

    def account_rotate_key(self, req, mount, name):
        force = self._bool_param(req, "force")
        with self.store.lock:
            a = mount.accounts.get(name)
            if a is None:
                raise VaultError(404, f"ACME account \"{name}\" not found")
            key_type = self._str_param(req, "key_type", required=False,
                                       default=a.active_key.key_type)
            if key_type not in ACCOUNT_KEY_TYPES:
                raise VaultError(400, f"invalid key_type \"{key_type}\": expected one of "
                                      f"{list(ACCOUNT_KEY_TYPES)}")
            roles = {r.name for r in mount.roles.values() if r.acme_account_name == name}
            pending = self._active_orders(mount, req.now, roles)
            if pending and not force:
                raise VaultError(400, f"ACME account \"{name}\" has {len(pending)} pending "
                                      f"order(s); rotate with force=true to rotate anyway")
            version = max(a.keys) + 1
            current = a.active_key.acme
        if self.backend == "pebble" and current is not None:
            # a real ACME key change at the CA: same account, new key
            thumbprint, acme = self.pebble.account_key_change(name, current, key_type)
        else:
            thumbprint, acme = self._account_register(name, a.directory_url, a.trusted_ca,
                                                      a.email_contacts, key_type, version)
        with self.store.lock:
            old = a.active_key_version
            a.keys[version] = AccountKey(version, key_type, req.now, thumbprint, acme)
            a.active_key_version = version
            a.updated = req.now
        return 200, {"name": name, "old_active_key_version": old,
                     "new_active_key_version": version, "key_type": key_type,
                     "rotated_at": rfc3339(req.now)}

    def account_delete(self, req, mount, name):
        with self.store.lock:
            users = sorted(r.name for r in mount.roles.values() if r.acme_account_name == name)
            if users:
                raise VaultError(400, f"ACME account \"{name}\" is used by role(s) "
                                      f"{', '.join(users)}: delete or change those roles first")
            mount.accounts.pop(name, None)
        return 204, None

    # ---- DNS providers ------------------------------------------------------------

    def dns_list(self, req, mount):
        with self.store.lock:
            keys = sorted(mount.dns)
            return self._keys(keys, {k: {"name": mount.dns[k].name, "type": mount.dns[k].type}
                                     for k in keys})

    def dns_list_type(self, req, mount, typ):
        with self.store.lock:
            return self._keys(sorted(p.name for p in mount.dns.values() if p.type == typ))

    def dns_read(self, req, mount, typ, name):
        with self.store.lock:
            p = mount.dns.get(f"{typ}/{name}")
            if p is None:
                raise VaultError(404, f"DNS provider \"{typ}/{name}\" not found")
            return 200, p.view()

    def dns_write(self, req, mount, typ, name):
        with self.store.lock:
            p = provider_write(mount.dns.get(f"{typ}/{name}"), typ, name, req)
            mount.dns[p.key] = p
            return 200, p.view()

    def dns_delete(self, req, mount, typ, name):
        key = f"{typ}/{name}"
        with self.store.lock:
            users = [o.order_id for o in mount.orders.values()
                     if key in o.dns_providers.values()
                     and o.state_at(req.now)[0] not in TERMINAL]
            if users:
                raise VaultError(400, f"DNS provider \"{key}\" is in use by {len(users)} "
                                      f"active order(s) (e.g. {users[0]}): wait until they "
                                      f"finish")
            mount.dns.pop(key, None)
        return 204, None

    def dns_test_workflow(self, req, mount):
        ident = self._str_param(req, "identifier")
        typ = self._str_param(req, "provider_type")
        name = self._str_param(req, "provider_name")
        omit_cleanup = self._bool_param(req, "omit_cleanup")
        data = {"identifier": ident, "provider_type": typ, "provider_name": name,
                "record_name": record_name(ident)}
        with self.store.lock:
            p = mount.dns.get(f"{typ}/{name}")
            if p is None:
                why = f"DNS provider \"{typ}/{name}\" is not configured"
            elif not p.covers(ident):
                why = (f"identifier \"{ident}\" is not covered by DNS provider "
                       f"\"{typ}/{name}\" (identifiers: {p.identifiers})")
            else:
                why = None
        if not why and self.backend == "pebble" and p.type == "rfc2136":
            why = self._dns_test_for_real(p, data["record_name"], omit_cleanup)
        if why:
            data.update(success=False, message=f"DNS workflow test failed: {why}", errors=[why])
        else:
            done = "left in place (omit_cleanup)" if omit_cleanup else "removed"
            data.update(success=True, message=f"DNS workflow test succeeded: TXT record "
                                              f"{data['record_name']} created, seen "
                                              f"propagated, then {done}")
        return 200, data

    def _dns_test_for_real(self, p, record, omit_cleanup):
        """The pebble backend's test of an rfc2136 provider, as Vault does it:
        a TXT record written through the provider, awaited on its
        nameserver, then deleted unless omit_cleanup. None, or why not."""
        from .rfc2136 import Rfc2136Server   # python3-dnspython: the pebble backend only
        server = Rfc2136Server(p.key, p.fields["nameserver"], p.fields.get("tsig_key_name"),
                               p.secrets.get("tsig_secret"),
                               p.fields.get("tsig_algorithm", "hmac-sha1"))
        value = "vault-dns-test-" + uuid.uuid4().hex
        try:
            server.txt_add(record, value, p.ttl)
            deadline = time.monotonic() + DNS_TEST_WAIT
            while not server.txt_served(record, value):
                if time.monotonic() > deadline:
                    return (f"the TXT record {record} was not served by "
                            f"{p.fields['nameserver']} within {DNS_TEST_WAIT:.0f}s")
                time.sleep(0.2)
            if not omit_cleanup:
                server.txt_delete(record, value)
        except RuntimeError as e:
            return str(e)
        return None

    # ---- roles -----------------------------------------------------------------------

    def role_list(self, req, mount):
        with self.store.lock:
            return self._keys(sorted(mount.roles))

    def role_read(self, req, mount, name):
        with self.store.lock:
            return 200, role_view(self._role(mount, name))

    def role_write(self, req, mount, name):
        with self.store.lock:
            existing = mount.roles.get(name)
            fields = {f: getattr(existing, f) for f in Role.FIELDS} if existing else {}
            for f in ("acme_account_name", "csr_generate_key_type", "csr_identifier_population"):
                v = req.param(f)
                if v is not None:
                    if not isinstance(v, str):
                        raise VaultError(400, f"parameter \"{f}\" must be a string")
                    fields[f] = v
            for f in ("allowed_domains", "allowed_domain_options", "allowed_challenge_types"):
                v = req.param_list(f)
                if v is not None:
                    if not all(isinstance(x, str) for x in v):
                        raise VaultError(400, f"parameter \"{f}\" must be a list of strings")
                    fields[f] = v
            acct = fields.get("acme_account_name", "")
            if not acct:
                raise VaultError(400, "missing required parameter \"acme_account_name\"")
            if acct not in mount.accounts:
                raise VaultError(400, f"ACME account \"{acct}\" does not exist")
            bad = [o for o in fields.get("allowed_domain_options", []) if o not in DOMAIN_OPTIONS]
            if bad:
                raise VaultError(400, f"invalid allowed_domain_options {bad}: expected "
                                      f"{list(DOMAIN_OPTIONS)}")
            types = fields.get("allowed_challenge_types", list(CHALLENGE_TYPES))
            bad = [t for t in types if t not in CHALLENGE_TYPES]
            if bad or not types:
                raise VaultError(400, f"invalid allowed_challenge_types {types}: expected a "
                                      f"non-empty subset of {list(CHALLENGE_TYPES)}")
            kt = fields.get("csr_generate_key_type", "ec-256")
            if kt not in certs.KEY_TYPES:
                raise VaultError(400, f"invalid csr_generate_key_type \"{kt}\": expected one of "
                                      f"{list(certs.KEY_TYPES)}")
            pop = fields.get("csr_identifier_population", "cn_first")
            if pop not in POPULATIONS:
                raise VaultError(400, f"invalid csr_identifier_population \"{pop}\": expected "
                                      f"one of {list(POPULATIONS)}")
            role = Role(name, req.now, **fields)
            if existing is not None:
                role.creation = existing.creation
            mount.roles[name] = role
            return 200, role_view(role)

    def role_delete(self, req, mount, name):
        force = self._bool_param(req, "force")
        with self.store.lock:
            active = self._active_orders(mount, req.now, {name})
            if active and not force:
                raise VaultError(400, f"role \"{name}\" has {len(active)} active order(s); "
                                      f"delete with force=true to delete it anyway")
            mount.roles.pop(name, None)
        return 204, None

    # ---- orders ------------------------------------------------------------------------

    def order_new(self, req, mount, role_name):
        idents = req.param_list("identifiers")
        csr = req.param("csr")
        if csr is not None and not isinstance(csr, str):
            raise VaultError(400, "csr must be a PEM string")
        if idents and csr:
            raise VaultError(400, "identifiers and csr are mutually exclusive: give one of them")
        if not idents and not csr:
            raise VaultError(400, "one of identifiers or csr is required")
        if csr:
            try:
                _, idents = certs.csr_parse(csr)
            except ValueError as e:
                raise VaultError(400, str(e))
        seen = set()
        for ident in idents:
            why = domains.identifier_syntax_error(ident)
            if why:
                raise VaultError(400, why)
            if ident.lower() in seen:
                raise VaultError(400, f"identifier {ident!r} is given twice")
            seen.add(ident.lower())
        with self.store.lock:
            role = self._role(mount, role_name)
            account = mount.accounts.get(role.acme_account_name)
            if account is None:
                raise VaultError(400, f"role \"{role_name}\" uses ACME account "
                                      f"\"{role.acme_account_name}\", which does not exist")
            for ident in idents:
                why = domains.role_allows(role, ident)
                if why:
                    raise VaultError(400, why)
                if ident.startswith("*.") and "dns-01" not in role.allowed_challenge_types:
                    raise VaultError(400, f"identifier {ident!r} is a wildcard, which needs "
                                          f"dns-01, but role \"{role_name}\" allows only "
                                          f"{role.allowed_challenge_types}")
            now = req.now
            order_id = str(uuid.uuid4())
            engine = self._engine_for(account)
            order = Order(order_id, req.namespace, mount.name, role_name, idents, now,
                          now + ORDER_LIFETIME, engine, role.csr_generate_key_type,
                          role.csr_identifier_population, csr_pem=csr or None)
            order.allowed_types = list(role.allowed_challenge_types)
            if "dns-01" in role.allowed_challenge_types:
                for ident in idents:
                    p = provider_for(mount.dns, ident)
                    if p is not None:
                        order.dns_providers[ident] = p.key
            mount.orders[order_id] = order
            engine.order_create(order, role, account, now)
            if order.serial is not None:
                mount.by_serial[certs.serial_format(order.serial)] = order
        return 200, {"order_id": order_id}

    def order_status(self, req, mount, role_name, order_id):
        with self.store.lock:
            return 200, order_view(self._order(mount, role_name, order_id), req.now)

    def _challenge_of(self, req, mount, role_name, order_id):
        ident = self._str_param(req, "identifier")
        ctype = self._str_param(req, "challenge_type")
        with self.store.lock:
            role = self._role(mount, role_name)
            order = self._order(mount, role_name, order_id)
            if ctype not in CHALLENGE_TYPES:
                raise VaultError(400, f"invalid challenge_type \"{ctype}\": expected one of "
                                      f"{list(CHALLENGE_TYPES)}")
            if ctype not in role.allowed_challenge_types:
                raise VaultError(400, f"challenge type \"{ctype}\" is not allowed by role "
                                      f"\"{role_name}\" (allowed: {role.allowed_challenge_types})")
            key = next((i for i in order.identifiers if i.lower() == ident.lower()), None)
            if key is None:
                raise VaultError(400, f"identifier \"{ident}\" is not part of order "
                                      f"\"{order_id}\" ({order.identifiers})")
            status = order.state_at(req.now)[0]
            ch = order.challenges.get(key, {}).get(ctype)
            if ch is None or not ch.timeline or ch.timeline[0][0] > req.now:
                if status == "new":
                    raise VaultError(400, f"order \"{order_id}\" has no challenges yet "
                                          f"(status new)")
                raise VaultError(400, f"no {ctype} challenge for identifier \"{key}\" in "
                                      f"order \"{order_id}\"")
            return order, key, ch, status

    def order_challenge(self, req, mount, role_name, order_id):
        order, ident, ch, _ = self._challenge_of(req, mount, role_name, order_id)
        with self.store.lock:
            return 200, {"identifier": ident, "challenge_type": ch.type,
                         "challenge_token": ch.token, "challenge_auth": ch.auth,
                         "challenge_status": ch.status_at(req.now),
                         "expires": rfc3339(ch.expires)}

    def order_fulfilled(self, req, mount, role_name, order_id):
        order, ident, ch, status = self._challenge_of(req, mount, role_name, order_id)
        if status != "awaiting-challenge-fulfillment":
            raise VaultError(400, f"order \"{order_id}\" is {status}, not "
                                  f"awaiting-challenge-fulfillment")
        if ident in order.dns_providers:
            raise VaultError(400, f"identifier \"{ident}\" is fulfilled by Vault through DNS "
                                  f"provider \"{order.dns_providers[ident]}\", not by hand")
        order.engine.fulfill(order, ident, ch.type, req.now)
        with self.store.lock:
            if order.serial is not None:
                mount.by_serial[certs.serial_format(order.serial)] = order
        return 204, None

    def _format_param(self, req):
        fmt = self._str_param(req, "certificate_format", required=False, default="pem")
        if fmt not in CERT_FORMATS:
            raise VaultError(400, f"invalid certificate_format \"{fmt}\": expected one of "
                                  f"{list(CERT_FORMATS)}")
        return fmt

    def order_fetch_cert(self, req, mount, role_name, order_id):
        fmt = self._format_param(req)
        with self.store.lock:
            order = self._order(mount, role_name, order_id)
            if not order.cert_issued_at(req.now):
                raise VaultError(400, f"order \"{order_id}\" is "
                                      f"{order.state_at(req.now)[0]}: no certificate yet")
        return 200, cert_data(order.engine.certificate(order), fmt)

    def order_revoke(self, req, mount, role_name, order_id):
        reason = self._str_param(req, "reason", required=False, default="unspecified")
        if reason not in REVOKE_REASONS:
            raise VaultError(400, f"invalid reason \"{reason}\": expected one of "
                                  f"{list(REVOKE_REASONS)}")
        with self.store.lock:
            order = self._order(mount, role_name, order_id)
            status = order.state_at(req.now)[0]
            if status != "completed":
                raise VaultError(400, f"order \"{order_id}\" is {status}: only completed "
                                      f"orders can be revoked")
        order.engine.revoke(order, REVOKE_REASONS[reason], req.now)
        return 204, None

    def role_active_orders(self, req, mount, role_name):
        with self.store.lock:
            keys = [o.order_id for o in mount.orders.values()
                    if o.role_name == role_name and o.state_at(req.now)[0] not in TERMINAL]
        return self._keys(keys)

    def role_cached(self, req, mount, role_name):
        idents = req.param_list("identifiers")
        if not idents:
            raise VaultError(400, "missing required parameter \"identifiers\"")
        want = {str(i).lower() for i in idents}
        min_dur = req.param("min_validity_duration")
        min_pct = req.param("min_validity_percentage")
        try:
            min_dur = parse_duration(min_dur) if min_dur not in (None, "") else 0.0
        except ValueError as e:
            raise VaultError(400, f"min_validity_duration: {e}")
        try:
            min_pct = float(min_pct) if min_pct not in (None, "") else 0.0
        except (TypeError, ValueError):
            raise VaultError(400, "min_validity_percentage must be a number from 0 to 100")
        if not 0 <= min_pct <= 100:
            raise VaultError(400, "min_validity_percentage must be a number from 0 to 100")
        fmt = self._format_param(req)
        now = req.now
        with self.store.lock:
            self._role(mount, role_name)
            best = None
            for o in mount.orders.values():
                if o.role_name != role_name or o.serial is None:
                    continue
                if {i.lower() for i in o.identifiers} != want:
                    continue
                if o.state_at(now)[0] != "completed":
                    continue
                left = o.not_after - now
                life = max(1.0, o.not_after - o.not_before)
                if left <= 0 or left < min_dur or left * 100.0 / life < min_pct:
                    continue
                if best is None or o.not_after > best.not_after:
                    best = o
        if best is None:
            raise VaultError(404, "no cached certificate matches the identifiers and "
                                  "validity requirements")
        return 200, cert_data(best.engine.certificate(best), fmt)

    # ---- lookups -------------------------------------------------------------------------

    def lookup_order(self, req, mount, order_id):
        with self.store.lock:
            order = mount.orders.get(order_id)
            if order is None:
                raise VaultError(404, f"order \"{order_id}\" not found")
            return 200, order_view(order, req.now)

    def lookup_orders(self, req, mount):
        with self.store.lock:
            return self._keys(list(mount.orders))

    def lookup_recent(self, req, mount):
        raw = req.param("within", "1h")
        try:
            within = parse_duration(raw)
        except ValueError as e:
            raise VaultError(400, f"within: {e}")
        within = min(max(within, RECENT_MIN), RECENT_MAX)
        now = req.now
        with self.store.lock:
            rows = mount.recent(now, now - within, RECENT_CAP)
        keys = [r[2].order_id for r in rows]
        return self._keys(keys, {r[2].order_id: recent_info(r[2], r[3], r[0]) for r in rows})

    def lookup_cert(self, req, mount, serial):
        s = serial.strip().lower()
        if ":" not in s and re.fullmatch(r"[0-9a-f]+", s):
            s = certs.serial_format(int(s, 16))
        with self.store.lock:
            order = mount.by_serial.get(s)
            if order is None or not order.cert_issued_at(req.now):
                raise VaultError(404, f"no certificate with serial \"{serial}\"")
            status = order.state_at(req.now)[0]
            d = {"serial_number": s, "order_status": status, "role_name": order.role_name,
                 "order_id": order.order_id, "identifiers": list(order.identifiers),
                 "not_before": rfc3339(order.not_before), "not_after": rfc3339(order.not_after)}
            for k in ("order_status", "role_name", "identifiers"):
                if k in order.overrides:
                    d[k] = order.overrides[k]
            return 200, d

