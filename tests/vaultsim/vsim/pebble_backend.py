# pebble_backend.py: the pebble backend's glue between Vault's order model and
# a real ACME server (pebble), through acme_pebble.AcmeAccount / AcmeOrder.
# Vault status mapping: order stored -> new; ACME order created -> submitted;
# authorizations pending -> awaiting-challenge-fulfillment; after
# fulfilled-challenge one poller thread per order refreshes the ACME order:
# ready -> fetching-certificate -> finalize() -> completed (certificate, chain,
# key, serial); invalid -> error with the CA's reason in last_error.
# Identifiers a DNS provider covers (order.dns_providers) are Vault's: once no
# identifier waits for the operator (at once when all are covered, else when
# the last manual one is fulfilled) one thread per order walks Vault's own
# dns-01 statuses for real through an rfc2136 provider (rfc2136.py):
#   vault-challenge-fulfillment (TSIG-signed UPDATE adds the TXT records)
#   -> vault-challenge-propagating (until the provider's nameserver serves
#   them, at most PROPAGATION_TIMEOUT) -> notify-acme-server-challenges-completed
#   (the challenges are answered at the CA) -> processing-challenge -> the
#   poller above; the records are deleted once the CA is done. Each status is
#   held at least VAULT_DNS_PACE seconds so a console polling every second sees
#   it (--vault-dns-pace). Other provider types cannot be reached from here: error, challenges
#   still pending.
# Network calls never run under the store lock.

import datetime
import threading
import time

from cryptography import x509

from . import certs
from .errors import VaultError
from .scripted import CertBundle
from .state import Challenge

_UTC = datetime.timezone.utc
POLL_INTERVAL = 0.25
POLL_LIMIT = 120.0
VAULT_DNS_PACE = 3.0
PROPAGATION_TIMEOUT = 30.0

REASON_CODES = {"unspecified": 0, "key_compromise": 1, "ca_compromise": 2,
                "affiliation_changed": 3, "superseded": 4, "cessation_of_operation": 5,
                "certificate_hold": 6, "remove_from_crl": 8, "privilege_withdrawn": 9,
                "aa_compromise": 10}


def _acme_module():
    from . import acme_pebble   # imported lazily: the scripted backend needs no python3-acme
    return acme_pebble


