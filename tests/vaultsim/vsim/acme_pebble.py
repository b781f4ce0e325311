"""ACME client (RFC 8555) for the simulator's pebble backend, on Debian's python3-acme.

AcmeAccount registers an account key at an ACME directory (pebble in tests);
AcmeOrder is one ACME order of that account: its authorizations and
challenges, answering a challenge, polling, finalizing with a generated key or
a given CSR, downloading the certificate, revoking it. The simulator maps these
onto Vault's PKI External CA order objects.

Thread safety: every JWS request of an account (they share one nonce pool and
one HTTP session) runs under the account's lock; an order's own state is
guarded by its lock, so any method may be called from any thread.
Every failure surfaces as AcmeError with a message a person can act on.
"""

import datetime
import ipaddress
import json
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.parse
import weakref

import josepy as jose
import OpenSSL
import requests
from acme import jws as acme_jws
from acme import client as acme_client
from acme import errors as acme_errors
from acme import messages
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from . import certs

KEY_TYPES = ("ec-256", "ec-384", "rsa-2048", "rsa-4096")
POPULATIONS = ("cn_first", "sans_only")
FINALIZE_TIMEOUT = 60.0
NETWORK_TIMEOUT = 30
_PEM_CERT_RE = re.compile(
    r"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.DOTALL)


class AcmeError(Exception):
    """An ACME operation failed; str() says what was tried and what the CA answered."""


def _describe(exc: BaseException) -> str:
    """Readable text for anything python3-acme / requests may raise."""
    if isinstance(exc, messages.Error):
        return str(exc)
    if isinstance(exc, acme_errors.ValidationError):
        return "challenge validation failed"
    if isinstance(exc, acme_errors.ClientError) and exc.args:
        arg = exc.args[0]
        if isinstance(arg, requests.Response):
            return f"HTTP {arg.status_code} from {arg.url}: {arg.text[:200]!r}"
        if isinstance(arg, tuple) and arg and isinstance(arg[0], requests.Response):
            return f"HTTP {arg[0].status_code} from {arg[0].url}: {arg[0].text[:200]!r}"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS error (is trusted_ca the CA of the ACME server?): {exc}"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"cannot connect: {exc}"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"timed out: {exc}"
    text = str(exc)
    if isinstance(exc, ValueError) and text:
        return text  # python3-acme's own rewording of connection errors
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _utc(value):
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _generate_key(key_type: str):
    if key_type not in KEY_TYPES:
        raise ValueError(f"unknown key_type {key_type!r}; expected one of {', '.join(KEY_TYPES)}")
    return certs.key_generate(key_type)


def build_csr(private_key, identifiers, population: str) -> str:
    """CSR (PEM) for identifiers: all as DNS SANs; cn_first also puts the first as CN
    (the first that fits the 64-character CN limit; none if none fits)."""
    if population not in POPULATIONS:
        raise ValueError(f"unknown population {population!r}; expected one of "
                         f"{', '.join(POPULATIONS)}")
    return certs.csr_build(private_key, identifiers, population)


def csr_identifiers(csr_pem: str) -> list:
    """DNS names a CSR asks for: its CN (if any) then its DNS SANs, without duplicates."""
    try:
        return certs.csr_parse(csr_pem)[1]
    except ValueError as e:
        raise AcmeError(f"the CSR cannot be used: {e}") from e


class AcmeAccount:
    """An ACME account, registered at construction (terms of service agreed).

    trusted_ca_pem: PEM of the CA that verifies the directory's HTTPS
    certificate, or None for the system's CAs. key: the P-256 private key to
    register with (an imported account key), or None for a new one.
    """

    def __init__(self, directory_url: str, trusted_ca_pem=None, email_contacts=(), key=None):
        self.directory_url = directory_url
        self._lock = threading.Lock()
        self._tmpdir = None
        verify = True
        if trusted_ca_pem:
            if "-----BEGIN CERTIFICATE-----" not in trusted_ca_pem:
                raise AcmeError("trusted_ca is not a PEM certificate")
            self._tmpdir = tempfile.mkdtemp(prefix="vsim-acme-")
            weakref.finalize(self, shutil.rmtree, self._tmpdir, True)
            verify = os.path.join(self._tmpdir, "trusted-ca.pem")
            with open(verify, "w") as f:
                f.write(trusted_ca_pem)
        self.key = jose.JWKEC(key=key if key is not None else
                              ec.generate_private_key(ec.SECP256R1()))
        self.thumbprint = jose.b64encode(self.key.thumbprint()).decode("ascii")
        net = acme_client.ClientNetwork(self.key, alg=jose.ES256, verify_ssl=verify,
                                        user_agent="acmetop-vaultsim",
                                        timeout=NETWORK_TIMEOUT)
        if _is_loopback(directory_url):
            net.session.trust_env = False  # no proxy for a local test CA
        try:
            directory = acme_client.ClientV2.get_directory(directory_url, net)
        except Exception as e:
            raise AcmeError(f"cannot read the ACME directory {directory_url}: "
                            f"{_describe(e)}") from e
        self._client = acme_client.ClientV2(directory, net)
        reg = messages.NewRegistration(
            contact=tuple("mailto:" + m for m in email_contacts),
            terms_of_service_agreed=True)
        self.regr = self.call(f"registering an account at {directory_url}",
                              self._client.new_account, reg)
        self.uri = self.regr.uri

    def key_change(self) -> None:
        """RFC 8555 7.3.5: roll the account over to a new P-256 key at the CA
        (the inner JWS, signed by the new key, names the account and its old
        key; the outer one is signed by the old key). The account URL stays;
        the new key signs from now on."""
        new_key = jose.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
        url = self._client.directory["keyChange"]
        inner_payload = json.dumps({"account": self.uri,
                                    "oldKey": self.key.public_key().to_partial_json()})
        inner = acme_jws.JWS.sign(inner_payload.encode("utf-8"), key=new_key, alg=jose.ES256,
                                  nonce=None, url=url)
        self.call(f"rolling the account key over at {url}", self._client._post, url,
                  inner)  # pylint: disable=protected-access
        with self._lock:
            self.key = new_key
            self._client.net.key = new_key
            self.thumbprint = jose.b64encode(new_key.thumbprint()).decode("ascii")

    def call(self, what: str, fn, *args, **kwargs):
        """Run one python3-acme client call under the account lock; AcmeError on failure."""
        with self._lock:
            try:
                return fn(*args, **kwargs)
            except Exception as e:
                raise AcmeError(f"{what}: {_describe(e)}") from e

    def post_as_get(self, what: str, url: str):
        return self.call(what, self._client._post_as_get, url)  # pylint: disable=protected-access

    def post(self, what: str, url: str, obj):
        return self.call(what, self._client._post, url, obj)  # pylint: disable=protected-access

    def new_order(self, identifiers=None, csr_pem=None, key_type="ec-256",
                  population="cn_first") -> "AcmeOrder":
        """New ACME order for DNS identifiers (key generated at finalize) or for a CSR."""
        if (identifiers is None) == (csr_pem is None):
            raise ValueError("new_order: give identifiers or csr_pem, not both and not neither")
        if csr_pem is None:
            identifiers = [str(i) for i in identifiers]
            if not identifiers:
                raise ValueError("new_order: identifiers is empty")
            if key_type not in KEY_TYPES:
                raise ValueError(f"unknown key_type {key_type!r}; expected one of "
                                 f"{', '.join(KEY_TYPES)}")
            if population not in POPULATIONS:
                raise ValueError(f"unknown population {population!r}; expected one of "
                                 f"{', '.join(POPULATIONS)}")
        else:
            identifiers = csr_identifiers(csr_pem)
        return AcmeOrder(self, identifiers, csr_pem, key_type, population)


class AcmeOrder:
    """One ACME order. Attributes are read freely; methods may block on the network."""

    def __init__(self, account: AcmeAccount, identifiers, csr_pem, key_type, population):
        self._account = account
        self._lock = threading.RLock()       # order state
        self._finalize_lock = threading.Lock()
        self.identifiers = list(identifiers)
        self.csr_pem = csr_pem
        self.key_type = key_type
        self.population = population
        self.private_key_pem = None
        self.certificate_pem = None
        self.chain_pems = []
        self.error = None
        self.revoked = False
        self._key = None
        self._authzs = {}                    # identifier as ordered -> AuthorizationResource
        new = messages.NewOrder(identifiers=tuple(
            messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=i) for i in self.identifiers))
        names = ", ".join(self.identifiers)
        resp = account.post(f"creating an order for {names}",
                            account._client.directory["newOrder"], new)
        self.uri = resp.headers.get("Location")
        if not self.uri:
            raise AcmeError(f"creating an order for {names}: the CA sent no order URL")
        body = messages.Order.from_json(resp.json())
        self._apply_order(body)
        self._authz_urls = list(body.authorizations)
        for url in self._authz_urls:
            self._fetch_authz(url)

    # ---- state helpers ------------------------------------------------------

    def _apply_order(self, body):
        with self._lock:
            self._body = body
            self.status = body.status.name
            self.expires = _utc(body.expires)

    def _key_for(self, authz_body) -> str:
        value = authz_body.identifier.value
        key = ("*." + value) if authz_body.wildcard else value
        for ident in self.identifiers:
            if ident.lower().rstrip(".") == key.lower():
                return ident
        return key

    def _fetch_authz(self, url):
        resp = self._account.post_as_get(f"reading authorization {url}", url)
        authzr = messages.AuthorizationResource(
            body=messages.Authorization.from_json(resp.json()), uri=url)
        with self._lock:
            self._authzs[self._key_for(authzr.body)] = authzr

    def _compute_error(self):
        """The CA's reasons: every failed challenge (or invalid authorization); the
        order's own problem only when no challenge says more."""
        reasons = []
        with self._lock:
            for ident, authzr in self._authzs.items():
                a = authzr.body
                found = False
                for challb in a.challenges:
                    if challb.error is not None:
                        found = True
                        reasons.append(f"{challb.chall.typ} challenge for {ident}: {challb.error}")
                if not found and a.status.name not in ("pending", "valid"):
                    reasons.append(f"authorization for {ident} is {a.status.name}")
            if self._body.error is not None and not reasons:
                reasons.append(f"order: {self._body.error}")
        return "; ".join(reasons) if reasons else None

    def _find_challenge(self, identifier, challenge_type):
        with self._lock:
            authzr = self._authzs.get(identifier)
            if authzr is None:
                for key, value in self._authzs.items():
                    if key.lower() == identifier.lower():
                        authzr = value
                        break
            if authzr is None:
                raise AcmeError(f"order has no identifier {identifier!r}; it has "
                                f"{', '.join(self._authzs) or 'none'}")
            offered = []
            for challb in authzr.body.challenges:
                typ = getattr(challb.chall, "typ", None)
                offered.append(str(typ))
                if typ == challenge_type:
                    return authzr, challb
            raise AcmeError(f"the CA offers no {challenge_type} challenge for {identifier} "
                            f"(offered: {', '.join(offered) or 'none'})")

    # ---- public API ---------------------------------------------------------

    def challenges(self) -> dict:
        """identifier -> [{type, token, key_authorization, status, expires}] (last refresh)."""
        out = {}
        with self._lock:
            for ident, authzr in self._authzs.items():
                a = authzr.body
                expires = _utc(a.expires) or self.expires
                items = []
                for challb in a.challenges:
                    chall = challb.chall
                    if not hasattr(chall, "key_authorization"):
                        continue  # a challenge type python3-acme does not know
                    if ident.startswith("*.") and chall.typ != "dns-01":
                        continue
                    items.append({
                        "type": chall.typ,
                        "token": chall.encode("token"),
                        "key_authorization": chall.key_authorization(self._account.key),
                        "status": challb.status.name,
                        "expires": expires,
                    })
                out[ident] = items
        return out

    def answer(self, identifier: str, challenge_type: str) -> None:
        """Tell the CA the challenge is deployed; it validates (pebble: at once)."""
        authzr, challb = self._find_challenge(identifier, challenge_type)
        response = challb.chall.response(self._account.key)
        self._account.call(f"answering the {challenge_type} challenge for {identifier}",
                           self._account._client.answer_challenge, challb, response)
        self._fetch_authz(authzr.uri)
        err = self._compute_error()
        if err:
            with self._lock:
                self.error = err

    def refresh(self) -> None:
        """Re-read the order, then every authorization; update status, error, challenges.

        The order first: an order seen `ready` had valid authorizations before it was
        read, so the authorizations read after it are valid too (the other way round,
        an observer could see a ready order with a pending challenge)."""
        resp = self._account.post_as_get("reading the order", self.uri)
        self._apply_order(messages.Order.from_json(resp.json()))
        for url in self._authz_urls:
            self._fetch_authz(url)
        err = self._compute_error()
        if err:
            with self._lock:
                self.error = err

    def _csr_for_finalize(self) -> str:
        if self.csr_pem is not None:
            return self.csr_pem
        with self._lock:
            if self.private_key_pem is None:
                key = _generate_key(self.key_type)
                self._key = key
                self.private_key_pem = key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption()).decode("ascii")
            return build_csr(self._key, self.identifiers, self.population)

    def finalize(self) -> None:
        """Finalize a ready order, wait until valid, download certificate and chain."""
        with self._finalize_lock:
            if self.status != "ready":
                self.refresh()
            if self.status == "valid" and self.certificate_pem:
                return
            if self.status not in ("ready", "processing", "valid"):
                raise AcmeError(f"cannot finalize: the order is {self.status}, not ready"
                                + (f" ({self.error})" if self.error else ""))
            names = ", ".join(self.identifiers)
            if self.status == "ready":
                csr = OpenSSL.crypto.load_certificate_request(
                    OpenSSL.crypto.FILETYPE_PEM, self._csr_for_finalize().encode("ascii"))
                try:
                    resp = self._account.post(
                        f"finalizing the order for {names}", self._body.finalize,
                        messages.CertificateRequest(csr=jose.ComparableX509(csr)))
                except AcmeError as e:
                    with self._lock:
                        self.error = str(e)
                    raise
                self._apply_order(messages.Order.from_json(resp.json()))
            deadline = time.monotonic() + FINALIZE_TIMEOUT
            while self.status == "processing" or (self.status == "valid"
                                                  and self._body.certificate is None):
                if time.monotonic() > deadline:
                    raise AcmeError(f"the CA did not issue the certificate for {names} within "
                                    f"{FINALIZE_TIMEOUT:.0f}s (order still {self.status})")
                time.sleep(0.2)
                resp = self._account.post_as_get("reading the order", self.uri)
                self._apply_order(messages.Order.from_json(resp.json()))
            if self.status != "valid":
                err = self._compute_error() or "no reason given by the CA"
                with self._lock:
                    self.error = err
                raise AcmeError(f"the order for {names} ended {self.status}: {err}")
            resp = self._account.post_as_get("downloading the certificate",
                                             self._body.certificate)
            pems = [m.group(0).replace("\r\n", "\n") + "\n"
                    for m in _PEM_CERT_RE.finditer(resp.text)]
            if not pems:
                raise AcmeError(f"the CA's certificate download for {names} holds no "
                                "PEM certificate")
            with self._lock:
                self.certificate_pem = pems[0]
                self.chain_pems = pems[1:]

    def revoke(self, reason_code: int) -> None:
        """Revoke the issued certificate (RFC 5280 reason code) with the account key."""
        if not self.certificate_pem:
            raise AcmeError("cannot revoke: the order has no certificate")
        cert = OpenSSL.crypto.load_certificate(OpenSSL.crypto.FILETYPE_PEM,
                                               self.certificate_pem.encode("ascii"))
        self._account.call(f"revoking the certificate of {', '.join(self.identifiers)}",
                           self._account._client.revoke, jose.ComparableX509(cert),
                           int(reason_code))
        with self._lock:
            self.revoked = True
