"""One retry/backoff policy and one rate limit for every Intervals.icu request of a run.

- 429: wait `Retry-After` (seconds or HTTP date) — or the backoff when the header is absent. A
  `Retry-After` longer than `max_retry_after_s` or than what is left of the deadline is not waited
  for at all: the call fails at once and says when to try again (`wait_too_long`).
- 5xx, connection errors, timeouts: capped exponential backoff with full jitter.
- Any other 4xx: never retried.
- One deadline for the whole run (`deadline_s`, from `start()`): no wait and no request goes past
  it. Every request's timeout is min(its own timeout, time left) (`timeout_for`); once it has
  passed, `expired()` is true and the client makes no further request.
`sleep`, `clock` and `wall_clock` are injectable so tests can assert the waits without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from s11sync.config import DEFAULT_BURST

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
    """Backoff parameters plus the run's deadline. One instance is shared by all threads of a run."""

    max_attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    max_retry_after_s: float = 60.0
    deadline_s: float = 420.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    waits: list[float] = field(default_factory=list)  # every wait taken, for tests and --debug
    run_budget_s: float | None = None  # former name of deadline_s; when given, it sets deadline_s
    _started: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.run_budget_s is not None:
            self.deadline_s = self.run_budget_s

    def start(self) -> None:
        """Start the deadline clock (the first call wins: the pipeline calls it when the run starts)."""
        if self._started is None:
            self._started = self.clock()

    def remaining_s(self) -> float:
        self.start()
        return self.deadline_s - (self.clock() - self._started)  # type: ignore[operator]

    def expired(self) -> bool:
        return self.remaining_s() <= 0

    def timeout_for(self, own_timeout_s: float) -> float:
        """A request's timeout: its own, or less when the deadline is closer (never below 10 ms)."""
        return max(0.01, min(own_timeout_s, self.remaining_s()))

    def wait_too_long(self, retry_after: float) -> bool:
        """True when a server-requested wait is not worth taking: longer than `max_retry_after_s`
        (an early retry would only be refused again) or than what is left of the deadline."""
        return retry_after > self.max_retry_after_s or retry_after >= self.remaining_s()

    def retry_at(self, retry_after: float) -> datetime:
        """Wall-clock instant (UTC) when a server-requested wait ends, for messages."""
        return self.wall_clock() + timedelta(seconds=retry_after)

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
    """Client-side token bucket for the whole run (the service allows about 10 requests/s per IP
    with a short burst): up to `burst` requests go out at once, then one per 1/`per_second` s.

    The bucket starts full, so a run's first few independent requests are not spaced at all; a
    long run is held to the sustained rate. `per_second` <= 0 disables the limit (tests).
    """

    def __init__(
        self,
        per_second: float,
        *,
        burst: int = DEFAULT_BURST,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate = per_second if per_second > 0 else 0.0
        self.burst = max(1, int(burst))
        self._tokens = float(self.burst)
        self._updated: float | None = None
        self._lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock

    def acquire(self) -> None:
        """Take one token, waiting (outside the lock's critical section) until it is there."""
        if self.rate == 0:
            return
        with self._lock:
            now = self._clock()
            if self._updated is not None:
                self._tokens = min(
                    float(self.burst), self._tokens + (now - self._updated) * self.rate
                )
            self._updated = now
            # a token is reserved even when it is not there yet: the bucket goes negative and the
            # caller waits for its share, so concurrent callers queue in order
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
