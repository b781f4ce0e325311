# rfc2136.py: what Vault's rfc2136 DNS provider does, for the pebble backend:
# find the zone of a record by asking the provider's nameserver (SOA walk),
# add or delete a TXT record with an RFC 2136 UPDATE signed with the
# provider's TSIG key (TCP), and ask that nameserver whether the value is
# served. Uses dnspython (Debian's python3-dnspython). Errors are RuntimeError
# with a sentence naming the provider, the record and what the server said.

import base64

import dns.exception
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update

TIMEOUT = 3.0
_ALGORITHMS = {"hmac-sha1": dns.tsig.HMAC_SHA1, "hmac-sha224": dns.tsig.HMAC_SHA224,
               "hmac-sha256": dns.tsig.HMAC_SHA256, "hmac-sha384": dns.tsig.HMAC_SHA384,
               "hmac-sha512": dns.tsig.HMAC_SHA512}


class Rfc2136Server:
    """One rfc2136 provider's nameserver and TSIG key (from its config)."""

    def __init__(self, label, nameserver, tsig_key_name="", tsig_secret="",
                 tsig_algorithm="hmac-sha1"):
        self.label = label                       # "rfc2136/internal-dns"
        host, _, port = nameserver.rpartition(":")
        self.host = host.strip("[]")
        self.port = int(port)
        self.keyring = None
        self.keyname = None
        self.algorithm = _ALGORITHMS.get(tsig_algorithm, dns.tsig.HMAC_SHA1)
        if tsig_key_name and tsig_secret:
            self.keyname = dns.name.from_text(tsig_key_name)
            self.keyring = {self.keyname: base64.b64decode(tsig_secret)}

    def _ask(self, qname, rdtype):
        q = dns.message.make_query(qname, rdtype)
        try:
            return dns.query.udp(q, self.host, port=self.port, timeout=TIMEOUT)
        except (OSError, dns.exception.DNSException) as e:
            raise RuntimeError(f"DNS provider {self.label}: nameserver "
                               f"{self.host}:{self.port} did not answer: {e}") from e

    def zone_for(self, record: str) -> dns.name.Name:
        """The zone holding record: the longest suffix the nameserver has an SOA for."""
        name = dns.name.from_text(record)
        while True:
            r = self._ask(name, dns.rdatatype.SOA)
            for rrset in r.answer:
                if rrset.rdtype == dns.rdatatype.SOA and rrset.name == name:
                    return name
            if name == dns.name.root:
                raise RuntimeError(f"DNS provider {self.label}: nameserver "
                                   f"{self.host}:{self.port} is authoritative for no "
                                   f"zone holding {record}")
            name = name.parent()

    def _send(self, record: str, what: str, build) -> None:
        zone = self.zone_for(record)
        u = dns.update.UpdateMessage(zone, keyring=self.keyring, keyname=self.keyname,
                                     keyalgorithm=self.algorithm)
        build(u, dns.name.from_text(record))
        try:
            r = dns.query.tcp(u, self.host, port=self.port, timeout=TIMEOUT)
        except (OSError, dns.exception.DNSException) as e:
            raise RuntimeError(f"DNS provider {self.label}: {what} {record} at "
                               f"{self.host}:{self.port} failed: {e}") from e
        if r.rcode() != dns.rcode.NOERROR:
            raise RuntimeError(f"DNS provider {self.label}: {what} {record} in zone "
                               f"{zone.to_text(omit_final_dot=True)} refused by "
                               f"{self.host}:{self.port}: {dns.rcode.to_text(r.rcode())}")

    def txt_add(self, record: str, value: str, ttl: int) -> None:
        self._send(record, "adding TXT", lambda u, n: u.add(n, ttl, "TXT", f'"{value}"'))

    def txt_delete(self, record: str, value: str) -> None:
        self._send(record, "deleting TXT", lambda u, n: u.delete(n, "TXT", f'"{value}"'))

    def txt_served(self, record: str, value: str) -> bool:
        r = self._ask(dns.name.from_text(record), dns.rdatatype.TXT)
        return any(rrset.rdtype == dns.rdatatype.TXT and
                   any(b"".join(rd.strings).decode("ascii", "replace") == value
                       for rd in rrset)
                   for rrset in r.answer)
