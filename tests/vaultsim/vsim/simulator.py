# simulator.py: the composition root. Simulator holds every part of one
# running simulated Vault (clock, tokens, store, engines, PKI API, faults,
# request log, simulator CA) so the HTTP layer and the control API share them.

import os

from . import certs, seed
from .clock import SimClock
from .faults import Faults
from .pebble_backend import VAULT_DNS_PACE, PebbleEngine
from .pki_api import PkiApi
from .policy import TokenStore
from .reqlog import RequestLog
from .scripted import ScriptedEngine
from .state import PKI_TYPE, Store
from .sys_api import VAULT_VERSION


class Simulator:
    def __init__(self, backend="scripted", tokens=(), time_scale=1.0, seed_value=1,
                 version=VAULT_VERSION, vault_dns_pace=VAULT_DNS_PACE):
        self.clock = SimClock(time_scale)
        start = self.clock.now()
        self.tokens = TokenStore(tokens, start)
        self.store = Store()
        self.ca = certs.SimCA(seed_value, start)
        self.scripted = ScriptedEngine(self.ca, seed_value, self.store.lock)
        self.pebble = (PebbleEngine(self.clock, self.store, vault_dns_pace)
                       if backend == "pebble" else None)
        self.backend = backend
        self.api = PkiApi(self.store, self.clock, self.scripted, self.pebble, backend)
        self.faults = Faults()
        self.log = RequestLog()
        self.version = version
        self.seed_value = seed_value
        self.pid = os.getpid()
        self.go_offline = None  # set by the HTTP server: POST /_sim/offline

    def mounts_create(self, mounts, namespace: str = "") -> None:
        """[(name, type)] mounted in namespace (created too): --mount, --seed-namespace."""
        self.store.namespace_create(namespace)
        for name, typ in mounts:
            self.store.mount_create(namespace, name, typ)

    def seed(self, n: int, mounts, namespaces=("",)) -> None:
        """n orders (with accounts, roles, DNS providers) in each pki-external-ca
        mount of each namespace. With more than one such place, every seeded
        identifier names its place (seed.place_tag)."""
        now = self.clock.now()
        places = [(ns, name) for ns in namespaces for name, typ in mounts if typ == PKI_TYPE]
        with self.store.lock:
            for ns, name in places:
                tag = seed.place_tag(ns, name) if len(places) > 1 else None
                seed.seed_mount(self.store, self.scripted, name, ns, n, now,
                                self.seed_value, tag)
