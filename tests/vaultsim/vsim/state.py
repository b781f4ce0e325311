# state.py: what the simulated Vault holds, per namespace and per mount:
# ACME accounts, roles, DNS configs and orders. An order's status is a
# timeline of (simulated time, status, last_error) entries read against the
# clock, so scripted orders advance lazily on read with no thread, and
# "last_update" is exactly the time of the last status change. One RLock
# (Store.lock) guards every mutation; readers take it too. RecentIndex keeps
# every mount's timeline entries sorted by time so that lookup/orders/recent
# reads the newest few hundred orders without walking all of them (100,000
# seeded orders); an order whose timeline changes is tracked apart until the
# index is rebuilt.

import bisect
import itertools
import threading

TERMINAL = frozenset(("completed", "error", "expired", "revoked"))
ALL_STATUSES = ("new", "submitted", "awaiting-challenge-fulfillment",
                "vault-challenge-fulfillment", "vault-challenge-propagating",
                "notify-acme-server-challenges-completed", "processing-challenge",
                "fetching-certificate", "completed", "error", "expired", "revoked")
CHALLENGE_TYPES = ("http-01", "dns-01", "tls-alpn-01")


class Challenge:
    __slots__ = ("type", "token", "auth", "timeline", "expires")

    def __init__(self, ctype, token, auth, expires, timeline=None):
        self.type = ctype
        self.token = token
        self.auth = auth
        self.expires = expires
        self.timeline = timeline if timeline is not None else []   # [(t, status)]

    def status_at(self, now: float) -> str:
        status = "pending"
        for t, s in self.timeline:
            if t > now:
                break
            status = s
        return status

    def set_status(self, now: float, status: str) -> None:
        self.timeline = [e for e in self.timeline if e[0] <= now]
        if not self.timeline or self.timeline[-1][1] != status:
            self.timeline.append((now, status))


class Order:
    __slots__ = ("order_id", "namespace", "mount", "role_name", "identifiers", "_csr_pem",
                 "csr_factory", "creation", "expires", "_timeline", "challenges", "fulfilled",
                 "serial", "not_before", "not_after", "key_type", "population", "engine",
                 "cert", "cert_lock", "overrides", "acme", "poller", "account_thumbprint",
                 "allowed_types", "dns_providers", "_watch", "_ins")

    def __init__(self, order_id, namespace, mount, role_name, identifiers, creation, expires,
                 engine, key_type="ec-256", population="cn_first", csr_pem=None):
        self._watch = None                # the changed set of the mount holding it
        self._ins = 0                     # insertion rank in that mount
        self.order_id = order_id
        self.namespace = namespace
        self.mount = mount
        self.role_name = role_name
        self.identifiers = list(identifiers)
        self._csr_pem = csr_pem
        self.csr_factory = None           # lazily builds the CSR of a seeded CSR order
        self.creation = creation
        self.expires = expires
        self.timeline = [(creation, "new", "")]
        self.challenges = {}              # identifier -> {type: Challenge}
        self.fulfilled = set()            # identifiers with a fulfilled challenge
        self.serial = None                # int once a certificate is (to be) issued
        self.not_before = None
        self.not_after = None
        self.key_type = key_type
        self.population = population
        self.engine = engine
        self.cert = None                  # CertBundle, built on first fetch
        self.cert_lock = threading.Lock()
        self.overrides = {}               # raw field values patched through /_sim/order
        self.acme = None                  # AcmeOrder (pebble backend)
        self.poller = None
        self.account_thumbprint = ""
        self.allowed_types = list(CHALLENGE_TYPES)
        self.dns_providers = {}           # identifier -> "type/name" of the provider Vault uses

    @property
    def timeline(self):
        """[(t, status, last_error)] in time order. Replace it (or use schedule /
        set_status) rather than editing it in place: the recent index must hear."""
        return self._timeline

    @timeline.setter
    def timeline(self, entries) -> None:
        self._timeline = entries
        if self._watch is not None:
            self._watch.add(self)

    @property
    def csr_pem(self) -> str:
        if self._csr_pem is None and self.csr_factory is not None:
            self._csr_pem = self.csr_factory(self)
        return self._csr_pem or ""

    @property
    def is_csr_order(self) -> bool:
        return self._csr_pem is not None or self.csr_factory is not None

    def state_at(self, now: float):
        """(status, last_update, last_error) at simulated time now."""
        tl = self._timeline
        entry = tl[0]
        for e in tl:
            if e[0] > now:
                break
            entry = e
        return entry[1], entry[0], entry[2]

    def next_change_after(self, now: float):
        for e in self._timeline:
            if e[0] > now:
                return e[0]
        return None

    def set_status(self, now: float, status: str, last_error=None) -> None:
        """Status changes at now; every scheduled future change is dropped."""
        kept = [e for e in self.timeline if e[0] <= now]
        prev_err = kept[-1][2] if kept else ""
        kept.append((now, status, prev_err if last_error is None else last_error))
        self.timeline = kept

    def schedule(self, t: float, status: str, last_error=None) -> None:
        tl = self._timeline
        prev_err = tl[-1][2] if tl else ""
        tl.append((t, status, prev_err if last_error is None else last_error))
        if self._watch is not None:
            self._watch.add(self)

    def cert_issued_at(self, now: float) -> bool:
        return self.serial is not None and self.state_at(now)[0] in ("completed", "revoked")


