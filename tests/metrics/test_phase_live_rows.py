"""Live weekly rows and their enrichment from every history week (docs/metrics.md, "Phase
detection"; docs/differences.md, "Decision layer")."""

from datetime import date

import pytest

from s11sync.metrics.load import weekly_monotony
from s11sync.metrics.phase_features import (
    enrich_live_rows,
    live_weekly_rows,
    week_start_of,
)

TODAY = date(2026, 1, 27)  # Tuesday


def act(day, load, sport="Ride", power=None):
    a = {"start_date_local": f"{day}T08:00:00", "icu_training_load": load, "type": sport}
    if power is not None:
        a["icu_zone_times"] = [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(power)]
    return a


@pytest.mark.parametrize(
    ("week_start_day", "expected"),
    [
        (0, "2026-01-26"),
        (1, "2026-01-27"),
        (2, "2026-01-21"),
        (6, "2026-01-25"),
    ],
)
def test_current_week_start_follows_the_setting(week_start_day, expected):
    assert week_start_of(TODAY, week_start_day).isoformat() == expected


def test_live_rows_sum_load_per_week_and_count_hard_days():
    acts = [
        act("2025-12-29", 100, power=[0, 0, 1800]),  # hard, but before the 4 rows (ws0 − 21)
        act("2026-01-05", 60, power=[0, 0, 1799]),  # row 1, not hard (1799 < 1800)
        act("2026-01-06", 40, "Run"),  # row 1, other family
        act("2026-01-18", 70),  # row 2 (its Sunday)
        act("2026-01-26", 30, power=[0, 0, 0, 600]),  # current, hard (z4+ = 600)
        act("2025-12-28", 999),  # before the 4 rows too
        {"source": "STRAVA", "start_date_local": "2026-01-26T07:00:00", "icu_training_load": 50},
    ]
    rows = live_weekly_rows(
        TODAY, 0, acts, "cycling", {}, {"ctl": 70.04, "atl": 0, "acwr": 1.1, "monotony": 1.4}
    )
    assert [r["week_start"] for r in rows] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
    ]
    assert [r["total_tss"] for r in rows] == [100, 70, 0, 30]  # 60 + 40; 01-18 is in 01-12 week
    assert [r["primary_sport_tss"] for r in rows] == [60, 70, 0, 30]
    assert [r["hard_days"] for r in rows] == [0, 0, 0, 1]
    assert [r["activity_count"] for r in rows] == [2, 1, 0, 1]  # the Strava stub is left out
    assert (rows[-1]["ctl_end"], rows[-1]["atl_end"]) == (70.0, None)  # atl 0 → null
    assert "ctl_end" not in rows[0]


def test_hard_day_in_first_live_week():
    rows = live_weekly_rows(TODAY, 0, [act("2026-01-05", 100, power=[0, 0, 1800])], "cycling", {})
    assert rows[0]["hard_days"] == 1


def test_no_primary_sport_gives_zero_primary_tss():
    rows = live_weekly_rows(TODAY, 0, [act("2026-01-26", 50)], None, {})
    assert rows[-1]["primary_sport_tss"] == 0
    assert rows[-1]["total_tss"] == 50


def _rows():
    return live_weekly_rows(TODAY, 0, [], "cycling", {})


def test_enrichment_copies_history_values_and_phase_even_when_null():
    rows = _rows()
    history = [
        {"week_start": "2025-11-03", "ctl_end": 1},  # older rows are indexed too (D-2a)
        {
            "week_start": "2026-01-05",
            "ctl_end": 60,
            "atl_end": 55,
            "acwr": 1.1,
            "monotony": 1.3,
            "phase_detected": "Build",
        },
        {
            "week_start": "2026-01-12",
            "ctl_end": 61,
            "atl_end": 56,
            "acwr": 1.0,
            "monotony": None,
            "phase_detected": None,
        },
        {"week_start": "2026-01-26", "ctl_end": 99, "phase_detected": "Peak"},  # current: ignored
    ]
    enrich_live_rows(rows, history, [], [], None)
    assert (rows[0]["ctl_end"], rows[0]["atl_end"], rows[0]["acwr"], rows[0]["monotony"]) == (
        60,
        55,
        1.1,
        1.3,
    )
    assert rows[0]["phase_detected"] == "Build"
    assert rows[1]["phase_detected"] is None
    assert rows[1]["monotony"] is None  # no activities to derive it from either
    assert rows[2]["ctl_end"] is None and rows[2]["acwr"] is None
    assert "phase_detected" not in rows[3] and rows[3]["ctl_end"] is None


def test_enrichment_derives_ctl_atl_from_wellness_and_monotony_from_activities_d2b():
    rows = _rows()
    wellness = [
        {"id": "2026-01-13", "ctl": 50.04, "atl": 40},
        {"id": "2026-01-15", "ctl": 51.26, "atl": 0},  # atl 0 is not truthy → skipped
        {"id": "2026-01-19", "ctl": 60},
    ]  # next week
    acts = [
        act("2026-01-12", 50),
        act("2026-01-13", 60),
        act("2026-01-15", 70),
        act("2026-01-16", 40),
        act("2026-01-18", 80),
    ]
    enrich_live_rows(rows, None, wellness, acts, None)
    assert (rows[1]["ctl_end"], rows[1]["atl_end"]) == (51.3, 40)
    # daily [50, 60, 0, 70, 40, 0, 80]: mean 42.857, sample sd 31.997 → 1.34 (monotony = mean /
    # sample sd)
    assert rows[1]["monotony"] == 1.34
    assert rows[1]["acwr"] is None  # acwr stays history-only


@pytest.mark.parametrize(
    ("daily", "expected"),
    [
        ([50, 60, 0, 70, 40, 0, 80], 1.34),
        ([50, 60, 0, 0, 0, 0, 0], None),  # only 2 days with load
        ([50, 60, 0, 70], None),  # only 4 elapsed days (in-progress week)
        ([50] * 7, None),  # sd 0
    ],
)
def test_weekly_monotony_definition(daily, expected):
    assert weekly_monotony(daily) == expected
