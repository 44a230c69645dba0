"""planned_workouts, workout_summary_stats and the planned ↔ completed pairing set.

Pinned by tests/outputs/test_planned.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.numbers import rnd
from s11sync.outputs.workout_doc import new_stats, summarise_event
from s11sync.windows import record_date

PLANNED_DAYS_AHEAD = 42
FULL_DETAIL_DAYS_AHEAD = 7


def split_note_lines(description: str | None) -> tuple[list[str], str]:
    """Leading `NOTE:` lines → coach notes; the rest, stripped as a whole → cleaned text.

    Blank lines in the header are skipped; the first other line ends it, and it and every line after
    it (blank ones included) form the cleaned description."""
    notes: list[str] = []
    if not isinstance(description, str):
        return notes, ""
    lines = description.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[:5].upper() == "NOTE:":
            remainder = stripped[5:].strip()
            if remainder:
                notes.append(remainder)
            continue
        return notes, "\n".join(lines[index:]).strip()
    return notes, ""


def terrain_event_ids(
    routes_doc: dict[str, Any] | None = None, route_flags: Any = None
) -> set[str]:
    """Ids (as strings) of events with a successful terrain summary: `has_terrain` is true only
    for those, never for a download or parse error (the original counted an error as terrain).

    `route_flags` (from the routes part) wins: a collection of event ids, or a mapping of event id to
    a bool or to `{"has_terrain": bool}`. Else the routes.json document of this run. Else no event.
    """
    if isinstance(route_flags, dict):
        return {
            str(key)
            for key, value in route_flags.items()
            if value is True or (isinstance(value, dict) and value.get("has_terrain") is True)
        }
    if isinstance(route_flags, (set, frozenset, list, tuple)):
        return {str(key) for key in route_flags}
    ids: set[str] = set()
    if isinstance(routes_doc, dict):
        for entry in routes_doc.get("events") or []:
            summary = entry.get("terrain_summary") if isinstance(entry, dict) else None
            if isinstance(summary, dict) and summary and "error" not in summary:
                ids.add(str(entry.get("event_id")))
    return ids


def _sort_key(event: dict[str, Any]) -> tuple:
    start = event.get("start_date_local") or ""
    event_id = event.get("id")
    return (
        start[:10],
        start[11:16],
        (0, event_id) if isinstance(event_id, int) else (1, str(event_id)),
    )


def planned_events(events: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Events dated T … T+42 (all categories), sorted by (date, start time, id)."""
    lo, hi = today.isoformat(), (today + timedelta(days=PLANNED_DAYS_AHEAD)).isoformat()
    chosen = [
        e
        for e in events
        if isinstance(e, dict) and (d := record_date(e)) is not None and lo <= d <= hi
    ]
    return sorted(chosen, key=_sort_key)


def _planned_entry(
    event: dict[str, Any], summary: str | None, today: date, terrain_ids: set[str]
) -> dict[str, Any]:
    start = event.get("start_date_local") or ""
    day = start[:10]
    moving = event.get("moving_time")
    notes, cleaned = split_note_lines(event.get("description"))
    entry: dict[str, Any] = {
        "id": event.get("id"),
        "date": day,
        "name": event.get("name") if event.get("name") is not None else "",
        "type": event.get("category"),
        "sport_type": event.get("type") if event.get("type") is not None else "",
        "planned_tss": event.get("icu_training_load"),
        "duration_hours": rnd((moving or 0) / 3600, 2),
        "duration_formatted": fmt_dur(moving),
        "workout_summary": summary,
        "has_terrain": str(event.get("id")) in terrain_ids,
    }
    if notes:
        entry["coach_notes"] = notes
    time_part = start[11:16]
    if len(time_part) == 5 and time_part != "00:00":
        entry["start_time"] = time_part
    if event.get("indoor") is True:
        entry["indoor"] = True
    if day <= (today + timedelta(days=FULL_DETAIL_DAYS_AHEAD)).isoformat():
        entry["description"] = cleaned
    elif summary is None:
        lines = [line.strip() for line in cleaned.split("\n") if line.strip()]
        entry["description_preview"] = "\n".join(lines[:3]) if lines else None
    return entry


def build_planned(
    events: list[dict[str, Any]],
    today: date,
    routes_doc: dict[str, Any] | None = None,
    route_flags: Any = None,
) -> tuple[list[dict], dict[str, int]]:
    """(planned_workouts, workout_summary_stats) over the events of T … T+42."""
    stats = new_stats()
    terrain_ids = terrain_event_ids(routes_doc, route_flags)
    planned = []
    for event in planned_events(events, today):
        summary = summarise_event(event, stats)
        planned.append(_planned_entry(event, summary, today, terrain_ids))
    return planned, stats


def _has_steps(event: dict[str, Any]) -> bool:
    doc = event.get("workout_doc")
    return isinstance(doc, dict) and isinstance(doc.get("steps"), list) and bool(doc["steps"])


def paired_ids(
    events: list[dict[str, Any]], activities: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """(event id, activity id) pairs joined by id in either direction, as strings; never by date
    or sport.

    An activity pairs with an event when its `paired_event_id` names the event, or when the
    event's `paired_activity_id` names the activity. The one planned ↔ completed matcher: the
    pairing set below and the `today` block both read it.
    """
    event_ids = {str(e["id"]) for e in events if isinstance(e, dict) and e.get("id") is not None}
    by_event: dict[str, list[str]] = {}
    for event in events:
        if isinstance(event, dict) and event.get("id") is not None:
            if event.get("paired_activity_id") is not None:
                by_event.setdefault(str(event["paired_activity_id"]), []).append(str(event["id"]))
    pairs: list[tuple[str, str]] = []
    for activity in activities:
        activity_id = activity.get("id") if isinstance(activity, dict) else None
        if activity_id is None:
            continue
        claimed = activity.get("paired_event_id")
        found = [str(claimed)] if claimed is not None and str(claimed) in event_ids else []
        found += by_event.get(str(activity_id), [])
        for event_id in dict.fromkeys(found):
            pairs.append((event_id, str(activity_id)))
    return pairs


def pairing_set(
    events: list[dict[str, Any]], activities: list[dict[str, Any]], today: date
) -> set[str]:
    """Activity ids paired by id with a structured event dated up to today, as strings.

    It marks the activities whose intervals.json detail is retried for 14 days instead of 72 hours,
    because their detail may arrive later (docs/files.md, "intervals.json")."""
    structured = [
        e
        for e in events
        if isinstance(e, dict)
        and _has_steps(e)
        and (d := record_date(e)) is not None
        and d <= today.isoformat()
    ]
    return {activity for _event, activity in paired_ids(structured, activities)}
