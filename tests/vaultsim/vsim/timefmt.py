# timefmt.py: how the simulator writes and reads times and durations.
# RFC 3339 output (Z by default, optionally a fixed numeric offset and/or
# fractional seconds like Go's RFC3339Nano) and Go-style duration parsing
# ("1h", "90m", "1h30m", "45s", or plain seconds) for query parameters.

import re
import time

ZERO_TIME = "0001-01-01T00:00:00Z"

_style = {"offset_seconds": 0, "offset_text": "Z", "nanos": False}

_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0,
                 "m": 60.0, "h": 3600.0, "d": 86400.0}


def timefmt_configure(offset: str = "Z", nanos: bool = False) -> None:
    """Choose the output style: offset "Z" or "+HH:MM"/"-HH:MM"; nanos adds fractions."""
    if offset in ("Z", "z", ""):
        _style.update(offset_seconds=0, offset_text="Z")
    else:
        m = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset)
        if not m:
            raise ValueError(f"bad offset {offset!r}: expected Z or +HH:MM / -HH:MM")
        sign = 1 if m.group(1) == "+" else -1
        secs = sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)
        _style.update(offset_seconds=secs, offset_text=offset)
    _style["nanos"] = bool(nanos)


def rfc3339(t: float) -> str:
    """Simulated epoch seconds -> RFC 3339 text in the configured style."""
    local = t + _style["offset_seconds"]
    whole = int(local // 1)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    if _style["nanos"]:
        frac = int(round((local - whole) * 1e9))
        if frac >= 1_000_000_000:
            frac = 999_999_999
        if frac:
            text += "." + f"{frac:09d}".rstrip("0")
    return text + _style["offset_text"]


def parse_duration(text) -> float:
    """Go-style duration or plain number of seconds -> seconds; ValueError if unparsable."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    s = str(text).strip()
    if not s:
        raise ValueError("empty duration")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s)
    pos, total = 0, 0.0
    for m in _DURATION_RE.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if pos != len(s):
        raise ValueError(f"invalid duration {s!r}")
    return total
