"""The Intervals.icu client over loopback HTTP against the emulator: shapes, error translation,
retries, counting and the bounded worker pool.

No request is mocked: every test drives `IntervalsClient` over a real socket to the session
`intervals_emulator`, with faults injected on the server side. Retry waits are asserted from
`RetryPolicy.waits` (the injected `sleep` never sleeps), never from the wall clock.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from faults.proxy import FaultProxy

from s11sync.demo.intervals_icu.athlete import DEFAULT_FILE_BASE
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.errors import (
    AthleteNotFound,
    AuthRefused,
    BadResponse,
    ConfigError,
    DeadlineExceeded,
    EndpointNotFound,
    IntervalsError,
    RateLimited,
    ResponseTooLarge,
    Unavailable,
)
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy

WRONG_KEY = "wrong-key-Zq81-must-not-appear"
ACTIVITIES = r"^/api/v1/athlete/[^/]+/activities$"
ATHLETE = r"^/api/v1/athlete/[^/]+$"
ATHLETE_NOT_0 = r"^/api/v1/athlete/(?!0$)[^/]+$"  # /athlete/0 still answers (the base URL check)


def make_client(
    emu: IntervalsEmulator,
    *,
    athlete_id: str | None = None,
    key: str | None = None,
    base_url: str | None = None,
    timeout_s: float = 5.0,
    workers: int = 4,
    **policy: Any,
) -> IntervalsClient:
    """A client on the emulator whose retry waits are recorded, not slept; no rate limit."""
    return IntervalsClient(
        base_url or emu.base_url,
        athlete_id if athlete_id is not None else emu.athlete_id,
        key if key is not None else emu.api_key,
        timeout_s=timeout_s,
        policy=RetryPolicy(sleep=lambda _s: None, **policy),
        limiter=RateLimiter(0),
        workers=workers,
    )


def counts(emu: IntervalsEmulator) -> Counter[str]:
    with emu._lock:
        return Counter(emu.request_counts)


def served_since(emu: IntervalsEmulator, before: Counter[str]) -> Counter[str]:
    """Requests the emulator served since `before`, per route template."""
    return counts(emu) - before


def drain(emu: IntervalsEmulator, before: Counter[str], endpoint: str, served: int) -> None:
    """Wait until the emulator's delayed handlers (still sleeping after the client timed out)
    have answered, so their late counts do not land in the next test."""
    deadline = time.monotonic() + 10
    while served_since(emu, before)[endpoint] < served and time.monotonic() < deadline:
        time.sleep(0.02)


def assert_no_secret(exc: BaseException, *secrets: str) -> None:
    """Neither the message nor any chained exception shows a key, not even a prefix."""
    seen: BaseException | None = exc
    while seen is not None:
        for text in (str(seen), repr(seen)):
            for secret in secrets:
                assert secret not in text
                assert secret[:8] not in text
        seen = seen.__cause__ or seen.__context__


@pytest.fixture
def today(demo_today: date) -> date:
    return demo_today


@pytest.fixture
def proxy(intervals_emulator: IntervalsEmulator) -> Iterator[FaultProxy]:
    """The fault-injecting proxy (tests/faults/proxy.py) in front of the emulator."""
    with FaultProxy(intervals_emulator.root) as running:
        yield running


# ---- happy path -------------------------------------------------------------------------------


def test_athlete_comes_with_sport_settings(intervals_emulator):
    athlete = make_client(intervals_emulator).athlete()

    assert athlete["id"] == intervals_emulator.athlete_id
    assert athlete["timezone"]
    ride = next(s for s in athlete["sportSettings"] if "Ride" in s["types"])
    assert isinstance(ride["ftp"], int) and ride["ftp"] > 0


def test_activities_are_the_window_newest_first_and_fields_project_them(intervals_emulator, today):
    client = make_client(intervals_emulator)
    oldest = today - timedelta(days=13)

    full = client.activities(oldest, today)
    slim = client.activities(oldest, today, fields=("id", "type", "start_date_local"))

    assert full, "the demo athlete trains in the last two weeks"
    starts = [a["start_date_local"] for a in full]
    assert starts == sorted(starts, reverse=True)
    assert all(oldest.isoformat() <= s[:10] <= today.isoformat() for s in starts)
    assert [a["id"] for a in slim] == [a["id"] for a in full]
    for row in slim:
        if "type" in row:  # Strava stubs come back as few-field stubs whatever is asked
            assert set(row) <= {"id", "type", "start_date_local"}


def test_wellness_is_one_record_per_day_inside_the_window(intervals_emulator, today):
    oldest = today - timedelta(days=13)
    records = make_client(intervals_emulator).wellness(oldest, today)

    days = [r["id"] for r in records]
    assert days == sorted(set(days))
    assert oldest.isoformat() <= days[0] and days[-1] <= today.isoformat()
    assert 1 <= len(days) <= 14


def test_events_honour_the_window_and_the_category_filter(intervals_emulator, today):
    client = make_client(intervals_emulator)
    oldest, newest = today - timedelta(days=14), today + timedelta(days=90)

    everything = client.events(oldest, newest)
    health = client.events(
        today - timedelta(days=365), newest, category=("SICK", "INJURED"), resolve=False
    )

    assert {"WORKOUT", "RACE_A"} <= {e["category"] for e in everything}
    assert all(
        oldest.isoformat() <= e["start_date_local"][:10] <= newest.isoformat() for e in everything
    )
    assert health and {e["category"] for e in health} <= {"SICK", "INJURED"}


def test_one_curves_call_returns_several_curves_in_request_order(intervals_emulator):
    client = make_client(intervals_emulator)
    before = counts(intervals_emulator)

    power = client.curves("power", ["42d", "1y"], "Ride")

    assert [c["id"] for c in power["list"]] == ["42d", "1y"]
    assert all(len(c["secs"]) == len(c["values"]) > 0 for c in power["list"])
    assert isinstance(power["activities"], dict)
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}/power-curves": 1})


def test_athlete_zero_resolves_to_the_keys_own_athlete(intervals_emulator):
    client = make_client(intervals_emulator, athlete_id="0")

    assert client.athlete()["id"] == intervals_emulator.athlete_id
    assert client.athlete_id == intervals_emulator.athlete_id


def test_a_numeric_id_is_tried_as_given_then_with_an_i(intervals_emulator):
    numeric = intervals_emulator.athlete_id.removeprefix("i")
    client = make_client(intervals_emulator, athlete_id=numeric)
    before = counts(intervals_emulator)

    assert client.athlete()["id"] == intervals_emulator.athlete_id

    assert client.athlete_id == intervals_emulator.athlete_id
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}": 2})


# ---- refused and wrong ids --------------------------------------------------------------------


def test_a_wrong_key_is_refused_with_where_to_find_the_right_one(intervals_emulator):
    client = make_client(intervals_emulator, key=WRONG_KEY)

    with pytest.raises(AuthRefused) as caught:
        client.athlete()

    message = str(caught.value)
    assert caught.value.status == 401
    assert "Settings → Developer Settings" in message
    assert "Basic" in message and "API_KEY" in message and "Bearer" in message
    assert_no_secret(caught.value, WRONG_KEY, intervals_emulator.api_key)


def test_an_unknown_athlete_says_what_an_athlete_id_looks_like(intervals_emulator):
    with pytest.raises(AthleteNotFound) as caught:
        make_client(intervals_emulator, athlete_id="i999999").athlete()

    message = str(caught.value)
    assert caught.value.status == 404 and caught.value.endpoint == "/athlete/{id}"
    assert "i999999" in message and "i123456" in message and "0" in message
    assert_no_secret(caught.value, intervals_emulator.api_key)


def test_an_unknown_numeric_id_names_both_ids_tried(intervals_emulator):
    before = counts(intervals_emulator)

    with pytest.raises(AthleteNotFound) as caught:
        make_client(intervals_emulator, athlete_id="999999").athlete()

    assert "'999999'" in str(caught.value) and "'i999999'" in str(caught.value)
    # both ids, then /athlete/0 once to rule out a wrong base URL
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}": 3})


def test_another_athletes_id_names_the_keys_own_athlete(intervals_emulator):
    emu = intervals_emulator
    client = make_client(emu, athlete_id=emu.other_athlete_id)
    before = counts(emu)

    with pytest.raises(AuthRefused) as first:
        client.athlete()
    with pytest.raises(AuthRefused) as second:
        client.activities(date(2026, 11, 1), date(2026, 11, 25))

    message = str(first.value)
    assert first.value.status == 403
    assert f"this key belongs to athlete {emu.athlete_id}" in message
    assert f"ATHLETE_ID is {emu.other_athlete_id}" in message
    assert emu.athlete_id in str(second.value)
    # /athlete/0 is asked once per client, not once per refusal
    assert served_since(emu, before) == Counter({"/athlete/{id}": 2, "/athlete/{id}/activities": 1})
    assert_no_secret(first.value, emu.api_key)


def test_a_403_on_the_keys_own_athlete_does_not_blame_the_athlete_id(intervals_emulator):
    intervals_emulator.add_fault(
        ACTIVITIES, status=403, times=2, body='{"status": 403, "error": "Access denied"}'
    )
    for athlete_id in (intervals_emulator.athlete_id, "0"):
        client = make_client(intervals_emulator, athlete_id=athlete_id)
        client.athlete()

        with pytest.raises(AuthRefused) as caught:
            client.activities(date(2026, 11, 1), date(2026, 11, 25))

        message = str(caught.value)
        assert "but ATHLETE_ID is" not in message
        assert intervals_emulator.athlete_id in message and "/athlete/{id}/activities" in message


@pytest.mark.parametrize("pasted", ["Bearer xyz-123", "bearer xyz-123", "Basic xyz-123", "xyz 123"])
def test_a_key_pasted_with_an_auth_scheme_is_explained_before_any_request(
    intervals_emulator, pasted
):
    before = counts(intervals_emulator)

    with pytest.raises(ConfigError) as caught:
        make_client(intervals_emulator, key=pasted)

    message = str(caught.value)
    assert "Basic" in message and "Bearer" in message and "API_KEY" in message
    assert "Developer Settings" in message
    assert "xyz" not in message
    assert served_since(intervals_emulator, before) == Counter()


@pytest.mark.parametrize(
    "pasted",
    [
        "\u201cdemo-key-11sync-0000\u201d",
        '"demo-key-11sync-0000"',
        "demo-key-11sync-0000\u200b",
        "demo-key-11sync-0000\t1",
    ],
)
def test_a_key_with_quotes_or_invisible_characters_is_a_config_error_not_a_crash(
    intervals_emulator, pasted
):
    with pytest.raises(ConfigError) as caught:
        make_client(intervals_emulator, key=pasted)

    assert "without quotes" in str(caught.value) and "Developer Settings" in str(caught.value)
    assert_no_secret(caught.value, intervals_emulator.api_key)


@pytest.mark.parametrize("suffix", ["", "/api", "/api/v2"])
def test_a_wrong_api_base_is_reported_as_the_base_url_not_the_athlete_id(
    intervals_emulator, suffix
):
    base = intervals_emulator.root + suffix
    client = make_client(intervals_emulator, base_url=base)
    before = counts(intervals_emulator)

    with pytest.raises(ConfigError) as caught:
        client.athlete()

    message = str(caught.value)
    assert f"INTERVALS_API_BASE looks wrong: {base} answered 404" in message
    assert "/api/v1" in message and "athlete id not found" not in message
    assert served_since(intervals_emulator, before) == Counter(
        {"unknown": 2}
    )  # athlete + /athlete/0


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (
            "<!doctype html><html><body>Welcome</body></html>",
            "not JSON (HTTP 200; first bytes: '<!doctype",
        ),
        ('["a", "b"]', "with a JSON list, not an athlete"),
        ('{"ok": true}', "with a JSON object with keys ok, not an athlete"),
    ],
)
def test_a_base_that_is_not_the_api_is_reported_as_the_base_url(
    proxy, intervals_emulator, body, shown
):
    # a web server (or another API) that answers 200 to everything
    proxy.add(r"^/api/v1/athlete/[^/]+$", status=200, body=body)
    client = make_client(intervals_emulator, base_url=proxy.base_url)

    with pytest.raises(ConfigError) as caught:
        client.athlete()

    message = str(caught.value)
    assert (
        f"INTERVALS_API_BASE looks wrong: {proxy.base_url} answered the athlete request" in message
    )
    assert shown in message and "https://intervals.icu/api/v1" in message
    assert proxy.hits[r"^/api/v1/athlete/[^/]+$"] == 1  # no retry: a wrong base does not heal


def test_a_genuinely_unknown_athlete_is_still_the_athlete_id(intervals_emulator):
    client = make_client(intervals_emulator, athlete_id="i999999")
    before = counts(intervals_emulator)

    with pytest.raises(AthleteNotFound) as caught:
        client.athlete()

    assert "athlete id not found" in str(caught.value) and "ATHLETE_ID" in str(caught.value)
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}": 2})  # + /athlete/0


def test_a_list_endpoint_answering_an_object_says_what_to_check(proxy, intervals_emulator, today):
    proxy.add(ACTIVITIES, status=200, body='{"message": "moved"}')
    client = make_client(intervals_emulator, base_url=proxy.base_url)

    with pytest.raises(BadResponse) as caught:
        client.activities(today - timedelta(days=6), today)

    message = str(caught.value)
    assert "did not return a list (got a JSON object with keys message)" in message
    assert "Check INTERVALS_API_BASE" in message and "proxy" in message


@pytest.mark.parametrize("raw", ["https://intervals.icu/athlete/i1", "i12ab", "", "athlete i1"])
def test_an_athlete_id_that_is_not_an_id_is_a_config_error(intervals_emulator, raw):
    with pytest.raises(ConfigError, match="i123456"):
        make_client(intervals_emulator, athlete_id=raw)


def test_an_uppercase_i_is_accepted(intervals_emulator):
    upper = "I" + intervals_emulator.athlete_id[1:]
    client = make_client(intervals_emulator, athlete_id=upper)
    assert client.athlete_id == intervals_emulator.athlete_id


# ---- retries ----------------------------------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=429, retry_after="2", times=1)
    client = make_client(intervals_emulator)
    before = counts(intervals_emulator)

    assert client.activities(today - timedelta(days=6), today)

    assert client.policy.waits == [2.0]
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}/activities": 2})


def test_429_that_persists_is_rate_limited_with_the_servers_retry_after(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=429, retry_after="3", times=10)
    client = make_client(intervals_emulator, max_attempts=3)

    with pytest.raises(RateLimited) as caught:
        client.activities(today - timedelta(days=6), today)

    assert caught.value.retry_after == 3.0 and caught.value.status == 429
    assert client.policy.waits == [3.0, 3.0]
    assert "after 3 attempt(s)" in str(caught.value)


def test_a_retry_after_beyond_the_deadline_fails_at_once(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=429, retry_after="45", times=10)
    client = make_client(intervals_emulator, deadline_s=30)

    with pytest.raises(RateLimited):
        client.activities(today - timedelta(days=6), today)

    assert client.policy.waits == []


def test_a_persistent_long_rate_limit_stops_at_once_and_says_when_to_retry(
    intervals_emulator, today
):
    intervals_emulator.add_fault(ACTIVITIES, status=429, retry_after="3600", times=10)
    intervals_emulator.add_fault(r"/wellness$", status=429, retry_after="3600", times=10)
    now = datetime(2026, 11, 25, 5, 30, tzinfo=timezone.utc)
    client = make_client(intervals_emulator, wall_clock=lambda: now)
    before = counts(intervals_emulator)

    with pytest.raises(RateLimited) as caught:
        client.activities(today - timedelta(days=6), today)
    with pytest.raises(RateLimited) as later:  # the service said: not before 06:30
        client.wellness(today - timedelta(days=6), today)

    message = str(caught.value)
    assert "asks to wait 3600 s" in message and "run again after 2026-11-25 06:30 UTC" in message
    assert caught.value.retry_after == 3600
    assert client.policy.waits == []
    assert str(later.value) == message
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}/activities": 1})
    assert_no_secret(caught.value, intervals_emulator.api_key)


def test_a_503_with_a_long_retry_after_is_unavailable_at_once(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=503, retry_after="900", times=10)
    client = make_client(intervals_emulator)
    before = counts(intervals_emulator)

    with pytest.raises(Unavailable) as caught:
        client.activities(today - timedelta(days=6), today)

    assert "is unavailable (503)" in str(caught.value) and "run again after" in str(caught.value)
    assert client.policy.waits == []
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}/activities": 1})


# ---- the run's deadline -----------------------------------------------------------------------


def returns_within(seconds: float, call: Any) -> Any:
    """Guard: run `call` in a thread and fail the test if it has not returned in `seconds`
    (a hung run would otherwise hang the suite). Returns the exception raised, or None."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the call did not return within {seconds} s"
    return outcome[0]


