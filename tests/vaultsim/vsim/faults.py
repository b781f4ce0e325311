# faults.py: faults injected at run time through POST /_sim/faults. Each rule
# applies to /v1 requests whose path (after /v1/) matches path_regex (all when
# absent), for `count` matching requests (until cleared when absent):
#   latency_ms      delay the answer
#   error_status    answer with that status ({"errors":["injected fault ..."]})
#   error_rate      share of matching requests that get the rule's action
#                   (deterministic: 0.5 = every second one; default 1)
#   rate_limit      {"retry_after": S}: 429 with Retry-After: S
#   drop            close the connection without an answer
#   malformed       200 with a truncated JSON body
#   oversize_bytes  200 with a valid JSON body of about that many bytes
#   down            503 {"errors":["Vault is sealed"]}; sys/health reports sealed
# Latency of every matching rule adds up; the first rule with an action wins.

import re
import threading

ACTIONS = ("down", "drop", "rate_limit", "error_status", "malformed", "oversize_bytes")
KNOWN = set(ACTIONS) | {"latency_ms", "error_rate", "path_regex", "count", "method"}


class FaultRule:
    def __init__(self, rule_id: int, spec: dict):
        unknown = set(spec) - KNOWN
        if unknown:
            raise ValueError(f"unknown fault keys {sorted(unknown)}; known: {sorted(KNOWN)}")
        self.id = rule_id
        self.spec = dict(spec)
        self.latency_ms = float(spec.get("latency_ms", 0) or 0)
        self.rate = float(spec.get("error_rate", 1.0))
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")
        self.regex = re.compile(spec["path_regex"]) if spec.get("path_regex") else None
        self.method = spec.get("method")
        self.count = int(spec["count"]) if spec.get("count") is not None else None
        self.acc = 0.0
        self.action = None
        for a in ACTIONS:
            v = spec.get(a)
            if v not in (None, False, 0):
                self.action = a
                break
        if self.action == "error_status" and not 100 <= int(spec["error_status"]) <= 599:
            raise ValueError("error_status must be an HTTP status")
        if self.action == "rate_limit" and not isinstance(spec["rate_limit"], dict):
            self.spec["rate_limit"] = {"retry_after": 1}
        if self.latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return self.regex is None or self.regex.search(path) is not None

    def view(self) -> dict:
        d = dict(self.spec)
        d["id"] = self.id
        d["remaining"] = self.count
        return d


class Decision:
    __slots__ = ("latency_ms", "action", "value")

    def __init__(self):
        self.latency_ms = 0.0
        self.action = None
        self.value = None


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []
        self._next_id = 1

    def add(self, spec: dict) -> FaultRule:
        with self._lock:
            rule = FaultRule(self._next_id, spec)
            self._next_id += 1
            self._rules.append(rule)
            return rule

    def clear(self, rule_id=None) -> int:
        """Remove every rule (or the one with rule_id); returns how many went."""
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if rule_id is not None and r.id != rule_id]
            return before - len(self._rules)

    def list(self):
        with self._lock:
            return [r.view() for r in self._rules]

    def decide(self, method: str, path: str) -> Decision:
        d = Decision()
        if not self._rules:
            return d
        with self._lock:
            for r in list(self._rules):
                if not r.matches(method, path):
                    continue
                if r.count is not None:
                    r.count -= 1
                    if r.count <= 0:
                        self._rules.remove(r)
                d.latency_ms += r.latency_ms
                if r.action is None or d.action is not None:
                    continue
                r.acc += r.rate
                if r.acc >= 1.0 - 1e-9:
                    r.acc -= 1.0
                    d.action = r.action
                    d.value = r.spec[r.action]
        return d
