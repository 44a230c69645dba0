"""Per-activity physiology fields of `recent_activities[]` (docs/metrics.md, "Activity physiology").

Pass-through of Intervals.icu values, no gates: `has_intervals`, `has_dfa` and `dfa_summary` come
from the intervals cache and are added by its owner.
"""

from __future__ import annotations

from typing import Any

from s11sync.metrics.hrrc import hrr_raw
from s11sync.numbers import finite_number


def _passthrough(value: Any) -> Any:
    """A finite number as given (int stays int); anything else (bool, string, NaN) is null."""
    return value if finite_number(value) is not None else None


def _decoupling(activity: dict[str, Any]) -> Any:
    """`icu_hr_decoupling` when it holds a number, else `decoupling`.

    The OpenAPI description lacks `icu_hr_decoupling`; the live service sends it, so it is read
    when present."""
    probed = _passthrough(activity.get("icu_hr_decoupling"))
    return probed if probed is not None else _passthrough(activity.get("decoupling"))


def activity_physiology(activity: dict[str, Any]) -> dict[str, Any]:
    """`variability_index`, `decoupling`, `efficiency_factor`, `hrrc`; always all four keys.

    `decoupling` uses a null test, so a real 0.0 is kept (the original skipped it); `hrrc` is
    passed through without a > 0 filter.
    """
    return {
        "variability_index": _passthrough(activity.get("icu_variability_index")),
        "decoupling": _decoupling(activity),
        "efficiency_factor": _passthrough(activity.get("icu_efficiency_factor")),
        "hrrc": _passthrough(hrr_raw(activity)),
    }
