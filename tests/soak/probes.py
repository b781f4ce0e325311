# probes.py: what the soak measures on the running console and the
# simulator: the time a key takes to show on screen, the order counts the
# header shows against the simulator's, the console's requests from the
# simulator's request log, and the process's resident memory.

import collections
import re
import time

# the header's status words (src/ui/glyphs.c) for the API's statuses
STATUS_WORD = {"new": "new", "submitted": "submitted",
               "awaiting-challenge-fulfillment": "awaiting",
               "fetching-certificate": "fetching", "completed": "completed",
               "error": "error", "expired": "expired", "revoked": "revoked"}
HELP_TITLE = "acmetop help"


def key_latency_ms(t, timeout=5.0):
    """Open the help screen and close it again; the slower of the two, in ms,
    from just before send-keys until capture-pane shows the change."""
    def timed(key, pred):
        t0 = time.monotonic()
        t.keys(key)
        while True:
            if pred(t.screen()):
                return (time.monotonic() - t0) * 1000.0
            if time.monotonic() - t0 > timeout:
                return float("inf")

    if HELP_TITLE in t.screen():
        timed("Escape", lambda s: HELP_TITLE not in s)
    opened = timed("?", lambda s: HELP_TITLE in s)
    closed = timed("Escape", lambda s: HELP_TITLE not in s)
    return max(opened, closed)


def header_rows(screen):
    rows = screen.split("\n")
    return rows[0], rows[1] if len(rows) > 1 else ""


def connected(screen) -> bool:
    top, _ = header_rows(screen)
    return re.search(r"(?<!dis)connected\s*$", top) is not None


def console_counts(screen):
    """(total, {status word: n}) from the header's second row, or None."""
    _, row = header_rows(screen)
    m = re.match(r"\s*(\d+) orders\s", row)
    if not m:
        return None
    by = {w: int(n) for n, w in re.findall(r"(\d+) ([a-z]+)", row[m.end():])
          if w in STATUS_WORD.values() or w == "unknown"}
    return int(m.group(1)), by


def sim_statuses(ctl) -> dict:
    """{order_id: status} as the simulator has them now."""
    r = ctl.sim("GET", "orders")
    assert r.status == 200, r
    return r.json["orders"]


def sim_counts(statuses):
    by = collections.Counter(STATUS_WORD.get(s, "unknown") for s in statuses.values())
    return len(statuses), dict(by)


def rss_kib(pid) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def hwm_kib(pid) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


class RequestLog:
    """The console's requests, read from /_sim/requests as they come; the
    harness's own requests (another token) are left out. mark() is a point
    in the log: count(a, b) the console's requests between two marks."""

    def __init__(self, ctl, harness_sha256):
        self.ctl = ctl
        self.harness = harness_sha256
        self.seq = 0
        self.entries = []

    def mark(self) -> int:
        r = self.ctl.sim("GET", f"requests?since={self.seq}")
        assert r.status == 200, r
        for e in r.json:
            if e["token_sha256"] != self.harness:
                self.entries.append(e)
            self.seq = max(self.seq, e["seq"])
        return self.seq

    def between(self, a, b):
        return [e for e in self.entries if a < e["seq"] <= b]

    def count(self, a, b) -> int:
        return len(self.between(a, b))


def filter_finds(t, order_id, timeout=10.0) -> bool:
    """Filter the list by the order's first 8 characters: does the console
    list exactly that order? The filter is cleared again."""
    t.keys("/")
    t.type(order_id[:8])
    t.keys("Enter")
    try:
        t.wait_for(lambda s: re.search(r"filter " + order_id[:8] + r"\s+(\d+) shown",
                                       header_rows(s)[1]), timeout=timeout)
        shown = re.search(r"filter " + order_id[:8] + r"\s+(\d+) shown",
                          header_rows(t.screen())[1])
        found = bool(shown) and shown.group(1) == "1" and order_id[:8] in t.screen()
    except AssertionError:
        found = False
    t.keys("Escape")
    t.wait_for(lambda s: "filter " not in header_rows(s)[1], timeout=timeout)
    return found
