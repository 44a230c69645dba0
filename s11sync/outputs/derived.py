"""Assembly of the load and intensity part of `latest.json` → `derived_metrics`.

`build_load_metrics(snap, settings, ftp_history)` computes every field this part owns
(`LoadFields`), the reason code of each null one (docs/metrics.md, "Reason codes") and the working
values other parts reuse (`LoadInternal`, documented in outputs/parts.py), as one `LoadMetrics`.
`assemble_derived_metrics` merges it with the capability and phase parts in the emission order of
`DERIVED_METRICS_ORDER`.

Windows (docs/metrics.md, "Conventions"): the 7 and 28 local days ending today, whatever `--days`
is. Strava stubs are removed before anything is computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from s11sync.config import Settings
from s11sync.metrics import load as L
from s11sync.metrics.consistency import consistency, planned_workouts
from s11sync.metrics.daily_load import countable_activities, daily_load, sorted_wellness
from s11sync.metrics.ftp_history import benchmarks, current_ftps, ftp_history_days
from s11sync.metrics.intensity import (
    HARD_DAYS_NOTE,
    hard_days_this_week,
    week_start_date,
    zone_distribution,
)
from s11sync.metrics.power_model import power_model, ride_sport_info
from s11sync.metrics.seasonal import seasonal_context
from s11sync.metrics.tid import primary_tid, seiler_tid, tid_comparison
from s11sync.metrics.wellness_baselines import (
    deload_context,
    hrv_low_days,
    rhr_high_days,
    usable_rhr,
    valid_hrv,
    wellness_block,
)
from s11sync.outputs.parts import LoadInternal, LoadMetrics, PhaseParts, checked_load_fields
from s11sync.snapshot import Snapshot
from s11sync.windows import in_window, wellness_day

# The order in which derived_metrics is written (a reader sees related fields together), plus
# our `unavailable`.
DERIVED_METRICS_ORDER: tuple[str, ...] = (
    "recovery_index",
    "recovery_index_yesterday",
    "hrv_baseline_7d",
    "rhr_baseline_7d",
    "hrv_baseline_28d",
    "rhr_baseline_28d",
    "latest_hrv",
    "latest_rhr",
    "acwr",
    "acwr_interpretation",
    "acwr_scope",
    "acwr_readiness_eligible",
    "acwr_start_of_day",
    "monotony",
    "monotony_interpretation",
    "primary_sport",
    "primary_sport_monotony",
    "primary_sport_tss_7d",
    "effective_monotony",
    "multi_sport_detected",
    "strain",
    "stress_tolerance",
    "load_recovery_ratio",
    "tss_7d_total",
    "tss_28d_total",
    "zone_distribution_7d",
    "grey_zone_percentage",
    "grey_zone_note",
    "quality_intensity_percentage",
    "quality_intensity_note",
    "easy_time_ratio",
    "easy_time_ratio_note",
    "hard_days_this_week",
    "hard_days_note",
    "seiler_tid_7d",
    "seiler_tid_7d_primary",
    "seiler_tid_28d",
    "seiler_tid_28d_primary",
    "capability",
    "consistency_index",
    "consistency_details",
    "phase_detection",
    "phase_detected",
    "phase_triggers",
    "seasonal_context",
    "benchmark_indoor",
    "benchmark_outdoor",
    "eftp",
    "w_prime",
    "w_prime_kj",
    "p_max",
    "power_model_source",
    "vo2max",
    "calculation_timestamp",
    "data_quality",
    "unavailable",
)
PHASE_KEYS = ("phase_detection", "phase_detected", "phase_triggers", "seasonal_context")
REASON_CODES = (
    "insufficient_history",
    "no_wellness_data",
    "no_zone_data",
    "no_activities_in_window",
    "no_ftp_history",
    "not_applicable",
    "field_missing",
    "out_of_range",
    "fetch_failed",
)


def _timestamp(snap: Snapshot) -> str:
    return snap.now.replace(microsecond=0).isoformat()


WELLNESS_FIELDS = DERIVED_METRICS_ORDER[:8]  # the wellness baseline fields lead the order

# wellness field -> (records it reads: "7d", "28d", "latest" or "yesterday"; wellness keys it needs)
_WELLNESS_SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "recovery_index": ("latest", ("hrv", "restingHR")),
    "recovery_index_yesterday": ("yesterday", ("hrv", "restingHR")),
    "hrv_baseline_7d": ("7d", ("hrv",)),
    "rhr_baseline_7d": ("7d", ("restingHR",)),
    "hrv_baseline_28d": ("28d", ("hrv",)),
    "rhr_baseline_28d": ("28d", ("restingHR",)),
    "latest_hrv": ("latest", ("hrv",)),
    "latest_rhr": ("latest", ("restingHR",)),
}
_USABLE = {"hrv": valid_hrv, "restingHR": usable_rhr}


def wellness_reason(metric: str, wl7: list, wl28: list) -> str:
    """Why a null wellness field is null (docs/metrics.md, "Reason codes"): no_wellness_data only
    when there is no record to read; field_missing when records exist but none carries the value
    (e.g. SDNN only, no rMSSD `hrv`); out_of_range when the values are there but implausible (rMSSD
    outside 10–250 ms, resting HR 0)."""
    scope, keys = _WELLNESS_SOURCES[metric]
    if scope == "28d":
        records = wl28
    elif scope == "7d" or not wl7:
        records = wl7
    elif scope == "latest":
        records = wl7[-1:]
    else:
        day = wellness_day(wl7[-1])
        records = [r for r in wl7 if day is not None and wellness_day(r) == day - timedelta(days=1)]
        if not records:
            return "insufficient_history"  # no record the day before the latest one
    if not records:
        return "no_wellness_data"
    for key in keys:
        if any(_USABLE[key](r) is not None for r in records):
            continue
        return "field_missing" if all(r.get(key) is None for r in records) else "out_of_range"
    return "insufficient_history"


def _wellness_today_reason(
    wellness_today: Mapping[str, Any] | None, failed: Mapping[str, str]
) -> str:
    """Reason for a null field read from today's wellness record (power model, VO2max)."""
    if wellness_today is None:
        return "fetch_failed" if "wellness_today" in failed else "no_wellness_data"
    return "field_missing"