def test_a_hanging_request_is_cut_at_the_deadline_and_nothing_more_is_sent(
    proxy, intervals_emulator, today
):
    proxy.add(ACTIVITIES, hang=True)
    client = make_client(intervals_emulator, base_url=proxy.base_url, timeout_s=30, deadline_s=0.5)
    client.athlete()  # within the deadline

    error = returns_within(20, lambda: client.activities(today - timedelta(days=6), today))
    later = returns_within(20, lambda: client.wellness(today - timedelta(days=6), today))

    assert isinstance(error, DeadlineExceeded) and isinstance(later, DeadlineExceeded)
    assert "deadline of 0.5 s passed before Intervals.icu answered /athlete/{id}/activities" in str(
        error
    )
    assert "S11SYNC_DEADLINE" in str(error)
    assert proxy.hits[ACTIVITIES] == 1  # cut by the deadline, not retried
    assert client.request_counts["/athlete/{id}/wellness"] == 0  # no request after the deadline
    assert client.policy.waits == []
    assert client.deadline_misses == 2


def test_no_request_starts_after_the_deadline(intervals_emulator, today):
    t = [0.0]
    client = make_client(intervals_emulator, deadline_s=60, clock=lambda: t[0])
    client.policy.start()
    assert client.activities(today - timedelta(days=6), today)
    t[0] = 61.0
    before = counts(intervals_emulator)

    with pytest.raises(DeadlineExceeded):
        client.events(today, today + timedelta(days=7))

    assert served_since(intervals_emulator, before) == Counter()


