# test_faults.py: faults injected through /_sim/faults (latency, error status
# with a rate and a path filter, count, 429 + Retry-After, dropped
# connections, malformed JSON, oversized bodies, down/sealed) and the other
# control endpoints (health, advance, faults listing and clearing, the
# orders' statuses, a token revoked and restored, going offline).

import http.client
import json
import socket
import time
import unittest

from vsim.testkit import SimProcess

M = "pki-external-ca"


class FaultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "20", "--time-scale", "0")
        cls.sim.start()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())

    def setUp(self):
        self.c = self.sim.client()
        self.assertEqual(self.c.sim("DELETE", "faults").status, 200)
        self.order = self.c.list(f"{M}/lookup/orders").data["keys"][0]

    def tearDown(self):
        self.c.sim("DELETE", "faults")
        self.c.close()

    def fault(self, **spec):
        r = self.c.sim("POST", "faults", spec)
        self.assertEqual(r.status, 200, r)
        return r.json["id"]

    def test_latency(self):
        self.fault(latency_ms=300, path_regex="lookup/orders$")
        t0 = time.monotonic()
        self.assertEqual(self.c.list(f"{M}/lookup/orders").status, 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        t0 = time.monotonic()
        self.assertEqual(self.c.read(f"{M}/lookup/order/{self.order}").status, 200)
        self.assertLess(time.monotonic() - t0, 0.25)

    def test_error_status_share_path_and_count(self):
        self.fault(error_status=500, error_rate=0.5, path_regex="lookup/order/")
        statuses = [self.c.read(f"{M}/lookup/order/{self.order}").status for _ in range(10)]
        self.assertEqual(statuses.count(500), 5)
        self.assertEqual(statuses.count(200), 5)
        self.assertEqual(self.c.list(f"{M}/lookup/orders").status, 200)
        r = [self.c.read(f"{M}/lookup/order/{self.order}") for _ in range(2)]
        bad = r[0] if r[0].status == 500 else r[1]
        self.assertTrue(bad.errors and isinstance(bad.errors[0], str))
        self.c.sim("DELETE", "faults")
        self.fault(error_status=502, count=2)
        got = [self.c.list(f"{M}/role").status for _ in range(4)]
        self.assertEqual(got, [502, 502, 200, 200])
        self.assertEqual(self.c.sim("GET", "faults").json, [])

    def test_rate_limit_with_retry_after(self):
        self.fault(rate_limit={"retry_after": 7}, count=1)
        r = self.c.list(f"{M}/lookup/orders")
        self.assertEqual(r.status, 429)
        self.assertEqual(r.headers["retry-after"], "7")
        self.assertIn("rate limit", r.errors[0])
        self.assertEqual(self.c.list(f"{M}/lookup/orders").status, 200)

    def test_drop_closes_without_answer(self):
        self.fault(drop=True, count=1)
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.c.list(f"{M}/lookup/orders")
        self.assertEqual(self.c.list(f"{M}/lookup/orders").status, 200)
        log = self.c.sim("GET", "requests").json
        dropped = [e for e in log if e["fault"] == "drop"]
        self.assertEqual(dropped[-1]["status"], 0)

    def test_malformed_json(self):
        self.fault(malformed=True, count=1)
        r = self.c.list(f"{M}/lookup/orders")
        self.assertEqual(r.status, 200)
        self.assertEqual(int(r.headers["content-length"]), len(r.raw))
        with self.assertRaises(ValueError):
            json.loads(r.raw)
        self.assertEqual(self.c.list(f"{M}/lookup/orders").status, 200)  # same connection

    def test_oversized_body(self):
        self.fault(oversize_bytes=5_000_000, count=1)
        r = self.c.list(f"{M}/lookup/orders")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.raw), 5_000_000)
        self.assertEqual(int(r.headers["content-length"]), 5_000_000)
        self.assertIsNotNone(r.json)

    def test_down_means_sealed(self):
        self.fault(down=True)
        r = self.c.list(f"{M}/lookup/orders")
        self.assertEqual((r.status, r.json), (503, {"errors": ["Vault is sealed"]}))
        h = self.c.read("sys/health", token=None)
        self.assertEqual(h.status, 503)
        self.assertTrue(h.json["sealed"])
        self.assertEqual(self.c.sim("GET", "health").status, 200)   # control API unaffected
        self.c.sim("DELETE", "faults")
        self.assertFalse(self.c.read("sys/health", token=None).json["sealed"])

    def test_bad_fault_specs_refused(self):
        self.assertEqual(self.c.sim("POST", "faults", {"explode": True}).status, 400)
        self.assertEqual(self.c.sim("POST", "faults", {"error_status": 42}).status, 400)
        self.assertEqual(self.c.sim("POST", "faults", {"path_regex": "("}).status, 400)

    def test_fault_list_and_delete_one(self):
        a = self.fault(latency_ms=1)
        b = self.fault(error_status=500, path_regex="never-matches")
        self.assertEqual([f["id"] for f in self.c.sim("GET", "faults").json], [a, b])
        r = self.c.sim("DELETE", f"faults/{a}")
        self.assertEqual((r.status, r.json), (200, {"cleared": 1}))
        self.assertEqual([f["id"] for f in self.c.sim("GET", "faults").json], [b])

    def test_advance_and_health(self):
        h0 = self.c.sim("GET", "health").json
        self.assertEqual(h0["orders"], 20)
        self.assertEqual(h0["backend"], "scripted")
        r = self.c.sim("POST", "advance", {"seconds": 3600})
        self.assertAlmostEqual(r.json["now_epoch"] - h0["now_epoch"], 3600, delta=1)
        self.assertEqual(self.c.sim("POST", "advance", {"seconds": -1}).status, 400)
        self.assertEqual(self.c.sim("GET", "nothing").status, 404)

    def test_orders_statuses_match_the_api(self):
        got = self.c.sim("GET", "orders").json
        self.assertEqual(len(got["orders"]), 20)
        for oid in list(got["orders"])[:5]:
            r = self.c.read(f"{M}/lookup/order/{oid}")
            self.assertEqual(got["orders"][oid], r.data["order_status"])
        self.assertEqual(self.c.sim("GET", "orders?mount=elsewhere").json["orders"], {})

    def test_token_revoked_and_restored(self):
        self.assertEqual(self.c.sim("POST", "token", {"spec": "soon-gone"}).status, 200)
        self.assertEqual(self.c.list(f"{M}/lookup/orders", token="soon-gone").status, 200)
        r = self.c.sim("DELETE", "token", {"token": "soon-gone"})
        self.assertEqual((r.status, r.json), (200, {"revoked": 1}))
        for path in (f"{M}/lookup/orders", "auth/token/lookup-self"):
            r = self.c.request("LIST" if "orders" in path else "GET", "/v1/" + path,
                               token="soon-gone")
            self.assertEqual((r.status, r.errors), (403, ["permission denied"]))
        self.assertEqual(self.c.sim("DELETE", "token", {"token": "soon-gone"}).json,
                         {"revoked": 0})
        self.assertEqual(self.c.sim("DELETE", "token", {}).status, 400)
        self.assertEqual(self.c.sim("POST", "token", {"spec": "soon-gone"}).status, 200)
        self.assertEqual(self.c.list(f"{M}/lookup/orders", token="soon-gone").status, 200)


