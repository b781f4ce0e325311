# test_conventions.py: Vault's HTTP conventions as the simulator applies them:
# tokens and policies, namespaces, LIST and ?list=true, empty lists, error
# shapes, sys/health, lookup-self, keep-alive, methods.

import hashlib
import http.client
import unittest

from vsim.testkit import SimProcess

MOUNT = "pki-external-ca"


def setup_role(c, mount=MOUNT, role="web", account="acct", **role_fields):
    r = c.write(f"{mount}/config/acme-account/{account}",
                {"directory_url": "https://acme.example.test/dir", "email_contacts": ["a@b.c"]})
    assert r.status == 200, r
    fields = {"acme_account_name": account, "allowed_domains": ["example.com"],
              "allowed_domain_options": ["bare_domains", "subdomains", "wildcards"]}
    fields.update(role_fields)
    r = c.write(f"{mount}/role/{role}", fields)
    assert r.status == 200, r
    return r


class ConventionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "50", "--time-scale", "0", "--token-ttl", "0",
                             tokens=("root", "hvs.lim1ted:deny=*/lookup/*,deny=*/role",
                                     "ro:readonly", "short:ttl=100", "team:ns=team1"))
        cls.sim.start()
        c = cls.sim.client()
        for ns, mounts in (("", ["empty-mount"]), ("team1", [MOUNT]), ("team1/sub", [MOUNT]),
                           ("team2", [])):
            if ns:
                parent, _, name = ns.rpartition("/")
                r = c.write(f"sys/namespaces/{name}", namespace=parent or None)
                assert r.status == 200, r
            for m in mounts:
                r = c.write(f"sys/mounts/{m}", {"type": "pki-external-ca"}, namespace=ns or None)
                assert r.status == 204, r
        c.close()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    def test_missing_or_bad_token_is_403_permission_denied(self):
        for tok in (None, "nope", ""):
            r = self.c.list(f"{MOUNT}/lookup/orders", token=tok)
            self.assertEqual(r.status, 403)
            self.assertEqual(r.json, {"errors": ["permission denied"]})

    def test_bearer_authorization_header_also_works(self):
        r = self.c.list(f"{MOUNT}/lookup/orders", token=None,
                        headers={"Authorization": "Bearer root"})
        self.assertEqual(r.status, 200)

    def test_list_verb_and_list_query_agree(self):
        a = self.c.list(f"{MOUNT}/lookup/orders")
        b = self.c.read(f"{MOUNT}/lookup/orders?list=true")
        self.assertEqual(a.status, 200)
        self.assertEqual(len(a.data["keys"]), 50)
        self.assertEqual(a.data["keys"], b.data["keys"])
        self.assertIn("request_id", a.json)

    def test_get_on_list_only_path_is_405(self):
        r = self.c.read(f"{MOUNT}/lookup/orders")
        self.assertEqual(r.status, 405)
        self.assertTrue(r.errors)

    def test_unknown_method_is_405(self):
        r = self.c.request("PATCH", f"/v1/{MOUNT}/lookup/orders")
        self.assertEqual(r.status, 405)

    def test_unknown_path_is_404_with_errors(self):
        r = self.c.read(f"{MOUNT}/no/such/thing")
        self.assertEqual(r.status, 404)
        self.assertTrue(r.errors and "unsupported path" in r.errors[0])

    def test_empty_list_is_404_with_empty_errors(self):
        r = self.c.list("empty-mount/lookup/orders")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json, {"errors": []})
        r = self.c.list("empty-mount/role")
        self.assertEqual((r.status, r.json), (404, {"errors": []}))

    def test_trailing_slash_list(self):
        r = self.c.list(f"{MOUNT}/role/")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.data["keys"]), 5)

    def test_namespaces_keep_separate_orders(self):
        ns = self.sim.client(namespace="team1/")
        try:
            self.assertEqual(ns.list(f"{MOUNT}/lookup/orders").status, 404)
            setup_role(ns)
            r = ns.write(f"{MOUNT}/role/web/new-order", {"identifiers": ["a.example.com"]})
            self.assertEqual(r.status, 200, r)
            oid = r.data["order_id"]
            keys = ns.list(f"{MOUNT}/lookup/orders").data["keys"]
            self.assertEqual(keys, [oid])
            self.assertEqual(self.c.read(f"{MOUNT}/lookup/order/{oid}").status, 404)
            self.assertNotIn(oid, self.c.list(f"{MOUNT}/lookup/orders").data["keys"])
            other = self.sim.client(namespace="team2")
            self.assertEqual(other.read(f"{MOUNT}/lookup/order/{oid}").status, 404)
            other.close()
        finally:
            ns.close()

    def test_namespace_bound_token(self):
        r = self.c.list(f"{MOUNT}/lookup/orders", token="team")
        self.assertEqual(r.status, 403)
        r = self.c.list(f"{MOUNT}/lookup/orders", token="team", namespace="team1/sub")
        self.assertEqual((r.status, r.json), (404, {"errors": []}))
        r = self.c.list(f"{MOUNT}/lookup/orders", token="team", namespace="team2")
        self.assertEqual(r.status, 403)

    def test_deny_globs(self):
        r = self.c.list(f"{MOUNT}/lookup/orders", token="hvs.lim1ted")
        self.assertEqual((r.status, r.json), (403, {"errors": ["permission denied"]}))
        r = self.c.list(f"{MOUNT}/role", token="hvs.lim1ted")
        self.assertEqual(r.status, 403)
        r = self.c.list(f"{MOUNT}/role/", token="hvs.lim1ted")
        self.assertEqual(r.status, 403)
        r = self.c.read(f"{MOUNT}/role/web-servers", token="hvs.lim1ted")
        self.assertEqual(r.status, 200)

    def test_policy_changed_while_running(self):
        r = self.c.list(f"{MOUNT}/lookup/orders", token="widened")
        self.assertEqual(r.status, 403)  # not a token yet
        r = self.c.sim("POST", "token", {"spec": "widened:deny=*/lookup/*"})
        self.assertEqual(r.status, 200, r.json)
        self.assertEqual(r.json["policies"], ["default", "limited"])
        self.assertEqual(self.c.list(f"{MOUNT}/lookup/orders", token="widened").status, 403)
        self.assertEqual(self.c.list(f"{MOUNT}/role", token="widened").status, 200)
        # the same token, its policy widened: lookup is allowed at once
        self.assertEqual(self.c.sim("POST", "token", {"spec": "widened"}).status, 200)
        self.assertEqual(self.c.list(f"{MOUNT}/lookup/orders", token="widened").status, 200)
        r = self.c.sim("POST", "token", {"spec": "bad:frobnicate"})
        self.assertEqual(r.status, 400)
        self.assertIn("expected deny=GLOB", r.json["errors"][0])
        self.assertEqual(self.c.sim("POST", "token", {"nospec": 1}).status, 400)

    def test_readonly_token_cannot_write(self):
        r = self.c.write(f"{MOUNT}/role/web-servers/new-order",
                         {"identifiers": ["x.example.com"]}, token="ro")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.c.list(f"{MOUNT}/role", token="ro").status, 200)

    def test_health_needs_no_token_and_reports_2x(self):
        r = self.c.read("sys/health", token=None)
        self.assertEqual(r.status, 200)
        self.assertFalse(r.json["sealed"])
        self.assertTrue(r.json["initialized"])
        self.assertFalse(r.json["standby"])
        self.assertTrue(r.json["version"].startswith("2."))

    def test_head_health_and_sys_mounts(self):
        r = self.c.request("HEAD", "/v1/sys/health", token=None)
        self.assertEqual((r.status, r.raw), (200, b""))
        self.assertGreater(int(r.headers["content-length"]), 0)
        r = self.c.read("sys/mounts")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data[f"{MOUNT}/"]["type"], "pki-external-ca")
        self.assertEqual(self.c.read("sys/mounts", token=None).status, 403)

    def test_lookup_self(self):
        r = self.c.read("auth/token/lookup-self")
        self.assertEqual(r.status, 200)
        d = r.data
        self.assertEqual(d["ttl"], 0)
        self.assertEqual(d["policies"], ["root"])
        self.assertTrue(d["display_name"].startswith("token-"))
        r = self.c.read("auth/token/lookup-self", token="hvs.lim1ted")
        self.assertEqual(r.data["policies"], ["default", "limited"])
        self.assertNotIn("hvs.lim1ted", r.raw.decode())
        self.assertEqual(self.c.read("auth/token/lookup-self", token="bad").status, 403)

    def test_token_ttl_counts_down_and_expires(self):
        sim = SimProcess("--time-scale", "0", tokens=("root", "short:ttl=100"))
        with sim:
            c = sim.client(token="short")
            self.assertEqual(c.read("auth/token/lookup-self").data["ttl"], 100)
            c.sim("POST", "advance", {"seconds": 40})
            self.assertEqual(c.read("auth/token/lookup-self").data["ttl"], 60)
            c.sim("POST", "advance", {"seconds": 61})
            self.assertEqual(c.read("auth/token/lookup-self").status, 403)
            c.close()

    def test_keep_alive_many_requests_one_connection(self):
        for _ in range(20):
            r = self.c.list(f"{MOUNT}/lookup/orders")
            self.assertEqual(r.status, 200)
        for _ in range(5):
            self.assertEqual(self.c.list(f"{MOUNT}/lookup/orders", token=None).status, 403)
            self.assertEqual(self.c.read(f"{MOUNT}/nothing").status, 404)
            self.assertEqual(self.c.request("POST", f"/v1/{MOUNT}/role/x", body=b"{bad").status,
                             400)
        self.assertEqual(self.c.connects, 1)

    def test_content_length_exact_and_json_errors(self):
        conn = http.client.HTTPConnection(self.c.host, self.c.port)
        conn.request("LIST", f"/v1/{MOUNT}/role", headers={"X-Vault-Token": "root"})
        r = conn.getresponse()
        body = r.read()
        self.assertEqual(int(r.getheader("Content-Length")), len(body))
        self.assertEqual(r.getheader("Content-Type"), "application/json")
        conn.close()

    def test_bad_json_body_is_400(self):
        r = self.c.request("POST", f"/v1/{MOUNT}/role/web-servers/new-order", body=b"[1,2")
        self.assertEqual(r.status, 400)
        self.assertIn("failed to parse JSON", r.errors[0])
        r = self.c.request("POST", f"/v1/{MOUNT}/role/web-servers/new-order", body=b"[1,2]")
        self.assertEqual(r.status, 400)

    def test_request_log_records_token_hash_never_token(self):
        # a path no other test uses: the server logs a request once its answer
        # is sent, so a request of the previous test may land after the DELETE
        probe = f"/v1/{MOUNT}/request-log-probe"
        self.c.sim("DELETE", "requests")
        self.c.list(f"{MOUNT}/request-log-probe", namespace="ns-x")
        self.c.list(f"{MOUNT}/request-log-probe", token=None)
        log = [e for e in self.c.sim("GET", "requests").json if e["path"] == probe]
        self.assertEqual(len(log), 2)
        a, b = log
        self.assertEqual(a["method"], "LIST")
        self.assertEqual(a["path"], probe)
        self.assertEqual(a["namespace"], "ns-x")
        self.assertEqual(a["status"], 404)
        self.assertEqual(a["token_sha256"], hashlib.sha256(b"root").hexdigest())
        self.assertTrue(a["headers"]["X-Vault-Token"].startswith("sha256:"))
        self.assertEqual(a["headers"]["X-Vault-Namespace"], "ns-x")
        self.assertIsInstance(a["duration_ms"], float)
        self.assertIsNone(b["token_sha256"])
        self.assertEqual(b["status"], 403)
        self.assertNotIn('"root"', self.c.sim("GET", "requests").raw.decode())
        r = self.c.read(f"{MOUNT}/lookup/orders/recent?list=true&within=2h")
        entry = self.c.sim("GET", f"requests?since={b['seq']}").json[-1]
        self.assertEqual(entry["query"], {"list": "true", "within": "2h"})
        self.assertEqual(r.status, 200)
        r = self.c.sim("DELETE", "requests")
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(r.json["cleared"], 3)
        self.assertEqual(self.c.sim("GET", "requests").json, [])


if __name__ == "__main__":
    unittest.main()
