"""Labels of the categorical 1-4 wellness scales and the 1-5 activity feel (tests/test_scales.py).

Intervals.icu stores these as positions where 1 is the best end: sleep quality 1 = GREAT, feel
1 = Strong. A bare `3` is easy to read the wrong way round, so the outputs put a label beside the
value (`scale_label`). READ_THIS_FIRST.wellness_field_scales lists the same tables.
"""

from __future__ import annotations

from typing import Any

WELLNESS_SCALES: dict[str, tuple[str, str, str, str]] = {
    "sleep_quality": ("GREAT", "OK", "POOR", "WORST"),
    "fatigue": ("None", "Some", "High", "Extreme"),
    "soreness": ("None", "Some", "High", "Extreme"),
    "stress": ("LOW", "AVG", "HIGH", "EXTREME"),
    "mood": ("GREAT", "GOOD", "OK", "GRUMPY"),
    "motivation": ("EXTREME", "HIGH", "AVG", "LOW"),
    "injury": ("NONE", "NIGGLE", "POOR", "INJURED"),
    "hydration": ("GOOD", "OK", "POOR", "BAD"),
}
FEEL_LABELS: tuple[str, ...] = ("Strong", "Good", "Normal", "Poor", "Weak")


def _label(labels: tuple[str, ...], value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        return None
    position = int(value)
    if not 1 <= position <= len(labels):
        return None
    return f"{labels[position - 1]} (1 = best, {len(labels)} = worst)"


def scale_label(field: str, value: Any) -> str | None:
    """`"POOR (1 = best, 4 = worst)"` for sleep_quality 3; None for null or off-scale values."""
    labels = WELLNESS_SCALES.get(field)
    return _label(labels, value) if labels is not None else None


def feel_label(value: Any) -> str | None:
    """`"Strong (1 = best, 5 = worst)"` for feel 1; None for null or off-scale values."""
    return _label(FEEL_LABELS, value)


def current_labels(values: dict[str, Any]) -> dict[str, str]:
    """Labels of the categorical fields of `values` that hold an on-scale number."""
    out = {}
    for field in WELLNESS_SCALES:
        label = scale_label(field, values.get(field))
        if label is not None:
            out[field] = label
    return out