class AccountKey:
    __slots__ = ("version", "key_type", "creation", "thumbprint", "acme")

    def __init__(self, version, key_type, creation, thumbprint, acme=None):
        self.version = version
        self.key_type = key_type
        self.creation = creation
        self.thumbprint = thumbprint
        self.acme = acme                  # AcmeAccount (pebble backend) registered with it


class Account:
    """An ACME account: its key versions, the active one signing new orders."""

    def __init__(self, name, directory_url, email_contacts, trusted_ca, now, thumbprint,
                 acme=None, key_type="ec-256"):
        self.name = name
        self.directory_url = directory_url
        self.email_contacts = list(email_contacts)
        self.trusted_ca = trusted_ca
        self.creation = now
        self.updated = now
        self.keys = {1: AccountKey(1, key_type, now, thumbprint, acme)}
        self.active_key_version = 1

    @property
    def active_key(self) -> AccountKey:
        return self.keys[self.active_key_version]

    @property
    def thumbprint(self) -> str:
        return self.active_key.thumbprint

    @property
    def acme(self):
        return self.active_key.acme


class Role:
    FIELDS = ("acme_account_name", "allowed_domains", "allowed_domain_options",
              "allowed_challenge_types", "csr_generate_key_type", "csr_identifier_population")

    def __init__(self, name, now, **fields):
        self.name = name
        self.acme_account_name = fields.get("acme_account_name", "")
        self.allowed_domains = list(fields.get("allowed_domains", []))
        self.allowed_domain_options = list(fields.get("allowed_domain_options", []))
        self.allowed_challenge_types = list(fields.get("allowed_challenge_types",
                                                       list(CHALLENGE_TYPES)))
        self.csr_generate_key_type = fields.get("csr_generate_key_type", "ec-256")
        self.csr_identifier_population = fields.get("csr_identifier_population", "cn_first")
        self.creation = now
        self.updated = now


class OrderTable(dict):
    """order_id -> Order (insertion = creation order). Tells each order it holds
    which set to join when its timeline changes (the mount's `changed`)."""

    def __init__(self, changed: set):
        super().__init__()
        self.changed = changed
        self._rank = itertools.count()

    def __setitem__(self, order_id, order) -> None:
        old = self.get(order_id)
        order._ins = old._ins if old is not None else next(self._rank)
        order._watch = self.changed
        self.changed.add(order)
        super().__setitem__(order_id, order)

    def __delitem__(self, order_id) -> None:
        self.changed.add(self[order_id])
        super().__delitem__(order_id)

    def pop(self, order_id, *default):
        if order_id in self:
            self.changed.add(self[order_id])
        return super().pop(order_id, *default)


