"""Curve fetch plan and the 28-day power/HR curve deltas (docs/metrics.md, "Power curve delta",
"HR curve delta")."""

from __future__ import annotations

from datetime import date

import pytest

from s11sync.metrics.curves import (
    CurveRequest,
    build_hr_curve_delta,
    build_power_curve_delta,
    curve_requests,
    curve_value,
)

TODAY = date(2026, 3, 22)  # PC-1: current 2026-02-23 … 2026-03-22, previous 2026-01-26 … 2026-02-22
CUR, PREV = "r.2026-02-23.2026-03-22", "r.2026-01-26.2026-02-22"
SUS = "r.2026-02-09.2026-03-22"
BLOCK_KEYS = [
    "window_days",
    "current_window",
    "previous_window",
    "anchors",
    "rotation_index",
    "note",
]


def curve(curve_id, points, key="watts"):
    return {"id": curve_id, "secs": list(points), key: list(points.values())}


def response(*curves):
    return {"list": list(curves), "activities": {}}


PC1_CUR = {5: 826, 60: 286, 300: 274, 1200: 239, 3600: 222}
PC1_PREV = {5: 789, 60: 288, 300: 272, 1200: 237, 3600: 221}


def test_power_curve_delta_worked_example_pc1():
    block = build_power_curve_delta(response(curve(CUR, PC1_CUR), curve(PREV, PC1_PREV)), TODAY)
    assert list(block) == BLOCK_KEYS
    assert block["window_days"] == 28
    assert block["current_window"] == {"start": "2026-02-23", "end": "2026-03-22"}
    assert block["previous_window"] == {"start": "2026-01-26", "end": "2026-02-22"}
    # (826 − 789) / 789 × 100 = 4.69 → 4.7; (286 − 288) / 288 × 100 = −0.69 → −0.7; …
    assert block["anchors"] == {
        "5s": {"current_watts": 826, "previous_watts": 789, "pct_change": 4.7},
        "60s": {"current_watts": 286, "previous_watts": 288, "pct_change": -0.7},
        "300s": {"current_watts": 274, "previous_watts": 272, "pct_change": 0.7},
        "1200s": {"current_watts": 239, "previous_watts": 237, "pct_change": 0.8},
        "3600s": {"current_watts": 222, "previous_watts": 221, "pct_change": 0.5},
    }
    # (4.7 − 0.7) / 2 − (0.8 + 0.5) / 2 = 2.0 − 0.65 = 1.35 → 1.4 (double just above 1.35)
    assert block["rotation_index"] == 1.4


def test_power_curve_delta_reads_values_when_watts_is_absent():
    block = build_power_curve_delta(
        response(curve(CUR, PC1_CUR, key="values"), curve(PREV, PC1_PREV, key="values")), TODAY
    )
    assert block["rotation_index"] == 1.4


def test_power_curve_delta_with_three_current_anchors_passes_without_rotation():
    current = {5: 826, 60: 286, 300: 274}  # no 1200 s / 3600 s → 3 valid vs 5 valid
    block = build_power_curve_delta(response(curve(CUR, current), curve(PREV, PC1_PREV)), TODAY)
    assert block["anchors"]["1200s"] == {
        "current_watts": None,
        "previous_watts": 237,
        "pct_change": None,
    }
    assert block["anchors"]["5s"]["pct_change"] == 4.7
    assert block["rotation_index"] is None


def test_power_curve_delta_with_two_valid_anchors_fails_the_gate():
    # 300 s is 0 and 1200 s null (both invalid), 3600 s missing → 2 valid current vs 5 previous
    current_curve = {"id": CUR, "secs": [5, 60, 300, 1200], "watts": [826, 286, 0, None]}
    block = build_power_curve_delta(response(current_curve, curve(PREV, PC1_PREV)), TODAY)
    assert block["anchors"] is None and block["rotation_index"] is None
    assert "2 valid anchors in the current window and 5 in the previous" in block["note"]
    assert "need 3+" in block["note"]


def test_power_curve_delta_with_only_the_previous_curve_names_the_current_window():
    block = build_power_curve_delta(response(curve(PREV, PC1_PREV)), TODAY)
    assert list(block) == BLOCK_KEYS
    assert block["anchors"] is None
    assert "current" in block["note"] and "previous" not in block["note"]


def test_power_curve_delta_with_no_matching_ids_names_both_windows():
    block = build_power_curve_delta(response(curve("s0", PC1_CUR)), TODAY)
    assert "current and previous" in block["note"]


@pytest.mark.parametrize("data", [None, {}, {"list": []}, {"list": None}, [], "oops"])
def test_power_curve_delta_without_data_is_a_null_block_with_windows(data):
    block = build_power_curve_delta(data, TODAY)
    assert list(block) == BLOCK_KEYS
    assert block["anchors"] is None and block["current_window"]["end"] == "2026-03-22"