# ---- body size caps -----------------------------------------------------------------------------

CAP = 1024 * 1024


def test_an_endless_body_is_read_only_up_to_the_cap(proxy, intervals_emulator, today):
    proxy.add(ACTIVITIES, huge=True)  # endless
    client = make_client(intervals_emulator, base_url=proxy.base_url)
    client.max_body_bytes = CAP

    error = returns_within(20, lambda: client.activities(today - timedelta(days=6), today))

    assert isinstance(error, ResponseTooLarge)
    assert CAP < error.bytes_read <= CAP + 8192  # reading stopped at the first chunk past the cap
    assert f"larger than the {CAP} bytes s11sync reads at most (reading stopped at" in str(error)
    assert "INTERVALS_API_BASE" in str(error)
    assert proxy.hits[ACTIVITIES] == 1  # not retried: a body too large stays too large
    assert proxy.huge_finished.wait(10)  # the sender saw the client hang up ...
    assert proxy.bytes_sent < CAP + 32 * 1024 * 1024  # ... after at most the socket buffers


def test_a_content_length_over_the_cap_is_refused_before_reading(proxy, intervals_emulator, today):
    proxy.add(ACTIVITIES, status=200, body="[" + "1," * CAP + "1]")
    client = make_client(intervals_emulator, base_url=proxy.base_url)
    client.max_body_bytes = CAP

    with pytest.raises(ResponseTooLarge) as caught:
        client.activities(today - timedelta(days=6), today)

    assert caught.value.bytes_read == 0
    assert f"it announced {2 * CAP + 3} bytes; nothing was read" in str(caught.value)


