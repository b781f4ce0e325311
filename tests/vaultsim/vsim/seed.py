# seed.py: --seed-orders N: a realistic, deterministic (--seed) population of
# accounts, 5 roles, 3 DNS providers and N orders in every status. Creation
# dates spread over ~30 days with a good share in the last hour and day;
# completed orders carry real serials and certificate lifetimes from 1 to 90
# days (some expired, some expiring soon); some orders have several
# identifiers, some a wildcard, some are CSR-workflow orders (CSR built
# lazily), some awaiting orders hold a "fail." identifier. From the 500th
# order on, every 100th (index 550, 650, ...) is an order of role auto-dns
# whose names the rfc2136 provider internal-dns covers (Vault fulfils dns-01
# itself): automatic, hybrid (one name manual), in flight, failed; they
# replace the orders at those places, which are drawn all the same so every
# other order stays what it was. Certificates are only built when fetched.
# When several (namespace, mount) places are seeded, each identifier carries
# its place as one label (place_tag, place_identifier) so a test can tell
# them apart; the random draws, hence order IDs and statuses, stay the same.

import gc
import random
import uuid

from . import certs
from .dns_providers import DnsProvider, provider_for
from .scripted import CERT_LIFETIME, ORDER_LIFETIME, PACE_ISSUE, challenge_failure_text
from .state import Account, Order, Role

MAX_SEED_ORDERS = 100_000
DAY = 86400.0

ACCOUNTS = (
    ("letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory",
     ["pki-team@example.com"]),
    ("digicert-acme", "https://acme.digicert.com/v2/acme/directory/",
     ["secops@example.com", "pki-team@example.com"]),
)

ROLES = (
    {"name": "web-servers", "acme_account_name": "letsencrypt-prod",
     "allowed_domains": ["example.com"],
     "allowed_domain_options": ["bare_domains", "subdomains", "wildcards"],
     "allowed_challenge_types": ["http-01", "dns-01", "tls-alpn-01"],
     "csr_generate_key_type": "ec-256", "csr_identifier_population": "cn_first"},
    {"name": "internal-api", "acme_account_name": "letsencrypt-prod",
     "allowed_domains": ["internal.example.net"], "allowed_domain_options": ["subdomains"],
     "allowed_challenge_types": ["dns-01"],
     "csr_generate_key_type": "ec-384", "csr_identifier_population": "sans_only"},
    {"name": "legacy-rsa", "acme_account_name": "digicert-acme",
     "allowed_domains": ["legacy.example.org"],
     "allowed_domain_options": ["bare_domains", "subdomains"],
     "allowed_challenge_types": ["http-01"],
     "csr_generate_key_type": "rsa-2048", "csr_identifier_population": "cn_first"},
    {"name": "apps-wildcard", "acme_account_name": "digicert-acme",
     "allowed_domains": ["*.apps.example.io", "example.io"],
     "allowed_domain_options": ["globs", "wildcards", "subdomains", "bare_domains"],
     "allowed_challenge_types": ["dns-01", "http-01"],
     "csr_generate_key_type": "ec-256", "csr_identifier_population": "cn_first"},
)

DNS_ROLE = {"name": "auto-dns", "acme_account_name": "letsencrypt-prod",
            "allowed_domains": ["auto.example.net", "manual.example.net"],
            "allowed_domain_options": ["subdomains", "wildcards"],
            "allowed_challenge_types": ["dns-01", "http-01"],
            "csr_generate_key_type": "ec-256", "csr_identifier_population": "cn_first"}

# (type, name, identifiers, ttl, fields, secrets)
DNS_PROVIDERS = (
    ("aws-route53", "production", ["*.prod.example.com"], 60,
     {"region": "eu-west-1", "hosted_zone_id": "Z0123456789EXAMPLE"},
     {"secret_access_key": "seeded-aws-secret"}),
    ("google-cloud-dns", "staging", ["*.staging.example.io"], 10,
     {"project": "example-staging", "zone_name": "staging-example-io"},
     {"credentials": "{\"type\": \"service_account\"}"}),
    ("rfc2136", "internal-dns", ["*.auto.example.net"], 60,
     {"nameserver": "127.0.0.1:5353", "tsig_key_name": "vault-acme.",
      "tsig_algorithm": "hmac-sha256"},
     {"tsig_secret": "c2VlZGVkLXRzaWctc2VjcmV0"}),
)
DNS_ORDERS_FROM, DNS_ORDERS_EVERY = 500, 100

