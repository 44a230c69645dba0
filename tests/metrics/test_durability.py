"""Durability, efficiency factor and HRRc (docs/metrics.md): worked examples and every gate."""

from __future__ import annotations

import pytest

from s11sync.metrics.durability import build_durability, durability_trend, durability_value
from s11sync.metrics.efficiency import build_efficiency_factor, ef_trend, ef_value
from s11sync.metrics.hrrc import build_hrrc, hrrc_trend, hrrc_value

DURABILITY_KEYS = [
    "mean_decoupling_7d",
    "mean_decoupling_28d",
    "high_drift_count_7d",
    "high_drift_count_28d",
    "qualifying_sessions_7d",
    "qualifying_sessions_28d",
    "trend",
    "reliability_limited",
    "reliability_note",
    "note",
]


def ride(dec=None, vi=1.0, moving=6000, **extra):
    return {
        "type": "Ride",
        "decoupling": dec,
        "icu_variability_index": vi,
        "moving_time": moving,
        **extra,
    }


# --- durability -------------------------------------------------------------------------------


def test_durability_worked_example_d1_declines_with_few_sessions():
    act7 = [
        ride(6.0, 1.02, 5400),
        ride(7.0, 1.05, 6000),
        ride(9.0, 0, 6000),
        ride(None, 1.00, 6000),
    ]
    act28 = act7 + [ride(2.0, 1.01, 8000), ride(3.0, 1.03, 5600)]
    block = build_durability(act7, act28)
    assert list(block) == DURABILITY_KEYS
    # 7d: (6.0 + 7.0) / 2 = 6.5; 28d: (6 + 7 + 2 + 3) / 4 = 4.5; Δ = 2.0 > 1.0 → declining
    assert block["mean_decoupling_7d"] == 6.5
    assert block["mean_decoupling_28d"] == 4.5
    assert block["trend"] == "declining"
    assert (block["high_drift_count_7d"], block["high_drift_count_28d"]) == (2, 2)
    assert (block["qualifying_sessions_7d"], block["qualifying_sessions_28d"]) == (2, 4)
    assert block["reliability_limited"] is True
    assert "7d N=2 (min 3)" in block["reliability_note"]
    assert "28d N=4 (min 5)" in block["reliability_note"]
    assert isinstance(block["note"], str) and block["note"]


def test_durability_worked_example_d2_is_stable_and_reliable():
    act7 = [ride(3.2), ride(6.1), ride(-0.5), ride(2.0, vi=1.12), ride(2.0, moving=5399)]
    act28 = act7 + [ride(1.0), ride(0.4), ride(2.2)]
    block = build_durability(act7, act28)
    # 7d: 8.8 / 3 = 2.933 → 2.93; 28d: 12.4 / 6 = 2.0667 → 2.07; Δ 0.86 → stable
    assert block["mean_decoupling_7d"] == 2.93
    assert block["mean_decoupling_28d"] == 2.07
    assert block["trend"] == "stable"
    assert (block["high_drift_count_7d"], block["high_drift_count_28d"]) == (1, 1)
    assert (block["qualifying_sessions_7d"], block["qualifying_sessions_28d"]) == (3, 6)
    assert block["reliability_limited"] is False
    assert block["reliability_note"] is None


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (ride(4.0, vi=1.05), 4.0),  # VI 1.05 included
        (ride(4.0, vi=1.0501), None),  # just above
        (ride(4.0, vi=0), None),  # VI must be > 0
        (ride(4.0, vi=0.0001), 4.0),
        (ride(4.0, vi=None), None),
        (ride(4.0, moving=5400), 4.0),  # 90 min included
        (ride(4.0, moving=5399), None),
        (ride(4.0, moving=None), None),  # null moving time counts as 0
        (ride(0.0), 0.0),  # a real 0 % is a value
        (ride(-2.5), -2.5),  # negative allowed
        (ride(None, icu_hr_decoupling=3.0), 3.0),  # probed first when present
        (ride(5.0, icu_hr_decoupling=0.0), 0.0),  # null test, not truthiness
        (ride(5.0, icu_hr_decoupling=None), 5.0),
        (
            {"type": "Run", "decoupling": 1.5, "icu_variability_index": 1.0, "moving_time": 6000},
            1.5,
        ),
    ],
)
def test_durability_predicate_on_each_side_of_its_gates(activity, expected):
    assert durability_value(activity) == expected


def test_durability_mean_needs_two_sessions_per_window():
    one = build_durability([ride(3.0)], [ride(3.0)])
    assert one["mean_decoupling_7d"] is None and one["mean_decoupling_28d"] is None
    assert one["trend"] is None
    two = build_durability([ride(3.0), ride(4.0)], [ride(3.0), ride(4.0)])
    assert two["mean_decoupling_7d"] == 3.5 and two["trend"] == "stable"


def test_durability_high_drift_counts_strictly_above_five():
    block = build_durability([ride(5.0), ride(5.01)], [ride(5.0), ride(5.01)])
    assert block["high_drift_count_7d"] == 1


def test_durability_reliability_on_both_sides_of_the_minimums():
    three, five = [ride(1.0)] * 3, [ride(1.0)] * 5
    assert build_durability(three, five)["reliability_limited"] is False
    assert build_durability(three[:2], five)["reliability_limited"] is True
    assert build_durability(three, five[:4])["reliability_limited"] is True


@pytest.mark.parametrize(
    ("m7", "m28", "expected"),
    [
        (
            2.93,
            1.93,
            "stable",
        ),  # float diff 1.0000000000000002 in the original → declining; Decision 14.2
        (3.5, 2.5, "stable"),
        (3.51, 2.5, "declining"),
        (1.5, 2.5, "stable"),
        (1.49, 2.5, "improving"),
        (None, 2.5, None),
    ],
)
def test_durability_trend_compares_integer_hundredths(m7, m28, expected):
    assert durability_trend(m7, m28) == expected