def test_an_attachment_stops_reading_at_its_own_cap(intervals_emulator):
    event = next(e for e in intervals_emulator.data.events if e.get("attachments"))
    url = event["attachments"][0]["url"].replace(
        DEFAULT_FILE_BASE, intervals_emulator.root + "/files"
    )
    client = make_client(intervals_emulator)
    whole = client.get_bytes(url)
    assert len(whole) > 2000

    with pytest.raises(ResponseTooLarge) as caught:
        client.get_bytes(url, max_bytes=1000)

    assert caught.value.bytes_read == 0  # the file announces its length: nothing read


def test_5xx_then_success_backs_off_exponentially(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=503, times=2)
    client = make_client(intervals_emulator, base_delay_s=0.5)

    assert client.activities(today - timedelta(days=6), today)

    first, second = client.policy.waits
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0


def test_5xx_forever_is_unavailable_after_max_attempts(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=500, times=50)
    client = make_client(intervals_emulator, max_attempts=4)
    before = counts(intervals_emulator)

    with pytest.raises(Unavailable) as caught:
        client.activities(today - timedelta(days=6), today)

    assert caught.value.status == 500
    assert "after 4 attempt(s)" in str(caught.value)
    assert "/athlete/{id}/activities" in str(caught.value)
    assert len(client.policy.waits) == 3
    assert served_since(intervals_emulator, before) == Counter({"/athlete/{id}/activities": 4})


