# test_resources.py: accounts (create, import, read, update trusted_ca,
# delete refused while used, rotate-key with force), roles (delete with
# force), DNS providers of the four types (write-only secrets, also in the
# request log), dns/test/workflow, and the scripted backend walking Vault's
# own dns-01 statuses for covered identifiers (automatic and hybrid orders,
# new and seeded).

import unittest

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vsim import certs
from vsim.testkit import SimProcess

M = "pki-external-ca"
DIR = "https://acme.example.test/dir"
TSIG = "c2VjcmV0LXRzaWcta2V5LXZhbHVl"
VAULT_WALK = ["new", "submitted", "vault-challenge-fulfillment", "vault-challenge-propagating",
              "notify-acme-server-challenges-completed", "processing-challenge",
              "fetching-certificate", "completed"]
CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


class ResourcesTest(unittest.TestCase):
    """One frozen-clock simulator; each test uses its own names."""

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--time-scale", "0")
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

    def account(self, name, **extra):
        body = {"directory_url": DIR, "email_contacts": ["ops@example.org"]}
        body.update(extra)
        r = self.c.write(f"{M}/config/acme-account/{name}", body)
        self.assertEqual(r.status, 200, r)
        return r.data

    def role(self, name, account, **extra):
        body = {"acme_account_name": account, "allowed_domains": ["example.net"],
                "allowed_domain_options": ["subdomains", "wildcards"]}
        body.update(extra)
        r = self.c.write(f"{M}/role/{name}", body)
        self.assertEqual(r.status, 200, r)

    def order(self, role, idents):
        r = self.c.write(f"{M}/role/{role}/new-order", {"identifiers": idents})
        self.assertEqual(r.status, 200, r)
        return r.data["order_id"]

    def status(self, oid):
        return self.c.read(f"{M}/lookup/order/{oid}").data

    def advance(self, seconds):
        self.c.sim("POST", "advance", {"seconds": seconds})

    def walk(self, oid, steps=40):
        """Statuses seen stepping the clock 0.5 s at a time until terminal."""
        seen = [self.status(oid)["order_status"]]
        for _ in range(steps):
            if seen[-1] in ("completed", "error", "expired", "revoked"):
                break
            self.advance(0.5)
            s = self.status(oid)["order_status"]
            if s != seen[-1]:
                seen.append(s)
        return seen

    # ---- accounts ------------------------------------------------------------------

    def test_account_create_needs_directory_and_contacts(self):
        for body, word in (({"email_contacts": ["a@b.c"]}, "directory_url"),
                           ({"directory_url": DIR}, "email_contacts"),
                           ({"directory_url": DIR, "email_contacts": []}, "email_contacts"),
                           ({"directory_url": DIR, "email_contacts": ["a@b.c"],
                             "key_type": "dsa-1024"}, "key_type")):
            r = self.c.write(f"{M}/config/acme-account/incomplete", body)
            self.assertEqual(r.status, 400, body)
            self.assertIn(word, r.errors[0])
        self.assertEqual(self.c.read(f"{M}/config/acme-account/incomplete").status, 404)

    def test_account_read_fields(self):
        self.account("reader", key_type="ec-384")
        d = self.c.read(f"{M}/config/acme-account/reader").data
        self.assertEqual(d["name"], "reader")
        self.assertEqual(d["directory_url"], DIR)
        self.assertEqual(d["email_contacts"], ["ops@example.org"])
        self.assertEqual(d["active_key_version"], 1)
        self.assertEqual(d["account_keys"], {"1": {"key_type": "ec-384", "key_version": 1,
                                                   "key_creation_date": d["creation_date"]}})
        self.assertEqual(d["trusted_ca"], "")
        self.assertIn("last_updated_date", d)

    def test_account_update_only_trusted_ca(self):
        self.account("upd")
        r = self.c.request("PUT", f"/v1/{M}/config/acme-account/upd", {"trusted_ca": CA_PEM})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["trusted_ca"], CA_PEM)
        for field, value in (("directory_url", "https://other.example.test/dir"),
                             ("email_contacts", ["new@example.org"]), ("key_type", "rsa-2048")):
            r = self.c.request("PUT", f"/v1/{M}/config/acme-account/upd", {field: value})
            self.assertEqual(r.status, 400, field)
            self.assertIn("only trusted_ca", r.errors[0])
        d = self.c.read(f"{M}/config/acme-account/upd").data
        self.assertEqual((d["directory_url"], d["email_contacts"]), (DIR, ["ops@example.org"]))
        # the same values again (an idempotent setup script) are no change
        r = self.c.write(f"{M}/config/acme-account/upd",
                         {"directory_url": DIR, "email_contacts": ["ops@example.org"]})
        self.assertEqual(r.status, 200, r)

    def test_account_import(self):
        key = ec.generate_private_key(ec.SECP384R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        r = self.c.write(f"{M}/config/acme-account/imported/import",
                         {"account_key": pem, "directory_url": DIR})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["account_keys"]["1"]["key_type"], "ec-384")
        self.assertNotIn(pem, r.raw.decode())
        # orders of its roles carry that key's thumbprint
        self.role("imp", "imported")
        oid = self.order("imp", ["i.example.net"])
        self.advance(5)
        ch = self.c.read(f"{M}/role/imp/order/{oid}/challenge?identifier=i.example.net"
                         f"&challenge_type=http-01").data
        self.assertEqual(ch["challenge_auth"].split(".")[1], certs.jwk_thumbprint(key))
        r = self.c.write(f"{M}/config/acme-account/bad-key/import",
                         {"account_key": "-----BEGIN PRIVATE KEY-----\nxx\n", "directory_url": DIR})
        self.assertEqual(r.status, 400)
        self.assertIn("account_key", r.errors[0])
        r = self.c.write(f"{M}/config/acme-account/imported/import",
                         {"account_key": pem, "directory_url": DIR})
        self.assertEqual(r.status, 400)     # exists already

    def test_account_delete_refused_while_a_role_uses_it(self):
        self.account("busy")
        self.role("busy-role", "busy")
        r = self.c.request("DELETE", f"/v1/{M}/config/acme-account/busy")
        self.assertEqual(r.status, 400)
        self.assertIn("busy-role", r.errors[0])
        self.assertEqual(self.c.read(f"{M}/config/acme-account/busy").status, 200)
        self.assertEqual(self.c.request("DELETE", f"/v1/{M}/role/busy-role").status, 204)
        self.assertEqual(self.c.request("DELETE", f"/v1/{M}/config/acme-account/busy").status,
                         204)
        self.assertEqual(self.c.read(f"{M}/config/acme-account/busy").status, 404)

    def test_rotate_key_refused_while_orders_pending_unless_force(self):
        self.account("rot")
        self.role("rot-role", "rot")
        oid = self.order("rot-role", ["r.example.net"])
        r = self.c.write(f"{M}/config/acme-account/rot/rotate-key", {"key_type": "rsa-2048"})
        self.assertEqual(r.status, 400)
        self.assertIn("pending", r.errors[0])
        self.assertEqual(self.c.read(f"{M}/config/acme-account/rot").data["active_key_version"],
                         1)
        r = self.c.write(f"{M}/config/acme-account/rot/rotate-key",
                         {"key_type": "rsa-2048", "force": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual({k: r.data[k] for k in ("name", "old_active_key_version",
                                                 "new_active_key_version", "key_type")},
                         {"name": "rot", "old_active_key_version": 1,
                          "new_active_key_version": 2, "key_type": "rsa-2048"})
        self.assertIn("rotated_at", r.data)
        d = self.c.read(f"{M}/config/acme-account/rot").data
        self.assertEqual(d["active_key_version"], 2)
        self.assertEqual(sorted(d["account_keys"]), ["1", "2"])
        self.assertEqual(d["account_keys"]["2"]["key_type"], "rsa-2048")
        # new orders use the new key, the pending one keeps its own
        self.advance(5)
        q = "identifier=r.example.net&challenge_type=http-01"
        old = self.c.read(f"{M}/role/rot-role/order/{oid}/challenge?{q}").data["challenge_auth"]
        new_oid = self.order("rot-role", ["r.example.net"])
        self.advance(5)
        new = self.c.read(f"{M}/role/rot-role/order/{new_oid}/challenge?{q}").data
        self.assertNotEqual(old.split(".")[1], new["challenge_auth"].split(".")[1])
        self.assertEqual(self.c.write(f"{M}/config/acme-account/none/rotate-key", {}).status, 404)

    # ---- roles ------------------------------------------------------------------------

    def test_role_delete_refused_while_orders_active_unless_force(self):
        self.account("rd")
        self.role("rd-role", "rd")
        self.order("rd-role", ["d.example.net"])
        r = self.c.request("DELETE", f"/v1/{M}/role/rd-role")
        self.assertEqual(r.status, 400)
        self.assertIn("force", r.errors[0])
        self.assertEqual(self.c.read(f"{M}/role/rd-role").status, 200)
        r = self.c.request("DELETE", f"/v1/{M}/role/rd-role", {"force": True})
        self.assertEqual(r.status, 204)
        self.assertEqual(self.c.read(f"{M}/role/rd-role").status, 404)

    # ---- DNS providers -----------------------------------------------------------------

    def test_four_provider_types_secrets_write_only(self):
        bodies = {
            "aws-route53/prod": {"identifiers": ["*.aws.example.org"], "region": "eu-west-1",
                                 "hosted_zone_id": "Z1", "secret_access_key": "AWS-SECRET"},
            "azure-dns/corp": {"identifiers": ["*.az.example.org"], "zone_name": "az.example.org",
                               "tenant_id": "t", "subscription_id": "s",
                               "resource_group_name": "rg", "environment": "AzurePublicCloud",
                               "client_secret": "AZ-SECRET"},
            "google-cloud-dns/gc": {"identifiers": ["gc.example.org"], "project": "p",
                                    "zone_name": "z", "credentials": "GC-SECRET"},
            "rfc2136/internal": {"identifiers": ["*.rfc.example.org"],
                                 "nameserver": "127.0.0.1:5353", "tsig_key_name": "k.",
                                 "tsig_secret": TSIG, "ttl": "30s"},
        }
        m = "dns-four"      # a mount of its own: the listing holds only these
        self.assertEqual(self.c.write(f"sys/mounts/{m}", {"type": "pki-external-ca"}).status, 204)
        self.c.sim("DELETE", "requests")
        for key, body in bodies.items():
            r = self.c.write(f"{m}/config/dns/{key}", body)
            self.assertEqual(r.status, 200, (key, r))
        secrets = ("AWS-SECRET", "AZ-SECRET", "GC-SECRET", TSIG)
        for key in bodies:
            r = self.c.read(f"{m}/config/dns/{key}")
            typ, name = key.split("/")
            self.assertEqual((r.data["type"], r.data["name"]), (typ, name))
            for s in secrets:
                self.assertNotIn(s, r.raw.decode(), key)
            for k in ("secret_access_key", "client_secret", "credentials", "tsig_secret"):
                self.assertNotIn(k, r.data)
        self.assertEqual(self.c.read(f"{m}/config/dns/aws-route53/prod").data["ttl"], 60)
        self.assertEqual(self.c.read(f"{m}/config/dns/google-cloud-dns/gc").data["ttl"], 10)
        d = self.c.read(f"{m}/config/dns/rfc2136/internal").data
        self.assertEqual((d["ttl"], d["tsig_algorithm"], d["nameserver"]),
                         (30, "hmac-sha1", "127.0.0.1:5353"))
        d = self.c.read(f"{m}/config/dns/azure-dns/corp").data
        self.assertEqual(d["resource_group_name"], "rg")
        r = self.c.list(f"{m}/config/dns")
        self.assertEqual(r.data["keys"], sorted(bodies))
        self.assertEqual(r.data["key_info"]["rfc2136/internal"],
                         {"name": "internal", "type": "rfc2136"})
        self.assertEqual(self.c.list(f"{m}/config/dns/rfc2136").data["keys"], ["internal"])
        self.assertEqual(self.c.list(f"{m}/config/dns/azure-dns").data["keys"], ["corp"])
        log = self.c.sim("GET", "requests").raw.decode()
        for s in secrets:
            self.assertNotIn(s, log)
        self.assertIn('"tsig_secret": "<redacted>"', log)
        for key in bodies:
            self.assertEqual(self.c.request("DELETE", f"/v1/{m}/config/dns/{key}").status, 204)
        self.assertEqual(self.c.list(f"{m}/config/dns").json, {"errors": []})

    def test_provider_input_checked(self):
        base = {"nameserver": "127.0.0.1:53", "identifiers": ["*.x.example.org"]}
        for bad, word in (({"identifiers": []}, "identifiers"),
                          ({"identifiers": ["a.*.example.org"]}, "leftmost"),
                          ({"identifiers": ["**.example.org"]}, "leftmost"),
                          ({"identifiers": ["exa mple.org"]}, "DNS name"),
                          ({"nameserver": "ns.example.org"}, "nameserver"),
                          ({"tsig_algorithm": "md5"}, "tsig_algorithm"),
                          ({"tsig_secret": "not base64!"}, "base64"),
                          ({"ttl": "soon"}, "ttl")):
            body = dict(base, **bad)
            r = self.c.write(f"{M}/config/dns/rfc2136/bad", body)
            self.assertEqual(r.status, 400, bad)
            self.assertIn(word, r.errors[0])
        r = self.c.write(f"{M}/config/dns/rfc2136/bad", {"identifiers": ["a.example.org"]})
        self.assertEqual(r.status, 400)     # rfc2136 needs its nameserver
        r = self.c.write(f"{M}/config/dns/cloudflare/cf", {"identifiers": ["a.example.org"]})
        self.assertEqual(r.status, 404)     # not one of the four types
        self.assertEqual(self.c.read(f"{M}/config/dns/rfc2136/bad").status, 404)

    def test_dns_test_workflow(self):
        self.c.write(f"{M}/config/dns/rfc2136/wf", {"identifiers": ["*.wf.example.org"],
                                                    "nameserver": "127.0.0.1:53"})
        r = self.c.write(f"{M}/dns/test/workflow", {
            "identifier": "*.a.wf.example.org", "provider_type": "rfc2136",
            "provider_name": "wf", "omit_cleanup": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual({k: r.data[k] for k in ("success", "identifier", "provider_type",
                                                 "provider_name", "record_name")},
                         {"success": True, "identifier": "*.a.wf.example.org",
                          "provider_type": "rfc2136", "provider_name": "wf",
                          "record_name": "_acme-challenge.a.wf.example.org"})
        self.assertTrue(r.data["message"])
        self.assertNotIn("errors", r.data)
        for ident, name, word in (("x.other.example.org", "wf", "not covered"),
                                  ("x.wf.example.org", "nope", "not configured")):
            r = self.c.write(f"{M}/dns/test/workflow", {"identifier": ident,
                                                        "provider_type": "rfc2136",
                                                        "provider_name": name})
            self.assertEqual(r.data["success"], False)
            self.assertIn(word, r.data["errors"][0])
            self.assertEqual(r.data["record_name"], f"_acme-challenge.{ident}")
        self.assertEqual(self.c.write(f"{M}/dns/test/workflow", {"identifier": "a"}).status, 400)

    # ---- Vault's own dns-01 ----------------------------------------------------------

    def dns_setup(self, name):
        self.account(f"{name}-acct")
        self.role(name, f"{name}-acct", allowed_challenge_types=["dns-01", "http-01"])
        r = self.c.write(f"{M}/config/dns/rfc2136/{name}",
                         {"identifiers": [f"*.{name}.example.net"], "nameserver": "127.0.0.1:53"})
        self.assertEqual(r.status, 200, r)

    def test_automatic_order_walks_vault_statuses(self):
        self.dns_setup("auto")
        ident = "www.auto.example.net"
        oid = self.order("auto", [ident, "*.auto.example.net"])
        self.assertEqual(self.walk(oid), VAULT_WALK)
        d = self.status(oid)
        self.assertRegex(d["serial_number"], r"^[0-9a-f]{2}(:[0-9a-f]{2})+$")
        chs = {c["challenge_type"]: c["challenge_status"] for c in d["challenges"][ident]}
        self.assertEqual(chs["dns-01"], "valid")
        self.assertEqual(chs["http-01"], "pending")
        r = self.c.read(f"{M}/role/auto/order/{oid}/fetch-cert")
        self.assertEqual(r.status, 200, r)

    def test_automatic_dns_challenges_pending_processing_valid(self):
        self.dns_setup("chal")
        ident = "a.chal.example.net"
        oid = self.order("chal", [ident])
        seen = []
        for _ in range(40):
            d = self.status(oid)
            st = next((c["challenge_status"] for c in d["challenges"].get(ident, [])
                       if c["challenge_type"] == "dns-01"), None)
            if st and (not seen or seen[-1][1] != st):
                seen.append((d["order_status"], st))
            if d["order_status"] == "completed":
                break
            self.advance(0.5)
        self.assertEqual([s for _, s in seen], ["pending", "processing", "valid"])
        self.assertEqual(dict((s, o) for o, s in seen)["processing"], "processing-challenge")

    def test_hybrid_waits_for_the_operator_then_vault(self):
        self.dns_setup("hyb")
        auto, manual = "a.hyb.example.net", "m.example.net"
        oid = self.order("hyb", [auto, manual])
        self.advance(30)
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")
        path = f"{M}/role/hyb/order/{oid}/fulfilled-challenge"
        r = self.c.write(path, {"identifier": auto, "challenge_type": "dns-01"})
        self.assertEqual(r.status, 400)        # Vault's, not the operator's
        self.assertIn("rfc2136/hyb", r.errors[0])
        self.advance(30)
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")
        r = self.c.write(path, {"identifier": manual, "challenge_type": "http-01"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.walk(oid), VAULT_WALK[2:])

    def test_covered_identifier_that_never_propagates_errors_with_pending(self):
        self.dns_setup("prop")
        oid = self.order("prop", ["fail.x.prop.example.net"])
        self.assertEqual(self.walk(oid, 60),
                         ["new", "submitted", "vault-challenge-fulfillment",
                          "vault-challenge-propagating", "error"])
        d = self.status(oid)
        self.assertIn("propagate", d["last_error"])
        chs = d["challenges"]["fail.x.prop.example.net"]
        self.assertEqual({c["challenge_status"] for c in chs}, {"pending"})

    def test_role_without_dns01_is_not_fulfilled_by_vault(self):
        self.dns_setup("nodns")
        self.role("nodns-http", "nodns-acct", allowed_challenge_types=["http-01"])
        oid = self.order("nodns-http", ["a.nodns.example.net"])
        self.advance(10)
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")

    def test_provider_delete_refused_while_an_order_uses_it(self):
        self.dns_setup("inuse")
        oid = self.order("inuse", ["a.inuse.example.net", "b.example.net"])   # hybrid, waits
        self.advance(10)
        r = self.c.request("DELETE", f"/v1/{M}/config/dns/rfc2136/inuse")
        self.assertEqual(r.status, 400)
        self.assertIn("in use", r.errors[0])
        r = self.c.write(f"{M}/role/inuse/order/{oid}/fulfilled-challenge",
                         {"identifier": "b.example.net", "challenge_type": "http-01"})
        self.assertEqual(r.status, 204, r)
        self.advance(30)
        self.assertEqual(self.status(oid)["order_status"], "completed")
        self.assertEqual(self.c.request("DELETE", f"/v1/{M}/config/dns/rfc2136/inuse").status,
                         204)


class SeededDnsTest(unittest.TestCase):
    def test_seeded_providers_and_vault_fulfilled_orders(self):
        with SimProcess("--seed-orders", "1000", "--time-scale", "0") as s, \
                SimProcess("--seed-orders", "1000", "--time-scale", "0") as twin:
            c = s.client()
            d = c.read(f"{M}/config/dns/rfc2136/internal-dns").data
            self.assertEqual(d["identifiers"], ["*.auto.example.net"])
            self.assertNotIn("tsig_secret", d)
            ids = c.list(f"{M}/lookup/orders").data["keys"]
            dns = {}
            for oid in ids:
                o = c.read(f"{M}/lookup/order/{oid}").data
                if o["role_name"] == "auto-dns":
                    dns[oid] = o
            self.assertEqual(len(dns), 5)
            statuses = sorted(o["order_status"] for o in dns.values())
            self.assertEqual(statuses.count("completed"), 2)
            self.assertIn("awaiting-challenge-fulfillment", statuses)
            self.assertIn("error", statuses)
            self.assertTrue(set(statuses) & set(VAULT_WALK[4:7]), statuses)   # in flight
            hybrid = next(o for o in dns.values()
                          if o["order_status"] == "awaiting-challenge-fulfillment")
            self.assertEqual(len(hybrid["identifiers"]), 2)
            failed = next(o for o in dns.values() if o["order_status"] == "error")
            self.assertEqual({ch["challenge_status"] for chs in failed["challenges"].values()
                              for ch in chs}, {"pending"})
            # the provider covering the waiting hybrid order may not go
            r = c.request("DELETE", f"/v1/{M}/config/dns/rfc2136/internal-dns")
            self.assertEqual(r.status, 400)
            # deterministic: a second simulator with the same seed has the same orders
            t = twin.client()
            for oid, o in dns.items():
                self.assertEqual(t.read(f"{M}/lookup/order/{oid}").data["identifiers"],
                                 o["identifiers"])
            c.close()
            t.close()


if __name__ == "__main__":
    unittest.main()
