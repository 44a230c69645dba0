"""7-day time-in-zone shares and hard days of the training week (docs/metrics.md, "Zone
distribution", "Grey zone, quality and easy-time shares" and "Hard days").

Zones per activity come from `zones.activity_zone_seconds`; the denominator is zone time, not
moving time. HR and power zones are summed into the same z-labels; `zone_basis: mixed` flags it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from s11sync.metrics.zones import N_ZONES, activity_zone_seconds, classify_day, combined_basis
from s11sync.windows import activity_day

GREY_ZONE_NOTE = (
    "Share of 7-day zone time spent in Z3 (tempo). Polarized training keeps this small."
)
QUALITY_INTENSITY_NOTE = (
    "Share of 7-day zone time spent in Z4 and above. Polarized training aims for about 20%."
)
EASY_TIME_RATIO_NOTE = (
    "Fraction of 7-day zone time in Z1+Z2 (0-1). Polarized training aims for about 0.8."
)
HARD_DAYS_NOTE = (
    "Days of the current training week (up to today) with a hard session. Power ladder, any rung: "
    "Z3+ >= 30 min, Z4+ >= 10 min, Z5+ >= 5 min, Z6+ >= 2 min or Z7 >= 1 min. Activities whose "
    "zones resolved to heart rate use the HR rungs only: Z4+ >= 10 min or Z5+ >= 5 min. Based on "
    "the Seiler 3-zone model and Foster's session-load work; HR-based days are marked "
    "intensity_basis: hr in the history rows."
)


def zone_totals(
    activities: Sequence[Mapping[str, Any]], zone_preference: Mapping[str, str]
) -> tuple[list[float], str | None]:
    """Σ z1…z7 seconds over the activities, and the combined basis (None without zone data)."""
    totals: list[float] = [0] * N_ZONES
    bases: list[str] = []
    for activity in activities:
        resolved = activity_zone_seconds(activity, zone_preference)
        if resolved is None:
            continue
        basis, zones = resolved
        bases.append(basis)
        for i, seconds in enumerate(zones):
            totals[i] += seconds
    return totals, combined_basis(bases)


def zone_distribution(
    activities7: Sequence[Mapping[str, Any]], zone_preference: Mapping[str, str]
) -> dict[str, Any]:
    """Zone fields in emission order: `zone_distribution_7d` and the three shares with notes."""
    zones, basis = zone_totals(activities7, zone_preference)
    z1, z2, z3 = zones[0], zones[1], zones[2]
    z4p = sum(zones[3:])
    total = sum(zones)
    has_time = total > 0
    return {
        "zone_distribution_7d": {
            "z1_hours": round(z1 / 3600, 2),
            "z2_hours": round(z2 / 3600, 2),
            "z3_hours": round(z3 / 3600, 2),
            "z4_plus_hours": round(z4p / 3600, 2),
            "total_hours": round(total / 3600, 2),
            "zone_basis": basis,
        },
        "grey_zone_percentage": round(100 * z3 / total, 1) if has_time else None,
        "grey_zone_note": GREY_ZONE_NOTE,
        "quality_intensity_percentage": round(100 * z4p / total, 1) if has_time else None,
        "quality_intensity_note": QUALITY_INTENSITY_NOTE,
        "easy_time_ratio": round((z1 + z2) / total, 2) if has_time else None,
        "easy_time_ratio_note": EASY_TIME_RATIO_NOTE,
    }


def week_start_date(today: date, week_start_index: int) -> date:
    """First day of the current training week: today − ((weekday(today) − week_start) mod 7)."""
    return today - timedelta(days=(today.weekday() - week_start_index) % 7)


def hard_days_this_week(
    activities28: Sequence[Mapping[str, Any]],
    today: date,
    week_start_index: int,
    zone_preference: Mapping[str, str],
) -> int | None:
    """Hard dates in the current training week up to today.

    None when that part of the week holds activities but none has zone data (missing is
    not zero: the original reported 0); 0 when it holds no activity or no hard day.
    """
    first = week_start_date(today, week_start_index)
    by_day: dict[date, list[Mapping[str, Any]]] = {}
    for activity in activities28:
        day = activity_day(activity)
        if day is not None and first <= day <= today:
            by_day.setdefault(day, []).append(activity)
    hard = 0
    any_zones = False
    for day_activities in by_day.values():
        is_hard, _basis = classify_day(day_activities, zone_preference)
        if is_hard is None:
            continue
        any_zones = True
        hard += bool(is_hard)
    if by_day and not any_zones:
        return None
    return hard