def test_a_dead_api_fails_once_the_run_budget_is_spent(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=503, times=50)
    now = [0.0]

    def sleep(seconds: float) -> None:  # time passes only while "sleeping"
        now[0] += seconds

    client = IntervalsClient(
        intervals_emulator.base_url,
        intervals_emulator.athlete_id,
        intervals_emulator.api_key,
        limiter=RateLimiter(0),
        policy=RetryPolicy(
            sleep=sleep, clock=lambda: now[0], max_attempts=50, base_delay_s=2.0, deadline_s=20.0
        ),
    )

    with pytest.raises(Unavailable):
        client.activities(today - timedelta(days=6), today)

    assert 2 <= len(client.policy.waits) < 10
    assert sum(client.policy.waits) <= 20.0


def test_a_body_cut_off_mid_transfer_is_retried(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=200, truncate=True, times=1)
    client = make_client(intervals_emulator)

    assert client.activities(today - timedelta(days=6), today)
    assert len(client.policy.waits) == 1


def test_truncated_json_names_the_endpoint_and_shows_the_first_bytes(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=200, truncate=True, times=3)
    client = make_client(intervals_emulator, max_attempts=3)

    with pytest.raises(BadResponse) as caught:
        client.activities(today - timedelta(days=6), today)

    message = str(caught.value)
    assert caught.value.endpoint == "/athlete/{id}/activities"
    assert "/athlete/{id}/activities" in message
    assert "'[{\"" in message, message  # the first bytes of the JSON list
    assert_no_secret(caught.value, intervals_emulator.api_key)


