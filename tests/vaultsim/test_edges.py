# test_edges.py: the simulator at Vault's edges: mounts and namespaces exist
# only once created (--mount, --seed-namespace, POST sys/mounts/PATH, POST
# sys/namespaces/NAME), everything else is 404 "no handler for route";
# sys/internal/ui/mounts tells a mount's type; a bad token is 403 everywhere.

import unittest

from vsim.testkit import SimProcess

M = "pki-external-ca"


def no_route(path):
    return {"errors": [f"no handler for route \"{path}\". route entry not found."]}


class MountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--mount", M, "--mount", "team/pki", "--mount", "secret:kv",
                             "--time-scale", "0",
                             tokens=("root", "narrow:deny=team/pki/*", "lookups:deny=*/lookup/*",
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

    def test_unknown_mount_is_no_handler_for_route(self):
        for verb, path in (("LIST", "nope/lookup/orders"), ("GET", "nope/lookup/order/x"),
                           ("POST", "nope/role/web/new-order"), ("LIST", "pki/role")):
            r = self.c.request(verb, "/v1/" + path, {} if verb == "POST" else None)
            self.assertEqual((r.status, r.json), (404, no_route(path)), path)

    def test_existing_mount_with_empty_list_is_404_empty_errors(self):
        for m in (M, "team/pki"):
            r = self.c.list(f"{m}/lookup/orders")
            self.assertEqual((r.status, r.json), (404, {"errors": []}), m)

    def test_mount_with_a_slash_in_its_name(self):
        r = self.c.write("team/pki/config/acme-account/a",
                         {"directory_url": "https://acme.example.test/d",
                          "email_contacts": ["a@example.org"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.c.list("team/pki/config/acme-account").data["keys"], ["a"])
        self.assertEqual(self.c.list(f"{M}/config/acme-account").status, 404)
        r = self.c.list("team/config/acme-account")
        self.assertEqual(r.json, no_route("team/config/acme-account"))

    def test_mount_of_another_type_has_no_engine_paths(self):
        r = self.c.list("secret/lookup/orders")
        self.assertEqual((r.status, r.json), (404, no_route("secret/lookup/orders")))
        d = self.c.read("sys/internal/ui/mounts/secret").data
        self.assertEqual((d["type"], d["path"]), ("kv", "secret/"))

    def test_ui_mounts_gives_type_path_options(self):
        r = self.c.read(f"sys/internal/ui/mounts/{M}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["type"], "pki-external-ca")
        self.assertEqual(r.data["path"], f"{M}/")
        self.assertIn("options", r.data)
        # a path below the mount names the mount too; the longest mount wins
        self.assertEqual(self.c.read("sys/internal/ui/mounts/team/pki/role/x").data["path"],
                         "team/pki/")
        # a token with some capability under the mount sees it
        r = self.c.read(f"sys/internal/ui/mounts/{M}", token="lookups")
        self.assertEqual(r.data["type"], "pki-external-ca")
        self.assertEqual(self.c.read(f"sys/internal/ui/mounts/{M}", token="ro").status, 200)

    def test_ui_mounts_403_when_nothing_to_see(self):
        r = self.c.read("sys/internal/ui/mounts/nope")
        self.assertEqual((r.status, r.json), (403, {"errors": ["permission denied"]}))
        r = self.c.read("sys/internal/ui/mounts/team/pki", token="narrow")
        self.assertEqual((r.status, r.json), (403, {"errors": ["permission denied"]}))
        self.assertEqual(self.c.read(f"sys/internal/ui/mounts/{M}", token="narrow").status, 200)

    def test_sys_mounts_lists_types(self):
        d = self.c.read("sys/mounts").data
        self.assertEqual(d[f"{M}/"]["type"], "pki-external-ca")
        self.assertEqual(d["team/pki/"]["type"], "pki-external-ca")
        self.assertEqual(d["secret/"]["type"], "kv")

    def test_mount_created_at_run_time(self):
        self.assertEqual(self.c.list("later/role").json, no_route("later/role"))
        r = self.c.write("sys/mounts/later", {"type": "pki-external-ca"}, token="ro")
        self.assertEqual(r.status, 403)
        r = self.c.write("sys/mounts/later", {"type": "pki-external-ca"}, token="lookups")
        self.assertEqual(r.status, 403)    # root only
        self.assertEqual(self.c.write("sys/mounts/later", {}).status, 400)   # type required
        self.assertEqual(self.c.write("sys/mounts/later", {"type": "pki-external-ca"}).status,
                         204)
        self.assertEqual(self.c.list("later/role").json, {"errors": []})
        r = self.c.write("sys/mounts/later", {"type": "pki-external-ca"})
        self.assertEqual(r.status, 400)
        self.assertIn("already in use", r.errors[0])
        self.assertEqual(self.c.read("sys/internal/ui/mounts/later").data["type"],
                         "pki-external-ca")


class NamespacesTest(unittest.TestCase):
    def test_seeded_namespace_exists_others_do_not(self):
        with SimProcess("--seed-namespace", "team-a", "--seed-orders", "3",
                        "--time-scale", "0") as s:
            c = s.client()
            r = c.list(f"{M}/lookup/orders", namespace="team-a")
            self.assertEqual(len(r.data["keys"]), 3)
            for ns in ("team-b", "team-a/sub"):
                r = c.list(f"{M}/lookup/orders", namespace=ns)
                self.assertEqual((r.status, r.json), (404, no_route(f"{M}/lookup/orders")), ns)
                r = c.read("auth/token/lookup-self", namespace=ns)
                self.assertEqual(r.status, 404, ns)
                r = c.read(f"sys/internal/ui/mounts/{M}", namespace=ns)
                self.assertEqual(r.status, 404, ns)
            # the root namespace holds no mount: --mount went to team-a
            self.assertEqual(c.list(f"{M}/lookup/orders").json, no_route(f"{M}/lookup/orders"))
            # health answers whatever the namespace
            self.assertEqual(c.read("sys/health", namespace="team-b").status, 200)
            c.close()

    def test_namespace_and_mount_created_at_run_time(self):
        with SimProcess("--time-scale", "0", tokens=("root", "ro:readonly")) as s:
            c = s.client()
            self.assertEqual(c.write("sys/namespaces/team-x", token="ro").status, 403)
            r = c.write("sys/namespaces/team-x")
            self.assertEqual((r.status, r.data["path"]), (200, "team-x/"))
            self.assertEqual(c.write("sys/namespaces/team-x").status, 400)   # exists
            # a new namespace has no mounts
            r = c.list(f"{M}/role", namespace="team-x")
            self.assertEqual(r.json, no_route(f"{M}/role"))
            r = c.write(f"sys/mounts/{M}", {"type": "pki-external-ca"}, namespace="team-x")
            self.assertEqual(r.status, 204)
            self.assertEqual(c.list(f"{M}/role", namespace="team-x").json, {"errors": []})
            # a child: created from inside its parent
            r = c.write("sys/namespaces/sub", namespace="team-x")
            self.assertEqual(r.data["path"], "team-x/sub/")
            self.assertEqual(c.read("auth/token/lookup-self", namespace="team-x/sub").status,
                             200)
            self.assertEqual(c.write("sys/namespaces/a", namespace="nope").status, 404)
            c.close()


class BadTokenTest(unittest.TestCase):
    def test_invalid_expired_revoked_token_403_everywhere(self):
        with SimProcess("--time-scale", "0",
                        tokens=("root", "gone", "short:ttl=10", "lim:deny=*/lookup/*")) as s:
            c = s.client()
            self.assertEqual(c.sim("DELETE", "token", {"token": "gone"}).json, {"revoked": 1})
            c.sim("POST", "advance", {"seconds": 11})
            paths = ("auth/token/lookup-self", f"{M}/lookup/orders", "nope/lookup/orders",
                     f"sys/internal/ui/mounts/{M}", "sys/mounts")
            for tok in ("mistyped", "gone", "short", None):
                for p in paths:
                    r = c.read(p, token=tok)
                    self.assertEqual((r.status, r.json), (403, {"errors": ["permission denied"]}),
                                     (tok, p))
                r = c.list(f"{M}/role", token=tok, namespace="no-such-namespace")
                self.assertEqual(r.status, 403, tok)
            # a valid token always reads lookup-self, even when the policy denies much
            self.assertEqual(c.read("auth/token/lookup-self", token="lim").status, 200)
            self.assertEqual(c.list(f"{M}/lookup/orders", token="lim").status, 403)
            c.close()


if __name__ == "__main__":
    unittest.main()
