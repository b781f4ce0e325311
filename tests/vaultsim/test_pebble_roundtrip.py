# test_pebble_roundtrip.py: the pebble backend against a real pebble
# (PebbleEnv): identifier workflow over http-01 (served by the test on the
# port pebble's VA checks) to a certificate that `openssl verify` accepts
# against pebble's root; a challenge marked fulfilled without being deployed
# ends in error with pebble's reason; a CSR-workflow order over dns-01 with
# pem_bundle and der formats; revocation reaching pebble; an imported account
# key and a rotated one, each validated by pebble.

import base64
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from vsim import certs
from vsim.http01_answers import Http01Answers
from vsim.pebble_env import PebbleEnv
from vsim.testkit import SimProcess

M = "pki-external-ca"
WAIT = 60.0


class PebbleRoundTripTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.env = PebbleEnv().start()
        try:
            cls.sim = SimProcess("--backend", "pebble").start()
        except Exception:
            cls.env.stop()
            raise
        cls.tmp = tempfile.mkdtemp(prefix="vsim-pebble-test-")
        c = cls.sim.client()
        with open(cls.env.ca_bundle) as f:
            trusted = f.read()
        r = c.write(f"{M}/config/acme-account/pebble", {
            "directory_url": cls.env.directory_url, "trusted_ca": trusted,
            "email_contacts": ["ops@example.test"]})
        assert r.status == 200, r
        cls.account = r.data
        for name, extra in (("rt", {"csr_generate_key_type": "ec-384",
                                    "csr_identifier_population": "sans_only"}),
                            ("rsa", {"csr_generate_key_type": "rsa-2048"})):
            body = {"acme_account_name": "pebble", "allowed_domains": ["example.test"],
                    "allowed_domain_options": ["subdomains"],
                    "allowed_challenge_types": ["http-01", "dns-01"]}
            body.update(extra)
            r = c.write(f"{M}/role/{name}", body)
            assert r.status == 200, r
        c.close()
        cls.root_file = os.path.join(cls.tmp, "pebble-root.pem")
        with open(cls.root_file, "w") as f:
            f.write(cls.env.root_pem())

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        if "Traceback" in cls.sim.stderr_text():   # a simulator bug surfaced
            raise AssertionError(cls.sim.stderr_text())
        cls.env.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.c = self.sim.client()

    def tearDown(self):
        self.c.close()

    def wait_status(self, oid, wanted, role="rt"):
        deadline = time.monotonic() + WAIT
        while True:
            d = self.c.read(f"{M}/role/{role}/order/{oid}/status").data
            if d["order_status"] in wanted:
                return d
            if time.monotonic() > deadline:
                self.fail(f"order {oid} still {d['order_status']} after {WAIT}s: {d}")
            time.sleep(0.1)

    def challenge(self, oid, ident, ctype, role="rt"):
        r = self.c.read(f"{M}/role/{role}/order/{oid}/challenge?identifier={ident}"
                        f"&challenge_type={ctype}")
        self.assertEqual(r.status, 200, r)
        return r.data

    def fulfill(self, oid, ident, ctype, role="rt"):
        r = self.c.write(f"{M}/role/{role}/order/{oid}/fulfilled-challenge",
                         {"identifier": ident, "challenge_type": ctype})
        self.assertEqual(r.status, 204, r)

    def verify(self, cert_pem, chain):
        leaf = os.path.join(self.tmp, "leaf.pem")
        untrusted = os.path.join(self.tmp, "chain.pem")
        with open(leaf, "w") as f:
            f.write(cert_pem)
        with open(untrusted, "w") as f:
            f.write("".join(chain))
        p = subprocess.run(["openssl", "verify", "-CAfile", self.root_file, "-untrusted",
                            untrusted, leaf], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("OK", p.stdout)

    def test_account_registered_at_pebble(self):
        self.assertEqual(self.account["active_key_version"], 1)
        self.assertEqual(self.account["account_keys"]["1"]["key_type"], "ec-256")
        self.assertEqual(self.account["account_keys"]["1"]["key_version"], 1)
        self.assertEqual(self.account["directory_url"], self.env.directory_url)
        self.assertIn("BEGIN CERTIFICATE", self.account["trusted_ca"])

    def test_http01_round_trip_to_verified_certificate_then_revoke(self):
        ident = "rt1.example.test"
        r = self.c.write(f"{M}/role/rt/new-order", {"identifiers": [ident]})
        self.assertEqual(r.status, 200, r)
        oid = r.data["order_id"]
        d = self.wait_status(oid, {"awaiting-challenge-fulfillment"})
        self.assertEqual({c["challenge_type"] for c in d["challenges"][ident]},
                         {"http-01", "dns-01"})
        ch = self.challenge(oid, ident, "http-01")
        self.assertEqual(ch["challenge_status"], "pending")
        token, thumb = ch["challenge_auth"].split(".")
        self.assertEqual(token, ch["challenge_token"])
        self.assertRegex(thumb, r"^[A-Za-z0-9_-]{43}$")   # pebble validating it proves it
        responder = Http01Answers(self.env.http01_port)
        try:
            responder.answers[ch["challenge_token"]] = ch["challenge_auth"]
            self.fulfill(oid, ident, "http-01")
            d = self.wait_status(oid, {"completed", "error"})
        finally:
            responder.close()
        self.assertEqual(d["order_status"], "completed", d)
        self.assertEqual(d["last_error"], "")
        self.assertEqual(self.challenge(oid, ident, "http-01")["challenge_status"], "valid")
        fc = self.c.read(f"{M}/role/rt/order/{oid}/fetch-cert").data
        self.assertEqual(fc["serial_number"], d["serial_number"])
        self.verify(fc["certificate"], fc["ca_chain"])
        cert = x509.load_pem_x509_certificate(fc["certificate"].encode())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertEqual(san.get_values_for_type(x509.DNSName), [ident])
        key = serialization.load_pem_private_key(fc["private_key"].encode(), None)
        self.assertIsInstance(key, ec.EllipticCurvePrivateKey)
        self.assertEqual(key.curve.name, "secp384r1")                  # role's key type
        self.assertEqual(key.public_key().public_numbers(), cert.public_key().public_numbers())
        self.assertEqual(fc["private_key_type"], "ec")
        lc = self.c.read(f"{M}/lookup/cert/{fc['serial_number']}").data
        self.assertEqual(lc["order_id"], oid)

        r = self.c.write(f"{M}/role/rt/order/{oid}/revoke", {"reason": "superseded"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.c.read(f"{M}/lookup/order/{oid}").data["order_status"], "revoked")
        st = self.env.cert_status(format(cert.serial_number, "x"))
        self.assertEqual(st["Status"], "Revoked")

    def test_fulfilled_without_deploying_ends_in_error(self):
        ident = "nothing-deployed.example.test"
        oid = self.c.write(f"{M}/role/rsa/new-order", {"identifiers": [ident]}).data["order_id"]
        self.wait_status(oid, {"awaiting-challenge-fulfillment"}, "rsa")
        self.fulfill(oid, ident, "http-01", "rsa")
        d = self.wait_status(oid, {"completed", "error"}, "rsa")
        self.assertEqual(d["order_status"], "error")
        self.assertIn("urn:ietf:params:acme:error", d["last_error"])
        self.assertIn(ident, d["last_error"])
        self.assertEqual(self.c.read(f"{M}/role/rsa/order/{oid}/fetch-cert").status, 400)

    def round_trip_dns01(self, role, ident):
        oid = self.c.write(f"{M}/role/{role}/new-order", {"identifiers": [ident]}).data["order_id"]
        self.wait_status(oid, {"awaiting-challenge-fulfillment"}, role)
        ch = self.challenge(oid, ident, "dns-01", role)
        self.env.set_dns01(ident, ch["challenge_auth"])
        try:
            self.fulfill(oid, ident, "dns-01", role)
            d = self.wait_status(oid, {"completed", "error"}, role)
        finally:
            self.env.clear_txt("_acme-challenge." + ident)
        self.assertEqual(d["order_status"], "completed", d)
        return ch["challenge_auth"].split(".")[1]

    def test_imported_then_rotated_account_key(self):
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        with open(self.env.ca_bundle) as f:
            trusted = f.read()
        r = self.c.write(f"{M}/config/acme-account/imp/import", {
            "account_key": pem, "directory_url": self.env.directory_url, "trusted_ca": trusted})
        self.assertEqual(r.status, 200, r)
        r = self.c.write(f"{M}/role/imp", {"acme_account_name": "imp",
                                            "allowed_domains": ["example.test"],
                                            "allowed_domain_options": ["subdomains"],
                                            "allowed_challenge_types": ["dns-01"]})
        self.assertEqual(r.status, 200, r)
        before = self.round_trip_dns01("imp", "imp1.example.test")
        self.assertEqual(before, certs.jwk_thumbprint(key))     # signed with the imported key
        r = self.c.write(f"{M}/config/acme-account/imp/rotate-key", {"key_type": "rsa-2048"})
        self.assertEqual(r.status, 400)          # pebble backend: ec-256 keys only
        accounts = self.pebble_accounts()
        r = self.c.write(f"{M}/config/acme-account/imp/rotate-key", {})
        self.assertEqual((r.status, r.data["new_active_key_version"]), (200, 2), r)
        after = self.round_trip_dns01("imp", "imp2.example.test")
        self.assertNotEqual(before, after)                      # pebble took the new key
        self.assertEqual(self.pebble_accounts(), accounts)      # a key change, no new account

    def pebble_accounts(self):
        """How many accounts pebble says it holds (its log's last count)."""
        with open(os.path.join(self.env.log_dir, "pebble.log"), errors="replace") as f:
            counts = re.findall(r"There are now (\d+) accounts in memory", f.read())
        return int(counts[-1]) if counts else 0

    def test_csr_workflow_over_dns01_with_formats(self):
        ident = "csr-rt.example.test"
        key = ec.generate_private_key(ec.SECP256R1())
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ident)]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(ident)]),
                              critical=False)
               .sign(key, hashes.SHA256())
               .public_bytes(serialization.Encoding.PEM).decode())
        r = self.c.write(f"{M}/role/rsa/new-order", {"csr": csr})
        self.assertEqual(r.status, 200, r)
        oid = r.data["order_id"]
        d = self.wait_status(oid, {"awaiting-challenge-fulfillment"}, "rsa")
        self.assertEqual(d["csr"], csr)
        ch = self.challenge(oid, ident, "dns-01", "rsa")
        self.env.set_dns01(ident, ch["challenge_auth"])
        try:
            self.fulfill(oid, ident, "dns-01", "rsa")
            d = self.wait_status(oid, {"completed", "error"}, "rsa")
        finally:
            self.env.clear_txt("_acme-challenge." + ident)
        self.assertEqual(d["order_status"], "completed", d)
        base = f"{M}/role/rsa/order/{oid}/fetch-cert?certificate_format="
        bundle = self.c.read(base + "pem_bundle").data
        der = self.c.read(base + "der").data
        pem = self.c.read(base + "pem").data
        self.assertEqual(pem["private_key"], "")
        self.assertEqual(bundle["certificate"], pem["certificate"] + "".join(pem["ca_chain"]))
        cert = x509.load_der_x509_certificate(base64.b64decode(der["certificate"]))
        self.assertEqual(cert, x509.load_pem_x509_certificate(pem["certificate"].encode()))
        self.assertEqual(cert.public_key().public_numbers(), key.public_key().public_numbers())
        self.verify(pem["certificate"], pem["ca_chain"])


if __name__ == "__main__":
    unittest.main()
