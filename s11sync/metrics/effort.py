"""Effort response of one activity (docs/metrics.md, "Effort response"): session IF against the
RPE expected for it.

Interpretive only; never a readiness input. `icu_intensity` is IF × 100 (a percentage).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s11sync.numbers import finite_number

MIN_INTENSITY_PCT = 65
# (lower bound of IF %, inclusive) -> expected RPE band [low, high]; the next bound is exclusive
RPE_BANDS: tuple[tuple[float, tuple[int, int]], ...] = (
    (105, (9, 10)),
    (95, (8, 9)),
    (85, (6, 8)),
    (75, (4, 6)),
    (65, (2, 4)),
)


def expected_rpe_band(intensity_pct: float) -> tuple[int, int] | None:
    """Expected RPE [low, high] for an IF percentage; None below 65 (out of coverage)."""
    for lower, band in RPE_BANDS:
        if intensity_pct >= lower:
            return band
    return None


def effort_response(activity: Mapping[str, Any]) -> str | None:
    """`positive` (RPE under the band), `negative` (over it) or `neutral`; None when not judged.

    None when `icu_intensity` is null or < 65, or `icu_rpe` is null or ≤ 0.
    """
    intensity = finite_number(activity.get("icu_intensity"))
    rpe = finite_number(activity.get("icu_rpe"))
    if intensity is None or rpe is None or rpe <= 0:
        return None
    band = expected_rpe_band(intensity)
    if band is None:
        return None
    low, high = band
    if rpe < low:
        return "positive"
    if rpe > high:
        return "negative"
    return "neutral"
