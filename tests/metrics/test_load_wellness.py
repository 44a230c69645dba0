"""Wellness baselines and the Recovery Index (docs/metrics.md), and the helpers the alerts use
(deload context, persistence counters)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from s11sync.metrics.daily_load import sorted_wellness
from s11sync.metrics.wellness_baselines import (
    deload_context,
    hrv_baseline,
    hrv_low_days,
    recovery_index,
    rhr_baseline,
    rhr_high_days,
    valid_hrv,
    wellness_block,
)


def records(hrvs, rhrs, last=date(2026, 3, 18)):
    first = last - timedelta(days=len(hrvs) - 1)
    return [
        {"id": (first + timedelta(days=k)).isoformat(), "hrv": h, "restingHR": r}
        for k, (h, r) in enumerate(zip(hrvs, rhrs, strict=True))
    ]


@pytest.mark.parametrize(
    ("hrv", "valid"), [(9.9, False), (10, True), (250, True), (250.1, False), (None, False)]
)
def test_hrv_validity_range_is_inclusive(hrv, valid):
    assert (valid_hrv({"hrv": hrv}) is not None) is valid


def test_sdnn_never_stands_in_for_rmssd():
    assert hrv_baseline([{"hrv": None, "hrvSDNN": 80}]) is None


def test_baselines_average_valid_values_only():
    # hrv: 300 invalid → (60 + 40)/2 = 50.0; rhr: 0 and null unusable → 52
    rows = [
        {"hrv": 60, "restingHR": 52},
        {"hrv": 300, "restingHR": 0},
        {"hrv": 40, "restingHR": None},
    ]
    assert hrv_baseline(rows) == 50.0
    assert rhr_baseline(rows) == 52.0


def test_recovery_index_when_today_is_below_baseline():
    # worked example: baselines 57.9 / 50.6; (52/57.9)/(54/50.6) = 0.8416 → 0.84; yesterday 0.98
    wl7 = records([58, 61, 55, 60, 62, 57, 52], [50, 49, 52, 50, 48, 51, 54])
    block = wellness_block(wl7, wl7)
    assert block["recovery_index"] == 0.84
    assert block["recovery_index_yesterday"] == 0.98
    assert (block["latest_hrv"], block["latest_rhr"]) == (52, 54)
    assert list(block) == [
        "recovery_index",
        "recovery_index_yesterday",
        "hrv_baseline_7d",
        "rhr_baseline_7d",
        "hrv_baseline_28d",
        "rhr_baseline_28d",
        "latest_hrv",
        "latest_rhr",
    ]


def test_today_record_without_hrv_gives_null_index_without_falling_back():
    wl7 = records([60, 60, None], [50, 50, 50])
    block = wellness_block(wl7, wl7)
    assert block["latest_hrv"] is None and block["recovery_index"] is None
    assert block["recovery_index_yesterday"] == 1.0  # (60/60)/(50/50)


def test_zero_resting_hr_is_missing_not_zero():
    # Decision D11
    wl7 = records([60], [0])
    block = wellness_block(wl7, wl7)
    assert block["latest_rhr"] is None and block["rhr_baseline_7d"] is None


def test_yesterday_index_needs_the_record_dated_the_day_before():
    # Decision D12: records on 03-15 and 03-18 only → no yesterday
    wl7 = [
        {"id": "2026-03-15", "hrv": 60, "restingHR": 50},
        {"id": "2026-03-18", "hrv": 55, "restingHR": 52},
    ]
    assert wellness_block(wl7, wl7)["recovery_index_yesterday"] is None


def test_no_wellness_at_all_gives_nulls():
    block = wellness_block([], [])
    assert set(block.values()) == {None}


def test_recovery_index_null_on_zero_inputs():
    assert recovery_index(60, 50, 0, 50) is None
    assert recovery_index(60, None, 60, 50) is None


def test_wellness_records_are_sorted_by_date_not_response_order():
    rows = [{"id": "2026-03-18"}, {"id": "2026-03-16"}, {"id": None}, {"id": "2026-03-17"}]
    assert [r["id"] for r in sorted_wellness(rows)] == ["2026-03-16", "2026-03-17", "2026-03-18"]


# -- alert helpers -----------------------------------------------------------------------


def test_deload_detected_at_exactly_twenty_percent_deficit():
    # avg 1600/4 = 400; (400 − 320)/400 = 20 % (inclusive)
    text = deload_context(320.0, 1600.0)
    assert text.startswith("deload pattern detected (")
    assert "320" in text and "20%" in text and "400" in text


def test_no_deload_just_under_twenty_percent():
    # (400 − 321)/400 = 19.75 %
    assert deload_context(321.0, 1600.0) is None


def test_no_deload_context_without_28_day_load():
    assert deload_context(0.0, 0.0) is None


def test_persistence_counters_walk_back_from_the_newest_record():
    # persistence: hrv [60,45,44,40], baseline 60 → threshold 48 (80 %) → 3 days
    #        rhr [50,56,55,57], baseline 50 → ≥ 55 → 3
    wl7 = records([60, 45, 44, 40], [50, 56, 55, 57])
    assert hrv_low_days(wl7, 60) == 3
    assert rhr_high_days(wl7, 50) == 3


def test_hrv_persistence_resets_when_the_newest_record_has_no_hrv():
    wl7 = records([60, 45, 44, 40, None], [50, 56, 55, 57, 57])
    assert hrv_low_days(wl7, 60) == 0


def test_hrv_persistence_counts_an_exact_twenty_percent_drop():
    # D-7: 48 ≤ 0.8 × 60 counts (same boundary as the alert); 48.1 does not
    assert hrv_low_days(records([48], [50]), 60) == 1
    assert hrv_low_days(records([48.1], [50]), 60) == 0


def test_persistence_without_baseline_is_zero():
    wl7 = records([40], [60])
    assert hrv_low_days(wl7, None) == 0 and rhr_high_days(wl7, None) == 0
