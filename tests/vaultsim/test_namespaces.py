# test_namespaces.py: the simulator with several namespaces and mounts, as
# Vault Enterprise answers: LIST sys/namespaces (direct children, full paths,
# 404 when none, 403 without the capability), sys/mounts of a namespace with
# Vault's own mounts of other types, --seed-namespaces N x --mount seeding
# every place with its own orders whose identifiers name the place, and the
# request log telling the namespace and mount of every request.

import unittest

from vsim.seed import place_identifier, place_tag
from vsim.testkit import SimProcess

DENIED = {"errors": ["permission denied"]}


def no_route(path):
    return {"errors": [f"no handler for route \"{path}\". route entry not found."]}


class ListNamespacesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-namespaces", "3", "--seed-namespace", "team1/sub",
                             "--time-scale", "0",
                             tokens=("root", "nolist:deny=sys/namespaces", "inteam:ns=team1",
                                     "ro:readonly"))
        cls.sim.start()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():
            raise AssertionError(cls.sim.stderr_text())

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    def test_root_lists_its_children_with_full_paths(self):
        r = self.c.list("sys/namespaces")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["keys"], ["ns01/", "ns02/", "ns03/", "team1/"])
        info = r.data["key_info"]
        self.assertEqual(sorted(info), r.data["keys"])
        self.assertEqual(info["team1/"]["path"], "team1/")
        self.assertEqual(info["team1/"]["custom_metadata"], {})
        self.assertEqual(len({i["id"] for i in info.values()}), 4)
        # GET ?list=true is the same list
        r2 = self.c.read("sys/namespaces?list=true")
        self.assertEqual((r2.status, r2.data), (200, r.data))

    def test_nested_namespace_listed_from_its_parent(self):
        r = self.c.list("sys/namespaces", namespace="team1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["keys"], ["sub/"])
        self.assertEqual(r.data["key_info"]["sub/"]["path"], "team1/sub/")
        # read one child, from its parent
        r = self.c.read("sys/namespaces/sub", namespace="team1")
        self.assertEqual((r.status, r.data["path"]), (200, "team1/sub/"))
        self.assertEqual(self.c.read("sys/namespaces/nope", namespace="team1").status, 404)

    def test_no_children_is_404_empty_errors(self):
        for ns in ("ns01", "team1/sub"):
            r = self.c.list("sys/namespaces", namespace=ns)
            self.assertEqual((r.status, r.json), (404, {"errors": []}), ns)

    def test_namespace_that_does_not_exist_is_no_route(self):
        r = self.c.list("sys/namespaces", namespace="nosuch")
        self.assertEqual((r.status, r.json), (404, no_route("sys/namespaces")))

    def test_listing_needs_the_list_capability_there(self):
        r = self.c.list("sys/namespaces", token="nolist")
        self.assertEqual((r.status, r.json), (403, DENIED))
        r = self.c.list("sys/namespaces", token="nolist", namespace="team1")
        self.assertEqual((r.status, r.json), (403, DENIED))
        # a token of team1 lists there, not at the root
        self.assertEqual(self.c.list("sys/namespaces", token="inteam").status, 403)
        r = self.c.list("sys/namespaces", token="inteam", namespace="team1")
        self.assertEqual((r.status, r.data["keys"]), (200, ["sub/"]))
        self.assertEqual(self.c.list("sys/namespaces", token="ro").status, 200)
        self.assertEqual(self.c.list("sys/namespaces", token=None).status, 403)

    def test_created_namespace_is_listed(self):
        self.assertEqual(self.c.write("sys/namespaces/new", namespace="ns02").status, 200)
        r = self.c.list("sys/namespaces", namespace="ns02")
        self.assertEqual((r.status, r.data["keys"]), (200, ["new/"]))
        self.assertEqual(r.data["key_info"]["new/"]["path"], "ns02/new/")


class TwentyNamespacesTwoMountsTest(unittest.TestCase):
    NS = [f"ns{k:02d}" for k in range(1, 21)]
    N = 5

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-namespaces", "20", "--mount", "a", "--mount", "b",
                             "--mount", "secret:kv", "--seed-orders", str(cls.N),
                             "--time-scale", "0")
        cls.sim.start()
        c = cls.sim.client()     # the seeded orders of each place, before a test adds one
        cls.seeded = {(ns, m): c.sim("GET", f"orders?namespace={ns}&mount={m}").json["orders"]
                      for ns in cls.NS for m in ("a", "b")}
        c.close()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():
            raise AssertionError(cls.sim.stderr_text())

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    def test_root_lists_the_twenty_namespaces(self):
        self.assertEqual(self.c.list("sys/namespaces").data["keys"], [n + "/" for n in self.NS])

    def test_sys_mounts_needs_filtering_by_type(self):
        d = self.c.read("sys/mounts", namespace="ns07").data
        types = {k: v["type"] for k, v in d.items()}
        self.assertEqual(types, {"a/": "pki-external-ca", "b/": "pki-external-ca",
                                 "secret/": "kv", "sys/": "ns_system",
                                 "identity/": "ns_identity", "cubbyhole/": "ns_cubbyhole"})
        # the root namespace holds Vault's own mounts only
        d = self.c.read("sys/mounts").data
        self.assertEqual({k: v["type"] for k, v in d.items()},
                         {"sys/": "system", "identity/": "identity", "cubbyhole/": "cubbyhole"})
        self.assertEqual(self.c.list("a/lookup/orders").json, no_route("a/lookup/orders"))
        # Vault's own mount paths cannot be mounted over
        r = self.c.write("sys/mounts/identity", {"type": "pki-external-ca"}, namespace="ns07")
        self.assertEqual(r.status, 400)

    def test_forty_places_each_with_its_own_orders(self):
        ids = set()
        for ns in self.NS:
            for m in ("a", "b"):
                orders = self.seeded[(ns, m)]
                self.assertEqual(len(orders), self.N, (ns, m))
                ids |= set(orders)
                keys = self.c.list(f"{m}/lookup/orders", namespace=ns).data["keys"]
                self.assertLessEqual(set(orders), set(keys), (ns, m))
                for oid in orders:
                    o = self.c.read(f"{m}/lookup/order/{oid}", namespace=ns).data
                    for ident in o["identifiers"]:
                        self.assertIn(f".{ns}-{m}.", "." + ident, (ns, m, oid))
        self.assertEqual(len(ids), 40 * self.N)

    def test_a_write_in_ns07_b_is_logged_with_its_namespace_and_mount(self):
        c = self.sim.client(namespace="ns07")
        r = c.write("b/role/web-servers/new-order", {"identifiers": ["x.example.com"]})
        self.assertEqual(r.status, 200, r)
        oid = r.data["order_id"]
        c.sim("POST", "advance", {"seconds": 6})
        self.assertEqual(c.read(f"b/lookup/order/{oid}").data["order_status"],
                         "awaiting-challenge-fulfillment")
        self.assertEqual(self.c.read(f"b/lookup/order/{oid}", namespace="ns08").status, 404)
        c.sim("DELETE", "requests")
        c.read(f"b/lookup/order/{oid}")
        self.c.list("a/lookup/orders", namespace="ns03")
        self.c.read("sys/mounts", namespace="ns07")
        log = c.sim("GET", "requests").json
        self.assertEqual([(e["method"], e["namespace"], e["mount"]) for e in log],
                         [("GET", "ns07", "b"), ("LIST", "ns03", "a"), ("GET", "ns07", None)])
        self.assertFalse([e for e in log if e["method"] in ("POST", "PUT", "DELETE")])
        r = c.write(f"b/role/web-servers/order/{oid}/fulfilled-challenge",
                    {"identifier": "x.example.com", "challenge_type": "http-01"})
        self.assertEqual(r.status, 204, r)
        since = log[-1]["seq"]
        writes = [e for e in c.sim("GET", f"requests?since={since}").json
                  if e["method"] in ("POST", "PUT", "DELETE")]
        self.assertEqual(len(writes), 1)
        self.assertEqual((writes[0]["namespace"], writes[0]["mount"], writes[0]["path"]),
                         ("ns07", "b", f"/v1/b/role/web-servers/order/{oid}/fulfilled-challenge"))
        c.close()


