"""Health context: SICK/INJURED calendar markers (docs/metrics.md, "Health context";
tests/metrics/test_health_context.py).

Context only: nothing here feeds readiness. Markers come from the dedicated look-back fetch
(`Snapshot.health_events`, T−365 … T+90); when that call failed (None) the main event list is used
instead and the block says `source_status: "partial"`.

Intervals.icu stores an *exclusive* end: a marker from 01-27 to `01-28T00:00` covers 01-27 only.
`end_date` here is the inclusive last marked day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from s11sync.dates import parse_day

HEALTH_CATEGORIES = frozenset({"SICK", "INJURED"})
LOOKBACK_DAYS = 365
RECENT_WINDOW_DAYS = 14
INJURY_SERIES = "wellness_data[].injury / history.json daily_90d[].injury"

HEALTH_CONTEXT_NOTE = (
    "Context only: these SICK/INJURED markers are not a readiness input and never change "
    "readiness_decision. Markers are matched by calendar category (SICK, INJURED), never by title. "
    "end_date is the inclusive last day the athlete marked on the calendar, not the day the "
    "illness "
    "or injury ended. A recent marker without a current one means recovery status is unknown: ask. "
    "When clarification_required is true, ask how the athlete feels before recommending the full "
    "planned program; do not give an unqualified full-program recommendation. A marker is never an "
    "automatic Skip and never a reason to relax one. With source_status 'partial' the look-back "
    "fetch failed and only the short main event window was searched, so empty lists prove nothing. "
    "Spans that started before the look-back window are not visible."
)


def time_part(value: Any) -> str | None:
    """`HH:MM` of an API date-time string, or None when it has no time part."""
    if not isinstance(value, str) or len(value) < 16 or value[10] not in "T ":
        return None
    return value[11:16]


def inclusive_end(start: date, end_raw: Any) -> date:
    """Inclusive last marked day from the API's exclusive `end_date_local`.

    A midnight (or date-only) end is the day after the last marked day; an end with any other time
    of day falls on the last marked day itself.
    """
    if not end_raw:
        return start
    clock = time_part(end_raw)
    end_day = parse_day(end_raw)
    if end_day is None:
        return start
    if clock is None or clock == "00:00":
        end_day = end_day - timedelta(days=1)
    return max(end_day, start)


def _marker(event: dict, start: date, end: date, today: date) -> dict:
    entry: dict[str, Any] = {
        "event_id": event.get("id"),
        "category": event.get("category"),
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "marker_active_today": start <= today <= end,
        "source": "calendar",
    }
    name = (event.get("name") or "").strip() if isinstance(event.get("name"), str) else ""
    if name:
        entry["name"] = name
    desc = event.get("description")
    desc = desc.strip() if isinstance(desc, str) else ""
    if desc:
        entry["description"] = desc
    return entry


def _sort_key(entry: dict) -> tuple:
    return (entry["start_date"], entry["category"], str(entry["event_id"]))


def partition_markers(events: list[dict], today: date) -> tuple[list[dict], list[dict], list[dict]]:
    """Normalise SICK/INJURED events and split them into (current, recent, upcoming)."""
    current: list[dict] = []
    recent: list[dict] = []
    upcoming: list[dict] = []
    cutoff = today - timedelta(days=RECENT_WINDOW_DAYS)
    for event in events or []:
        category = event.get("category") if isinstance(event, dict) else None
        if not isinstance(category, str) or category not in HEALTH_CATEGORIES:
            continue
        start = parse_day(event.get("start_date_local"))
        if start is None:
            continue
        end = inclusive_end(start, event.get("end_date_local"))
        entry = _marker(event, start, end, today)
        if start > today:
            upcoming.append(entry)
        elif entry["marker_active_today"]:
            current.append(entry)
        elif end >= cutoff:
            entry["days_since_end"] = (today - end).days
            recent.append(entry)
    return (
        sorted(current, key=_sort_key),
        sorted(recent, key=_sort_key),
        sorted(upcoming, key=_sort_key),
    )


def wellness_injury(latest_wellness: dict | None, today: date) -> dict | None:
    """`wellness_injury` from the latest display-window wellness record, or None."""
    if not latest_wellness:
        return None
    value = latest_wellness.get("injury")
    if value is None or not isinstance(value, (int, float)) or value < 2:
        return None
    record_date = latest_wellness.get("id")
    day = parse_day(record_date)
    days_old = (today - day).days if day is not None else None
    block: dict[str, Any] = {
        "value": value,
        "date": record_date,
        "freshness": "current" if days_old == 0 else "stale",
        "series": INJURY_SERIES,
    }
    if days_old is not None:
        block["days_old"] = days_old
    return block


def build_health_context(
    today: date,
    health_events: list[dict] | None,
    main_events: list[dict],
    latest_wellness: dict | None,
    main_oldest: date | None,
) -> dict:
    """`health_context`, keys in their fixed output order.

    `health_events` is the dedicated SICK/INJURED fetch (None = that call failed);
    `main_events` the main event list used as fallback; `main_oldest` the main fetch's `oldest`
    date (its distance from today becomes `lookback_days` under partial; None → null).
    """
    ok = health_events is not None
    events = health_events if ok else main_events
    current, recent, upcoming = partition_markers(events or [], today)
    injury = wellness_injury(latest_wellness, today)
    injury_flag = bool(injury and injury["freshness"] == "current" and injury["value"] >= 3)

    block: dict[str, Any] = {"source_status": "ok" if ok else "partial"}
    if ok:
        block["marker_active"] = bool(current)
        block["recent_marker"] = bool(recent) and not current
    block["clarification_required"] = bool(current or recent or injury_flag or not ok)
    if ok:
        block["lookback_days"] = LOOKBACK_DAYS
    else:
        block["lookback_days"] = (today - main_oldest).days if main_oldest is not None else None
    block["recent_window_days"] = RECENT_WINDOW_DAYS
    block["current"] = current
    block["recent"] = recent
    block["upcoming"] = upcoming
    if injury is not None:
        block["wellness_injury"] = injury
    block["note"] = HEALTH_CONTEXT_NOTE
    return block
