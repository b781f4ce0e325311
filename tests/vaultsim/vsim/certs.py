# certs.py: real X.509 for the scripted backend and for --tls.
# SimCA is the simulator's own two-level CA (root -> issuing CA -> leaves), with
# keys derived from the seed so runs with the same --seed share a root. Leaves
# are issued on demand for an order (serial, dates and names come from the
# order, so expiry and fingerprints are real). Also: key generation per Vault
# key type, CSR building, JWK thumbprints, serial formatting, TLS server files.

import base64
import datetime
import hashlib
import ipaddress
import json
import os
import random

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_TYPES = ("ec-256", "ec-384", "rsa-2048", "rsa-4096")
_CURVES = {"ec-256": (ec.SECP256R1, 250), "ec-384": (ec.SECP384R1, 370)}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def serial_format(serial: int) -> str:
    """Vault's serial text: lower-case hex bytes separated by colons."""
    raw = serial.to_bytes(max(1, (serial.bit_length() + 7) // 8), "big")
    return ":".join(f"{b:02x}" for b in raw)


def serial_parse(text: str) -> int:
    return int(text.replace(":", "").replace("-", ""), 16)


def _dt(t: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(t), tz=datetime.timezone.utc)


def key_generate(key_type: str, rng: random.Random | None = None):
    """A private key of a Vault key type; EC keys are derived from rng when given."""
    if key_type in _CURVES:
        curve, bits = _CURVES[key_type]
        if rng is not None:
            return ec.derive_private_key(rng.getrandbits(bits) | 1, curve())
        return ec.generate_private_key(curve())
    if key_type == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "rsa-4096":
        return rsa.generate_private_key(public_exponent=65537, key_size=4096)
    raise ValueError(f"unknown key type {key_type!r}")


def key_type_name(key) -> str:
    """Vault's private_key_type: "ec" or "rsa"."""
    return "rsa" if isinstance(key, rsa.RSAPrivateKey) else "ec"


def key_pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode("ascii")


def key_der(key) -> bytes:
    return key.private_bytes(serialization.Encoding.DER,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def cert_pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def cert_der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def key_load(pem: str):
    """A private key (EC or RSA) from unencrypted PEM; ValueError when it is not one."""
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii", "replace"), None)
    except (ValueError, TypeError) as e:
        raise ValueError(f"not an unencrypted PEM private key ({e})")
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise ValueError("only EC and RSA keys are accepted")
    return key


def key_type_of(key) -> str:
    """Vault's key type name of a key: ec-256, ec-384, ec-521, rsa-2048, ..."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"ec-{key.curve.key_size}"
    return f"rsa-{key.key_size}"


def _int_b64(n: int, size: int = 0) -> str:
    return b64url(n.to_bytes(size or (n.bit_length() + 7) // 8, "big"))


def jwk_thumbprint(key) -> str:
    """RFC 7638 thumbprint (base64url) of an EC or RSA key's public half."""
    nums = key.public_key().public_numbers()
    if isinstance(key, rsa.RSAPrivateKey):
        jwk = {"e": _int_b64(nums.e), "kty": "RSA", "n": _int_b64(nums.n)}
    else:
        size = (key.curve.key_size + 7) // 8
        jwk = {"crv": "P-%d" % key.curve.key_size, "kty": "EC",
               "x": _int_b64(nums.x, size), "y": _int_b64(nums.y, size)}
    canon = json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()
    return b64url(hashlib.sha256(canon).digest())


def csr_build(key, identifiers, population: str = "cn_first") -> str:
    attrs = []
    if population == "cn_first":
        cn = next((i for i in identifiers if len(i) <= 64), None)
        if cn is not None:
            attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name(attrs))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(i) for i in identifiers]),
                          critical=False)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM).decode("ascii")


def csr_parse(csr_pem: str):
    """(csr object, identifiers) or ValueError with a readable message."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode("utf-8"))
    except (ValueError, UnicodeEncodeError) as e:
        raise ValueError(f"csr is not a PEM certificate request: {e}") from e
    if not csr.is_signature_valid:
        raise ValueError("csr signature does not verify")
    names = [a.value for a in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names += san.value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        pass
    seen, out = set(), []
    for n in names:
        if n.lower() not in seen:
            seen.add(n.lower())
            out.append(n)
    if not out:
        raise ValueError("csr names no DNS identifier (neither a CN nor a DNS SAN)")
    return csr, out


def _ca_cert(subject, issuer, pub, signer, serial, nb, na, path_len):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(serial).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=True, crl_sign=True,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    return b.sign(signer, hashes.SHA256())


class SimCA:
    """Root + issuing CA of the scripted backend."""

    def __init__(self, seed: int, now: float):
        rng = random.Random(f"vaultsim-ca-{seed}")
        self.root_key = key_generate("ec-384", rng)
        self.issuer_key = key_generate("ec-256", rng)
        nb = _dt(now - 5 * 365 * 86400)
        na = _dt(now + 20 * 365 * 86400)
        root_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "acmetop vaultsim"),
                               x509.NameAttribute(NameOID.COMMON_NAME, "vaultsim Root CA X1")])
        issuer_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "acmetop vaultsim"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, "vaultsim Issuing CA E1")])
        self.root = _ca_cert(root_name, root_name, self.root_key.public_key(), self.root_key,
                             rng.getrandbits(120) | 1, nb, na, 1)
        self.issuer = _ca_cert(issuer_name, root_name, self.issuer_key.public_key(),
                               self.root_key, rng.getrandbits(120) | 1, nb, na, 0)
        self.chain_pems = [cert_pem(self.issuer), cert_pem(self.root)]
        ski = self.issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        self.authority_key_id = ":".join(f"{b:02x}" for b in ski.digest)

    def issue(self, public_key, identifiers, population, serial: int, not_before: float,
              not_after: float):
        attrs = []
        if population != "sans_only":
            cn = next((i for i in identifiers if len(i) <= 64), None)
            if cn:
                attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
        b = (x509.CertificateBuilder().subject_name(x509.Name(attrs))
             .issuer_name(self.issuer.subject).public_key(public_key)
             .serial_number(serial).not_valid_before(_dt(not_before))
             .not_valid_after(_dt(not_after))
             .add_extension(x509.SubjectAlternativeName(
                 [x509.DNSName(i) for i in identifiers]), critical=not attrs)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=isinstance(public_key, rsa.RSAPublicKey),
                                          data_encipherment=False, key_agreement=False,
                                          key_cert_sign=False, crl_sign=False,
                                          encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                   ExtendedKeyUsageOID.CLIENT_AUTH]),
                            critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                 self.issuer_key.public_key()), critical=False))
        return b.sign(self.issuer_key, hashes.SHA256())


def cert_authority_key_id(cert) -> str:
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    except x509.ExtensionNotFound:
        return ""
    return ":".join(f"{b:02x}" for b in (aki.key_identifier or b""))


def tls_files_make(directory: str, ca_out: str | None):
    """CA + server cert/key (127.0.0.1, ::1, localhost) for --tls; returns (ca, cert, key) paths."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vaultsim TLS CA")])
    ca = _ca_cert(name, name, ca_key.public_key(), ca_key, x509.random_serial_number(),
                  now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30), 0)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_path = ca_out or os.path.join(directory, "vaultsim-ca.pem")
    cert_path = os.path.join(directory, "tls-cert.pem")
    key_path = os.path.join(directory, "tls-key.pem")
    with open(ca_path, "w") as f:
        f.write(cert_pem(ca))
    with open(cert_path, "w") as f:
        f.write(cert_pem(cert))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return os.path.abspath(ca_path), cert_path, key_path
