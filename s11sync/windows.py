"""Date windows: the one rule for which records a window of days holds, and the window lengths.

A window of N days ends today and includes it: today−(N−1) … today. An activity's day is the date
part of its `start_date_local`, a wellness record's day is its `id`. A record whose date is missing or
is not a real calendar date ("2026-02-30", "2026-11-2x") belongs to no window, in every metric and
every output alike (tests/test_windows.py).

The run-snapshot helpers slice the one activity list and the one wellness list, so every consumer
sees the same records. Strava stubs (activities Intervals.icu lists without data) are never part of
any slice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from s11sync.dates import parse_day
from s11sync.snapshot import Snapshot
from s11sync.sports import is_strava_stub

# Window lengths shared by more than one module (one definition each).
ACUTE_DAYS = 7  # the acute load window of ACWR, monotony and strain
EXTENDED_DAYS = 28  # the chronic window: ACWR, baselines, recent_activities, terrain
RETENTION_DAYS = 14  # intervals.json keeps entries dated today−14 … today (15 calendar dates)

Item = TypeVar("Item", bound=Mapping[str, Any])


def activity_day(activity: Mapping[str, Any]) -> date | None:
    """Local date of an activity or event (`start_date_local`), None when missing or unreadable."""
    return parse_day(activity.get("start_date_local"))


def wellness_day(record: Mapping[str, Any]) -> date | None:
    """Date of a wellness record (its `id`), None when missing or unreadable."""
    return parse_day(record.get("id"))


def record_date(record: Mapping[str, Any], key: str = "start_date_local") -> str | None:
    """`YYYY-MM-DD` of a record's local timestamp (or of a wellness `id`); None when the value is
    missing or not a real date."""
    day = parse_day(record.get(key))
    return None if day is None else day.isoformat()


def window_start(today: date, days: int) -> date:
    """First date of the window of `days` days ending today (today included)."""
    return today - timedelta(days=days - 1)


def window_bounds(today: date, days: int) -> tuple[str, str]:
    """Inclusive ISO bounds of the last `days` days ending today: T−(days−1) … T."""
    return window_start(today, days).isoformat(), today.isoformat()


def in_window(
    items: Iterable[Item], today: date, days: int, *, wellness: bool = False
) -> list[Item]:
    """Items dated today−(days−1) … today (inclusive), order kept; undated items are left out."""
    first = window_start(today, days)
    day_of = wellness_day if wellness else activity_day
    out = []
    for item in items:
        day = day_of(item)
        if day is not None and first <= day <= today:
            out.append(item)
    return out


def real_activities(snap: Snapshot) -> list[dict[str, Any]]:
    """The fetched activities without Strava stubs, in API order."""
    return [a for a in snap.activities if isinstance(a, dict) and not is_strava_stub(a)]


def strava_stub_count(snap: Snapshot) -> int:
    return sum(1 for a in snap.activities if isinstance(a, dict) and is_strava_stub(a))


def activities_in_days(snap: Snapshot, n: int) -> list[dict[str, Any]]:
    """Activities (no stubs) dated T−(n−1) … T, in API order."""
    return in_window(real_activities(snap), snap.today, n)


def display_window(snap: Snapshot) -> list[dict[str, Any]]:
    """Activities of the display window (D = `snap.days` days, today included)."""
    return activities_in_days(snap, snap.days)


def wellness_in_days(snap: Snapshot, n: int) -> list[dict[str, Any]]:
    """Wellness records dated T−(n−1) … T, sorted ascending by date (`id`)."""
    records = [w for w in snap.wellness if isinstance(w, dict)]
    return sorted(in_window(records, snap.today, n, wellness=True), key=lambda w: w["id"])


def wellness_on(snap: Snapshot, day: date) -> dict[str, Any] | None:
    """The wellness record of one date, or None."""
    for record in snap.wellness:
        if isinstance(record, dict) and wellness_day(record) == day:
            return record
    return None
