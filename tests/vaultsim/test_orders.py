# test_orders.py: the PKI External CA surface on the scripted backend:
# accounts, roles, new-order checks, the order state machine on a frozen
# clock moved with /_sim/advance, challenges, fulfillment, certificates
# (verified with openssl against the simulator CA), revoke, active-orders,
# cached, lookups, CSR workflow, key types, order patching.

import base64
import datetime
import os
import subprocess
import tempfile
import time
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from vsim.testkit import SimProcess

M = "pki-external-ca"
ZERO = "0001-01-01T00:00:00Z"


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


class OrdersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--time-scale", "0")
        cls.sim.start()
        c = cls.sim.client()
        r = c.write(f"{M}/config/acme-account/acct", {
            "directory_url": "https://acme.example.test/dir",
            "email_contacts": ["ops@example.com"]})
        assert r.status == 200, r
        for name, extra in (("web", {}),
                            ("rsa", {"csr_generate_key_type": "rsa-2048",
                                     "csr_identifier_population": "sans_only"}),
                            ("dnsonly", {"allowed_challenge_types": ["dns-01"]}),
                            ("httponly", {"allowed_challenge_types": ["http-01"]})):
            body = {"acme_account_name": "acct", "allowed_domains": ["example.com"],
                    "allowed_domain_options": ["bare_domains", "subdomains", "wildcards"]}
            body.update(extra)
            r = c.write(f"{M}/role/{name}", body)
            assert r.status == 200, r
        cls.ca = c.sim("GET", "ca").json
        c.close()
        cls.tmp = tempfile.mkdtemp(prefix="vsim-test-")
        cls.root_file = os.path.join(cls.tmp, "root.pem")
        cls.issuer_file = os.path.join(cls.tmp, "issuer.pem")
        with open(cls.root_file, "w") as f:
            f.write(cls.ca["root_pem"])
        with open(cls.issuer_file, "w") as f:
            f.write(cls.ca["issuer_pem"])

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())
        import shutil
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    # ---- helpers ------------------------------------------------------------------

    def advance(self, seconds):
        r = self.c.sim("POST", "advance", {"seconds": seconds})
        self.assertEqual(r.status, 200)

    def new_order(self, role="web", **body):
        r = self.c.write(f"{M}/role/{role}/new-order", body)
        self.assertEqual(r.status, 200, r)
        return r.data["order_id"]

    def status(self, oid, role="web"):
        r = self.c.read(f"{M}/role/{role}/order/{oid}/status")
        self.assertEqual(r.status, 200, r)
        return r.data

    def challenge(self, oid, ident, ctype="http-01", role="web"):
        return self.c.read(f"{M}/role/{role}/order/{oid}/challenge?identifier={ident}"
                           f"&challenge_type={ctype}")

    def fulfill(self, oid, ident, ctype="http-01", role="web"):
        return self.c.write(f"{M}/role/{role}/order/{oid}/fulfilled-challenge",
                            {"identifier": ident, "challenge_type": ctype})

    def complete(self, role="web", ctype="http-01", **body):
        oid = self.new_order(role, **body)
        self.advance(5)
        for ident in self.status(oid, role)["identifiers"]:
            self.assertEqual(self.fulfill(oid, ident, ctype, role).status, 204)
        self.advance(3)
        self.assertEqual(self.status(oid, role)["order_status"], "completed")
        return oid

    def active(self, role):
        r = self.c.list(f"{M}/role/{role}/active-orders")
        if r.status == 404:
            self.assertEqual(r.json, {"errors": []})
            return []
        self.assertEqual(r.status, 200)
        return r.data["keys"]

    def openssl_verify(self, cert_pem):
        path = os.path.join(self.tmp, "leaf.pem")
        with open(path, "w") as f:
            f.write(cert_pem)
        sim_now = int(self.c.sim("GET", "health").json["now_epoch"])   # verify at sim time
        p = subprocess.run(["openssl", "verify", "-attime", str(sim_now), "-CAfile",
                            self.root_file, "-untrusted", self.issuer_file, path],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    # ---- accounts and roles ----------------------------------------------------------

    def test_account_fields(self):
        d = self.c.read(f"{M}/config/acme-account/acct").data
        for k in ("name", "directory_url", "email_contacts", "active_key_version",
                  "account_keys", "trusted_ca", "creation_date", "last_updated_date"):
            self.assertIn(k, d)
        self.assertEqual(d["directory_url"], "https://acme.example.test/dir")
        self.assertEqual(d["email_contacts"], ["ops@example.com"])
        self.assertEqual(self.c.list(f"{M}/config/acme-account").data["keys"], ["acct"])
        self.assertEqual(self.c.read(f"{M}/config/acme-account/none").status, 404)
        r = self.c.write(f"{M}/config/acme-account/bad", {"trusted_ca": "not a pem"})
        self.assertEqual(r.status, 400)

    def test_role_fields_and_validation(self):
        d = self.c.read(f"{M}/role/rsa").data
        self.assertEqual(d["name"], "rsa")
        self.assertEqual(d["acme_account_name"], "acct")
        self.assertEqual(d["allowed_domains"], ["example.com"])
        self.assertEqual(d["allowed_domain_options"], ["bare_domains", "subdomains", "wildcards"])
        self.assertEqual(d["allowed_challenge_types"], ["http-01", "dns-01", "tls-alpn-01"])
        self.assertEqual(d["csr_generate_key_type"], "rsa-2048")
        self.assertEqual(d["csr_identifier_population"], "sans_only")
        parse_time(d["creation_date"])
        parse_time(d["last_updated_date"])
        self.assertEqual(sorted(self.c.list(f"{M}/role").data["keys"]),
                         ["dnsonly", "httponly", "rsa", "web"])
        self.assertEqual(self.c.read(f"{M}/role/nope").status, 404)
        for bad in ({"acme_account_name": "missing"},
                    {"acme_account_name": "acct", "csr_generate_key_type": "dsa"},
                    {"acme_account_name": "acct", "allowed_domain_options": ["everything"]},
                    {"acme_account_name": "acct", "allowed_challenge_types": ["http-02"]},
                    {"acme_account_name": "acct", "csr_identifier_population": "cn_last"}):
            r = self.c.write(f"{M}/role/bad", bad)
            self.assertEqual(r.status, 400, bad)
            self.assertTrue(r.errors[0])

    def test_dns_configs(self):
        r = self.c.write(f"{M}/config/dns/aws-route53/production",
                         {"region": "eu-west-1", "identifiers": ["*.prod.example.org"]})
        self.assertEqual(r.status, 200)
        r = self.c.list(f"{M}/config/dns")
        self.assertIn("aws-route53/production", r.data["keys"])
        self.assertEqual(r.data["key_info"]["aws-route53/production"],
                         {"name": "production", "type": "aws-route53"})

    # ---- new-order checks ----------------------------------------------------------

    def test_new_order_input_errors(self):
        csr = self.make_csr(["a.example.com"])
        cases = [
            ({"identifiers": ["a.example.com"], "csr": csr}, "mutually exclusive"),
            ({}, "one of identifiers or csr"),
            ({"identifiers": ["a.other.org"]}, "not allowed by role"),
            ({"identifiers": ["exa mple.com"]}, "not a valid DNS name"),
            ({"identifiers": ["a.example.com", "A.example.com"]}, "twice"),
            ({"csr": "-----BEGIN CERTIFICATE REQUEST-----\nxx\n"}, "csr"),
        ]
        for body, text in cases:
            r = self.c.write(f"{M}/role/web/new-order", body)
            self.assertEqual(r.status, 400, body)
            self.assertIn(text, r.errors[0], r)
        r = self.c.write(f"{M}/role/httponly/new-order", {"identifiers": ["*.example.com"]})
        self.assertEqual(r.status, 400)
        self.assertIn("dns-01", r.errors[0])
        r = self.c.write(f"{M}/role/nope/new-order", {"identifiers": ["a.example.com"]})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.c.read(f"{M}/role/web/order/nope/status").status, 404)
        self.assertEqual(self.c.read(f"{M}/lookup/order/nope").status, 404)

    def test_identifiers_as_comma_string(self):
        oid = self.new_order(identifiers="c1.example.com,c2.example.com")
        self.assertEqual(self.status(oid)["identifiers"], ["c1.example.com", "c2.example.com"])

    # ---- the state machine --------------------------------------------------------------

    def test_lifecycle_statuses_times_and_certificate(self):
        oid = self.new_order(identifiers=["life.example.com"])
        d = self.status(oid)
        for k in ("order_status", "role_name", "identifiers", "csr", "creation_date",
                  "last_update", "next_work_date", "expires", "last_error", "serial_number",
                  "challenges"):
            self.assertIn(k, d)
        self.assertEqual(d["order_status"], "new")
        self.assertEqual(d["challenges"], {})
        self.assertEqual(d["csr"], "")
        self.assertEqual(d["last_error"], "")
        self.assertEqual(d["serial_number"], "")
        self.assertEqual(d["creation_date"], d["last_update"])
        created = parse_time(d["creation_date"])
        self.assertEqual(parse_time(d["expires"]) - created, datetime.timedelta(days=7))
        self.assertGreater(parse_time(d["next_work_date"]), created)
        r = self.challenge(oid, "life.example.com")
        self.assertEqual(r.status, 400)
        self.assertIn("no challenges yet", r.errors[0])

        self.advance(1)
        self.assertEqual(self.status(oid)["last_update"], d["last_update"])  # no change yet
        self.advance(1)
        d2 = self.status(oid)
        self.assertEqual(d2["order_status"], "submitted")
        self.assertEqual(parse_time(d2["last_update"]) - created, datetime.timedelta(seconds=2))
        self.assertEqual([c["challenge_type"] for c in d2["challenges"]["life.example.com"]],
                         ["http-01", "dns-01", "tls-alpn-01"])
        self.advance(3)
        d3 = self.status(oid)
        self.assertEqual(d3["order_status"], "awaiting-challenge-fulfillment")
        self.assertEqual(d3["next_work_date"], d3["next_work_date"])
        self.assertNotEqual(d3["next_work_date"], ZERO)

        ch = self.challenge(oid, "life.example.com").data
        self.assertRegex(ch["challenge_token"], r"^[A-Za-z0-9_-]{43}$")
        token, thumb = ch["challenge_auth"].split(".")
        self.assertEqual(token, ch["challenge_token"])
        self.assertRegex(thumb, r"^[A-Za-z0-9_-]{43}$")
        self.assertEqual(ch["challenge_status"], "pending")
        self.assertEqual(ch["expires"], d["expires"])
        dns = self.challenge(oid, "life.example.com", "dns-01").data
        self.assertNotEqual(dns["challenge_token"], token)
        self.assertEqual(dns["challenge_auth"].split(".")[1], thumb)   # same account key
        self.assertEqual(self.challenge(oid, "other.example.com").status, 400)
        self.assertEqual(self.challenge(oid, "life.example.com", "http-02").status, 400)

        self.assertEqual(self.c.read(f"{M}/role/web/order/{oid}/fetch-cert").status, 400)
        self.assertEqual(self.fulfill(oid, "life.example.com").status, 204)
        d4 = self.status(oid)
        self.assertEqual(d4["order_status"], "fetching-certificate")
        self.assertEqual(d4["serial_number"], "")
        self.assertEqual(self.challenge(oid, "life.example.com").data["challenge_status"],
                         "processing")
        self.advance(1)
        self.assertEqual(self.challenge(oid, "life.example.com").data["challenge_status"],
                         "valid")
        self.advance(2)
        d5 = self.status(oid)
        self.assertEqual(d5["order_status"], "completed")
        self.assertEqual(d5["next_work_date"], ZERO)
        self.assertRegex(d5["serial_number"], r"^[0-9a-f]{2}(:[0-9a-f]{2})+$")
        self.assertEqual(self.c.read(f"{M}/lookup/order/{oid}").data, d5)
        self.assertNotIn(oid, self.active("web"))

        fc = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert").data
        for k in ("certificate", "ca_chain", "private_key", "private_key_type", "serial_number",
                  "not_before", "not_after", "authority_key_id", "certificate_format"):
            self.assertIn(k, fc)
        self.assertEqual(fc["certificate_format"], "pem")
        self.assertEqual(fc["serial_number"], d5["serial_number"])
        self.assertEqual(fc["private_key_type"], "ec")
        cert = x509.load_pem_x509_certificate(fc["certificate"].encode())
        self.assertEqual(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value,
                         "life.example.com")
        key = serialization.load_pem_private_key(fc["private_key"].encode(), None)
        self.assertEqual(key.public_key().public_numbers(), cert.public_key().public_numbers())
        self.assertEqual(self.c.read(f"{M}/role/web/order/{oid}/fetch-cert").data["certificate"],
                         fc["certificate"])
        rc, out = self.openssl_verify(fc["certificate"])
        self.assertEqual(rc, 0, out)
        self.assertEqual(len(fc["ca_chain"]), 2)
        self.assertEqual(fc["ca_chain"][1], self.ca["root_pem"])
        self.assertEqual(parse_time(fc["not_after"]) - parse_time(fc["not_before"]),
                         datetime.timedelta(days=90))

        lc = self.c.read(f"{M}/lookup/cert/{fc['serial_number']}").data
        self.assertEqual(lc["order_id"], oid)
        self.assertEqual(lc["order_status"], "completed")
        self.assertEqual(lc["role_name"], "web")
        self.assertEqual(lc["identifiers"], ["life.example.com"])
        self.assertEqual((lc["not_before"], lc["not_after"]), (fc["not_before"], fc["not_after"]))
        self.assertEqual(self.c.read(f"{M}/lookup/cert/00:11").status, 404)

        r = self.c.write(f"{M}/role/web/order/{oid}/revoke", {"reason": "stolen"})
        self.assertEqual(r.status, 400)
        self.advance(5)
        r = self.c.write(f"{M}/role/web/order/{oid}/revoke", {"reason": "key_compromise"})
        self.assertEqual(r.status, 204)
        d6 = self.status(oid)
        self.assertEqual(d6["order_status"], "revoked")
        self.assertNotEqual(d6["last_update"], d5["last_update"])
        self.assertEqual(d6["serial_number"], d5["serial_number"])
        self.assertEqual(self.c.write(f"{M}/role/web/order/{oid}/revoke", {}).status, 400)
        self.assertEqual(self.c.read(f"{M}/lookup/cert/{fc['serial_number']}")
                         .data["order_status"], "revoked")

    def test_certificate_formats(self):
        oid = self.complete(identifiers=["fmt.example.com", "fmt2.example.com"])
        pem = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert?certificate_format=pem").data
        bundle = self.c.read(
            f"{M}/role/web/order/{oid}/fetch-cert?certificate_format=pem_bundle").data
        der = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert?certificate_format=der").data
        self.assertEqual(bundle["certificate"], pem["certificate"] + "".join(pem["ca_chain"]))
        self.assertEqual(bundle["certificate_format"], "pem_bundle")
        cert = x509.load_der_x509_certificate(base64.b64decode(der["certificate"]))
        self.assertEqual(cert, x509.load_pem_x509_certificate(pem["certificate"].encode()))
        x509.load_der_x509_certificate(base64.b64decode(der["ca_chain"][0]))
        serialization.load_der_private_key(base64.b64decode(der["private_key"]), None)
        self.assertEqual(der["certificate_format"], "der")
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName),
                         ["fmt.example.com", "fmt2.example.com"])
        r = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert?certificate_format=pkcs12")
        self.assertEqual(r.status, 400)

    def test_multi_identifier_needs_every_identifier(self):
        oid = self.new_order(identifiers=["m1.example.com", "m2.example.com"])
        self.advance(5)
        self.assertEqual(self.fulfill(oid, "m1.example.com").status, 204)
        self.assertEqual(self.fulfill(oid, "m1.example.com").status, 204)  # idempotent
        self.advance(10)
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")
        self.assertEqual(self.fulfill(oid, "m2.example.com", "dns-01").status, 204)
        self.assertEqual(self.status(oid)["order_status"], "fetching-certificate")
        self.advance(3)
        self.assertEqual(self.status(oid)["order_status"], "completed")

    def test_fail_identifier_ends_in_error_with_reason(self):
        oid = self.new_order(identifiers=["fail.example.com"])
        self.advance(5)
        tok = self.challenge(oid, "fail.example.com").data["challenge_token"]
        self.assertEqual(self.fulfill(oid, "fail.example.com").status, 204)
        self.advance(1)
        d = self.status(oid)
        self.assertEqual(d["order_status"], "error")
        self.assertIn("urn:ietf:params:acme:error:unauthorized", d["last_error"])
        self.assertIn(tok, d["last_error"])
        self.assertEqual(d["next_work_date"], ZERO)
        self.assertEqual(self.challenge(oid, "fail.example.com").data["challenge_status"],
                         "invalid")
        r = self.fulfill(oid, "fail.example.com", "dns-01")
        self.assertEqual(r.status, 400)

    def test_fulfill_rules(self):
        oid = self.new_order("dnsonly", identifiers=["d.example.com"])
        self.assertEqual(self.fulfill(oid, "d.example.com", "dns-01", "dnsonly").status, 400)
        self.advance(5)
        r = self.fulfill(oid, "d.example.com", "http-01", "dnsonly")
        self.assertEqual(r.status, 400)
        self.assertIn("not allowed by role", r.errors[0])
        self.assertEqual(self.status(oid, "dnsonly")["challenges"]["d.example.com"],
                         [{"challenge_type": "dns-01", "challenge_status": "pending",
                           "expires": self.status(oid, "dnsonly")["expires"]}])
        r = self.c.write(f"{M}/role/dnsonly/order/{oid}/fulfilled-challenge",
                         {"challenge_type": "dns-01"})
        self.assertEqual(r.status, 400)
        self.assertEqual(self.c.read(f"{M}/role/web/order/{oid}/status").status, 404)

    def test_wildcard_gets_only_dns01(self):
        oid = self.new_order(identifiers=["*.wild.example.com"])
        self.advance(5)
        chs = self.status(oid)["challenges"]["*.wild.example.com"]
        self.assertEqual([c["challenge_type"] for c in chs], ["dns-01"])

    def test_awaiting_order_expires_after_seven_days(self):
        oid = self.new_order(identifiers=["exp.example.com"])
        self.advance(7 * 86400 - 10)
        self.assertEqual(self.status(oid)["order_status"], "awaiting-challenge-fulfillment")
        self.assertIn(oid, self.active("web"))
        self.advance(11)
        d = self.status(oid)
        self.assertEqual(d["order_status"], "expired")
        self.assertEqual(d["last_update"], d["expires"])
        self.assertEqual(d["next_work_date"], ZERO)

    def test_frozen_clock_changes_nothing(self):
        oid = self.new_order(identifiers=["frozen.example.com"])
        a = self.c.read(f"{M}/lookup/order/{oid}").data
        time.sleep(1.1)
        self.assertEqual(self.c.read(f"{M}/lookup/order/{oid}").data, a)

    # ---- CSR workflow and key types -----------------------------------------------------

    def make_csr(self, names, key=None):
        key = key or ec.generate_private_key(ec.SECP256R1())
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                              critical=False)
               .sign(key, hashes.SHA256()))
        return csr.public_bytes(serialization.Encoding.PEM).decode()

    def test_csr_workflow(self):
        key = ec.generate_private_key(ec.SECP384R1())
        csr = self.make_csr(["csr.example.com", "csr2.example.com"], key)
        oid = self.complete(csr=csr)
        d = self.status(oid)
        self.assertEqual(d["csr"], csr)
        self.assertEqual(d["identifiers"], ["csr.example.com", "csr2.example.com"])
        fc = self.c.read(f"{M}/role/web/order/{oid}/fetch-cert").data
        self.assertEqual(fc["private_key"], "")
        cert = x509.load_pem_x509_certificate(fc["certificate"].encode())
        self.assertEqual(cert.public_key().public_numbers(), key.public_key().public_numbers())
        self.assertEqual(self.openssl_verify(fc["certificate"])[0], 0)
        r = self.c.write(f"{M}/role/web/new-order", {"csr": self.make_csr(["x.evil.org"])})
        self.assertEqual(r.status, 400)
        self.assertIn("not allowed", r.errors[0])

    def test_rsa_key_type_and_sans_only(self):
        oid = self.complete("rsa", identifiers=["rsa.example.com"])
        fc = self.c.read(f"{M}/role/rsa/order/{oid}/fetch-cert").data
        self.assertEqual(fc["private_key_type"], "rsa")
        self.assertIn("BEGIN RSA PRIVATE KEY", fc["private_key"])
        cert = x509.load_pem_x509_certificate(fc["certificate"].encode())
        self.assertIsInstance(cert.public_key(), rsa.RSAPublicKey)
        self.assertEqual(cert.public_key().key_size, 2048)
        self.assertEqual(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME), [])

    def test_cached(self):
        oid = self.complete(identifiers=["cache.example.com"])
        serial = self.status(oid)["serial_number"]
        base = f"{M}/role/web/cached?identifiers=cache.example.com"
        r = self.c.read(base)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.data["serial_number"], serial)
        self.assertIn("BEGIN CERTIFICATE", r.data["certificate"])
        self.assertEqual(self.c.read(base + "&min_validity_duration=2000h").data["serial_number"],
                         serial)
        self.assertEqual(self.c.read(base + "&min_validity_duration=2200h").status, 404)
        self.assertEqual(self.c.read(base + "&min_validity_percentage=90").status, 200)
        self.assertEqual(self.c.read(base + "&min_validity_percentage=101").status, 400)
        self.assertEqual(self.c.read(base + "&certificate_format=der").data["certificate_format"],
                         "der")
        self.assertEqual(self.c.read(f"{M}/role/web/cached?identifiers=zz.example.com").status,
                         404)
        self.assertEqual(self.c.read(f"{M}/role/web/cached").status, 400)

    def test_active_orders(self):
        self.assertEqual(self.c.list(f"{M}/role/nobody/active-orders").json, {"errors": []})
        oid = self.new_order("httponly", identifiers=["act.example.com"])
        self.assertIn(oid, self.active("httponly"))
        self.assertNotIn(oid, self.active("web"))

    # ---- /_sim/order patching -----------------------------------------------------------

    def test_patch_order_with_hostile_text(self):
        oid = self.new_order(identifiers=["patch.example.com"])
        before = self.status(oid)
        self.advance(1)
        hostile = "boom\x1b[31m\x07\u202e" + "A" * 5000
        r = self.c.sim("POST", "order", {"order_id": oid, "order_status": "weird\x1b]0;x\x07",
                                          "last_error": hostile,
                                          "identifiers": ["\x1b[2Jevil.example.com"]})
        self.assertEqual(r.status, 200, r)
        d = self.c.read(f"{M}/lookup/order/{oid}").data
        self.assertEqual(d["order_status"], "weird\x1b]0;x\x07")
        self.assertEqual(d["last_error"], hostile)
        self.assertEqual(d["identifiers"], ["\x1b[2Jevil.example.com"])
        self.assertNotEqual(d["last_update"], before["last_update"])
        self.assertNotEqual(d["next_work_date"], ZERO)      # unknown status: non-terminal
        self.assertIn(oid, self.active("web"))
        r = self.c.sim("POST", "order", {"order_id": oid, "nonsense": 1})
        self.assertEqual(r.status, 400)
        r = self.c.sim("POST", "order", {"order_id": oid, "delete": True})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.c.read(f"{M}/lookup/order/{oid}").status, 404)


    def test_patch_certificate_validity(self):
        oid = self.complete(identifiers=["validity.example.com"])
        serial = self.status(oid)["serial_number"]
        r = self.c.sim("POST", "order", {"order_id": oid, "cert_not_before": 1767225600,
                                          "cert_not_after": 1767225600 + 6 * 86400})
        self.assertEqual(r.status, 200, r)
        d = self.c.read(f"{M}/lookup/cert/{serial}").data
        self.assertEqual(d["not_before"][:19], "2026-01-01T00:00:00")
        self.assertEqual(d["not_after"][:19], "2026-01-07T00:00:00")
        pending = self.new_order(identifiers=["novalidity.example.com"])
        r = self.c.sim("POST", "order", {"order_id": pending, "cert_not_after": 1})
        self.assertEqual(r.status, 400)
        self.assertIn("no certificate", r.raw.decode() if isinstance(r.raw, bytes) else r.raw)


