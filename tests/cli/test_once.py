#!/usr/bin/python3
# test_once.py: `acmetop --once` and `--once --json` as a script or cron job
# would use them, against the real Vault simulator: every seeded order comes
# out with the values Vault holds, the table is aligned, failures (connection,
# TLS, permission, configuration) exit non-zero with one clear line on
# stderr, and the token never shows up anywhere; --deadline cuts a run
# against a slow Vault with what was read and a distinct exit status.
# The binary is $ACMETOP_BIN (make check points it at the ASan build), else
# build/acmetop.
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vsim.testkit import SimProcess  # noqa: E402
from clikit import free_port, run_acmetop  # noqa: E402

BIN = os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop"))
TOKEN = "s.once-test-token-93f1"


def run(env_extra, *args, timeout=120):
    return run_acmetop([BIN, *args], env_extra, timeout)


class OnceWithTheOrderCache(unittest.TestCase):
    """The cache of an earlier run: a warm --once reads only what changed,
    prints the same orders, notices a revocation, shrugs off a damaged file."""

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "2000", "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def once(self, home):
        self.vault.sim("DELETE", "requests")
        env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
        env.update({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN, "HOME": home,
                    "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                    "XDG_CACHE_HOME": os.path.join(home, ".cache")})
        r = subprocess.run([BIN, "--once", "--json"], env=env, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        log = json.loads(self.vault.sim("GET", "requests").raw)
        return r, sum(1 for e in log if e["path"].startswith("/v1/"))

    def test_warm_start_reads_only_what_changed(self):
        home = tempfile.mkdtemp(prefix="acmetop-home-")
        cold, cold_requests = self.once(home)
        cache_dir = os.path.join(home, ".cache", "acmetop")
        self.assertEqual(os.stat(cache_dir).st_mode & 0o777, 0o700)
        files = os.listdir(cache_dir)
        self.assertEqual(len(files), 1, files)
        path = os.path.join(cache_dir, files[0])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path) as f:
            self.assertNotIn(TOKEN, f.read())

        warm, warm_requests = self.once(home)
        self.assertEqual(json.loads(warm.stdout), json.loads(cold.stdout))
        self.assertLessEqual(warm_requests, cold_requests * 0.05,
                             (warm_requests, cold_requests))

        # a completed order is revoked meanwhile: the warm run sees it
        done = [o for o in json.loads(cold.stdout) if o["order_status"] == "completed"][0]
        self.vault.sim("POST", "order", {"order_id": done["order_id"],
                                         "order_status": "revoked"})
        again, _ = self.once(home)
        by_id = {o["order_id"]: o for o in json.loads(again.stdout)}
        self.assertEqual(by_id[done["order_id"]]["order_status"], "revoked")

        # a damaged file: one warning, the orders read from Vault, a new file
        with open(path, "r+") as f:
            f.truncate(os.path.getsize(path) // 2)
        broken, broken_requests = self.once(home)
        self.assertIn("order cache", broken.stderr)
        self.assertIn("ignored", broken.stderr)
        self.assertEqual(len(json.loads(broken.stdout)), 2000)
        self.assertGreater(broken_requests, 2000)
        fixed, fixed_requests = self.once(home)
        self.assertEqual(fixed.stderr, "")
        self.assertLessEqual(fixed_requests, cold_requests * 0.05)

    def test_no_cache_writes_nothing(self):
        home = tempfile.mkdtemp(prefix="acmetop-home-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
        env.update({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN, "HOME": home,
                    "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                    "XDG_CACHE_HOME": os.path.join(home, ".cache")})
        r = subprocess.run([BIN, "--once", "--no-cache"], env=env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(home, ".cache", "acmetop")))


class OnceUnderADeadline(unittest.TestCase):
    """A slow Vault (every order read takes 500 ms): --deadline 2s ends the
    run on time with the orders read so far, says so, exits 3."""

    ORDERS = 300

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", str(cls.ORDERS), "--time-scale", "0",
                             tokens=(TOKEN,))
        cls.sim.start()
        cls.env = {"VAULT_ADDR": cls.sim.addr, "VAULT_TOKEN": TOKEN}
        cls.vault = cls.sim.client(TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def slow_once(self, *args):
        self.vault.sim("POST", "faults", {"path_regex": "^pki-external-ca/lookup/order/",
                                          "latency_ms": 500})
        try:
            t0 = time.monotonic()
            r = run(self.env, "--once", "--deadline", "2s", *args)
            return r, time.monotonic() - t0
        finally:
            self.vault.sim("DELETE", "faults")

    def partial_count(self, r):
        m = re.search(r"^acmetop: --deadline 2s reached after (\d+) of (\d+) orders: "
                      r"the list is partial$", r.stderr, re.M)
        self.assertIsNotNone(m, r.stderr)
        self.assertEqual(int(m.group(2)), self.ORDERS)
        return int(m.group(1))

    def test_json_is_the_orders_read_before_the_deadline(self):
        r, took = self.slow_once("--json")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertGreaterEqual(took, 2.0)
        self.assertLess(took, 3.5)  # the deadline, plus at most ~1 s to cut a read in flight
        orders = json.loads(r.stdout)  # still one valid JSON array
        self.assertEqual(len(orders), self.partial_count(r))
        self.assertGreater(len(orders), 0)
        self.assertLess(len(orders), self.ORDERS)
        # each one read in full, with Vault's values: no summaries, nothing stale
        for o in orders:
            want = self.vault.read(f"pki-external-ca/lookup/order/{o['order_id']}").data
            for field in ("order_status", "role_name", "identifiers", "last_error"):
                self.assertEqual(o[field], want[field], f"{o['order_id']} {field}")
            self.assertEqual(set(o["challenges"]), set(want["challenges"]))
            self.assertFalse(o["stale"])
        self.assertNotIn("stale", r.stderr)
        self.assertNotIn(TOKEN, r.stdout + r.stderr)

    def test_table_says_partial_and_keeps_its_rows(self):
        r, took = self.slow_once()
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertLess(took, 3.5)
        lines = r.stdout.splitlines()
        self.assertIn("ORDER ID", lines[0])
        self.assertEqual(len(lines) - 1, self.partial_count(r))

    def test_a_fast_vault_is_not_cut(self):
        r = run(self.env, "--once", "--json", "--deadline", "60s")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), self.ORDERS)
        self.assertNotIn("deadline", r.stderr)


class OnceAgainstSeededVault(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "2000", "--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.env = {"VAULT_ADDR": cls.sim.addr, "VAULT_TOKEN": TOKEN}
        cls.vault = cls.sim.client(TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def test_json_has_every_order_with_vaults_values(self):
        r = run(self.env, "--once", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        orders = json.loads(r.stdout)
        self.assertEqual(len(orders), 2000)
        ids = {o["order_id"] for o in orders}
        keys = self.vault.list("pki-external-ca/lookup/orders").data["keys"]
        self.assertEqual(ids, set(keys))
        by_id = {o["order_id"]: o for o in orders}
        # every field of the API's order object, with Vault's values
        for oid in keys[::40]:
            want = self.vault.read(f"pki-external-ca/lookup/order/{oid}").data
            got = by_id[oid]
            self.assertEqual(got["mount"], "pki-external-ca")
            for field in ("order_status", "role_name", "identifiers", "csr", "last_error",
                          "serial_number"):
                self.assertEqual(got[field], want[field], f"{oid} {field}")
            self.assertEqual(set(got["challenges"]), set(want["challenges"]))
            for field in ("creation_date", "last_update", "expires"):
                self.assertTrue(got[field].endswith("Z"))
                self.assertEqual(got[field][:19], want[field][:19].replace(" ", "T"),
                                 f"{oid} {field}")
        completed = [o for o in orders if o["order_status"] == "completed"]
        self.assertTrue(completed)
        for o in completed[::25]:
            cert = self.vault.read(f"pki-external-ca/lookup/cert/{o['serial_number']}").data
            self.assertEqual(o["cert_not_after"][:19], cert["not_after"][:19])
            self.assertIsInstance(o["days_left"], (int, float))
        self.assertNotIn(TOKEN, r.stdout + r.stderr)

    def test_table_is_aligned_with_one_row_per_order(self):
        r = run(self.env, "--once")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2001)
        header = lines[0]
        for title in ("STATUS", "ORDER ID", "ROLE", "IDENTIFIERS", "CREATED", "ORDER EXPIRES",
                      "CERT EXPIRES", "RENEW", "LAST ERROR"):
            self.assertIn(title, header)
        id_col = header.index("ORDER ID")
        created_col = header.index("CREATED")
        for line in lines[1:]:
            # the ID starts under its title, and a timestamp or '-' under CREATED
            self.assertNotEqual(line[id_col - 1:id_col + 1][1], " ", line)
            self.assertEqual(line[id_col - 2:id_col], "  ", line)
            self.assertRegex(line[created_col:created_col + 20], r"^(\d{4}-\d\d-\d\dT|- )")
        self.assertNotIn(TOKEN, r.stdout + r.stderr)

    def test_wrong_token_is_a_permission_sentence(self):
        r = run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": "s.wrong-token"}, "--once")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("permission denied", lines[0])
        self.assertIn("pki-external-ca/lookup/orders", lines[0])
        self.assertNotIn("s.wrong-token", r.stderr)

    def test_token_from_vault_token_file(self):
        env = {"VAULT_ADDR": self.sim.addr}
        home = tempfile.mkdtemp(prefix="acmetop-home-")
        with open(os.path.join(home, ".vault-token"), "w") as f:
            f.write(TOKEN + "\n")
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
        env["XDG_CACHE_HOME"] = os.path.join(home, ".cache")
        full = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
        full.update(env)
        r = subprocess.run([BIN, "--once", "--json"], env=full, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), 2000)


class OnceFailures(unittest.TestCase):
    def test_connection_refused(self):
        port = free_port()
        r = run({"VAULT_ADDR": f"http://127.0.0.1:{port}", "VAULT_TOKEN": TOKEN}, "--once")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn(f"127.0.0.1:{port}", r.stderr)
        self.assertIn("refused", r.stderr)

    def test_bad_config_names_file_and_line(self):
        home = tempfile.mkdtemp(prefix="acmetop-home-")
        cfg = os.path.join(home, "config")
        with open(cfg, "w") as f:
            f.write("# acmetop\nmount = pki\nparallel = many\n")
        r = run({"VAULT_ADDR": "http://127.0.0.1:1", "VAULT_TOKEN": TOKEN}, "--config", cfg,
                "--once")
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"{cfg}:3", r.stderr)

    def test_token_is_refused_on_the_command_line(self):
        r = run({}, "--once", TOKEN)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("VAULT_TOKEN", r.stderr)
        self.assertNotIn(TOKEN, r.stderr)


class OnceTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--tls", "--seed-orders", "30", "--time-scale", "0",
                             tokens=(TOKEN,))
        cls.sim.start()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def test_accepted_with_vault_cacert(self):
        r = run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN,
                 "VAULT_CACERT": self.sim.cacert}, "--once", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), 30)

    def test_refused_without_it_with_a_hint(self):
        r = run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN}, "--once")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("TLS", r.stderr)
        self.assertIn("VAULT_CACERT", r.stderr)


