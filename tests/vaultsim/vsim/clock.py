# clock.py: the simulated clock every order timeline is read against.
# now = start + real elapsed * time_scale + advanced; time_scale 0 freezes it,
# POST /_sim/advance moves it forward. Thread-safe.

import threading
import time


class SimClock:
    def __init__(self, time_scale: float = 1.0, start: float | None = None):
        self._lock = threading.Lock()
        self._base_sim = time.time() if start is None else start
        self._base_real = time.monotonic()
        self._scale = float(time_scale)

    def now(self) -> float:
        with self._lock:
            return self._base_sim + (time.monotonic() - self._base_real) * self._scale

    @property
    def time_scale(self) -> float:
        return self._scale

    def _rebase(self) -> None:
        real = time.monotonic()
        self._base_sim += (real - self._base_real) * self._scale
        self._base_real = real

    def advance(self, seconds: float) -> float:
        """Move the simulated time forward (never backward); returns the new now."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._rebase()
            self._base_sim += seconds
            return self._base_sim

    def set_scale(self, time_scale: float) -> None:
        if time_scale < 0:
            raise ValueError("time_scale must be >= 0")
        with self._lock:
            self._rebase()
            self._scale = float(time_scale)
