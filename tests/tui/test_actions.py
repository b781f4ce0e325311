#!/usr/bin/python3
# test_actions: what an operator does in the console, checked against the
# scripted simulator: fulfill a challenge (the POST carries the right
# identifier and challenge type, and the new statuses appear by themselves),
# copy the token, key authorization and dns-01 TXT value (OSC 52 into tmux's
# buffer), and hostile server text (escape sequences in last_error, wide and
# accented identifiers) that must not change the screen beyond its pane.

import re
import time
import unittest

from tuikit import MOUNT, Sim, Tmux, display_width, dns01_txt_value

ROW = re.compile(r"^[ !](\S) (\S+)\s+([0-9a-f]{8}) ")


def row_of(screen: str, oid: str):
    for line in screen.split("\n")[3:]:
        m = ROW.match(line)
        if m and oid.startswith(m.group(3)):
            return line
    return None


class TestActions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # 10 simulated seconds per second: an order awaits its challenges
        # half a second after it was created
        cls.sim = Sim("--seed-orders", "6", "--time-scale", "10").__enter__()
        cls.created = {}
        for name, role, idents in (
                ("fulfill", "web-servers", ["tui-fulfill.example.com"]),
                ("copy", "web-servers", ["tui-copy.example.com"]),
                ("hostile", "legacy-rsa", ["tui-hostile.legacy.example.org"]),
                ("wide", "legacy-rsa", ["tui-wide.legacy.example.org", "two.legacy.example.org"])):
            r = cls.sim.client.write(f"{MOUNT}/role/{role}/new-order", {"identifiers": idents})
            assert r.status == 200, r
            cls.created[name] = r.data["order_id"]
        deadline = time.monotonic() + 20
        while any(cls.sim.order(oid)["order_status"] != "awaiting-challenge-fulfillment"
                  for oid in cls.created.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("the test orders never reached awaiting-challenge-fulfillment")
            time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(80, 24)
        self.addCleanup(self.t.close)

    def open_order(self, oid, *args):
        """Start the console and filter the list down to one order."""
        self.t.start_acmetop(self.sim.addr, *args)
        self.t.wait_for(r"\bIDENTIFIERS\b")
        # filtered at once: the order need not be among the rows on screen
        # (at 80x24 seven rows show; a loaded machine can sort it lower)
        self.t.keys("/")
        self.t.type(oid[:13])
        self.t.keys("Enter")
        return self.t.wait_for(lambda s: "1 shown" in s and re.search(
            rf"Order\s+{oid}|Challenges", s) and s)

    def test_fulfill_posts_the_right_challenge_and_shows_the_result(self):
        oid = self.created["fulfill"]
        ident = "tui-fulfill.example.com"
        # the plain yes/no dialog: the scripted simulator's names resolve
        # nowhere, so the pre-flight check is switched off here (the checks
        # are tested end to end against pebble in test_deploy_e2e.py)
        self.open_order(oid, "--no-preflight")
        self.t.keys("Enter")  # an awaiting order: Enter goes to its challenges
        self.t.wait_for(rf"^ {re.escape(ident)}\s*$")
        # the cursor starts on the first pending challenge (http-01); move to dns-01
        self.t.wait_for(rf"^ http-01 {re.escape(ident)}")
        self.t.keys("j")
        self.t.wait_for(rf"^ dns-01 {re.escape(ident)}")
        self.t.keys("f")
        screen = self.t.wait_for(r"Fulfill challenge")
        self.assertIn("Mark the dns-01 challenge of", screen)
        self.assertIn(ident, screen)
        self.assertIn(oid, screen)
        self.assertIn("[y] Fulfill", screen)
        since = max([e["seq"] for e in self.sim.requests()] or [0])
        self.t.keys("y")

        def posted():
            return [e for e in self.sim.requests(since)
                    if e["method"] in ("POST", "PUT") and e["path"].endswith("fulfilled-challenge")]
        deadline = time.monotonic() + 10
        while not posted() and time.monotonic() < deadline:
            time.sleep(0.05)
        posts = posted()
        self.assertEqual(len(posts), 1, "exactly one POST")
        self.assertEqual(posts[0]["path"],
                         f"/v1/{MOUNT}/role/web-servers/order/{oid}/fulfilled-challenge")
        self.assertEqual(posts[0]["status"], 204)
        # the body names the challenge chosen on screen
        self.assertEqual(posts[0]["body"], {"identifier": ident, "challenge_type": "dns-01"})
        # and the simulator validated only that one
        ch = self.sim.order(oid)["challenges"][ident]
        by_type = {c["challenge_type"]: c["challenge_status"] for c in ch}
        self.assertIn(by_type["dns-01"], ("processing", "valid"))
        self.assertEqual(by_type["http-01"], "pending")
        self.assertEqual(by_type["tls-alpn-01"], "pending")
        # no key pressed from here on: the new statuses arrive by themselves
        self.t.wait_for(r"marked fulfilled")
        screen = self.t.wait_for(lambda s: (row_of(s, oid) or "").find(" completed ") > 0 and s)
        self.assertRegex(screen, r"✔ dns-01\s+valid")
        self.assertEqual(self.sim.order(oid)["order_status"], "completed")

    def test_copy_token_key_authorization_and_txt_value(self):
        oid = self.created["copy"]
        ident = "tui-copy.example.com"
        order = self.sim.order(oid)
        http = self.sim.challenge(order, ident, "http-01")
        dns = self.sim.challenge(order, ident, "dns-01")
        self.open_order(oid)
        self.t.keys("Enter")
        self.t.wait_for(rf"^ http-01 {re.escape(ident)}")
        self.t.wait_for(r"Key auth")
        self.t.keys("c")
        screen = self.t.wait_for(r"copied the key authorization \((\d+) bytes")
        n = len(http["challenge_auth"])
        self.assertIn(f"copied the key authorization ({n} bytes, OSC 52)", screen)
        self.assertEqual(self.t.buffer(), http["challenge_auth"])
        self.t.keys("t")
        self.t.wait_for(r"copied the token")
        self.assertEqual(self.t.buffer(), http["challenge_token"])
        # dns-01: the TXT value, base64url(SHA-256(key authorization))
        self.t.keys("j")
        self.t.wait_for(rf"^ dns-01 {re.escape(ident)}")
        txt = dns01_txt_value(dns["challenge_auth"])
        screen = self.t.wait_for(rf"TXT value\s+{re.escape(txt)}")
        self.assertRegex(screen, rf"TXT name\s+_acme-challenge\.{re.escape(ident)}")
        self.t.keys("x")
        self.t.wait_for(r"copied the TXT value \(43 bytes")
        self.assertEqual(self.t.buffer(), txt)
        # x on a non-dns challenge says why it copies nothing
        self.t.keys("k", "x")
        self.t.wait_for(r"the TXT value belongs to dns-01")
        self.assertEqual(self.t.buffer(), txt)

    def test_escape_sequences_in_last_error_do_not_reach_the_terminal(self):
        oid = self.created["hostile"]
        self.open_order(oid)
        title = self.t.pane("#{pane_title}")
        # clear screen, home, set the window title, red text, cursor moves,
        # backspaces, bell, C1 CSI, a DEC private mode (hide the cursor),
        # the alternate screen off, and invisible format characters (a
        # right-to-left override, a zero-width space, a BOM)
        hostile = ("\x1b[2J\x1b[HX\x1b]0;PWNED\x07\x1b[31mRED\x1b[0m\r\x08\x08"
                   "\x9b31mC1\x1b[?25l\x1b[?1049lEND\x1b[10;10H"
                   "\u202eDIR\u200bZW\ufeffBOM")
        # a status change moves last_update, as every change of an order in
        # Vault does: that is what the console watches for
        self.sim.patch(order_id=oid, order_status="error", last_error=hostile)
        screen1 = self.t.wait_for(lambda s: "END" in s and "RED" in s and s)
        self.assertEqual(self.t.pane("#{pane_title}"), title)
        self.assertEqual(self.t.pane("#{alternate_on}"), "1")
        # The same text with every control character replaced as the
        # sanitizer documents it (C0/DEL, C1 and format characters -> "?",
        # CR -> " "): the screen must be exactly the same.
        invisible = {0x202e, 0x200b, 0xfeff}
        plain = "".join(" " if c == "\r" else "?" if 0x80 <= ord(c) < 0xa0
                        or ord(c) < 0x20 or ord(c) == 0x7f or ord(c) in invisible
                        else c for c in hostile)
        since = max(e["seq"] for e in self.sim.requests())
        self.sim.patch(order_id=oid, order_status="error", last_error=plain)

        def read_again():
            return any(e["path"].endswith(f"/lookup/order/{oid}")
                       for e in self.sim.requests(since))
        deadline = time.monotonic() + 15
        while not read_again():
            self.assertLess(time.monotonic(), deadline, "the console did not see the change")
            time.sleep(0.05)
        time.sleep(0.2)
        screen2 = self.t.settled()
        # times move between the two captures (relative ones tick; the
        # simulated clock runs 10x, so a slow machine sees a new next-work
        # date): compare without them, and below the header (whose "updated
        # Ns ago" changes its layout)
        times = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|"
                           r"\b(in )?\d+[ydhms]( \d+[ydhms])?( ago)?|\bnow\b")
        # (a masked time of another width moves its column's padding)
        body1 = re.sub(r" +", " ", times.sub("T", "\n".join(screen1.split("\n")[2:])))
        body2 = re.sub(r" +", " ", times.sub("T", "\n".join(screen2.split("\n")[2:])))
        self.assertEqual(body1, body2)
        self.assertEqual(screen1.split("\n")[0], screen2.split("\n")[0])
        self.assertIn("?[2J?[HX?]0;PWNED??[31mRED?[0m", screen2)
        # two backspaces and the C1 CSI: one "?" each, as each invisible one
        self.assertIn("???31mC1?[?25l?[?1049lEND?[10;10H?DIR?ZW?BOM", screen2)
        # everything else is where it was: header, list, legend
        lines = screen2.split("\n")
        self.assertIn(self.sim.addr, lines[0])
        self.assertIn("IDENTIFIERS", lines[2])
        self.assertRegex(screen2, r"\?Help /Filter")

    def test_wide_and_accented_identifiers_are_cut_by_display_width(self):
        oid = self.created["wide"]
        wide = "bücher-ünïcödé-日本語のテスト-ドメイン.legacy.example.org"
        self.sim.patch(order_id=oid, identifiers=[wide, "two.legacy.example.org"])
        self.open_order(oid)
        screen = self.t.wait_for(lambda s: "bücher" in (row_of(s, oid) or "") and s)
        lines = screen.split("\n")
        row = row_of(screen, oid)
        title = lines[2]
        self.assertLessEqual(display_width(row), 80)
        # the identifiers are cut with "…", "+1" stays, and the AGE column
        # starts where its title does, measured in terminal columns
        self.assertIn("… +1 ", row)
        end = row.index("… +1") + len("… +1")
        self.assertEqual(display_width(row[:end]) + 1, display_width(title[:title.index("AGE")]))
        # the detail pane has the whole name
        self.assertIn(wide, screen)


if __name__ == "__main__":
    unittest.main()
