"""Decision layer of latest.json (metrics-decisions §1.1): health context, race calendar, phase
detection and seasonal context, alerts, readiness decision, in the pipeline order.

`build_decision_layer` is pure: every input comes from the snapshot, the settings and the parts
computed before it (load metrics, capability, fitness, planned workouts, history.json).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from s11sync.config import Settings
from s11sync.metrics.alerts import build_alerts
from s11sync.metrics.daily_load import countable_activities, in_window, sorted_wellness
from s11sync.metrics.health import build_health_context
from s11sync.metrics.phase import detect_phase
from s11sync.metrics.phase_features import enrich_live_rows, live_weekly_rows
from s11sync.metrics.race_calendar import build_race_calendar
from s11sync.metrics.readiness import build_readiness_decision
from s11sync.metrics.seasonal import seasonal_context
from s11sync.metrics.wellness_baselines import deload_context, hrv_low_days, rhr_high_days
from s11sync.snapshot import Snapshot
from s11sync.units import athlete_units, to_display

MIN_EVENTS_LOOKBACK_DAYS = 14


def main_events_oldest(today: date, days: int) -> date:
    """`oldest` of the main events fetch: today − max(days − 1, 14) (§1.1 step 1)."""
    return today - timedelta(days=max(days - 1, MIN_EVENTS_LOOKBACK_DAYS))


def latest_display_wellness(wellness: list[dict], today: date, days: int) -> dict | None:
    """The last wellness record of the display window today−(days−1) … today, or None (§1.1)."""
    records = in_window(sorted_wellness(wellness or []), today, days, wellness=True)
    return dict(records[-1]) if records else None


def terrain_ids_from_planned(planned_workouts: Iterable[Mapping[str, Any]]) -> frozenset:
    """Event ids whose planned_workouts entry has terrain (races beyond T+42 are not listed)."""
    return frozenset(
        w.get("id")
        for w in planned_workouts or []
        if isinstance(w, Mapping) and w.get("has_terrain")
    )


def _internal_or(internal: Mapping[str, Any], key: str, compute: Callable[[], Any]) -> Any:
    return internal[key] if key in internal else compute()


def _phase_unavailable(detection: dict) -> dict[str, str]:
    if detection["phase"] is not None:
        return {}
    if "INSUFFICIENT_DATA" in detection["reason_codes"]:
        return {"phase_detected": "insufficient_history"}
    return {"phase_detected": "not_applicable"}  # Build/Base scores tied (BUILD_BASE_AMBIGUOUS)


def build_decision_layer(
    snap: Snapshot,
    settings: Settings,
    load: dict,
    capability: dict | None,
    fitness: dict,
    planned_workouts: list[dict],
    history_doc: dict | None,
    *,
    previous_latest: dict | None = None,
    terrain_event_ids: Iterable[Any] | None = None,
) -> dict:
    """Compute the decision layer in pipeline order.

    Returns {"health_context", "race_calendar", "phase": {phase_detection, phase_detected,
    phase_triggers, seasonal_context}, "alerts", "readiness_decision", "unavailable"}.

    `load` keys read: acwr, acwr_start_of_day, monotony, effective_monotony, primary_sport,
    primary_sport_monotony, multi_sport_detected, strain, recovery_index,
    recovery_index_yesterday, latest_hrv, hrv_baseline_7d, latest_rhr, rhr_baseline_7d,
    tss_7d_total, tss_28d_total, and `_internal` {activities_7d, activities_28d, wellness_7d,
    wellness_28d, deload_context, hrv_low_days, rhr_high_days} (each recomputed from `snap` when
    missing). `fitness`: ctl, atl, tsb. `previous_latest` (optional) feeds the D-2(c) previous-
    phase fallback; `terrain_event_ids` (optional) defaults to the planned workouts with terrain.
    """
    today = snap.today
    internal: Mapping[str, Any] = load.get("_internal") or {}
    activities = countable_activities(snap.activities or [])
    acts7 = _internal_or(internal, "activities_7d", lambda: in_window(activities, today, 7))
    acts28 = _internal_or(internal, "activities_28d", lambda: in_window(activities, today, 28))
    wellness = sorted_wellness(snap.wellness or [])
    wl7 = _internal_or(
        internal, "wellness_7d", lambda: in_window(wellness, today, 7, wellness=True)
    )
    wl28 = _internal_or(
        internal, "wellness_28d", lambda: in_window(wellness, today, 28, wellness=True)
    )
    latest_wellness = latest_display_wellness(snap.wellness, today, snap.days)
    fit = fitness or {}

    # §1.1 step 3: health context
    health = build_health_context(
        today,
        snap.health_events,
        snap.events or [],
        latest_wellness,
        main_events_oldest(today, snap.days),
    )

    # step 5: race calendar
    units = athlete_units(snap.athlete)
    terrain = (
        terrain_ids_from_planned(planned_workouts)
        if terrain_event_ids is None
        else terrain_event_ids
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

    # step 7: phase detection and seasonal context
    primary = load.get("primary_sport")
    rows = live_weekly_rows(
        today,
        settings.week_start_index,
        acts28,
        primary,
        settings.zone_preference,
        {
            "ctl": fit.get("ctl"),
            "atl": fit.get("atl"),
            "acwr": load.get("acwr"),
            "monotony": load.get("monotony"),
        },
    )
    enrich_live_rows(rows, (history_doc or {}).get("weekly_180d"), wl28, acts28, previous_latest)
    detection = detect_phase(
        rows,
        today=today,
        week_start_day=settings.week_start_index,
        planned_workouts=planned_workouts,
        race_calendar=calendar,
        primary_sport=primary,
        zone_preference=settings.zone_preference,
    )
    phase = {
        "phase_detection": detection,
        "phase_detected": detection["phase"],
        "phase_triggers": list(detection["reason_codes"]),
        "seasonal_context": seasonal_context(today, settings.hemisphere),
    }

    # step 8: alerts, race alerts appended
    alerts = build_alerts(
        load,
        capability,
        calendar,
        deload_context=_internal_or(
            internal,
            "deload_context",
            lambda: deload_context(load.get("tss_7d_total"), load.get("tss_28d_total")),
        ),
        hrv_low_days=_internal_or(
            internal, "hrv_low_days", lambda: hrv_low_days(wl7, load.get("hrv_baseline_7d"))
        ),
        rhr_high_days=_internal_or(
            internal, "rhr_high_days", lambda: rhr_high_days(wl7, load.get("rhr_baseline_7d"))
        ),
    )

    # step 9: readiness decision
    readiness = build_readiness_decision(
        load, alerts, latest_wellness, calendar, detection, fit.get("tsb")
    )
    return {
        "health_context": health,
        "race_calendar": calendar,
        "phase": phase,
        "alerts": alerts,
        "readiness_decision": readiness,
        "unavailable": _phase_unavailable(detection),
    }
