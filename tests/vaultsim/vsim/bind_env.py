"""BIND9's named on loopback: the authoritative server of the zones that an
rfc2136 DNS provider updates, and the DNS server pebble asks.

BindEnv starts Debian's named on a free loopback port (UDP and TCP) with a
generated TSIG key (hmac-sha256) that may update the given zones, each zone
holding an SOA, an NS and `* A 127.0.0.1`. Names outside those zones are
forwarded to `forward_port` (pebble-challtestsrv, which answers every name
with 127.0.0.1 and serves the TXT records an operator sets), with the cache
TTLs at 0 (BIND still keeps a negative answer about a second: a record set
in challtestsrv right after a lookup through BIND shows a second later). Everything lives in one
temporary directory that stop() removes; named runs in its own process group
and dies with the thread that started it.
"""

import atexit
import base64
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

import dns.exception
import dns.message
import dns.query
import dns.rdatatype

from .pebble_env import _free_ports, _tail, die_with_parent

NAMED_BIN = "/usr/sbin/named"
START_TIMEOUT = 20.0
TSIG_ALGORITHM = "hmac-sha256"


class BindEnvError(RuntimeError):
    """named could not be started, or did not answer."""


def txt_values(port: int, name: str, timeout: float = 1.0) -> list:
    """The TXT strings served for name by the server on 127.0.0.1:port (UDP)."""
    q = dns.message.make_query(name.rstrip(".") + ".", dns.rdatatype.TXT)
    r = dns.query.udp(q, "127.0.0.1", port=port, timeout=timeout)
    out = []
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.TXT:
            for rd in rrset:
                out.append(b"".join(rd.strings).decode("ascii", "replace"))
    return out


class BindEnv:
    """named for zones on a free loopback port; use as a context manager.

    After start(): port, nameserver ("127.0.0.1:port"), tsig_key_name,
    tsig_secret (base64), tsig_algorithm, log_dir.
    """

    def __init__(self, zones, forward_port=None, keep_dir=False):
        self.zones = [z.rstrip(".") for z in zones]
        self.forward_port = forward_port
        self.keep_dir = keep_dir
        self.port = None
        self.log_dir = None
        self.tsig_key_name = "acmetop-demo-key"
        self.tsig_algorithm = TSIG_ALGORITHM
        self.tsig_secret = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        self._proc = None
        self._atexit = False

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if not os.access(NAMED_BIN, os.X_OK):
            raise BindEnvError(f"{NAMED_BIN} not found: install the Debian package 'bind9'")
        self.log_dir = tempfile.mkdtemp(prefix="bind-env-")
        if not self._atexit:
            atexit.register(self.stop)
            self._atexit = True
        try:
            self._start_in(self.log_dir)
        except BaseException:
            self.stop()
            raise
        return self

    def _conf(self, d: str) -> str:
        lines = [
            "options {",
            f'  directory "{d}";',
            "  pid-file none;",
            "  session-keyfile none;",
            f"  listen-on port {self.port} {{ 127.0.0.1; }};",
            "  listen-on-v6 { none; };",
            "  notify no;",
            "  dnssec-validation no;",
        ]
        if self.forward_port:
            lines += [
                "  recursion yes;",
                "  allow-recursion { 127.0.0.0/8; };",
                "  forward only;",
                f"  forwarders {{ 127.0.0.1 port {self.forward_port}; }};",
                "  max-cache-ttl 0;",
                "  max-ncache-ttl 0;",
            ]
        else:
            lines.append("  recursion no;")
        lines += ["};", "controls { };",
                  f'key "{self.tsig_key_name}" {{',
                  f"  algorithm {self.tsig_algorithm};",
                  f'  secret "{self.tsig_secret}";',
                  "};"]
        for z in self.zones:
            lines += [f'zone "{z}" {{',
                      "  type primary;",
                      f'  file "{z}.zone";',
                      f'  allow-update {{ key "{self.tsig_key_name}"; }};',
                      "};"]
        return "\n".join(lines) + "\n"

    def _start_in(self, d: str):
        (self.port,) = _free_ports(1, udp_too=1)
        for z in self.zones:
            with open(os.path.join(d, f"{z}.zone"), "w") as f:
                f.write(f"$TTL 60\n"
                        f"@ IN SOA ns.{z}. hostmaster.{z}. 1 3600 600 86400 1\n"
                        f"@ IN NS ns.{z}.\n"
                        f"ns IN A 127.0.0.1\n"
                        f"* IN A 127.0.0.1\n")
        conf = os.path.join(d, "named.conf")
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # holds the key
        with os.fdopen(fd, "w") as f:
            f.write(self._conf(d))
        log_path = os.path.join(d, "named.log")
        log = open(log_path, "ab")
        try:
            # -g: foreground, log to stderr; -n 1: one worker thread (shared cores)
            self._proc = subprocess.Popen([NAMED_BIN, "-g", "-n", "1", "-c", conf],
                                          stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, cwd=d,
                                          start_new_session=True,
                                          preexec_fn=die_with_parent)
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._serves_soa():
            if self._proc.poll() is not None:
                raise BindEnvError(f"named exited with status {self._proc.returncode}; "
                                   f"log {log_path}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise BindEnvError(f"named did not serve {self.zones} after "
                                   f"{START_TIMEOUT:.0f}s; log {log_path}:\n{_tail(log_path)}")
            time.sleep(0.05)

    def _serves_soa(self) -> bool:
        for z in self.zones:
            q = dns.message.make_query(z + ".", dns.rdatatype.SOA)
            try:
                r = dns.query.udp(q, "127.0.0.1", port=self.port, timeout=0.3)
            except (OSError, dns.exception.DNSException):
                return False
            if not any(rr.rdtype == dns.rdatatype.SOA for rr in r.answer):
                return False
        return True

    def txt(self, name: str) -> list:
        """The TXT strings named serves for name."""
        return txt_values(self.port, name)

    def stop(self):
        """Kill named (its process group) and remove the directory. Idempotent."""
        p, self._proc = self._proc, None
        if p is not None:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
        if self.log_dir and not self.keep_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)
        if self._atexit:
            atexit.unregister(self.stop)
            self._atexit = False
