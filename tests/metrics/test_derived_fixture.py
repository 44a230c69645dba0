"""The end-to-end load-metrics fixture: every expected value checked against the original.

Today Wed 2026-03-18, week_start mon, no zone preference, --days 7.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from s11sync.config import Settings
from s11sync.metrics.derived import (
    DERIVED_METRICS_ORDER,
    assemble_derived_metrics,
    build_load_metrics,
)
from s11sync.snapshot import Snapshot

TODAY = date(2026, 3, 18)
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=timezone(timedelta(hours=1)))


def _power(*secs):
    return [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)] + [
        {"id": "SS", "secs": 700}
    ]


def _activity(aid, when, sport, load, power=None, hr=None):
    return {
        "id": aid,
        "start_date_local": when,
        "type": sport,
        "icu_training_load": load,
        "icu_zone_times": _power(*power) if power else None,
        "icu_hr_zone_times": hr,
    }


def fixture_activities() -> list[dict]:
    """The fixture's activities, newest first as the API returns them."""
    recent = [
        _activity(
            "A1",
            "2026-03-12T07:00:00",
            "Ride",
            60,
            (1200, 2400, 0, 0, 0, 0, 0),
            [1500, 2100, 0, 0, 0],
        ),
        _activity("A2", "2026-03-14T07:00:00", "Ride", 90, (1800, 3000, 600, 480, 240, 60, 20)),
        _activity("A3", "2026-03-14T18:00:00", "Walk", 10, hr=[2400, 300]),
        _activity("A4", "2026-03-15T07:00:00", "Rowing", 45, hr=[900, 1500, 600, 420, 180]),
        _activity("A5", "2026-03-16T07:00:00", "Ride", 120, (2400, 3600, 900, 600, 300, 90, 30)),
        _activity("A6", "2026-03-17T07:00:00", "VirtualRide", 30, (1800, 600, 120, 0, 0, 0, 0)),
        _activity("A6b", "2026-03-17T18:00:00", "Walk", 10, hr=[1800]),
        _activity("A7", "2026-03-18T07:00:00", "Rowing", 40, hr=[600, 900, 300, 480, 240]),
    ]
    earlier_days = [
        ("02-20", 100),
        ("02-22", 150),
        ("02-24", 100),
        ("02-26", 150),
        ("02-28", 100),
        ("03-01", 150),
        ("03-03", 100),
        ("03-05", 150),
        ("03-07", 100),
        ("03-09", 100),
    ]
    earlier = [
        _activity(f"E{i}", f"2026-{day}T08:00:00", "Ride", load, (2000, 3000, 200, 400, 100, 0, 0))
        for i, (day, load) in enumerate(earlier_days)
    ]
    return sorted(recent + earlier, key=lambda a: a["start_date_local"], reverse=True)


def fixture_wellness() -> list[dict]:
    records = []
    for k in range(21):  # 2026-02-19 … 03-11
        day = date(2026, 2, 19) + timedelta(days=k)
        hrv, rhr = (300, None) if day == date(2026, 2, 24) else (60, 50)
        records.append({"id": day.isoformat(), "hrv": hrv, "restingHR": rhr})
    for k, (hrv, rhr) in enumerate(
        zip([58, 61, 55, 60, 62, 57, 52], [50, 49, 52, 50, 48, 51, 54], strict=True)
    ):
        records.append(
            {
                "id": (date(2026, 3, 12) + timedelta(days=k)).isoformat(),
                "hrv": hrv,
                "restingHR": rhr,
            }
        )
    return list(reversed(records))  # response order must not matter (sorted by id)


def fixture_events() -> list[dict]:
    days = [
        ("03-12", "WORKOUT"),
        ("03-13", "WORKOUT"),
        ("03-14", "WORKOUT"),
        ("03-14", "WORKOUT"),
        ("03-16", "WORKOUT"),
        ("03-18", "WORKOUT"),
        ("03-15", "NOTE"),
        ("03-17", "RACE_C"),
    ]
    return [
        {"id": i, "category": cat, "start_date_local": f"2026-{d}T00:00:00"}
        for i, (d, cat) in enumerate(days)
    ]