class OfflineTest(unittest.TestCase):
    """POST /_sim/offline: connections refused, open ones closed, back on the
    same port with the same state."""

    def test_refused_then_back_with_state(self):
        with SimProcess("--seed-orders", "20", "--time-scale", "0") as sim:
            c = sim.client()
            kept = sim.client()
            self.assertEqual(kept.list(f"{M}/lookup/orders").status, 200)   # keep-alive
            r = c.sim("POST", "offline", {"seconds": 3})
            self.assertEqual((r.status, r.json), (200, {"offline_seconds": 3.0}))
            t0 = time.monotonic()
            with self.assertRaises((http.client.HTTPException, ConnectionError)):
                kept.list(f"{M}/lookup/orders")                  # closed under it
            with self.assertRaises(ConnectionRefusedError):
                socket.create_connection((c.host, c.port), timeout=2).close()
            while True:
                try:
                    socket.create_connection((c.host, c.port), timeout=2).close()
                    break
                except ConnectionRefusedError:
                    self.assertLess(time.monotonic() - t0, 8)
                    time.sleep(0.05)
            self.assertGreater(time.monotonic() - t0, 2.5)
            c.close()
            self.assertEqual(c.sim("GET", "health").json["orders"], 20)
            self.assertEqual(len(c.list(f"{M}/lookup/orders").data["keys"]), 20)
            self.assertEqual(c.sim("POST", "offline", {"seconds": 0}).status, 400)
            c.close()
            kept.close()
            self.assertNotIn("Traceback", sim.stderr_text())


if __name__ == "__main__":
    unittest.main()
