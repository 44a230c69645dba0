"""Weight / W/kg signal (docs/metrics.md, "Weight"): worked example W-1, its variants, and
each gate."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.metrics.weight import build_weight, ols_slope
from s11sync.snapshot import Snapshot

TODAY = date(2026, 3, 22)
W1_DAYS_AGO = {
    27: 76.0,
    25: 75.9,
    23: 75.8,
    21: 75.8,
    19: 75.6,
    17: 75.5,
    15: 75.5,
    13: 75.3,
    11: 75.2,
    9: 75.2,
    7: 75.0,
    5: 74.9,
    3: 74.8,
    2: 74.6,
    0: 74.6,
    1: 0,
}
W1_HISTORY = {"outdoor": {"2025-12-01": 265, "2026-01-10": 270}, "indoor": {"2026-02-01": 260}}
TESTED = {"sportSettings": [{"types": ["Ride"], "ftp": 270}]}


def wellness(days_ago: dict[int, float | None], extra: dict | None = None):
    rows = [
        {"id": (TODAY - timedelta(days=n)).isoformat(), "weight": kg} for n, kg in days_ago.items()
    ]
    if extra:
        rows.append({"id": TODAY.isoformat(), **extra})
    return rows


def snap(athlete, rows):
    return Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 22, 12),
        days=7,
        athlete=athlete,
        activities=[],
        wellness=rows,
        events=[],
    )


def test_worked_example_w1_tested_ftp_in_kg():
    block = build_weight(snap(TESTED, wellness(W1_DAYS_AGO)), W1_HISTORY)
    assert list(block) == [
        "weight_latest_kg",
        "weight_latest_date",
        "wkg_current",
        "wkg_ftp_source",
        "ftp_setting_date",
        "wkg_block_start",
        "wkg_block_end",
        "wkg_block_delta",
        "weight_7d_avg_kg",
        "weight_28d_slope_kg_per_week",
        "display",
    ]
    assert (block["weight_latest_kg"], block["weight_latest_date"]) == (74.6, "2026-03-22")
    # 270 / 74.6 = 3.619 → 3.62; setting date = newest outdoor key
    assert (block["wkg_current"], block["wkg_ftp_source"]) == (3.62, "tested")
    assert block["ftp_setting_date"] == "2026-01-10"
    # start: 270 / 76.0 = 3.553 → 3.55; end: 270 / 74.6 → 3.62; 3.62 − 3.55 = 0.07
    assert (block["wkg_block_start"], block["wkg_block_end"], block["wkg_block_delta"]) == (
        3.55,
        3.62,
        0.07,
    )
    # days 5, 3, 2, 0 (day 1 is 0 kg → ignored): 298.9 / 4 = 74.725 → 74.7
    assert block["weight_7d_avg_kg"] == 74.7
    # 15 points, x̄ 13.867, Sxy −56.373, Sxx 1069.733 → −0.0527 kg/day × 7 = −0.369
    assert block["weight_28d_slope_kg_per_week"] == -0.369
    assert block["display"] == {
        "weight_latest": {"value": 74.6, "unit": "kg"},
        "weight_7d_avg": {"value": 74.7, "unit": "kg"},
        "weight_28d_slope_per_week": {"value": -0.369, "unit": "kg/week"},
    }


def test_w1_variant_eftp_in_pounds():
    athlete = {"weight_pref_lb": True, "sportSettings": []}
    rows = wellness(W1_DAYS_AGO)
    rows[-2]["sportInfo"] = [{"type": "Ride", "eftp": 250}]  # today's record (days-ago 0)
    assert rows[-2]["id"] == "2026-03-22"
    block = build_weight(snap(athlete, rows), W1_HISTORY)
    # 250 / 74.6 = 3.351 → 3.35; 250 / 76.0 = 3.289 → 3.29; 3.35 − 3.29 = 0.06
    assert (block["wkg_current"], block["wkg_ftp_source"]) == (3.35, "eftp")
    assert "ftp_setting_date" not in block  # tested FTP only
    assert (block["wkg_block_start"], block["wkg_block_end"], block["wkg_block_delta"]) == (
        3.29,
        3.35,
        0.06,
    )
    # 74.6 × 2.20462 = 164.46 → 164.5; 74.725 × 2.20462 = 164.74 → 164.7; −0.3689 × 2.20462 → −0.813
    assert block["display"] == {
        "weight_latest": {"value": 164.5, "unit": "lb"},
        "weight_7d_avg": {"value": 164.7, "unit": "lb"},
        "weight_28d_slope_per_week": {"value": -0.813, "unit": "lb/week"},
    }
    assert block["weight_latest_kg"] == 74.6  # canonical stays kg


def test_w1_variant_single_weigh_in_12_days_old_without_ftp():
    block = build_weight(snap({}, wellness({12: 80.0})))
    assert block == {
        "weight_latest_kg": 80.0,
        "weight_latest_date": "2026-03-10",
        "display": {"weight_latest": {"value": 80.0, "unit": "kg"}},
    }


@pytest.mark.parametrize(("days_ago", "present"), [(14, True), (15, False)])
def test_latest_weight_is_gated_at_14_days(days_ago, present):
    block = build_weight(snap(TESTED, wellness({days_ago: 80.0})), W1_HISTORY)
    assert (block is not None) is present


def test_w1_variant_only_weigh_in_21_days_old_is_absent():
    assert build_weight(snap(TESTED, wellness({21: 80.0})), W1_HISTORY) is None


def test_no_weigh_ins_or_only_zero_weights_is_absent():
    assert build_weight(snap(TESTED, [])) is None
    assert build_weight(snap(TESTED, wellness({0: 0, 1: None}))) is None


def test_block_wkg_needs_both_boundary_windows():
    # T−23 is outside [T−27, T−24] → no start weight → no block fields
    block = build_weight(snap(TESTED, wellness({23: 76.0, 0: 75.0})))
    assert "wkg_block_start" not in block and block["wkg_current"] == 3.6
    # T−24 is the last date of the start window; T−3 the first of the end window
    block = build_weight(snap(TESTED, wellness({24: 76.0, 3: 75.0})))
    assert (block["wkg_block_start"], block["wkg_block_end"]) == (
        3.55,
        3.6,
    )  # 270/76 = 3.553, 270/75
    block = build_weight(snap(TESTED, wellness({24: 76.0, 4: 75.0})))
    assert "wkg_block_end" not in block


def test_seven_day_average_needs_four_entries():
    three = build_weight(snap({}, wellness({0: 70.0, 2: 71.0, 6: 72.0, 7: 73.0})))
    assert "weight_7d_avg_kg" not in three  # T−7 is outside the 7 days
    four = build_weight(snap({}, wellness({0: 70.0, 2: 71.0, 6: 72.0, 5: 73.0})))
    assert four["weight_7d_avg_kg"] == 71.5  # 286 / 4


def test_slope_needs_fourteen_entries():
    thirteen = {n: 70.0 + n * 0.1 for n in range(13)}
    assert "weight_28d_slope_kg_per_week" not in build_weight(snap({}, wellness(thirteen)))
    fourteen = {n: 70.0 + n * 0.1 for n in range(14)}
    # weight falls 0.1 kg per day towards today → slope −0.1 × 7 = −0.7 kg/week
    assert build_weight(snap({}, wellness(fourteen)))["weight_28d_slope_kg_per_week"] == -0.7


def test_ols_slope_of_a_single_x_is_none():
    assert ols_slope([(3.0, 70.0), (3.0, 71.0)]) is None
    assert ols_slope([(0.0, 1.0), (2.0, 5.0)]) == 2.0


maybe_weight = st.one_of(
    st.none(), st.just(0), st.floats(-5, 200, allow_nan=False), st.integers(0, 150), st.just("x")
)
weight_row = st.fixed_dictionaries(
    {
        "id": st.one_of(
            st.integers(-2, 40).map(lambda n: (TODAY - timedelta(days=n)).isoformat()),
            st.just("not-a-date"),
        )
    },
    optional={"weight": maybe_weight},
)
athletes = st.fixed_dictionaries(
    {},
    optional={
        "weight_pref_lb": st.booleans(),
        "sportSettings": st.lists(
            st.fixed_dictionaries({"types": st.just(["Ride"]), "ftp": maybe_weight}), max_size=2
        ),
    },
)
ORDER = [
    "weight_latest_kg",
    "weight_latest_date",
    "wkg_current",
    "wkg_ftp_source",
    "ftp_setting_date",
    "wkg_block_start",
    "wkg_block_end",
    "wkg_block_delta",
    "weight_7d_avg_kg",
    "weight_28d_slope_kg_per_week",
    "display",
]


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(weight_row, max_size=30), athlete=athletes)
def test_any_wellness_gives_none_or_ordered_present_fields(rows, athlete):
    block = build_weight(snap(athlete, rows), W1_HISTORY)
    if block is None:
        return
    assert block  # never an empty dict
    assert list(block) == [k for k in ORDER if k in block]
    assert all(v is not None for v in block.values())  # gated fields are absent, never null
    json.dumps(block, allow_nan=False)
