#!/usr/bin/python3
# test_walkthrough: what a new user does without leaving acmetop, against
# the scripted simulator: create an ACME account, a role on it, an rfc2136
# DNS provider, test the provider, order a name it covers from the role,
# rotate the account key, then delete what was made (the role with force,
# its order being active; the provider, which Vault refuses while the order
# uses it; the account). Each step is checked the way Vault sees it.

import unittest

from tuikit import MOUNT, Sim, Tmux


class TestWalkthrough(unittest.TestCase):
    def setUp(self):
        self.sim = Sim("--seed-orders", "3", "--time-scale", "0").__enter__()
        self.addCleanup(self.sim.__exit__, None, None, None)
        self.t = Tmux(100, 40)
        self.addCleanup(self.t.close)
        self.t.start_acmetop(self.sim.addr)
        self.t.wait_for(r"\b3 orders\b")

    def answer(self, prompt, text):
        """Wait for the field prompt, type text, Enter."""
        self.t.wait_for(rf"(?m){prompt.rstrip()}( |$)")
        self.t.keys("C-u")
        if text:
            self.t.type(text)
        self.t.keys("Enter")

    def command(self, view):
        self.t.type(f":{view}")
        self.t.keys("Enter")

    def read(self, path):
        return self.sim.client.read(f"{MOUNT}/{path}")

    def test_account_role_provider_test_order_rotate_delete(self):
        t = self.t
        # 1. an account
        self.command("accounts")
        t.wait_for(r"letsencrypt-prod")
        t.keys("a")
        self.answer(r"Name: ", "demo-acct")
        self.answer(r"Directory URL: ", "https://127.0.0.1:14000/dir")
        self.answer(r"Contacts: ", "ops@example.com")
        t.wait_for(r"Key type \(optional\)|Key type: the account")
        t.keys("Enter")                      # ec-256
        self.answer(r"EAB key ID: ", "")
        self.answer(r"EAB key: ", "")
        self.answer(r"Trusted CA file: ", "")
        t.wait_for(r"This sends:")
        t.keys("y")
        t.wait_for(r"ACME account demo-acct created")
        self.assertEqual(self.read("config/acme-account/demo-acct").data["email_contacts"],
                         ["ops@example.com"])
        # 2. a role on it
        self.command("roles")
        t.wait_for(r"web-servers")
        t.keys("a")
        self.answer(r"Name: ", "demo-role")
        self.answer(r"ACME account: ", "demo-acct")
        self.answer(r"Allowed domains: ", "demo.example.net")
        self.answer(r"Domain options: ", "subdomains")
        self.answer(r"Challenge types: ", "dns-01")
        t.wait_for(r"Key type")
        t.keys("Enter", "Enter")
        t.wait_for(r"This sends:")
        t.keys("y")
        t.wait_for(r"role demo-role created")
        self.assertEqual(self.read("role/demo-role").data["acme_account_name"], "demo-acct")
        # 3. an rfc2136 provider
        self.command("dns")
        t.wait_for(r"internal-dns")
        t.keys("a")
        t.wait_for(r"Type: which DNS service")
        t.keys("Enter")                      # rfc2136
        self.answer(r"Name: ", "demo-bind")
        self.answer(r"Identifiers: ", "*.demo.example.net")
        self.answer(r"TTL: ", "")
        self.answer(r"Nameserver: ", "127.0.0.1:5353")
        self.answer(r"TSIG key name: ", "vault-acme.")
        t.wait_for(r"TSIG algorithm")
        t.keys("Enter")
        self.answer(r"TSIG secret: ", "c2VjcmV0LXRzaWc=")
        s = t.wait_for(r"This sends:")
        self.assertNotIn("c2VjcmV0LXRzaWc=", s)
        t.keys("y")
        t.wait_for(r"DNS provider rfc2136/demo-bind created")
        p = self.read("config/dns/rfc2136/demo-bind").data
        self.assertEqual(p["identifiers"], ["*.demo.example.net"])
        self.assertNotIn("tsig_secret", p)
        # 4. test it
        t.type("/demo-bind")
        t.keys("Enter")
        t.wait_for(r"demo-bind\s+rfc2136")
        t.keys("T")
        self.answer(r"Identifier: ", "t1.demo.example.net")
        t.wait_for(r"dns/test/workflow")
        t.keys("Enter")
        t.wait_for(r"DNS provider test: success")
        t.keys("Escape")
        # 5. order a name the provider covers, from the role
        self.command("roles")
        t.type("/demo-role")
        t.keys("Enter")
        t.wait_for(r"demo-role\s+demo-acct")
        t.keys("n")
        self.answer(r"Names or CSR file: ", "www.demo.example.net")
        s = t.wait_for(r"order \S+ created \(role demo-role")
        t.wait_for(r"STATUS\S*\s+ID\s+ROLE")   # the order list, the new order selected
        orders = [o for o in self.sim.orders().values() if o["role_name"] == "demo-role"]
        self.assertEqual(len(orders), 1)
        self.assertEqual(orders[0]["identifiers"], ["www.demo.example.net"])
        # 6. rotate the account key (the order is pending: force)
        self.command("accounts")
        t.type("/demo-acct")
        t.keys("Enter")
        t.wait_for(r"Roles\s+demo-role")
        t.keys("R")
        t.wait_for(r"Rotate account key")
        t.keys("Enter")
        self.answer(r"Type force: ", "force")
        t.wait_for(r"the key of demo-acct is rotated: v1 -> v2")
        self.assertEqual(self.read("config/acme-account/demo-acct").data["active_key_version"], 2)
        # 7. delete what was made: the role (force: its order), the provider, the account
        self.command("roles")
        t.wait_for(r"demo-role")
        t.keys("D")
        self.answer(r"Name: ", "demo-role")
        self.answer(r"Type force: ", "force")
        t.wait_for(r"role demo-role deleted")
        self.command("dns")
        t.wait_for(r"demo-bind")
        t.keys("D")
        self.answer(r"Name: ", "demo-bind")
        # the order still uses it (Vault fulfils its dns-01): refused, said in the form
        t.wait_for(r"in use by 1 active order")
        t.keys("Escape")
        t.wait_for(r"cancelled: nothing was sent")
        self.assertEqual(self.read("config/dns/rfc2136/demo-bind").status, 200)
        self.command("accounts")
        t.wait_for(r"demo-acct")
        t.keys("D")
        self.answer(r"Name: ", "demo-acct")
        t.wait_for(r"ACME account demo-acct deleted")
        self.assertEqual(self.read("role/demo-role").status, 404)
        self.assertEqual(self.read("config/acme-account/demo-acct").status, 404)


if __name__ == "__main__":
    unittest.main()