class PlaceTagTest(unittest.TestCase):
    def test_identifiers_name_their_place_and_stay_covered(self):
        self.assertEqual(place_tag("ns07", "b"), "ns07-b")
        self.assertEqual(place_tag("", "pki-external-ca"), "root-pki-external-ca")
        self.assertEqual(place_tag("team/sub", "team/pki"), "team-sub-team-pki")
        self.assertEqual(place_identifier("www3.example.com", "ns07-b"),
                         "www3.ns07-b.example.com")
        self.assertEqual(place_identifier("*.team5.example.io", "ns07-b"),
                         "*.team5.ns07-b.example.io")
        self.assertEqual(place_identifier("example.com", "ns07-b"), "ns07-b.example.com")
        self.assertEqual(place_identifier("fail.www3.example.com", "x"),
                         "fail.x.www3.example.com")
        self.assertEqual(place_identifier("www3.example.com", None), "www3.example.com")

    def test_two_places_with_vault_dns_orders(self):
        # order 550 of each place is an automatic auto-dns order: its tagged
        # name is still covered by rfc2136/internal-dns, so Vault completed it
        with SimProcess("--seed-namespace", "", "--seed-namespace", "t", "--mount", "p",
                        "--seed-orders", "560", "--time-scale", "0") as s:
            for ns, tag in (("", "root-p"), ("t", "t-p")):
                c = s.client(namespace=ns or None)
                keys = list(c.sim("GET", f"orders?namespace={ns}&mount=p").json["orders"])
                self.assertEqual(len(keys), 560)     # in seeding order
                o = c.read(f"p/lookup/order/{keys[550]}").data
                self.assertEqual(o["role_name"], "auto-dns")
                self.assertEqual(o["order_status"], "completed", o)
                self.assertIn(f".{tag}.auto.example.net", o["identifiers"][0])
                c.close()

    def test_one_place_keeps_the_plain_identifiers(self):
        with SimProcess("--seed-orders", "20", "--time-scale", "0") as s:
            c = s.client()
            r = c.list("pki-external-ca/lookup/orders/recent?within=168h")
            idents = [i for info in r.data["key_info"].values() for i in info["identifiers"]]
            self.assertTrue(idents)
            self.assertFalse([i for i in idents if "root-" in i])
            c.close()


if __name__ == "__main__":
    unittest.main()
