"""Aggregate efficiency factor of steady cycling sessions, 7d vs 28d (docs/metrics.md,
"Efficiency factor").

EF is Intervals.icu's `icu_efficiency_factor` (normalized power ÷ average HR, W/bpm),
not recomputed.
"""

from __future__ import annotations

from typing import Any

from s11sync.metrics.durability import moving_seconds, steady_vi
from s11sync.numbers import finite, mean

EF_TYPES = frozenset({"Ride", "VirtualRide", "MountainBikeRide", "GravelRide"})  # not EBikeRide
EF_MIN_MOVING_S = 1200
MIN_SESSIONS_FOR_MEAN = 2
# ±0.03 W/bpm, compared in integer hundredths so a difference of exactly the band is always stable
TREND_BAND_HUNDREDTHS = 3

EF_NOTE = (
    "Mean efficiency factor (normalized power / average HR, W/bpm) of steady cycling sessions "
    "only: Ride, VirtualRide, MountainBikeRide or GravelRide, VI <= 1.05, VI > 0, >= 20 min "
    "moving. Rising EF = better aerobic efficiency; compare like-for-like sessions only, EF "
    "varies with intensity. Trend compares the 7d mean with the 28d mean (within +/-0.03 = "
    "stable)."
)


def ef_value(activity: dict[str, Any]) -> float | None:
    """The EF of a qualifying session (Q_ef), else None."""
    ef = finite(activity.get("icu_efficiency_factor"))
    if ef is None or activity.get("type") not in EF_TYPES or not steady_vi(activity):
        return None
    if moving_seconds(activity) < EF_MIN_MOVING_S:
        return None
    return ef


def ef_trend(mean_7d: float | None, mean_28d: float | None) -> str | None:
    """Compare the rounded means in integer hundredths: ±0.03 exactly is stable."""
    if mean_7d is None or mean_28d is None:
        return None
    diff = round(mean_7d * 100) - round(mean_28d * 100)
    if diff > TREND_BAND_HUNDREDTHS:
        return "improving"
    if diff < -TREND_BAND_HUNDREDTHS:
        return "declining"
    return "stable"


def build_efficiency_factor(
    act7: list[dict[str, Any]], act28: list[dict[str, Any]]
) -> dict[str, Any]:
    """`derived_metrics.capability.efficiency_factor` from the 7-day and 28-day activity slices."""
    e7 = [v for v in map(ef_value, act7) if v is not None]
    e28 = [v for v in map(ef_value, act28) if v is not None]
    mean_7d = round(mean(e7), 2) if len(e7) >= MIN_SESSIONS_FOR_MEAN else None
    mean_28d = round(mean(e28), 2) if len(e28) >= MIN_SESSIONS_FOR_MEAN else None
    return {
        "mean_ef_7d": mean_7d,
        "mean_ef_28d": mean_28d,
        "qualifying_sessions_7d": len(e7),
        "qualifying_sessions_28d": len(e28),
        "trend": ef_trend(mean_7d, mean_28d),
        "note": EF_NOTE,
    }
