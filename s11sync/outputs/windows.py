"""Date windows over the run's snapshot (outputs-latest §1.2).

Every consumer gets an exact slice of the one activity list and the one wellness list. Strava stubs
(README decision 5) are never part of any slice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from s11sync.snapshot import Snapshot
from s11sync.sports import is_strava_stub

EXTENDED_DAYS = 28


def record_date(record: dict[str, Any], key: str = "start_date_local") -> str | None:
    """`YYYY-MM-DD` of a record's local timestamp (or of a wellness `id`)."""
    value = record.get(key)
    if not isinstance(value, str) or len(value) < 10:
        return None
    return value[:10]


def window_bounds(today: date, days: int) -> tuple[str, str]:
    """Inclusive ISO bounds of the last `days` days ending today: T−(days−1) … T."""
    return (today - timedelta(days=days - 1)).isoformat(), today.isoformat()


def real_activities(snap: Snapshot) -> list[dict[str, Any]]:
    """The fetched activities without Strava stubs, in API order."""
    return [a for a in snap.activities if isinstance(a, dict) and not is_strava_stub(a)]


def strava_stub_count(snap: Snapshot) -> int:
    return sum(1 for a in snap.activities if isinstance(a, dict) and is_strava_stub(a))


def activities_in_days(snap: Snapshot, n: int) -> list[dict[str, Any]]:
    """Activities (no stubs) dated T−(n−1) … T, in API order."""
    lo, hi = window_bounds(snap.today, n)
    out = []
    for activity in real_activities(snap):
        day = record_date(activity)
        if day is not None and lo <= day <= hi:
            out.append(activity)
    return out


def display_window(snap: Snapshot) -> list[dict[str, Any]]:
    """Activities of the display window (D = `snap.days` days, today included)."""
    return activities_in_days(snap, snap.days)


def wellness_in_days(snap: Snapshot, n: int) -> list[dict[str, Any]]:
    """Wellness records dated T−(n−1) … T, sorted ascending by date (`id`)."""
    lo, hi = window_bounds(snap.today, n)
    rows = [
        w
        for w in snap.wellness
        if isinstance(w, dict) and isinstance(w.get("id"), str) and lo <= w["id"][:10] <= hi
    ]
    return sorted(rows, key=lambda w: w["id"])


def wellness_on(snap: Snapshot, day: date) -> dict[str, Any] | None:
    """The wellness record of one date, or None."""
    key = day.isoformat()
    for record in snap.wellness:
        if (
            isinstance(record, dict)
            and isinstance(record.get("id"), str)
            and record["id"][:10] == key
        ):
            return record
    return None
