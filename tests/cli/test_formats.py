#!/usr/bin/python3
# test_formats.py: `acmetop --once --format csv` read back by Python's csv
# module (RFC 4180: CRLF, quoting of commas and quotes) and `--format
# prometheus` read back by prometheus_client's parser and checked line by
# line against the text exposition format's grammar, against the real
# Vault simulator: every order once, the values Vault holds, the RENEW
# column of certificates placed at chosen points of their lifetime, only
# current (not superseded) certificates as metrics, hostile names escaped.
import csv
import io
import json
import os
import re
import sys
import time
import unittest

from prometheus_client.parser import text_string_to_metric_families

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import run_acmetop  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.formats-test-token-5b2c"
M = "pki-external-ca"
DAY = 86400

# The text exposition format (prometheus.io/docs/instrumenting/exposition_formats):
# comment lines, and samples: name{label="value",...} value [timestamp]
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{(?:{LABEL})(?:,{LABEL})*,?\}})? "
                    r"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]Inf|NaN)( -?\d+)?$")
META = re.compile(rf"^# (HELP|TYPE) ({NAME}) (.*)$")


def check_grammar(test, text):
    """Every line a comment or a sample; HELP and TYPE once per family, before its
    samples; no series twice; the text ends with a line feed."""
    test.assertTrue(text.endswith("\n"))
    seen_meta, seen_series, families_with_samples = set(), set(), set()
    for line in text.split("\n")[:-1]:
        m = META.match(line)
        if m:
            test.assertNotIn((m.group(1), m.group(2)), seen_meta, line)
            test.assertNotIn(m.group(2), families_with_samples, "HELP/TYPE after samples")
            seen_meta.add((m.group(1), m.group(2)))
            if m.group(1) == "TYPE":
                test.assertIn(m.group(3), ("gauge", "counter", "untyped"))
            continue
        m = SAMPLE.match(line)
        test.assertTrue(m, f"not a sample line: {line!r}")
        test.assertIn(("TYPE", m.group(1)), seen_meta, line)
        families_with_samples.add(m.group(1))
        series = (m.group(1), m.group(2))
        test.assertNotIn(series, seen_series, f"series twice: {line!r}")
        seen_series.add(series)


class FormatsAgainstTheSimulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "40", "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)
        cls.env = {"VAULT_ADDR": cls.sim.addr, "VAULT_TOKEN": TOKEN}
        cls.orders = {oid: cls.vault.read(f"{M}/lookup/order/{oid}").data
                      for oid in cls.vault.list(f"{M}/lookup/orders").data["keys"]}
        lines = {}
        for oid, d in cls.orders.items():
            if d["order_status"] == "completed":
                key = (d["role_name"], tuple(sorted(i.lower() for i in d["identifiers"])))
                if key not in lines or (d["creation_date"], oid) > \
                        (cls.orders[lines[key]]["creation_date"], lines[key]):
                    lines[key] = oid
        cls.current = sorted(lines.values())
        cls.superseded = sorted(o for o, d in cls.orders.items()
                                if d["order_status"] == "completed" and o not in lines.values())
        assert len(cls.current) >= 3 and cls.superseded
        now = time.time()
        # a 90-day certificate 70 days in (due on day 60, its window open until day 75),
        # one 80 days in (overdue 20d), one 9.5 days in (due in 50 days and a half)
        cls.placed = {cls.current[0]: (now - 70 * DAY, "due"),
                      cls.current[1]: (now - 80 * DAY, "overdue 20d"),
                      cls.current[2]: (now - 10 * DAY + DAY / 2, "in 50d")}  # 50d 12h
        for oid, (nb, _) in cls.placed.items():
            r = cls.vault.sim("POST", "order", {"order_id": oid, "cert_not_before": nb,
                                                 "cert_not_after": nb + 90 * DAY})
            assert r.status == 200, r
        cls.hostile = cls.current[3]
        cls.hostile_ids = ['a,b.example.com', 'q"uote\\.example.com']
        cls.vault.sim("POST", "order", {"order_id": cls.hostile,
                                         "identifiers": cls.hostile_ids})
        cls.json = {o["order_id"]: o for o in cls.once("--json")}

    @classmethod
    def once(cls, *args):
        r = run_acmetop([BIN, "--once", *args], cls.env, timeout=120)
        assert r.returncode == 0, r.stderr
        assert TOKEN not in r.stdout + r.stderr
        return json.loads(r.stdout) if args == ("--json",) else r.stdout

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def test_csv_has_the_table_columns_and_every_order(self):
        r = run_acmetop([BIN, "--once", "--format", "csv"], self.env, timeout=120, text=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertTrue(out.endswith("\r\n"))
        self.assertNotIn("\n", out.replace("\r\n", ""))  # CRLF only (no name has one)
        rows = list(csv.reader(io.StringIO(out, newline=""), strict=True))
        self.assertEqual(rows[0], ["STATUS", "ORDER ID", "ROLE", "IDENTIFIERS", "CREATED",
                                   "ORDER EXPIRES", "CERT EXPIRES", "RENEW", "LAST ERROR"])
        self.assertTrue(all(len(row) == 9 for row in rows))
        by_id = {row[1]: row for row in rows[1:]}
        self.assertEqual(len(rows) - 1, len(self.orders))
        self.assertEqual(set(by_id), set(self.orders))
        for oid, row in by_id.items():
            j = self.json[oid]
            self.assertEqual(row[0], j["order_status"])
            self.assertEqual(row[2], j["role_name"])
            self.assertEqual(row[3], " ".join(j["identifiers"]))
            self.assertEqual(row[4], j["creation_date"] or "")
            self.assertEqual(row[6], j["cert_not_after"] or "")
            self.assertEqual(row[8], j["last_error"])
            if j["order_status"] != "completed":
                self.assertEqual(row[7], "")
        for oid, (_, renew) in self.placed.items():
            self.assertEqual(by_id[oid][7], renew, oid)
        self.assertEqual(by_id[self.hostile][3], " ".join(self.hostile_ids))
        errors = [row for row in rows[1:] if row[0] == "error"]
        self.assertTrue(errors and all(row[8] for row in errors))

    def test_prometheus_parses_and_holds_vaults_values(self):
        r = run_acmetop([BIN, "--once", "--format", "prometheus"], self.env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        check_grammar(self, r.stdout)
        families = {f.name: f for f in text_string_to_metric_families(r.stdout)}
        for name in ("acmetop_certificate_not_after_seconds",
                     "acmetop_certificate_renew_at_seconds", "acmetop_orders",
                     "acmetop_order_expires_seconds"):
            self.assertIn(name, families)
            self.assertEqual(families[name].type, "gauge")
        certs = families["acmetop_certificate_not_after_seconds"].samples
        # every identifier of every current certificate, nothing of superseded ones
        want = {(oid, ident) for oid in self.current for ident in
                (self.hostile_ids if oid == self.hostile else self.orders[oid]["identifiers"])}
        got = {(s.labels["order_id"], s.labels["identifier"]) for s in certs}
        self.assertEqual(got, want)
        for s in certs:
            self.assertEqual(set(s.labels), {"order_id", "role", "identifier", "mount"})
            self.assertEqual(s.labels["mount"], M)
            j = self.json[s.labels["order_id"]]
            self.assertEqual(s.labels["role"], j["role_name"])
            self.assertEqual(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s.value)),
                             j["cert_not_after"])
        self.assertFalse({s.labels["order_id"] for s in certs} & set(self.superseded))
        renew = {s.labels["order_id"]: s.value
                 for s in families["acmetop_certificate_renew_at_seconds"].samples}
        for oid, (nb, _) in self.placed.items():
            self.assertAlmostEqual(renew[oid], nb + 60 * DAY, delta=1)  # 2/3 of 90 days
        counts = {s.labels["status"]: s.value for s in families["acmetop_orders"].samples}
        for status in {d["order_status"] for d in self.orders.values()}:
            self.assertEqual(counts[status], sum(1 for d in self.orders.values()
                                                 if d["order_status"] == status), status)
        self.assertEqual(counts["vault-challenge-propagating"], 0)
        expiring = families["acmetop_order_expires_seconds"].samples
        in_progress = {o for o, d in self.orders.items()
                       if d["order_status"] in ("new", "submitted",
                                                "awaiting-challenge-fulfillment")}
        self.assertTrue(in_progress)
        self.assertLessEqual(in_progress, {s.labels["order_id"] for s in expiring})
        for s in expiring:
            self.assertEqual(s.labels["status"], self.json[s.labels["order_id"]]["order_status"])

    def test_table_has_the_renew_column(self):
        lines = self.once().splitlines()
        col = lines[0].index("RENEW")
        rows = {line.split()[1]: line for line in lines[1:]}
        for oid, (_, renew) in self.placed.items():
            self.assertEqual(rows[oid][col:col + len(renew) + 2], renew + "  ", rows[oid])

    def test_format_errors(self):
        r = run_acmetop([BIN, "--once", "--format", "xml"], self.env, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn('--format "xml" is not table, json, csv or prometheus', r.stderr)
        r = run_acmetop([BIN, "--format", "csv"], self.env, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--format goes with --once", r.stderr)
        r = run_acmetop([BIN, "--once", "--format", "json"], self.env, timeout=120)
        self.assertEqual(r.returncode, 0)
        self.assertEqual({o["order_id"] for o in json.loads(r.stdout)}, set(self.orders))


if __name__ == "__main__":
    unittest.main()
