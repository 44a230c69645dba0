"""The FTP change log (docs/files.md, "`ftp_history.json`") and the Benchmark Index
(docs/metrics.md, "Benchmark Index")."""

from __future__ import annotations

import json
from datetime import date

import pytest

from s11sync.metrics.ftp_history import (
    benchmark_block,
    benchmarks,
    current_ftps,
    ftp_8_weeks_ago,
    ftp_history_days,
    load_series,
    merge_ftp_histories,
    trusted_ftp_history,
    union_stored,
    update_ftp_history,
)

TODAY = date(2026, 3, 18)  # target_date = 2026-01-21; window 01-14 … 01-28


def athlete(ftp=None, indoor=None, types=("Ride", "VirtualRide")):
    return {
        "sportSettings": [{"types": list(types), "ftp": ftp, "indoor_ftp": indoor, "lthr": 165}]
    }


# -- current FTP ---------------------------------------------------------------


def test_current_ftps_come_from_the_cycling_settings_and_zero_is_unset():
    assert current_ftps(athlete(270, 260)) == {"indoor": 260, "outdoor": 270}
    assert current_ftps(athlete(0, None)) == {"indoor": None, "outdoor": None}
    assert current_ftps({}) == {"indoor": None, "outdoor": None}


def test_cycling_entry_with_more_thresholds_wins_and_run_entries_are_ignored():
    a = {
        "sportSettings": [
            {"types": ["Run"], "ftp": 400},
            {"types": ["VirtualRide"], "ftp": 250},
            {"types": ["Ride"], "ftp": 270, "lthr": 168, "max_hr": 185},
            {"types": None, "ftp": 300},
        ]
    }
    assert current_ftps(a)["outdoor"] == 270


# -- update (every sync) -------------------------------------------------------


def test_update_appends_only_changed_values():
    # example: indoor 252 → 260 on 2025-11-20; outdoor unchanged
    previous = {"indoor": {"2025-08-05": 252}, "outdoor": {"2025-08-05": 265}}
    doc = update_ftp_history(previous, athlete(265, 260), date(2025, 11, 20))
    assert doc == {
        "indoor": {"2025-08-05": 252, "2025-11-20": 260},
        "outdoor": {"2025-08-05": 265},
        "schema_version": 1,
    }
    # the same FTPs the next day change nothing
    assert update_ftp_history(doc, athlete(265, 260), date(2025, 11, 21)) == doc


def test_first_sync_starts_both_series():
    assert update_ftp_history(None, athlete(275, 262), TODAY) == {
        "indoor": {"2026-03-18": 262},
        "outdoor": {"2026-03-18": 275},
        "schema_version": 1,
    }


def test_second_change_on_the_same_day_overwrites_todays_entry():
    doc = update_ftp_history({"indoor": {}, "outdoor": {"2026-01-01": 250}}, athlete(260), TODAY)
    doc = update_ftp_history(doc, athlete(262), TODAY)
    assert doc["outdoor"] == {"2026-01-01": 250, "2026-03-18": 262}


def test_unset_ftp_never_deletes_history():
    previous = {"indoor": {"2025-12-01": 250}, "outdoor": {"2025-10-01": 270}}
    doc = update_ftp_history(previous, athlete(None, 0), TODAY)
    assert doc["indoor"] == {"2025-12-01": 250} and doc["outdoor"] == {"2025-10-01": 270}


def test_legacy_flat_file_becomes_the_outdoor_series():
    assert load_series({"2025-01-01": 250}) == {"indoor": {}, "outdoor": {"2025-01-01": 250}}
    doc = update_ftp_history({"2025-01-01": 250}, athlete(250), TODAY)
    assert doc["outdoor"] == {"2025-01-01": 250} and doc["indoor"] == {}


def test_update_does_not_modify_the_previous_document():
    previous = {"indoor": {}, "outdoor": {"2025-01-01": 250}}
    update_ftp_history(previous, athlete(260), TODAY)
    assert previous == {"indoor": {}, "outdoor": {"2025-01-01": 250}}


# -- lookup (FTP in force 8 weeks ago) ---------------------------------------------------


def test_entry_inside_the_window_is_used():
    # 01-24 is 3 days from the 01-21 target
    assert ftp_8_weeks_ago({"2025-12-01": 250, "2026-01-24": 255, "2026-03-02": 262}, TODAY) == (
        255,
        None,
    )