STATUS_WEIGHTS = (("completed", 40), ("awaiting-challenge-fulfillment", 14), ("error", 10),
                  ("expired", 8), ("revoked", 7), ("fetching-certificate", 5),
                  ("submitted", 8), ("new", 8))

WORDS = ("www", "api", "shop", "mail", "vpn", "git", "ci", "auth", "cdn", "db", "grafana",
         "status", "wiki", "login", "portal", "search", "media", "docs", "billing", "edge")

OTHER_ERRORS = (
    "acme: error: 429 :: POST :: urn:ietf:params:acme:error:rateLimited :: too many "
    "certificates (5) already issued for this exact set of identifiers in the last 168h0m0s",
    "acme: error: 400 :: POST :: urn:ietf:params:acme:error:rejectedIdentifier :: Error "
    "creating new order :: Cannot issue for \"{ident}\": The ACME server refuses to issue "
    "a certificate for this domain name, because it is forbidden by policy",
    "failed to finalize order: acme: error: 403 :: POST :: "
    "urn:ietf:params:acme:error:orderNotReady :: Order's status (\"invalid\") is not "
    "acceptable for finalization",
    "Post \"https://acme-v02.api.letsencrypt.org/acme/new-order\": dial tcp: lookup "
    "acme-v02.api.letsencrypt.org on 10.0.0.2:53: i/o timeout",
)

LIFETIMES = ((90 * DAY, 60), (30 * DAY, 15), (7 * DAY, 10), (2 * DAY, 8), (1 * DAY, 7))


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def _age(rng) -> float:
    """Seconds before now: 25 % within the hour, 25 % within the day, the rest 30 days."""
    r = rng.random()
    if r < 0.25:
        return rng.uniform(10, 3600)
    if r < 0.5:
        return rng.uniform(3600, DAY)
    return rng.uniform(DAY, 30 * DAY)


def _identifiers(rng, role_name, n) -> list:
    w = WORDS[n % len(WORDS)]
    multi = rng.random() < 0.2
    if role_name == "web-servers":
        r = rng.random()
        if r < 0.1:
            first = f"*.{w}{n}.example.com"
        elif r < 0.14:
            first = "example.com"
        else:
            first = f"{w}{n}.example.com"
        extra = [f"{rng.choice(WORDS)}{n}-{k}.example.com" for k in range(rng.randint(1, 3))]
    elif role_name == "internal-api":
        first = f"{w}-{n}.svc.internal.example.net"
        extra = [f"{rng.choice(WORDS)}-{n}-{k}.internal.example.net"
                 for k in range(rng.randint(1, 3))]
    elif role_name == "legacy-rsa":
        first = f"{w}{n}.legacy.example.org"
        extra = [f"{rng.choice(WORDS)}{n}-{k}.legacy.example.org" for k in range(rng.randint(1, 2))]
    else:
        first = f"*.team{n}.example.io" if rng.random() < 0.3 else f"{w}{n}.apps.example.io"
        extra = [f"{rng.choice(WORDS)}{n}-{k}.apps.example.io" for k in range(rng.randint(1, 2))]
    return [first] + extra if multi else [first]


def place_tag(namespace: str, mount: str) -> str:
    """One DNS label naming a place: "<namespace>-<mount>", "/" as "-", the root
    namespace as "root" (ns07 + b: "ns07-b"; team/sub + pki: "team-sub-pki")."""
    text = f"{namespace or 'root'}-{mount}".lower()
    return "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in text)[:63]


def place_identifier(ident: str, tag) -> str:
    """ident with tag as a label after its first one (after "*." and the first
    label for a wildcard; before a two-label name): www3.example.com ->
    www3.ns07-b.example.com, *.team5.example.io -> *.team5.ns07-b.example.io,
    example.com -> ns07-b.example.com. A "fail." name still starts with it and
    the globs of roles and DNS providers still cover the name. None: ident."""
    if not tag:
        return ident
    star = "*." if ident.startswith("*.") else ""
    labels = ident[len(star):].split(".")
    if len(labels) < 3:
        return f"{star}{tag}.{'.'.join(labels)}"
    return f"{star}{labels[0]}.{tag}.{'.'.join(labels[1:])}"


