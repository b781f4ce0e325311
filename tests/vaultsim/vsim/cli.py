# cli.py: the vaultsim command line: parse options, build the Simulator,
# seed it, listen (HTTP or --tls HTTPS), print VAULT_ADDR= (and VAULT_CACERT=
# with --tls) on stdout once listening, serve until SIGTERM/SIGINT.

import argparse
import os
import shutil
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time

from . import certs, seed
from .policy import token_parse
from .server import SimServer
from .pebble_backend import VAULT_DNS_PACE
from .simulator import Simulator
from .state import PKI_TYPE
from .sys_api import VAULT_VERSION
from .timefmt import timefmt_configure


def _listen_address(text: str):
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"--listen {text!r}: expected HOST:PORT")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def _mount_spec(text: str):
    name, _, typ = text.partition(":")
    name = name.strip("/")
    if not name or name.split("/")[0] in ("auth", "cubbyhole", "identity", "sys"):
        raise argparse.ArgumentTypeError(f"--mount {text!r}: expected NAME or NAME:TYPE")
    return name, typ or PKI_TYPE


MAX_SEED_NAMESPACES = 999


def namespaces_seeded(names, count: int) -> list:
    """The namespaces that hold the --mount mounts: each --seed-namespace (""
    or "/" = root), then ns01..nsN (--seed-namespaces N; 3 digits from 100);
    the root alone when neither is given. No duplicates, in that order."""
    width = max(2, len(str(count)))
    out = []
    for ns in [n.strip().strip("/") for n in names] + \
            [f"ns{k:0{width}d}" for k in range(1, count + 1)]:
        if ns not in out:
            out.append(ns)
    return out or [""]


def args_parse(argv):
    p = argparse.ArgumentParser(prog="vaultsim", description="Simulated HashiCorp Vault "
                                "PKI External CA secrets engine (see tests/vaultsim/README.md)")
    p.add_argument("--backend", choices=("scripted", "pebble"), default="scripted")
    p.add_argument("--listen", type=_listen_address, default=("127.0.0.1", 8200),
                   metavar="HOST:PORT", help="port 0 picks a free port")
    p.add_argument("--token", action="append", default=[], metavar="TOKEN[:OPTS]",
                   help="accepted token (repeatable); OPTS: deny=GLOB,readonly,ttl=S,ns=NS,"
                        "policy=NAME; default: one root token 'root'")
    p.add_argument("--token-ttl", type=int, default=0, metavar="SECONDS",
                   help="ttl of tokens without ttl= (0 = never expires)")
    p.add_argument("--seed-orders", type=int, default=0, metavar="N",
                   help=f"create N orders per seeded mount (max {seed.MAX_SEED_ORDERS})")
    p.add_argument("--seed", type=int, default=1, help="random seed (deterministic data)")
    p.add_argument("--seed-namespace", action="append", default=[], metavar="NS",
                   help="namespace created at start, holding the --mount mounts "
                        "(repeatable; \"\" or / is the root namespace)")
    p.add_argument("--seed-namespaces", type=int, default=0, metavar="N",
                   help=f"N namespaces ns01..nsN created at start, each holding the --mount "
                        f"mounts (max {MAX_SEED_NAMESPACES})")
    p.add_argument("--mount", action="append", type=_mount_spec, default=[],
                   metavar="NAME[:TYPE]", help="mount created at start, of TYPE (default "
                   "pki-external-ca; seeded when so) (repeatable; default pki-external-ca)")
    p.add_argument("--time-scale", type=float, default=1.0, metavar="X",
                   help="simulated seconds per real second; 0 freezes the clock")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA")
    p.add_argument("--tls-ca-out", metavar="FILE", help="where to write the CA PEM with --tls")
    p.add_argument("--tz-offset", default="Z", metavar="+HH:MM",
                   help="write times with this offset instead of Z")
    p.add_argument("--time-nanos", action="store_true",
                   help="write fractional seconds, like Vault's RFC3339Nano")
    p.add_argument("--vault-version", default=VAULT_VERSION)
    p.add_argument("--vault-dns-pace", type=float, default=VAULT_DNS_PACE, metavar="SECONDS",
                   help="pebble backend: how long each of Vault's own dns-01 statuses "
                        f"lasts at least (default {VAULT_DNS_PACE:g})")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="shut down when the process that started vaultsim goes away")
    a = p.parse_args(argv)
    if not 0 <= a.seed_orders <= seed.MAX_SEED_ORDERS:
        p.error(f"--seed-orders must be between 0 and {seed.MAX_SEED_ORDERS}")
    if not 0 <= a.seed_namespaces <= MAX_SEED_NAMESPACES:
        p.error(f"--seed-namespaces must be between 0 and {MAX_SEED_NAMESPACES}")
    a.namespaces = namespaces_seeded(a.seed_namespace, a.seed_namespaces)
    if a.time_scale < 0:
        p.error("--time-scale must be >= 0")
    try:
        timefmt_configure(a.tz_offset, a.time_nanos)
        a.tokens = [token_parse(t, a.token_ttl) for t in (a.token or ["root"])]
    except ValueError as e:
        p.error(str(e))
    return a


def _watch_parent(parent: int, server) -> None:
    """--exit-with-parent: once reparented (the starter died), shut the server down."""
    while os.getppid() == parent:
        time.sleep(0.5)
    server.shutdown()


def main(argv=None) -> int:
    a = args_parse(sys.argv[1:] if argv is None else argv)
    sim = Simulator(a.backend, a.tokens, a.time_scale, a.seed, a.vault_version,
                    a.vault_dns_pace)
    mounts = a.mount or [("pki-external-ca", PKI_TYPE)]
    try:
        for namespace in a.namespaces:
            sim.mounts_create(mounts, namespace)
    except ValueError as e:
        print(f"vaultsim: --mount: {e}", file=sys.stderr)
        return 2
    if a.seed_orders:
        sim.seed(a.seed_orders, mounts, a.namespaces)
    host, port = a.listen
    tmpdir = None
    ctx = None
    ca_path = None
    if a.tls:
        tmpdir = tempfile.mkdtemp(prefix="vaultsim-tls-")
        ca_path, cert_path, key_path = certs.tls_files_make(tmpdir, a.tls_ca_out)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = SimServer((host, port), sim, ctx, family)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(os.getppid(), server), daemon=True).start()
    real_port = server.server_address[1]
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    scheme = "https" if a.tls else "http"
    print(f"VAULT_ADDR={scheme}://{shown}:{real_port}", flush=True)
    if a.tls:
        print(f"VAULT_CACERT={ca_path}", flush=True)

    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0
