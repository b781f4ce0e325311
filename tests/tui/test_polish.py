#!/usr/bin/python3
# test_polish: what a new user tripped over, in the real terminal.
#   events      a status change made in Vault appears in the events view (E)
#               with from -> to and its last error; Enter shows the order;
#   pause       z freezes the list: a change made meanwhile is not shown, the
#               header counts what waits, keys that act are refused; z again
#               shows it;
#   pinned      scrolled to the last challenge of a many-name order, the
#               challenges pane still names its identifier at the top;
#   80x24       on the challenges, with the responder running: the strip is
#               one line, the challenge's token and Deploy lines are on
#               screen, and the legend shows w, p and Tab;
#   offline     an empty list while Vault is unreachable says so.

import re
import unittest

from tuikit import Sim, Tmux, free_port

ROW = re.compile(r"^[ !?+]\S (\S+)\s+([0-9a-f]{8}) ")


class TestPolish(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "30", "--seed", "7", "--time-scale", "0").__enter__()
        cls.orders = cls.sim.orders()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def start(self, cols=100, rows=30, env=None):
        self.t = Tmux(cols, rows)
        self.addCleanup(self.t.close)
        self.t.start_acmetop(self.sim.addr, extra_env=env)
        self.t.wait_for(r"\b30 orders\b")
        return self.t

    def of_status(self, status):
        return sorted(k for k, v in self.orders.items() if v["order_status"] == status)

    def test_events_keep_a_change_nobody_watched(self):
        t = self.start()
        oid = self.of_status("submitted")[0]
        self.sim.patch(order_id=oid, order_status="error", last_error="the CA said no (test)")
        self.addCleanup(self.sim.patch, order_id=oid, order_status="submitted", last_error="")
        t.keys("E")
        screen = t.wait_for(rf"{oid[:8]}\s+submitted -> error", timeout=20)
        self.assertIn("Events  1 status change seen", screen)
        self.assertIn("Last error  the CA said no (test)", screen)
        t.keys("Enter")
        t.wait_for(rf"Order\s+{oid}")
        t.wait_for(r"STATUS")

    def test_pause_freezes_the_list(self):
        t = self.start()
        oid = self.of_status("submitted")[-1]
        t.keys("/")
        t.type(oid[:13])
        t.keys("Enter")
        t.wait_for(r"1 shown")
        t.keys("z")
        t.wait_for(r"PAUSED \(0 updates wait, z resumes\)")
        self.sim.patch(order_id=oid, order_status="completed")
        self.addCleanup(self.sim.patch, order_id=oid, order_status="submitted")
        screen = t.wait_for(r"PAUSED \([1-9]\d* updates? wait", timeout=20)
        row = next(line for line in screen.split("\n") if f" {oid[:8]} " in line)
        self.assertIn("submitted", row)
        t.keys("r")
        t.wait_for(r"paused: z resumes first \(\d+ updates? wait\), then r")
        t.keys("z")
        t.wait_for(r"resumed: \d+ updates? applied")
        t.wait_for(lambda s: any(f" {oid[:8]} " in line and "completed" in line
                                 for line in s.split("\n")) and s)

    def test_scrolled_challenges_keep_their_identifier(self):
        t = self.start(80, 24)
        many = [k for k, v in self.orders.items()
                if v["order_status"] == "awaiting-challenge-fulfillment"
                and len(v["identifiers"]) >= 3]
        self.assertTrue(many)
        o = self.orders[many[0]]
        t.keys("/")
        t.type(many[0][:13])
        t.keys("Enter", "Enter")
        t.wait_for(r"Challenges\]?\s+1/\d+")
        t.keys("G")
        screen = t.wait_for(r"Challenges\]?\s+(\d+)/\1\b")
        lines = screen.split("\n")
        at = next(i for i, line in enumerate(lines)
                  if re.search(r"Challenges\]?\s+\d+/\d+", line))
        # the line under the pane's title names an identifier of the order
        self.assertIn(lines[at + 1].strip(), o["identifiers"])

    def test_80x24_deploying_keeps_the_keys_and_values_on_screen(self):
        port = free_port()
        t = self.start(80, 24, env={"ACMETOP_DEMO_HTTP01_PORT": str(port)})
        oid = self.of_status("awaiting-challenge-fulfillment")[0]
        t.keys("/")
        t.type(oid[:13])
        t.keys("Enter", "w")
        t.wait_for(r"HTTP-01 responder 127\.0\.0\.1:\d+")
        t.keys("Enter")
        screen = t.wait_for(r"Token\s+\S+", timeout=20)
        self.assertRegex(screen, r"Deploy\s+")
        legend = screen.rstrip("\n").split("\n")[-1]
        for key in ("fFulfill", "pCheck", "wServe", "DDeploy", "TabPane"):
            self.assertIn(key, legend)
        lines = screen.rstrip("\n").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith(" HTTP-01 responder"))
        self.assertEqual(at, len(lines) - 3, screen)  # the strip's title line only
        self.assertIn("serving", lines[-2])           # then the message, the legend

    def test_unreachable_vault_says_why_the_list_is_empty(self):
        t = Tmux(100, 30)
        self.addCleanup(t.close)
        t.start_acmetop(f"http://127.0.0.1:{free_port()}")
        t.wait_for(r"no orders read: Vault cannot be reached", timeout=20)


if __name__ == "__main__":
    unittest.main()
