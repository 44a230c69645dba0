"""Decision layer of latest.json: health context, race calendar, phase detection and seasonal
context, alerts, readiness decision, in that order (each reads the ones before it; docs/metrics.md
describes each one).

`build_decision_layer` is pure: every input comes from the snapshot, the run context and the parts
computed before it (`DecisionInputs`); it reads each of them from its one producer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from s11sync.metrics.alerts import build_alerts
from s11sync.metrics.daily_load import sorted_wellness
from s11sync.metrics.health import build_health_context
from s11sync.metrics.phase import detect_phase
from s11sync.metrics.phase_features import enrich_live_rows, live_weekly_rows
from s11sync.metrics.race_calendar import build_race_calendar
from s11sync.metrics.readiness import build_readiness_decision
from s11sync.metrics.seasonal import seasonal_context
from s11sync.outputs.parts import DecisionLayer, LoadMetrics, PhaseParts
from s11sync.outputs.run_context import RunContext
from s11sync.snapshot import Snapshot
from s11sync.units import to_display
from s11sync.windows import in_window

MIN_EVENTS_LOOKBACK_DAYS = 14


def main_events_oldest(today: date, days: int) -> date:
    """`oldest` of the main events fetch: today − max(days − 1, 14), so health events of the last
    two weeks are seen even with a short display window."""
    return today - timedelta(days=max(days - 1, MIN_EVENTS_LOOKBACK_DAYS))


def latest_display_wellness(wellness: list[dict], today: date, days: int) -> dict | None:
    """The last wellness record of the display window today−(days−1) … today, or None."""
    records = in_window(sorted_wellness(wellness or []), today, days, wellness=True)
    return dict(records[-1]) if records else None


def terrain_ids_from_planned(planned_workouts: Iterable[Mapping[str, Any]]) -> frozenset:
    """Event ids whose planned_workouts entry has terrain (races beyond T+42 are not listed)."""
    return frozenset(
        w.get("id")
        for w in planned_workouts or []
        if isinstance(w, Mapping) and w.get("has_terrain")
    )


def _phase_unavailable(detection: dict) -> dict[str, str]:
    if detection["phase"] is not None:
        return {}
    if "INSUFFICIENT_DATA" in detection["reason_codes"]:
        return {"phase_detected": "insufficient_history"}
    return {"phase_detected": "not_applicable"}  # Build/Base scores tied (BUILD_BASE_AMBIGUOUS)


@dataclass(frozen=True)
class DecisionInputs:
    """The parts computed before the decision layer, each by its one producer."""

    load: LoadMetrics
    capability: dict[str, Any] | None
    fitness: Mapping[str, Any]  # current_status.fitness as latest.json shows it (ctl, atl, tsb)
    planned_workouts: list[dict[str, Any]]  # planned_workouts as latest.json shows them
    history_doc: Mapping[str, Any] | None  # this run's (or the kept) history.json
    previous_latest: Mapping[str, Any] | None = None  # feeds the previous-phase fallback
    terrain_event_ids: Iterable[Any] | None = None  # default: planned workouts with terrain


def build_decision_layer(snap: Snapshot, ctx: RunContext, inputs: DecisionInputs) -> DecisionLayer:
    """Compute the decision layer in pipeline order: health context, race calendar, phase
    detection and seasonal context, alerts, readiness decision."""
    today = ctx.today
    load = inputs.load
    metrics, internal = load.fields, load.internal
    acts7, acts28 = internal.activities_7d, internal.activities_28d
    wl28 = internal.wellness_28d
    latest_wellness = latest_display_wellness(snap.wellness, today, ctx.days)
    fit = inputs.fitness or {}
    planned_workouts = inputs.planned_workouts

    # health context
    health = build_health_context(
        today,
        snap.health_events,
        snap.events or [],
        latest_wellness,
        main_events_oldest(today, ctx.days),
    )

    # race calendar
    units = ctx.units
    terrain = (
        terrain_ids_from_planned(planned_workouts)
        if inputs.terrain_event_ids is None
        else inputs.terrain_event_ids
    )
    calendar = build_race_calendar(
        today,
        snap.events or [],
        fit.get("ctl"),
        fit.get("atl"),
        acts7,
        terrain,
        lambda km: to_display(km, "distance", units),
    )

    # phase detection and seasonal context
    primary = metrics["primary_sport"]
    rows = live_weekly_rows(
        today,
        ctx.week_start_index,
        acts28,
        primary,
        ctx.zone_preference,
        {
            "ctl": fit.get("ctl"),
            "atl": fit.get("atl"),
            "acwr": metrics["acwr"],
            "monotony": metrics["monotony"],
        },
    )
    enrich_live_rows(
        rows, (inputs.history_doc or {}).get("weekly_180d"), wl28, acts28, inputs.previous_latest
    )
    detection = detect_phase(
        rows,
        today=today,
        week_start_day=ctx.week_start_index,
        planned_workouts=planned_workouts,
        race_calendar=calendar,
        primary_sport=primary,
        zone_preference=ctx.zone_preference,
    )
    phase: PhaseParts = {
        "phase_detection": detection,
        "phase_detected": detection["phase"],
        "phase_triggers": list(detection["reason_codes"]),
        "seasonal_context": seasonal_context(today, ctx.hemisphere),
    }

    # alerts, race alerts appended
    alerts = build_alerts(
        metrics,
        inputs.capability,
        calendar,
        deload_context=internal.deload_context,
        hrv_low_days=internal.hrv_low_days,
        rhr_high_days=internal.rhr_high_days,
    )

    # readiness decision
    readiness = build_readiness_decision(
        metrics, alerts, latest_wellness, calendar, detection, fit.get("tsb")
    )
    return {
        "health_context": health,
        "race_calendar": calendar,
        "phase": phase,
        "alerts": alerts,
        "readiness_decision": readiness,
        "unavailable": _phase_unavailable(detection),
    }
