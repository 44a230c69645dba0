"""READ_THIS_FIRST: the reading guide at the top of latest.json (docs/files.md, "How an AI should
read the files").

Each note states the reading rules of the section it names; the rules themselves live with the code
that builds that section.
"""

from __future__ import annotations

from typing import Any

from s11sync.scales import WELLNESS_SCALES
from s11sync.windows import EXTENDED_DAYS

# Each note keeps its rules in as few words as it can: an AI reads every note on every question, so
# its tokens count. The longer explanations are in the project's docs (docs/files.md "READ_THIS_FIRST
# in full", docs/metrics.md) and the field meanings in schemas/latest.schema.json.
INSTRUCTION_FOR_AI = (
    "Do not add up activities yourself: use the precomputed totals in summary, weekly_summary and "
    "derived_metrics. Field meanings: schemas/latest.schema.json; guides: docs/files.md, docs/metrics.md."
)

DISPLAY_FORMATTING = (
    "Quote the *_formatted strings, not the decimal *_hours. A 'display' companion is written only when "
    "it adds another unit or a formatted pace; otherwise the raw value is already in the athlete's unit. "
    "In recent_activities and wellness_data an absent field is unknown (never zero)."
)

EXTENDED_DATA_NOTE = f"ACWR and the baselines use {EXTENDED_DAYS} days of data."

CAPABILITY_METRICS_NOTE = (
    "derived_metrics.capability: read the 7d vs 28d trend direction, not absolute values. A rising HR "
    "curve is ambiguous (fitness or fatigue): cross-check HRV, resting HR and RPE. DFA a1: cycling only; "
    "markers easy_guard 1.0 (a guard), lt1 0.75, lt2 0.5; read the reason fields, infer nothing from a "
    "null, do not interpret an insufficient latest session; never a readiness input."
)

READINESS_DECISION_NOTE = (
    "readiness_decision (go / modify / skip, insufficient_data never go; P0 safety, P1 overload, P2 "
    "fatigue, P3 green) is the baseline. Feel/RPE may escalate it; de-escalate only at P2; P0 and P1 "
    "cannot be overridden; ACWR alone cannot force P1. signals.acwr is start-of-day, derived_metrics.acwr "
    "live (retrospective only). SDNN is never used as HRV. In race week follow race_calendar.race_week."
    "today first. alerts: tier then severity, race alerts last; empty = none. phase_detection null = "
    "too little or ambiguous data, not 'no phase'."
)

HEALTH_CONTEXT_NOTE = (
    "health_context is context, not a readiness input: SICK/INJURED calendar markers (never titles); "
    "end_date is the last marked day. No 'active' field: read marker_active, recent_marker and "
    "clarification_required (then ask). source_status partial = older markers may be missing."
)

DEFAULT_ZONE_PREFERENCE = "default (power preferred, HR fallback)"

_SCALES = WELLNESS_SCALES  # one table, in s11sync.scales
_UI_NOTE = "Shown as 'Pre training' in the Intervals.icu UI"


def wellness_field_scales() -> dict[str, Any]:
    out: dict[str, Any] = {
        "note": (
            "Categorical wellness fields: 1-4, 1 = best, 4 = worst (labels differ per field). "
            "Absent or null = not reported."
        ),
    }
    for field, labels in _SCALES.items():
        scale: dict[str, str] = {str(i + 1): label for i, label in enumerate(labels)}
        if field in ("fatigue", "soreness"):
            scale["ui_note"] = _UI_NOTE
        out[field] = scale
    out["menstrual"] = (
        "menstrual_phase and menstrual_phase_predicted are not on the 1-4 scale. "
        "Values: PERIOD, FOLLICULAR, OVULATING, LUTEAL, NONE."
    )
    return out


def build_read_this_first(
    days: int, zone_preference: dict[str, str] | None, quick_stats: dict[str, Any]
) -> dict[str, Any]:
    recent_days = max(EXTENDED_DAYS, days)
    return {
        "instruction_for_ai": INSTRUCTION_FOR_AI,
        "display_formatting": DISPLAY_FORMATTING,
        "data_period": (
            f"summary, weekly_summary, quick_stats and wellness_data cover the last {days} days, "
            f"today included; recent_activities covers the last {recent_days} days, newest first."
        ),
        "extended_data_note": EXTENDED_DATA_NOTE,
        "capability_metrics_note": CAPABILITY_METRICS_NOTE,
        "readiness_decision_note": READINESS_DECISION_NOTE,
        "health_context_note": HEALTH_CONTEXT_NOTE,
        "zone_preference": dict(zone_preference) if zone_preference else DEFAULT_ZONE_PREFERENCE,
        "wellness_field_scales": wellness_field_scales(),
        "quick_stats": quick_stats,
    }
