#!/usr/bin/python3
# test_check.py: `acmetop --check` as Icinga/Nagios run it, against the real
# Vault simulator with certificates placed at chosen distances from expiry
# (POST /_sim/order cert_not_after): each exit status with its one line
# "ACMETOP <STATE> - <summary> | <perfdata>", the worst certificates named,
# the perfdata parsed by the plugin guidelines' grammar, superseded
# certificates left out, orders in error and orders about to expire
# counted (and switched off), UNKNOWN with the sentence when Vault cannot be
# listed, and never the token in the output.
import os
import re
import sys
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import free_port, run_acmetop  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.check-test-token-77a0"
M = "pki-external-ca"
DAY = 86400
LINE = re.compile(r"^ACMETOP (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\n]+?)(?: \| (.*))?$")
# Nagios plugin guidelines: 'label'=value[UOM];[warn];[crit];[min];[max]
PERF = re.compile(r"^('[^'=]+'|[^'= ]+)=(-?\d+(?:\.\d+)?)(s|ms|us|%|B|KB|MB|TB|c)?"
                  r"(?:;([\d.:~@-]*))?(?:;([\d.:~@-]*))?(?:;(-?[\d.]*))?(?:;(-?[\d.]*))?$")
STATES = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse(stdout):
    """The plugin's one line: state, summary, perfdata as {label: (value, warn, crit)}."""
    lines = stdout.splitlines()
    if len(lines) != 1:
        raise AssertionError(f"not one line: {stdout!r}")
    m = LINE.match(lines[0])
    if not m:
        raise AssertionError(f"not a plugin line: {lines[0]!r}")
    perf = {}
    for item in (m.group(3) or "").split():
        p = PERF.match(item)
        if not p:
            raise AssertionError(f"perfdata item {item!r} breaks the grammar")
        perf[p.group(1).strip("'")] = (float(p.group(2)), p.group(4), p.group(5))
    return m.group(1), m.group(2), perf


class CheckAgainstTheSimulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "40", "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)
        cls.env = {"VAULT_ADDR": cls.sim.addr, "VAULT_TOKEN": TOKEN}
        cls.orders = {}
        for oid in cls.vault.list(f"{M}/lookup/orders").data["keys"]:
            cls.orders[oid] = cls.vault.read(f"{M}/lookup/order/{oid}").data
        # the current certificate of each line (role + identifier set): its newest completed
        lines = {}
        for oid, d in cls.orders.items():
            if d["order_status"] == "completed":
                key = (d["role_name"], tuple(sorted(i.lower() for i in d["identifiers"])))
                if key not in lines or (d["creation_date"], oid) > \
                        (cls.orders[lines[key]]["creation_date"], lines[key]):
                    lines[key] = oid
        cls.current = sorted(lines.values())
        cls.completed = [o for o, d in cls.orders.items() if d["order_status"] == "completed"]
        cls.superseded = sorted(set(cls.completed) - set(cls.current))
        cls.awaiting = [o for o, d in cls.orders.items()
                        if d["order_status"] == "awaiting-challenge-fulfillment"]
        cls.errors = [o for o, d in cls.orders.items() if d["order_status"] == "error"]
        assert len(cls.current) >= 3 and cls.superseded and cls.awaiting and cls.errors

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def patch(self, **body):
        r = self.vault.sim("POST", "order", body)
        self.assertEqual(r.status, 200, r)

    def setUp(self):
        """Every certificate 60 days old with 60 left, every awaiting order 20 days away
        from expiry: nothing to report."""
        now = time.time()
        for oid in self.completed:
            self.patch(order_id=oid, cert_not_before=now - 60 * DAY,
                       cert_not_after=now + 60 * DAY)
        for oid in self.awaiting:
            self.patch(order_id=oid, expires=rfc3339(now + 20 * DAY))

    def place(self, oid, days_left):
        now = time.time()
        self.patch(order_id=oid, cert_not_before=now - 30 * DAY,
                   cert_not_after=now + days_left * DAY)

    def check(self, *args, env=None):
        r = run_acmetop([BIN, "--check", *args], env or self.env, timeout=120)
        self.assertNotIn(TOKEN, r.stdout + r.stderr)
        state, summary, perf = parse(r.stdout)
        self.assertEqual(r.returncode, STATES[state], r.stdout + r.stderr)
        return state, summary, perf

    def short(self, oid):
        return oid[:8]

    def test_ok_with_counts_per_status(self):
        state, summary, perf = self.check("--ignore-errors")
        self.assertEqual(state, "OK", summary)
        self.assertIn(f"{len(self.current)} certificates, none expiring within 30d", summary)
        self.assertEqual(perf["certificates"][0], len(self.current))
        self.assertEqual(perf["certificates_expiring_warn"][0], 0)
        self.assertEqual(perf["certificates_expiring_crit"][0], 0)
        self.assertAlmostEqual(perf["soonest_expiry_days"][0], 60, delta=0.1)
        self.assertEqual(perf["soonest_expiry_days"][1:], ("30:", "7:"))
        by_status = {}
        for d in self.orders.values():
            s = d["order_status"].replace("-", "_")
            by_status[s] = by_status.get(s, 0) + 1
        for s, n in by_status.items():
            self.assertEqual(perf[f"orders_{s}"][0], n, s)
        self.assertEqual(perf["orders_revoked"][0], by_status.get("revoked", 0))

    def test_warning_names_the_certificate(self):
        oid = self.current[0]
        self.place(oid, 20)
        state, summary, perf = self.check("--ignore-errors")
        self.assertEqual(state, "WARNING")
        self.assertIn("1 certificate expiring within 30d: ", summary)
        self.assertIn(self.orders[oid]["identifiers"][0], summary)
        self.assertIn(f"(order {self.short(oid)})", summary)
        self.assertRegex(summary, r"expires in 19d 23h|expires in 20d")
        self.assertEqual(perf["certificates_expiring_warn"][0], 1)
        self.assertEqual(perf["certificates_expiring_crit"][0], 0)
        self.assertAlmostEqual(perf["soonest_expiry_days"][0], 20, delta=0.1)

    def test_critical_puts_the_worst_first(self):
        soon, expired, later = self.current[:3]
        self.place(soon, 3)
        self.place(expired, -2)
        self.place(later, 25)
        state, summary, perf = self.check("--ignore-errors")
        self.assertEqual(state, "CRITICAL")
        self.assertTrue(summary.startswith("2 certificates expired or expiring within 7d: "),
                        summary)
        first = re.search(f"\\(order {self.short(expired)}\\) expired (2d|1d 23h) ago", summary)
        second = re.search(f"\\(order {self.short(soon)}\\) expires in (2d 23h|3d)", summary)
        self.assertTrue(first and second, summary)
        self.assertLess(first.start(), second.start())
        self.assertIn(f"; 1 certificate expiring within 30d: ", summary)
        self.assertEqual(perf["certificates_expiring_warn"][0], 3)  # within 30d, all three
        self.assertEqual(perf["certificates_expiring_crit"][0], 2)
        self.assertEqual(perf["certificates_expired"][0], 1)
        self.assertAlmostEqual(perf["soonest_expiry_days"][0], -2, delta=0.1)

    def test_thresholds_from_the_command_line(self):
        self.place(self.current[0], 20)
        state, summary, _ = self.check("--ignore-errors", "--warn", "10d", "--crit", "1d")
        self.assertEqual(state, "OK", summary)
        self.assertIn("none expiring within 10d", summary)
        state, summary, perf = self.check("--ignore-errors", "--warn", "21d", "--crit", "1d")
        self.assertEqual(state, "WARNING", summary)
        self.assertEqual(perf["soonest_expiry_days"][1:], ("21:", "1:"))
        # and from the settings (config file keys expiry_warn / expiry_crit)
        state, summary, _ = self.check("--ignore-errors", "--expiry-crit", "25d")
        self.assertEqual(state, "CRITICAL", summary)

    def test_superseded_certificates_do_not_count(self):
        for oid in self.superseded:
            self.place(oid, -10)
        state, summary, perf = self.check("--ignore-errors")
        self.assertEqual(state, "OK", summary)
        self.assertEqual(perf["certificates_expired"][0], 0)

    def test_orders_in_error_warn_unless_switched_off(self):
        state, summary, perf = self.check()
        unretried = [o for o in self.errors
                     if not any(self.orders[x]["role_name"] == self.orders[o]["role_name"] and
                                sorted(self.orders[x]["identifiers"]) ==
                                sorted(self.orders[o]["identifiers"]) and
                                self.orders[x]["creation_date"] > self.orders[o]["creation_date"]
                                for x in self.orders)]
        self.assertTrue(unretried)
        self.assertEqual(state, "WARNING", summary)
        self.assertIn(f"{len(unretried)} order{'s' if len(unretried) > 1 else ''} in error: ",
                      summary)
        worst = unretried[0]
        self.assertIn(f"(order {self.short(worst)})" if len(unretried) <= 3 else "in error",
                      summary)
        self.assertEqual(perf["orders_error"][0], len(self.errors))
        state, _, _ = self.check("--ignore-errors")
        self.assertEqual(state, "OK")

    def test_awaiting_orders_expiring_within_crit_warn(self):
        oid = self.awaiting[0]
        self.patch(order_id=oid, expires=rfc3339(time.time() + 2 * DAY))
        state, summary, _ = self.check("--ignore-errors")
        self.assertEqual(state, "WARNING", summary)
        self.assertIn("1 order awaiting the operator expiring within 7d: ", summary)
        self.assertRegex(summary, f"\\(order {self.short(oid)}\\) expires in (1d 23h|2d)")
        state, _, _ = self.check("--ignore-errors", "--ignore-pending")
        self.assertEqual(state, "OK")

    def test_a_hostile_name_cannot_break_the_line(self):
        oid = self.current[1]
        self.patch(order_id=oid, identifiers=["evil|x=1.example.com"])
        try:
            self.place(oid, 2)
            state, summary, perf = self.check("--ignore-errors")
            self.assertEqual(state, "CRITICAL")
            self.assertIn("evil/x=1.example.com", summary)
            self.assertNotIn("x", perf)
        finally:
            self.patch(order_id=oid, identifiers=self.orders[oid]["identifiers"])


