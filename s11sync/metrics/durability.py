"""Aggregate HR–power decoupling over long steady sessions, 7d vs 28d (docs/metrics.md,
"Durability"; tests/metrics/test_durability.py).

Decoupling is read from Intervals.icu (`decoupling`; the undocumented `icu_hr_decoupling` is probed
first when present), never recomputed. The per-activity predicate is public so the history rollup
(`history/tiers.py`) can share it.
"""

from __future__ import annotations

from typing import Any

from s11sync.numbers import finite, mean

DUR_MAX_VI = 1.05
DUR_MIN_MOVING_S = 5400
HIGH_DRIFT_PCT = 5.0
MIN_SESSIONS_FOR_MEAN = 2
RELIABLE_MIN_7D = 3
RELIABLE_MIN_28D = 5
# ±1.0 % points, compared in integer hundredths so a difference of exactly the band is always stable
TREND_BAND_HUNDREDTHS = 100

DURABILITY_NOTE = (
    "Mean HR-power decoupling (Pw:HR drift, %) of steady sessions only: VI <= 1.05, VI > 0, >= 90"
    " min moving. Lower is better; negative = strong durability. Trend compares the 7d mean with "
    "the 28d mean (within +/-1 % point = stable). Alerts: alarm when the 28d mean > 5 with 28d N "
    ">= 5; warning when declining by more than 2 points with 7d N >= 3 and 28d N >= 5, or when 3+"
    " sessions in 7d drift above 5 %."
)


def decoupling_of(activity: dict[str, Any]) -> float | None:
    """`icu_hr_decoupling` when it holds a value, else `decoupling` (null test: 0.0 is a value)."""
    probed = finite(activity.get("icu_hr_decoupling"))
    if probed is not None:
        return probed
    return finite(activity.get("decoupling"))


def steady_vi(activity: dict[str, Any]) -> bool:
    """`0 < icu_variability_index <= 1.05` (VI 0 excluded, 1.05 included)."""
    vi = finite(activity.get("icu_variability_index"))
    return vi is not None and 0 < vi <= DUR_MAX_VI


def moving_seconds(activity: dict[str, Any]) -> float:
    """`moving_time` in seconds; missing or null counts as 0."""
    value = finite(activity.get("moving_time"))
    return 0.0 if value is None else value


def durability_value(activity: dict[str, Any]) -> float | None:
    """The decoupling of a qualifying session (Q_dur), else None."""
    dec = decoupling_of(activity)
    if dec is None or not steady_vi(activity) or moving_seconds(activity) < DUR_MIN_MOVING_S:
        return None
    return dec


def durability_trend(mean_7d: float | None, mean_28d: float | None) -> str | None:
    """Compare the rounded means in integer hundredths: ±1.00 exactly is stable."""
    if mean_7d is None or mean_28d is None:
        return None
    diff = round(mean_7d * 100) - round(mean_28d * 100)
    if diff < -TREND_BAND_HUNDREDTHS:
        return "improving"
    if diff > TREND_BAND_HUNDREDTHS:
        return "declining"
    return "stable"


def build_durability(act7: list[dict[str, Any]], act28: list[dict[str, Any]]) -> dict[str, Any]:
    """`derived_metrics.capability.durability` from the 7-day and 28-day activity slices."""
    v7 = [v for v in map(durability_value, act7) if v is not None]
    v28 = [v for v in map(durability_value, act28) if v is not None]
    mean_7d = round(mean(v7), 2) if len(v7) >= MIN_SESSIONS_FOR_MEAN else None
    mean_28d = round(mean(v28), 2) if len(v28) >= MIN_SESSIONS_FOR_MEAN else None
    limited = len(v28) < RELIABLE_MIN_28D or len(v7) < RELIABLE_MIN_7D
    reliability_note = None
    if limited:
        reliability_note = (
            f"Few qualifying sessions: 7d N={len(v7)} (min {RELIABLE_MIN_7D}), "
            f"28d N={len(v28)} (min {RELIABLE_MIN_28D}); read the means and trend with caution."
        )
    return {
        "mean_decoupling_7d": mean_7d,
        "mean_decoupling_28d": mean_28d,
        "high_drift_count_7d": sum(1 for v in v7 if v > HIGH_DRIFT_PCT),
        "high_drift_count_28d": sum(1 for v in v28 if v > HIGH_DRIFT_PCT),
        "qualifying_sessions_7d": len(v7),
        "qualifying_sessions_28d": len(v28),
        "trend": durability_trend(mean_7d, mean_28d),
        "reliability_limited": limited,
        "reliability_note": reliability_note,
        "note": DURABILITY_NOTE,
    }
