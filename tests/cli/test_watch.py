#!/usr/bin/python3
# test_watch.py: `acmetop --watch` as systemd would run it (no terminal,
# stdin from /dev/null) against the real Vault simulator, with an
# on_change hook from the config file that writes its environment to a
# file: one JSON line on stdout and one hook run per transition, with
# ACMETOP_* describing it, never the token nor a key in what the hook gets;
# the hook's exit status and first line logged, a hook that hangs killed
# at hook_timeout; SIGTERM ends it with status 0.
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
from vsim.testkit import SimProcess  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.watch-test-token-c41d"
M = "pki-external-ca"

HOOK = r'''d=%s; n=$(ls "$d" | wc -l); env > "$d/$n.env"; echo "hook saw $ACMETOP_STATUS"'''


class Watch:
    """acmetop --watch in the background, its stdout and stderr read as lines."""

    def __init__(self, sim, config, *args):
        self.home = tempfile.mkdtemp(prefix="acmetop-watch-")
        cfgdir = os.path.join(self.home, ".config", "acmetop")
        os.makedirs(cfgdir)
        with open(os.path.join(cfgdir, "config"), "w") as f:
            f.write(config)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("VAULT_") and not k.startswith("ACMETOP_")}
        env.update({"HOME": self.home, "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
                    "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
                    "VAULT_ADDR": sim.addr, "VAULT_TOKEN": TOKEN})
        self.p = subprocess.Popen([BIN, "--watch", "--interval", "0.2s", "--idle-budget", "50",
                                   *args], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True)
        self.out, self.err = [], []
        self.buf = {self.p.stdout.fileno(): b"", self.p.stderr.fileno(): b""}

    def pump(self, timeout):
        fds = [fd for fd in self.buf]
        r, _, _ = select.select(fds, [], [], timeout)
        for fd in r:
            data = os.read(fd, 65536)
            if not data:
                self.buf.pop(fd)
                continue
            self.buf[fd] += data
            *lines, self.buf[fd] = self.buf[fd].split(b"\n")
            (self.out if fd == self.p.stdout.fileno() else self.err).extend(
                line.decode() for line in lines)

    def wait_for(self, pred, what, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if pred():
                return
            if not self.buf:
                break
            self.pump(0.1)
        raise AssertionError(f"no {what}; stdout {self.out} stderr {self.err}")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        end = time.monotonic() + 20
        while self.buf and time.monotonic() < end:
            self.pump(0.2)
        self.p.stdout.close()
        self.p.stderr.close()
        return self.p.wait(timeout=20)


class WatchAgainstTheSimulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "30", "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)
        cls.orders = {oid: cls.vault.read(f"{M}/lookup/order/{oid}").data
                      for oid in cls.vault.list(f"{M}/lookup/orders").data["keys"]}
        cls.awaiting = sorted(o for o, d in cls.orders.items()
                              if d["order_status"] == "awaiting-challenge-fulfillment")
        assert len(cls.awaiting) >= 3

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def patch(self, **body):
        r = self.vault.sim("POST", "order", body)
        self.assertEqual(r.status, 200, r)

    def test_one_line_and_one_hook_per_transition(self):
        spool = tempfile.mkdtemp(prefix="acmetop-hook-")
        w = Watch(self.sim, f"on_change = {HOOK % spool}\n")
        try:
            w.wait_for(lambda: any("connected" in e for e in w.err), "connected line")
            time.sleep(0.5)  # the first listing is done: what it saw is no change
            self.assertEqual(w.out, [])
            a, b = self.awaiting[0], self.awaiting[1]
            self.patch(order_id=a, order_status="error", last_error="boom: no TXT record")
            w.wait_for(lambda: len(w.out) >= 1, "first change")
            self.patch(order_id=b, order_status="processing-challenge")
            w.wait_for(lambda: len(w.out) >= 2, "second change")
            w.wait_for(lambda: sum("on_change" in e for e in w.err) >= 2, "hook outcomes")
            time.sleep(1)  # nothing else changed: nothing else comes
        finally:
            rc = w.stop()
        self.assertEqual(rc, 0, w.err)
        changes = [json.loads(line) for line in w.out]
        self.assertEqual([(c["order_id"], c["old_status"], c["status"]) for c in changes],
                         [(a, "awaiting-challenge-fulfillment", "error"),
                          (b, "awaiting-challenge-fulfillment", "processing-challenge")])
        self.assertEqual(changes[0]["last_error"], "boom: no TXT record")
        self.assertEqual(changes[0]["identifiers"], self.orders[a]["identifiers"])
        self.assertEqual(changes[0]["role"], self.orders[a]["role_name"])
        self.assertEqual(changes[0]["mount"], M)
        # the hook ran once per transition, its outcome on stderr
        outcomes = [e for e in w.err if "on_change" in e]
        self.assertEqual(len(outcomes), 2, w.err)
        self.assertIn(f"on_change {a[:8]} awaiting-challenge-fulfillment → error: exit 0: "
                      "hook saw error", outcomes[0])
        envs = []
        for name in sorted(os.listdir(spool), key=lambda n: int(n.split(".")[0])):
            with open(os.path.join(spool, name)) as f:
                text = f.read()
            self.assertNotIn(TOKEN, text)
            self.assertNotIn("VAULT_", text)
            self.assertNotIn("PRIVATE KEY", text)
            envs.append(dict(line.split("=", 1) for line in text.splitlines() if "=" in line))
        self.assertEqual(len(envs), 2)
        self.assertEqual(envs[0]["ACMETOP_ORDER_ID"], a)
        self.assertEqual(envs[0]["ACMETOP_OLD_STATUS"], "awaiting-challenge-fulfillment")
        self.assertEqual(envs[0]["ACMETOP_STATUS"], "error")
        self.assertEqual(envs[0]["ACMETOP_LAST_ERROR"], "boom: no TXT record")
        self.assertEqual(envs[0]["ACMETOP_ROLE"], self.orders[a]["role_name"])
        self.assertEqual(envs[0]["ACMETOP_IDENTIFIERS"], " ".join(self.orders[a]["identifiers"]))
        self.assertEqual(envs[0]["ACMETOP_CERT_NOT_AFTER"], "")
        self.assertEqual(envs[1]["ACMETOP_ORDER_ID"], b)
        self.assertEqual(envs[1]["ACMETOP_STATUS"], "processing-challenge")
        self.assertNotIn("HOME_SECRET", envs[0])

    def test_failing_and_hanging_hooks_are_logged(self):
        spool = tempfile.mkdtemp(prefix="acmetop-hook-")
        w = Watch(self.sim, f"on_change = {HOOK % spool}; sleep 30\nhook_timeout = 0.5s\n")
        try:
            w.wait_for(lambda: any("connected" in e for e in w.err), "connected line")
            time.sleep(0.5)
            c = self.awaiting[2]
            self.patch(order_id=c, order_status="expired")
            w.wait_for(lambda: any("timed out" in e for e in w.err), "timeout line")
        finally:
            t0 = time.monotonic()
            rc = w.stop()
        self.assertEqual(rc, 0)
        self.assertLess(time.monotonic() - t0, 5)
        line = next(e for e in w.err if "on_change" in e)
        self.assertIn(f"on_change {c[:8]} awaiting-challenge-fulfillment → expired: timed out "
                      "after 0.5s", line)
        self.assertEqual(len(os.listdir(spool)), 1)

    def test_a_hook_exit_status_and_first_line(self):
        spool = tempfile.mkdtemp(prefix="acmetop-hook-")
        w = Watch(self.sim, "", "--on-change", HOOK % spool + "; exit 3")
        try:
            w.wait_for(lambda: any("connected" in e for e in w.err), "connected line")
            time.sleep(0.5)
            d = self.awaiting[3] if len(self.awaiting) > 3 else self.awaiting[0]
            self.patch(order_id=d, order_status="new")
            w.wait_for(lambda: any("on_change" in e for e in w.err), "hook outcome")
        finally:
            rc = w.stop()
        self.assertEqual(rc, 0)
        self.assertRegex(next(e for e in w.err if "on_change" in e),
                         r"on_change \S+ \S+ → new: exit 3: hook saw new$")


if __name__ == "__main__":
    unittest.main()
