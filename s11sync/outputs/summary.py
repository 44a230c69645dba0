"""Totals over the display window: READ_THIS_FIRST's quick_stats, summary and weekly_summary of
latest.json (its `history` block is built in s11sync.history.due).

Null `moving_time`, `distance` and `icu_training_load` count as 0 in sums: a strength session
without a distance adds nothing instead of making the whole total null.
"""

from __future__ import annotations

from typing import Any

from s11sync.fmt import fmt_dur_min
from s11sync.metrics.wellness_baselines import usable_rhr, valid_hrv
from s11sync.numbers import rnd, rounded_mean
from s11sync.units import to_display


def _sum(activities: list[dict[str, Any]], key: str) -> float:
    return sum(a.get(key) or 0 for a in activities)


def _tss(activities: list[dict[str, Any]]) -> int:
    """r0 of the summed load over activities with a truthy load."""
    return rnd(sum(a["icu_training_load"] for a in activities if a.get("icu_training_load")))


def build_quick_stats(activities: list[dict[str, Any]]) -> dict[str, Any]:
    moving = _sum(activities, "moving_time")
    return {
        "total_training_hours": rnd(moving / 3600, 2),
        "total_training_formatted": fmt_dur_min(moving),
        "total_activities": len(activities),
        "total_tss": _tss(activities),
    }


def build_summary(
    activities: list[dict[str, Any]], days: int, units: dict[str, str]
) -> dict[str, Any]:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for activity in activities:
        raw_type = activity.get("type")
        activity_type = raw_type if raw_type is not None else "Unknown"
        by_type.setdefault(activity_type, []).append(activity)
    types = {}
    for activity_type in sorted(by_type):
        group = by_type[activity_type]
        # issue 16: the display is converted from the rounded value, so 24.5 km never shows as
        # 24.48 km beside it (the original script rounded the two differently)
        km = rnd(_sum(group, "distance") / 1000, 1)
        types[activity_type] = {
            "duration_decimal_hours": rnd(_sum(group, "moving_time") / 3600, 2),
            "count": len(group),
            "tss": rnd(_sum(group, "icu_training_load")),
            "distance_km": km,
            "display": {"distance": to_display(km, "distance", units)},
        }
    return {
        "period_description": f"Last {days} days of training, today included (rolling window, "
        "not a calendar week)",
        "note": "Durations are moving time (API moving_time), not elapsed time.",
        "total_duration_decimal_hours": rnd(_sum(activities, "moving_time") / 3600, 2),
        "total_activities": len(activities),
        "by_activity_type": types,
    }


def rolling_description(days: int) -> str:
    return (
        f"Rolling window: the last {days} days, today included; not a calendar week "
        "(history.json weekly rows are calendar weeks)."
    )


def build_weekly_summary(
    activities: list[dict[str, Any]], wellness: list[dict[str, Any]], days: int | None = None
) -> dict[str, Any]:
    """Totals of the display window (not a calendar week).

    With `days` the block starts with `period: "rolling"` and a `period_description`:
    the name says "weekly" while the window is the last D days, and history.json's weekly rows are
    calendar weeks, so the two must not be read as the same thing.
    """
    moving = _sum(activities, "moving_time")
    head: dict[str, Any] = (
        {"period": "rolling", "period_description": rolling_description(days)}
        if days is not None
        else {}
    )
    hrv = [v for v in map(valid_hrv, wellness) if v is not None]
    rhr = [v for v in map(usable_rhr, wellness) if v is not None]  # the baselines' rule
    return {
        **head,
        "total_training_hours": rnd(moving / 3600, 2),
        "total_training_formatted": fmt_dur_min(moving),
        "total_tss": _tss(activities),
        "activities_count": len(activities),
        "avg_hrv": rounded_mean(hrv, 1),
        "avg_resting_hr": rounded_mean(rhr, 1),
    }
