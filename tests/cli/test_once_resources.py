#!/usr/bin/python3
# test_once_resources.py: `acmetop --once [--json] roles|accounts|dns` against
# the real Vault simulator: every role, account and DNS provider comes out
# with the values the API gives (plus "mount"), sorted by name, without a
# secret field or value; the table is aligned; a token that may not list a
# kind exits 1 with the capability and the path; the word without --once
# is refused. The binary is $ACMETOP_BIN, else build/acmetop.
import json
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import run_acmetop  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.once-resources-7c1"
LIMITED = "s.once-limited-2d9"
MOUNT = "pki-external-ca"
SECRET_FIELDS = {"tsig_secret", "secret_access_key", "client_secret", "credentials",
                 "private_key", "account_key", "eab_key"}
SEEDED_SECRETS = ("seeded-aws-secret", "c2VlZGVkLXRzaWctc2VjcmV0", "service_account")


class OnceResources(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "5", "--time-scale", "0",
                             tokens=(TOKEN, f"{LIMITED}:deny={MOUNT}/config/acme-account*"))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def run_once(self, *args, token=TOKEN):
        return run_acmetop([BIN, "--once", *args],
                           {"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": token})

    def api(self, list_path, get_path):
        keys = self.vault.list(f"{MOUNT}/{list_path}").data["keys"]
        return {k: self.vault.read(f"{MOUNT}/{get_path}/{k}").data for k in keys}

    def check_json(self, what, list_path, get_path):
        r = self.run_once("--json", what)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        got = json.loads(r.stdout)
        want = self.api(list_path, get_path)
        self.assertEqual(len(got), len(want))
        names = [o["name"] for o in got]
        self.assertEqual(names, sorted(names))
        for obj in got:
            self.assertEqual(obj.pop("mount"), MOUNT)
            key = obj["name"] if what != "dns" else f"{obj['type']}/{obj['name']}"
            expected = {k: v for k, v in want[key].items() if k not in SECRET_FIELDS}
            self.assertEqual(obj, expected)
            self.assertFalse(SECRET_FIELDS & set(obj))
        return r

    def test_roles_as_json_are_the_api_objects(self):
        self.check_json("roles", "role", "role")

    def test_accounts_as_json_are_the_api_objects(self):
        r = self.check_json("accounts", "config/acme-account", "config/acme-account")
        self.assertIn("account_keys", r.stdout)

    def test_dns_providers_as_json_have_no_secret(self):
        r = self.check_json("dns", "config/dns", "config/dns")
        for s in SEEDED_SECRETS:
            self.assertNotIn(s, r.stdout)
        got = {o["name"]: o for o in json.loads(r.stdout)}
        self.assertEqual(got["internal-dns"]["nameserver"], "127.0.0.1:5353")
        self.assertEqual(got["production"]["region"], "eu-west-1")

    def test_tables_are_aligned(self):
        for what, title, row in (
                ("roles", ["NAME", "ACCOUNT", "DOMAINS", "OPTIONS", "CHALLENGES", "KEY", "CN"],
                 ["legacy-rsa", "digicert-acme", "legacy.example.org",
                  "bare_domains,subdomains", "http-01", "rsa-2048", "cn_first"]),
                ("accounts", ["NAME", "DIRECTORY", "CONTACTS", "KEY", "KEY TYPE",
                              "KEY CREATED"],
                 ["letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory",
                  "pki-team@example.com", "v1", "ec-256", None]),
                ("dns", ["NAME", "TYPE", "IDENTIFIERS", "TTL"],
                 ["internal-dns", "rfc2136", "*.auto.example.net", "60s"])):
            r = self.run_once(what)
            self.assertEqual(r.returncode, 0, r.stderr)
            lines = r.stdout.splitlines()
            header = lines[0]
            starts = [header.index(t) for t in title]
            self.assertEqual(starts, sorted(starts), header)
            line = next(ln for ln in lines if ln.startswith(row[0] + " "))
            for start, cell in zip(starts, row):
                if cell is not None:
                    self.assertEqual(line[start:start + len(cell)], cell, (what, line))
            for s in SEEDED_SECRETS:
                self.assertNotIn(s, r.stdout)

    def test_orders_is_the_default(self):
        a = self.run_once("--json")
        b = self.run_once("--json", "orders")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(json.loads(a.stdout), json.loads(b.stdout))

    def test_a_denied_list_names_the_capability_and_the_path(self):
        r = self.run_once("accounts", token=LIMITED)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"cannot list the accounts: permission denied on {MOUNT}/config/"
                      "acme-account", r.stderr)
        self.assertIn("must allow list", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        ok = self.run_once("roles", token=LIMITED)
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_the_word_goes_with_once_and_nothing_else_is_taken(self):
        r = run_acmetop([BIN, "roles"], {"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("'roles' goes with --once", r.stderr)
        r = self.run_once("certs")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertNotIn("certs", r.stderr)  # never echoed: it could be a pasted token
        self.assertIn("--once takes orders, roles, accounts or dns", r.stderr)


if __name__ == "__main__":
    unittest.main()
