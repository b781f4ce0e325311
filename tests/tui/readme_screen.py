#!/usr/bin/python3
# readme_screen.py: the README's sample screen, taken from the real program:
# the scripted simulator with 30 seeded orders (seed 7, frozen clock), the
# console in tmux at 100x24, captured once every order is shown. Addresses
# are written as 127.0.0.1:8200. With --write it replaces the block after
# README's marker line; test_readme_screen compares the two, relative times
# masked (they move with the clock).
#   tests/tui/readme_screen.py [--write]     (make docs runs it with --write)

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from tuikit import ROOT, Sim, Tmux  # noqa: E402

README = os.path.join(ROOT, "README.md")
MARKER = "<!-- sample screen: tests/tui/readme_screen.py writes the block below -->"
COLS, ROWS = 100, 24
SPAN = re.compile(r"\b\d+[smhdy](?: \d+[smhdy])?\b")


def capture() -> str:
    with Sim("--seed-orders", "30", "--seed", "7", "--time-scale", "0") as sim:
        t = Tmux(COLS, ROWS)
        try:
            t.start_acmetop(sim.addr)
            t.wait_for(r"\b30 orders\b")
            screen = t.wait_for(lambda s: "updated just now" in s and "Challenges" in s
                                and " expired" in s.split("\n")[1] and s)
        finally:
            t.close()
        lines = [line.rstrip() for line in screen.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        text = "\n".join(lines)
        return text.replace(sim.addr, "http://127.0.0.1:8200")


def readme_block() -> str:
    with open(README) as f:
        text = f.read()
    at = text.index(MARKER) + len(MARKER)
    start = text.index("```\n", at) + 4
    end = text.index("\n```", start)
    return text[start:end]


def masked(screen: str) -> str:
    """Relative times (27m 34s, 6d 23h, ...) as N, runs of blanks as one:
    they move with the clock (and the columns' padding with them)."""
    return "\n".join(re.sub(r" +", " ", SPAN.sub("N", line)) for line in screen.split("\n"))


def write(screen: str) -> None:
    with open(README) as f:
        text = f.read()
    old = readme_block()
    text = text.replace(old, screen, 1)
    with open(README, "w") as f:
        f.write(text)


if __name__ == "__main__":
    shot = capture()
    if sys.argv[1:] == ["--write"]:
        write(shot)
        print(f"README.md: sample screen written ({COLS}x{ROWS})")
    else:
        print(shot)
