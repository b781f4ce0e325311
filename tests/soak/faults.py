# faults.py: the soak's schedule: each fault is what it does to the
# simulator (begin/end through the control API), how long it lasts at
# SOAK_SCALE=1, and what acmetop's retry rules allow while it lasts (a
# failing fault is retried on the backoff schedule, never sooner than a
# Retry-After it understood).

import email.utils
import time

MIB = 1024 * 1024
BACKOFF_CAP_S = 60.0        # src/net/backoff.h
BACKOFF_JITTER_MIN = 0.8    # ±20 %
RETRY_AFTER_MAX_S = 300     # src/net/retry_after.h


class Fault:
    def __init__(self, name, seconds, rules=(), failing=True, retry_after=0.0, special=None):
        self.name = name
        self.seconds = seconds
        self.rules = rules          # fault rules for POST /_sim/faults (callables allowed)
        self.failing = failing      # every request fails while it lasts
        self.retry_after = retry_after
        self.special = special      # "offline" or "revoke": not a fault rule

    def begin(self, ctl, scale, token):
        """Start the fault; returns its real duration in seconds."""
        d = max(1.0, self.seconds * scale)
        if self.special == "offline":
            ctl.sim("POST", "offline", {"seconds": d})
            ctl.close()
        elif self.special == "revoke":
            r = ctl.sim("DELETE", "token", {"token": token})
            assert r.json == {"revoked": 1}, r
        else:
            rules = [r() if callable(r) else r for r in self.rules]
            r = ctl.sim("POST", "faults", rules)
            assert r.status == 200, r
        return d

    def end(self, ctl, token, deadline_s=10.0):
        if self.special == "offline":   # the simulator comes back by itself
            t0 = time.monotonic()
            while True:
                try:
                    if ctl.sim("GET", "health").status == 200:
                        return
                except OSError:
                    ctl.close()
                if time.monotonic() - t0 > deadline_s:
                    raise AssertionError("the simulator did not come back after offline")
                time.sleep(0.05)
        elif self.special == "revoke":
            assert ctl.sim("POST", "token", {"spec": token}).status == 200
        else:
            assert ctl.sim("DELETE", "faults").status == 200


def backoff_attempts(window_s, interval_s, retry_after_s=0.0):
    """Most attempts a failing Vault can see within window_s: the first, then
    one after each backoff delay at its shortest (jitter -20 %), never
    sooner than Retry-After."""
    t, n, k = 0.0, 1, 1
    ra = min(retry_after_s, RETRY_AFTER_MAX_S)
    while True:
        d = max(min(interval_s * 2 ** (k - 1), BACKOFF_CAP_S) * BACKOFF_JITTER_MIN, ra)
        t += d
        if t > window_s:
            return n
        n += 1
        k += 1


def _http_date_in(seconds):
    return lambda: {"rate_limit": {"retry_after": email.utils.formatdate(
        time.time() + seconds, usegmt=True)}, "error_rate": 0.5}


def schedule():
    """The faults in the order they run (seconds at SOAK_SCALE=1)."""
    return [
        Fault("vault down (refused)", 30, special="offline"),
        # every answer a 5xx, the three statuses in turn
        Fault("5xx 500/502/503", 20,
              [{"error_status": 500, "error_rate": 1 / 3},
               {"error_status": 502, "error_rate": 0.5},
               {"error_status": 503}]),
        # flapping: every second request a 500, so cycles fail and succeed
        Fault("5xx every 2nd request", 20, [{"error_status": 500, "error_rate": 0.5}],
              failing=False),
        Fault("429 Retry-After: 17", 24, [{"rate_limit": {"retry_after": 17}}],
              retry_after=17),
        # every second answer a date 25 s ahead, the others a word
        Fault("429 Retry-After date/junk", 24,
              [_http_date_in(25), {"rate_limit": {"retry_after": "soon-ish"}}]),
        Fault("latency 5 s", 24, [{"latency_ms": 5000}], failing=False),
        Fault("dropped connections", 20, [{"drop": True}]),
        Fault("malformed JSON", 20, [{"malformed": True}]),
        Fault("50 MiB body", 20, [{"oversize_bytes": 50 * MIB}]),
        Fault("token revoked", 20, special="revoke"),
        Fault("sealed", 20, [{"down": True}]),
    ]
