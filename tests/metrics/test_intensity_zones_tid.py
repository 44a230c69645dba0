"""Zone shares, hard days, Seiler TID and TID drift (docs/metrics.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from s11sync.metrics.intensity import hard_days_this_week, week_start_date, zone_distribution
from s11sync.metrics.tid import (
    classify_tid,
    polarization_index,
    primary_tid,
    seiler_tid,
    tid_comparison,
)

TODAY = date(2026, 3, 18)  # a Wednesday


def power(*secs):
    return [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)] + [
        {"id": "SS", "secs": 500}
    ]


def ride(days_ago=0, *secs, sport="Ride"):
    day = TODAY - timedelta(days=days_ago)
    return {"type": sport, "start_date_local": f"{day}T07:00:00", "icu_zone_times": power(*secs)}


def hr_act(days_ago=0, *secs, sport="Run"):
    day = TODAY - timedelta(days=days_ago)
    return {"type": sport, "start_date_local": f"{day}T07:00:00", "icu_hr_zone_times": list(secs)}


# -- zone shares -----------------------------------------------------------------------


def test_zone_shares_of_one_power_ride():
    # z1 3600, z2 1800, z3 900, z4+ 900 (600+300) → T 7200
    # grey 900/7200 = 12.5 %; quality 12.5 %; easy 5400/7200 = 0.75
    out = zone_distribution([ride(0, 3600, 1800, 900, 600, 300, 0, 0)], {})
    assert out["zone_distribution_7d"] == {
        "z1_hours": 1.0,
        "z2_hours": 0.5,
        "z3_hours": 0.25,
        "z4_plus_hours": 0.25,
        "total_hours": 2.0,
        "zone_basis": "power",
    }
    assert out["grey_zone_percentage"] == 12.5
    assert out["quality_intensity_percentage"] == 12.5
    assert out["easy_time_ratio"] == 0.75
    assert list(out) == [
        "zone_distribution_7d",
        "grey_zone_percentage",
        "grey_zone_note",
        "quality_intensity_percentage",
        "quality_intensity_note",
        "easy_time_ratio",
        "easy_time_ratio_note",
    ]


def test_zone_shares_mix_power_and_hr_activities():
    out = zone_distribution([ride(0, 3600), hr_act(1, 3600)], {})
    assert out["zone_distribution_7d"]["zone_basis"] == "mixed"
    assert out["easy_time_ratio"] == 1.0 and out["grey_zone_percentage"] == 0.0


def test_zone_shares_without_zone_data_are_null_but_hours_are_zero():
    out = zone_distribution(
        [{"type": "WeightTraining", "start_date_local": "2026-03-18T07:00:00"}], {}
    )
    assert out["zone_distribution_7d"] == {
        "z1_hours": 0.0,
        "z2_hours": 0.0,
        "z3_hours": 0.0,
        "z4_plus_hours": 0.0,
        "total_hours": 0.0,
        "zone_basis": None,
    }
    assert out["grey_zone_percentage"] is None and out["easy_time_ratio"] is None
    assert isinstance(out["grey_zone_note"], str)


# -- hard days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (0, date(2026, 3, 16)),
        (6, date(2026, 3, 15)),
        (2, date(2026, 3, 18)),
        (3, date(2026, 3, 12)),
    ],
)
def test_training_week_start(start, expected):
    # mon → 03-16; sun → 03-15; wed → today; thu → last Thursday
    assert week_start_date(TODAY, start) == expected


def test_hard_days_count_only_the_current_training_week():
    # hard rides on Mon 03-16 and Sun 03-15 (z4 600 each); easy ride today
    acts = [ride(2, 0, 0, 0, 600), ride(3, 0, 0, 0, 600), ride(0, 3600)]
    assert hard_days_this_week(acts, TODAY, 0, {}) == 1  # week from Monday
    assert hard_days_this_week(acts, TODAY, 6, {}) == 2  # week from Sunday


def test_hard_days_on_the_first_day_of_the_week_only_count_today():
    acts = [ride(1, 0, 0, 0, 600), ride(0, 0, 0, 0, 0, 0, 0, 60)]
    assert hard_days_this_week(acts, TODAY, 2, {}) == 1  # week starts Wednesday = today


def test_two_hard_sessions_on_one_date_are_one_hard_day():
    acts = [ride(0, 0, 0, 0, 600), ride(0, 0, 0, 0, 0, 300)]
    assert hard_days_this_week(acts, TODAY, 0, {}) == 1


def test_hard_days_null_when_the_week_has_activities_but_no_zone_data():
    # Decision D13 (missing is not zero)
    acts = [{"type": "WeightTraining", "start_date_local": "2026-03-17T07:00:00"}]
    assert hard_days_this_week(acts, TODAY, 0, {}) is None


def test_hard_days_zero_when_the_week_has_no_activity():
    assert hard_days_this_week([ride(5, 0, 0, 0, 600)], TODAY, 0, {}) == 0
    assert hard_days_this_week([], TODAY, 0, {}) == 0


def test_hr_preference_changes_a_hard_day():
    # run with power z3 1800 (hard by power) and HR z3 1800 (never hard by HR)
    run = {
        "type": "Run",
        "start_date_local": "2026-03-18T07:00:00",
        "icu_zone_times": power(0, 0, 1800),
        "icu_hr_zone_times": [0, 0, 1800],
    }
    assert hard_days_this_week([run], TODAY, 0, {}) == 1
    assert hard_days_this_week([run], TODAY, 0, {"run": "hr"}) == 0


# -- Seiler TID -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "pi", "label"),
    [
        ((0.9, 0.095, 0.005), None, "Base"),
        ((0.5, 0.5, 0.0), None, "Base"),
        ((0.8, 0.05, 0.15), 2.38, "Polarized"),
        ((0.5, 0.4, 0.1), None, "Pyramidal"),
        ((0.5, 0.2, 0.3), 1.88, "Pyramidal"),
        ((0.3, 0.5, 0.2), None, "Threshold"),
        ((0.3, 0.2, 0.5), None, "High Intensity"),
        ((0.7, 0.15, 0.15), None, "Pyramidal"),
    ],
)
def test_classification_table(f, pi, label):
    assert polarization_index(*f) == pi
    assert classify_tid(*f, pi) == label


def test_pi_replaces_a_zero_grey_share_with_one_percent():
    # log10(0.9/0.01 × 0.1 × 100) = log10(900) = 2.954 → 2.95; tiny f2 0.001 → log10(12665) = 4.10
    assert polarization_index(0.9, 0.0, 0.1) == 2.95
    assert polarization_index(0.85, 0.001, 0.149) == 4.1


def test_polarized_test_reads_the_rounded_pi():
    # unrounded 2.0019 → 2.0, not > 2.0 → Pyramidal fallback
    pi = polarization_index(0.8185, 0.0815, 0.1)
    assert pi == 2.0 and classify_tid(0.8185, 0.0815, 0.1, pi) == "Pyramidal"


def test_tid_block_of_one_polarized_ride():
    # S1 8000, S2 500, S3 1500 → 80/5/15 %; PI log10(0.8/0.05 × 0.15 × 100) = log10(240) = 2.38
    block = seiler_tid([ride(0, 5000, 3000, 500, 1000, 500, 0, 0)], {})
    assert block == {
        "z1_seconds": 8000,
        "z2_seconds": 500,
        "z3_seconds": 1500,
        "z1_pct": 80.0,
        "z2_pct": 5.0,
        "z3_pct": 15.0,
        "polarization_index": 2.38,
        "classification": "Polarized",
        "zone_basis": "power",
    }


def test_empty_tid_block_has_zero_seconds_and_null_shares():
    block = seiler_tid([], {})
    assert block["z1_seconds"] == 0 and block["z1_pct"] is None and block["classification"] is None


def test_primary_tid_filters_by_family_and_puts_sport_last():
    acts = [ride(0, 3600), hr_act(0, 0, 0, 3600)]
    block = primary_tid(acts, {}, "run")
    assert block["z2_seconds"] == 3600 and block["z1_seconds"] == 0
    assert list(block)[-1] == "sport" and block["sport"] == "run"
    assert primary_tid(acts, {}, None) is None


def test_primary_tid_without_zone_data_is_an_all_null_block_with_sport():
    block = primary_tid([{"type": "Swim"}], {}, "swim")
    assert block["classification"] is None and block["sport"] == "swim"


# -- TID drift -----------------------------------------------------------------------


def _block(cls, pi):
    return {"classification": cls, "polarization_index": pi}


def test_drift_consistent_when_both_windows_are_polarized():
    # pi_delta = round(2.01 − 2.19, 2) = −0.18
    out = tid_comparison(_block("Polarized", 2.01), _block("Polarized", 2.19))
    assert (out["pi_delta"], out["drift"]) == (-0.18, "consistent")


def test_acute_depolarization_needs_a_7d_pi_below_two():
    out = tid_comparison(_block("Pyramidal", 1.9), _block("Polarized", 2.3))
    assert (out["pi_delta"], out["drift"]) == (-0.4, "acute_depolarization")


def test_shifting_when_the_7d_pi_is_null():
    out = tid_comparison(_block("Pyramidal", None), _block("Polarized", 2.3))
    assert (out["pi_delta"], out["drift"]) == (None, "shifting")


def test_drift_null_when_a_window_has_no_zone_data():
    out = tid_comparison(_block(None, None), _block("Polarized", 2.3))
    assert out["drift"] is None and out["pi_delta"] is None
    assert out["note"] != tid_comparison(_block("Base", None), _block("Base", None))["note"]
    assert list(out) == [
        "classification_7d",
        "classification_28d",
        "pi_7d",
        "pi_28d",
        "pi_delta",
        "drift",
        "note",
    ]


# -- the all-sport TID counts endurance families only -----------------------------------------


def _live(aid, days_ago, sport, hr, load):
    """An activity in the live list shape: HR zone array of 7, `icu_zone_times` null without power."""
    day = TODAY - timedelta(days=days_ago)
    return {
        "id": aid,
        "type": sport,
        "start_date_local": f"{day}T07:00:00",
        "start_date": f"{day}T06:00:00Z",
        "icu_training_load": load,
        "icu_zone_times": None,
        "icu_hr_zone_times": hr,
        "moving_time": sum(hr),
    }


def _mixed_month():
    """A High Intensity month of rides (one in the last 7 days) plus one pilates and one gym session."""
    hard = [600, 600, 300, 1200, 900, 300, 0]
    rides = [
        _live(f"i5010{n}", days, "Ride", hard, 80) for n, days in enumerate([1, *range(8, 28, 2)])
    ]
    pilates = _live("i50201", 2, "Pilates", [3000, 600, 0, 0, 0, 0, 0], 15)
    gym = _live("i50202", 3, "WeightTraining", [2400, 1200, 0, 0, 0, 0, 0], 20)
    return rides, [pilates, gym]


def test_pilates_and_gym_do_not_decide_the_all_sport_tid():
    rides, non_endurance = _mixed_month()
    recent = [rides[0], *non_endurance]
    assert seiler_tid(recent, {}) == seiler_tid([rides[0]], {})
    assert seiler_tid(recent, {})["classification"] == "High Intensity"
    # a block of the sport itself still counts its own sessions
    assert seiler_tid(non_endurance, {}, "strength")["z1_seconds"] == 3600


def test_pilates_and_gym_do_not_raise_a_tid_shift_alert():
    from datetime import datetime, timezone

    from s11sync.config import Settings
    from s11sync.metrics.alerts import tid_alert
    from s11sync.metrics.derived import build_load_metrics
    from s11sync.metrics.tid import TID_SCOPE_NOTE
    from s11sync.snapshot import Snapshot

    rides, non_endurance = _mixed_month()
    snap = Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 18, 12, tzinfo=timezone.utc),
        days=7,
        athlete={"id": "i1"},
        activities=[*non_endurance, *rides],
        wellness=[],
        events=[],
    )
    load = build_load_metrics(snap, Settings(), {"indoor": {}, "outdoor": {}})
    assert load["seiler_tid_7d"]["classification"] == "High Intensity"
    assert load["seiler_tid_28d"]["classification"] == "High Intensity"
    comparison = load["tid_comparison"]
    assert comparison["drift"] == "consistent"
    assert tid_alert(comparison) is None
    assert TID_SCOPE_NOTE in comparison["note"] and "pilates" in comparison["note"]