def test_a_body_that_is_not_json_shows_its_first_bytes(intervals_emulator):
    # The attachment route answers 200 with GPX, i.e. what a proxy's HTML page looks like to us.
    event = next(e for e in intervals_emulator.data.events if e.get("attachments"))
    name = event["attachments"][0]["url"].rsplit("/", 1)[1]
    client = make_client(intervals_emulator, base_url=intervals_emulator.root)

    with pytest.raises(BadResponse) as caught:
        client.get_json(f"/files/{name}")

    assert "/files/" in str(caught.value) and "<?xml" in str(caught.value)


def test_a_response_slower_than_the_timeout_is_retried_then_unavailable(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=200, delay_s=0.6, times=3)
    client = make_client(intervals_emulator, timeout_s=0.15, max_attempts=3)
    before = counts(intervals_emulator)

    with pytest.raises(Unavailable) as caught:
        client.activities(today - timedelta(days=6), today)
    drain(intervals_emulator, before, "/athlete/{id}/activities", 3)

    assert "timed out" in str(caught.value)
    assert caught.value.endpoint == "/athlete/{id}/activities"
    assert len(client.policy.waits) == 2


def test_one_slow_response_is_retried_and_the_run_goes_on(intervals_emulator, today):
    intervals_emulator.add_fault(ACTIVITIES, status=200, delay_s=0.6, times=1)
    client = make_client(intervals_emulator, timeout_s=0.15)
    before = counts(intervals_emulator)

    assert client.activities(today - timedelta(days=6), today)
    drain(intervals_emulator, before, "/athlete/{id}/activities", 2)
    assert len(client.policy.waits) == 1