def _csr_factory(seed):
    def build(order):
        rng = random.Random(f"vaultsim-csr-{seed}-{order.order_id}")
        key = certs.key_generate("ec-256", rng)
        return certs.csr_build(key, order.identifiers, order.population)
    return build


def seed_mount(store, engine, mount_name, namespace, n, now, seed, tag=None) -> None:
    """Accounts, roles, DNS configs and n orders in store[namespace][mount_name];
    tag (place_tag) goes into every identifier."""
    rng = random.Random(f"vaultsim-seed-{seed}-{namespace}-{mount_name}")
    mount = store.mount(namespace, mount_name)
    for name, url, contacts in ACCOUNTS:
        thumb, _ = engine.account_register(name, url, "", contacts)
        a = Account(name, url, contacts, "", now - 60 * DAY, thumb)
        mount.accounts[name] = a
    roles = []
    for spec in ROLES:
        fields = {k: v for k, v in spec.items() if k != "name"}
        role = Role(spec["name"], now - 45 * DAY, **fields)
        role.updated = now - 20 * DAY
        mount.roles[role.name] = role
        roles.append(role)
    for typ, name, globs, ttl, fields, secrets in DNS_PROVIDERS:
        mount.dns[f"{typ}/{name}"] = DnsProvider(typ, name, globs, ttl, fields, secrets,
                                                 now - 30 * DAY)
    fields = {k: v for k, v in DNS_ROLE.items() if k != "name"}
    dns_role = mount.roles[DNS_ROLE["name"]] = Role(DNS_ROLE["name"], now - 30 * DAY, **fields)
    csr_factory = _csr_factory(seed)
    # Hundreds of thousands of small objects that live as long as the process:
    # the cyclic GC would re-scan them over and over while they are built (60 %
    # of the seeding time at 100,000 orders), and then on every full collection
    # while serving. Build them with the GC off, then move them to the permanent
    # generation (gc.freeze) so later collections skip them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for n in range(min(n, MAX_SEED_ORDERS)):
            role = roles[n % len(roles)] if rng.random() < 0.7 else rng.choice(roles)
            order = _seed_order(rng, engine, mount, role, namespace, n, now, csr_factory,
                                tag)
            if n >= DNS_ORDERS_FROM and n % DNS_ORDERS_EVERY == DNS_ORDERS_EVERY // 2:
                _seed_dns_order(engine, mount, dns_role, order, n, now, seed, tag)
        mount.reindex()       # lookup/orders/recent ready before the first request
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _seed_order(rng, engine, mount, role, namespace, n, now, csr_factory, tag) -> None:
    status = _weighted(rng, STATUS_WEIGHTS)
    idents = _identifiers(rng, role.name, n)
    if status == "awaiting-challenge-fulfillment" and rng.random() < 0.1 \
            and role.name == "web-servers":
        idents = [f"fail.{WORDS[n % len(WORDS)]}{n}.example.com"]
    idents = [place_identifier(i, tag) for i in idents]
    age = _age(rng)
    if status == "new":
        age = min(age, 3600.0)
    elif status == "submitted":
        age = rng.uniform(3, 900)
    elif status == "expired":
        age = ORDER_LIFETIME + rng.uniform(3600, 23 * DAY)
    elif status in ("awaiting-challenge-fulfillment", "fetching-certificate"):
        age = min(age, ORDER_LIFETIME - 3600)     # its ACME order has not expired yet
    age = max(age, 12.0)
    c = now - age
    order_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    order = Order(order_id, namespace, mount.name, role.name, idents, c, c + ORDER_LIFETIME,
                  engine, role.csr_generate_key_type, role.csr_identifier_population)
    order.allowed_types = list(role.allowed_challenge_types)
    order.account_thumbprint = mount.accounts[role.acme_account_name].thumbprint
    if rng.random() < 0.08 and not any(i.startswith("*.") for i in idents):
        order.csr_factory = csr_factory
    engine.challenges_build(order, role.allowed_challenge_types, order.account_thumbprint,
                            c + 2, rng)
    if status == "new":
        t_sub = now + rng.uniform(1, 3)
        order.schedule(t_sub, "submitted")
        order.schedule(t_sub + 3, "awaiting-challenge-fulfillment")
        order.schedule(order.expires, "expired")
        for per in order.challenges.values():
            for ch in per.values():
                ch.timeline = [(t_sub, "pending")]
    elif status == "submitted":
        order.schedule(c + 2, "submitted")
        order.schedule(now + rng.uniform(1, 3), "awaiting-challenge-fulfillment")
        order.schedule(order.expires, "expired")
    else:
        order.schedule(c + 2, "submitted")
        order.schedule(c + 5, "awaiting-challenge-fulfillment")
        if status in ("awaiting-challenge-fulfillment", "expired"):
            order.schedule(order.expires, "expired")
        elif status == "error":
            t_err = c + 5 + rng.uniform(0, max(0.0, min(age - 6, 7200)))
            ident = idents[0]
            per = order.challenges[ident]
            ch = per[rng.choice(list(per))]
            if rng.random() < 0.6:
                text = challenge_failure_text(ident, ch.type, ch.token)
                ch.timeline += [(t_err - 1, "processing"), (t_err, "invalid")]
                order.fulfilled.add(ident)
            else:
                text = rng.choice(OTHER_ERRORS).replace("{ident}", ident)
            order.schedule(t_err, "error", text)
        else:   # fetching-certificate, completed, revoked
            if status == "fetching-certificate":
                tf = now - rng.uniform(0, PACE_ISSUE - 0.5)
            else:
                tf = c + 5 + rng.uniform(0, max(0.0, min(age - 9, 7200)))
            for ident in idents:
                per = order.challenges[ident]
                ch = per[rng.choice(list(per))]
                ch.timeline += [(tf, "processing"), (tf + 1, "valid")]
                order.fulfilled.add(ident)
            order.schedule(tf, "fetching-certificate")
            done = tf + PACE_ISSUE
            order.schedule(done, "completed")
            life = CERT_LIFETIME if status == "fetching-certificate" else _weighted(rng, LIFETIMES)
            order.not_before = done - 60
            order.not_after = order.not_before + life
            order.serial = rng.getrandbits(143) | (1 << 140)
            mount.by_serial[certs.serial_format(order.serial)] = order
            if status == "revoked":
                order.schedule(done + rng.uniform(1, max(1.0, now - done - 1)), "revoked")
    mount.orders[order_id] = order
    return order