class OnceDegraded(unittest.TestCase):
    def test_lookup_denied_lists_active_orders_and_warns(self):
        with SimProcess("--seed-orders", "100", "--time-scale", "0",
                        tokens=(TOKEN, "limited:deny=*/lookup/*")) as sim:
            vault = sim.client(TOKEN)
            active = 0
            for role in vault.list("pki-external-ca/role").data["keys"]:
                r = vault.list(f"pki-external-ca/role/{role}/active-orders")
                active += len(r.data["keys"]) if r.status == 200 else 0
            vault.close()
            r = run({"VAULT_ADDR": sim.addr, "VAULT_TOKEN": "limited"}, "--once", "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(len(json.loads(r.stdout)), active)
            self.assertIn("permission denied", r.stderr)
            self.assertIn("lookup/orders", r.stderr)

    def test_everything_denied_without_role_says_use_role(self):
        with SimProcess("--seed-orders", "10", tokens=("narrow:deny=*/lookup/*,deny=*/role",)) as sim:
            r = run({"VAULT_ADDR": sim.addr, "VAULT_TOKEN": "narrow"}, "--once")
            self.assertEqual(r.returncode, 1)
            self.assertIn("--role", r.stderr)
            r = run({"VAULT_ADDR": sim.addr, "VAULT_TOKEN": "narrow"}, "--once", "--json",
                    "--role", "web-servers")
            self.assertEqual(r.returncode, 0, r.stderr)
            for o in json.loads(r.stdout):
                self.assertEqual(o["role_name"], "web-servers")


class OnceWhoFulfils(unittest.TestCase):
    """Vault's DNS providers in --once --json: each challenge says who fulfils
    it (fulfilled_by), Vault's own statuses are known statuses, and a token
    that may not read config/dns gets null, not an error."""

    EXPIRES = "2030-01-01T00:00:00Z"

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--seed-orders", "40", "--time-scale", "0",
                             tokens=(TOKEN, "nodns:deny=*/config/dns*"))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)
        r = cls.vault.write("pki-external-ca/config/dns/rfc2136/internal-dns", {
            "identifiers": ["*.auto.example.net"], "ttl": "60s",
            "nameserver": "127.0.0.1:53", "tsig_key_name": "acme",
            "tsig_secret": "c2VjcmV0LW5vdC10by1iZS1zaG93bg==", "tsig_algorithm": "hmac-sha256"})
        assert r.status in (200, 204), r.raw
        ids = sorted(json.loads(cls.vault.sim("GET", "orders").raw)["orders"])
        cls.hybrid, cls.moving = ids[0], ids[1]
        ch = lambda t: {"challenge_type": t, "challenge_status": "pending",
                        "expires": cls.EXPIRES}
        # a hybrid order: one name a provider covers, one it does not
        cls.vault.sim("POST", "order", {
            "order_id": cls.hybrid, "order_status": "awaiting-challenge-fulfillment",
            "identifiers": ["x.auto.example.net", "www.example.com"],
            "challenges": {"x.auto.example.net": [ch("dns-01"), ch("http-01")],
                           "www.example.com": [ch("dns-01")]}})
        # an order in Vault's own DNS work
        cls.vault.sim("POST", "order", {"order_id": cls.moving,
                                        "order_status": "vault-challenge-propagating",
                                        "identifiers": ["y.auto.example.net"],
                                        "challenges": {"y.auto.example.net": [ch("dns-01")]}})
        cls.env = {"VAULT_ADDR": cls.sim.addr, "VAULT_TOKEN": TOKEN}

    @classmethod
    def tearDownClass(cls):
        cls.vault.close()
        cls.sim.stop()

    def by_id(self, token):
        r = run({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": token}, "--once", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return r, {o["order_id"]: o for o in json.loads(r.stdout)}

    def test_each_challenge_says_who_fulfils_it(self):
        r, orders = self.by_id(TOKEN)
        hybrid = orders[self.hybrid]["challenges"]
        by = {(ident, c["challenge_type"]): c["fulfilled_by"]
              for ident, cs in hybrid.items() for c in cs}
        self.assertEqual(by, {("x.auto.example.net", "dns-01"): "vault:rfc2136/internal-dns",
                              ("x.auto.example.net", "http-01"): "operator",
                              ("www.example.com", "dns-01"): "operator"})
        # the fields consumers read are still there, unchanged
        self.assertEqual(hybrid["www.example.com"][0]["challenge_status"], "pending")
        self.assertEqual(hybrid["www.example.com"][0]["expires"], self.EXPIRES)
        # every other challenge as Vault's providers say (the first whose globs,
        # leftmost '*' only, cover the name fulfils its dns-01)
        providers = []
        for key in self.vault.list("pki-external-ca/config/dns").data["keys"]:
            globs = self.vault.read(f"pki-external-ca/config/dns/{key}").data.get(
                "identifiers") or []
            providers.append((key, [g.lower() for g in globs]))

        def covers(glob, name):
            if glob.startswith("*"):
                return len(name) > len(glob) - 1 and name.endswith(glob[1:])
            return glob == name

        for oid, o in orders.items():
            for ident, cs in o["challenges"].items():
                for c in cs:
                    want = "operator"
                    if c["challenge_type"] == "dns-01":
                        for key, globs in providers:
                            if any(covers(g, ident.lower()) for g in globs):
                                want = "vault:" + key
                                break
                    self.assertEqual(c["fulfilled_by"], want, (oid, ident))
        self.assertNotIn("c2VjcmV0", r.stdout + r.stderr)

    def test_vault_statuses_rank_as_known_statuses(self):
        r, orders = self.by_id(TOKEN)
        self.assertEqual(orders[self.moving]["order_status"], "vault-challenge-propagating")
        # the table lists by urgency: Vault's DNS work comes before every order
        # merely submitted, new or fetching (an unknown status would come after)
        table = run(self.env, "--once")
        self.assertEqual(table.returncode, 0, table.stderr)
        statuses = [line.split()[0] for line in table.stdout.splitlines()[1:]]
        at = statuses.index("vault-challenge-propagating")
        later = {"new", "submitted", "fetching-certificate"}
        self.assertTrue(later & set(statuses), statuses)
        self.assertFalse(later & set(statuses[:at]), statuses)

    def test_providers_denied_is_null_not_an_error(self):
        self.vault.sim("DELETE", "requests")
        r, orders = self.by_id("nodns")
        self.assertEqual(r.stderr, "")
        self.assertEqual(orders[self.hybrid]["order_status"], "awaiting-challenge-fulfillment")
        for o in orders.values():
            for cs in o["challenges"].values():
                for c in cs:
                    self.assertIsNone(c["fulfilled_by"])
        # one LIST config/dns, denied, and no retry within the run
        log = json.loads(self.vault.sim("GET", "requests").raw)
        dns = [e for e in log if "config/dns" in e["path"]]
        self.assertEqual([(e["method"], e["status"]) for e in dns], [("LIST", 403)])


if __name__ == "__main__":
    unittest.main()
