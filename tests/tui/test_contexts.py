#!/usr/bin/python3
# test_contexts: several Vaults from one console, read-only where it matters.
# Two simulators are two contexts of one config file: "team" (in namespace
# team1, the default) and "prod" (read-only, red). Each token comes from the
# context's token_file; no VAULT_* variable is set.
#   once        --once --json --context NAME gives each one's orders, with
#               the context (and the namespace) in every object;
#   switch      :ctx lists both; :ctx prod switches: the header names prod,
#               read-only, and its orders replace team's;
#   read-only   in prod f, n and R are refused with "read-only context prod:
#               ... not sent", and prod's simulator sees no write at all;
#   bad config  an unknown context lists the known ones; [context] without a
#               name, a duplicate context, a token inside a context: each an
#               error naming the file and the line.
#   every place namespace = * and mount = * against 3 namespaces x (a, b, and
#               a kv mount): --once lists the 12 orders with their namespace
#               and mount (the kv mount left out); the console shows the
#               NAMESPACE and MOUNT columns and "6 places, every ..."; :ns
#               lists the namespaces and Enter on one watches it alone.

import json
import os
import re
import subprocess
import unittest

from tuikit import Sim, Tmux, binary


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


class TestContexts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.team = Sim("--seed-orders", "4", "--seed-namespace", "team1", "--time-scale",
                       "0").__enter__()
        cls.prod = Sim("--seed-orders", "6", "--seed", "3", "--time-scale", "0").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.team.__exit__(None, None, None)
        cls.prod.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(120, 30)
        self.addCleanup(self.t.close)
        home = self.t.home
        os.makedirs(f"{home}/.config/acmetop")
        write(f"{home}/token", "root\n")
        self.config = f"{home}/.config/acmetop/config"
        write(self.config, "interval = 1s\n"
                           "context = team\n"
                           "\n"
                           "[context team]\n"
                           f"addr = {self.team.addr}\n"
                           "namespace = team1\n"
                           f"token_file = {home}/token\n"
                           "\n"
                           "[context prod]\n"
                           f"addr = {self.prod.addr}\n"
                           "readonly = true\n"
                           "color = red\n"
                           f"token_file = {home}/token\n")

    def run_once(self, *args):
        return subprocess.run([binary(), "--once", *args], env=self.t.env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=60)

    def test_once_per_context(self):
        for name, sim, count in (("team", self.team, 4), ("prod", self.prod, 6)):
            r = self.run_once("--json", "--context", name)
            self.assertEqual(r.returncode, 0, r.stderr)
            orders = json.loads(r.stdout)
            self.assertEqual(len(orders), count, name)
            self.assertEqual({o["context"] for o in orders}, {name})
            if name == "team":
                self.assertEqual({o["namespace"] for o in orders}, {"team1"})
            else:
                self.assertNotIn("namespace", orders[0])
            listed = set(sim.client.list("pki-external-ca/lookup/orders",
                                         namespace="team1" if name == "team" else None)
                         .data["keys"])
            self.assertEqual({o["order_id"] for o in orders}, listed)

    def test_switch_and_read_only(self):
        t = self.t.start([binary()], self.t.env())
        t.wait_for(r" team .*ns team1")
        t.wait_for(r"\b4 orders\b")
        t.keys(":")
        t.type("ctx")
        t.keys("Enter")
        screen = t.wait_for(r"Contexts  2 in the config file")
        self.assertRegex(screen, r"\* team\s+http://127\.0\.0\.1:\d+\s+team1")
        self.assertRegex(screen, r"  prod\s+http://127\.0\.0\.1:\d+\s+-\s+-\s+yes")
        t.keys("Escape")
        t.keys(":")
        t.type("ctx prod")
        t.keys("Enter")
        screen = t.wait_for(r" prod  read-only ")
        t.wait_for(r"\b6 orders\b")
        self.assertNotIn("ns team1", t.screen())
        # the context's name is drawn in red (background 41 in SGR)
        self.assertRegex(t.screen(escapes=True), r"\x1b\[[0-9;]*41[0-9;]*m prod ")
        since = self.prod.requests()[-1]["seq"]
        for key, name in (("f", "fulfill"), ("n", "new-order"), ("R", "revoke")):
            t.keys(key)
            t.wait_for(rf"read-only context prod: {name} not sent")
        writes = [e for e in self.prod.requests(since)
                  if e["method"] in ("POST", "PUT", "DELETE")]
        self.assertEqual(writes, [])
        # and back: team's orders again
        t.keys(":")
        t.type("ctx team")
        t.keys("Enter")
        t.wait_for(r" team .*ns team1")
        t.wait_for(r"\b4 orders\b")

    def test_unknown_context_lists_the_known_ones(self):
        r = self.run_once("--context", "staging")
        self.assertEqual(r.returncode, 2)
        self.assertIn('no context "staging"', r.stderr)
        self.assertIn("(known: team, prod)", r.stderr)

    def test_bad_sections_name_file_and_line(self):
        cases = [
            ("addr = http://127.0.0.1:1\n[context]\n", 2, "[context] needs a name"),
            ("[context a]\naddr = http://127.0.0.1:1\n[context a]\n", 3,
             'context "a" is defined twice'),
            ("[context a]\ntoken = s.secret-value\n", 2, "must not hold a token"),
        ]
        for text, line, message in cases:
            bad = f"{self.t.home}/bad.conf"
            write(bad, text)
            r = self.run_once("--config", bad)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(f"{bad}:{line}: ", r.stderr)
            self.assertIn(message, r.stderr)
            self.assertNotIn("s.secret-value", r.stderr + r.stdout)