def _load_reasons(out: Mapping[str, Any], a7: list, s7: float, why: dict[str, str]) -> None:
    """Reason codes for the null load and intensity fields (docs/metrics.md, "Reason codes")."""
    no_load_7d = "no_activities_in_window" if s7 <= 0 else None
    if out["acwr"] is None:
        why["acwr"] = why["acwr_interpretation"] = "no_activities_in_window"
    if out["acwr_start_of_day"]["value"] is None:
        why["acwr_start_of_day.value"] = "no_activities_in_window"
    if out["monotony"] is None:
        why["monotony"] = no_load_7d or "not_applicable"  # identical daily loads: SD 0
    if out["primary_sport"] is None:
        for key in (
            "primary_sport",
            "primary_sport_tss_7d",
            "primary_sport_monotony",
            "seiler_tid_7d_primary",
            "seiler_tid_28d_primary",
        ):
            why[key] = "no_activities_in_window"
    elif out["primary_sport_monotony"] is None:
        families = out["_families"]
        active = sum(1 for x in families[out["primary_sport"]] if x > 0)
        why["primary_sport_monotony"] = (
            "insufficient_history" if active < L.PRIMARY_MIN_ACTIVE_DAYS else "not_applicable"
        )
    if out["effective_monotony"] is None:
        why["effective_monotony"] = why["monotony_interpretation"] = why.get(
            "monotony", "not_applicable"
        )
    if out["strain"] is None:
        why["strain"] = why.get("monotony", "not_applicable")
    if out["stress_tolerance"] is None:
        why["stress_tolerance"] = why.get("strain", "not_applicable")
    if out["load_recovery_ratio"] is None:
        why["load_recovery_ratio"] = (
            why.get("recovery_index", "no_wellness_data")
            if out["recovery_index"] is None
            else "not_applicable"
        )
    for key in ("grey_zone_percentage", "quality_intensity_percentage", "easy_time_ratio"):
        if out[key] is None:
            why[key] = "no_activities_in_window" if not a7 else "no_zone_data"
    if out["hard_days_this_week"] is None:
        why["hard_days_this_week"] = "no_zone_data"
    if out["consistency_index"] is None:
        why["consistency_index"] = "not_applicable"  # no planned workouts in the window
    # nested nulls of the TID blocks (docs/metrics.md, "Polarization Index": it exists only for
    # the f1 > f3 > f2 shape)
    for key in (
        "seiler_tid_7d",
        "seiler_tid_7d_primary",
        "seiler_tid_28d",
        "seiler_tid_28d_primary",
    ):
        block = out.get(key)
        if isinstance(block, Mapping) and block.get("polarization_index") is None:
            has_zones = block.get("z1_pct") is not None
            why[f"{key}.polarization_index"] = "not_applicable" if has_zones else "no_zone_data"
    comparison = out.get("tid_comparison")
    if isinstance(comparison, Mapping):
        for field, source in (("pi_7d", "seiler_tid_7d"), ("pi_28d", "seiler_tid_28d")):
            if comparison.get(field) is None:
                why[f"capability.tid_comparison.{field}"] = why.get(
                    f"{source}.polarization_index", "no_zone_data"
                )
        for field in ("pi_delta", "drift"):
            if field in comparison and comparison.get(field) is None:
                why[f"capability.tid_comparison.{field}"] = "not_applicable"


