#!/usr/bin/python3
# test_writes: the write actions of the resource views in tmux against the
# scripted simulator, checked the way Vault sees them: D deletes a role
# (typed name; with active orders, force typed), R rotates an account key
# (the simulator's account gets a new active version), T tests a DNS
# provider (dns/test/workflow with omit_cleanup); a refusal shows in the
# form; e edits a role, i imports an account from a key file (never drawn),
# u replaces its trusted CA (PUT); every write is one request.

import os
import re
import subprocess
import tempfile
import unittest

from tuikit import MOUNT, Sim, Tmux


def box_words(screen, cols=100):
    """The words of the dialog (78 columns wide, centred), lines joined."""
    x = (cols - 78) // 2 + 2
    return re.sub(r"\s+", " ", " ".join(ln[x:x + 74] for ln in screen.split("\n")))


class TestWrites(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "20", "--seed", "7", "--time-scale", "0").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(100, 40)
        self.addCleanup(self.t.close)

    def start(self, view):
        self.t.start_acmetop(self.sim.addr)
        self.t.wait_for(r"\b\d+ orders\b")
        self.t.type(f":{view}")
        self.t.keys("Enter")

    def writes(self, method, path):
        return [e for e in self.sim.requests()
                if e["method"] == method and e["path"] == f"/v1/{MOUNT}/{path}"]

    def make_role(self, name):
        r = self.sim.client.write(f"{MOUNT}/role/{name}", {
            "acme_account_name": "letsencrypt-prod", "allowed_domains": ["example.com"],
            "allowed_domain_options": ["subdomains"]})
        self.assertEqual(r.status, 200, r.raw)

    def test_delete_a_role(self):
        self.make_role("tmp-role")
        self.start("roles")
        self.t.wait_for(r"tmp-role\s+letsencrypt-prod")
        self.t.type("/tmp-role")
        self.t.keys("Enter", "D")
        self.t.wait_for(r"DELETE pki-external-ca/role/tmp-role")
        self.t.type("tmp-rol")
        self.t.keys("Enter")
        self.t.wait_for(r'Name: "tmp-rol" is not tmp-role: nothing sent')
        self.assertEqual(self.writes("DELETE", "role/tmp-role"), [])
        self.t.type("e")
        self.t.keys("Enter")
        self.t.wait_for(r"role tmp-role deleted")
        self.assertEqual(len(self.writes("DELETE", "role/tmp-role")), 1)
        self.assertEqual(self.sim.client.read(f"{MOUNT}/role/tmp-role").status, 404)
        self.t.wait_for(r"no role matches the filter")

    def test_delete_a_role_with_an_active_order_needs_force(self):
        self.make_role("busy-role")
        r = self.sim.client.write(f"{MOUNT}/role/busy-role/new-order",
                                  {"identifiers": ["busy.example.com"]})
        self.assertEqual(r.status, 200, r.raw)
        oid = r.data["order_id"]
        self.start("roles")
        # the order list has the new order (its role's active orders)
        self.t.wait_for(r"busy-role\s+letsencrypt-prod.*\s1\s*$")
        self.t.type("/busy-role")
        self.t.keys("Enter", "D")
        s = self.t.wait_for(r"It has 1 active order that acmetop knows")
        self.assertIn(oid, s)
        self.t.type("busy-role")
        self.t.keys("Enter")
        self.t.wait_for(r"Type force:")
        self.t.type("force")
        self.t.keys("Enter")
        self.t.wait_for(r"role busy-role deleted")
        log = self.writes("DELETE", "role/busy-role")
        self.assertEqual(len(log), 1)
        self.assertEqual(self.sim.client.read(f"{MOUNT}/role/busy-role").status, 404)

    def test_rotate_an_account_key(self):
        before = self.sim.client.read(f"{MOUNT}/config/acme-account/digicert-acme").data
        self.start("accounts")
        self.t.wait_for(r"digicert-acme\s+acme\.digicert\.com")
        self.t.wait_for(r"Roles\s+apps-wildcard")  # the roles are read: pending orders known
        self.t.keys("R")
        self.t.wait_for(r"Rotate account key")
        self.t.keys("j")  # the next key type after the active one
        self.t.keys("Enter")
        s = self.t.wait_for(r"rotate-key")
        pending = "still pending" in s
        if pending:
            self.t.type("force")
            self.t.keys("Enter")
        else:
            self.t.keys("y")
        self.t.wait_for(rf"the key of digicert-acme is rotated: v{before['active_key_version']} "
                        rf"-> v{before['active_key_version'] + 1}")
        after = self.sim.client.read(f"{MOUNT}/config/acme-account/digicert-acme").data
        self.assertEqual(after["active_key_version"], before["active_key_version"] + 1)
        self.assertEqual(len(self.writes("POST", "config/acme-account/digicert-acme/rotate-key")),
                         1)
        self.t.wait_for(rf"digicert-acme\s+acme\.digicert\.com.*\s"
                        rf"v{after['active_key_version']}\s")

    def test_test_a_dns_provider(self):
        self.start("dns")
        self.t.wait_for(r"internal-dns\s+rfc2136")
        self.t.keys("T")
        self.t.wait_for(r"Identifier: acmetop-test\.auto\.example\.net")
        self.t.keys("C-u")
        self.t.type("www.example.com")
        self.t.keys("Enter")
        self.t.wait_for(r"Identifier: www\.example\.com is not covered by this provider")
        self.t.keys("C-u")
        self.t.type("t1.auto.example.net")
        self.t.keys("Enter")
        self.t.wait_for(r"POST pki-external-ca/dns/test/workflow")
        self.t.keys("j", "Enter")
        s = self.t.wait_for(r"DNS provider test: success")
        self.assertIn("left in place (omit_cleanup)", box_words(s))
        self.assertRegex(s, r"Record\s+_acme-challenge\.t1\.auto\.example\.net")
        log = self.writes("POST", "dns/test/workflow")
        self.assertEqual(len(log), 1)

    def answer(self, prompt, text):
        self.t.wait_for(rf"(?m){prompt.rstrip()}( |$)")
        self.t.keys("C-u")
        if text:
            self.t.type(text)
        self.t.keys("Enter")

    def test_edit_a_role(self):
        self.make_role("edit-me")
        self.start("roles")
        self.t.wait_for(r"edit-me\s+letsencrypt-prod")
        self.t.type("/edit-me")
        self.t.keys("Enter", "e")
        s = self.t.wait_for(r"Edit role")
        self.assertRegex(s, r"ACME account\s+letsencrypt-prod  \(fixed\)")
        self.answer("Allowed domains: ", "example.com, example.org")
        self.answer("Domain options: ", "subdomains")
        self.answer("Challenge types: ", "http-01")
        self.t.wait_for(r"Key type")
        self.t.keys("Enter", "Enter")
        self.t.wait_for(r"This sends:")
        self.t.keys("y")
        self.t.wait_for(r"role edit-me updated")
        r = self.sim.client.read(f"{MOUNT}/role/edit-me").data
        self.assertEqual(r["allowed_domains"], ["example.com", "example.org"])
        self.assertEqual(r["allowed_challenge_types"], ["http-01"])
        self.assertEqual(r["acme_account_name"], "letsencrypt-prod")

    def test_import_an_account_then_update_its_trusted_ca(self):
        work = tempfile.mkdtemp(prefix="acmetop-import-")
        key = os.path.join(work, "account.pem")
        ca = os.path.join(work, "ca.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", key], check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-x509", "-key", key, "-subj", "/CN=test CA",
                        "-days", "2", "-out", ca], check=True, capture_output=True)
        with open(key) as f:
            key_body = f.read().split("\n")[1]  # a line of the key itself
        self.start("accounts")
        self.t.wait_for(r"letsencrypt-prod")
        self.t.keys("i")
        self.answer("Name: ", "imported")
        self.answer("Account key file: ", key)
        self.answer("Directory URL: ", "https://acme.example.test/dir")
        self.answer("Trusted CA file: ", "")
        s = self.t.wait_for(r"This sends:")
        self.assertNotIn(key_body, s)  # the key is never drawn
        self.t.keys("y")
        self.t.wait_for(r"ACME account imported created")
        a = self.sim.client.read(f"{MOUNT}/config/acme-account/imported").data
        self.assertEqual(a["directory_url"], "https://acme.example.test/dir")
        self.assertEqual(a["trusted_ca"], "")
        # u: its trusted CA from a file (PUT)
        self.t.type("/imported")
        self.t.keys("Enter")
        self.t.wait_for(r"Account\s+imported")
        self.t.keys("u")
        self.answer("Trusted CA file: ", ca)
        self.t.wait_for(r"This sends:")
        self.t.keys("y")
        self.t.wait_for(r"ACME account imported updated")
        with open(ca) as f:
            self.assertEqual(self.sim.client.read(
                f"{MOUNT}/config/acme-account/imported").data["trusted_ca"], f.read())
        self.assertEqual(len(self.writes("PUT", "config/acme-account/imported")), 1)


if __name__ == "__main__":
    unittest.main()