def test_curve_value_takes_the_first_exact_duration_only():
    c = {"id": CUR, "secs": [5, 5, 61], "watts": [800, 900, 300]}
    assert curve_value(c, 5, "power") == 800
    assert curve_value(c, 60, "power") is None  # no nearest-duration fallback
    assert (
        curve_value({"id": CUR, "secs": [5, 60], "watts": [800]}, 60, "power") is None
    )  # short array
    assert curve_value({"id": CUR, "secs": None, "watts": None}, 5, "power") is None


def test_duplicate_curve_ids_keep_the_last():
    stale = curve(CUR, {5: 1, 60: 1, 300: 1, 1200: 1, 3600: 1})
    block = build_power_curve_delta(
        response(stale, curve(CUR, PC1_CUR), curve(PREV, PC1_PREV)), TODAY
    )
    assert block["anchors"]["5s"]["current_watts"] == 826


def test_hr_curve_delta_worked_example_hc1():
    cur = curve(CUR, {60: 177, 300: 176, 1200: 166, 3600: 159}, key="values")
    prev = curve(PREV, {60: 173, 300: 173, 1200: 165, 3600: 159}, key="values")
    block = build_hr_curve_delta(response(cur, prev), TODAY)
    assert list(block) == BLOCK_KEYS
    # 4/173 = 2.31 → 2.3; 3/173 = 1.73 → 1.7; 1/165 = 0.61 → 0.6; 0 → 0.0
    assert block["anchors"] == {
        "60s": {"current_bpm": 177, "previous_bpm": 173, "pct_change": 2.3},
        "300s": {"current_bpm": 176, "previous_bpm": 173, "pct_change": 1.7},
        "1200s": {"current_bpm": 166, "previous_bpm": 165, "pct_change": 0.6},
        "3600s": {"current_bpm": 159, "previous_bpm": 159, "pct_change": 0.0},
    }
    # (2.3 + 1.7) / 2 − (0.6 + 0.0) / 2 = 2.0 − 0.3 = 1.7
    assert block["rotation_index"] == 1.7
    assert "fatigue" in block["note"]


def test_hr_curve_delta_gate_needs_three_of_four_in_each_window():
    cur = curve(CUR, {60: 177, 300: 176, 1200: 166}, key="values")
    prev = curve(PREV, {60: 173, 300: 173}, key="values")
    assert build_hr_curve_delta(response(cur, prev), TODAY)["anchors"] is None
    prev3 = curve(PREV, {60: 173, 300: 173, 3600: 150}, key="values")
    assert build_hr_curve_delta(response(cur, prev3), TODAY)["anchors"] is not None


# --- fetch plan -------------------------------------------------------------------------------


def act(sport, day="2026-03-20"):
    return {"type": sport, "start_date_local": f"{day}T08:00:00"}


def test_fetch_plan_for_a_cycling_only_athlete_is_five_calls():
    plan = curve_requests(TODAY, [act("Ride"), act("VirtualRide")])
    assert plan == [
        CurveRequest("power", "power:Ride", "Ride", (CUR, PREV, SUS)),
        CurveRequest("hr", "hr:all", None, (CUR, PREV)),
        CurveRequest("power", "power:VirtualRide", "VirtualRide", (SUS,)),
        CurveRequest("hr", "hr:Ride", "Ride", (SUS,)),
        CurveRequest("hr", "hr:VirtualRide", "VirtualRide", (SUS,)),
    ]


def test_fetch_plan_for_ride_run_row_adds_four_rowing_calls_and_none_for_running():
    plan = curve_requests(TODAY, [act("Ride"), act("Run"), act("Rowing")])
    assert len(plan) == 9
    assert [r.label for r in plan[5:]] == [
        "power:Rowing",
        "power:VirtualRow",
        "hr:Rowing",
        "hr:VirtualRow",
    ]


def test_fetch_plan_without_a_sustainability_family_keeps_only_the_delta_calls():
    plan = curve_requests(TODAY, [act("Run"), act("Ride", day="2026-02-20")])  # ride is 30 days old
    assert plan == [
        CurveRequest("power", "power:Ride", "Ride", (CUR, PREV)),
        CurveRequest("hr", "hr:all", None, (CUR, PREV)),
    ]


def test_fetch_plan_for_skiing_never_asks_for_virtualski():
    plan = curve_requests(
        TODAY, [act("VirtualSki"), {"source": "STRAVA", "start_date_local": "2026-03-20"}]
    )
    assert [r.sport_type for r in plan[2:]] == ["NordicSki", "NordicSki"]
    assert all(r.sport_type != "VirtualSki" for r in plan)


def test_fetch_plan_counts_readme_decision_6_cycling_types():
    plan = curve_requests(TODAY, [act("TrackRide", day="2026-02-23")])  # T−27 still in the window
    assert plan[0].curves == (CUR, PREV, SUS)
