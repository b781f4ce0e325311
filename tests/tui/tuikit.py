# tuikit.py: helpers for the terminal tests of acmetop's console: Tmux runs
# the real binary in a private tmux server (own socket name, no config
# file, fixed size) and reads the screen back with capture-pane; wait_for()
# polls the screen with a deadline instead of sleeping blindly. The Vault
# simulator comes from tests/vaultsim (SimProcess, VaultClient).

import base64
import hashlib
import itertools
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))

from vsim.testkit import SimProcess  # noqa: E402,F401  (re-exported for the tests)

BIN = os.environ.get("ACMETOP_BIN") or os.path.join(ROOT, "build", "acmetop")
MOUNT = "pki-external-ca"
TIMEOUT = 15.0
SETTLE = 0.05  # seconds between the two captures of a settled screen
_counter = itertools.count()


def binary() -> str:
    """The acmetop binary under test; a missing one is an error, not a skip."""
    if not os.access(BIN, os.X_OK):
        raise RuntimeError(f"{BIN} is missing: run `make` first (or set ACMETOP_BIN)")
    return BIN


def terminal_name() -> str:
    """A TERM this machine has a terminfo entry for (tmux's own if present)."""
    for name in ("tmux-256color", "screen-256color", "screen"):
        if subprocess.run(["infocmp", name], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0:
            return name
    return "screen"


def display_width(s: str) -> int:
    """Terminal columns of s (East Asian wide and full-width count 2)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def dns01_txt_value(key_authorization: str) -> str:
    digest = hashlib.sha256(key_authorization.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Tmux:
    """One private tmux server with one session "t" of a fixed size."""

    def __init__(self, cols=80, rows=24):
        self.socket = f"acmetop-tui-{os.getpid()}-{next(_counter)}"
        self.cols, self.rows = cols, rows
        self.home = tempfile.mkdtemp(prefix="acmetop-tui-home-")
        self.started = False

    def tmux(self, *args, check=True) -> str:
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=20)
        if check and r.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def env(self, extra=None) -> dict:
        """A small, explicit environment: no user config, no stray VAULT_*."""
        env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "LANG": "C.UTF-8",
               "TERM": terminal_name()}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        env.update(extra or {})
        return env

    def start(self, argv, env=None):
        """Run argv (a list) as the session's only program."""
        cmd = "exec env -i " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + \
              " " + " ".join(shlex.quote(a) for a in argv)
        self.tmux("new-session", "-d", "-s", "t", "-x", str(self.cols), "-y", str(self.rows),
                  cmd)
        self.started = True
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")
        self.tmux("set-option", "-s", "set-clipboard", "on")
        return self

    def start_acmetop(self, addr, *args, extra_env=None):
        env = self.env({"VAULT_ADDR": addr, "VAULT_TOKEN": "root", **(extra_env or {})})
        return self.start([binary(), "--interval", "1s", *args], env)

    def start_shell(self, extra_env=None):
        env = self.env({"PS1": "PROMPT$ ", **(extra_env or {})})
        return self.start(["/bin/bash", "--norc", "--noprofile"], env)

    def screen(self, escapes=False) -> str:
        args = ["capture-pane", "-p", "-t", "t"]
        if escapes:
            args.append("-e")
        return self.tmux(*args)

    def lines(self) -> list:
        return self.screen().split("\n")

    def wait_for(self, what, timeout=TIMEOUT, escapes=False):
        """Wait until the screen matches `what` (a regex: returns the screen
        text; or a function of the screen text: returns its true value).
        A match counts only on a settled screen, the same in two captures
        SETTLE apart: capture-pane can catch the console halfway through
        writing a frame, with the new dialog's top over the old one's rest."""
        deadline = time.monotonic() + timeout
        last = self.screen(escapes)
        while True:
            got = what(last) if callable(what) else (
                last if re.search(what, last, re.M) else None)
            if got:
                time.sleep(SETTLE)
                again = self.screen(escapes)
                if again == last or time.monotonic() > deadline:
                    return got
                last = again  # still drawing: judge the newer capture
                continue
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never matched {what!r} within {timeout}s; "
                                     f"last screen:\n{last}")
            time.sleep(0.05)
            last = self.screen(escapes)

    def settled(self, timeout=TIMEOUT) -> str:
        """The screen once a frame is fully drawn (see wait_for)."""
        return self.wait_for(lambda s: s, timeout=timeout)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)

    def resize(self, cols, rows):
        self.tmux("resize-window", "-t", "t", "-x", str(cols), "-y", str(rows))
        self.cols, self.rows = cols, rows

    def buffer(self) -> str:
        return self.tmux("show-buffer", check=False)

    def pane(self, fmt) -> str:
        return self.tmux("display-message", "-p", "-t", "t", fmt).strip()

    def pane_pid(self) -> int:
        return int(self.pane("#{pane_pid}"))

    def close(self):
        if self.started:
            self.tmux("kill-server", check=False)
        shutil.rmtree(self.home, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def child_pid(parent: int, name: str, timeout=TIMEOUT) -> int:
    """The pid of parent's child whose command is `name` (waits for it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as f:
                kids = [int(p) for p in f.read().split()]
        except OSError:
            kids = []
        for k in kids:
            try:
                with open(f"/proc/{k}/comm") as f:
                    if f.read().strip() == name:
                        return k
            except OSError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"no child {name!r} of {parent}")


def free_port() -> int:
    """A loopback TCP port nobody listens on (closed again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def challenge_select(t, ctype, name):
    """Enter on the selected (awaiting) order, then j until the cursor is on
    the ctype challenge of name (the CA's challenge order varies)."""
    t.keys("Enter")
    header = re.compile(rf"(^|│ ){ctype} {re.escape(name)}\s*$", re.M)
    for _ in range(6):
        if header.search(t.wait_for(r"Challenges\s+\d+/\d+")):
            return
        t.keys("j")
        time.sleep(0.2)
    t.wait_for(header.pattern)


class Sim:
    """The scripted simulator with a client; use as a context manager."""

    def __init__(self, *args):
        self.proc = SimProcess("--backend", "scripted", *args)

    def __enter__(self):
        self.proc.start()
        self.addr = self.proc.addr
        self.client = self.proc.client()
        return self

    def __exit__(self, *exc):
        self.client.close()
        self.proc.stop()
        return False

    def orders(self) -> dict:
        """Every order's full object, by ID."""
        r = self.client.list(f"{MOUNT}/lookup/orders")
        out = {}
        for oid in r.data["keys"]:
            o = self.client.read(f"{MOUNT}/lookup/order/{oid}").data
            o["_id"] = oid
            out[oid] = o
        return out

    def order(self, oid) -> dict:
        o = self.client.read(f"{MOUNT}/lookup/order/{oid}").data
        o["_id"] = oid
        return o

    def challenge(self, order, identifier, ctype) -> dict:
        q = urllib.parse.urlencode({"identifier": identifier, "challenge_type": ctype})
        r = self.client.read(f"{MOUNT}/role/{order['role_name']}/order/{order['_id']}/challenge"
                             f"?{q}")
        if r.status != 200:
            raise RuntimeError(f"challenge: {r.status} {r.raw[:300]!r}")
        return r.data

    def patch(self, **body):
        r = self.client.sim("POST", "order", body)
        if r.status != 200:
            raise RuntimeError(f"/_sim/order: {r.status} {r.raw[:300]!r}")
        return r.json

    def requests(self, since=0) -> list:
        return self.client.sim("GET", f"requests?since={since}").json