def fixture_snapshot() -> Snapshot:
    return Snapshot(
        today=TODAY,
        now=NOW,
        days=7,
        athlete={"id": "i1"},
        activities=fixture_activities(),
        wellness=fixture_wellness(),
        events=fixture_events(),
    )


# The fixture's 39 expected values (constant notes, benchmarks, power model and timestamp aside).
EXPECTED = {
    "recovery_index": 0.84,
    "recovery_index_yesterday": 0.98,
    "hrv_baseline_7d": 57.9,
    "rhr_baseline_7d": 50.6,
    "hrv_baseline_28d": 59.4,
    "rhr_baseline_28d": 50.1,
    "latest_hrv": 52,
    "latest_rhr": 54,
    "acwr": 1.01,
    "acwr_interpretation": "optimal",
    "acwr_scope": "live_retrospective",
    "acwr_readiness_eligible": False,
    "acwr_start_of_day": {
        "value": 0.93,
        "interpretation": "optimal",
        "scope": "start_of_day",
        "as_of_date": "2026-03-18",
        "current_day_load_included": False,
        "acute_days": 7,
        "chronic_days": 28,
    },
    "monotony": 1.43,
    "monotony_interpretation": "normal (primary sport 0.88, total 1.43 inflated by multi-sport)",
    "primary_sport": "cycling",
    "primary_sport_monotony": 0.88,
    "primary_sport_tss_7d": 300.0,
    "effective_monotony": 0.88,
    "multi_sport_detected": True,
    "strain": 579.0,
    "stress_tolerance": 4.0,
    "load_recovery_ratio": 4.8,
    "tss_7d_total": 405.0,
    "tss_28d_total": 1605.0,
    "zone_distribution_7d": {
        "z1_hours": 3.58,
        "z2_hours": 3.42,
        "z3_hours": 0.7,
        "z4_plus_hours": 0.87,
        "total_hours": 8.57,
        "zone_basis": "mixed",
    },
    "grey_zone_percentage": 8.2,
    "quality_intensity_percentage": 10.2,
    "easy_time_ratio": 0.82,
    "hard_days_this_week": 2,
    "seiler_tid_7d": {
        "z1_seconds": 25200,
        "z2_seconds": 2520,
        "z3_seconds": 3140,
        "z1_pct": 81.7,
        "z2_pct": 8.2,
        "z3_pct": 10.2,
        "polarization_index": 2.01,
        "classification": "Polarized",
        "zone_basis": "mixed",
    },
    "seiler_tid_7d_primary": {
        "z1_seconds": 16800,
        "z2_seconds": 1620,
        "z3_seconds": 1820,
        "z1_pct": 83.0,
        "z2_pct": 8.0,
        "z3_pct": 9.0,
        "polarization_index": 1.97,
        "classification": "Pyramidal",
        "zone_basis": "power",
        "sport": "cycling",
    },
    "seiler_tid_28d": {
        "z1_seconds": 75200,
        "z2_seconds": 4520,
        "z3_seconds": 8140,
        "z1_pct": 85.6,
        "z2_pct": 5.1,
        "z3_pct": 9.3,
        "polarization_index": 2.19,
        "classification": "Polarized",
        "zone_basis": "mixed",
    },
    "seiler_tid_28d_primary": {
        "z1_seconds": 66800,
        "z2_seconds": 3620,
        "z3_seconds": 6820,
        "z1_pct": 86.5,
        "z2_pct": 4.7,
        "z3_pct": 8.8,
        "polarization_index": 2.21,
        "classification": "Polarized",
        "zone_basis": "power",
        "sport": "cycling",
    },
    "consistency_index": 0.8,
    "consistency_details": {
        "planned_days": 5,
        "completed_days": 6,
        "matched_days": 4,
        "planned_dates": ["2026-03-12", "2026-03-13", "2026-03-14", "2026-03-16", "2026-03-18"],
        "completed_dates": [
            "2026-03-12",
            "2026-03-14",
            "2026-03-15",
            "2026-03-16",
            "2026-03-17",
            "2026-03-18",
        ],
    },
    "seasonal_context": "Late Base / Build",
}
EXPECTED_TID_COMPARISON = {
    "classification_7d": "Polarized",
    "classification_28d": "Polarized",
    "pi_7d": 2.01,
    "pi_28d": 2.19,
    "pi_delta": -0.18,
    "drift": "consistent",
}
EXPECTED_DATA_QUALITY = {
    "hrv_data_points": 7,
    "rhr_data_points": 7,
    "activities_7d": 8,
    "activities_28d": 18,
    "planned_workouts_7d": 7,
}