class CheckUnknown(unittest.TestCase):
    def test_vault_down_is_unknown_with_the_sentence(self):
        env = {"VAULT_ADDR": f"http://127.0.0.1:{free_port()}", "VAULT_TOKEN": TOKEN}
        r = run_acmetop([BIN, "--check"], env, timeout=60)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        state, summary, _ = parse(r.stdout)
        self.assertEqual(state, "UNKNOWN")
        self.assertIn("connection refused", summary.lower())
        self.assertNotIn(TOKEN, r.stdout + r.stderr)

    def test_wrong_token_is_unknown(self):
        with SimProcess("--time-scale", "0", tokens=(TOKEN,)) as sim:
            r = run_acmetop([BIN, "--check"], {"VAULT_ADDR": sim.addr,
                                               "VAULT_TOKEN": "s.wrong-token-1234"}, timeout=60)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"^ACMETOP UNKNOWN - .*permission denied")
        self.assertNotIn("s.wrong-token-1234", r.stdout + r.stderr)

    def test_bad_threshold_and_bad_config_are_unknown(self):
        env = {"VAULT_ADDR": "http://127.0.0.1:1", "VAULT_TOKEN": TOKEN}
        r = run_acmetop([BIN, "--check", "--warn", "soon"], env, timeout=60)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stdout, 'ACMETOP UNKNOWN - --warn "soon" is not a duration '
                                   '(e.g. 30d, 12h)\n')
        r = run_acmetop([BIN, "--check", "--expiry-warn", "forever"], env, timeout=60)
        self.assertEqual(r.returncode, 3)
        self.assertRegex(r.stdout, r'^ACMETOP UNKNOWN - --expiry-warn: "forever" is not a '
                                   r'duration')
        r = run_acmetop([BIN, "--check", "--no-such-flag"], env, timeout=60)
        self.assertEqual((r.returncode, r.stdout), (3, "ACMETOP UNKNOWN - the command line is "
                                                       "wrong: see acmetop --help\n"))
        r = run_acmetop([BIN, "--warn", "3d"], env, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("go with --check", r.stderr)


if __name__ == "__main__":
    unittest.main()