# --- efficiency factor --------------------------------------------------------------------------


def ef(sport, value, vi, moving):
    return {
        "type": sport,
        "icu_efficiency_factor": value,
        "icu_variability_index": vi,
        "moving_time": moving,
    }


def test_efficiency_factor_worked_example_ef1_is_stable_at_the_boundary():
    act7 = [
        ef("Ride", 1.42, 1.03, 3600),
        ef("VirtualRide", 1.38, 1.01, 1200),
        ef("EBikeRide", 1.60, 1.01, 3600),
        ef("Ride", 1.50, 1.10, 3600),
    ]
    act28 = act7 + [ef("GravelRide", 1.33, 1.04, 5000), ef("MountainBikeRide", 1.35, 1.05, 4000)]
    block = build_efficiency_factor(act7, act28)
    assert list(block) == [
        "mean_ef_7d",
        "mean_ef_28d",
        "qualifying_sessions_7d",
        "qualifying_sessions_28d",
        "trend",
        "note",
    ]
    # 7d: (1.42 + 1.38) / 2 = 1.40; 28d: 5.48 / 4 = 1.37; 140 − 137 = 3, not > 3 → stable
    assert block["mean_ef_7d"] == 1.4
    assert block["mean_ef_28d"] == 1.37
    assert (block["qualifying_sessions_7d"], block["qualifying_sessions_28d"]) == (2, 4)
    assert block["trend"] == "stable"


@pytest.mark.parametrize(
    ("m7", "m28", "expected"),
    [
        (1.43, 1.40, "stable"),  # original: 0.0300000…27 → improving; Decision 14.2 → stable
        (1.44, 1.40, "improving"),
        (1.37, 1.40, "stable"),
        (1.36, 1.40, "declining"),
        (1.40, None, None),
    ],
)
def test_efficiency_trend_compares_integer_hundredths(m7, m28, expected):
    assert ef_trend(m7, m28) == expected


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (ef("Ride", 1.4, 1.0, 1200), 1.4),
        (ef("Ride", 1.4, 1.0, 1199), None),
        (ef("EBikeRide", 1.4, 1.0, 3600), None),
        (ef("TrackRide", 1.4, 1.0, 3600), None),  # only the four listed types
        (ef("Run", 1.4, 1.0, 3600), None),
        (ef("Ride", None, 1.0, 3600), None),
        (ef("Ride", 1.4, 0, 3600), None),
        (ef("Ride", 1.4, 1.05, 3600), 1.4),
        (ef("Ride", 1.4, 1.06, 3600), None),
    ],
)
def test_efficiency_predicate_on_each_side_of_its_gates(activity, expected):
    assert ef_value(activity) == expected


# --- HRRc ---------------------------------------------------------------------------------------


def hrr(value):
    return {"type": "Ride", "icu_hrr": value}


def test_hrrc_worked_example_hr1_improves():
    act7 = [hrr({"hrr": 31}), hrr(27), hrr({"hrr": 0}), hrr(None)]
    act28 = act7 + [hrr({"hrr": 24}), hrr({"value": 25}), hrr(22.0)]
    block = build_hrrc(act7, act28)
    assert list(block) == [
        "mean_hrrc_7d",
        "mean_hrrc_28d",
        "qualifying_sessions_7d",
        "qualifying_sessions_28d",
        "trend",
        "note",
    ]
    # 7d: (31 + 27) / 2 = 29.0; 28d: 129 / 5 = 25.8; 10 × (290 − 258) = 320 > 258 → improving
    assert block["mean_hrrc_7d"] == 29.0
    assert block["mean_hrrc_28d"] == 25.8
    assert (block["qualifying_sessions_7d"], block["qualifying_sessions_28d"]) == (2, 5)
    assert block["trend"] == "improving"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"hrr": 31}, 31.0),
        ({"value": 25, "hrr": 40}, 25.0),  # value wins when non-null
        ({"value": None, "hrr": 40}, 40.0),
        (27, 27.0),
        ({"hrr": 0}, None),
        (-3, None),
        (True, None),  # Decision 14.3: booleans rejected
        ({"hrr": True}, None),
        ("30", None),
        (None, None),
    ],
)
def test_hrrc_extraction(raw, expected):
    assert hrrc_value(hrr(raw)) == expected


def test_hrrc_window_minimums_one_in_7d_three_in_28d():
    block = build_hrrc([hrr(30)], [hrr(30), hrr(20)])
    assert block["mean_hrrc_7d"] == 30.0
    assert block["mean_hrrc_28d"] is None and block["trend"] is None
    block = build_hrrc([], [hrr(30), hrr(20), hrr(25)])
    assert block["mean_hrrc_7d"] is None and block["mean_hrrc_28d"] == 25.0


@pytest.mark.parametrize(
    ("m7", "m28", "expected"),
    [
        (27.5, 25.0, "stable"),  # exactly +10 %: 10 × 25 = 250, not > 250
        (27.6, 25.0, "improving"),
        (
            28.6,
            26.0,
            "stable",
        ),  # original's float division says improving; integer tenths: 260 = 260
        (22.5, 25.0, "stable"),  # exactly −10 %
        (22.4, 25.0, "declining"),
        (22.4, None, None),
        (22.4, 0.0, None),  # mean_28d ≤ 0 → no trend
    ],
)
def test_hrrc_trend_compares_integer_tenths(m7, m28, expected):
    assert hrrc_trend(m7, m28) == expected