def test_an_unreachable_api_is_unavailable_and_names_the_base_url(intervals_emulator):
    with IntervalsEmulator(today=intervals_emulator.today) as gone:
        base = gone.base_url
    client = IntervalsClient(
        base,
        "i1",
        "k",
        timeout_s=1,
        limiter=RateLimiter(0),
        policy=RetryPolicy(sleep=lambda _s: None, max_attempts=2),
    )

    with pytest.raises(Unavailable) as caught:
        client.athlete()

    assert "could not connect" in str(caught.value) and base in str(caught.value)
    assert len(client.policy.waits) == 1


def test_404_on_an_unknown_path_names_the_endpoint(intervals_emulator):
    client = make_client(intervals_emulator)
    before = counts(intervals_emulator)

    with pytest.raises(EndpointNotFound) as caught:
        client.get_json(f"/athlete/{intervals_emulator.athlete_id}/fitness")

    assert caught.value.endpoint == "/athlete/{id}/fitness"
    assert "/athlete/{id}/fitness" in str(caught.value) and "/api/v1" in str(caught.value)
    assert client.policy.waits == []
    assert served_since(intervals_emulator, before) == Counter({"unknown": 1})


# ---- the one translation boundary: HTTP status → exception class, decided in the client only -----

STATUS_TABLE = [
    # status, fault path, call, class, retried
    (400, ACTIVITIES, "activities", IntervalsError, False),
    (401, ACTIVITIES, "activities", AuthRefused, False),
    (403, ACTIVITIES, "activities", AuthRefused, False),
    (404, ATHLETE_NOT_0, "athlete", AthleteNotFound, False),
    (404, ACTIVITIES, "activities", EndpointNotFound, False),
    (405, ACTIVITIES, "activities", IntervalsError, False),
    (409, ACTIVITIES, "activities", IntervalsError, False),
    (422, ACTIVITIES, "activities", IntervalsError, False),
    (429, ACTIVITIES, "activities", RateLimited, True),
    (500, ACTIVITIES, "activities", Unavailable, True),
    (501, ACTIVITIES, "activities", Unavailable, False),
    (502, ACTIVITIES, "activities", Unavailable, True),
    (503, ACTIVITIES, "activities", Unavailable, True),
    (504, ACTIVITIES, "activities", Unavailable, True),
]


@pytest.mark.parametrize(
    ("status", "path", "call", "cls", "retried"),
    STATUS_TABLE,
    ids=[f"{row[0]}-{row[2]}" for row in STATUS_TABLE],
)
def test_every_handled_status_maps_to_its_class(
    intervals_emulator, today, status, path, call, cls, retried
):
    intervals_emulator.add_fault(path, status=status, times=5)
    client = make_client(intervals_emulator, max_attempts=2)
    before = counts(intervals_emulator)

    with pytest.raises(IntervalsError) as caught:
        if call == "athlete":
            client.athlete()
        else:
            client.activities(today - timedelta(days=6), today)

    assert type(caught.value) is cls
    assert caught.value.status == status
    endpoint = "/athlete/{id}" if call == "athlete" else "/athlete/{id}/activities"
    assert caught.value.endpoint == endpoint
    probe = 1 if path == ATHLETE_NOT_0 else 0  # a 404 on the athlete asks /athlete/0 once
    assert served_since(intervals_emulator, before)[endpoint] == (2 if retried else 1) + probe
    assert len(client.policy.waits) == (1 if retried else 0)
    assert_no_secret(caught.value, intervals_emulator.api_key)


