"""Daily load, totals, ACWR, monotony, primary sport, strain (docs/metrics.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from s11sync.metrics import load as L
from s11sync.metrics.daily_load import daily_load, daily_load_by_family, training_load
from s11sync.windows import in_window

TODAY = date(2026, 3, 18)


def act(days_ago, sport="Ride", load=50, hour=7):
    day = TODAY - timedelta(days=days_ago)
    return {
        "type": sport,
        "icu_training_load": load,
        "start_date_local": f"{day.isoformat()}T{hour:02d}:00:00",
    }


# -- daily series -----------------------------------------------------------


def test_daily_load_sums_per_date_oldest_first_and_ignores_outside_dates():
    acts = [act(0, load=40), act(0, load=10), act(6, load=60), act(7, load=999)]
    # index 6 = today (40+10), index 0 = today−6 (60); today−7 is outside
    assert daily_load(acts, TODAY, 7) == [60, 0, 0, 0, 0, 0, 50]


def test_null_or_missing_load_counts_as_zero():
    assert training_load({"icu_training_load": None}) == 0
    assert training_load({}) == 0
    assert daily_load([act(0, load=None)], TODAY, 7) == [0] * 7


def test_activity_without_a_date_falls_in_no_window():
    assert in_window([{"type": "Ride", "icu_training_load": 50}], TODAY, 7) == []


def test_family_map_skips_zero_load_activities_and_orders_by_newest_activity():
    acts = [act(0, "Walk", 0), act(1, "Run", 30), act(2, "Ride", 80)]
    by_family = daily_load_by_family(acts, TODAY, 7)
    assert list(by_family) == ["run", "cycling"]  # the zero-load walk makes no family
    assert by_family["cycling"] == [0, 0, 0, 0, 80, 0, 0]


# -- totals, ACWR --------------------------------------------------------------------


def test_totals_are_rounded_floats():
    assert L.load_total([60, 0, 100, 45, 120, 40, 40]) == 405.0
    assert isinstance(L.load_total([]), float)


def test_acwr_when_the_last_week_doubles_the_chronic_load():
    # 28 days: 3 weeks at 100/day then 1 week at 200/day → S7 1400, S28 3500
    # acute 200, chronic 125 → 1.6 → danger
    assert L.acwr(1400, 3500) == 1.6
    assert L.acwr_interpretation(1.6) == "danger"


def test_acwr_for_a_new_athlete_with_load_only_this_week_is_four():
    assert L.acwr(300, 300) == 4.0


def test_acwr_with_no_load_this_week_is_zero_and_undertraining():
    assert L.acwr(0, 560) == 0.0
    assert L.acwr_interpretation(0.0) == "undertraining"


def test_acwr_without_chronic_load_is_null():
    assert L.acwr(0, 0) is None
    assert L.acwr_interpretation(None) is None


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.79, "undertraining"),
        (0.8, "optimal"),
        (1.29, "optimal"),
        (1.3, "caution"),
        (1.49, "caution"),
        (1.5, "danger"),
    ],
)
def test_acwr_bands_on_both_sides_of_each_boundary(value, label):
    assert L.acwr_interpretation(value) == label


def test_acwr_label_reads_the_rounded_value():
    # 4·S7/S28 = 1.2951… rounds to 1.3 → caution (S7 = 1.2951·S28/4; use S28 = 10000, S7 = 3237.75)
    value = L.acwr(3237.75, 10000)
    assert value == 1.3 and L.acwr_interpretation(value) == "caution"


def test_start_of_day_acwr_drops_todays_activities_but_keeps_the_divisors():
    # 28 days of 40 each (S28 1120); today also has a 100 → live S7 380, S28 1220
    acts = [act(k, load=40) for k in range(28)] + [act(0, load=100, hour=18)]
    # start of day: today's 40+100 removed → S7 240, S28 1080 → (240/7)/(1080/28) = 0.888… → 0.89
    block = L.acwr_start_of_day(acts, TODAY)
    assert block["value"] == 0.89 and block["interpretation"] == "optimal"
    assert list(block) == [
        "value",
        "interpretation",
        "scope",
        "as_of_date",
        "current_day_load_included",
        "acute_days",
        "chronic_days",
    ]
    assert block["as_of_date"] == "2026-03-18" and block["current_day_load_included"] is False


def test_start_of_day_acwr_equals_live_without_activity_today():
    acts = [act(k, load=10 * k) for k in range(1, 28)]
    s7 = sum(daily_load(acts, TODAY, 7))
    s28 = sum(daily_load(acts, TODAY, 28))
    assert L.acwr_start_of_day(acts, TODAY)["value"] == L.acwr(s7, s28)


# -- monotony and primary sport ---------------------------------------------


def test_one_session_week_has_low_monotony():
    # m = 14.2857, s = 37.7964 → 0.378 → 0.38
    assert L.monotony([0, 0, 0, 0, 0, 0, 100]) == 0.38


def test_seven_identical_days_have_null_monotony():
    assert L.monotony([50] * 7) is None


def test_empty_week_has_null_monotony():
    assert L.monotony([0] * 7) is None


def test_primary_sport_needs_three_active_days_for_its_monotony():
    # two active days → null; three → m = 300/7 = 42.857, s = 53.452 → 0.80
    assert L.primary_sport_monotony([0, 0, 0, 0, 0, 150, 150]) is None
    assert L.primary_sport_monotony([0, 0, 0, 0, 100, 100, 100]) == 0.8


def test_primary_sport_is_the_family_with_most_load_and_multi_sport_is_flagged():
    acts = [act(0, "Run", 30), act(1, "Ride", 50), act(2, "Ride", 50), act(3, "Ride", 50)]
    block = L.primary_sport_block(acts, TODAY)
    assert block["primary_sport"] == "cycling"
    assert block["primary_sport_tss_7d"] == 150.0
    assert block["multi_sport_detected"] is True
    # cycling [0,0,0,50,50,50,0]: m 21.43, s 26.73 → 0.80
    assert block["primary_sport_monotony"] == 0.8


def test_primary_sport_tie_goes_to_the_family_with_the_newest_activity():
    acts = [act(2, "Ride", 60), act(1, "Run", 60)]
    assert L.primary_sport_block(acts, TODAY)["primary_sport"] == "run"


def test_primary_sport_tie_on_the_same_timestamp_is_alphabetical():
    acts = [act(1, "Run", 60), act(1, "Ride", 60)]
    assert L.primary_sport_block(acts, TODAY)["primary_sport"] == "cycling"


def test_no_load_this_week_means_no_primary_sport():
    block = L.primary_sport_block([act(0, "Ride", 0)], TODAY)
    assert block["primary_sport"] is None and block["primary_sport_tss_7d"] is None
    assert block["multi_sport_detected"] is False


def test_effective_monotony_uses_primary_only_when_multi_sport_and_available():
    assert L.effective_monotony(1.43, 0.88, True) == 0.88
    assert L.effective_monotony(1.43, None, True) == 1.43
    assert L.effective_monotony(1.43, 0.88, False) == 1.43


def test_monotony_label_with_multi_sport_inflation():
    assert L.monotony_interpretation(2.6, 2.3, True) == (
        "elevated (primary sport 2.3, total 2.6 inflated by multi-sport)"
    )
    assert L.monotony_interpretation(1.43, 0.88, True) == (
        "normal (primary sport 0.88, total 1.43 inflated by multi-sport)"
    )


def test_monotony_label_without_inflation_suffix_when_primary_is_not_lower():
    assert L.monotony_interpretation(1.5, 1.8, True) == "normal"


@pytest.mark.parametrize(("value", "label"), [(2.0, "normal"), (2.01, "elevated")])
def test_monotony_label_boundary_is_strictly_above_two(value, label):
    assert L.monotony_interpretation(value, value, False) == label


def test_monotony_label_null_when_effective_is_null():
    assert L.monotony_interpretation(None, None, False) is None


# -- strain, load-recovery ratio -------------------------------------------------------------------


def test_strain_and_stress_tolerance_use_rounded_inputs():
    # 405 × 1.43 = 579.15 → 579.0; 579 / 1.43 / 100 = 4.049 → 4.0
    assert L.strain(405, 1.43) == 579.0
    assert L.stress_tolerance(579.0, 1.43) == 4.0


def test_strain_null_without_monotony_and_tolerance_null_on_zero():
    assert L.strain(405, None) is None
    assert L.stress_tolerance(None, 1.2) is None
    assert L.stress_tolerance(0.0, 0.0) is None


def test_load_recovery_ratio():
    # 405 / (0.84 × 100) = 4.821 → 4.8
    assert L.load_recovery_ratio(405, 0.84) == 4.8
    assert L.load_recovery_ratio(405, None) is None
    assert L.load_recovery_ratio(405, 0.0) is None


# -- weekly ACWR and monotony (history.json), next to the daily ones ----------


def test_weekly_acwr_is_the_last_weeks_daily_load_over_the_three_weeks_before():
    assert L.weekly_acwr([210, 210, 210, 420], 7) == 2.0  # 60/day over 30/day
    assert L.weekly_acwr([0, 300, 600, 180], 3) == 1.4  # in progress: 180 / 3 days over 900 / 21
    assert L.weekly_acwr([999, 100, 100, 100, 140], 7) == 1.4  # only the last four weeks count
    assert L.weekly_acwr([0, 0, 0, 300], 7) is None  # no chronic load
    assert L.weekly_acwr([210, 210, 210, 70], 0) == 2.33  # elapsed days never below 1: 70 / 30


def test_weekly_monotony_needs_five_days_three_with_load():
    assert L.weekly_monotony([50, 0, 60, 0, 70]) == 1.07  # mean 36 / sample SD 33.6
    assert L.weekly_monotony([50, 0, 60, 0]) is None
    assert L.weekly_monotony([50, 0, 60, 0, 0]) is None
    assert L.weekly_monotony([50, 50, 50, 50, 50]) is None  # SD 0
