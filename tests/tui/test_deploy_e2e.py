#!/usr/bin/python3
# test_deploy_e2e: deploy, verify, collect from the keyboard, end to end,
# with a real CA: pebble (+ pebble-challtestsrv as its DNS) behind the Vault
# simulator's pebble backend, acmetop in tmux with the demo's environment
# (ACMETOP_DEMO_HTTP01_PORT: its responder listens where pebble validates
# http-01 and the checks resolve every name to 127.0.0.1;
# ACMETOP_DEMO_DNS: the dns-01 check asks challtestsrv).
#   http-01   n (role picker, names) -> the new order appears, selected ->
#             w (responder) -> f: pre-flight OK -> y -> completed, pebble's
#             requests in the responder strip -> e -> files, key 0600,
#             `openssl verify` against pebble's root and the chain;
#   dns-01    the TXT value copied with x (OSC 52 -> tmux buffer) is set in
#             challtestsrv -> f: pre-flight OK -> y -> completed;
#   negative  nothing deployed -> f: pre-flight MISMATCH, y sends nothing
#             (the simulator's request log) -> F + "force" sends -> the order
#             ends in error with pebble's reason on screen.
# Every port is free-picked; every wait is bounded.

import json
import os
import socket
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
import unittest
import urllib.request

from tuikit import MOUNT, SimProcess, Tmux, binary, challenge_select

from vsim.pebble_env import PebbleEnv  # noqa: E402  (tuikit put tests/vaultsim on the path)

WAIT = 30.0  # pebble validates in well under a second; ASan makes acmetop slower
CREATED = re.compile(r"order ([0-9a-f-]{36}) created")


class TestDeployEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pebble = PebbleEnv().start()
        cls.sim = SimProcess("--backend", "pebble")
        cls.sim.start()
        c = cls.sim.client()
        with open(cls.pebble.ca_bundle) as f:
            trusted = f.read()
        r = c.write(f"{MOUNT}/config/acme-account/pebble",
                    {"directory_url": cls.pebble.directory_url, "trusted_ca": trusted,
                     "email_contacts": ["ops@demo.test"]})
        assert r.status == 200, r
        r = c.write(f"{MOUNT}/role/web",
                    {"acme_account_name": "pebble", "allowed_domains": ["demo.test"],
                     "allowed_domain_options": ["subdomains"],
                     "allowed_challenge_types": ["http-01", "dns-01"],
                     "csr_generate_key_type": "ec-256"})
        assert r.status == 200, r
        cls.client = c
        cls.work = tempfile.mkdtemp(prefix="acmetop-e2e-")
        cls.root = os.path.join(cls.work, "pebble-root.pem")
        with open(cls.root, "w") as f:
            f.write(cls.pebble.root_pem())

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.sim.stop()
        cls.pebble.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.certs = os.path.join(self.work, f"certs-{self._testMethodName}")
        self.t = Tmux(150, 45)
        self.addCleanup(self.t.close)
        env = {"ACMETOP_DEMO_HTTP01_PORT": str(self.pebble.http01_port),
               "ACMETOP_DEMO_DNS": f"127.0.0.1:{self.pebble.dns_port}",
               "ACMETOP_DEMO_CHALLTESTSRV": self.pebble.mgmt_url}
        env = self.t.env({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": "root", **env})
        # the exit status is printed once the console is gone (and kept on screen)
        script = '"$0" "$@"; echo "exit=$?"; exec sleep 600'
        self.t.start(["/bin/sh", "-c", script, binary(), "--interval", "1s", "--cert-dir",
                      self.certs], env)
        self.t.wait_for(r"\bIDENTIFIERS\b")

    # ---- helpers ------------------------------------------------------------------

    def requests(self, since=0):
        return self.client.sim("GET", f"requests?since={since}").json

    def last_seq(self):
        return max([e["seq"] for e in self.requests()] or [0])

    def row(self, screen, oid):
        for line in screen.split("\n")[3:]:
            if f" {oid[:8]} " in line:
                return line
        return None

    def new_order_from_the_console(self, name):
        """n, pick role web, type the name, Enter: the ID of the created order."""
        self.t.keys("n")
        self.t.wait_for(r"Pick the role of the new order")
        self.t.wait_for(r"> web\s+demo\.test \(subdomains\); http-01, dns-01")
        self.t.keys("Enter")
        self.t.wait_for(r"Names or CSR file:")
        self.t.type(name)
        self.t.wait_for(rf"allowed\s+{re.escape(name)}")
        self.t.keys("Enter")
        screen = self.t.wait_for(CREATED.pattern, timeout=WAIT)
        oid = CREATED.search(screen).group(1)
        # in the list at once, selected (the detail pane shows it)
        self.assertIsNotNone(self.row(screen, oid))
        self.assertRegex(screen, rf"Detail\s+order {oid[:8]}")
        self.t.wait_for(lambda s: " awaiting " in (self.row(s, oid) or ""), timeout=WAIT)
        self.t.wait_for(rf"{re.escape(name)}\s*$|{re.escape(name)}\s*│", timeout=WAIT)
        return oid

    def quit_cleanly(self):
        """q: the console exits 0 (under ASan: no leak, no error report)."""
        self.t.keys("q")
        screen = self.t.wait_for(r"^exit=\d+\s*$", timeout=15)
        self.assertEqual(re.search(r"^exit=(\d+)", screen, re.M).group(1), "0", screen)

    def fulfill_posts(self, oid, since):
        return [e for e in self.requests(since)
                if e["method"] in ("POST", "PUT") and e["path"].endswith(
                    f"/order/{oid}/fulfilled-challenge")]

    # ---- the flows ---------------------------------------------------------------

    def test_http01_responder_preflight_fulfill_collect(self):
        name = f"h{secrets.token_hex(4)}.demo.test"
        oid = self.new_order_from_the_console(name)
        self.t.keys("w")
        screen = self.t.wait_for(r"HTTP-01 responder 127\.0\.0\.1:\d+\s+serving 1 token of 1 order",
                                 timeout=WAIT)
        self.assertIn(f"127.0.0.1:{self.pebble.http01_port}", screen)
        challenge_select(self.t, "http-01", name)  # pebble's challenge order varies
        self.t.keys("f")
        screen = self.t.wait_for(r"Pre-flight OK", timeout=WAIT)
        self.assertIn(f"Mark the http-01 challenge of {name} fulfilled?", screen)
        since = self.last_seq()
        self.t.keys("y")
        self.t.wait_for(r"marked fulfilled", timeout=WAIT)
        screen = self.t.wait_for(lambda s: " completed " in (self.row(s, oid) or "") and s,
                                 timeout=WAIT)
        self.assertEqual(len(self.fulfill_posts(oid, since)), 1)
        # pebble's validation requests, answered 200, in the strip
        self.assertRegex(screen, rf"\d\d:\d\d:\d\d\s+127\.0\.0\.1:\d+\s+200\s+{re.escape(name)}")
        # the order finished: its token is served no more
        self.t.wait_for(r"HTTP-01 responder \S+  serving no token", timeout=WAIT)

        self.t.keys("e")
        self.t.wait_for(r"the private key is wiped from memory", timeout=WAIT)
        crt = os.path.join(self.certs, f"{name}.crt")
        chain = os.path.join(self.certs, f"{name}.chain.pem")
        key = os.path.join(self.certs, f"{name}.key")
        for path in (crt, chain, key):
            self.assertTrue(os.path.exists(path), path)
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(crt).st_mode), 0o644)
        r = subprocess.run(["openssl", "verify", "-CAfile", self.root, "-untrusted", chain, crt],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(key) as f:
            self.assertIn("PRIVATE KEY", f.read())
        # the key never reached the screen
        self.t.keys("v")
        screen = self.t.wait_for(r"Subject\s+CN=" + re.escape(name), timeout=WAIT)
        self.assertRegex(screen, r"SHA-256\s+([0-9A-F]{2}:){10}")
        self.assertNotIn("PRIVATE KEY", screen)
        self.t.keys("Escape")
        self.quit_cleanly()
        # the responder stopped with the console: pebble's port is free again
        with socket.socket() as sock:  # (TIME_WAIT of answered requests is fine)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.pebble.http01_port))
            sock.listen(1)

    def test_dns01_value_copied_deployed_checked_fulfilled(self):
        name = f"d{secrets.token_hex(4)}.demo.test"
        oid = self.new_order_from_the_console(name)
        challenge_select(self.t, "dns-01", name)
        self.t.wait_for(r"TXT value\s+\S{43}", timeout=WAIT)
        self.t.keys("x")
        self.t.wait_for(r"copied the TXT value \(43 bytes", timeout=WAIT)
        value = self.t.buffer()
        self.assertRegex(value, r"^[A-Za-z0-9_-]{43}$")
        body = json.dumps({"host": f"_acme-challenge.{name}.", "value": value}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{self.pebble.mgmt_url}/set-txt",
                                                      data=body, method="POST"), timeout=10)
        self.t.keys("f")
        screen = self.t.wait_for(r"Pre-flight OK", timeout=WAIT)
        self.assertIn(f"Mark the dns-01 challenge of {name} fulfilled?", screen)
        self.t.keys("y")
        self.t.wait_for(lambda s: " completed " in (self.row(s, oid) or ""), timeout=WAIT)
        self.quit_cleanly()

    def test_nothing_deployed_mismatch_then_forced_error(self):
        name = f"n{secrets.token_hex(4)}.demo.test"
        oid = self.new_order_from_the_console(name)
        challenge_select(self.t, "dns-01", name)
        since = self.last_seq()
        self.t.keys("f")
        screen = self.t.wait_for(r"\[p\] Check again\s+\[F\] Fulfill anyway", timeout=WAIT)
        self.assertIn("Pre-flight MISMATCH", screen)
        self.assertIn(f"_acme-challenge.{name} has no TXT record", screen)
        self.t.keys("y")  # the usual yes: cancels here
        self.t.wait_for(r"cancelled: nothing was sent")
        time.sleep(1.0)  # a POST would have been logged by now
        self.assertEqual(self.fulfill_posts(oid, since), [])
        self.assertEqual(self.client.read(f"{MOUNT}/lookup/order/{oid}").data["order_status"],
                         "awaiting-challenge-fulfillment")

        self.t.keys("f")
        self.t.wait_for(r"Pre-flight MISMATCH", timeout=WAIT)
        self.t.keys("F")
        self.t.wait_for(r"Type force:")
        self.t.type("force")
        self.t.keys("Enter")
        self.t.wait_for(r"marked fulfilled", timeout=WAIT)
        self.assertEqual(len(self.fulfill_posts(oid, since)), 1)
        screen = self.t.wait_for(lambda s: " error " in (self.row(s, oid) or "") and s,
                                 timeout=WAIT)
        # pebble's reason, through Vault's last_error, in the detail pane
        screen = self.t.wait_for(r"Last error\s+dns-01 challenge for " + re.escape(name),
                                 timeout=WAIT)
        self.assertIn("unauthorized", screen)
        self.quit_cleanly()


if __name__ == "__main__":
    unittest.main()
