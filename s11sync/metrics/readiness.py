"""Readiness decision (docs/metrics.md, "Readiness decision"): six signals, the P0–P3 ladder,
the modification.

Rules worth knowing when changing this module:
* P1-modify builds its modification from red **and** amber signals (tsb included).
* the `tsb` signal is computed before the ladder, so every outcome carries the same six
  signals and a six-signal summary. The ladder itself is unchanged (P0/P1 do not count signals).
* the HRV % change and the RHR delta are compared unrounded and emitted rounded.
* a two-day RI < 0.7 produces the RI warning alert (persistence 2), which satisfies
  the P1 rule "RI < 0.7 with persistent alerts", so an amber RI always ends in a P1 skip.

Differences from the original script (docs/metrics.md, "Readiness decision"):
* A start-of-day ACWR below 0.8 (undertraining) has status `low`, not `green`: it is neither a
  fatigue signal nor a sign of readiness, and it is counted apart in `signal_summary.low`.
* When the ladder reaches P3 with more than three of the six signals unavailable, the
  recommendation is `insufficient_data` (not `go`), and `missing_signals` names them. Red and amber
  signals still decide first: a single red signal is never hidden behind missing data.
"""

from __future__ import annotations

from typing import Any, TypedDict

from s11sync.scales import scale_label

SIGNAL_ORDER = ("hrv", "rhr", "sleep", "acwr", "ri", "tsb")
CORROBORATING = ("hrv", "rhr", "sleep", "ri")
STATUSES = ("green", "amber", "red", "low", "unavailable")
RECOMMENDATIONS = ("go", "modify", "skip", "insufficient_data")
ACWR_LOW = 0.8  # below: undertraining, status `low`
MAX_UNAVAILABLE_FOR_GO = 3  # more unavailable signals than this: `insufficient_data`, not `go`


class AcwrStartOfDay(TypedDict):
    """`derived_metrics.acwr_start_of_day`: the ACWR with today's load left out."""

    value: float | None
    interpretation: str | None
    scope: str
    as_of_date: str
    current_day_load_included: bool
    acute_days: int
    chronic_days: int


class ReadinessMetrics(TypedDict):
    """The load metrics the readiness decision reads (a subset of the load part's fields)."""

    recovery_index: float | None
    recovery_index_yesterday: float | None
    acwr_start_of_day: AcwrStartOfDay
    latest_hrv: float | None
    hrv_baseline_7d: float | None
    latest_rhr: float | None
    rhr_baseline_7d: float | None


# modifier_applied -> (amber_threshold, tsb_amber, tighten_red)
PHASE_MODIFIERS = {
    "race_week_tightened": (1, -15, True),
    "build_loosened": (3, -20, False),
    "taper_tightened": (1, -15, True),
    "default": (2, -15, False),
}


def phase_modifier(race_week_active: bool, phase: str | None) -> str:
    """The phase modifier, first match: race week, Build, Taper, else default."""
    if race_week_active:
        return "race_week_tightened"
    if phase == "Build":
        return "build_loosened"
    if phase == "Taper":
        return "taper_tightened"
    return "default"


def _present(value: Any) -> bool:
    """The original's truthiness test: null and 0 are missing."""
    return value is not None and value != 0


def hrv_signal(latest: Any, baseline: Any, sdnn: Any) -> tuple[dict, float | None]:
    """(signal, unrounded % change or None)."""
    if _present(latest) and _present(baseline) and baseline > 0:
        pct = (latest - baseline) / baseline * 100
        status = "red" if pct <= -20 else "amber" if pct <= -10 else "green"
        return (
            {
                "status": status,
                "value": round(latest, 1),
                "baseline_7d": round(baseline, 1),
                "delta_pct": round(pct, 1),
            },
            pct,
        )
    signal = {"status": "unavailable", "value": latest, "baseline_7d": baseline, "delta_pct": None}
    if latest is None and sdnn is not None:
        signal["reason"] = "rmssd_missing_sdnn_available"
    return signal, None


def rhr_signal(latest: Any, baseline: Any) -> dict:
    if _present(latest) and _present(baseline) and baseline > 0:
        delta = latest - baseline
        status = "red" if delta >= 5 else "amber" if delta >= 3 else "green"
        return {
            "status": status,
            "value": round(latest, 1),
            "baseline_7d": round(baseline, 1),
            "delta_bpm": round(delta, 1),
        }
    return {"status": "unavailable", "value": latest, "baseline_7d": baseline, "delta_bpm": None}