# ---- counting and the worker pool -------------------------------------------------------------


def test_requests_are_counted_per_endpoint_retries_included(intervals_emulator, today):
    intervals_emulator.add_fault(r"/wellness$", status=502, times=2)
    client = make_client(intervals_emulator)
    before = counts(intervals_emulator)

    client.athlete()
    client.activities(today - timedelta(days=6), today)
    client.wellness(today - timedelta(days=6), today)
    client.wellness(today - timedelta(days=6), today)

    expected = Counter(
        {"/athlete/{id}": 1, "/athlete/{id}/activities": 1, "/athlete/{id}/wellness": 4}
    )
    assert client.request_counts == expected
    assert client.requests_made == 6
    assert served_since(intervals_emulator, before) == expected


def test_map_bounded_keeps_at_most_workers_in_flight(intervals_emulator, today):
    emu = intervals_emulator
    ids = [a["id"] for a in emu.data.activities if "type" in a][:9]
    emu.add_fault(r"^/api/v1/activity/[^/]+$", status=200, delay_s=0.05, times=len(ids))
    client = make_client(emu, workers=3)
    lock = threading.Lock()
    in_flight, peak = 0, 0

    def fetch(activity_id: str) -> dict:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return client.activity(activity_id, intervals=False)
        finally:
            with lock:
                in_flight -= 1

    results = client.map_bounded(fetch, ids)

    assert peak == 3
    assert [item for item, _, _ in results] == ids
    assert [result["id"] for _, result, _ in results] == ids
    assert all(error is None for _, _, error in results)


def test_map_bounded_returns_api_errors_in_order_instead_of_raising(intervals_emulator):
    emu = intervals_emulator
    real = [a["id"] for a in emu.data.activities if "type" in a][:2]
    items = [real[0], "no-such-activity", real[1]]
    client = make_client(emu, workers=2)

    results = client.map_bounded(client.messages, items)

    assert [item for item, _, _ in results] == items
    (_, ok1, err1), (_, bad, err), (_, ok2, err2) = results
    assert err1 is None and err2 is None and isinstance(ok1, list) and isinstance(ok2, list)
    assert bad is None and isinstance(err, EndpointNotFound) and err.status == 404


def test_map_bounded_lets_a_bug_crash(intervals_emulator):
    def broken(_item: int) -> None:
        raise ZeroDivisionError("a bug, not an API error")

    with pytest.raises(ZeroDivisionError):
        make_client(intervals_emulator).map_bounded(broken, [1, 2, 3])


def test_attachment_links_download_and_unusable_links_are_returned_as_errors(
    intervals_emulator, today
):
    client = make_client(intervals_emulator)
    events = client.events(today, today + timedelta(days=90))
    link = next(att["url"] for e in events for att in e.get("attachments") or [])
    links = [link, "/files/relative.gpx?signature=abc", "ftp://example.invalid/route.gpx"]

    results = client.map_bounded(client.get_bytes, links)

    (_, gpx, ok), (_, _, relative), (_, _, ftp) = results
    assert ok is None and gpx.startswith(b"<?xml")
    assert isinstance(relative, BadResponse) and isinstance(ftp, BadResponse)
    assert "'/files/relative.gpx'" in str(relative) and "signature" not in str(relative)
    assert client.request_counts[link] == 1


def test_an_unusable_base_url_is_a_config_error(intervals_emulator):
    client = make_client(intervals_emulator, base_url="http://")

    with pytest.raises(ConfigError, match="INTERVALS_API_BASE"):
        client.athlete()
