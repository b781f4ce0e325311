# scripted.py: the scripted backend, a deterministic ACME-less order engine.
# An order's whole future is written into its timeline when something happens
# (created, fulfilled, revoked) and read lazily against the simulated clock:
#   new -2s-> submitted -3s-> awaiting-challenge-fulfillment -(expires)-> expired
#   fulfilled (every identifier) -> fetching-certificate at once -3s-> completed
#   challenge: pending -> processing (at fulfillment) -1s-> valid
# Identifiers a DNS provider covers (order.dns_providers) are Vault's: once
# no identifier waits for the operator (at once when all are covered, else
# when the last manual one is fulfilled), Vault's own dns-01 statuses follow:
#   vault-challenge-fulfillment -2s-> vault-challenge-propagating -2s->
#   notify-acme-server-challenges-completed -2s-> processing-challenge -1s->
#   fetching-certificate -3s-> completed
# (their dns-01 challenges: pending -> processing at processing-challenge ->
# valid at fetching-certificate).
# An identifier starting with "fail." makes its challenge invalid after 1 s and
# the order end in error with a CA-like last_error; a covered "fail."
# identifier never propagates: error 10 s into vault-challenge-propagating,
# challenges still pending. Certificates are real X.509 from the simulator CA,
# built on first fetch.

import hashlib
import random
import threading

from . import certs
from .state import Challenge

PACE_SUBMIT = 2.0
PACE_AWAIT = 3.0
PACE_VALIDATE = 1.0
PACE_ISSUE = 3.0
PACE_VAULT_DNS = 2.0
PROPAGATION_TIMEOUT = 10.0
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

    def account_register(self, name, directory_url, trusted_ca, email_contacts,
                         key_type="ec-256", version=1, key_pem=None):
        """(thumbprint, acme handle): the imported key's, else a simulator key's,
        stable per account name, key version, key type and seed."""
        if key_pem is not None:
            return certs.jwk_thumbprint(certs.key_load(key_pem)), None
        if key_type == "ec-256" and version == 1:
            key = certs.key_generate("ec-256",
                                     random.Random(f"vaultsim-account-{self.seed}-{name}"))
            return certs.jwk_thumbprint(key), None
        # no real key needed: a stable 43-character thumbprint
        text = f"vaultsim-account-{self.seed}-{name}-v{version}-{key_type}"
        return certs.b64url(hashlib.sha256(text.encode()).digest()), None

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

    def order_create(self, order, role, account, now: float, rng=None) -> None:
        order.account_thumbprint = account.thumbprint
        order.timeline = [(now, "new", "")]
        order.schedule(now + PACE_SUBMIT, "submitted")
        self.challenges_build(order, role.allowed_challenge_types, account.thumbprint,
                              now + PACE_SUBMIT, rng)
        if all(i in order.dns_providers for i in order.identifiers):
            self._vault_dns(order, now + PACE_SUBMIT + PACE_AWAIT)
            return
        order.schedule(now + PACE_SUBMIT + PACE_AWAIT, "awaiting-challenge-fulfillment")
        order.schedule(order.expires, "expired")

    def _vault_dns(self, order, t: float) -> None:
        """From t on: Vault fulfils the covered identifiers' dns-01 itself, then
        the CA validates and the certificate is fetched."""
        covered = [i for i in order.identifiers if i in order.dns_providers]
        order.schedule(t, "vault-challenge-fulfillment")
        t += PACE_VAULT_DNS
        order.schedule(t, "vault-challenge-propagating")
        bad = next((i for i in covered if i.lower().startswith("fail.")), None)
        if bad is not None:
            host = bad[2:] if bad.startswith("*.") else bad
            order.schedule(t + PROPAGATION_TIMEOUT, "error",
                           f"timed out after {PROPAGATION_TIMEOUT:.0f}s waiting for the TXT "
                           f"record _acme-challenge.{host} to propagate (DNS provider "
                           f"{order.dns_providers[bad]})")
            return
        t += PACE_VAULT_DNS
        order.schedule(t, "notify-acme-server-challenges-completed")
        t += PACE_VAULT_DNS
        order.schedule(t, "processing-challenge")
        for ident in covered:
            ch = order.challenges[ident]["dns-01"]
            ch.timeline = ch.timeline[:1] + [(t, "processing"), (t + PACE_VALIDATE, "valid")]
            order.fulfilled.add(ident)
        t += PACE_VALIDATE
        self._issue(order, t)

    def _issue(self, order, t: float) -> None:
        order.schedule(t, "fetching-certificate")
        done = t + PACE_ISSUE
        order.schedule(done, "completed")
        order.serial = self.serial_for(order)
        order.not_before = done - 60
        order.not_after = order.not_before + CERT_LIFETIME

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
        manual = [i for i in order.identifiers if i not in order.dns_providers]
        if not all(i in order.fulfilled for i in manual):
            order.schedule(order.expires, "expired")
        elif len(manual) < len(order.identifiers):
            self._vault_dns(order, now)
        else:
            self._issue(order, now)

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