class PacingTest(unittest.TestCase):
    def test_time_scale_paces_orders_in_real_time(self):
        with SimProcess("--time-scale", "10") as sim:
            c = sim.client()
            c.write(f"{M}/config/acme-account/a", {"directory_url": "https://acme.example.test/d",
                                                   "email_contacts": ["ops@example.org"]})
            c.write(f"{M}/role/r", {"acme_account_name": "a"})
            oid = c.write(f"{M}/role/r/new-order", {"identifiers": ["p.example.org"]}) \
                .data["order_id"]
            self.assertEqual(c.read(f"{M}/lookup/order/{oid}").data["order_status"], "new")
            time.sleep(0.6)    # 6 simulated seconds
            self.assertEqual(c.read(f"{M}/lookup/order/{oid}").data["order_status"],
                             "awaiting-challenge-fulfillment")
            c.close()


class TimeFormatTest(unittest.TestCase):
    def test_offset_and_fractional_seconds(self):
        with SimProcess("--tz-offset=-04:00", "--time-nanos", "--seed-orders", "3") as sim:
            c = sim.client()
            oid = c.list(f"{M}/lookup/orders").data["keys"][0]
            d = c.read(f"{M}/lookup/order/{oid}").data
            c.close()
        rx = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?-04:00$"
        for k in ("creation_date", "last_update", "expires"):
            self.assertRegex(d[k], rx)
        self.assertIn(".", d["creation_date"])
        created = datetime.datetime.fromisoformat(d["creation_date"])
        self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - created)
                            .total_seconds()), 31 * 86400)


if __name__ == "__main__":
    unittest.main()
