"""Heart-rate recovery (HRRc), 7d vs 28d (docs/metrics.md, "HRRc").

Display only, not a readiness input.

The per-session value is Intervals.icu's `icu_hrr` (object `HRRecovery`, integer `hrr` bpm; a
`value` key or a bare number is accepted too). Booleans are rejected (the original counted
`True` as 1 bpm).
"""

from __future__ import annotations

from typing import Any

from s11sync.numbers import finite, mean

MIN_SESSIONS_7D = 1
MIN_SESSIONS_28D = 3

HRRC_NOTE = (
    "HRRc = heart-rate recovery: the largest 60 s HR drop (bpm) after HR was above threshold for "
    "more than 1 min (Intervals.icu icu_hrr). Higher = better recovery. Null when the threshold "
    "was not reached, recording stopped before the cool-down, or there was no HR. Means need 1+ "
    "session in 7d and 3+ in 28d; trend: 7d vs 28d mean, more than 10 % = meaningful. Display "
    "only, not a readiness input."
)


def hrr_raw(activity: dict[str, Any]) -> Any:
    """`icu_hrr` as given: an object yields `value` when non-null, else `hrr`; else the value."""
    hrr = activity.get("icu_hrr")
    if isinstance(hrr, dict):
        value = hrr.get("value")
        return value if value is not None else hrr.get("hrr")
    return hrr


def hrrc_value(activity: dict[str, Any]) -> float | None:
    """The recovery (bpm, float) of a qualifying session: a number > 0, never a bool."""
    value = finite(hrr_raw(activity))
    return value if value is not None and value > 0 else None


def hrrc_trend(mean_7d: float | None, mean_28d: float | None) -> str | None:
    """Relative change in integer tenths: improving iff 10·(A−B) > B (exactly 10 % is stable)."""
    if mean_7d is None or mean_28d is None:
        return None
    a, b = round(mean_7d * 10), round(mean_28d * 10)
    if b <= 0:
        return None
    if 10 * (a - b) > b:
        return "improving"
    if 10 * (a - b) < -b:
        return "declining"
    return "stable"


def build_hrrc(act7: list[dict[str, Any]], act28: list[dict[str, Any]]) -> dict[str, Any]:
    """`derived_metrics.capability.hrrc` from the 7-day and 28-day activity slices."""
    r7 = [v for v in map(hrrc_value, act7) if v is not None]
    r28 = [v for v in map(hrrc_value, act28) if v is not None]
    mean_7d = round(mean(r7), 1) if len(r7) >= MIN_SESSIONS_7D else None
    mean_28d = round(mean(r28), 1) if len(r28) >= MIN_SESSIONS_28D else None
    return {
        "mean_hrrc_7d": mean_7d,
        "mean_hrrc_28d": mean_28d,
        "qualifying_sessions_7d": len(r7),
        "qualifying_sessions_28d": len(r28),
        "trend": hrrc_trend(mean_7d, mean_28d),
        "note": HRRC_NOTE,
    }
