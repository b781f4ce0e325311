#!/usr/bin/python3
"""pebble + pebble-challtestsrv + the Vault simulator (pebble backend), set up
for a C integration test (test_deploy_flow.c), which starts this script and
reads its stdout:

    VAULT_ADDR=http://127.0.0.1:PORT     the simulator (token "root")
    HTTP01_PORT=N                        where pebble's VA fetches http-01 answers
    TLSALPN01_PORT=N                     where it connects for tls-alpn-01
    DNS=127.0.0.1:N                      challtestsrv's DNS (pebble's resolver)
    CHALL_MGMT_PORT=N                    challtestsrv's management API (set-txt)
    ROOT_PEM=/path                       pebble's issuing root, for openssl verify
    READY

Mount pki-external-ca, ACME account "pebble", role "e2e" (subdomains and
wildcards of demo.test, http-01/dns-01/tls-alpn-01, ec-256).  Everything stops
when stdin closes (the test ends or dies) or on SIGTERM.  Errors: a line
starting with "ERROR " and exit status 1.
"""

import os
import signal
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))

from vsim.pebble_env import PebbleEnv  # noqa: E402
from vsim.testkit import SimProcess  # noqa: E402

M = "pki-external-ca"


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    env = sim = None
    tmp = tempfile.mkdtemp(prefix="pebble-vault-env-")
    try:
        env = PebbleEnv().start()
        sim = SimProcess("--backend", "pebble").start()
        c = sim.client()
        with open(env.ca_bundle) as f:
            trusted = f.read()
        r = c.write(f"{M}/config/acme-account/pebble",
                    {"directory_url": env.directory_url, "trusted_ca": trusted,
                     "email_contacts": ["ops@demo.test"]})
        if r.status != 200:
            raise RuntimeError(f"account: {r}")
        r = c.write(f"{M}/role/e2e",
                    {"acme_account_name": "pebble", "allowed_domains": ["demo.test"],
                     "allowed_domain_options": ["subdomains", "wildcards"],
                     "allowed_challenge_types": ["http-01", "dns-01", "tls-alpn-01"],
                     "csr_generate_key_type": "ec-256"})
        if r.status != 200:
            raise RuntimeError(f"role: {r}")
        c.close()
        root = os.path.join(tmp, "pebble-root.pem")
        with open(root, "w") as f:
            f.write(env.root_pem())
        mgmt_port = env.mgmt_url.rsplit(":", 1)[1]
        print(f"VAULT_ADDR={sim.addr}")
        print(f"HTTP01_PORT={env.http01_port}")
        print(f"TLSALPN01_PORT={env.tlsalpn01_port}")
        print(f"DNS=127.0.0.1:{env.dns_port}")
        print(f"CHALL_MGMT_PORT={mgmt_port}")
        print(f"ROOT_PEM={root}")
        print("READY", flush=True)
        while sys.stdin.buffer.read(4096):
            pass
        return 0
    except Exception as e:  # noqa: BLE001 - reported to the C test
        print(f"ERROR {e}", flush=True)
        return 1
    finally:
        if sim:
            sim.stop()
        if env:
            env.stop()
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)


if __name__ == "__main__":
    sys.exit(main())