def sleep_signal(secs: Any, quality: Any) -> dict:
    """`quality_label` names the 1-4 position, 1 = best (Intervals.icu sleepQuality)."""
    label = scale_label("sleep_quality", quality)
    if _present(secs):
        hours = round(secs / 3600, 2)
        status = "red" if hours < 5 else "amber" if hours < 7 else "green"
        return {"status": status, "hours": hours, "quality": quality, "quality_label": label}
    return {"status": "unavailable", "hours": None, "quality": quality, "quality_label": label}


def acwr_signal(value: Any, as_of: Any) -> dict:
    if value is None:
        status = "unavailable"
    else:
        status = (
            "red"
            if value >= 1.5
            else "amber"
            if value >= 1.3
            else "low"
            if value < ACWR_LOW
            else "green"
        )
    return {
        "status": status,
        "value": value,
        "scope": "start_of_day",
        "as_of_date": as_of,
        "current_day_load_included": False,
    }


def ri_signal(ri: Any, ri_yesterday: Any) -> dict:
    if ri is None:
        return {"status": "unavailable", "value": None, "value_yesterday": ri_yesterday}
    if ri < 0.6:
        status = "red"
    elif ri < 0.7 and ri_yesterday is not None and ri_yesterday < 0.7:
        status = "amber"
    else:
        status = "green"  # a single-day 0.6–0.7 dip is green
    return {"status": status, "value": ri, "value_yesterday": ri_yesterday}


def tsb_signal(tsb: Any, tsb_amber: float) -> dict:
    if tsb is None:
        return {"status": "unavailable", "value": None}
    status = "red" if tsb < -30 else "amber" if tsb < tsb_amber else "green"
    return {"status": status, "value": round(tsb, 1)}


def build_modification(triggers: list[str]) -> dict:
    """Suggested adjustments for the ordered trigger names (first matching pattern)."""
    if not triggers:
        intensity, volume, cap = "preserve", "preserve", None
    elif "acwr" in triggers:
        intensity, volume, cap = "reduce", "reduce", "Z2"
    elif len(triggers) >= 2:
        intensity, volume, cap = "reduce", "reduce", None
    elif triggers == ["sleep"] or triggers == ["tsb"]:
        intensity, volume, cap = "preserve", "reduce", None
    elif triggers[0] in ("hrv", "rhr", "ri"):
        intensity, volume, cap = "reduce", "preserve", None
    else:
        intensity, volume, cap = "reduce", "reduce", None
    return {
        "triggers": list(triggers),
        "suggested_adjustments": {"intensity": intensity, "volume": volume, "cap_zone": cap},
    }


def _names(signals: dict, status: str) -> list[str]:
    return [name for name in SIGNAL_ORDER if signals[name]["status"] == status]


def _p1_skip_reasons(
    signals: dict, alerts: list[dict], acwr: Any, as_of: Any, ri: Any, tsb: Any, pct: float | None
) -> tuple[list[str], list[str]]:
    """All matching P1-skip fragments, and the alarm refs (from the persistent-alert rule only)."""
    fragments: list[str] = []
    refs: list[str] = []
    if acwr is not None and acwr >= 1.5:
        corroborating = [n for n in CORROBORATING if signals[n]["status"] in ("amber", "red")]
        if corroborating:
            fragments.append(
                f"start-of-day ACWR {acwr} (as of {as_of}, today's load excluded) "
                f">= 1.5, corroborated by {', '.join(corroborating)}"
            )
    if tsb is not None and tsb < -30 and pct is not None and pct < -10:
        fragments.append(f"TSB {tsb} < -30 with HRV {signals['hrv']['delta_pct']}% below baseline")
    if ri is not None and ri < 0.7:
        persistent = [
            a["metric"]
            for a in alerts
            if a.get("tier") == 1
            and a.get("severity") in ("warning", "alarm")
            and (a.get("persistence_days") or 0) >= 2
        ]
        if persistent:
            fragments.append(f"RI {ri} < 0.7 with persistent alerts: {', '.join(persistent)}")
            refs.extend(persistent)
    return fragments, refs


