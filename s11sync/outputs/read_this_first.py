"""READ_THIS_FIRST (outputs-latest §6): the reading guide at the top of latest.json.

The wording is ours; what each note must convey is fixed by the spec parts that own the sections.
"""

from __future__ import annotations

from typing import Any

from s11sync.scales import WELLNESS_SCALES

EXTENDED_DAYS = 28

INSTRUCTION_FOR_AI = (
    "Do not add up individual activities yourself. Use the precomputed totals in 'summary', "
    "'weekly_summary' and 'derived_metrics': they are computed directly from the Intervals.icu API data."
)

DISPLAY_FORMATTING = (
    "Quote the '*_formatted' strings (sleep_formatted, duration_formatted, total_training_formatted) "
    "instead of converting the decimal '*_hours' values: the strings are built from raw seconds and "
    "carry no rounding error. Values in athlete units are in the 'display' companions."
)

EXTENDED_DATA_NOTE = "ACWR and the baselines are computed from 28 days of data."

CAPABILITY_METRICS_NOTE = (
    "derived_metrics.capability describes how the athlete expresses fitness, not just load. "
    "durability: aggregate HR decoupling 7d vs 28d; efficiency factor: aggregate EF 7d vs 28d; for both "
    "the trend direction matters more than the absolute values. HRRc: heart-rate recovery 7d vs 28d, "
    "display only, higher = better. TID comparison: 7d vs 28d intensity distribution drift. "
    "Power curve delta: mean-maximal power shift at anchor durations between two 28-day windows; "
    "rotation_index positive = sprint-biased gains, negative = endurance-biased. HR curve delta: max "
    "sustained HR shift at anchor durations; a rising value is ambiguous (fitness or fatigue), so "
    "cross-check HRV, resting HR and RPE. Sustainability profile: sustainable power/HR per duration from "
    "the named curve sources; a divergence between the models means the estimate is uncertain; indoor "
    "mean-maximal power is typically lower than outdoor. DFA a1 profile: markers easy_guard 1.0 (a guard, "
    "not a threshold), lt1 0.75 and lt2 0.5; validated for cycling only; estimates need sustained, "
    "estimate-eligible crossings; read the reason fields and never infer anything from a null value; "
    "refuse to interpret when the latest session is insufficient; DFA is never a readiness input."
)

READINESS_DECISION_NOTE = (
    "readiness_decision is a precomputed go / modify / skip recommendation (insufficient_data when most "
    "signals are missing, never go) with a priority: P0 safety, "
    "P1 overload, P2 fatigue, P3 green. Use it as the baseline. Override it only under the protocol's "
    "Feel/RPE rules: what the athlete reports may escalate it; de-escalation is allowed only at P2; P0 and "
    "P1 cannot be overridden. signals.acwr is the start-of-day value (today's activities excluded), while "
    "derived_metrics.acwr is live and for retrospective reading only. ACWR alone cannot force P1. "
    "signals.hrv.reason = rmssd_missing_sdnn_available explains a missing rMSSD; SDNN is never used as HRV. "
    "When race_calendar.race_week is active, follow its day protocol (race_week.today) before any "
    "modification. alerts are sorted by tier (1 recovery, 2 load, 3 durability and intensity "
    "distribution) and severity, race alerts last; an empty list is a green light. "
    "derived_metrics.phase_detection names the training phase from completed weeks plus this week's plan, "
    "with confidence and reason_codes; a null phase means the data is too short or ambiguous, not 'no "
    "phase'."
)

HEALTH_CONTEXT_NOTE = (
    "health_context is context, not a readiness input. Markers come from SICK and INJURED calendar "
    "categories, never from titles. end_date is the inclusive last marked day, not the day of recovery. "
    "There is no 'active' field by design: read marker_active, recent_marker and clarification_required "
    "(ask the athlete when it is true). source_status 'partial' means the dedicated health fetch failed and "
    "only the main event window was searched, so older markers may be missing."
)

DEFAULT_ZONE_PREFERENCE = "default (power preferred, HR fallback)"

_SCALES = WELLNESS_SCALES  # one table, in s11sync.scales
_UI_NOTE = "Shown as 'Pre training' in the Intervals.icu UI"


def wellness_field_scales() -> dict[str, Any]:
    out: dict[str, Any] = {
        "note": (
            "All categorical wellness fields use a 1-4 positional scale: 1 = best, 4 = worst. The "
            "labels differ per field, the direction does not. null = not reported."
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