class RecentIndex:
    """Every timeline entry of a mount's orders, sorted by time, built at once.
    Walking it backwards from now meets each order first at its last_update (its
    newest entry not after now, the timeline being in time order), so the newest
    orders are found without reading the others. Orders changed since the build
    (Mount.changed) and orders whose timeline is out of order are read directly."""

    def __init__(self, orders: OrderTable):
        pairs = []
        self.irregular = []
        for o in orders.values():
            tl = o._timeline
            if tl and tl[0][0] <= o.creation and all(
                    tl[k][0] <= tl[k + 1][0] for k in range(len(tl) - 1)):
                pairs.extend((e[0], o) for e in tl)
            else:
                self.irregular.append(o)
        pairs.sort(key=lambda p: p[0])
        self.times = [p[0] for p in pairs]
        self.orders = [p[1] for p in pairs]

    def newest(self, orders: OrderTable, changed: set, now: float, since: float, cap: int):
        """[(last_update, creation, order, status)] of the orders updated in
        [since, now] and created by now, newest first (ties: insertion order), at
        most cap: what a walk over every order would give."""
        rows = []
        seen = set()
        times, objs = self.times, self.orders
        i = bisect.bisect_right(times, now) - 1
        floor = since
        while i >= 0:
            t = times[i]
            if t < floor:
                break
            o = objs[i]
            i -= 1
            if o in seen or o in changed:
                continue
            seen.add(o)
            if o.creation > now:
                continue
            rows.append((t, o.creation, o))
            if len(rows) == cap:
                floor = max(floor, t)     # an order updated at t may still win on creation
        for o in itertools.chain(changed, self.irregular):
            if o in seen or orders.get(o.order_id) is not o or o.creation > now:
                continue
            seen.add(o)
            _, last_update, _ = o.state_at(now)
            if last_update >= since:
                rows.append((last_update, o.creation, o))
        rows.sort(key=lambda r: r[2]._ins)
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        return [(lu, c, o, o.state_at(now)[0]) for lu, c, o in rows[:cap]]


PKI_TYPE = "pki-external-ca"


class Mount:
    def __init__(self, name, mount_type=PKI_TYPE, options=None):
        self.name = name
        self.type = mount_type
        self.options = options       # dict given at creation (sys/mounts), else None
        self.accounts = {}
        self.roles = {}
        self.dns = {}          # "type/name" -> DnsProvider
        self.changed = set()   # orders added, removed or re-timed since recent_index
        self.orders = OrderTable(self.changed)   # order_id -> Order (creation order)
        self.by_serial = {}    # "aa:bb:.." -> Order
        self._recent_index = None

    def recent(self, now: float, since: float, cap: int):
        """RecentIndex.newest over this mount; rebuilds the index once many orders
        changed (the caller holds Store.lock)."""
        if self._recent_index is None or len(self.changed) > max(256, len(self.orders) // 32):
            self.reindex()
        return self._recent_index.newest(self.orders, self.changed, now, since, cap)

    def reindex(self) -> None:
        self._recent_index = RecentIndex(self.orders)
        self.changed.clear()


class Store:
    """Namespaces and their mounts. Both exist only once created: the root
    namespace "" always, others by namespace_create (--seed-namespace,
    POST sys/namespaces/NAME); mounts by mount_create (--mount, POST
    sys/mounts/PATH)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.namespaces = {"": {}}   # ns ("" = root) -> {mount name -> Mount}

    def namespace_create(self, namespace: str) -> bool:
        """Creates namespace and its parents (a/b: a too); False when it existed."""
        with self.lock:
            if namespace in self.namespaces:
                return False
            parts = namespace.split("/")
            for k in range(1, len(parts) + 1):
                self.namespaces.setdefault("/".join(parts[:k]), {})
            return True

    def namespace_children(self, namespace: str) -> list:
        """Full paths of the direct children of namespace ("" = root), sorted."""
        prefix = namespace + "/" if namespace else ""
        with self.lock:
            return sorted(ns for ns in self.namespaces
                          if ns and ns.startswith(prefix) and "/" not in ns[len(prefix):])

    def mount_create(self, namespace: str, name: str, mount_type: str = PKI_TYPE,
                     options=None) -> Mount:
        """The new mount (the namespace is created too); ValueError if the path is in use."""
        with self.lock:
            mounts = self.namespaces.setdefault(namespace, {})
            if name in mounts:
                raise ValueError(f"path is already in use at {name}/")
            m = mounts[name] = Mount(name, mount_type, options)
            return m

    def mount(self, namespace: str, name: str):
        """The mount called name in namespace, or None."""
        with self.lock:
            return self.namespaces.get(namespace, {}).get(name)

    def mount_of_path(self, namespace: str, path: str):
        """(Mount, path below it) for the longest mount that path is under, or
        (None, path). Mount names may hold "/" (team/pki)."""
        with self.lock:
            mounts = self.namespaces.get(namespace, {})
            best = None
            for name, m in mounts.items():
                if (path == name or path.startswith(name + "/")) and (
                        best is None or len(name) > len(best.name)):
                    best = m
        if best is None:
            return None, path
        return best, path[len(best.name) + 1:]

    def find_order(self, namespace: str, mount: str, order_id: str):
        with self.lock:
            m = self.namespaces.get(namespace, {}).get(mount)
            return m.orders.get(order_id) if m else None

    def order_count(self) -> int:
        with self.lock:
            return sum(len(m.orders) for ms in self.namespaces.values() for m in ms.values())
