"""Tests of vsim.pebble_env and vsim.acme_pebble against a real pebble.

One PebbleEnv for the module; real ACME round trips (http-01 served by a tiny
http.server on pebble's http-01 port, dns-01 and wildcards through
pebble-challtestsrv TXT records, the CSR workflow, revocation), the failure a
careless operator causes (fulfilled but not deployed), and two environments
running side by side.
Run: /usr/bin/python3 -m unittest discover -s tests/vaultsim -p 'test_acme_pebble.py'
"""

import base64
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from vsim.acme_pebble import AcmeAccount, AcmeError, build_csr  # noqa: E402
from vsim.http01_answers import Http01Answers  # noqa: E402
from vsim.pebble_env import PebbleEnv, dns01_txt_value  # noqa: E402

ENV = None
ACCOUNT = None
HTTP01 = None


def setUpModule():
    global ENV, ACCOUNT, HTTP01
    ENV = PebbleEnv().start()
    with open(ENV.ca_bundle) as f:
        ACCOUNT = AcmeAccount(ENV.directory_url, f.read(), ["ops@demo.test"])
    HTTP01 = Http01Answers(ENV.http01_port)


def tearDownModule():
    if HTTP01:
        HTTP01.close()
    if ENV:
        ENV.stop()


def wait_status(order, leave=("pending",), timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        order.refresh()
        if order.status not in leave:
            return order.status
        if time.monotonic() > deadline:
            raise AssertionError(f"order still {order.status} after {timeout}s")
        time.sleep(0.1)


def challenge(order, identifier, typ):
    matches = [c for c in order.challenges()[identifier] if c["type"] == typ]
    assert len(matches) == 1, order.challenges()
    return matches[0]


def txt_value(key_authorization):
    return base64.urlsafe_b64encode(
        hashlib.sha256(key_authorization.encode()).digest()).decode().rstrip("=")


def deploy_dns01(order):
    for ident in order.identifiers:
        c = challenge(order, ident, "dns-01")
        base = ident[2:] if ident.startswith("*.") else ident
        ENV.set_txt(f"_acme-challenge.{base}", txt_value(c["key_authorization"]))
        order.answer(ident, "dns-01")


def cert_of(pem):
    return x509.load_pem_x509_certificate(pem.encode())


def san_names(cert):
    return sorted(cert.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))


def cn_of(cert):
    return [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def pub_der(key):
    return key.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


class AccountTest(unittest.TestCase):
    def test_thumbprint_matches_key_authorizations(self):
        order = ACCOUNT.new_order(["thumb.demo.test"])
        self.assertRegex(ACCOUNT.thumbprint, r"^[A-Za-z0-9_-]{43}$")
        for c in order.challenges()["thumb.demo.test"]:
            self.assertEqual(c["key_authorization"], c["token"] + "." + ACCOUNT.thumbprint)
            self.assertEqual(c["status"], "pending")
            self.assertIsNotNone(c["expires"].tzinfo)
        self.assertEqual(sorted(c["type"] for c in order.challenges()["thumb.demo.test"]),
                         ["dns-01", "http-01", "tls-alpn-01"])
        self.assertEqual(order.status, "pending")
        self.assertIsNotNone(order.expires.tzinfo)
        self.assertIsNone(order.error)

    def test_untrusted_ca_is_a_readable_error(self):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "someone else")])
        now = datetime.datetime.now(datetime.timezone.utc)
        other = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                 .public_key(key.public_key()).serial_number(1)
                 .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                 .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                 .sign(key, hashes.SHA256()))
        with self.assertRaises(AcmeError) as cm:
            AcmeAccount(ENV.directory_url,
                        other.public_bytes(serialization.Encoding.PEM).decode())
        self.assertIn(ENV.directory_url, str(cm.exception))
        self.assertIn("TLS", str(cm.exception))

    def test_dns01_value_known_vector(self):
        self.assertEqual(
            dns01_txt_value("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
                            "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"),
            "lCM7cZyQXcVHK2nnW3jjAhNT3Fvm18UN-kWZZknKoYM")


