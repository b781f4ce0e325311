# scripted.py: the scripted backend, a deterministic ACME-less order engine.
# An order's whole future is written into its timeline when something happens
# (created, fulfilled, revoked) and read lazily against the simulated clock:
#   new -2s-> submitted -3s-> awaiting-challenge-fulfillment -(expires)-> expired
#   fulfilled (every identifier) -> fetching-certificate at once -3s-> completed
#   challenge: pending -> processing (at fulfillment) -1s-> valid
# An identifier starting with "fail." makes its challenge invalid after 1 s and
# the order end in error with a CA-like last_error. Certificates are real X.509
# from the simulator CA, built on first fetch.

import hashlib
import random
import threading

from . import certs
from .state import Challenge

PACE_SUBMIT = 2.0
PACE_AWAIT = 3.0
PACE_VALIDATE = 1.0
PACE_ISSUE = 3.0
ORDER_LIFETIME = 7 * 86400.0
CERT_LIFETIME = 90 * 86400.0


class CertBundle:
    """An issued certificate with its chain and (identifier workflow) its key."""

    def __init__(self, cert, chain_pems, key=None, key_pem=None, key_type=""):
        self.cert = cert
        self.chain_pems = list(chain_pems)
        self.key = key
        self.key_pem = key_pem if key_pem is not None else (certs.key_pem(key) if key else "")
        self.key_type = key_type or (certs.key_type_name(key) if key else "")


def challenge_failure_text(identifier: str, ctype: str, token: str) -> str:
    """A last_error like the one Vault relays from a CA whose validation failed."""
    host = identifier[2:] if identifier.startswith("*.") else identifier
    if ctype == "http-01":
        detail = (f"urn:ietf:params:acme:error:unauthorized :: 127.0.0.1: Invalid response "
                  f"from http://{host}/.well-known/acme-challenge/{token}: 404")
    elif ctype == "dns-01":
        detail = (f"urn:ietf:params:acme:error:unauthorized :: No TXT record found at "
                  f"_acme-challenge.{host}")
    else:
        detail = (f"urn:ietf:params:acme:error:connection :: {host}: Error getting "
                  f"validation data: dial tcp 127.0.0.1:443: connect: connection refused")
    return f"acme: error: 403 :: POST :: {detail}"


class ScriptedEngine:
    name = "scripted"

    def __init__(self, ca: certs.SimCA, seed: int, lock):
        self.ca = ca
        self.lock = lock                  # the store's RLock: taken around every mutation
        self.seed = seed
        self._rng = random.Random(f"vaultsim-scripted-{seed}")
        self._rng_lock = threading.Lock()

    def token_new(self, rng: random.Random | None = None) -> str:
        if rng is None:
            with self._rng_lock:
                return certs.b64url(self._rng.randbytes(32))
        return certs.b64url(rng.randbytes(32))

    def account_register(self, name, directory_url, trusted_ca, email_contacts):
        """(thumbprint, acme handle): a simulator key, stable per account name and seed."""
        key = certs.key_generate("ec-256", random.Random(f"vaultsim-account-{self.seed}-{name}"))
        return certs.jwk_thumbprint(key), None

    def challenges_build(self, order, types, thumbprint, appear_at, rng=None) -> None:
        order.challenges = {}
        for ident in order.identifiers:
            per = {}
            for ctype in types:
                if ident.startswith("*.") and ctype != "dns-01":
                    continue
                token = self.token_new(rng)
                per[ctype] = Challenge(ctype, token, token + "." + thumbprint, order.expires,
                                       [(appear_at, "pending")])
            order.challenges[ident] = per

    def order_create(self, order, role, account, now: float) -> None:
        order.account_thumbprint = account.thumbprint
        order.timeline = [(now, "new", "")]
        order.schedule(now + PACE_SUBMIT, "submitted")
        order.schedule(now + PACE_SUBMIT + PACE_AWAIT, "awaiting-challenge-fulfillment")
        order.schedule(order.expires, "expired")
        self.challenges_build(order, role.allowed_challenge_types, account.thumbprint,
                              now + PACE_SUBMIT)

    def serial_for(self, order) -> int:
        digest = hashlib.sha256(f"{self.seed}/{order.order_id}".encode()).digest()
        return (int.from_bytes(digest[:16], "big") >> 1) | (1 << 120)

    def fulfill(self, order, identifier: str, ctype: str, now: float) -> None:
        with self.lock:
            self._fulfill(order, identifier, ctype, now)

    def _fulfill(self, order, identifier: str, ctype: str, now: float) -> None:
        ch = order.challenges[identifier][ctype]
        if identifier in order.fulfilled:
            return                                   # idempotent: already validating
        order.fulfilled.add(identifier)
        ch.set_status(now, "processing")
        order.timeline = [e for e in order.timeline if e[0] <= now]
        if identifier.lower().startswith("fail."):
            ch.timeline.append((now + PACE_VALIDATE, "invalid"))
            order.schedule(now + PACE_VALIDATE, "error",
                           challenge_failure_text(identifier, ctype, ch.token))
            return
        ch.timeline.append((now + PACE_VALIDATE, "valid"))
        if all(i in order.fulfilled for i in order.identifiers):
            order.schedule(now, "fetching-certificate")
            done = now + PACE_ISSUE
            order.schedule(done, "completed")
            order.serial = self.serial_for(order)
            order.not_before = done - 60
            order.not_after = order.not_before + CERT_LIFETIME
        else:
            order.schedule(order.expires, "expired")

    def certificate(self, order) -> CertBundle:
        with order.cert_lock:
            if order.cert is None:
                if order.is_csr_order:
                    csr, _ = certs.csr_parse(order.csr_pem)
                    key, pub = None, csr.public_key()
                else:
                    rng = random.Random(f"vaultsim-leaf-{self.seed}-{order.order_id}")
                    key = certs.key_generate(order.key_type, rng)
                    pub = key.public_key()
                cert = self.ca.issue(pub, order.identifiers, order.population, order.serial,
                                     order.not_before, order.not_after)
                order.cert = CertBundle(cert, self.ca.chain_pems, key)
            return order.cert

    def revoke(self, order, reason_code: int, now: float) -> None:
        with self.lock:
            order.set_status(now, "revoked")