def test_exact_target_beats_the_day_after():
    assert ftp_8_weeks_ago({"2026-01-21": 250, "2026-01-22": 252}, TODAY) == (250, None)


def test_equal_distance_goes_to_the_later_entry():
    assert ftp_8_weeks_ago({"2026-01-19": 240, "2026-01-23": 245}, TODAY) == (245, None)


@pytest.mark.parametrize(
    ("day", "inside"),
    [("2026-01-14", True), ("2026-01-13", False), ("2026-01-28", True), ("2026-01-29", False)],
)
def test_window_edges_are_inclusive(day, inside):
    value, reason = ftp_8_weeks_ago({day: 240}, TODAY)
    if inside:
        assert value == 240
    elif day == "2026-01-13":
        assert value == 240  # before the window: the value in force
    else:
        assert (value, reason) == (None, "insufficient_history")  # history starts after the window


def test_value_in_force_before_the_window_when_nothing_changed():
    # latest entry before 01-14 is 10-01 (270); 2026-03-18 (275) is after the window
    assert ftp_8_weeks_ago({"2025-06-01": 260, "2025-10-01": 270, "2026-03-18": 275}, TODAY) == (
        270,
        None,
    )


def test_empty_series_has_no_ftp_history():
    assert ftp_8_weeks_ago({}, TODAY) == (None, "no_ftp_history")


# -- blocks -----------------------------------------------------------------


def test_indoor_benchmark_of_the_worked_example():
    # 262 / 255 − 1 = 0.02745 → 0.027, "+2.7%"; March band [0.02, 0.05] → expected
    block, reason = benchmark_block(
        {"2025-12-01": 250, "2026-01-24": 255, "2026-03-02": 262}, 262, TODAY, "Late Base / Build"
    )
    assert block == {
        "current_ftp": 262,
        "ftp_8_weeks_ago": 255,
        "benchmark_index": 0.027,
        "benchmark_percentage": "+2.7%",
        "seasonal_expected": True,
    }
    assert reason is None


def test_outdoor_benchmark_uses_the_value_in_force():
    # 275 / 270 − 1 = 0.01852 → 0.019, "+1.9%"; 0.019 < 0.02 → not expected in March
    block, _ = benchmark_block(
        {"2025-10-01": 270, "2026-03-18": 275}, 275, TODAY, "Late Base / Build"
    )
    assert (
        block["benchmark_index"],
        block["benchmark_percentage"],
        block["seasonal_expected"],
    ) == (0.019, "+1.9%", False)


def test_negative_and_zero_percentages_are_signed():
    # 246/250 − 1 = −0.016; 250/250 − 1 = 0.0
    assert (
        benchmark_block({"2026-01-21": 250}, 246, TODAY, "Early Base")[0]["benchmark_percentage"]
        == "-1.6%"
    )
    block = benchmark_block({"2026-01-21": 250}, 250, TODAY, "Early Base")[0]
    assert block["benchmark_percentage"] == "+0.0%" and block["seasonal_expected"] is True


def test_entry_seven_days_early_is_accepted():
    # 262 / 240 − 1 = 0.0917 → 0.092
    assert benchmark_block({"2026-01-14": 240}, 262, TODAY, None)[0]["benchmark_index"] == 0.092


def test_no_current_ftp_gives_nulls_with_not_applicable():
    block, reason = benchmark_block({"2026-01-21": 250}, None, TODAY, "Late Base / Build")
    assert block["benchmark_index"] is None and block["seasonal_expected"] is None
    assert reason == "not_applicable"


def test_benchmarks_of_both_series_with_reasons():
    history = {"indoor": {"2025-12-01": 250, "2026-01-24": 255, "2026-03-02": 262}, "outdoor": {}}
    blocks, reasons = benchmarks(history, athlete(275, 262), TODAY, "north")
    assert blocks["benchmark_indoor"]["benchmark_index"] == 0.027
    assert blocks["benchmark_outdoor"]["benchmark_index"] is None
    assert reasons == {"benchmark_outdoor.benchmark_index": "no_ftp_history"}


def test_southern_hemisphere_reads_march_as_september():
    # September band [−0.03, 0.00]: 0.027 is not expected
    history = {"indoor": {"2026-01-24": 255}, "outdoor": {}}
    blocks, _ = benchmarks(history, athlete(None, 262), TODAY, "south")
    assert blocks["benchmark_indoor"]["seasonal_expected"] is False


