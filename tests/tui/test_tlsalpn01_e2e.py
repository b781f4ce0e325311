#!/usr/bin/python3
# test_tlsalpn01_e2e: the tls-alpn-01 flow of the demo from the keyboard,
# end to end, with a real CA: pebble (+ pebble-challtestsrv as its DNS)
# behind the Vault simulator's pebble backend, acmetop in tmux with the
# demo's environment (ACMETOP_DEMO_TLSALPN01_PORT: its TLS-ALPN-01
# responder listens where pebble validates tls-alpn-01; the checks use that
# port and resolve every name to 127.0.0.1, as pebble does).
#   an order for tls.demo.test on a role that allows http-01 and tls-alpn-01
#   (made through the Vault API, as `make demo` makes its orders) ->
#   select it, Enter, cursor on tls-alpn-01, w (the TLS-ALPN-01 responder,
#   not the HTTP-01 one, starts) -> f: Pre-flight OK -> y -> completed,
#   pebble's handshakes (SNI tls.demo.test, served) in the strip; the
#   finished order's identifier is served no more; q exits 0 and the port
#   is free again.
# (A wildcard never gets a tls-alpn-01 challenge from a real CA, nor an
# order on a role without dns-01 from Vault: its refusal is tested on the
# console state with the real engine, tests/unit/test_deploy_console.c.)
# Every port is free-picked; every wait is bounded.

import os
import re
import socket
import time
import unittest

from tuikit import MOUNT, SimProcess, Tmux, binary

from vsim.pebble_env import PebbleEnv  # noqa: E402  (tuikit put tests/vaultsim on the path)

WAIT = 30.0


class TestTlsAlpn01EndToEnd(unittest.TestCase):
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
        r = c.write(f"{MOUNT}/role/tls",
                    {"acme_account_name": "pebble", "allowed_domains": ["demo.test"],
                     "allowed_domain_options": ["subdomains", "wildcards"],
                     "allowed_challenge_types": ["http-01", "tls-alpn-01"],
                     "csr_generate_key_type": "ec-256"})
        assert r.status == 200, r
        cls.client = c

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.sim.stop()
        cls.pebble.stop()

    def setUp(self):
        self.t = Tmux(150, 45)
        self.addCleanup(self.t.close)
        env = {"ACMETOP_DEMO_HTTP01_PORT": str(self.pebble.http01_port),
               "ACMETOP_DEMO_TLSALPN01_PORT": str(self.pebble.tlsalpn01_port),
               "ACMETOP_DEMO_DNS": f"127.0.0.1:{self.pebble.dns_port}"}
        env = self.t.env({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": "root", **env})
        script = '"$0" "$@"; echo "exit=$?"; exec sleep 600'
        self.t.start(["/bin/sh", "-c", script, binary(), "--interval", "1s"], env)
        self.t.wait_for(r"\bIDENTIFIERS\b")

    # ---- helpers ------------------------------------------------------------------

    def new_order(self, name):
        r = self.client.write(f"{MOUNT}/role/tls/new-order", {"identifiers": [name]})
        self.assertEqual(r.status, 200, r)
        return r.data["order_id"]

    def row(self, screen, oid):
        for line in screen.split("\n")[3:]:
            if f" {oid[:8]} " in line:
                return line
        return None

    def select_order(self, oid):
        """j/k until the detail pane shows oid (the list is sorted by urgency)."""
        self.t.wait_for(lambda s: " awaiting " in (self.row(s, oid) or ""), timeout=WAIT)
        for key in ["Home"] + ["j"] * 10:
            if key != "Home":
                self.t.keys(key)
            try:
                self.t.wait_for(rf"Detail\s+order {oid[:8]}", timeout=0.6)
                return
            except Exception:  # noqa: BLE001 - not this one: the next row
                if key == "Home":
                    self.t.keys("Home")
        self.t.wait_for(rf"Detail\s+order {oid[:8]}", timeout=1)

    def cursor_on(self, ctype, name):
        """Enter (its challenges), then j until the cursor's challenge is ctype of name."""
        self.t.keys("Enter")
        header = re.compile(rf"(^|│ ){re.escape(ctype)} {re.escape(name)}\s*$", re.M)
        for _ in range(6):
            if header.search(self.t.wait_for(r"Challenges\s+\d+/\d+")):
                return
            self.t.keys("j")
            time.sleep(0.2)
        self.t.wait_for(header.pattern)

    def quit_cleanly(self):
        self.t.keys("q")
        screen = self.t.wait_for(r"^exit=\d+\s*$", timeout=15)
        self.assertEqual(re.search(r"^exit=(\d+)", screen, re.M).group(1), "0", screen)

    # ---- the flows ---------------------------------------------------------------

    def test_tlsalpn01_served_checked_fulfilled_completed(self):
        name = "tls.demo.test"
        oid = self.new_order(name)
        self.select_order(oid)
        self.cursor_on("tls-alpn-01", name)
        self.t.keys("w")
        screen = self.t.wait_for(
            r"TLS-ALPN-01 responder 127\.0\.0\.1:\d+\s+serving 1 identifier of 1 order",
            timeout=WAIT)
        self.assertIn(f"TLS-ALPN-01 responder 127.0.0.1:{self.pebble.tlsalpn01_port}", screen)
        self.assertNotIn("HTTP-01 responder", screen)  # the type under the cursor only
        self.t.wait_for(r"Deploy\s+served by acmetop's TLS-ALPN-01 responder", timeout=WAIT)
        self.t.keys("f")
        screen = self.t.wait_for(r"Pre-flight OK", timeout=WAIT)
        self.assertIn(f"Mark the tls-alpn-01 challenge of {name} fulfilled?", screen)
        # the check's own handshake, live in the strip
        self.t.wait_for(rf"SNI {re.escape(name)}\s+served: challenge certificate sent",
                        timeout=WAIT)
        self.t.keys("y")
        self.t.wait_for(r"marked fulfilled", timeout=WAIT)
        self.t.wait_for(lambda s: " completed " in (self.row(s, oid) or ""), timeout=WAIT)
        # pebble's validation handshakes came after the check's: more than one
        screen = self.t.wait_for(r"TLS-ALPN-01 responder \S+  serving no identifier  "
                                 r"([2-9]|\d\d+) handshakes", timeout=WAIT)
        self.assertRegex(screen, rf"\d\d:\d\d:\d\d\s+127\.0\.0\.1:\d+\s+SNI {re.escape(name)}"
                                 r"\s+served")
        self.quit_cleanly()
        with socket.socket() as sock:  # the responder stopped with the console
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.pebble.tlsalpn01_port))
            sock.listen(1)


if __name__ == "__main__":
    unittest.main()