def build_readiness_decision(
    metrics: ReadinessMetrics,
    alerts: list[dict],
    latest_wellness: dict | None,
    race_calendar: dict | None,
    phase_detection: dict | None,
    tsb: float | None,
) -> dict:
    """`readiness_decision`, keys in the order of schemas/latest.schema.json.

    `metrics`: the load metrics it reads (`ReadinessMetrics`). `alerts` is the full list (race
    alerts included); `latest_wellness` the last display-window record
    (sleepSecs, sleepQuality, hrvSDNN); `tsb` the current CTL − ATL.
    """
    wellness = latest_wellness or {}
    phase_block = phase_detection or {}
    race_week_active = bool(((race_calendar or {}).get("race_week") or {}).get("active"))
    phase = phase_block.get("phase")
    modifier = phase_modifier(race_week_active, phase)
    amber_threshold, tsb_amber, _tighten_red = PHASE_MODIFIERS[modifier]

    # subscripts, not .get: mypy checks each key against ReadinessMetrics (a renamed key fails)
    ri, ri_yesterday = metrics["recovery_index"], metrics["recovery_index_yesterday"]
    sod = metrics["acwr_start_of_day"]
    acwr, as_of = sod["value"], sod["as_of_date"]
    hrv, pct = hrv_signal(
        metrics["latest_hrv"], metrics["hrv_baseline_7d"], wellness.get("hrvSDNN")
    )
    signals = {
        "hrv": hrv,
        "rhr": rhr_signal(metrics["latest_rhr"], metrics["rhr_baseline_7d"]),
        "sleep": sleep_signal(wellness.get("sleepSecs"), wellness.get("sleepQuality")),
        "acwr": acwr_signal(acwr, as_of),
        "ri": ri_signal(ri, ri_yesterday),
        "tsb": tsb_signal(tsb, tsb_amber),
    }
    reds, ambers = _names(signals, "red"), _names(signals, "amber")
    summary = {status: len(_names(signals, status)) for status in STATUSES}

    recommendation, priority, modification, defers, refs = "go", 3, None, False, []
    tier1_alarms = [
        a["metric"] for a in alerts if a.get("tier") == 1 and a.get("severity") == "alarm"
    ]
    p1_fragments, p1_refs = _p1_skip_reasons(signals, alerts, acwr, as_of, ri, tsb, pct)
    if (ri is not None and ri < 0.6) or tier1_alarms:
        parts = []
        if ri is not None and ri < 0.6:
            parts.append(f"RI {ri} < 0.6")
        if tier1_alarms:
            parts.append(f"tier-1 alarms: {', '.join(tier1_alarms)}")
        recommendation, priority, refs = "skip", 0, tier1_alarms
        reason = f"P0 safety stop. {'; '.join(parts)}."
    elif p1_fragments:
        recommendation, priority, refs = "skip", 1, p1_refs
        reason = f"P1 acute overload. {'; '.join(p1_fragments)}."
    elif tsb is not None and tsb < -25 and pct is not None and pct < -10:
        recommendation, priority, defers = "modify", 1, race_week_active
        modification = build_modification(reds + ambers)
        reason = (
            f"P1 acute overload (modify). TSB {tsb} < -25 with HRV "
            f"{hrv['delta_pct']}% below baseline."
        )
    elif len(reds) >= 2 or len(reds) == 1:
        red_text = f"P2 signal count. {len(reds)} red ({', '.join(reds)}), "
        reason = red_text + f"{len(ambers)} amber ({', '.join(ambers)})."
        if len(reds) >= 2:
            recommendation, priority = "skip", 2
        else:
            recommendation, priority, defers = "modify", 2, race_week_active
            modification = build_modification(reds + ambers)
    elif len(ambers) >= amber_threshold:
        recommendation, priority, defers = "modify", 2, race_week_active
        modification = build_modification(ambers)
        reason = (
            f"P2 signal count. {len(ambers)} amber ({', '.join(ambers)}) >= threshold "
            f"{amber_threshold}."
        )
    elif summary["unavailable"] > MAX_UNAVAILABLE_FOR_GO:
        recommendation = "insufficient_data"
        missing = _names(signals, "unavailable")
        reason = (
            f"Insufficient data. {len(missing)} of {len(SIGNAL_ORDER)} signals unavailable "
            f"({', '.join(missing)}): no go / modify / skip call is possible; sync recent wellness "
            f"and activities, or decide by how the athlete feels."
        )
    else:
        reason = (
            f"P3 green light. {summary['green']} green, {summary['amber']} amber "
            f"(threshold {amber_threshold}), {summary['red']} red."
        )
        if summary["low"]:
            reason += " ACWR below 0.8 (undertraining): not counted as green."
        if summary["unavailable"]:
            reason += f" Unavailable: {', '.join(_names(signals, 'unavailable'))}."

    return {
        "recommendation": recommendation,
        "priority": priority,
        "signals": signals,
        "signal_summary": summary,
        "phase_context": {
            "phase": phase,
            "phase_week": phase_block.get("phase_duration_weeks"),
            "amber_threshold": amber_threshold,
            "modifier_applied": modifier,
        },
        "race_week_defers": defers,
        "modification": modification,
        "reason": reason,
        "alarm_refs": list(refs),
        "missing_signals": _names(signals, "unavailable"),
    }
