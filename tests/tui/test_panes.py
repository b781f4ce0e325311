#!/usr/bin/python3
# test_panes: acmetop's console in tmux against the scripted simulator: the
# panes show the seeded orders as the API has them, the keys move and
# filter, the help comes from the action table, the screen follows resizes
# (including the "too small" notice) and live updates arrive with no key
# pressed.

import re
import unittest

from tuikit import MOUNT, Sim, Tmux

SHORT = {"new": "new", "submitted": "submitted", "awaiting-challenge-fulfillment": "awaiting",
         "vault-challenge-fulfillment": "vault-dns", "vault-challenge-propagating": "dns-wait",
         "notify-acme-server-challenges-completed": "notify-ca",
         "processing-challenge": "ca-check", "fetching-certificate": "fetching",
         "completed": "completed", "error": "error", "expired": "expired", "revoked": "revoked"}
URGENCY = ["awaiting", "error", "ca-check", "notify-ca", "dns-wait", "vault-dns", "fetching",
           "submitted", "new", "completed", "expired", "revoked"]
ROW = re.compile(r"^[ !](\S) (\S+)\s+([0-9a-f]{8}) (\S+)\s+(.*)$")
ORDER_LINE = re.compile(r"^ Order\s+([0-9a-f-]{36})\s*$", re.M)


def list_rows(screen: str) -> list:
    """(glyph, status, short id, role, rest) of every order row on screen."""
    rows = []
    for line in screen.split("\n")[3:]:
        m = ROW.match(line)
        if not m:
            break
        rows.append(m.groups())
    return rows


def selected_order(screen: str):
    m = ORDER_LINE.search(screen)
    return m.group(1) if m else None


