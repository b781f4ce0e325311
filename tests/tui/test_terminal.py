#!/usr/bin/python3
# test_terminal: acmetop and the terminal it borrows: every way out (q,
# Ctrl-C, SIGTERM) gives the shell back its prompt, screen and tty modes;
# so does a crash (SIGABRT); an idle console sleeps; NO_COLOR means no colour at all; themes are
# chosen with --theme and a broken theme file is named with its line.

import os
import re
import signal
import tempfile
import time
import unittest

from tuikit import Sim, Tmux, binary, child_pid, cpu_seconds

SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOURS = {str(n) for n in [*range(30, 38), *range(40, 48), *range(90, 98), *range(100, 108),
                            38, 48]}


def colour_sgr(screen: str):
    """The first SGR sequence that sets a colour (39/49, "default", do not)."""
    for m in SGR.finditer(screen):
        if COLOURS & set(m.group(1).split(";")):
            return m.group(0)
    return None


class TestTerminal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "8", "--time-scale", "0").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(80, 24)
        self.addCleanup(self.t.close)

    def shell_run_acmetop(self, how):
        """In a shell: save the tty modes, run acmetop, end it `how`, then
        compare the tty modes and the screen."""
        t = self.t
        tmp = tempfile.mkdtemp(prefix="acmetop-tty-")
        t.start_shell({"VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": "root"})
        t.wait_for(r"PROMPT\$")
        t.type(f"ulimit -c 0; stty -g > {tmp}/before; echo ready-{how}")
        t.keys("Enter")
        t.wait_for(rf"^ready-{how}$")
        t.type(f"{binary()}; echo exit=$?")
        t.keys("Enter")
        t.wait_for(r"IDENTIFIERS")
        t.wait_for(r"\b8 orders\b")
        if how == "q":
            t.keys("q")
        elif how == "ctrl-c":
            t.keys("C-c")
        elif how == "abort":
            # what an allocation failure or a failed assertion does
            os.kill(child_pid(t.pane_pid(), "acmetop"), signal.SIGABRT)
        else:
            os.kill(child_pid(t.pane_pid(), "acmetop"), signal.SIGTERM)
        screen = t.wait_for(r"^exit=\d+\s*$")
        self.assertNotIn("IDENTIFIERS", screen)
        code = int(re.search(r"^exit=(\d+)", screen, re.M).group(1))
        t.wait_for(r"PROMPT\$\s*$")
        # the console is gone: the shell's lines are back, nothing of the panes
        self.assertIn(f"ready-{how}", screen)
        self.assertNotIn("IDENTIFIERS", screen)
        self.assertEqual(t.pane("#{alternate_on}"), "0")
        self.assertEqual(t.pane("#{cursor_flag}"), "1")
        t.type(f"stty -g > {tmp}/after; cmp -s {tmp}/before {tmp}/after && echo tty-same")
        t.keys("Enter")
        t.wait_for(r"^tty-same$")
        return code

    def test_q_restores_the_terminal(self):
        self.assertEqual(self.shell_run_acmetop("q"), 0)

    def test_ctrl_c_restores_the_terminal(self):
        self.assertEqual(self.shell_run_acmetop("ctrl-c"), 128 + signal.SIGINT)

    def test_sigterm_restores_the_terminal(self):
        self.assertEqual(self.shell_run_acmetop("term"), 128 + signal.SIGTERM)

    def test_a_crash_restores_the_terminal(self):
        self.assertEqual(self.shell_run_acmetop("abort"), 128 + signal.SIGABRT)

    def test_idle_console_sleeps(self):
        t = self.t
        t.start_acmetop(self.sim.addr, "--interval", "60s")
        t.wait_for(r"\b8 orders\b")
        pid = t.pane_pid()  # env -i execs acmetop in the pane
        with open(f"/proc/{pid}/comm") as f:
            self.assertEqual(f.read().strip(), "acmetop")
        time.sleep(1.0)  # let the first detail fetches finish
        before, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(4.0)
        used = cpu_seconds(pid) - before
        elapsed = time.monotonic() - t0
        # one redraw a second for the ticking "updated Ns ago": a few ms;
        # a busy loop would use the whole 4 s
        self.assertLess(used / elapsed, 0.03, f"{used:.3f}s CPU in {elapsed:.1f}s idle")

    def test_no_color(self):
        t = self.t
        t.start_acmetop(self.sim.addr, extra_env={"NO_COLOR": "1"})
        screen = t.wait_for(r"\b8 orders\b", escapes=True)
        t.wait_for(r"IDENTIFIERS")
        self.assertIsNone(colour_sgr(screen), "a colour escape in:\n" + repr(screen[:400]))
        self.assertIn("\x1b[7m", screen)  # but reverse video marks the selection
        # and with colours allowed, there are some
        t2 = Tmux(80, 24)
        self.addCleanup(t2.close)
        t2.start_acmetop(self.sim.addr)
        screen = t2.wait_for(r"\b8 orders\b", escapes=True)
        self.assertIsNotNone(colour_sgr(screen))

    def test_themes(self):
        # a broken theme file: named with its line, the default is used
        bad = os.path.join(self.t.home, "broken.theme")
        with open(bad, "w") as f:
            f.write("# my theme\nheader = white on blue\nselected = purple on cyan\n")
        self.t.start_acmetop(self.sim.addr, "--theme", bad)
        self.t.wait_for(r"IDENTIFIERS")
        self.t.wait_for(lambda s: "using the default theme:" in s and
                        "broken.theme:3:" in s and "selected: unknown word 'purple'" in s)
        # a theme by name, found in ./themes of the source tree
        for name in ("light", "high-contrast", "monochrome"):
            t = Tmux(80, 24)
            self.addCleanup(t.close)
            t.start_acmetop(self.sim.addr, "--theme", name)
            screen = t.wait_for(r"\b8 orders\b")
            self.assertNotIn("theme", screen.split("\n")[22], name)
        t = Tmux(80, 24)
        self.addCleanup(t.close)
        t.start_acmetop(self.sim.addr, "--theme", "no-such-theme")
        t.wait_for(r"no theme 'no-such-theme'")


if __name__ == "__main__":
    unittest.main()
