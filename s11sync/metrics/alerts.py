"""The `alerts` list of latest.json: physiological/load alerts, then race alerts
(docs/metrics.md, "Alerts"; tests/metrics/test_alerts.py).

`build_alerts` evaluates every rule in rule order, stably sorts the physiological alerts by
(tier, severity) and then appends the race alerts unsorted, as the original does, so race alerts
always come last. Key order of every alert: metric, value, severity, threshold, context,
persistence_days, tier (+ scope, readiness_eligible on the ACWR alert only).

Deliberate differences from the original: the HRV % change and RHR delta are compared unrounded
and emitted rounded (as readiness does), and the HRV-low persistence counter uses the alert's own
boundary, ≤ 0.8 × baseline (computed in `wellness_baselines`), so a firing HRV alert always has
persistence ≥ 1.
"""

from __future__ import annotations

from typing import Any

SEVERITY_RANK = {"alarm": 0, "warning": 1, "info": 2}

ACWR_WARNING = 1.3
ACWR_ALARM = 1.35
MONOTONY_WARNING = 2.3
MONOTONY_ALARM = 2.5
STRAIN_ALARM = 3500
RI_ALARM = 0.6
RI_WARNING = 0.7
HRV_DROP_PCT = -20.0
RHR_RISE_BPM = 5.0
PERSISTENT_DAYS = 2  # more than this many days → alarm


def _alert(
    metric: str,
    value: Any,
    severity: str,
    threshold: Any,
    context: str,
    persistence_days: int | None,
    tier: int,
) -> dict:
    return {
        "metric": metric,
        "value": value,
        "severity": severity,
        "threshold": threshold,
        "context": context,
        "persistence_days": persistence_days,
        "tier": tier,
    }


def acwr_alert(acwr: float | None) -> dict | None:
    """Tier 2, live ACWR: ≥ 1.35 alarm, ≥ 1.3 warning; retrospective context only."""
    if acwr is None or acwr < ACWR_WARNING:
        return None
    common = (
        f"Live ACWR {acwr} crossed the reporting threshold. This is retrospective load "
        "context only: not an injury-risk conclusion and not a readiness decision. It "
        "includes today's completed load, so it must not decide a later session today, nor "
        "tomorrow's session before tomorrow morning's start-of-day value is available."
    )
    if acwr >= ACWR_ALARM:
        severity, threshold = "alarm", "1.35"
        context = common + (
            " Readiness used the start-of-day value instead (readiness_decision.signals.acwr)."
        )
    else:
        severity, threshold = "warning", "1.3"
        context = common + " The next band is 1.35."
    alert = _alert("acwr", acwr, severity, threshold, context, None, 2)
    alert["scope"] = "live_retrospective"
    alert["readiness_eligible"] = False
    return alert


def monotony_alert(metrics: dict, deload_context: str | None) -> dict | None:
    """Tier 2, effective monotony: ≥ 2.5 alarm, ≥ 2.3 warning; info when deloading."""
    eff = metrics.get("effective_monotony")
    if eff is None or eff < MONOTONY_WARNING:
        return None
    threshold = MONOTONY_ALARM if eff >= MONOTONY_ALARM else MONOTONY_WARNING
    if deload_context:
        severity = "info"
        context = (
            f"Monotony {eff} is elevated, but the week is a deload: {deload_context}. "
            "This is a structural "
            "artifact of the lighter week inside the 28-day window and normalises as the "
            "window rolls on: not actionable."
        )
    elif threshold == MONOTONY_ALARM:
        severity = "alarm"
        context = f"Monotony {eff} >= 2.5: overuse risk is elevated. Vary the daily load."
    else:
        severity = "warning"
        context = f"Monotony {eff} is approaching the overuse threshold; alarm at 2.5."
    total = metrics.get("monotony")
    primary = metrics.get("primary_sport_monotony")
    if (
        metrics.get("multi_sport_detected")
        and primary is not None
        and total is not None
        and primary < total
    ):
        context += (
            f" Total monotony {total} was inflated by multi-sport training, so the "
            f"primary sport's value ({metrics.get('primary_sport')} {primary}) was used."
        )
    return _alert("monotony", eff, severity, threshold, context, None, 2)


