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


def test_the_deadline_stops_retries_in_bounded_time():
    t = [0.0]
    policy = RetryPolicy(deadline_s=10, clock=lambda: t[0], sleep=lambda s: None)
    policy.start()
    assert policy.should_retry(1, 5.0)
    t[0] = 8.0
    assert not policy.should_retry(1, 5.0)  # 5 s wait does not fit in the 2 s left
    assert not RetryPolicy(max_attempts=3).should_retry(3, 0.1)


def test_the_former_run_budget_name_sets_the_deadline():
    assert RetryPolicy(run_budget_s=12).deadline_s == 12
    assert RetryPolicy().deadline_s == 420


def test_every_request_timeout_is_cut_to_the_time_left():
    t = [0.0]
    policy = RetryPolicy(deadline_s=100, clock=lambda: t[0])
    policy.start()
    assert policy.timeout_for(30) == 30
    t[0] = 90.0
    assert policy.timeout_for(30) == 10 and policy.timeout_for(120) == 10
    assert not policy.expired()
    t[0] = 100.0
    assert policy.expired()
    assert policy.timeout_for(30) == 0.01  # never 0 (requests would block forever)


def test_the_deadline_counts_from_the_first_start():
    t = [5.0]
    policy = RetryPolicy(deadline_s=10, clock=lambda: t[0])
    policy.start()
    t[0] = 12.0
    policy.start()  # a later start (the first request) does not move the deadline
    assert policy.remaining_s() == 3.0


def test_a_retry_after_longer_than_the_run_can_wait_is_not_waited_for():
    t = [0.0]
    now = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
    policy = RetryPolicy(
        deadline_s=420, max_retry_after_s=60, clock=lambda: t[0], wall_clock=lambda: now
    )
    assert policy.wait_too_long(3600)  # a persistent rate limit: longer than the run
    assert policy.wait_too_long(120)  # fits the deadline, but longer than one wait may be
    assert not policy.wait_too_long(12)
    t[0] = 410.0
    assert policy.wait_too_long(12)  # only 10 s left
    assert policy.retry_at(3600) == datetime(2026, 11, 25, 7, 0, tzinfo=timezone.utc)


def _fake_time():
    t = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    return t, slept, sleep


def test_rate_limiter_lets_a_burst_through_then_holds_the_sustained_rate():
    t, slept, sleep = _fake_time()
    limiter = RateLimiter(10.0, burst=3, sleep=sleep, clock=lambda: t[0])
    for _ in range(5):
        limiter.acquire()
    # the first 3 go at once (the bucket starts full); then one every 0.1 s
    assert [round(s, 6) for s in slept] == [0.1, 0.1]


def test_rate_limiter_refills_while_idle_but_never_above_the_burst():
    t, slept, sleep = _fake_time()
    limiter = RateLimiter(10.0, burst=2, sleep=sleep, clock=lambda: t[0])
    limiter.acquire()
    limiter.acquire()
    assert slept == []
    t[0] += 60.0  # a minute idle: the bucket refills to 2, not to 600
    for _ in range(3):
        limiter.acquire()
    assert [round(s, 6) for s in slept] == [0.1]


def test_rate_limiter_queues_callers_that_took_tokens_ahead():
    # concurrent callers reserve tokens before sleeping: the 3rd and 4th wait 0.1 s and 0.2 s
    t = [0.0]
    slept: list[float] = []
    limiter = RateLimiter(10.0, burst=2, sleep=slept.append, clock=lambda: t[0])
    for _ in range(4):
        limiter.acquire()
    assert [round(s, 6) for s in slept] == [0.1, 0.2]


def test_rate_limiter_of_zero_never_waits():
    t, slept, sleep = _fake_time()
    limiter = RateLimiter(0, sleep=sleep, clock=lambda: t[0])
    for _ in range(50):
        limiter.acquire()
    assert slept == []
