#!/usr/bin/python3
# test_demo: `make demo` as a user runs it (scripts/demo with the
# acmetop binary, in tmux): pebble, BIND9 authoritative for auto.demo.test,
# the Vault simulator with an rfc2136 provider on that BIND.
#   automatic  x.auto.demo.test walks Vault's own statuses on screen with no
#              key pressed (vault-dns, dns-wait, notify-ca, ca-check, ...,
#              completed); while the console says dns-wait the TXT record is
#              in BIND, and it is gone once the order completed;
#   hybrid     h.auto.demo.test + hybrid.demo.test: the console marks the
#              dns-01 challenge of h.auto.demo.test "Vault (rfc2136/demo-bind)"
#              and hybrid.demo.test's "you"; the operator serves http-01 (w),
#              f -> Pre-flight OK, y; then Vault does the dns-01 and the
#              order completes;
#   tls        tls.demo.test from the keyboard: Enter, cursor on tls-alpn-01,
#              w (acmetop's TLS-ALPN-01 responder), f -> Pre-flight OK, y ->
#              completed, pebble's handshakes in the strip.
# The banner the demo prints before the console starts (BIND's port) is read
# through tmux's pipe-pane.

import os
import re
import tempfile
import time
import unittest

from tuikit import ROOT, Tmux, binary, challenge_select

from vsim.bind_env import txt_values  # noqa: E402  (tuikit put tests/vaultsim on the path)

WAIT = 60.0
ROW = re.compile(r"^[ !]\S (\S+)\s+[0-9a-f]{8} \S+\s+(.*)$")
VAULT_WALK = ["vault-dns", "dns-wait", "notify-ca", "ca-check", "fetching", "completed"]


def row_status(screen, ident):
    """The status word of the list row whose names start with ident."""
    for line in screen.split("\n")[3:]:
        m = ROW.match(line)
        if m and m.group(2).startswith(ident):
            return m.group(1)
    return None


class TestDemo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = Tmux(150, 45)
        cls.out = tempfile.NamedTemporaryFile(prefix="acmetop-demo-out-", delete=False).name
        script = '"$0" "$@"; echo "exit=$?"; exec sleep 600'
        cls.t.start(["/bin/sh", "-c", script, os.path.join(ROOT, "scripts", "demo"), binary(),
                     "--interval", "1s", "--idle-budget", "2"], cls.t.env())
        cls.t.tmux("pipe-pane", "-t", "t", "-o", f"cat >> {cls.out}")
        deadline = time.monotonic() + WAIT
        while True:
            with open(cls.out, errors="replace") as f:
                m = re.search(r"dig @127\.0\.0\.1 -p (\d+) TXT _acme-challenge\.x\.auto",
                              f.read())
            if m:
                cls.bind_port = int(m.group(1))
                break
            if time.monotonic() > deadline:
                cls.tearDownClass()
                raise AssertionError("the demo printed no banner within "
                                     f"{WAIT}s:\n{cls.t.screen()}")
            time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.t.close()
        os.unlink(cls.out)

    def test_a_automatic_order_completes_with_no_key(self):
        name = "x.auto.demo.test"
        record = f"_acme-challenge.{name}"
        seen, served = [], []
        deadline = time.monotonic() + WAIT
        while not seen or seen[-1] != "completed":
            self.assertLess(time.monotonic(), deadline,
                            f"{name} never completed; seen {seen}:\n{self.t.screen()}")
            status = row_status(self.t.screen(), name)
            if status and (not seen or seen[-1] != status):
                seen.append(status)
            if status == "dns-wait":
                served += txt_values(self.bind_port, record)
            time.sleep(0.1)
        walked = [s for s in seen if s in VAULT_WALK]
        self.assertEqual(walked, [s for s in VAULT_WALK if s in walked], seen)
        for step in ("vault-dns", "dns-wait", "completed"):
            self.assertIn(step, seen)
        self.assertNotIn("awaiting", seen)
        self.assertTrue(served, f"no TXT record in BIND while the console said dns-wait ({seen})")
        deadline = time.monotonic() + 5
        while txt_values(self.bind_port, record):
            self.assertLess(time.monotonic(), deadline, "the TXT record stayed in BIND")
            time.sleep(0.1)

    def test_b_hybrid_order_operator_then_vault(self):
        t = self.t
        t.keys("/")
        t.type("hybrid.demo")
        t.keys("Enter")
        screen = t.wait_for(lambda s: row_status(s, "h.auto.demo.test") == "awaiting" and s,
                            timeout=WAIT)
        t.keys("w")
        t.wait_for(r"HTTP-01 responder 127\.0\.0\.1:\d+\s+serving 1 token of 1 order",
                   timeout=WAIT)
        challenge_select(t, "http-01", "hybrid.demo.test")
        screen = t.wait_for(r"Fulfilled by\s+you", timeout=WAIT)
        # the challenges pane: h.auto.demo.test's dns-01 is Vault's (its
        # http-01 is not used), both of hybrid.demo.test's are yours
        self.assertRegex(screen, r"dns-01\s+pending .* by Vault \(rfc2136/demo-")
        self.assertRegex(screen, r"http-01\s+pending .* by Vault, with dns-01")
        self.assertEqual(len(re.findall(r"-01\s+pending .* by you", screen)), 2, screen)
        t.keys("f")
        screen = t.wait_for(r"Pre-flight OK", timeout=WAIT)
        self.assertIn("Mark the http-01 challenge of hybrid.demo.test fulfilled?", screen)
        t.keys("y")
        t.wait_for(r"marked fulfilled", timeout=WAIT)
        seen = []
        deadline = time.monotonic() + WAIT
        while not seen or seen[-1] != "completed":
            self.assertLess(time.monotonic(), deadline,
                            f"the hybrid order never completed; seen {seen}:\n{t.screen()}")
            status = row_status(t.screen(), "h.auto.demo.test")
            if status and (not seen or seen[-1] != status):
                seen.append(status)
            time.sleep(0.1)
        self.assertTrue({"vault-dns", "dns-wait", "notify-ca"} & set(seen), seen)

    def test_c_tls_alpn_order_from_the_keyboard(self):
        t = self.t
        t.keys("Escape", "Escape", "/")
        t.type("tls.demo")
        t.keys("Enter")
        t.wait_for(lambda s: row_status(s, "tls.demo.test") == "awaiting" and s, timeout=WAIT)
        challenge_select(t, "tls-alpn-01", "tls.demo.test")
        t.keys("w")
        t.wait_for(r"TLS-ALPN-01 responder 127\.0\.0\.1:\d+\s+serving 1 identifier of 1 order",
                   timeout=WAIT)
        t.keys("f")
        screen = t.wait_for(r"Pre-flight OK", timeout=WAIT)
        self.assertIn("Mark the tls-alpn-01 challenge of tls.demo.test fulfilled?", screen)
        t.keys("y")
        t.wait_for(lambda s: row_status(s, "tls.demo.test") == "completed" and s, timeout=WAIT)


if __name__ == "__main__":
    unittest.main()