class RoundTripTest(unittest.TestCase):
    def test_http01_round_trip_and_openssl_verify(self):
        order = ACCOUNT.new_order(["www.demo.test", "api.demo.test"])
        for ident in order.identifiers:
            c = challenge(order, ident, "http-01")
            HTTP01.answers[c["token"]] = c["key_authorization"]
            order.answer(ident, "http-01")
        self.assertEqual(wait_status(order), "ready")
        for ident in order.identifiers:
            self.assertEqual(challenge(order, ident, "http-01")["status"], "valid")
        order.finalize()
        self.assertEqual(order.status, "valid")
        self.assertIsNone(order.error)
        cert = cert_of(order.certificate_pem)
        self.assertEqual(san_names(cert), ["api.demo.test", "www.demo.test"])
        self.assertEqual(cn_of(cert), ["www.demo.test"])
        key = serialization.load_pem_private_key(order.private_key_pem.encode(), None)
        self.assertIsInstance(key, ec.EllipticCurvePrivateKey)
        self.assertEqual(key.curve.name, "secp256r1")
        self.assertEqual(pub_der(key.public_key()), pub_der(cert.public_key()))
        self.assertEqual([p.strip() for p in order.chain_pems],
                         [ENV.intermediate_pem().strip()])
        with tempfile.TemporaryDirectory() as d:
            for name, text in (("root.pem", ENV.root_pem()),
                               ("chain.pem", "".join(order.chain_pems)),
                               ("cert.pem", order.certificate_pem)):
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            r = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(d, "root.pem"),
                                "-untrusted", os.path.join(d, "chain.pem"),
                                os.path.join(d, "cert.pem")],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(": OK", r.stdout)
            # without the chain the leaf does not verify: the chain is really needed
            r = subprocess.run(["openssl", "verify", "-CAfile", os.path.join(d, "root.pem"),
                                os.path.join(d, "cert.pem")], capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)

    def test_dns01_round_trip_rsa_sans_only(self):
        order = ACCOUNT.new_order(["txt.demo.test"], key_type="rsa-2048", population="sans_only")
        deploy_dns01(order)
        self.assertEqual(wait_status(order), "ready")
        order.finalize()
        cert = cert_of(order.certificate_pem)
        self.assertEqual(san_names(cert), ["txt.demo.test"])
        key = serialization.load_pem_private_key(order.private_key_pem.encode(), None)
        self.assertIsInstance(key, rsa.RSAPrivateKey)
        self.assertEqual(key.key_size, 2048)
        self.assertEqual(pub_der(key.public_key()), pub_der(cert.public_key()))

    def test_wildcard_via_dns01_and_ec384(self):
        order = ACCOUNT.new_order(["*.wild.demo.test", "wild.demo.test"], key_type="ec-384")
        self.assertEqual([c["type"] for c in order.challenges()["*.wild.demo.test"]],
                         ["dns-01"])
        self.assertIn("http-01", [c["type"] for c in order.challenges()["wild.demo.test"]])
        with self.assertRaises(AcmeError) as cm:
            order.answer("*.wild.demo.test", "http-01")
        self.assertIn("no http-01 challenge", str(cm.exception))
        deploy_dns01(order)  # two TXT values on _acme-challenge.wild.demo.test
        self.assertEqual(wait_status(order), "ready")
        order.finalize()
        cert = cert_of(order.certificate_pem)
        self.assertEqual(san_names(cert), ["*.wild.demo.test", "wild.demo.test"])
        self.assertEqual(cn_of(cert), ["*.wild.demo.test"])
        key = serialization.load_pem_private_key(order.private_key_pem.encode(), None)
        self.assertEqual(key.curve.name, "secp384r1")

    def test_csr_workflow_and_revoke(self):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "csr.demo.test")]))
               .add_extension(x509.SubjectAlternativeName(
                   [x509.DNSName("csr.demo.test"), x509.DNSName("alt.demo.test")]), False)
               .sign(key, hashes.SHA256()))
        order = ACCOUNT.new_order(csr_pem=csr.public_bytes(serialization.Encoding.PEM).decode())
        self.assertEqual(order.identifiers, ["csr.demo.test", "alt.demo.test"])
        self.assertIsNone(order.private_key_pem)
        deploy_dns01(order)
        self.assertEqual(wait_status(order), "ready")
        order.finalize()
        self.assertIsNone(order.private_key_pem)
        cert = cert_of(order.certificate_pem)
        self.assertEqual(pub_der(cert.public_key()), pub_der(key.public_key()))
        self.assertEqual(san_names(cert), ["alt.demo.test", "csr.demo.test"])
        serial = format(cert.serial_number, "x")
        self.assertEqual(ENV.cert_status(serial)["Status"], "Valid")
        order.revoke(4)  # superseded
        status = ENV.cert_status(serial)
        self.assertEqual(status["Status"], "Revoked")
        self.assertEqual(status["Reason"], 4)

    def test_csr_population(self):
        # pebble puts a CN into every certificate, so the CSR itself is checked
        key = ec.generate_private_key(ec.SECP256R1())
        long_name = "a" * 60 + ".demo.test"
        for population, names, cn in (("cn_first", ["b.demo.test", "c.demo.test"], ["b.demo.test"]),
                                      ("cn_first", [long_name, "c.demo.test"], ["c.demo.test"]),
                                      ("sans_only", ["b.demo.test", "c.demo.test"], [])):
            csr = x509.load_pem_x509_csr(build_csr(key, names, population).encode())
            self.assertEqual(cn_of(csr), cn)
            self.assertEqual(sorted(csr.extensions.get_extension_for_class(
                x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)),
                sorted(names))
            self.assertTrue(csr.is_signature_valid)

    def test_bad_csr_is_refused_before_ordering(self):
        with self.assertRaises(AcmeError):
            ACCOUNT.new_order(csr_pem="-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                                      "-----END CERTIFICATE REQUEST-----\n")
        with self.assertRaises(ValueError):
            ACCOUNT.new_order(["x.demo.test"], key_type="dsa-1024")


class FailureTest(unittest.TestCase):
    def test_answer_without_deploying_makes_order_invalid(self):
        order = ACCOUNT.new_order(["careless.demo.test"])
        order.answer("careless.demo.test", "dns-01")
        self.assertEqual(wait_status(order, leave=("pending", "processing")), "invalid")
        self.assertTrue(order.error)
        self.assertIn("careless.demo.test", order.error)
        self.assertIn("urn:ietf:params:acme:error:", order.error)
        self.assertEqual(challenge(order, "careless.demo.test", "dns-01")["status"], "invalid")
        with self.assertRaises(AcmeError) as cm:
            order.finalize()
        self.assertIn("invalid", str(cm.exception))
        self.assertIsNone(order.certificate_pem)

    def test_wrong_http01_answer_makes_order_invalid(self):
        order = ACCOUNT.new_order(["wrong.demo.test"])
        c = challenge(order, "wrong.demo.test", "http-01")
        HTTP01.answers[c["token"]] = c["token"] + ".not-the-thumbprint"
        order.answer("wrong.demo.test", "http-01")
        self.assertEqual(wait_status(order, leave=("pending", "processing")), "invalid")
        self.assertIn("unauthorized", order.error)


class TwoEnvironmentsTest(unittest.TestCase):
    def test_second_env_coexists_and_stops_cleanly(self):
        with PebbleEnv() as other:
            ports = {other.dns_port, other.http01_port, other.tlsalpn01_port}
            self.assertFalse(ports & {ENV.dns_port, ENV.http01_port, ENV.tlsalpn01_port})
            self.assertNotEqual(other.directory_url, ENV.directory_url)
            self.assertNotEqual(other.root_pem(), ENV.root_pem())
            with open(other.ca_bundle) as f:
                acc = AcmeAccount(other.directory_url, f.read())
            order = acc.new_order(["two.demo.test"])
            c = challenge(order, "two.demo.test", "dns-01")
            other.set_dns01("two.demo.test", c["key_authorization"])
            order.answer("two.demo.test", "dns-01")
            self.assertEqual(wait_status(order), "ready")
            pids = [p.pid for p in other._procs]
            log_dir = other.log_dir
            self.assertTrue(os.path.exists(os.path.join(log_dir, "pebble.log")))
        for pid in pids:
            with self.assertRaises(ProcessLookupError):
                os.kill(pid, 0)
        self.assertFalse(os.path.exists(log_dir))
        # the module's environment still answers
        with open(ENV.ca_bundle) as f:
            AcmeAccount(ENV.directory_url, f.read())


if __name__ == "__main__":
    unittest.main()