def build_load_metrics(
    snap: Snapshot, settings: Settings, ftp_history: Mapping[str, Any]
) -> LoadMetrics:
    """Every load and intensity field of derived_metrics, in emission order, plus
    `tid_comparison` and `seasonal_context` (`LoadFields`), the reason of each null field and the
    working values other parts reuse (`LoadInternal`)."""
    today = snap.today
    activities = countable_activities(snap.activities or [])
    a28 = in_window(activities, today, L.CHRONIC_DAYS)
    a7 = in_window(a28, today, L.ACUTE_DAYS)
    wellness = sorted_wellness(snap.wellness or [])
    wl28 = in_window(wellness, today, L.CHRONIC_DAYS, wellness=True)
    wl7 = in_window(wl28, today, L.ACUTE_DAYS, wellness=True)
    events7 = in_window(
        [e for e in snap.events or [] if isinstance(e, Mapping)], today, L.ACUTE_DAYS
    )
    # WT: the fetch appends today's record when the list lacks it; a failed fetch leaves none
    wellness_today = next((w for w in reversed(wl7) if wellness_day(w) == today), None)
    zone_pref = settings.zone_preference

    series7 = daily_load(a7, today, L.ACUTE_DAYS)
    series28 = daily_load(a28, today, L.CHRONIC_DAYS)
    s7, s28 = sum(series7), sum(series28)
    tss_7d, tss_28d = L.load_total(series7), L.load_total(series28)

    out: dict[str, Any] = wellness_block(wl7, wl28)
    acwr = L.acwr(s7, s28)
    out["acwr"] = acwr
    out["acwr_interpretation"] = L.acwr_interpretation(acwr)
    out["acwr_scope"] = "live_retrospective"
    out["acwr_readiness_eligible"] = False
    out["acwr_start_of_day"] = L.acwr_start_of_day(a28, today)

    total_monotony = L.monotony(series7)
    primary = L.primary_sport_block(a7, today)
    multi = primary["multi_sport_detected"]
    effective = L.effective_monotony(total_monotony, primary["primary_sport_monotony"], multi)
    out["monotony"] = total_monotony
    out["monotony_interpretation"] = L.monotony_interpretation(total_monotony, effective, multi)
    out["primary_sport"] = primary["primary_sport"]
    out["primary_sport_monotony"] = primary["primary_sport_monotony"]
    out["primary_sport_tss_7d"] = primary["primary_sport_tss_7d"]
    out["effective_monotony"] = effective
    out["multi_sport_detected"] = multi
    strain = L.strain(s7, total_monotony)
    out["strain"] = strain
    out["stress_tolerance"] = L.stress_tolerance(strain, total_monotony)
    out["load_recovery_ratio"] = L.load_recovery_ratio(s7, out["recovery_index"])
    out["tss_7d_total"] = tss_7d
    out["tss_28d_total"] = tss_28d

    out.update(zone_distribution(a7, zone_pref))
    out["hard_days_this_week"] = hard_days_this_week(
        a28, today, settings.week_start_index, zone_pref
    )
    out["hard_days_note"] = HARD_DAYS_NOTE
    tid7, tid28 = seiler_tid(a7, zone_pref), seiler_tid(a28, zone_pref)
    out["seiler_tid_7d"] = tid7
    out["seiler_tid_7d_primary"] = primary_tid(a7, zone_pref, primary["primary_sport"])
    out["seiler_tid_28d"] = tid28
    out["seiler_tid_28d_primary"] = primary_tid(a28, zone_pref, primary["primary_sport"])
    out["tid_comparison"] = tid_comparison(tid7, tid28)

    out["consistency_index"], out["consistency_details"] = consistency(events7, a7)
    out["seasonal_context"] = seasonal_context(today, settings.hemisphere)
    bench, bench_reasons = benchmarks(ftp_history, snap.athlete, today, settings.hemisphere)
    out.update(bench)
    out.update(power_model(wellness_today))
    out["calculation_timestamp"] = _timestamp(snap)
    out["data_quality"] = {
        "hrv_data_points": sum(1 for r in wl7 if valid_hrv(r) is not None),
        "rhr_data_points": sum(1 for r in wl7 if usable_rhr(r) is not None),
        "activities_7d": len(a7),
        "activities_28d": len(a28),
        "planned_workouts_7d": planned_workouts(events7),
        "ftp_history_days": ftp_history_days(ftp_history, today),
    }

    why: dict[str, str] = {}
    for key in WELLNESS_FIELDS:
        if out[key] is None:
            why[key] = wellness_reason(key, wl7, wl28)
    _load_reasons({**out, "_families": primary["families_7d"]}, a7, s7, why)
    why.update(bench_reasons)
    today_reason = _wellness_today_reason(wellness_today, snap.failed)
    if wellness_today is not None and ride_sport_info(wellness_today) is None:
        power_reason = "not_applicable"
    else:
        power_reason = today_reason
    for key in ("eftp", "w_prime", "w_prime_kj", "p_max"):
        if out[key] is None:
            why[key] = power_reason
    if out["vo2max"] is None:
        why["vo2max"] = today_reason
    latest = wl7[-1] if wl7 else None
    internal = LoadInternal(
        activities_7d=a7,
        activities_28d=a28,
        events_7d=events7,
        wellness_7d=wl7,
        wellness_28d=wl28,
        wellness_today=wellness_today,
        daily_load_7d=series7,
        daily_load_28d=series28,
        families_7d=primary["families_7d"],
        primary_sport=primary["primary_sport"],
        deload_context=deload_context(tss_7d, tss_28d),
        hrv_low_days=hrv_low_days(wl7, out["hrv_baseline_7d"]),
        rhr_high_days=rhr_high_days(wl7, out["rhr_baseline_7d"]),
        latest_hrv_raw=latest.get("hrv") if latest is not None else None,
        latest_hrv_valid=latest is not None and valid_hrv(latest) is not None,
        strava_stubs_excluded=len(snap.activities or []) - len(activities),
        week_start_date=week_start_date(today, settings.week_start_index).isoformat(),
        current_ftp=current_ftps(snap.athlete),
    )
    return LoadMetrics(fields=checked_load_fields(out), unavailable=why, internal=internal)


