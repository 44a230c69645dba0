"""build_load_metrics and assemble_derived_metrics: windows, stubs, missing data, reasons, order."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from s11sync.config import Settings
from s11sync.outputs.derived import (
    DERIVED_METRICS_ORDER,
    REASON_CODES,
    assemble_derived_metrics,
    build_load_metrics,
)
from s11sync.snapshot import Snapshot

TODAY = date(2026, 3, 18)
NOW = datetime(2026, 3, 18, 9, 30, 15, 123456, tzinfo=timezone.utc)


def snap(activities=(), wellness=(), events=(), athlete=None, days=7, failed=None):
    return Snapshot(
        today=TODAY,
        now=NOW,
        days=days,
        athlete=athlete or {},
        activities=list(activities),
        wellness=list(wellness),
        events=list(events),
        failed=failed or {},
    )


def act(days_ago, sport="Ride", load=50, **extra):
    day = TODAY - timedelta(days=days_ago)
    return {
        "id": f"i{days_ago}{sport}",
        "type": sport,
        "icu_training_load": load,
        "start_date_local": f"{day}T07:00:00",
        **extra,
    }


def stub(days_ago):
    day = TODAY - timedelta(days=days_ago)
    return {
        "id": "123",
        "source": "STRAVA",
        "start_date_local": f"{day}T07:00:00",
        "icu_training_load": 500,
    }


def test_empty_athlete_gets_nulls_with_reasons_and_no_crash():
    load = build_load_metrics(snap(), Settings(), {})
    assert (
        load.fields["tss_7d_total"] == 0.0
        and load.fields["acwr"] is None
        and load.fields["monotony"] is None
    )
    assert load.fields["hard_days_this_week"] == 0 and load.fields["seiler_tid_7d_primary"] is None
    assert (
        load.fields["consistency_index"] is None
        and load.fields["power_model_source"] == "unavailable"
    )
    why = load.unavailable
    assert why["acwr"] == "no_activities_in_window"
    assert why["recovery_index"] == "no_wellness_data"
    assert why["grey_zone_percentage"] == "no_activities_in_window"
    assert why["primary_sport"] == "no_activities_in_window"
    assert why["consistency_index"] == "not_applicable"
    assert why["benchmark_indoor.benchmark_index"] == "not_applicable"
    assert set(why.values()) <= set(REASON_CODES)
    derived = assemble_derived_metrics(load, None, None, {})
    json.dumps(derived)  # serialisable, no NaN tricks
    assert derived["unavailable"] == why


def test_strava_stubs_are_left_out_of_every_metric_and_counted():
    load = build_load_metrics(snap([act(0, load=40), stub(0), stub(3)]), Settings(), {})
    assert load.fields["tss_7d_total"] == 40.0
    assert load.fields["data_quality"]["activities_7d"] == 1
    assert load.internal.strava_stubs_excluded == 2


def test_activities_older_than_28_days_in_a_long_display_window_are_ignored():
    # --days 42: the snapshot holds 42 days; only the last 28 count for tss_28d_total
    acts = [act(0, load=10), act(27, load=20), act(28, load=1000), act(41, load=1000)]
    load = build_load_metrics(snap(acts, days=42), Settings(days=42), {})
    assert (
        load.fields["tss_28d_total"] == 30.0 and load.fields["data_quality"]["activities_28d"] == 2
    )


def test_future_dated_activity_is_outside_every_window():
    load = build_load_metrics(snap([act(-1, load=99)]), Settings(), {})
    assert load.fields["tss_7d_total"] == 0.0


def test_multi_sport_week_uses_the_primary_sport_for_effective_monotony():
    # cycling on days −6, −4, −2 (100 each); runs on the other days (30 each) fill the gaps
    acts = [act(k, "Ride", 100) for k in (6, 4, 2)] + [act(k, "Run", 30) for k in (5, 3, 1, 0)]
    load = build_load_metrics(snap(acts), Settings(), {})
    # total x = [100,30,100,30,100,30,30]: m 60, s 37.42 → 1.60
    # cycling [100,0,100,0,100,0,0]: m 42.86, s 53.45 → 0.80
    assert load.fields["monotony"] == 1.6 and load.fields["primary_sport_monotony"] == 0.8
    assert load.fields["effective_monotony"] == 0.8 and load.fields["multi_sport_detected"] is True
    assert (
        load.fields["monotony_interpretation"]
        == "normal (primary sport 0.8, total 1.6 inflated by multi-sport)"
    )
    # strain uses the total monotony: 420 × 1.6 = 672
    assert load.fields["strain"] == 672.0


def test_hard_days_null_reason_when_the_week_has_no_zone_data():
    load = build_load_metrics(snap([act(0, "WeightTraining", 30)]), Settings(), {})
    assert load.fields["hard_days_this_week"] is None
    assert load.unavailable["hard_days_this_week"] == "no_zone_data"
    assert load.unavailable["grey_zone_percentage"] == "no_zone_data"


def test_two_active_days_of_the_primary_sport_is_insufficient_history():
    load = build_load_metrics(snap([act(0, load=50), act(2, load=60)]), Settings(), {})
    assert load.fields["primary_sport_monotony"] is None
    assert load.unavailable["primary_sport_monotony"] == "insufficient_history"
    assert load.fields["effective_monotony"] == load.fields["monotony"]


def test_identical_daily_loads_make_monotony_not_applicable():
    load = build_load_metrics(snap([act(k, load=50) for k in range(7)]), Settings(), {})
    assert load.fields["monotony"] is None and load.fields["strain"] is None
    assert load.unavailable["monotony"] == "not_applicable"
    assert load.unavailable["strain"] == "not_applicable"


def test_power_model_reads_todays_wellness_record_only():
    wellness = [
        {"id": "2026-03-17", "sportInfo": [{"type": "Ride", "eftp": 240}]},
        {"id": "2026-03-18", "sportInfo": [{"type": "Ride", "eftp": 250}], "vo2max": 52},
    ]
    load = build_load_metrics(snap(wellness=wellness), Settings(), {})
    assert load.fields["eftp"] == 250 and load.fields["vo2max"] == 52
    # today's record missing (its fetch failed): yesterday's model is not used
    failed = build_load_metrics(
        snap(wellness=wellness[:1], failed={"wellness_today": "timeout"}), Settings(), {}
    )
    assert failed.fields["power_model_source"] == "unavailable" and failed.fields["eftp"] is None
    # the reason is the failed call, not an absence of wellness data
    assert failed.unavailable["eftp"] == failed.unavailable["vo2max"] == "fetch_failed"
    # the record is simply not there yet (no failed call): no wellness data for today
    absent = build_load_metrics(snap(wellness=wellness[:1]), Settings(), {})
    assert absent.unavailable["eftp"] == "no_wellness_data"
    # today's record is there but carries no VO2max
    no_vo2 = build_load_metrics(
        snap(wellness=[wellness[0], {**wellness[1], "vo2max": None}]), Settings(), {}
    )
    assert no_vo2.unavailable["vo2max"] == "field_missing"


def test_calculation_timestamp_has_whole_seconds_and_the_offset():
    load = build_load_metrics(snap(), Settings(), {})
    assert load.fields["calculation_timestamp"] == "2026-03-18T09:30:15+00:00"


def test_benchmark_uses_the_passed_ftp_history():
    history = {"indoor": {}, "outdoor": {"2025-10-01": 270, "2026-03-18": 275}}
    athlete = {"sportSettings": [{"types": ["Ride"], "ftp": 275}]}
    load = build_load_metrics(snap(athlete=athlete), Settings(), history)
    assert load.fields["benchmark_outdoor"]["benchmark_percentage"] == "+1.9%"
    assert load.fields["data_quality"]["ftp_history_days"] == {"indoor": 0, "outdoor": 168}


def test_assembly_order_with_capability_and_phase():
    load = build_load_metrics(snap([act(0)]), Settings(), {})
    capability = {
        "durability": {},
        "tid_comparison": load.fields["tid_comparison"],
        "power_curve_delta": {},
    }
    phase = {
        "phase_detection": {"phase": "Base"},
        "phase_detected": "Base",
        "phase_triggers": [],
        "seasonal_context": "Late Base / Build",
    }
    derived = assemble_derived_metrics(
        load, capability, phase, {"capability.durability.x": "no_zone_data"}
    )
    assert list(derived) == list(DERIVED_METRICS_ORDER)
    assert derived["capability"] is capability
    assert derived["unavailable"]["capability.durability.x"] == "no_zone_data"


def test_assembly_omits_absent_phase_keys_but_keeps_seasonal_context():
    load = build_load_metrics(snap(), Settings(), {})
    derived = assemble_derived_metrics(load, None, {"phase_detected": None}, {})
    assert "phase_detection" not in derived and "phase_triggers" not in derived
    assert derived["phase_detected"] is None
    assert derived["seasonal_context"] == "Late Base / Build"


def test_a_metric_with_a_value_never_appears_in_unavailable():
    load = build_load_metrics(snap([act(0, load=60), act(1, load=30)]), Settings(), {})
    derived = assemble_derived_metrics(
        load, None, None, {"acwr": "insufficient_history", "phase_detected": "insufficient_history"}
    )
    assert derived["acwr"] == 4.0 and "acwr" not in derived["unavailable"]
    assert (
        derived["unavailable"]["phase_detected"] == "insufficient_history"
    )  # null/absent in this run


# -- schema ------------------------------------------------------------------------------------


def _validator(file_name: str, pointer: str = ""):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from s11sync.validate import ALL_SCHEMAS, load_schema

    resources = [(s["$id"], Resource.from_contents(s)) for s in map(load_schema, ALL_SCHEMAS)]
    root = load_schema(file_name)
    return Draft202012Validator(
        {"$ref": root["$id"] + pointer},
        registry=Registry().with_resources(resources).crawl(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _errors(validator, doc):
    return [
        f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.loads(json.dumps(doc)))
    ]


def test_assembled_metrics_validate_against_the_latest_schema():
    validator = _validator("latest.json", "#/properties/derived_metrics")
    athlete = {"sportSettings": [{"types": ["Ride"], "ftp": 270, "indoor_ftp": 262}]}
    wellness = [
        {
            "id": "2026-03-18",
            "hrv": 55,
            "restingHR": 50,
            "vo2max": 55,
            "sportInfo": [{"type": "Ride", "eftp": 250.3, "wPrime": 20000, "pMax": 900}],
        }
    ]
    acts = [act(k, "Ride", 60, icu_zone_times=[{"id": "Z2", "secs": 3600}]) for k in range(0, 9, 2)]
    history = {"indoor": {"2025-12-01": 250}, "outdoor": {"2026-01-20": 265}}
    from s11sync.outputs.capability import build_capability
    from s11sync.outputs.decisions import DecisionInputs, build_decision_layer
    from s11sync.outputs.run_context import RunContext

    for snapshot in (snap(), snap(acts, wellness, athlete=athlete)):
        load = build_load_metrics(snapshot, Settings(), history)
        # capability is always a full object in latest.json, nulls inside it
        capability, unavailable = build_capability(snapshot, load.fields["tid_comparison"])
        # the phase keys come from the decision layer, run here on the same snapshot
        fitness = {"ctl": None, "atl": None, "tsb": None, "ramp_rate": None, "fitness_source": None}
        inputs = DecisionInputs(load, capability, fitness, [], None)
        layer = build_decision_layer(snapshot, RunContext.of(snapshot, Settings()), inputs)
        derived = assemble_derived_metrics(
            load, capability, layer["phase"], {**unavailable, **layer["unavailable"]}
        )
        assert _errors(validator, derived) == []


def test_updated_ftp_history_validates_against_its_schema():
    from s11sync.metrics.ftp_history import update_ftp_history

    athlete = {"sportSettings": [{"types": ["Ride"], "ftp": 270.4, "indoor_ftp": 262}]}
    doc = update_ftp_history({"2025-01-01": 250}, athlete, TODAY)
    assert _errors(_validator("ftp_history.json"), doc) == []
    assert doc["outdoor"] == {"2025-01-01": 250, "2026-03-18": 270}


def test_a_null_polarization_index_is_explained_in_unavailable():
    # every null derived metric has a reason (docs/metrics.md, "Reason codes"). Seven threshold
    # rides of 600 s Z1 + 2400 s Z3 + 600 s Z4 give Seiler fractions f1 = f3 = 4200/25200 = 16.7 %
    # and f2 = 16800/25200 = 66.7 %; the PI is defined only for f1 > f3 > f2, so it is null, and so
    # are the PIs of the 7d/28d comparison.
    acts = [
        {
            "id": f"a{i}",
            "type": "Ride",
            "start_date_local": f"2026-03-1{i}T08:00:00",
            "icu_training_load": 60,
            "moving_time": 3600,
            "icu_zone_times": [
                {"id": "Z1", "secs": 600},
                {"id": "Z3", "secs": 2400},
                {"id": "Z4", "secs": 600},
            ],
        }
        for i in range(2, 9)
    ]
    snapshot = Snapshot(
        today=date(2026, 3, 18),
        now=datetime(2026, 3, 18, 12, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=acts,
        wellness=[],
        events=[],
    )
    load = build_load_metrics(snapshot, Settings(), {})
    assert load.fields["seiler_tid_7d"]["polarization_index"] is None
    assert load.unavailable["seiler_tid_7d.polarization_index"] == "not_applicable"
    assert load.unavailable["capability.tid_comparison.pi_7d"] == "not_applicable"
    assert load.unavailable["capability.tid_comparison.pi_delta"] == "not_applicable"


# ---- the true reason for a null wellness field -------------------------------------------------


def _wellness_days(**fields):
    """Seven wellness records in the live shape (`id` is the date), oldest first."""
    return [
        {"id": (TODAY - timedelta(days=k)).isoformat(), "ctl": 50.0, "atl": 55.0, **fields}
        for k in range(6, -1, -1)
    ]


def test_sdnn_only_wellness_is_field_missing_not_no_wellness_data():
    wellness = _wellness_days(restingHR=48, hrv=None, hrvSDNN=61.0)
    why = build_load_metrics(snap(wellness=wellness), Settings(), {}).unavailable
    for key in (
        "hrv_baseline_7d",
        "hrv_baseline_28d",
        "latest_hrv",
        "recovery_index",
        "recovery_index_yesterday",
        "load_recovery_ratio",
    ):
        assert why[key] == "field_missing", key
    assert "rhr_baseline_7d" not in why and "latest_rhr" not in why


def test_wellness_reasons_tell_no_records_from_missing_and_implausible_values():
    none = build_load_metrics(snap(), Settings(), {}).unavailable
    assert none["hrv_baseline_7d"] == none["latest_rhr"] == "no_wellness_data"
    implausible = _wellness_days(restingHR=0, hrv=4.0)
    why = build_load_metrics(snap(wellness=implausible), Settings(), {}).unavailable
    assert why["hrv_baseline_7d"] == why["latest_rhr"] == "out_of_range"
    # the latest record lacks rMSSD while the earlier ones carry it: only "latest" is missing
    gap = _wellness_days(restingHR=50, hrv=70.0)
    gap[-1] = {**gap[-1], "hrv": None}
    why = build_load_metrics(snap(wellness=gap), Settings(), {}).unavailable
    assert why["latest_hrv"] == why["recovery_index"] == "field_missing"
    assert "hrv_baseline_7d" not in why and "recovery_index_yesterday" not in why