def _seed_dns_order(engine, mount, role, replaced, n, now, seed, tag) -> None:
    """Replace order n by one of role auto-dns (Vault's own dns-01), created
    through the scripted engine at a past time so its timeline is Vault's."""
    rng = random.Random(f"vaultsim-seed-dns-{seed}-{replaced.namespace}-{mount.name}-{n}")
    if replaced.serial is not None:
        mount.by_serial.pop(certs.serial_format(replaced.serial), None)
    kind = (n // DNS_ORDERS_EVERY) % 5
    w = WORDS[n % len(WORDS)]
    auto = place_identifier(f"{w}{n}.auto.example.net", tag)
    manual = place_identifier(f"{w}{n}.manual.example.net", tag)
    if kind == 0:      # automatic, completed
        idents, age = [auto] + ([f"*.{auto}"] if rng.random() < 0.5 else []), \
            rng.uniform(3600, 10 * DAY)
    elif kind == 1:    # hybrid, the manual name not fulfilled yet
        idents, age = [auto, manual], rng.uniform(600, 2 * DAY)
    elif kind == 2:    # automatic, in flight now; done within 6 s like the others in motion
        idents, age = [auto], rng.choice((9.5, 10.0, 11.5, 12.5))
    elif kind == 3:    # hybrid, completed after the operator fulfilled the manual name
        idents, age = [manual, auto], rng.uniform(3600, 10 * DAY)
    else:              # automatic, the record never propagated: error, challenges pending
        idents, age = [f"fail.{auto}"], rng.uniform(3600, 3 * DAY)
    c = now - age
    order = Order(replaced.order_id, replaced.namespace, mount.name, role.name, idents, c,
                  c + ORDER_LIFETIME, engine, role.csr_generate_key_type,
                  role.csr_identifier_population)
    order.allowed_types = list(role.allowed_challenge_types)
    for ident in idents:
        p = provider_for(mount.dns, ident)
        if p is not None:
            order.dns_providers[ident] = p.key
    engine.order_create(order, role, mount.accounts[role.acme_account_name], c, rng)
    if kind == 3:
        engine.fulfill(order, manual, "http-01", c + 60)
    mount.orders[order.order_id] = order
    if order.serial is not None:
        order.serial = rng.getrandbits(143) | (1 << 140)     # 18 bytes, like the others
        mount.by_serial[certs.serial_format(order.serial)] = order