def assemble_derived_metrics(
    load: LoadMetrics,
    capability: Mapping[str, Any] | None,
    phase: PhaseParts | None,
    extra_unavailable: Mapping[str, str],
) -> dict[str, Any]:
    """`derived_metrics` in the exact emission order (`DERIVED_METRICS_ORDER`).

    `capability` (already holding `tid_comparison`) goes at its slot; without it the slot holds
    `{"tid_comparison": …}` only. Phase keys absent from `phase` are omitted, except
    `seasonal_context`, which falls back to this part's value. `unavailable` merges both reason
    maps and drops every metric that has a value (docs/metrics.md, "Reason codes").
    """
    phases: Mapping[str, Any] = phase or {}
    fields: Mapping[str, Any] = load.fields
    merged_reasons = {**load.unavailable, **extra_unavailable}
    out: dict[str, Any] = {}
    for key in DERIVED_METRICS_ORDER:
        if key == "capability":
            out[key] = (
                capability
                if capability is not None
                else {"tid_comparison": load.fields["tid_comparison"]}
            )
        elif key in PHASE_KEYS:
            if key in phases:
                out[key] = phases[key]
            elif key == "seasonal_context":
                out[key] = load.fields["seasonal_context"]
        elif key == "unavailable":
            continue
        else:
            out[key] = fields[key]
    out["unavailable"] = {
        name: reason for name, reason in merged_reasons.items() if _lookup(out, name) is None
    }
    return out


def _lookup(doc: Mapping[str, Any], dotted: str) -> Any:
    """Value at a dotted path (`benchmark_indoor.benchmark_index`); None when absent or null."""
    node: Any = doc
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node
