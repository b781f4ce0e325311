#!/usr/bin/python3
# test_diagnostics.py: the edges where a setup is wrong, not Vault broken:
# a bad token, a mount or namespace that is not there (or a mount of
# another type), https:// to a plain-HTTP server, VAULT_ADDR unset, a
# standby's 307.  Each makes `acmetop --once` exit 1 with one sentence on
# stderr that names the cause and the setting to change; the token goes in
# by the environment and never shows up.
# The binary is $ACMETOP_BIN (make check points it at the ASan build), else
# build/acmetop.
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import free_port, run_acmetop  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.diagnostics-token-5c2e"


def run(env_extra, *args, timeout=120):
    return run_acmetop([BIN, "--once", *args], env_extra, timeout)


class Diagnostics(unittest.TestCase):
    def sentence(self, r, token=TOKEN):
        """The one line on stderr of a failed run."""
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertNotIn(token, r.stderr)
        return lines[0]


class BadTokenAndMissingMount(Diagnostics):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "5", "--time-scale", "0",
                             "--mount", "pki-external-ca", "--mount", "secret:kv",
                             tokens=(TOKEN,))
        cls.sim.start()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def test_bad_token_says_expired_revoked_or_mistyped(self):
        bad = "s.revoked-or-mistyped-81d0"
        line = self.sentence(run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": bad}), bad)
        self.assertIn("expired, revoked or mistyped", line)
        self.assertIn("VAULT_TOKEN", line)
        self.assertIn("~/.vault-token", line)
        self.assertNotIn("--role", line)
        self.assertNotIn("policy", line)

    def test_missing_mount_says_no_mount(self):
        line = self.sentence(run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN,
                                  "ACMETOP_MOUNT": "nope"}))
        self.assertIn(f'no mount "nope" in the root namespace at {self.sim.addr}', line)
        self.assertIn("check --mount / ACMETOP_MOUNT", line)

    def test_mount_of_another_type_says_its_type(self):
        line = self.sentence(run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN},
                                 "--mount", "secret"))
        self.assertIn('"secret" is a kv mount, not pki-external-ca', line)

    def test_missing_namespace_says_no_mount_in_it(self):
        line = self.sentence(run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN,
                                  "VAULT_NAMESPACE": "nosuch"}))
        self.assertIn('no mount "pki-external-ca" in namespace "nosuch"', line)
        self.assertIn("VAULT_NAMESPACE", line)


class MountInANamespace(Diagnostics):
    def test_missing_mount_in_namespace_names_both(self):
        with SimProcess("--seed-namespace", "team", "--time-scale", "0",
                        tokens=(TOKEN,)) as sim:
            line = self.sentence(run({"VAULT_ADDR": sim.addr, "VAULT_TOKEN": TOKEN,
                                      "VAULT_NAMESPACE": "team", "ACMETOP_MOUNT": "nope"}))
            self.assertEqual(line, f'acmetop: no mount "nope" in namespace "team" at {sim.addr}: '
                                   "check --mount / ACMETOP_MOUNT (and VAULT_NAMESPACE)")
            # the same namespace with the right mount works
            r = run({"VAULT_ADDR": sim.addr, "VAULT_TOKEN": TOKEN, "VAULT_NAMESPACE": "team"})
            self.assertEqual(r.returncode, 0, r.stderr)


class HttpsToPlainHttp(Diagnostics):
    def test_says_the_server_speaks_plain_http(self):
        with SimProcess("--time-scale", "0", tokens=(TOKEN,)) as sim:
            self.assertTrue(sim.addr.startswith("http://"), sim.addr)
            https = "https://" + sim.addr[len("http://"):]
            line = self.sentence(run({"VAULT_ADDR": https, "VAULT_TOKEN": TOKEN}))
            self.assertIn("answered plain HTTP", line)
            self.assertIn(f"use http:// in VAULT_ADDR ({sim.addr})", line)
            self.assertNotIn("VAULT_CACERT", line)


class VaultAddrUnset(Diagnostics):
    def test_says_which_default_was_tried(self):
        s = socket.socket()
        try:
            listening = s.connect_ex(("127.0.0.1", 8200)) == 0
        finally:
            s.close()
        self.assertFalse(listening, "something listens on 127.0.0.1:8200, the default "
                                    "VAULT_ADDR: stop it to run this test")
        line = self.sentence(run({"VAULT_TOKEN": TOKEN}))
        self.assertIn("VAULT_ADDR is not set; tried the default https://127.0.0.1:8200", line)


class StandbyRedirect(Diagnostics):
    def test_307_names_location_and_the_active_node(self):
        active = f"http://127.0.0.1:{free_port()}"  # closed: nothing may follow it

        class Standby(http.server.BaseHTTPRequestHandler):
            def answer(self):
                self.send_response(307)
                self.send_header("Location", active + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_LIST = do_POST = answer

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Standby)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            addr = f"http://127.0.0.1:{server.server_address[1]}"
            line = self.sentence(run({"VAULT_ADDR": addr, "VAULT_TOKEN": TOKEN}))
            self.assertIn(f"redirected LIST pki-external-ca/lookup/orders/recent to {active}/v1/"
                          "pki-external-ca/lookup/orders/recent", line)
            self.assertIn(f"point VAULT_ADDR at the active node ({active})", line)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
