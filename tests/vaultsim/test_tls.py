# test_tls.py: --tls (HTTPS with a generated CA named on stdout, or written to
# --tls-ca-out), keep-alive over TLS, and a clean exit on SIGTERM / SIGINT.

import os
import signal
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from vsim.testkit import VAULTSIM, SimProcess

M = "pki-external-ca"


class TlsTest(unittest.TestCase):
    def test_https_with_generated_ca(self):
        with SimProcess("--tls", "--seed-orders", "5") as s:
            self.assertTrue(s.addr.startswith("https://127.0.0.1:"))
            self.assertTrue(os.path.isfile(s.cacert))
            c = s.client()
            for _ in range(3):
                self.assertEqual(len(c.list(f"{M}/lookup/orders").data["keys"]), 5)
            self.assertEqual(c.connects, 1)
            c.close()
            with self.assertRaises(urllib.error.URLError) as cm:   # untrusted without the CA
                urllib.request.urlopen(s.addr + "/v1/sys/health",
                                       context=ssl.create_default_context(), timeout=5)
            self.assertIsInstance(cm.exception.reason, ssl.SSLCertVerificationError)
            ca = s.cacert
        self.assertFalse(os.path.exists(ca))   # temp dir removed at exit

    def test_tls_ca_out(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "ca.pem")
            with SimProcess("--tls", "--tls-ca-out", out) as s:
                self.assertEqual(s.cacert, out)
                ctx = ssl.create_default_context(cafile=out)
                with urllib.request.urlopen(s.addr + "/v1/sys/health", context=ctx,
                                            timeout=5) as r:
                    self.assertEqual(r.status, 200)

    def test_clean_exit_on_signals(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            s = SimProcess().start()
            s.proc.send_signal(sig)
            self.assertEqual(s.proc.wait(timeout=5), 0)
            self.assertEqual(s.stderr_text(), "")
            s.stop()

    def test_exit_with_parent(self):
        # a shell starts vaultsim in the background and exits as soon as it
        # is up (VAULT_ADDR printed: it knows its parent by then)
        script = (f"out=$(mktemp); {VAULTSIM} --listen 127.0.0.1:0 --exit-with-parent "
                  '>"$out" & echo $!; n=0; '
                  'until grep -q VAULT_ADDR "$out" || [ $n -ge 300 ]; do sleep 0.05; '
                  'n=$((n + 1)); done; cat "$out"; rm -f "$out"')
        p = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=20)
        pid = int(p.stdout.split()[0])
        self.assertIn("VAULT_ADDR=http://127.0.0.1:", p.stdout)     # it did start
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGTERM)
        self.fail("vaultsim outlived its parent")


if __name__ == "__main__":
    unittest.main()