def strain_alert(strain: float | None) -> dict | None:
    """Tier 2: strain > 3500 (strict) → alarm; no warning band."""
    if strain is None or not strain > STRAIN_ALARM:
        return None
    return _alert(
        "strain",
        strain,
        "alarm",
        STRAIN_ALARM,
        f"Strain {strain} > 3500: high cumulative training stress. Consider reducing load.",
        None,
        2,
    )


def recovery_index_alert(ri: float | None, ri_yesterday: float | None) -> dict | None:
    """Tier 1: RI < 0.6 alarm; 0.6–0.7 on both today and yesterday → warning, persistence 2."""
    if ri is None:
        return None
    if ri < RI_ALARM:
        return _alert(
            "recovery_index",
            ri,
            "alarm",
            RI_ALARM,
            f"Recovery Index {ri} < 0.6: an immediate deload is needed.",
            None,
            1,
        )
    if ri < RI_WARNING and ri_yesterday is not None and ri_yesterday < RI_WARNING:
        return _alert(
            "recovery_index",
            ri,
            "warning",
            RI_WARNING,
            f"Recovery Index {ri} has been below 0.7 for 2+ days (yesterday "
            f"{ri_yesterday}). Review a deload if it lasts 3+ days.",
            2,
            1,
        )
    return None


def hrv_alert(latest: float | None, baseline: float | None, low_days: int) -> dict | None:
    """Tier 1: rMSSD ≥ 20 % below the 7-day baseline; alarm when it persists > 2 days."""
    if not latest or not baseline or baseline <= 0:
        return None
    pct = (latest - baseline) / baseline * 100
    if pct > HRV_DROP_PCT:
        return None
    severity = "alarm" if low_days > PERSISTENT_DAYS else "warning"
    context = (
        f"HRV {round(latest, 1)} ms is {abs(pct):.1f}% below the 7-day baseline, "
        f"persisting {low_days} day(s)."
    )
    if severity == "warning":
        context += " Monitor; alarm if it persists for more than 2 days."
    return _alert(
        "hrv",
        round(latest, 1),
        severity,
        f"↓>20% vs baseline ({round(baseline, 1)})",
        context,
        low_days,
        1,
    )


def rhr_alert(latest: float | None, baseline: float | None, high_days: int) -> dict | None:
    """Tier 1: resting HR ≥ 5 bpm above the 7-day baseline; alarm after > 2 days."""
    if not latest or not baseline or baseline <= 0:
        return None
    delta = latest - baseline
    if delta < RHR_RISE_BPM:
        return None
    severity = "alarm" if high_days > PERSISTENT_DAYS else "warning"
    context = (
        f"Resting HR {round(latest, 1)} bpm is {delta:.1f} bpm above the 7-day baseline, "
        f"persisting {high_days} day(s)."
    )
    if severity == "warning":
        context += " Monitor; alarm if it persists for more than 2 days."
    return _alert(
        "rhr",
        round(latest, 1),
        severity,
        f"↑≥5bpm vs baseline ({round(baseline, 1)})",
        context,
        high_days,
        1,
    )


def durability_alerts(durability: dict | None) -> list[dict]:
    """Tier 3: a high 28-day mean decoupling (alarm), else a declining 7d vs 28d mean (warning);
    independently, 3+ high-drift sessions in 7 days (warning)."""
    d = durability or {}
    mean7, mean28 = d.get("mean_decoupling_7d"), d.get("mean_decoupling_28d")
    n7 = d.get("qualifying_sessions_7d") or 0
    n28 = d.get("qualifying_sessions_28d") or 0
    out = []
    if mean28 is not None and mean28 > 5.0 and n28 >= 5:
        out.append(
            _alert(
                "durability",
                mean28,
                "alarm",
                "28d mean > 5% (N28>=5)",
                f"Mean aerobic decoupling over 28 days is {mean28}% across {n28} "
                "qualifying sessions: durability is limited.",
                None,
                3,
            )
        )
    elif (
        d.get("trend") == "declining"
        and mean7 is not None
        and mean28 is not None
        and mean7 - mean28 > 2.0
        and n7 >= 3
        and n28 >= 5
    ):
        out.append(
            _alert(
                "durability",
                mean7,
                "warning",
                "7d > 28d by > 2% (N7>=3, N28>=5)",
                f"Durability is declining: 7-day mean decoupling {mean7}% vs 28-day {mean28}%.",
                None,
                3,
            )
        )
    high_drift = d.get("high_drift_count_7d") or 0
    if high_drift >= 3:
        out.append(
            _alert(
                "durability",
                high_drift,
                "warning",
                ">= 3 sessions with >5% decoupling in 7d",
                f"{high_drift} sessions in the last 7 days drifted by more than 5%.",
                None,
                3,
            )
        )
    return out