def test_ftp_history_days_run_from_the_oldest_entry_to_today():
    # indoor 2025-12-01 → 2026-03-18 = 107 days; outdoor 2025-10-01 → 168; empty → 0
    history = {
        "indoor": {"2025-12-01": 250, "2026-01-24": 255, "2026-03-02": 262},
        "outdoor": {"2025-10-01": 270, "2026-03-18": 275},
    }
    assert ftp_history_days(history, TODAY) == {"indoor": 107, "outdoor": 168}
    assert ftp_history_days(None, TODAY) == {"indoor": 0, "outdoor": 0}


# ---- untrusted files, merges ----------------------------------------------------------------

ISSUE_TODAY = date(2026, 11, 25)


def test_a_clean_file_is_trusted_and_a_missing_one_is_empty():
    doc = {"indoor": {"2026-01-05": 250}, "outdoor": {"2026-02-01": 260}, "schema_version": 1}
    assert trusted_ftp_history(doc, True, ISSUE_TODAY) == (doc, [])
    assert trusted_ftp_history(None, False, ISSUE_TODAY) == (
        {"indoor": {}, "outdoor": {}, "schema_version": 1},
        [],
    )


def test_each_offending_entry_is_named_and_only_valid_entries_are_used():
    doc = {
        "indoor": {
            "2026-01-05": "250",
            "2026-02-30": 251,
            "2026-03-01": 252.0,
            "2026-04-01": True,
            "2026-12-01": 253,
            "2026-05-01": 254,
        },
        "outdoor": None,
        "schema_version": 2,
        "note": "mine",
    }
    trusted, problems = trusted_ftp_history(doc, True, ISSUE_TODAY)
    assert trusted == {"indoor": {"2026-05-01": 254}, "outdoor": {}, "schema_version": 1}
    assert problems == [
        'unknown key "note"',
        "schema_version = 2 (expected 1)",
        'indoor["2026-01-05"] = "250" is a string, not a whole number of watts',
        'indoor["2026-02-30"] = 251 is not a calendar date',
        'indoor["2026-03-01"] = 252.0 is a decimal number, not a whole number of watts',
        'indoor["2026-04-01"] = true is a bool, not a whole number of watts',
        'indoor["2026-12-01"] = 253 lies after today (2026-11-25)',
        "outdoor is not an object of date: FTP entries",
    ]


def test_an_unreadable_file_is_a_problem_and_a_legacy_flat_file_is_not():
    assert trusted_ftp_history(None, True, ISSUE_TODAY)[1] == [
        "the file is not a JSON object (unreadable or hand-edited)"
    ]
    trusted, problems = trusted_ftp_history({"2026-01-05": 262}, True, ISSUE_TODAY)
    assert problems == [] and trusted["outdoor"] == {"2026-01-05": 262}


def test_merge_is_a_union_by_date_and_keeps_the_side_that_changed_a_date():
    base = {"indoor": {"2026-01-05": 250}, "outdoor": {}}
    ours = {"indoor": {"2026-01-05": 250, "2026-11-25": 255}, "outdoor": {}}
    theirs = {"indoor": {"2026-01-05": 248, "2026-11-20": 252}, "outdoor": {"2026-11-20": 270}}
    assert merge_ftp_histories(base, ours, theirs) == {
        "indoor": {"2026-01-05": 248, "2026-11-20": 252, "2026-11-25": 255},
        "outdoor": {"2026-11-20": 270},
        "schema_version": 1,
    }
    both = {"indoor": {"2026-01-05": 251}, "outdoor": {}}
    assert merge_ftp_histories(base, both, theirs)["indoor"]["2026-01-05"] == 251  # ours wins


def test_union_of_stored_copies_keeps_an_untrusted_primary_as_it_is():
    repo = b'{"indoor": {"2026-01-05": 250}, "outdoor": {}, "schema_version": 1}\n'
    local = (
        b'{"indoor": {"2025-06-01": 240, "2026-01-05": 249}, "outdoor": {}, "schema_version": 1}\n'
    )
    merged = json.loads(union_stored(repo, local))
    assert merged["indoor"] == {"2025-06-01": 240, "2026-01-05": 250}
    bad = b'{"indoor": {"2026-01-05": "250"}, "outdoor": {}}'
    assert union_stored(bad, local) == bad
    assert union_stored(repo, b"not json") == repo