class TestPanes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "14", "--seed", "7", "--time-scale", "0").__enter__()
        cls.orders = cls.sim.orders()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(80, 24)
        self.addCleanup(self.t.close)

    def start(self, *args):
        self.t.start_acmetop(self.sim.addr, *args)
        self.t.wait_for(rf"\b{len(self.orders)} orders\b")
        return self.t.wait_for(lambda s: len(list_rows(s)) >= 7 and selected_order(s) and s)

    def find(self, short_id):
        hits = [o for oid, o in self.orders.items() if oid.startswith(short_id)]
        self.assertEqual(len(hits), 1, f"short ID {short_id} matches {len(hits)} orders")
        return hits[0]

    def test_panes_show_the_seeded_orders(self):
        screen = self.start()
        self.assertIn(self.sim.addr, screen.split("\n")[0])
        self.assertIn(f"mount {MOUNT}", screen.split("\n")[0])
        self.assertNotIn("root", screen.split("\n")[0].split("token")[0])
        rows = list_rows(screen)
        self.assertEqual(len(rows), 7)  # 80x24: seven orders above the detail
        ranks = []
        for glyph, status, short, role, rest in rows:
            o = self.find(short)
            self.assertEqual(status, SHORT[o["order_status"]], f"row {short}")
            self.assertTrue(o["role_name"].startswith(role.rstrip("…~")), f"row {short}")
            first = o["identifiers"][0]
            self.assertTrue(rest.startswith(first[:10]), f"{rest!r} vs {first!r}")
            if len(o["identifiers"]) > 1:
                self.assertRegex(rest, rf"\+{len(o['identifiers']) - 1}\b")
            ranks.append(URGENCY.index(status))
        self.assertEqual(ranks, sorted(ranks), "sorted by urgency")
        # the detail pane holds every field of the first order
        oid = selected_order(screen)
        self.assertTrue(oid.startswith(rows[0][2]))
        o = self.orders[oid]
        self.assertRegex(screen, rf"Reference\s+{MOUNT}/role/{o['role_name']}/order/")
        self.assertRegex(screen, r"Status\s+\S {}".format(re.escape(o["order_status"])))
        self.t.keys("Tab")  # into the detail: scroll down to the dates
        for _ in range(20):
            screen = self.t.settled()
            if o["creation_date"][:19] in screen:
                break
            self.t.keys("j")
            self.t.wait_for(lambda s: s != screen, timeout=2)
        self.assertRegex(screen, r"Created\s+{}Z  \(".format(o["creation_date"][:19]))
        # the key legend
        self.assertRegex(screen.rstrip("\n").split("\n")[-1], r"\?Help .*qQuit")

    def test_navigation(self):
        screen = self.start()
        rows = list_rows(screen)
        first = selected_order(screen)
        self.t.keys("j")
        self.t.wait_for(lambda s: selected_order(s) and selected_order(s).startswith(rows[1][2]))
        self.t.keys("Down", "Down")
        self.t.wait_for(lambda s: selected_order(s) and selected_order(s).startswith(rows[3][2]))
        self.t.keys("k")
        self.t.wait_for(lambda s: selected_order(s) and selected_order(s).startswith(rows[2][2]))
        self.t.keys("G")  # the last order scrolls into view and is selected
        screen = self.t.wait_for(lambda s: list_rows(s) and list_rows(s)[0][2] != rows[0][2]
                                 and s)
        last = list_rows(screen)[-1]
        self.assertTrue(selected_order(screen).startswith(last[2]))
        # the first rows scrolled out of view: the title says where we are
        total = len(self.orders)
        self.assertRegex(screen.split("\n")[2], rf"IDENTIFIERS\s+{total}/{total}\s")
        self.t.keys("Home")
        self.t.wait_for(lambda s: selected_order(s) == first and list_rows(s)[0][2] == rows[0][2])
        self.t.keys("NPage")  # a page is the visible rows less one
        self.t.wait_for(lambda s: selected_order(s) and selected_order(s).startswith(rows[6][2]))
        # Tab: challenges pane replaces the detail below the list
        self.t.keys("g", "Tab", "Tab")
        screen = self.t.wait_for(r"^  Detail  \[Challenges\]")
        self.assertEqual(len(list_rows(screen)), 4)  # the focused lower pane grows
        self.t.keys("Escape")  # back to the list, which grows again
        self.t.wait_for(lambda s: len(list_rows(s)) == 7 and "[Challenges]" in s)
        self.t.keys("Tab")
        self.t.wait_for(r"^ \[Detail\]  Challenges")

    def test_filter_status_filter_and_sort(self):
        self.start()
        # an identifier only one order has
        counts = {}
        for o in self.orders.values():
            for i in o["identifiers"]:
                counts[i] = counts.get(i, 0) + 1
        oid, o = next((k, v) for k, v in self.orders.items()
                      if counts[v["identifiers"][0]] == 1)
        ident = o["identifiers"][0]
        self.t.keys("/")
        self.t.type(ident[:-1])
        screen = self.t.wait_for(lambda s: len(list_rows(s)) == 1 and s)
        self.assertTrue(oid.startswith(list_rows(screen)[0][2]))
        self.assertIn("1 match", screen)      # live, while typing
        self.t.keys("Enter")
        screen = self.t.wait_for(r"filter .*1 shown")
        self.assertEqual(selected_order(screen), oid)
        self.t.keys("Escape")  # clears the filter
        self.t.wait_for(lambda s: len(list_rows(s)) == 7)
        # quick status filter 4: failed orders only
        failed = [k for k, v in self.orders.items()
                  if v["order_status"] in ("error", "expired", "revoked")]
        self.t.keys("4")
        screen = self.t.wait_for(rf"show failed\s+{len(failed)} shown")
        for row in list_rows(screen):
            self.assertIn(row[1], ("error", "expired", "revoked"))
        self.t.keys("0")
        self.t.wait_for(r"sort urgency")
        self.t.keys("<", "<", "<", "<", "g")  # STATUS -> RENEW -> CERT -> EXPIRES -> AGE
        self.t.wait_for(r"sort newest")
        self.t.wait_for(r"AGE↓")  # the sorted column's title is marked
        screen = self.t.wait_for(lambda s: len(list_rows(s)) == 7 and s)
        newest = max(self.orders.values(), key=lambda v: v["creation_date"])
        self.assertTrue(newest["_id"].startswith(list_rows(screen)[0][2]))

    def test_help_comes_from_the_action_table(self):
        self.start()
        self.t.keys("?")
        self.t.wait_for(r"acmetop help")
        self.t.wait_for(r" 1/\d+\s*$")  # 80x24: it scrolls
        self.t.keys("j")
        self.t.wait_for(r" 2/\d+\s*$")
        self.t.resize(120, 90)  # all of it
        screen = self.t.wait_for(r"q F10")
        for key in ("? F1 F2", "/ F3 F4", "0-4", "f", "c", "x", "t", "r F5", "q F10", "Enter"):
            self.assertRegex(screen, rf"(?m)^.*\s{re.escape(key)}\s{{2,}}\S")
        self.assertIn("[asks first]", screen)  # fulfill confirms
        self.t.keys("Escape")
        self.t.wait_for(lambda s: "acmetop help" not in s)

    def test_resize_to_tiny_and_back(self):
        self.start()
        self.t.resize(40, 10)
        screen = self.t.wait_for(r"terminal too small")
        self.assertIn("need 60x16", screen)
        self.assertIn("have 40x10", screen)
        self.assertNotIn("IDENTIFIERS", screen)
        self.t.resize(80, 24)
        self.t.wait_for(lambda s: len(list_rows(s)) == 7 and "IDENTIFIERS" in s)
        self.t.resize(160, 48)
        screen = self.t.wait_for(r"^ Detail .*│ Challenges")  # side by side
        self.assertGreaterEqual(len(list_rows(screen)), 14)
        self.t.resize(80, 24)
        self.t.wait_for(lambda s: len(list_rows(s)) == 7 and "[Detail]" in s)

    def mouse(self, button, x, y):
        """An X10 mouse report, as the terminal sends it (0-based x, y)."""
        self.t.type("\x1b[M" + chr(32 + button) + chr(33 + x) + chr(33 + y))

    def test_mouse_click_wheel_and_legend(self):
        screen = self.start()
        rows = list_rows(screen)
        self.mouse(0, 20, 3 + 4)  # press on the fifth order
        self.mouse(3, 20, 3 + 4)  # release
        self.t.wait_for(lambda s: (selected_order(s) or "").startswith(rows[4][2]))
        self.mouse(64, 20, 3 + 1)  # wheel up over the list: three orders up
        self.t.wait_for(lambda s: (selected_order(s) or "").startswith(rows[1][2]))
        # a click on the legend runs that key: "?Help" at its left end
        self.mouse(0, 1, 23)
        self.t.wait_for(r"acmetop help")

    def test_updates_arrive_without_a_key(self):
        screen = self.start()
        oid = selected_order(screen)
        o = self.orders[oid]
        self.sim.patch(order_id=oid, order_status="revoked" if o["order_status"] != "revoked"
                       else "error")
        want = "revoked" if o["order_status"] != "revoked" else "error"
        # no key pressed: the worker's next poll changes the screen, and the
        # selection stays on the order although it re-sorts
        screen = self.t.wait_for(rf"Status\s+\S {want}")
        self.assertEqual(selected_order(screen), oid)
        self.sim.patch(order_id=oid, order_status=o["order_status"])


if __name__ == "__main__":
    unittest.main()
