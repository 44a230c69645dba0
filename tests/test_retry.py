"""The shared retry policy and rate limiter, with an injected clock and sleep (no real waiting)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from s11sync.intervals.retry import RateLimiter, RetryPolicy, parse_retry_after


def test_retry_after_in_seconds_and_as_an_http_date():
    assert parse_retry_after("7") == 7.0
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
    later = (now + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now=now) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0


def test_retry_after_is_honoured_but_capped():
    policy = RetryPolicy(max_retry_after_s=60)
    assert policy.delay_for(1, 12.0) == 12.0
    assert policy.delay_for(1, 3600.0) == 60


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap():
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0)
    # attempt n waits in [cap/2, cap] with cap = min(4, 0.5 * 2**(n-1)): 0.5, 1, 2, 4, 4
    for attempt, cap in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (6, 4.0)]:
        delay = policy.delay_for(attempt, None)
        assert cap / 2 <= delay <= cap


def test_run_budget_stops_retries_in_bounded_time():
    t = [0.0]
    policy = RetryPolicy(run_budget_s=10, clock=lambda: t[0], sleep=lambda s: None)
    policy.start()
    assert policy.should_retry(1, 5.0)
    t[0] = 8.0
    assert not policy.should_retry(1, 5.0)  # 5 s wait does not fit in the 2 s left
    assert not RetryPolicy(max_attempts=3).should_retry(3, 0.1)


def test_rate_limiter_spaces_requests_without_sleeping_for_real():
    t = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    limiter = RateLimiter(10.0, sleep=sleep, clock=lambda: t[0])
    for _ in range(5):
        limiter.acquire()
    # 10 requests/s → one every 0.1 s: the 2nd..5th wait 0.1 s each
    assert [round(s, 6) for s in slept] == [0.1, 0.1, 0.1, 0.1]
