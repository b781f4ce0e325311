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
#              completed, pebble's handshakes in the strip;
#   walk       the README's "engine's own objects" with demo.env's values: an
#              account registered at pebble, a role on it, an rfc2136 provider
#              on the demo's BIND, its test, an order the providers cover that
#              completes by itself, the key rotated, all of it deleted.
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


def demo_env(path):
    """The exports of the demo's demo.env (values without shell expansion)."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"export (\w+)=(\S+)$", line.strip())
            if m and not m.group(2).startswith('"'):
                out[m.group(1)] = m.group(2)
    return out


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
                text = f.read()
            m = re.search(r"dig @127\.0\.0\.1 -p (\d+) TXT _acme-challenge\.x\.auto", text)
            e = re.search(r"\. (\S+/demo\.env)", text)
            if m and e:
                cls.bind_port = int(m.group(1))
                cls.demo_env = demo_env(e.group(1))
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


    def answer(self, prompt, text):
        """Wait for a form's field prompt, type text, Enter."""
        self.t.wait_for(rf"(?m){prompt.rstrip()}( |$)", timeout=WAIT)
        self.t.keys("C-u")
        if text:
            self.t.type(text)
        self.t.keys("Enter")

    def command(self, view):
        self.t.keys("Escape", "Escape")
        self.t.type(f":{view}")
        self.t.keys("Enter")

    def test_d_walkthrough_on_the_demos_pebble_and_bind(self):
        t, env = self.t, self.demo_env
        with open(env["BIND_TSIG_SECRET_FILE"]) as f:
            secret = f.read().strip()
        # an account registered at the demo's pebble
        self.command("accounts")
        t.wait_for(r"demo\s+127\.0\.0\.1", timeout=WAIT)
        t.keys("a")
        self.answer(r"Name: ", "mine")
        self.answer(r"Directory URL: ", env["PEBBLE_DIRECTORY"])
        self.answer(r"Contacts: ", "ops@demo.test")
        t.wait_for(r"Key type", timeout=WAIT)
        t.keys("Enter")                      # ec-256
        self.answer(r"EAB key ID: ", "")
        self.answer(r"EAB key: ", "")
        self.answer(r"Trusted CA file: ", env["PEBBLE_CA_FILE"])
        t.wait_for(r"This sends:", timeout=WAIT)
        t.keys("y")
        t.wait_for(r"ACME account mine created", timeout=WAIT)
        # a role on it
        self.command("roles")
        t.wait_for(r"dns-only", timeout=WAIT)
        t.keys("a")
        self.answer(r"Name: ", "mine-role")
        self.answer(r"ACME account: ", "mine")
        self.answer(r"Allowed domains: ", "auto.demo.test")
        self.answer(r"Domain options: ", "subdomains")
        self.answer(r"Challenge types: ", "dns-01")
        t.wait_for(r"Key type", timeout=WAIT)
        t.keys("Enter", "Enter")
        t.wait_for(r"This sends:", timeout=WAIT)
        t.keys("y")
        t.wait_for(r"role mine-role created", timeout=WAIT)
        # an rfc2136 provider on the demo's BIND
        self.command("dns")
        t.wait_for(r"demo-bind", timeout=WAIT)
        t.keys("a")
        t.wait_for(r"Type: which DNS service", timeout=WAIT)
        t.keys("Enter")                      # rfc2136
        self.answer(r"Name: ", "mine-bind")
        self.answer(r"Identifiers: ", "*.mine.auto.demo.test")
        self.answer(r"TTL: ", "")
        self.answer(r"Nameserver: ", env["BIND_NAMESERVER"])
        self.answer(r"TSIG key name: ", env["BIND_TSIG_KEY_NAME"])
        screen = t.wait_for(r"TSIG algorithm", timeout=WAIT)
        for _ in range(6):                   # the picker onto the demo key's algorithm
            if re.search(rf">\s*{env['BIND_TSIG_ALGORITHM']}\b", screen):
                break
            t.keys("j")
            screen = t.settled()
        t.keys("Enter")
        self.answer(r"TSIG secret: ", secret)
        screen = t.wait_for(r"This sends:", timeout=WAIT)
        self.assertNotIn(secret, screen)     # never drawn
        t.keys("y")
        t.wait_for(r"DNS provider rfc2136/mine-bind created", timeout=WAIT)
        # its test
        t.type("/mine-bind")
        t.keys("Enter")
        t.wait_for(r"mine-bind\s+rfc2136", timeout=WAIT)
        t.keys("T")
        self.answer(r"Identifier: ", "t1.mine.auto.demo.test")
        t.wait_for(r"dns/test/workflow", timeout=WAIT)
        t.keys("j", "Enter")                 # leave it (omit_cleanup)
        t.wait_for(r"DNS provider test: success", timeout=WAIT)
        # the record Vault left is checked on the authoritative server: BIND
        t.wait_for(r"the record is there: \"?vault-dns-test-", timeout=WAIT)
        self.assertEqual(len(txt_values(self.bind_port,
                                        "_acme-challenge.t1.mine.auto.demo.test")), 1)
        t.keys("Escape")
        # an order the providers cover, from the role: Vault fulfils it, pebble validates
        self.command("roles")
        t.type("/mine-role")
        t.keys("Enter")
        t.wait_for(r"mine-role\s+mine", timeout=WAIT)
        t.keys("n")
        self.answer(r"Names or CSR file: ", "www.mine.auto.demo.test")
        t.wait_for(r"order \S+ created \(role mine-role", timeout=WAIT)
        t.keys("Escape", "Escape", "/")
        t.type("www.mine.auto")
        t.keys("Enter")
        t.wait_for(lambda s: row_status(s, "www.mine.auto.demo.test") == "completed" and s,
                   timeout=WAIT)
        # the key rotated (nothing pending: no force), then all of it deleted
        self.command("accounts")
        t.type("/mine")
        t.keys("Enter")
        t.wait_for(r"Roles\s+mine-role", timeout=WAIT)
        t.keys("R")
        t.wait_for(r"Rotate account key", timeout=WAIT)
        t.keys("Enter")
        t.wait_for(r"This sends:|Type force:", timeout=WAIT)
        t.keys("y")
        t.wait_for(r"the key of mine is rotated: v1 -> v2", timeout=WAIT)
        self.command("roles")
        t.wait_for(r"mine-role", timeout=WAIT)
        t.keys("D")
        self.answer(r"Name: ", "mine-role")
        t.wait_for(r"role mine-role deleted", timeout=WAIT)
        self.command("dns")
        t.wait_for(r"mine-bind", timeout=WAIT)
        t.keys("D")
        self.answer(r"Name: ", "mine-bind")
        t.wait_for(r"DNS provider rfc2136/mine-bind deleted", timeout=WAIT)
        self.command("accounts")
        t.wait_for(r"mine", timeout=WAIT)
        t.keys("D")
        self.answer(r"Name: ", "mine")
        t.wait_for(r"ACME account mine deleted", timeout=WAIT)


if __name__ == "__main__":
    unittest.main()
