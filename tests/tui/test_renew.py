#!/usr/bin/python3
# test_renew: renewals in the console against the scripted simulator: the
# RENEW column and the header's count of a certificate placed inside its
# renewal window, N on it opens the new-order form with its role and names
# filled in and Enter creates the renewal, the detail links the two orders
# ("Renews" on the new one, "Renewed by" on the old one), and once the
# renewal completes H hides the superseded certificate and shows it again.

import re
import time
import unittest

from tuikit import MOUNT, Sim, Tmux

DAY = 86400
NAME = "tui-renew.example.com"


class TestRenew(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "4", "--time-scale", "10").__enter__()
        c = cls.sim.client
        r = c.write(f"{MOUNT}/role/web-servers/new-order", {"identifiers": [NAME]})
        assert r.status == 200, r
        cls.old = r.data["order_id"]
        deadline = time.monotonic() + 20
        while cls.sim.order(cls.old)["order_status"] != "awaiting-challenge-fulfillment":
            assert time.monotonic() < deadline, "the order never awaited its challenges"
            time.sleep(0.1)
        r = c.write(f"{MOUNT}/role/web-servers/order/{cls.old}/fulfilled-challenge",
                    {"identifier": NAME, "challenge_type": "http-01"})
        assert r.status == 204, r
        while cls.sim.order(cls.old)["order_status"] != "completed":
            assert time.monotonic() < deadline, "the order never completed"
            time.sleep(0.1)
        # a 90-day certificate 70 days in: due since day 60, its window open until day 75
        now = time.time()
        cls.sim.patch(order_id=cls.old, cert_not_before=now - 70 * DAY,
                      cert_not_after=now + 20 * DAY)

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(120, 60)
        self.addCleanup(self.t.close)

    ROW = re.compile(r"^[ !?](\S) (\S+)\s+([0-9a-f]{8}) ")

    def row(self, screen, oid):
        """The list's row of oid (not a mention in the detail)."""
        for line in screen.split("\n")[3:]:
            m = self.ROW.match(line)
            if m and oid.startswith(m.group(3)):
                return line
        return None

    def test_renew_links_and_hide(self):
        t = self.t
        t.start_acmetop(self.sim.addr, "--interval", "0.5s")
        t.wait_for(r"\bRENEW\b")
        t.keys("/")
        t.type(NAME)
        t.keys("Enter")
        s = t.wait_for(lambda s: "1 shown" in s and self.row(s, self.old) and
                       re.search(r"\bdue\s*$", self.row(s, self.old)) and s)
        t.wait_for(lambda s: re.search(r"\b\d+ due\b", s.split("\n")[1]) and s)  # header
        t.wait_for(r"Renew\s+due \(due from ")

        # N: the form with the role picked and the name typed, for review
        t.keys("N")
        s = t.wait_for(rf"Renewing order {self.old[:8]}: the same role and names")
        self.assertRegex(s, r"Role web-servers")
        self.assertRegex(s, rf"Names or CSR file: {re.escape(NAME)}")
        self.assertRegex(s, rf"allowed\s+{re.escape(NAME)}")
        t.keys("Enter")
        s = t.wait_for(rf"order ([0-9a-f-]{{36}}) created, renewing {self.old[:8]}")
        new = re.search(rf"order ([0-9a-f-]{{36}}) created, renewing", s).group(1)
        self.assertNotEqual(new, self.old)
        self.assertEqual(self.sim.order(new)["role_name"], "web-servers")
        self.assertEqual(self.sim.order(new)["identifiers"], [NAME])

        # the new order, selected, says what it renews
        t.wait_for(lambda s: "2 shown" in s and s)
        t.wait_for(rf"Renews\s+{self.old[:8]}\S* \(completed\)")

        # the renewal completes: the old certificate is superseded
        self.sim.patch(order_id=new, order_status="completed")
        t.wait_for(lambda s: (r := self.row(s, new)) and "completed" in r and s, timeout=20)
        t.keys("G")  # the old one is the other row
        for _ in range(3):
            s = t.settled()
            if re.search(rf"Order\s+{self.old}", s):
                break
            t.keys("k")
        t.wait_for(rf"Order\s+{self.old}")
        s = t.wait_for(rf"Renewed by\s+{new[:8]}\S* \(completed\): this certificate is")
        self.assertIn("superseded (H hides it)", s)

        # H hides it, H shows it again
        t.keys("H")
        s = t.wait_for(lambda s: "1 shown" in s and not self.row(s, self.old) and s)
        self.assertTrue(self.row(s, new))
        self.assertIn("superseded certificates hidden", s)
        t.keys("H")
        s = t.wait_for(lambda s: "2 shown" in s and self.row(s, self.old) and s)
        self.assertIn("superseded certificates shown", s)

    def test_on_change_outcome_on_the_message_line(self):
        t = self.t
        r = self.sim.client.write(f"{MOUNT}/role/web-servers/new-order",
                                  {"identifiers": ["tui-hook.example.com"]})
        oid = r.data["order_id"]
        t.start_acmetop(self.sim.addr, "--interval", "0.5s", "--on-change",
                        'echo "deployed $ACMETOP_IDENTIFIERS"; exit 4')
        t.wait_for(r"\bRENEW\b")
        time.sleep(1.5)  # the first listing is done: what it found is no change
        self.sim.patch(order_id=oid, order_status="error", last_error="boom")
        t.wait_for(rf"on_change {oid[:8]} \S+ → error: exit 4: deployed tui-hook\.example\.com",
                   timeout=20)

    def test_n_on_an_order_not_completed_says_why(self):
        t = self.t
        r = self.sim.client.write(f"{MOUNT}/role/web-servers/new-order",
                                  {"identifiers": ["tui-pending.example.com"]})
        pending = r.data["order_id"]
        t.start_acmetop(self.sim.addr)
        t.wait_for(r"\bRENEW\b")
        t.keys("/")
        t.type("tui-pending")
        t.keys("Enter")
        t.wait_for(lambda s: "1 shown" in s and self.row(s, pending) and s)
        t.keys("N")
        t.wait_for(rf"order {pending[:8]} is \S+: N renews a completed order")


if __name__ == "__main__":
    unittest.main()
