"""A private pebble + pebble-challtestsrv pair on loopback, for tests and the demo.

PebbleEnv starts Let's Encrypt's test CA (pebble, Debian package) with its own
TLS certificate, free ports only (two environments coexist), and
pebble-challtestsrv as pebble's DNS server: every name resolves to 127.0.0.1
and dns-01 TXT records are set through its management API. Everything lives
in one private temporary directory that stop() removes; the processes run in
their own process group and die with the environment (stop(), atexit, and
PR_SET_PDEATHSIG when the creating thread goes away).
"""

import atexit
import ctypes
import datetime
import hashlib
import base64
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
import ipaddress

PEBBLE_BIN = "/usr/bin/pebble"
CHALLTESTSRV_BIN = "/usr/bin/pebble-challtestsrv"
START_TIMEOUT = 20.0


class PebbleEnvError(RuntimeError):
    """pebble or pebble-challtestsrv could not be started or asked something."""


def dns01_txt_value(key_authorization: str) -> str:
    """base64url(SHA-256(key authorization)) without padding (RFC 8555 8.4)."""
    digest = hashlib.sha256(key_authorization.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def dns01_record_name(identifier: str) -> str:
    """_acme-challenge name (FQDN, trailing dot) for an identifier; '*.' dropped."""
    name = identifier[2:] if identifier.startswith("*.") else identifier
    return "_acme-challenge." + name.rstrip(".") + "."


def _free_ports(count: int, udp_too: int = 0) -> list:
    """count distinct free loopback TCP ports; the first udp_too are also free in UDP.

    All sockets are held until every port is chosen so the ports are distinct.
    """
    held, ports = [], []
    try:
        while len(ports) < count:
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            held.append(tcp)
            if len(ports) < udp_too:
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    udp.close()
                    continue
                held.append(udp)
            ports.append(port)
    finally:
        for s in held:
            s.close()
    return ports


def _make_tls_material(directory: str):
    """CA + server certificate (127.0.0.1, localhost) for pebble's HTTPS listeners."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acmetop test pebble TLS CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    srv_key = ec.generate_private_key(ec.SECP256R1())
    srv_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(srv_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = os.path.join(directory, "tls-ca.pem")
    cert_path = os.path.join(directory, "tls-cert.pem")
    key_path = os.path.join(directory, "tls-key.pem")
    with open(ca_path, "wb") as f:
        f.write(ca_cert.public_bytes(serialization.Encoding.PEM))
    with open(cert_path, "wb") as f:
        f.write(srv_cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(srv_key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return ca_path, cert_path, key_path


def die_with_parent():
    """preexec_fn: the child gets SIGTERM when the thread that forked it dies (Linux).

    Keeps pebble from outliving a test runner killed with SIGKILL. Caveat: it is
    the forking *thread* that counts, so start PebbleEnv from a long-lived thread.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _tail(path: str, lines: int = 20) -> str:
    try:
        with open(path, "r", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"(cannot read {path}: {e})"


def _dns_answers(port: int, timeout: float = 0.3) -> bool:
    """True when a DNS server on 127.0.0.1:port answers a query for ready.test. A."""
    qid = os.getpid() & 0xFFFF
    header = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    qname = b"".join(bytes([len(p)]) + p for p in (b"ready", b"test")) + b"\x00"
    packet = header + qname + struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(packet, ("127.0.0.1", port))
            data, _ = s.recvfrom(512)
        except OSError:
            return False
    return len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid


def _tcp_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


class PebbleEnv:
    """pebble + pebble-challtestsrv on free loopback ports; use as a context manager.

    After start(): directory_url, ca_bundle, http01_port, tlsalpn01_port,
    dns_port, mgmt_url (challtestsrv), pebble_mgmt_url, log_dir.
    keep_dir=True leaves the temp dir (logs, config) in place after stop().
    bind_zones=("auto.demo.test",) also starts BIND9 (bind_env.BindEnv, as
    self.bind) authoritative for those zones, updatable with its TSIG key,
    forwarding every other name to challtestsrv; pebble then asks BIND, so
    records an rfc2136 provider writes there are what pebble validates.
    The children get SIGTERM if the thread that called start() dies (see
    die_with_parent), so call start() from the main or another long-lived thread.
    """

    def __init__(self, keep_dir: bool = False, bind_zones=()):
        self.keep_dir = keep_dir
        self.bind_zones = tuple(bind_zones)
        self.bind = None
        self.log_dir = None
        self.directory_url = None
        self.ca_bundle = None
        self.http01_port = None
        self.tlsalpn01_port = None
        self.dns_port = None
        self.mgmt_url = None
        self.pebble_mgmt_url = None
        self._procs = []
        self._ssl = None
        self._atexit_registered = False

    # ---- lifecycle -------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if self._procs:
            raise PebbleEnvError("PebbleEnv.start(): already running")
        for binary in (PEBBLE_BIN, CHALLTESTSRV_BIN):
            if not os.access(binary, os.X_OK):
                raise PebbleEnvError(f"{binary} not found: install the Debian package 'pebble'")
        self.log_dir = tempfile.mkdtemp(prefix="pebble-env-")
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        try:
            self._start_in(self.log_dir)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_in(self, d: str):
        self.ca_bundle, cert_path, key_path = _make_tls_material(d)
        (self.dns_port, acme_port, pmgmt_port, cmgmt_port,
         self.http01_port, self.tlsalpn01_port) = _free_ports(6, udp_too=1)
        config = {
            "pebble": {
                "listenAddress": f"127.0.0.1:{acme_port}",
                "managementListenAddress": f"127.0.0.1:{pmgmt_port}",
                "certificate": cert_path,
                "privateKey": key_path,
                "httpPort": self.http01_port,
                "tlsPort": self.tlsalpn01_port,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": False,
            }
        }
        config_path = os.path.join(d, "pebble-config.json")
        with open(config_path, "w") as f:
            json.dump(config, f, indent=2)
        self.directory_url = f"https://127.0.0.1:{acme_port}/dir"
        self.pebble_mgmt_url = f"https://127.0.0.1:{pmgmt_port}"
        self.mgmt_url = f"http://127.0.0.1:{cmgmt_port}"
        self._ssl = ssl.create_default_context(cafile=self.ca_bundle)

        chall_log = os.path.join(d, "challtestsrv.log")
        self._spawn([CHALLTESTSRV_BIN,
                     "-http01", "", "-https01", "", "-tlsalpn01", "",
                     "-dns01", f"127.0.0.1:{self.dns_port}",
                     "-management", f"127.0.0.1:{cmgmt_port}",
                     "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""],
                    chall_log, os.environ.copy())
        pebble_dns = self.dns_port
        if self.bind_zones:
            from .bind_env import BindEnv    # python3-dnspython: only when asked for
            self.bind = BindEnv(self.bind_zones, forward_port=self.dns_port,
                                keep_dir=self.keep_dir).start()
            pebble_dns = self.bind.port
        pebble_log = os.path.join(d, "pebble.log")
        env = os.environ.copy()
        env.update({"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0",
                    "PEBBLE_AUTHZREUSE": "0"})
        self._spawn([PEBBLE_BIN, "-config", config_path,
                     "-dnsserver", f"127.0.0.1:{pebble_dns}"], pebble_log, env)

        deadline = time.monotonic() + START_TIMEOUT
        checks = [
            ("pebble-challtestsrv management", chall_log, lambda: _tcp_accepts(cmgmt_port)),
            ("pebble-challtestsrv DNS", chall_log, lambda: _dns_answers(self.dns_port)),
            ("pebble ACME", pebble_log, lambda: _tcp_accepts(acme_port)),
            ("pebble management", pebble_log, lambda: _tcp_accepts(pmgmt_port)),
        ]
        for what, log, ready in checks:
            while not ready():
                for p in self._procs:
                    if p.poll() is not None:
                        raise PebbleEnvError(
                            f"{os.path.basename(p.args[0])} exited with status {p.returncode} "
                            f"while waiting for {what}; log {log}:\n{_tail(log)}")
                if time.monotonic() > deadline:
                    raise PebbleEnvError(
                        f"{what} not reachable after {START_TIMEOUT:.0f}s; log {log}:\n{_tail(log)}")
                time.sleep(0.05)

    def _spawn(self, argv, log_path, env):
        log = open(log_path, "ab")
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, env=env, cwd=self.log_dir,
                                    start_new_session=True, preexec_fn=die_with_parent)
        finally:
            log.close()
        self._procs.append(proc)

    def stop(self):
        """Kill both processes (whole process groups) and remove the temp dir. Idempotent."""
        procs, self._procs = self._procs, []
        if self.bind is not None:
            self.bind.stop()
            self.bind = None
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in procs:
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
        if self.log_dir and not self.keep_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)
        if self._atexit_registered:
            atexit.unregister(self.stop)
            self._atexit_registered = False

    def running(self) -> bool:
        return bool(self._procs) and all(p.poll() is None for p in self._procs)

    # ---- pebble management API ---------------------------------------------

    def _pebble_get(self, path: str) -> str:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=self._ssl))
        url = self.pebble_mgmt_url + path
        try:
            with opener.open(url, timeout=10) as r:
                return r.read().decode("ascii")
        except (urllib.error.URLError, OSError) as e:
            raise PebbleEnvError(f"GET {url} failed: {e}") from e

    def root_pem(self) -> str:
        """pebble's issuing root certificate (PEM); regenerated at every pebble start."""
        return self._pebble_get("/roots/0")

    def intermediate_pem(self) -> str:
        """pebble's intermediate certificate (PEM) that signs the leaf certificates."""
        return self._pebble_get("/intermediates/0")

    def cert_status(self, serial_hex: str) -> dict:
        """pebble's view of a certificate: {"Status": "Valid"|"Revoked", "Reason": n, ...}."""
        return json.loads(self._pebble_get("/cert-status-by-serial/" + serial_hex.lower()))

    # ---- challtestsrv management API -----------------------------------------

    def _chall_post(self, path: str, body: dict):
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        req = urllib.request.Request(self.mgmt_url + path, data=json.dumps(body).encode(),
                                     method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with opener.open(req, timeout=10) as r:
                r.read()
        except (urllib.error.URLError, OSError) as e:
            raise PebbleEnvError(f"POST {self.mgmt_url}{path} failed: {e}") from e

    def set_txt(self, host: str, value: str):
        """Add a TXT record; host is the full record name ("_acme-challenge.example.test")."""
        self._chall_post("/set-txt", {"host": host.rstrip(".") + ".", "value": value})

    def clear_txt(self, host: str):
        """Remove every TXT record of host (full record name)."""
        self._chall_post("/clear-txt", {"host": host.rstrip(".") + "."})

    def set_dns01(self, identifier: str, key_authorization: str):
        """Deploy the dns-01 answer of identifier ("*.x" uses _acme-challenge.x)."""
        self.set_txt(dns01_record_name(identifier), dns01_txt_value(key_authorization))
