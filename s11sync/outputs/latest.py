"""Assembly of latest.json: pure, from the snapshot, the run context and parts built elsewhere.

`parts` (`LatestParts`, outputs/parts.py) carries the sections other modules compute, each from
its one producer. A section whose part is None is left out of the document, never filled with a
placeholder: alerts, readiness_decision, health_context, race_calendar, derived_metrics (top-level
sections), current_weight (current_status.weight), history_doc / history_stale (the small
`history` block), activity_extras (per-activity fields of recent_activities, required for every
listed activity), route_flags (has_terrain of planned workouts), thresholds_sports (overrides
current_status.thresholds.sports).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from s11sync.history.due import build_history_block
from s11sync.history.year_to_date import year_to_date
from s11sync.outputs.activities import build_recent_activities
from s11sync.outputs.fitness import build_fitness, build_thresholds
from s11sync.outputs.parts import LatestParts
from s11sync.outputs.planned import build_planned
from s11sync.outputs.profile import build_notes, build_profile
from s11sync.outputs.read_this_first import build_read_this_first
from s11sync.outputs.run_context import RunContext
from s11sync.outputs.summary import (
    build_quick_stats,
    build_summary,
    build_weekly_summary,
)
from s11sync.outputs.today import build_today
from s11sync.outputs.wellness import build_current_metrics, build_wellness_data
from s11sync.snapshot import Snapshot
from s11sync.units import prune_display
from s11sync.windows import (
    EXTENDED_DAYS,
    display_window,
    real_activities,
    strava_stub_count,
    wellness_in_days,
    wellness_on,
)

__all__ = ["build_current_status", "build_latest"]

TOP_LEVEL_KEYS = (
    "READ_THIS_FIRST",
    "today",
    "metadata",
    "athlete_profile",
    "athlete_notes",
    "alerts",
    "readiness_decision",
    "health_context",
    "history",
    "summary",
    "current_status",
    "derived_metrics",
    "recent_activities",
    "wellness_data",
    "planned_workouts",
    "workout_summary_stats",
    "weekly_summary",
    "year_to_date",
    "race_calendar",
)
PASS_THROUGH = (
    "alerts",
    "readiness_decision",
    "health_context",
    "derived_metrics",
    "race_calendar",
)

STRAVA_NOTE = (
    "{n} Strava-imported activit{ies} in the fetch window left out of every total and metric: "
    "Strava does not allow Intervals.icu to share them through its API."
)


def build_metadata(snap: Snapshot, *, version: str, schema_version: int) -> dict[str, Any]:
    stubs = strava_stub_count(snap)
    note = STRAVA_NOTE.format(n=stubs, ies="y" if stubs == 1 else "ies") if stubs else None
    return {
        "athlete_id": "REDACTED",
        "last_updated": snap.now.isoformat(timespec="seconds"),
        "data_range_days": snap.days,
        "extended_range_days": EXTENDED_DAYS,
        "version": version,
        "schema_version": schema_version,
        "data_availability": {"strava_stubs": stubs, "note": note},
    }


def build_current_status(snap: Snapshot, ctx: RunContext, parts: LatestParts) -> dict[str, Any]:
    today_rec = wellness_on(snap, snap.today)
    extended_wellness = wellness_in_days(snap, EXTENDED_DAYS)
    status: dict[str, Any] = {
        "fitness": build_fitness(
            today_rec,
            wellness_on(snap, snap.today - timedelta(days=1)),
            wellness_on(snap, snap.today - timedelta(days=7)),
            snap.events,
            real_activities(snap),
            snap.today,
        ),
        "thresholds": build_thresholds(
            today_rec, snap.athlete, parts.thresholds_sports, extended_wellness
        ),
        "current_metrics": build_current_metrics(
            wellness_in_days(snap, snap.days), snap.athlete, ctx.units, extended_wellness
        ),
    }
    weight = parts.current_weight
    if weight:
        status["weight"] = weight
    return status


def mark_done(planned: list[dict[str, Any]], today_block: dict[str, Any]) -> None:
    """Today's planned_workouts entries that are done gain `completed_activity_id`, so
    a reader of planned_workouts alone does not send the athlete to do them again."""
    done = {
        str(s["id"]): s["completed_activity"]["id"]
        for s in today_block.get("planned_sessions") or []
        if s.get("done") and isinstance(s.get("completed_activity"), dict)
    }
    for entry in planned:
        if str(entry.get("id")) in done:
            entry["completed_activity_id"] = done[str(entry.get("id"))]


def build_latest(
    snap: Snapshot, ctx: RunContext, parts: LatestParts, *, version: str, schema_version: int
) -> dict[str, Any]:
    """The whole latest.json document, top-level keys in the order of TOP_LEVEL_KEYS.

    `today` comes right after READ_THIS_FIRST and is built only from values the other sections
    hold (planned_workouts, current_status.fitness, the decision parts). Every section built
    elsewhere arrives in `parts`, from its one producer; nothing is recomputed here.
    """
    units = ctx.units
    window = display_window(snap)
    window_wellness = wellness_in_days(snap, snap.days)
    planned, stats = build_planned(snap.events, snap.today, None, parts.route_flags)
    current_status = build_current_status(snap, ctx, parts)
    recent = build_recent_activities(snap, ctx, parts.activity_extras or {})
    derived = parts.derived_metrics
    sections: dict[str, Any] = {
        "today": build_today(
            snap.today,
            planned=planned,
            events=snap.events,
            activities=real_activities(snap),
            recent_activities=recent,
            wellness=wellness_in_days(snap, EXTENDED_DAYS),
            lookback_days=EXTENDED_DAYS,
            fitness=current_status["fitness"],
            readiness_decision=parts.readiness_decision,
            alerts=parts.alerts,
            race_calendar=parts.race_calendar,
            phase_detection=derived.get("phase_detection") if derived is not None else None,
        ),
        "READ_THIS_FIRST": build_read_this_first(
            snap.days, ctx.zone_preference, build_quick_stats(window)
        ),
        "metadata": build_metadata(snap, version=version, schema_version=schema_version),
        "athlete_profile": build_profile(snap.athlete, snap.today, anonymize=ctx.anonymize),
        "athlete_notes": build_notes(snap.athlete),
        "history": build_history_block(parts.history_doc, snap.today, ctx.tz, parts.history_stale),
        "summary": build_summary(window, snap.days, units),
        "current_status": current_status,
        "recent_activities": recent,
        "wellness_data": build_wellness_data(window_wellness, units),
        "planned_workouts": planned,
        "workout_summary_stats": stats,
        "weekly_summary": build_weekly_summary(window, window_wellness, snap.days),
        # history.json's base + this run's window (docs/metrics.md, "Year to date")
        "year_to_date": year_to_date(
            parts.history_doc,
            real_activities(snap),
            snap.today,
            snap.today - timedelta(days=max(EXTENDED_DAYS, snap.days) - 1),
        ),
    }
    mark_done(planned, sections["today"])
    passed: dict[str, Any] = {
        "alerts": parts.alerts,
        "readiness_decision": parts.readiness_decision,
        "health_context": parts.health_context,
        "derived_metrics": parts.derived_metrics,
        "race_calendar": parts.race_calendar,
    }
    for key in PASS_THROUGH:
        if passed[key] is not None:
            sections[key] = passed[key]
    # display companions only where they add another unit or a formatted value
    doc = prune_display({key: sections[key] for key in TOP_LEVEL_KEYS if key in sections})
    for key in UNKNOWN_IS_ABSENT:
        if isinstance(doc.get(key), list):
            doc[key] = [drop_nulls(row) for row in doc[key]]
    return doc


# the per-item sections where a null only ever meant "not recorded / unknown"; the schema
# documents absent = unknown for their fields, so the nulls are left out (a zero is still written).
UNKNOWN_IS_ABSENT = ("recent_activities", "wellness_data")


def drop_nulls(row: Any) -> Any:
    """A record without its null fields (top level only; nested blocks keep their own rules)."""
    if not isinstance(row, dict):
        return row
    return {key: value for key, value in row.items() if value is not None}
