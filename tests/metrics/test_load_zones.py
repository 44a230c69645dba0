"""Zone extraction and preference (docs/metrics.md, "Zone time per activity") and the hard-day
classifier ("Hard days")."""

from __future__ import annotations

from s11sync.metrics.zones import (
    activity_zone_seconds,
    classify_day,
    combined_basis,
    hr_zone_seconds,
    power_zone_seconds,
    seiler_bins,
)


def power(*secs, ss=700):
    return [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)] + [{"id": "SS", "secs": ss}]


def test_power_zones_win_over_hr_and_sweet_spot_is_ignored():
    # example: power {z1 1200, z2 2400, rest 0}; SS 700 not added; HR ignored
    activity = {
        "type": "Ride",
        "icu_zone_times": power(1200, 2400, 0, 0, 0, 0, 0),
        "icu_hr_zone_times": [1500, 2100, 0, 0, 0],
    }
    assert activity_zone_seconds(activity, {}) == ("power", [1200, 2400, 0, 0, 0, 0, 0])


def test_hr_only_activity_skips_zero_entries_and_ignores_an_eighth_zone():
    # example: HR [10,0,5,0,0,0,0,99] → z1 10, z3 5; the 8th value (99) is dropped
    activity = {"type": "Run", "icu_hr_zone_times": [10, 0, 5, 0, 0, 0, 0, 99]}
    assert activity_zone_seconds(activity, {}) == ("hr", [10, 0, 5, 0, 0, 0, 0])


def test_activity_without_power_or_hr_zones_has_none():
    # pace zones are never used
    activity = {
        "type": "Run",
        "icu_zone_times": None,
        "icu_hr_zone_times": None,
        "pace_zone_times": [1300, 900, 200, 0, 0, 0, 0],
    }
    assert activity_zone_seconds(activity, {}) is None


def test_hr_preference_for_the_family_puts_hr_first():
    activity = {
        "type": "TrailRun",
        "icu_zone_times": power(900, 1200, 300, 0, 0, 0, 0),
        "icu_hr_zone_times": [600, 1500, 300, 0, 0, 0, 0],
    }
    assert activity_zone_seconds(activity, {"run": "hr"})[0] == "hr"
    assert activity_zone_seconds(activity, {"cycling": "hr"})[0] == "power"  # other family


def test_hr_preference_falls_back_to_power_when_there_is_no_hr():
    activity = {"type": "Ride", "icu_zone_times": power(100, 0, 0, 0, 0, 0, 0)}
    assert activity_zone_seconds(activity, {"cycling": "hr"}) == ("power", [100, 0, 0, 0, 0, 0, 0])


def test_unmapped_type_uses_the_other_family_preference():
    # Decision D3: Elliptical → other everywhere
    activity = {
        "type": "Elliptical",
        "icu_zone_times": power(100, 0, 0, 0, 0, 0, 0),
        "icu_hr_zone_times": [50],
    }
    assert activity_zone_seconds(activity, {"other": "hr"}) == ("hr", [50, 0, 0, 0, 0, 0, 0])


def test_all_zero_power_set_counts_as_absent_so_hr_is_used():
    # Decision D6: the original would return the zero power set and ignore real HR
    activity = {
        "type": "Ride",
        "icu_zone_times": power(0, 0, 0, 0, 0, 0, 0, ss=0),
        "icu_hr_zone_times": [300, 200],
    }
    assert activity_zone_seconds(activity, {}) == ("hr", [300, 200, 0, 0, 0, 0, 0])


def test_null_power_secs_count_as_zero_instead_of_crashing():
    activity = {"icu_zone_times": [{"id": "Z1", "secs": None}, {"id": "z2", "secs": 60}]}
    assert power_zone_seconds(activity) == [0, 60, 0, 0, 0, 0, 0]


def test_partial_power_list_with_lower_case_ids():
    # some clients list only non-zero zones
    assert power_zone_seconds({"icu_zone_times": [{"id": "z4", "secs": 30}]}) == [
        0,
        0,
        0,
        30,
        0,
        0,
        0,
    ]


def test_hr_list_with_nulls_and_no_time_is_absent():
    assert hr_zone_seconds({"icu_hr_zone_times": [None, 0, None]}) is None
    assert hr_zone_seconds({"icu_hr_zone_times": []}) is None


def test_combined_basis():
    assert combined_basis([]) is None
    assert combined_basis(["hr", "hr"]) == "hr"
    assert combined_basis(["power", "hr"]) == "mixed"


def test_seiler_bins_group_z1_z2_and_z4_up():
    # (1800+3000, 600, 480+240+60+20)
    assert seiler_bins([1800, 3000, 600, 480, 240, 60, 20]) == (4800, 600, 800)


def _p(*secs):
    return {"type": "Ride", "icu_zone_times": power(*secs)}


def _h(*secs):
    return {"type": "Rowing", "icu_hr_zone_times": list(secs)}


def test_power_day_one_second_short_of_half_an_hour_of_z3_is_not_hard():
    assert classify_day([_p(0, 0, 1799, 0, 0, 0, 0)], {}) == (False, "power")


def test_power_day_with_exactly_half_an_hour_of_z3_plus_is_hard():
    # 1200 + 600 = 1800 ≥ 1800 (inclusive); z4+ = 600 also hits
    assert classify_day([_p(0, 0, 1200, 600, 0, 0, 0)], {}) == (True, "power")


def test_power_short_rungs_each_alone_make_a_hard_day():
    assert classify_day([_p(0, 0, 0, 0, 300, 0, 0)], {})[0] is True  # z5+ 300
    assert classify_day([_p(0, 0, 0, 0, 299, 0, 0)], {})[0] is False
    assert classify_day([_p(0, 0, 0, 0, 0, 120, 0)], {})[0] is True  # z6+ 120
    assert classify_day([_p(0, 0, 0, 0, 0, 119, 0)], {})[0] is False
    assert classify_day([_p(0, 0, 0, 0, 0, 0, 60)], {})[0] is True  # z7 60
    assert classify_day([_p(0, 0, 0, 0, 0, 0, 59)], {})[0] is False


def test_hr_day_ignores_z3_and_needs_ten_minutes_of_z4_plus():
    # HR {z3 5000, z4 599} → not hard; {z4 420, z5 180} = 600 → hard (the fixture's Sunday rowing)
    assert classify_day([_h(0, 0, 5000, 599)], {}) == (False, "hr")
    assert classify_day([_h(900, 1500, 600, 420, 180)], {}) == (True, "hr")
    assert classify_day([_h(0, 0, 0, 0, 299)], {})[0] is False
    assert classify_day([_h(0, 0, 0, 0, 300)], {})[0] is True


def test_power_and_hr_buckets_are_never_merged():
    # power z4 300 + HR z4 300 would be 600 merged, but each bucket alone is short
    assert classify_day([_p(0, 0, 0, 300, 0, 0, 0), _h(0, 0, 0, 300)], {}) == (False, "mixed")


def test_short_power_rung_with_an_easy_hr_activity_is_a_hard_mixed_day():
    assert classify_day([_p(0, 0, 0, 0, 0, 0, 60), _h(100)], {}) == (True, "mixed")


def test_two_power_activities_on_one_day_add_up():
    # 900 + 900 of z3 = 1800
    assert classify_day([_p(0, 0, 900, 0, 0, 0, 0), _p(0, 0, 900, 0, 0, 0, 0)], {})[0] is True


def test_day_without_zone_data_is_unknown():
    assert classify_day([{"type": "WeightTraining"}], {}) == (None, None)
    assert classify_day([], {}) == (None, None)
