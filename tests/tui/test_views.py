#!/usr/bin/python3
# test_views: the `:` command line and the views of roles, ACME accounts and
# DNS providers in tmux against the scripted simulator: Tab completion,
# history, an unknown command; each view lists what the simulator holds
# (as its API says), filters and shows a detail with what the issue asks
# (a role domain that matches nothing, an old account key, a provider's
# settings without its secret); a token that may not list a kind gets the
# capability and path in the view; a view is read on entering and on r,
# and not while it is off screen.

import re
import time
import unittest

from tuikit import MOUNT, Sim, SimProcess, Tmux


def last_seq(sim):
    return max((e["seq"] for e in sim.requests()), default=0)


def count(sim, method, path, since):
    """Requests method path the simulator answered after request number since."""
    return sum(1 for e in sim.requests(since)
               if e["seq"] > since and e["method"] == method and e["path"] == "/v1/" + path)


class TestViews(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "20", "--seed", "7", "--time-scale", "0").__enter__()
        c = cls.sim.client
        # a role whose only domain is a glob without "globs": it matches nothing
        r = c.write(f"{MOUNT}/role/broken-glob", {
            "acme_account_name": "letsencrypt-prod", "allowed_domains": ["*.example.org"],
            "allowed_domain_options": ["subdomains"], "allowed_challenge_types": ["dns-01"]})
        assert r.status == 200, r.raw

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(100, 44)  # a role's whole detail fits
        self.addCleanup(self.t.close)
        self.since = last_seq(self.sim)

    def start(self, *args):
        self.t.start_acmetop(self.sim.addr, *args)
        self.t.wait_for(r"\b20 orders\b")

    def command(self, text):
        self.t.type(":" + text)
        self.t.keys("Enter")

    def test_command_line_completion_history_and_unknown_command(self):
        self.start()
        self.assertEqual(count(self.sim, "LIST", f"{MOUNT}/config/acme-account", self.since), 0)
        self.t.type(":acc")
        self.t.wait_for(r"^:acc ")
        self.t.keys("Tab")
        self.t.wait_for(r"^:accounts ")
        self.t.keys("Enter")
        s = self.t.wait_for(r"letsencrypt-prod\s+acme-v02\.api\.letsencrypt\.org")
        self.assertRegex(s, r"NAME.*CA\s+CONTACTS\s+KEY\s+TYPE\s+KEY AGE")
        self.assertRegex(s, r"digicert-acme\s+acme\.digicert\.com")
        # an unknown command names the known ones and leaves the view alone
        self.command("certs")
        s = self.t.wait_for(r"unknown command ':certs'")
        self.assertIn(":orders :roles :accounts :dns :events :ctx :ns :q", s.replace("\n", ""))
        self.assertRegex(s, r"digicert-acme\s+acme\.digicert\.com")
        # the history: Up brings back the last command run
        self.command("dns")
        self.t.wait_for(r"internal-dns\s+rfc2136")
        self.t.type(":")
        self.t.keys("Up")
        self.t.wait_for(r"^:dns ")
        self.t.keys("Up")
        self.t.wait_for(r"^:accounts ")
        self.t.keys("Enter")
        self.t.wait_for(r"letsencrypt-prod\s+acme-v02")
        # back to the orders; :q quits
        self.command("orders")
        self.t.wait_for(r"STATUS\S*\s+ID\s+ROLE")
        self.command("q")
        self.t.wait_for(lambda s: self.t.pane("#{pane_dead}") == "1")

    def test_roles_view_detail_warns_about_a_domain_that_matches_nothing(self):
        self.start()
        self.command("roles")
        s = self.t.wait_for(r"web-servers\s+letsencrypt-prod\s+example\.com")
        self.assertRegex(s, r"NAME.*ACCOUNT\s+DOMAINS\s+CHALLENGES")
        self.assertIn("view Roles", s.split("\n")[1])  # the header says which view
        for role in ("apps-wildcard", "auto-dns", "internal-api", "legacy-rsa", "broken-glob"):
            self.assertIn(role, s)
        self.t.type("/broken")
        self.t.keys("Enter")
        s = self.t.wait_for(r"Warning\s+\*\.example\.org is allowed without")
        self.assertIn("matches nothing", s)
        self.assertRegex(s, r"www\.example\.org\s+denied")
        self.assertRegex(s, r"Role\s+broken-glob")
        # Esc clears the filter; the auto-dns role names its DNS provider
        self.t.keys("Escape")
        self.t.type("/auto-dns")
        self.t.keys("Enter")
        s = self.t.wait_for(r"DNS\s+\*\.auto\.example\.net: Vault fulfils dns-01 itself")
        self.assertIn("rfc2136/internal-dns", s)

    def test_accounts_view_warns_when_the_key_is_older_than_the_limit(self):
        # the seeded accounts are about 60 days old
        self.start("--account-key-max-age", "30")
        self.command("accounts")
        s = self.t.wait_for(r"Warning\s+the active key is \d+ days old")
        self.assertIn("older than account_key_max_age (30 days)", re.sub(r"\s+", " ", s))
        self.assertRegex(s, r"Keys\s+v1\s+ec-256\s+created 20")
        self.assertRegex(s, r"Roles\s+(apps-wildcard, legacy-rsa|legacy-rsa, apps-wildcard)")

    def test_dns_view_shows_settings_never_a_secret(self):
        self.start()
        self.command("dns")
        s = self.t.wait_for(r"internal-dns\s+rfc2136\s+\*\.auto\.example\.net\s+60s")
        self.assertRegex(s, r"production\s+aws-route53\s+\*\.prod\.example\.com")
        self.t.type("/internal")
        self.t.keys("Enter")
        s = self.t.wait_for(r"nameserver\s+127\.0\.0\.1:5353")
        self.assertRegex(s, r"tsig_algorithm\s+hmac-sha256")
        self.assertRegex(s, r"Roles\s+auto-dns: names \*\.auto\.example\.net")
        self.assertNotIn("c2VlZGVk", s)  # the seeded TSIG secret (base64)

    def test_read_on_entering_and_on_r_not_while_off_screen(self):
        self.start()
        path = f"{MOUNT}/config/dns"
        time.sleep(1.5)  # a few poll cycles of the order view
        before = count(self.sim, "LIST", path, self.since)
        self.command("dns")
        self.t.wait_for(r"internal-dns\s+rfc2136")
        self.assertEqual(count(self.sim, "LIST", path, self.since), before + 1)
        self.t.keys("r")
        self.t.wait_for(r"reading the DNS providers again")
        deadline = time.monotonic() + 5
        while count(self.sim, "LIST", path, self.since) < before + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(count(self.sim, "LIST", path, self.since), before + 2)
        # off screen: the roles view is never read while the orders show
        self.command("orders")
        self.t.wait_for(r"STATUS\S*\s+ID\s+ROLE")
        time.sleep(2)
        self.assertEqual(count(self.sim, "LIST", f"{MOUNT}/role", self.since), 1)  # the dns view's detail


    def mouse(self, button, x, y):
        """An X10 mouse report, as the terminal sends it (0-based x, y)."""
        self.t.type("\x1b[M" + chr(32 + button) + chr(33 + x) + chr(33 + y))

    def test_mouse_selects_a_role_and_scrolls_the_list(self):
        self.start()
        self.command("roles")
        s = self.t.wait_for(r"Role\s+apps-wildcard")
        lines = s.split("\n")
        row = next(i for i, ln in enumerate(lines) if ln.startswith("legacy-rsa "))
        self.mouse(0, 5, row)  # press on legacy-rsa's row
        self.mouse(3, 5, row)
        self.t.wait_for(r"Role\s+legacy-rsa")
        self.mouse(64, 5, row)  # wheel up over the list: three rows up
        self.t.wait_for(r"Role\s+auto-dns")


class TestDeniedView(unittest.TestCase):
    def test_a_denied_list_names_the_capability_and_the_path(self):
        with SimProcess("--backend", "scripted", "--seed-orders", "3",
                        tokens=("root", f"limited:deny={MOUNT}/config/acme-account*")) as sim:
            t = Tmux(100, 30)
            self.addCleanup(t.close)
            t.start_acmetop(sim.addr, extra_env={"VAULT_TOKEN": "limited"})
            t.wait_for(r"\b3 orders\b")
            t.type(":accounts")
            t.keys("Enter")
            s = t.wait_for(r"cannot list the accounts")
            flat = re.sub(r"\s+", " ", s)
            self.assertIn(f"permission denied on {MOUNT}/config/acme-account", flat)
            self.assertIn("must allow list", flat)


if __name__ == "__main__":
    unittest.main()