if __name__ == "__main__":
    unittest.main()


class TestEveryPlace(unittest.TestCase):
    """namespace = * and mount = *: the orders of every namespace and every
    mount of the engine (a kv mount and Vault's own left out) in one list."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-namespaces", "3", "--mount", "a", "--mount", "b", "--mount",
                      "secret:kv", "--seed-orders", "2", "--time-scale", "0").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def env(self, t):
        return t.env({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": "root",
                      "VAULT_NAMESPACE": "*", "ACMETOP_MOUNT": "*"})

    def test_once_lists_every_place(self):
        t = Tmux()
        self.addCleanup(t.close)
        r = subprocess.run([binary(), "--once", "--json", "--no-cache"], env=self.env(t),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        orders = json.loads(r.stdout)
        places = {(o["namespace"], o["mount"]) for o in orders}
        self.assertEqual(places, {(f"ns0{i}", m) for i in (1, 2, 3) for m in ("a", "b")})
        self.assertEqual(len(orders), 12)
        for o in orders:  # the simulator tags each name with its place
            self.assertIn(f"{o['namespace']}-{o['mount']}.", o["identifiers"][0])
        table = subprocess.run([binary(), "--once", "--no-cache"], env=self.env(t),
                               stdout=subprocess.PIPE, text=True, timeout=60).stdout
        self.assertRegex(table.splitlines()[0], r"ORDER ID\s+NAMESPACE\s+MOUNT\s+ROLE")

    def test_console_shows_namespace_and_mount(self):
        t = Tmux(140, 30)
        self.addCleanup(t.close)
        t.start([binary(), "--no-cache"], self.env(t))
        screen = t.wait_for(r"\b12 orders\b")
        self.assertRegex(screen, r"ns \*\s+mount \*")
        self.assertRegex(screen, r"6 places, every \d")
        self.assertRegex(screen, r"STATUS.*ID\s+NAMESPACE\s+MOUNT\s+ROLE")
        rows = [l for l in screen.splitlines() if re.search(r" ns0\d\s+[ab]\s", l)]
        self.assertGreaterEqual(len(rows), 6)
        for row in rows:
            ns, mount = re.search(r" (ns0\d)\s+([ab])\s", row).groups()
            self.assertIn(f"{ns}-{mount}.", row)
        t.keys(":")
        t.type("ns")
        t.keys("Enter")
        t.wait_for(r"\* \(every namespace, one list\)")
        t.wait_for(r"^\s+ns03\s*$")
        t.keys("End", "Enter")  # ns03 alone
        t.wait_for(r"ns ns03\s+mount \*")
        t.wait_for(r"\b4 orders\b")