class PebbleEngine:
    name = "pebble"

    def __init__(self, clock, store, vault_dns_pace=VAULT_DNS_PACE):
        self.clock = clock
        self.store = store
        self.lock = store.lock
        self.vault_dns_pace = vault_dns_pace

    def account_register(self, name, directory_url, trusted_ca, email_contacts,
                         key_type="ec-256", version=1, key_pem=None):
        """Registers a new ACME account at directory_url (a rotated key version is
        a new registration); only P-256 account keys (ec-256)."""
        if not directory_url:
            raise VaultError(400, "directory_url is required with the pebble backend")
        if key_type != "ec-256":
            raise VaultError(400, f"key_type {key_type!r}: the pebble backend registers "
                                  f"ec-256 account keys only")
        try:
            key = certs.key_load(key_pem) if key_pem is not None else None
            acct = _acme_module().AcmeAccount(directory_url, trusted_ca or None,
                                              tuple(email_contacts), key)
        except Exception as e:  # AcmeError, ValueError, network errors
            raise VaultError(400, f"registering ACME account {name!r} at {directory_url}: {e}")
        return acct.thumbprint, acct

    def account_key_change(self, name, acct, key_type="ec-256"):
        """rotate-key: the account's key rolled over at the CA (RFC 8555
        7.3.5); the same handle, its new thumbprint. ec-256 only."""
        if key_type != "ec-256":
            raise VaultError(400, f"key_type {key_type!r}: the pebble backend rotates to "
                                  f"ec-256 account keys only")
        try:
            acct.key_change()
        except Exception as e:  # AcmeError, network errors
            raise VaultError(400, f"rotating the key of ACME account {name!r} at "
                                  f"{acct.directory_url}: {e}")
        return acct.thumbprint, acct

    # ---- order creation -------------------------------------------------------

    def order_create(self, order, role, account, now: float) -> None:
        order.account_thumbprint = account.thumbprint
        order.timeline = [(now, "new", "")]
        args = dict(key_type=role.csr_generate_key_type, population=role.csr_identifier_population)
        if order.is_csr_order:
            args["csr_pem"] = order.csr_pem
        else:
            args["identifiers"] = list(order.identifiers)
        threading.Thread(target=self._submit, args=(order, account, args),
                         name=f"acme-submit-{order.order_id[:8]}", daemon=True).start()

    def _submit(self, order, account, args) -> None:
        try:
            ao = account.acme.new_order(**args)
        except Exception as e:
            with self.lock:
                order.set_status(self.clock.now(), "error", f"creating the ACME order: {e}")
            return
        with self.lock:
            now = self.clock.now()
            order.acme = ao
            if ao.expires is not None:
                order.expires = ao.expires.timestamp()
            order.set_status(now, "submitted")
            self._sync_challenges(order, now)
        now = self.clock.now()
        with self.lock:
            if ao.status == "invalid":
                order.set_status(now, "error", ao.error or "the ACME order is invalid")
                return
            vault_only = all(i in order.dns_providers for i in order.identifiers)
            if ao.status == "pending" and not vault_only:
                order.set_status(now, "awaiting-challenge-fulfillment")
                order.schedule(max(order.expires, now), "expired")
        if ao.status != "pending":                     # authorizations reused: go on
            self._poller_start(order)
        elif vault_only:
            self._vault_dns_start(order)

    def _sync_challenges(self, order, now: float) -> None:
        """Copy the ACME order's challenges (last refresh) into the Vault order. Lock held."""
        ao = order.acme
        for ident, items in ao.challenges().items():
            per = order.challenges.setdefault(ident, {})
            for item in items:
                if item["type"] not in order.allowed_types:
                    continue
                expires = item["expires"].timestamp() if item["expires"] else order.expires
                ch = per.get(item["type"])
                if ch is None:
                    ch = per[item["type"]] = Challenge(item["type"], item["token"],
                                                       item["key_authorization"], expires)
                ch.expires = expires
                if ch.status_at(now) != item["status"] or not ch.timeline:
                    ch.set_status(now, item["status"])

    # ---- fulfillment ------------------------------------------------------------

    def fulfill(self, order, identifier: str, ctype: str, now: float) -> None:
        ao = order.acme
        if ao is None:
            raise VaultError(400, "the order has no ACME order yet")
        with self.lock:
            if identifier in order.fulfilled:
                return                       # idempotent: the CA is already validating
        try:
            ao.answer(identifier, ctype)
        except Exception as e:
            raise VaultError(500, f"answering the {ctype} challenge for {identifier} "
                                  f"at the ACME server: {e}")
        with self.lock:
            order.fulfilled.add(identifier)
            self._sync_challenges(order, self.clock.now())
            manual_done = all(i in order.fulfilled for i in order.identifiers
                              if i not in order.dns_providers)
            vault_left = [i for i in order.dns_providers if i not in order.fulfilled]
        if manual_done and vault_left:
            self._vault_dns_start(order)
        else:
            self._poller_start(order)

    # ---- Vault's own dns-01 (DNS providers) ------------------------------------------

    def _vault_dns_start(self, order) -> None:
        threading.Thread(target=self._vault_dns, args=(order,),
                         name=f"vault-dns-{order.order_id[:8]}", daemon=True).start()

    def _status_hold(self, order, status: str) -> None:
        with self.lock:
            order.set_status(self.clock.now(), status)
        time.sleep(self.vault_dns_pace)

    def _vault_dns(self, order) -> None:
        """Vault's dns-01 for the covered identifiers: write, wait until served,
        tell the CA, wait for it, then delete what was written."""
        written = []
        try:
            self._vault_dns_steps(order, written)
        finally:
            for server, record, value in written:
                try:
                    server.txt_delete(record, value)
                except RuntimeError:
                    pass                    # Vault logs a failed cleanup and moves on

    def _vault_dns_steps(self, order, written) -> None:
        from .dns_providers import record_name
        from .pebble_env import dns01_txt_value
        from .rfc2136 import Rfc2136Server
        with self.lock:
            mount = self.store.namespaces.get(order.namespace, {}).get(order.mount)
            to_write = []
            for ident, key in sorted(order.dns_providers.items()):
                if ident in order.fulfilled:
                    continue
                p = mount.dns.get(key) if mount is not None else None
                ch = order.challenges.get(ident, {}).get("dns-01")
                to_write.append((ident, key, p, ch.auth if ch else None))
        self._status_hold(order, "vault-challenge-fulfillment")
        pending = []
        for ident, key, p, auth in to_write:
            record = record_name(ident)
            if p is None:
                return self._fail(order, f"DNS provider {key} for {ident} no longer exists")
            if auth is None:
                return self._fail(order, f"the CA offered no dns-01 challenge for {ident}")
            if p.type != "rfc2136":
                return self._fail(order, f"DNS provider {key}: the simulator cannot reach "
                                         f"{p.type}; could not write {record}")
            server = Rfc2136Server(key, p.fields["nameserver"], p.fields.get("tsig_key_name"),
                                   p.secrets.get("tsig_secret"),
                                   p.fields.get("tsig_algorithm", "hmac-sha1"))
            value = dns01_txt_value(auth)
            try:
                server.txt_add(record, value, p.ttl)
            except RuntimeError as e:
                return self._fail(order, str(e))
            written.append((server, record, value))
            pending.append((ident, server, record, value))
        self._status_hold(order, "vault-challenge-propagating")
        deadline = time.monotonic() + PROPAGATION_TIMEOUT
        for ident, server, record, value in pending:
            while True:
                try:
                    if server.txt_served(record, value):
                        break
                except RuntimeError:
                    pass
                if time.monotonic() > deadline:
                    return self._fail(order, f"timed out after {PROPAGATION_TIMEOUT:.0f}s "
                                             f"waiting for the TXT record {record} to "
                                             f"propagate (DNS provider {server.label})")
                time.sleep(POLL_INTERVAL)
        self._status_hold(order, "notify-acme-server-challenges-completed")
        for ident, _, _, _ in pending:
            try:
                order.acme.answer(ident, "dns-01")
            except Exception as e:
                return self._fail(order, f"answering the dns-01 challenge for {ident} "
                                         f"at the ACME server: {e}")
            with self.lock:
                order.fulfilled.add(ident)
        with self.lock:
            order.set_status(self.clock.now(), "processing-challenge")
            self._sync_challenges(order, self.clock.now())
        time.sleep(self.vault_dns_pace)
        self._poller_start(order)
        with self.lock:
            poller = order.poller
        if poller is not None:
            poller.join(POLL_LIMIT + 10)

    def _poller_start(self, order) -> None:
        with self.lock:
            if order.poller is not None and order.poller.is_alive():
                return
            order.poller = threading.Thread(target=self._poll, args=(order,),
                                            name=f"acme-poll-{order.order_id[:8]}",
                                            daemon=True)
            order.poller.start()

    def _fail(self, order, text: str) -> None:
        with self.lock:
            order.set_status(self.clock.now(), "error", text)

    def _poll(self, order) -> None:
        ao = order.acme
        deadline = time.monotonic() + POLL_LIMIT
        failures = 0
        while True:
            try:
                ao.refresh()
                failures = 0
            except Exception as e:
                failures += 1
                if failures >= 5:
                    self._fail(order, f"polling the ACME order: {e}")
                    return
                time.sleep(POLL_INTERVAL)
                continue
            with self.lock:
                self._sync_challenges(order, self.clock.now())
            if ao.status == "invalid":
                self._fail(order, ao.error or "the ACME order became invalid "
                                              "(no reason given by the CA)")
                return
            if ao.status in ("ready", "processing", "valid"):
                self._finalize(order)
                return
            if self._waiting_for_operator(order):
                return
            if time.monotonic() > deadline:
                self._fail(order, f"the ACME server did not validate within {POLL_LIMIT:.0f}s")
                return
            time.sleep(POLL_INTERVAL)

    def _waiting_for_operator(self, order) -> bool:
        """Every fulfilled identifier validated but some identifier not fulfilled yet."""
        with self.lock:
            now = self.clock.now()
            if all(i in order.fulfilled for i in order.identifiers):
                return False
            for ident in order.fulfilled:
                if not any(c.status_at(now) == "valid"
                           for c in order.challenges.get(ident, {}).values()):
                    return False
            return True

    def _finalize(self, order) -> None:
        ao = order.acme
        with self.lock:
            order.set_status(self.clock.now(), "fetching-certificate")
        try:
            ao.finalize()
        except Exception as e:
            self._fail(order, ao.error or f"finalizing the ACME order: {e}")
            return
        try:
            # refresh() reads authorizations before the order, so an order seen
            # ready may come with an authorization read just before it went valid
            ao.refresh()
        except Exception:
            pass                                # challenge statuses only; not fatal
        with self.lock:
            self._sync_challenges(order, self.clock.now())
        try:
            cert = x509.load_pem_x509_certificate(ao.certificate_pem.encode("ascii"))
        except Exception as e:
            self._fail(order, f"the ACME server's certificate does not parse: {e}")
            return
        bundle = CertBundle(cert, ao.chain_pems, key=None, key_pem=ao.private_key_pem or "",
                            key_type=(order.key_type.split("-")[0]
                                      if ao.private_key_pem else ""))
        with self.lock:
            now = self.clock.now()
            order.cert = bundle
            order.serial = cert.serial_number
            order.not_before = cert.not_valid_before.replace(tzinfo=_UTC).timestamp()
            order.not_after = cert.not_valid_after.replace(tzinfo=_UTC).timestamp()
            self.store.mount(order.namespace, order.mount).by_serial[
                certs.serial_format(order.serial)] = order
            order.set_status(now, "completed")

    # ---- certificate and revocation ------------------------------------------------

    def certificate(self, order) -> CertBundle:
        if order.cert is None:
            raise VaultError(500, "the order has no certificate")
        return order.cert

    def revoke(self, order, reason_code: int, now: float) -> None:
        if order.acme is None:
            raise VaultError(400, "the order has no ACME order")
        try:
            order.acme.revoke(reason_code)
        except Exception as e:
            raise VaultError(500, f"revoking at the ACME server: {e}")
        with self.lock:
            order.set_status(self.clock.now(), "revoked")

