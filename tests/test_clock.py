"""Today is the athlete's local date, and the clock is read once per run (fetch.local_now)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from s11sync.fetch import local_now

UTC_NOW = datetime(2026, 11, 25, 23, 30, tzinfo=timezone.utc)


def test_today_follows_the_athletes_time_zone_not_the_runners_utc_clock():
    # 23:30 UTC is already 12:30 the next day in Auckland (UTC+13 in November) …
    today, now = local_now({"timezone": "Pacific/Auckland"}, UTC_NOW, None)
    assert today == date(2026, 11, 26) and now.isoformat() == "2026-11-26T12:30:00+13:00"
    # … and still 15:30 the same day in Los Angeles (UTC−8)
    today, now = local_now({"timezone": "America/Los_Angeles"}, UTC_NOW, None)
    assert today == date(2026, 11, 25) and now.utcoffset().total_seconds() == -8 * 3600


def test_an_unknown_or_missing_zone_falls_back_to_the_machine_zone():
    for athlete in ({"timezone": "Mars/Olympus"}, {}, {"timezone": None}):
        today, now = local_now(athlete, UTC_NOW, None)
        assert now == UTC_NOW and today == now.date()


def test_a_pinned_day_gives_noon_in_the_athletes_zone():
    today, now = local_now({"timezone": "Europe/Oslo"}, UTC_NOW, date(2026, 3, 18))
    assert today == date(2026, 3, 18) and now.isoformat() == "2026-03-18T12:00:00+01:00"
