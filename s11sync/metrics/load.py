"""Load totals, ACWR, monotony, primary sport, strain, stress tolerance and the load/recovery
ratio (docs/metrics.md, "Training load totals" … "Load-recovery ratio").

Pure functions over daily load series (see `daily_load.py`). Rounding order is part of the
contract, as in the original (docs/metrics.md, "Conventions"): strain uses the rounded monotony,
stress tolerance the rounded strain and monotony, the load/recovery ratio the rounded Recovery
Index; labels read rounded values.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from s11sync.metrics.daily_load import daily_load, daily_load_by_family
from s11sync.windows import ACUTE_DAYS, EXTENDED_DAYS, activity_day

CHRONIC_DAYS = EXTENDED_DAYS  # the chronic ACWR window is the extended 28-day window
PRIMARY_MIN_ACTIVE_DAYS = 3
MONOTONY_ELEVATED_ABOVE = 2.0


# -- totals --------------------------------------------------------------------


def load_total(series: Sequence[float]) -> float:
    """Σ of a daily series, rounded to 0 dp and kept a float (written `405.0`)."""
    return float(round(sum(series)))


# -- ACWR ----------------------------------------------------------------------


def acwr_ratio(s7: float, s28: float) -> float | None:
    """Unrounded (S7/7) ÷ (S28/28); None when the chronic load is not positive."""
    chronic = s28 / CHRONIC_DAYS
    if chronic <= 0:
        return None
    return (s7 / ACUTE_DAYS) / chronic


def acwr(s7: float, s28: float) -> float | None:
    """`acwr`: the ratio rounded to 2 dp. No minimum history; today's partial day included."""
    ratio = acwr_ratio(s7, s28)
    return None if ratio is None else round(ratio, 2)


def acwr_interpretation(value: float | None) -> str | None:
    """<0.8 undertraining, <1.3 optimal, <1.5 caution, else danger (reads the rounded value)."""
    if value is None:
        return None
    if value < 0.8:
        return "undertraining"
    if value < 1.3:
        return "optimal"
    if value < 1.5:
        return "caution"
    return "danger"


def weekly_acwr(week_totals: Sequence[float], elapsed_days: int) -> float | None:
    """history.json's weekly ACWR, from four calendar weeks of load (oldest first): the last
    week's load per elapsed day (an in-progress week counts only its elapsed days) over the three
    weeks before it per day (÷ 21), 2 dp; None when those three weeks hold no load."""
    *before, current = week_totals[-4:]
    chronic = sum(before) / 21
    acute = current / max(1, elapsed_days)
    return round(acute / chronic, 2) if chronic else None


def acwr_start_of_day(activities28: Sequence[Mapping[str, Any]], today: date) -> dict[str, Any]:
    """Start-of-day ACWR: ACWR with every activity dated today removed; divisors stay 7 and 28."""
    earlier = [a for a in activities28 if activity_day(a) != today]
    value = acwr(
        sum(daily_load(earlier, today, ACUTE_DAYS)), sum(daily_load(earlier, today, CHRONIC_DAYS))
    )
    return {
        "value": value,
        "interpretation": acwr_interpretation(value),
        "scope": "start_of_day",
        "as_of_date": today.isoformat(),
        "current_day_load_included": False,
        "acute_days": ACUTE_DAYS,
        "chronic_days": CHRONIC_DAYS,
    }


# -- monotony ------------------------------------------------------------------


def monotony_ratio(series: Sequence[float]) -> float | None:
    """Unrounded mean ÷ sample SD (rest days included); None when all 0 or the SD is 0."""
    if len(series) < 2 or not any(series):
        return None
    sd = statistics.stdev(series)
    if sd <= 0:
        return None
    return statistics.mean(series) / sd


def monotony(series: Sequence[float]) -> float | None:
    """Foster monotony, 2 dp. Seven identical days give SD 0 and so None, not a flag."""
    ratio = monotony_ratio(series)
    return None if ratio is None else round(ratio, 2)


def weekly_monotony(daily: list[float]) -> float | None:
    """history.json's weekly monotony: ≥ 5 elapsed days, ≥ 3 with load, mean ÷ sample SD, 2 dp."""
    if len(daily) < 5 or sum(1 for x in daily if x > 0) < 3:
        return None
    sd = statistics.stdev(daily)
    return round(statistics.mean(daily) / sd, 2) if sd > 0 else None


def primary_sport_monotony(series: Sequence[float]) -> float | None:
    """Monotony of the primary family: needs ≥ 3 days with load; SD over all 7 days."""
    if sum(1 for x in series if x > 0) < PRIMARY_MIN_ACTIVE_DAYS:
        return None
    return monotony(series)


def primary_sport_block(activities7: Sequence[Mapping[str, Any]], today: date) -> dict[str, Any]:
    """Primary sport: primary_sport, its monotony and 7-day load, multi_sport_detected.

    The primary family has the largest 7-day load; ties go to the family listed first by
    `daily_load_by_family` (newest load-bearing activity, then alphabetical).
    """
    by_family = daily_load_by_family(activities7, today, ACUTE_DAYS)
    primary: str | None = None
    best = 0.0
    for family, series in by_family.items():
        total = sum(series)
        if primary is None or total > best:
            primary, best = family, total
    return {
        "primary_sport": primary,
        "primary_sport_monotony": None
        if primary is None
        else primary_sport_monotony(by_family[primary]),
        "primary_sport_tss_7d": None if primary is None else float(round(best)),
        "multi_sport_detected": len(by_family) > 1,
        "families_7d": by_family,
    }


def effective_monotony(
    total: float | None, primary: float | None, multi_sport: bool
) -> float | None:
    """The primary sport's monotony when multi-sport and available, else the total monotony."""
    if multi_sport and primary is not None:
        return primary
    return total


def monotony_interpretation(
    total: float | None, effective: float | None, multi_sport: bool
) -> str | None:
    """`elevated` if effective > 2.0 else `normal`; multi-sport suffix when E < T."""
    if effective is None:
        return None
    level = "elevated" if effective > MONOTONY_ELEVATED_ABOVE else "normal"
    if multi_sport and total and effective < total:
        return f"{level} (primary sport {effective!r}, total {total!r} inflated by multi-sport)"
    return level


# -- strain, stress tolerance, load/recovery -----------------------------------


def strain(s7: float, monotony_value: float | None) -> float | None:
    """S7 × rounded total monotony, rounded to 0 dp as a float."""
    if monotony_value is None:
        return None
    return float(round(s7 * monotony_value))


def stress_tolerance(strain_value: float | None, monotony_value: float | None) -> float | None:
    """(strain ÷ monotony) ÷ 100 from the rounded inputs, 1 dp; None when either is null or 0."""
    if not strain_value or not monotony_value:
        return None
    return round(strain_value / monotony_value / 100, 1)


def load_recovery_ratio(s7: float, recovery_index: float | None) -> float | None:
    """S7 ÷ (RI × 100) with the rounded RI, 1 dp; None when RI is null or ≤ 0. No band label."""
    if recovery_index is None or recovery_index <= 0:
        return None
    return round(s7 / (recovery_index * 100), 1)
