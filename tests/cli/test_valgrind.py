#!/usr/bin/python3
# test_valgrind.py: `acmetop --once --json` under valgrind's memcheck against
# the Vault simulator: no memory error and not one byte lost (definitely,
# indirectly or possibly) on the three paths a script meets: a cold run, a
# warm run that reads the order cache, and an unreachable Vault; and
# `--once --json roles|accounts|dns`. The
# binary is the plain build (valgrind cannot run the ASan one):
# $ACMETOP_PLAIN_BIN, else build/acmetop; a missing one is a failure.
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import free_port  # noqa: E402

BIN = os.environ.get("ACMETOP_PLAIN_BIN") or os.path.join(ROOT, "build", "acmetop")
TOKEN = "s.valgrind-test-token-5c2e"
ORDERS = 200
VALGRIND = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect,possible"]


class OnceUnderValgrind(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(BIN, os.X_OK):
            raise AssertionError(f"{BIN} is missing: run `make` first (or set ACMETOP_PLAIN_BIN "
                                 "to a build without sanitizers)")
        if not shutil.which("valgrind"):
            raise AssertionError("valgrind is not installed: run scripts/setup")
        cls.sim = SimProcess("--seed-orders", str(ORDERS), "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="acmetop-vg-home-")
        self.addCleanup(shutil.rmtree, self.home, True)

    def valgrind(self, addr, error_exitcode=1, what=None):
        """Run --once --json under memcheck; (process, valgrind's report).
        The token goes through the environment only."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
        env.update({"VAULT_ADDR": addr, "VAULT_TOKEN": TOKEN, "HOME": self.home,
                    "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
                    "XDG_CACHE_HOME": os.path.join(self.home, ".cache")})
        log = os.path.join(self.home, "valgrind.log")
        argv = [*VALGRIND, f"--error-exitcode={error_exitcode}", f"--log-file={log}",
                BIN, "--once", "--json", *([what] if what else [])]
        self.assertNotIn(TOKEN, " ".join(argv))
        r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        with open(log) as f:
            report = f.read()
        return r, report

    def assertClean(self, report):
        self.assertRegex(report, r"ERROR SUMMARY: 0 errors from 0 contexts", report)
        if "All heap blocks were freed -- no leaks are possible" in report:
            return
        for kind in ("definitely lost", "indirectly lost", "possibly lost"):
            m = re.search(kind + r": ([\d,]+) bytes", report)
            self.assertIsNotNone(m, f"no '{kind}' line in:\n{report}")
            self.assertEqual(m.group(1), "0", f"{kind}:\n{report}")

    def sim_requests(self):
        log = json.loads(self.vault.sim("GET", "requests").raw)
        return sum(1 for e in log if e["path"].startswith("/v1/"))

    def test_roles_accounts_and_providers_are_clean(self):
        for what, n in (("roles", 5), ("accounts", 2), ("dns", 3)):
            r, report = self.valgrind(self.sim.addr, what=what)
            self.assertEqual(r.returncode, 0, r.stderr + report)
            self.assertEqual(len(json.loads(r.stdout)), n)
            self.assertClean(report)

    def test_cold_run_is_clean_and_prints_every_order(self):
        r, report = self.valgrind(self.sim.addr)
        self.assertEqual(r.returncode, 0, r.stderr + report)
        self.assertClean(report)
        orders = json.loads(r.stdout)
        self.assertEqual(len(orders), ORDERS)
        health = json.loads(self.vault.sim("GET", "health").raw)
        self.assertEqual({o["order_id"] for o in orders},
                         set(self.vault.list("pki-external-ca/lookup/orders").data["keys"]))
        self.assertEqual(len(orders), health["orders"])

    def test_warm_run_from_the_cache_is_clean(self):
        cold, report = self.valgrind(self.sim.addr)
        self.assertEqual(cold.returncode, 0, cold.stderr + report)
        self.assertClean(report)
        self.assertTrue(os.listdir(os.path.join(self.home, ".cache", "acmetop")))
        self.vault.sim("DELETE", "requests")
        warm, report = self.valgrind(self.sim.addr)
        self.assertEqual(warm.returncode, 0, warm.stderr + report)
        self.assertClean(report)
        # the cache was read: a handful of requests instead of one per order
        self.assertLess(self.sim_requests(), ORDERS // 10)
        self.assertEqual(json.loads(warm.stdout), json.loads(cold.stdout))

    def test_unreachable_vault_is_clean(self):
        # acmetop's own failure status is 1: valgrind's is set apart from it
        port = free_port()
        r, report = self.valgrind(f"http://127.0.0.1:{port}", error_exitcode=97)
        self.assertEqual(r.returncode, 1, r.stderr + report)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"127.0.0.1:{port}", r.stderr)
        self.assertClean(report)


if __name__ == "__main__":
    unittest.main()
