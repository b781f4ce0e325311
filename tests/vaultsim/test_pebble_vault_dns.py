# test_pebble_vault_dns.py: Vault's own dns-01 fulfilment in the pebble
# backend, for real: an rfc2136 provider pointing at BIND9 (bind_env, started
# by PebbleEnv(bind_zones=...)), TSIG-signed updates, pebble validating by
# asking that BIND.
#   automatic  an order whose names the provider covers walks
#              vault-challenge-fulfillment -> vault-challenge-propagating ->
#              notify-acme-server-challenges-completed -> processing-challenge
#              -> fetching-certificate -> completed with no call from the test;
#              the TXT record is in BIND while propagating, gone after;
#   hybrid     one covered name, one manual: awaiting-challenge-fulfillment
#              until the manual http-01 is marked fulfilled, then Vault's
#              statuses, then completed;
#   refused    a provider with the wrong TSIG secret: error naming the provider
#              and the refusal, the challenge still pending (the CA never looked).

import time
import unittest

from vsim.bind_env import txt_values
from vsim.dns_providers import record_name
from vsim.http01_answers import Http01Answers
from vsim.pebble_env import PebbleEnv
from vsim.testkit import SimProcess

M = "pki-external-ca"
ZONE = "auto.demo.test"
WAIT = 60.0
VAULT_STEPS = ["vault-challenge-fulfillment", "vault-challenge-propagating",
               "notify-acme-server-challenges-completed", "processing-challenge"]


class PebbleVaultDnsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env = PebbleEnv(bind_zones=[ZONE]).start()
        try:
            cls.sim = SimProcess("--backend", "pebble", "--vault-dns-pace", "0.3").start()
        except Exception:
            cls.env.stop()
            raise
        cls.http01 = Http01Answers(cls.env.http01_port)
        c = cls.sim.client()
        with open(cls.env.ca_bundle) as f:
            trusted = f.read()
        r = c.write(f"{M}/config/acme-account/pebble", {
            "directory_url": cls.env.directory_url, "trusted_ca": trusted,
            "email_contacts": ["ops@demo.test"]})
        assert r.status == 200, r
        r = c.write(f"{M}/role/web", {
            "acme_account_name": "pebble", "allowed_domains": ["demo.test"],
            "allowed_domain_options": ["subdomains"],
            "allowed_challenge_types": ["http-01", "dns-01"]})
        assert r.status == 200, r
        b = cls.env.bind
        r = c.write(f"{M}/config/dns/rfc2136/demo-bind", {
            "identifiers": [f"*.{ZONE}"], "ttl": "10s", "nameserver": b.nameserver,
            "tsig_key_name": b.tsig_key_name, "tsig_secret": b.tsig_secret,
            "tsig_algorithm": b.tsig_algorithm})
        assert r.status == 200, r
        c.close()

    @classmethod
    def tearDownClass(cls):
        cls.http01.close()
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())
        cls.env.stop()

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    def order(self, names):
        r = self.c.write(f"{M}/role/web/new-order", {"identifiers": names})
        self.assertEqual(r.status, 200, r)
        return r.data["order_id"]

    def status(self, oid):
        return self.c.read(f"{M}/role/web/order/{oid}/status").data

    def walk(self, oid, record=None, stop=("completed", "error", "expired")):
        """Every status seen (polled every 0.1 s) until one of stop, and the TXT
        values BIND served for record while the order was propagating."""
        seen, served = [], []
        deadline = time.monotonic() + WAIT
        while True:
            d = self.status(oid)
            if not seen or seen[-1] != d["order_status"]:
                seen.append(d["order_status"])
            if record and d["order_status"] == "vault-challenge-propagating":
                served += txt_values(self.env.bind.port, record)
            if d["order_status"] in stop:
                return seen, served, d
            if time.monotonic() > deadline:
                self.fail(f"order {oid} still {seen[-1]} after {WAIT}s (seen {seen})")
            time.sleep(0.1)

    def test_covered_order_completes_with_no_call(self):
        name = f"x.{ZONE}"
        oid = self.order([name])
        seen, served, d = self.walk(oid, record_name(name))
        self.assertEqual(d["order_status"], "completed", d.get("last_error"))
        at = seen.index(VAULT_STEPS[0])
        self.assertEqual(seen[at:], VAULT_STEPS + ["fetching-certificate", "completed"])
        self.assertNotIn("awaiting-challenge-fulfillment", seen)
        self.assertTrue(served, "no TXT record in BIND while propagating")
        self.assertEqual(len(set(served)), 1, served)
        # deleted once the CA validated
        deadline = time.monotonic() + 5
        while txt_values(self.env.bind.port, record_name(name)):
            self.assertLess(time.monotonic(), deadline, "the TXT record stayed in BIND")
            time.sleep(0.1)
        cert = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert")
        self.assertEqual(cert.status, 200)
        self.assertIn("BEGIN CERTIFICATE", cert.data["certificate"])

    def test_hybrid_waits_for_the_operator_then_vault_does_dns(self):
        covered, manual = f"h.{ZONE}", "hybrid.demo.test"
        oid = self.order([covered, manual])
        seen, _, d = self.walk(oid, stop=("awaiting-challenge-fulfillment", "error"))
        self.assertEqual(d["order_status"], "awaiting-challenge-fulfillment")
        time.sleep(1.0)   # Vault writes nothing while the operator has not answered
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")
        self.assertEqual(txt_values(self.env.bind.port, record_name(covered)), [])
        r = self.c.write(f"{M}/role/web/order/{oid}/fulfilled-challenge",
                         {"identifier": covered, "challenge_type": "dns-01"})
        self.assertEqual(r.status, 400)
        self.assertIn("rfc2136/demo-bind", r.errors[0])
        ch = self.c.request("GET", f"/v1/{M}/role/web/order/{oid}/challenge"
                                   f"?identifier={manual}&challenge_type=http-01").data
        self.http01.answers[ch["challenge_token"]] = ch["challenge_auth"]
        r = self.c.write(f"{M}/role/web/order/{oid}/fulfilled-challenge",
                         {"identifier": manual, "challenge_type": "http-01"})
        self.assertEqual(r.status, 204, r)
        seen, served, d = self.walk(oid, record_name(covered))
        self.assertEqual(d["order_status"], "completed", d.get("last_error"))
        self.assertEqual(seen[seen.index(VAULT_STEPS[0]):],
                         VAULT_STEPS + ["fetching-certificate", "completed"])
        self.assertTrue(served)

    def test_wrong_tsig_secret_is_an_error_before_the_ca_looks(self):
        b = self.env.bind
        r = self.c.write(f"{M}/config/dns/rfc2136/bad-key", {
            "identifiers": [f"*.bad.{ZONE}"], "nameserver": b.nameserver,
            "tsig_key_name": b.tsig_key_name, "tsig_secret": "AAAAAAAAAAAAAAAAAAAAAA==",
            "tsig_algorithm": b.tsig_algorithm})
        self.assertEqual(r.status, 200, r)
        name = f"y.bad.{ZONE}"
        oid = self.order([name])
        seen, _, d = self.walk(oid)
        self.assertEqual(d["order_status"], "error")
        self.assertIn("rfc2136/bad-key", d["last_error"])
        self.assertIn(record_name(name), d["last_error"])
        self.assertEqual(seen[-2:], ["vault-challenge-fulfillment", "error"])
        ch = self.c.request("GET", f"/v1/{M}/role/web/order/{oid}/challenge"
                                   f"?identifier={name}&challenge_type=dns-01").data
        self.assertEqual(ch["challenge_status"], "pending")
        self.assertEqual(txt_values(b.port, record_name(name)), [])


    def test_provider_test_writes_a_real_record(self):
        def test(provider, name, omit):
            return self.c.write(f"{M}/dns/test/workflow", {
                "identifier": name, "provider_type": "rfc2136", "provider_name": provider,
                "omit_cleanup": omit}).data
        name = f"t1.{ZONE}"
        d = test("demo-bind", name, False)
        self.assertTrue(d["success"], d)
        self.assertEqual(txt_values(self.env.bind.port, record_name(name)), [])  # removed
        d = test("demo-bind", name, True)
        self.assertTrue(d["success"], d)
        left = txt_values(self.env.bind.port, record_name(name))
        self.assertEqual(len(left), 1)
        self.assertTrue(left[0].startswith("vault-dns-test-"), left)        # left in place
        b = self.env.bind
        r = self.c.write(f"{M}/config/dns/rfc2136/wrong-key", {
            "identifiers": [f"*.wrong.{ZONE}"], "nameserver": b.nameserver,
            "tsig_key_name": b.tsig_key_name, "tsig_secret": "AAAAAAAAAAAAAAAAAAAAAA==",
            "tsig_algorithm": b.tsig_algorithm})
        self.assertEqual(r.status, 200, r)
        d = test("wrong-key", f"x.wrong.{ZONE}", False)
        self.assertFalse(d["success"])
        self.assertIn("rfc2136/wrong-key", d["message"])


if __name__ == "__main__":
    unittest.main()
