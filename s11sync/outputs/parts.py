"""The typed boundaries of the core: what the metric assemblers hand to the decision layer and to
the latest.json builder.

Each value has exactly one producer; a consumer reads it by a key or attribute that mypy checks, so
a key renamed on one side only fails `mypy s11sync` (tests/test_typing.py) instead of turning into a
silent null. `checked_load_fields` also checks at run time that the load part produced exactly the
keys declared here (tests/outputs/test_parts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from s11sync.metrics.readiness import AcwrStartOfDay

# Raw JSON stays a dict: an Intervals.icu record as served, or a block written to a file as built.
# The bags that carry them between modules are what is typed here.
Record = dict[str, Any]  # one Intervals.icu record (activity, wellness day, event)
RecordView = Mapping[str, Any]  # a record read, never changed (window selections)
Block = dict[str, Any]  # a JSON block passed through to an output file unchanged


class LoadFields(TypedDict):
    """The load and intensity fields of `derived_metrics`, plus `tid_comparison` (placed in the
    capability block) and `seasonal_context` (the fallback when the phase part has none)."""

    recovery_index: float | None
    recovery_index_yesterday: float | None
    hrv_baseline_7d: float | None
    rhr_baseline_7d: float | None
    hrv_baseline_28d: float | None
    rhr_baseline_28d: float | None
    latest_hrv: float | None
    latest_rhr: float | None
    acwr: float | None
    acwr_interpretation: str | None
    acwr_scope: str
    acwr_readiness_eligible: bool
    acwr_start_of_day: AcwrStartOfDay
    monotony: float | None
    monotony_interpretation: str | None
    primary_sport: str | None
    primary_sport_monotony: float | None
    primary_sport_tss_7d: float | None
    effective_monotony: float | None
    multi_sport_detected: bool
    strain: float | None
    stress_tolerance: float | None
    load_recovery_ratio: float | None
    tss_7d_total: float
    tss_28d_total: float
    zone_distribution_7d: Block
    grey_zone_percentage: float | None
    grey_zone_note: str
    quality_intensity_percentage: float | None
    quality_intensity_note: str
    easy_time_ratio: float | None
    easy_time_ratio_note: str
    hard_days_this_week: int | None
    hard_days_note: str
    seiler_tid_7d: Block
    seiler_tid_7d_primary: Block | None
    seiler_tid_28d: Block
    seiler_tid_28d_primary: Block | None
    tid_comparison: Block
    consistency_index: float | None
    consistency_details: Block
    seasonal_context: str
    benchmark_indoor: Block | None
    benchmark_outdoor: Block | None
    eftp: float | None
    w_prime: int | None
    w_prime_kj: float | None
    p_max: int | None
    power_model_source: str
    vo2max: float | None
    calculation_timestamp: str
    data_quality: Block


LOAD_FIELD_NAMES = frozenset(LoadFields.__required_keys__ | LoadFields.__optional_keys__)


def checked_load_fields(values: Mapping[str, Any]) -> LoadFields:
    """`values` as LoadFields, after checking it holds exactly the declared keys: a key renamed
    by the producer stops the run here with the names, instead of reaching a reader as a null."""
    missing = sorted(LOAD_FIELD_NAMES - set(values))
    extra = sorted(set(values) - LOAD_FIELD_NAMES)
    if missing or extra:
        raise ValueError(
            f"load metrics do not match LoadFields: missing {missing}, undeclared {extra}"
        )
    return cast(LoadFields, dict(values))


@dataclass(frozen=True)
class LoadInternal:
    """Working values of the load part that other parts reuse; never written to a file."""

    activities_7d: list[RecordView]  # non-stub activities of the last 7 days (API order)
    activities_28d: list[RecordView]  # … of the last 28 days
    events_7d: list[Record]  # events dated in the last 7 days
    wellness_7d: list[RecordView]  # wellness records of the last 7 days, ascending by date
    wellness_28d: list[RecordView]  # … of the last 28 days
    wellness_today: Record | None  # today's wellness record, None when missing
    daily_load_7d: list[float]  # daily loads, oldest first
    daily_load_28d: list[float]
    families_7d: Mapping[str, list[float]]  # {sport family: its 7 daily loads}
    primary_sport: str | None
    deload_context: str | None  # "deload pattern detected (…)" or None
    hrv_low_days: int  # consecutive newest days with HRV at or below 0.8 × the 7-day baseline
    rhr_high_days: int  # consecutive newest days with resting HR 5 bpm or more over baseline
    latest_hrv_raw: Any  # `hrv` of the newest 7-day record as served (None when absent)
    latest_hrv_valid: bool  # True when that value is a plausible rMSSD
    strava_stubs_excluded: int  # Strava stubs dropped from the activity list
    week_start_date: str  # ISO date of the first day of the current training week
    current_ftp: Mapping[str, int | None]  # {"indoor", "outdoor"}


@dataclass(frozen=True)
class LoadMetrics:
    """The load part's result: emitted fields, why each null one is null, working values."""

    fields: LoadFields
    unavailable: Mapping[str, str]  # {dotted metric name: reason code}
    internal: LoadInternal


class PhaseParts(TypedDict):
    phase_detection: Block
    phase_detected: str | None
    phase_triggers: list[str]
    seasonal_context: str


class DecisionLayer(TypedDict):
    health_context: Block
    race_calendar: Block
    phase: PhaseParts
    alerts: list[Block]
    readiness_decision: Block
    unavailable: Mapping[str, str]


class _ActivityExtrasAlways(TypedDict):
    variability_index: Any  # finite numbers as served, else None (metrics/physiology.py)
    decoupling: Any
    efficiency_factor: Any
    hrrc: Any
    has_intervals: bool
    has_dfa: bool


class ActivityExtras(_ActivityExtrasAlways, total=False):
    """Fields of one recent_activities entry computed outside outputs/activities.py; the optional
    ones are present only when they have a value."""

    dfa_summary: Block
    terrain_summary: Any
    terrain_status: Any
    terrain_error: Any
    chat_notes: list[str]


@dataclass(frozen=True)
class LatestParts:
    """The sections of latest.json computed before `build_latest`. A section left None is absent
    from the document, never filled with a placeholder."""

    alerts: list[Block] | None = None
    readiness_decision: Block | None = None
    health_context: Block | None = None
    race_calendar: Block | None = None
    derived_metrics: Block | None = None
    current_weight: Block | None = None  # current_status.weight, only when non-empty
    history_doc: Block | None = None  # history.json of this run (or the kept previous one)
    history_stale: bool = False  # the history fetch failed: the kept file is marked stale
    activity_extras: Mapping[str, ActivityExtras] | None = None  # by activity id
    route_flags: Any = None  # event ids with terrain, from routes.json's builder
    thresholds_sports: Any = None  # overrides current_status.thresholds.sports
