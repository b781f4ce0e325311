# test_seed.py: --seed-orders: counts, every status, roles, recent
# (within, newest first, 500 cap, key_info), lookup/cert on seeded serials,
# seeded certificates, determinism with --seed, 20,000 orders starting fast.

import datetime
import json
import subprocess
import time
import unittest
from collections import Counter

from cryptography import x509

from vsim.testkit import SimProcess

M = "pki-external-ca"
STATUSES = {"new", "submitted", "awaiting-challenge-fulfillment", "fetching-certificate",
            "completed", "error", "expired", "revoked"}
VAULT_DNS_STATUSES = {"vault-challenge-fulfillment", "vault-challenge-propagating",
                      "notify-acme-server-challenges-completed", "processing-challenge"}


def t(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


class SeedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "1000", "--time-scale", "0", "--seed", "7")
        cls.sim.start()
        cls.c = cls.sim.client()
        cls.keys = cls.c.list(f"{M}/lookup/orders").data["keys"]
        cls.orders = {k: cls.c.read(f"{M}/lookup/order/{k}").data for k in cls.keys}
        cls.now = t(cls.c.sim("GET", "health").json["now"])

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())

    def test_thousand_orders_listed(self):
        self.assertEqual(len(self.keys), 1000)
        self.assertEqual(len(set(self.keys)), 1000)

    def test_with_curl_as_in_the_issue(self):
        url = f"{self.sim.addr}/v1/{M}/lookup/orders"
        p = subprocess.run(["curl", "-sS", "-X", "LIST", "-H", "X-Vault-Token: root", url],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(len(json.loads(p.stdout)["data"]["keys"]), 1000)
        p = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                            "-X", "LIST", url], capture_output=True, text=True, timeout=20)
        self.assertEqual(p.stdout, "403")

    def test_every_status_and_several_roles(self):
        by_status = Counter(o["order_status"] for o in self.orders.values())
        self.assertLessEqual(STATUSES, set(by_status))
        self.assertLessEqual(set(by_status) - STATUSES, VAULT_DNS_STATUSES)
        self.assertGreater(by_status["completed"], 250)
        roles = Counter(o["role_name"] for o in self.orders.values())
        self.assertEqual(set(roles), set(self.c.list(f"{M}/role").data["keys"]))
        self.assertEqual(len(roles), 5)
        self.assertEqual(len(self.c.list(f"{M}/config/acme-account").data["keys"]), 2)
        self.assertEqual(self.c.list(f"{M}/config/dns").data["keys"],
                         ["aws-route53/production", "google-cloud-dns/staging",
                          "rfc2136/internal-dns"])

    def test_variety(self):
        vals = list(self.orders.values())
        self.assertTrue(any(len(o["identifiers"]) > 1 for o in vals))
        self.assertTrue(any(i.startswith("*.") for o in vals for i in o["identifiers"]))
        self.assertTrue(any(o["csr"].startswith("-----BEGIN CERTIFICATE REQUEST") for o in vals))
        self.assertTrue(any(o["identifiers"][0].startswith("fail.") for o in vals
                            if o["order_status"] == "awaiting-challenge-fulfillment"))
        errors = [o for o in vals if o["order_status"] == "error"]
        self.assertTrue(all(o["last_error"] for o in errors))
        created = [t(o["creation_date"]) for o in vals]
        self.assertGreater(sum(1 for c in created if self.now - c < datetime.timedelta(hours=1)),
                           100)
        self.assertGreater(sum(1 for c in created if self.now - c > datetime.timedelta(days=7)),
                           100)
        self.assertTrue(all(self.now - c < datetime.timedelta(days=31) for c in created))

    def test_fields_consistent_with_status(self):
        zero = "0001-01-01T00:00:00Z"
        for o in self.orders.values():
            st = o["order_status"]
            self.assertLessEqual(t(o["creation_date"]), t(o["last_update"]))
            self.assertLessEqual(t(o["last_update"]), self.now)
            if st in ("completed", "error", "expired", "revoked"):
                self.assertEqual(o["next_work_date"], zero, o)
            else:
                self.assertGreater(t(o["next_work_date"]), self.now, o)
                self.assertGreater(t(o["expires"]), self.now, o)
            if st in ("completed", "revoked"):
                self.assertRegex(o["serial_number"], r"^[0-9a-f]{2}(:[0-9a-f]{2}){17}$")
            else:
                self.assertEqual(o["serial_number"], "")
            if st == "expired":
                self.assertLess(t(o["expires"]), self.now)
            if st == "new":
                self.assertEqual(o["challenges"], {})
            else:
                self.assertEqual(set(o["challenges"]), set(o["identifiers"]))

    def test_lookup_cert_and_real_certificates(self):
        completed = [(k, o) for k, o in self.orders.items() if o["order_status"] == "completed"]
        expired = soon = 0
        for k, o in completed:
            lc = self.c.read(f"{M}/lookup/cert/{o['serial_number']}").data
            self.assertEqual((lc["order_id"], lc["role_name"], lc["identifiers"]),
                             (k, o["role_name"], o["identifiers"]))
            na = t(lc["not_after"])
            expired += na < self.now
            soon += self.now <= na < self.now + datetime.timedelta(days=3)
        self.assertGreater(expired, 5)
        self.assertGreater(soon, 5)
        for k, o in completed[:5]:
            fc = self.c.read(f"{M}/role/{o['role_name']}/order/{k}/fetch-cert").data
            cert = x509.load_pem_x509_certificate(fc["certificate"].encode())
            self.assertEqual(fc["serial_number"], o["serial_number"])
            lc = self.c.read(f"{M}/lookup/cert/{o['serial_number']}").data
            self.assertEqual(cert.not_valid_after.replace(tzinfo=datetime.timezone.utc),
                             t(lc["not_after"]))

    def test_recent_within_order_and_key_info(self):
        r = self.c.list(f"{M}/lookup/orders/recent")
        self.assertEqual(r.status, 200)
        keys, info = r.data["keys"], r.data["key_info"]
        self.assertEqual(set(keys), set(info))
        hour = [k for k, o in self.orders.items()
                if self.now - t(o["last_update"]) <= datetime.timedelta(hours=1)]
        self.assertEqual(set(keys), set(hour))
        ups = [t(info[k]["last_update"]) for k in keys]
        self.assertEqual(ups, sorted(ups, reverse=True))
        for k in keys[:50]:
            o = self.orders[k]
            self.assertEqual(info[k], {f: o[f] for f in ("creation_date", "identifiers",
                                                         "last_update", "order_status",
                                                         "role_name")})
        day = self.c.list(f"{M}/lookup/orders/recent?within=24h").data["keys"]
        self.assertGreater(len(day), len(keys))
        self.assertEqual(self.c.list(f"{M}/lookup/orders/recent?within=30m").data["keys"], keys)
        week = self.c.list(f"{M}/lookup/orders/recent?within=168h").data["keys"]
        self.assertEqual(len(week), 500)
        self.assertEqual(self.c.list(f"{M}/lookup/orders/recent?within=9999h").data["keys"],
                         week)
        self.assertEqual(self.c.list(f"{M}/lookup/orders/recent?within=soon").status, 400)

    def test_same_seed_same_data(self):
        with SimProcess("--seed-orders", "50", "--seed", "7", "--time-scale", "0") as a, \
                SimProcess("--seed-orders", "50", "--seed", "7", "--time-scale", "0") as b:
            ca, cb = a.client(), b.client()
            ka = ca.list(f"{M}/lookup/orders").data["keys"]
            self.assertEqual(ka, cb.list(f"{M}/lookup/orders").data["keys"])
            oa = ca.read(f"{M}/lookup/order/{ka[3]}").data
            ob = cb.read(f"{M}/lookup/order/{ka[3]}").data
            self.assertEqual((oa["identifiers"], oa["order_status"]),
                             (ob["identifiers"], ob["order_status"]))
            ca.close()
            cb.close()

    def test_seed_namespace_and_mounts(self):
        with SimProcess("--seed-orders", "10", "--seed-namespace", "team-a", "--mount", "pki",
                        "--mount", "pki2", "--time-scale", "0") as s:
            c = s.client(namespace="team-a")
            self.assertEqual(len(c.list("pki/lookup/orders").data["keys"]), 10)
            self.assertEqual(len(c.list("pki2/lookup/orders").data["keys"]), 10)
            self.assertEqual(c.list(f"{M}/lookup/orders").status, 404)
            self.assertEqual(c.list("pki/lookup/orders", namespace=None).status, 404)
            c.close()


class BigSeedTest(unittest.TestCase):
    def test_twenty_thousand_orders_start_fast_and_answer(self):
        with SimProcess("--seed-orders", "20000", "--time-scale", "0") as s:
            self.assertLess(s.startup_seconds, 5.0)
            c = s.client()
            t0 = time.monotonic()
            keys = c.list(f"{M}/lookup/orders").data["keys"]
            recent = c.list(f"{M}/lookup/orders/recent?within=168h").data
            self.assertEqual(len(keys), 20000)
            self.assertEqual(len(recent["keys"]), 500)
            self.assertLess(time.monotonic() - t0, 2.0)
            c.close()

    def test_more_than_a_hundred_thousand_refused(self):
        s = SimProcess("--seed-orders", "100001")
        with self.assertRaises(RuntimeError):
            s.start()
        s.stop()


if __name__ == "__main__":
    unittest.main()