@pytest.fixture(scope="module")
def load():
    return build_load_metrics(fixture_snapshot(), Settings(), {"indoor": {}, "outdoor": {}})


@pytest.mark.parametrize("key", list(EXPECTED))
def test_fixture_value(load, key):
    assert load[key] == EXPECTED[key]
    # key order of nested blocks is part of the contract
    if isinstance(EXPECTED[key], dict):
        assert list(load[key]) == list(EXPECTED[key])


def test_fixture_totals_are_floats_with_zero_fraction(load):
    assert isinstance(load["tss_7d_total"], float) and isinstance(load["tss_28d_total"], float)
    assert isinstance(load["strain"], float) and isinstance(load["primary_sport_tss_7d"], float)


def test_fixture_tid_comparison(load):
    comparison = load["tid_comparison"]
    assert {k: comparison[k] for k in EXPECTED_TID_COMPARISON} == EXPECTED_TID_COMPARISON
    assert list(comparison) == [*EXPECTED_TID_COMPARISON, "note"]


def test_fixture_data_quality(load):
    quality = load["data_quality"]
    assert {k: quality[k] for k in EXPECTED_DATA_QUALITY} == EXPECTED_DATA_QUALITY
    assert list(quality) == [*EXPECTED_DATA_QUALITY, "ftp_history_days"]
    assert quality["ftp_history_days"] == {"indoor": 0, "outdoor": 0}


def test_fixture_with_sunday_week_start_counts_the_sunday_rowing_as_hard():
    load = build_load_metrics(fixture_snapshot(), Settings(week_start="sun"), {})
    assert load["hard_days_this_week"] == 3


def test_fixture_result_does_not_depend_on_display_window():
    snap = fixture_snapshot()
    snap.days = 3
    load = build_load_metrics(snap, Settings(days=3), {})
    assert load["acwr"] == 1.01 and load["data_quality"]["activities_7d"] == 8


def test_fixture_calculation_timestamp_is_the_run_now_in_whole_seconds(load):
    assert load["calculation_timestamp"] == "2026-03-18T12:00:00+01:00"


def test_fixture_metrics_with_values_are_never_listed_unavailable(load):
    for name in load["_unavailable"]:
        assert load.get(name) is None
    # nothing in this fixture is missing except the power model and benchmarks (no data given)
    assert set(load["_unavailable"]) == {
        "eftp",
        "w_prime",
        "w_prime_kj",
        "p_max",
        "vo2max",
        "benchmark_indoor.benchmark_index",
        "benchmark_outdoor.benchmark_index",
    }


def test_fixture_assembled_in_the_emission_order(load):
    derived = assemble_derived_metrics(load, None, None, {})
    expected_order = [
        k
        for k in DERIVED_METRICS_ORDER
        if k not in ("phase_detection", "phase_detected", "phase_triggers")
    ]
    assert list(derived) == expected_order
    assert derived["capability"] == {"tid_comparison": load["tid_comparison"]}
    assert (
        "_internal" not in derived
        and "_unavailable" not in derived
        and "tid_comparison" not in derived
    )


def test_fixture_internal_helpers(load):
    internal = load["_internal"]
    assert internal["primary_sport"] == "cycling"
    assert internal["daily_load_7d"] == [60, 0, 100, 45, 120, 40, 40]
    assert list(internal["families_7d"]) == ["rowing", "walk", "cycling"]
    assert [w["id"] for w in internal["wellness_7d"]][0] == "2026-03-12"
    assert internal["latest_hrv_valid"] is True and internal["latest_hrv_raw"] == 52
    # 1605/4 = 401.25; deficit (401.25 − 405)/401.25 < 0 → no deload
    assert internal["deload_context"] is None
    assert internal["week_start_date"] == "2026-03-16"