def tid_alert(tid: dict | None) -> dict | None:
    """Tier 3: acute depolarization, else a 7d/28d classification shift."""
    t = tid or {}
    drift = t.get("drift")
    if drift == "acute_depolarization":
        return _alert(
            "tid_distribution",
            t.get("pi_7d"),
            "warning",
            "7d PI < 2.0, 28d PI >= 2.0",
            f"Acute depolarization: 7-day Polarization Index {t.get('pi_7d')} against "
            f"{t.get('pi_28d')} over 28 days; more time is going to the middle zone.",
            None,
            3,
        )
    if drift == "shifting":
        return _alert(
            "tid_distribution",
            t.get("classification_7d"),
            "warning",
            "7d/28d classification mismatch",
            f"Intensity distribution is shifting: 7-day {t.get('classification_7d')} "
            f"vs 28-day {t.get('classification_28d')}.",
            None,
            3,
        )
    return None


def race_alerts(race_calendar: dict | None) -> list[dict]:
    """Race alerts (tier 1, never alarm): taper, race week and race-week TSB, in this order."""
    cal = race_calendar or {}
    taper = cal.get("taper_alert") or {}
    week = cal.get("race_week") or {}
    out = []
    if taper.get("active"):
        out.append(
            _alert(
                "race_taper",
                taper["days_until"],
                "info",
                "RACE_A within 8-14 days",
                taper["message"],
                None,
                1,
            )
        )
    if week.get("active"):
        today = week["today"]
        load = today.get("load_target_tss")
        load_text = f"{load['min']}-{load['max']} TSS" if load else "normal training"
        out.append(
            _alert(
                "race_week",
                week["days_until_event"],
                "info",
                f"{week['event_category']} within 7 days",
                f"Race week {week['current_day']} of '{week['event_name']}': "
                f"today {today['label']}, "
                f"load {load_text}, zones {today['zones']}.",
                None,
                1,
            )
        )
        target = week["tsb_target_range"]
        projected = week["projected_race_day_tsb"]
        if projected < target["min"]:
            out.append(
                _alert(
                    "race_week_tsb",
                    projected,
                    "warning",
                    f"TSB target {target['min']}-{target['max']}",
                    f"Projected race-day TSB {projected} is below the target range "
                    f"{target['min']}-{target['max']}; consider extra rest.",
                    None,
                    1,
                )
            )
    return out


def build_alerts(
    metrics: dict,
    capability: dict | None,
    race_calendar: dict | None,
    *,
    deload_context: str | None,
    hrv_low_days: int,
    rhr_high_days: int,
) -> list[dict]:
    """`alerts[]`: sorted physiological alerts, then the race alerts.

    `metrics`: the load metrics (acwr, effective_monotony, monotony, primary_sport,
    primary_sport_monotony, multi_sport_detected, strain, recovery_index,
    recovery_index_yesterday, latest_hrv, hrv_baseline_7d, latest_rhr, rhr_baseline_7d);
    `capability`: {durability, tid_comparison} or None; the three keyword helpers come from
    `wellness_baselines` (deload context string, HRV-low and RHR-high persistence counts).
    """
    cap = capability or {}
    candidates = [
        acwr_alert(metrics.get("acwr")),
        monotony_alert(metrics, deload_context),
        strain_alert(metrics.get("strain")),
        recovery_index_alert(
            metrics.get("recovery_index"), metrics.get("recovery_index_yesterday")
        ),
        hrv_alert(metrics.get("latest_hrv"), metrics.get("hrv_baseline_7d"), hrv_low_days),
        rhr_alert(metrics.get("latest_rhr"), metrics.get("rhr_baseline_7d"), rhr_high_days),
        *durability_alerts(cap.get("durability")),
        tid_alert(cap.get("tid_comparison")),
    ]
    physiological = [a for a in candidates if a is not None]
    physiological.sort(key=lambda a: (a["tier"], SEVERITY_RANK[a["severity"]]))
    return physiological + race_alerts(race_calendar)
