"""Consistency Index and the planned-workout count of `data_quality` (docs/metrics.md,
"Consistency" and "Data quality").

Dates, not sessions: planned = dates of WORKOUT events in the 7-day window (today included);
completed = dates of any non-stub activity in the same window; matched = both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from s11sync.windows import activity_day

NO_PLANNED_NOTE = (
    "No planned workouts in the last 7 days, so there is nothing to measure consistency against."
)
PLANNED_CATEGORIES = frozenset({"WORKOUT", "RACE_A", "RACE_B", "RACE_C"})


def consistency(
    events7: Sequence[Mapping[str, Any]], activities7: Sequence[Mapping[str, Any]]
) -> tuple[float | None, dict[str, Any]]:
    """(`consistency_index`, `consistency_details`) from events and activities already in W7."""
    planned = {
        d for e in events7 if e.get("category") == "WORKOUT" and (d := activity_day(e)) is not None
    }
    completed = {d for a in activities7 if (d := activity_day(a)) is not None}
    matched = planned & completed
    if not planned:
        return None, {
            "planned_days": 0,
            "completed_days": len(completed),
            "matched_days": 0,
            "note": NO_PLANNED_NOTE,
        }
    return round(len(matched) / len(planned), 2), {
        "planned_days": len(planned),
        "completed_days": len(completed),
        "matched_days": len(matched),
        "planned_dates": [d.isoformat() for d in sorted(planned)],
        "completed_dates": [d.isoformat() for d in sorted(completed)],
    }


def planned_workouts(events7: Sequence[Mapping[str, Any]]) -> int:
    """Number of events (not dates) in W7 with category WORKOUT or RACE_A/B/C."""
    return sum(1 for e in events7 if e.get("category") in PLANNED_CATEGORIES)
