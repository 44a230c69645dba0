"""One retry/backoff policy and one rate limit for every Intervals.icu request of a run.

- 429: wait `Retry-After` (seconds or HTTP date; capped) — or the backoff when the header is absent.
- 5xx, connection errors, timeouts: capped exponential backoff with full jitter.
- Any other 4xx: never retried.
- A run-wide time budget: once spent, the next failure is final, so a dead API fails the run in
  bounded time.
`sleep` and `clock` are injectable so tests can assert the waits without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/invalid."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


@dataclass
class RetryPolicy:
    """Backoff parameters plus the run-wide budget. One instance is shared by all threads of a run."""

    max_attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    max_retry_after_s: float = 60.0
    run_budget_s: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    waits: list[float] = field(default_factory=list)  # every wait taken, for tests and --debug
    _started: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        if self._started is None:
            self._started = self.clock()

    def remaining_s(self) -> float:
        self.start()
        return self.run_budget_s - (self.clock() - self._started)  # type: ignore[operator]

    def delay_for(self, attempt: int, retry_after: float | None) -> float:
        """Wait before retry number `attempt` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after_s)
        cap = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
        with self._lock:
            return self.rng.uniform(cap / 2, cap)

    def should_retry(self, attempt: int, delay: float) -> bool:
        """True when another attempt fits in both the attempt count and the run budget."""
        return attempt < self.max_attempts and delay < self.remaining_s()

    def wait(self, delay: float) -> None:
        with self._lock:
            self.waits.append(delay)
        if delay > 0:
            self.sleep(delay)


class RateLimiter:
    """Client-side limit for the whole run (the service allows about 10 requests/s per IP)."""

    def __init__(self, per_second: float, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock

    def acquire(self) -> None:
        if self.interval == 0:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)
