"""`derived_metrics.capability`: assembly of the capability blocks
(docs/metrics.md, "Capability block").

Key order: durability, efficiency_factor, hrrc, tid_comparison (built by the load part and placed
here), power_curve_delta, hr_curve_delta, sustainability_profile, dfa_a1_profile.

Unavailable map (docs/metrics.md, "Reason codes"): every capability metric that is null in this
run is named by its dotted path below `derived_metrics`, e.g.
`capability.durability.mean_decoupling_7d` or `capability.sustainability_profile.cycling.anchors`,
and mapped to a reason code. Notes and
`reliability_note` are text, not metrics; `tid_comparison` belongs to the load part.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from s11sync.metrics.curves import (
    DELTA_POWER_TYPE,
    HR_ALL_LABEL,
    SUS_FAMILY_TYPES,
    build_hr_curve_delta,
    build_power_curve_delta,
    curve_call_name,
    curve_label,
    curves_by_id,
)
from s11sync.metrics.durability import build_durability
from s11sync.metrics.efficiency import EF_TYPES, build_efficiency_factor
from s11sync.metrics.hrrc import build_hrrc
from s11sync.metrics.sustainability import build_sustainability_profile
from s11sync.metrics.thresholds import ride_power_model, thresholds_by_sport
from s11sync.snapshot import Snapshot
from s11sync.sports import is_strava_stub

INSUFFICIENT = "insufficient_history"
NO_ACTIVITIES = "no_activities_in_window"
NOT_APPLICABLE = "not_applicable"
NO_WELLNESS = "no_wellness_data"
FETCH_FAILED = "fetch_failed"

# block -> (7-day mean key, 28-day mean key); each block also has a `trend`.
_WINDOWED = {
    "durability": ("mean_decoupling_7d", "mean_decoupling_28d"),
    "efficiency_factor": ("mean_ef_7d", "mean_ef_28d"),
    "hrrc": ("mean_hrrc_7d", "mean_hrrc_28d"),
}


def activity_windows(snap: Snapshot) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(ACT7, ACT28): activities without Strava stubs dated T−6 … T and T−27 … T."""
    today = snap.today.isoformat()
    lo7 = (snap.today - timedelta(days=6)).isoformat()
    lo28 = (snap.today - timedelta(days=27)).isoformat()
    act7, act28 = [], []
    for activity in snap.activities:
        if not isinstance(activity, dict) or is_strava_stub(activity):
            continue
        start = activity.get("start_date_local")
        day = start[:10] if isinstance(start, str) else None
        if day is None or not lo28 <= day <= today:
            continue
        act28.append(activity)
        if day >= lo7:
            act7.append(activity)
    return act7, act28


def _window_reason(block: str, window: list[dict[str, Any]]) -> str:
    if not window:
        return NO_ACTIVITIES
    if block == "efficiency_factor" and not any(a.get("type") in EF_TYPES for a in window):
        return NOT_APPLICABLE
    return INSUFFICIENT


def _sus_curves_failed(family: str, failed: Mapping[str, str]) -> bool:
    """True when a power or HR curve call of one of the family's types failed this run."""
    return any(
        curve_call_name(kind, curve_label(kind, sport_type)) in failed
        for sport_type in SUS_FAMILY_TYPES.get(family, ())
        for kind in ("power", "hr")
    )


def _unavailable(
    capability: dict[str, Any],
    act7: list,
    act28: list,
    curve_fetched: dict[str, bool],
    curve_failed: dict[str, bool],
    failed: Mapping[str, str],
) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for block, (key7, key28) in _WINDOWED.items():
        values = capability[block]
        reason7, reason28 = _window_reason(block, act7), _window_reason(block, act28)
        if values[key7] is None:
            reasons[f"capability.{block}.{key7}"] = reason7
        if values[key28] is None:
            reasons[f"capability.{block}.{key28}"] = reason28
        if values["trend"] is None:
            reasons[f"capability.{block}.trend"] = reason7 if values[key7] is None else reason28
    for block in ("power_curve_delta", "hr_curve_delta"):
        delta = capability[block]
        if curve_failed[block]:
            base = FETCH_FAILED  # the call failed: says nothing about the activities
        else:
            base = INSUFFICIENT if curve_fetched[block] else NO_ACTIVITIES
        if delta["anchors"] is None:
            reasons[f"capability.{block}.anchors"] = base
        if delta["rotation_index"] is None:
            reasons[f"capability.{block}.rotation_index"] = (
                base if delta["anchors"] is None else INSUFFICIENT
            )
    profile = capability["sustainability_profile"]
    if "weight_kg" in profile and profile["weight_kg"] is None:
        reasons["capability.sustainability_profile.weight_kg"] = NO_WELLNESS
    for family, block in profile.items():
        if isinstance(block, dict) and "anchors" in block and block["anchors"] is None:
            reasons[f"capability.sustainability_profile.{family}.anchors"] = (
                FETCH_FAILED if _sus_curves_failed(family, failed) else INSUFFICIENT
            )
    if capability["dfa_a1_profile"] is None:
        reasons["capability.dfa_a1_profile"] = NO_ACTIVITIES
    return reasons


def build_capability(
    snap: Snapshot,
    tid_comparison: Mapping[str, Any],
    *,
    ftp_history: dict[str, Any] | None = None,
    dfa_a1_profile: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """(`derived_metrics.capability`, unavailable reasons by dotted metric name).

    `ftp_history` (the updated FTP change log) feeds `sustainability_profile.cycling.
    ftp_staleness_days`; without it that field is null. `dfa_a1_profile` is not computed here
    (metrics/dfa_profile.py builds it): pass it when available; null otherwise. No setting is
    read: capability windows are fixed (7 and 28 days) whatever `--days` is.
    """
    act7, act28 = activity_windows(snap)
    today: date = snap.today
    power_delta = snap.power_curves.get(curve_label("power", DELTA_POWER_TYPE))
    hr_delta = snap.hr_curves.get(HR_ALL_LABEL)
    sustainability = build_sustainability_profile(
        today,
        snap.activities,
        snap.wellness,
        snap.athlete,
        snap.power_curves,
        snap.hr_curves,
        thresholds_by_sport(snap.athlete),
        ride_power_model(snap.wellness, today)["w_prime"],
        ftp_history,
    )
    capability = {
        "durability": build_durability(act7, act28),
        "efficiency_factor": build_efficiency_factor(act7, act28),
        "hrrc": build_hrrc(act7, act28),
        "tid_comparison": tid_comparison,
        "power_curve_delta": build_power_curve_delta(power_delta, today),
        "hr_curve_delta": build_hr_curve_delta(hr_delta, today),
        "sustainability_profile": sustainability,
        "dfa_a1_profile": dfa_a1_profile,
    }
    fetched = {
        "power_curve_delta": bool(curves_by_id(power_delta)),
        "hr_curve_delta": bool(curves_by_id(hr_delta)),
    }
    failed_calls = {
        "power_curve_delta": curve_call_name("power", curve_label("power", DELTA_POWER_TYPE))
        in snap.failed,
        "hr_curve_delta": curve_call_name("hr", HR_ALL_LABEL) in snap.failed,
    }
    return capability, _unavailable(capability, act7, act28, fetched, failed_calls, snap.failed)
