"""Phase detection features and stream tables, both sides of every threshold
(docs/metrics.md, "Phase detection")."""

from datetime import date

import pytest
from metrics.phase_factories import s1_of, s2_of

from s11sync.metrics.phase_features import (
    data_quality,
    is_hard_session,
    ls_slope,
    stream1_features,
    stream1_suggestion,
    stream2_features,
    stream2_suggestion,
)

TODAY = date(2026, 1, 27)  # Tuesday


def row(
    ws="2026-01-05",
    tss=400,
    hard=2,
    count=6,
    ctl=None,
    acwr=None,
    mono=None,
    phase=None,
    breakdown=None,
):
    return {
        "week_start": ws,
        "total_tss": tss,
        "primary_sport_tss": tss,
        "primary_sport": "cycling",
        "hard_days": hard,
        "activity_count": count,
        "ctl_end": ctl,
        "acwr": acwr,
        "monotony": mono,
        "phase_detected": phase,
        "intensity_basis_breakdown": breakdown,
    }


# -- stream 1 features ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "trend"),
    [
        (1.0, 1.1, "stable"),
        (1.2, 1.3, "stable"),  # exactly +0.1 (also with float noise)
        (1.0, 1.11, "rising"),
        (1.1, 1.0, "stable"),
        (1.3, 1.2, "stable"),
        (1.11, 1.0, "falling"),
    ],
)
def test_acwr_trend_bands(first, last, trend):
    rows = [row(acwr=first), row(acwr=None), row(acwr=last), row()]
    assert stream1_features(rows, backfill=False)["acwr_trend"] == trend


def test_acwr_trend_needs_two_values():
    assert stream1_features([row(acwr=1.0), row(), row(), row()], False)["acwr_trend"] is None


@pytest.mark.parametrize(("last", "trend"), [(2.5, "normal"), (2.51, "elevated")])
def test_monotony_trend_reads_the_last_non_null_value(last, trend):
    rows = [row(mono=1.0), row(mono=last), row(mono=None), row(mono=9.9)]  # current row excluded
    assert stream1_features(rows, False)["monotony_trend"] == trend


def test_live_stream1_excludes_the_in_progress_row_and_backfill_includes_it():
    rows = [row(ctl=50), row(ctl=51), row(ctl=52), row(ctl=80)]
    assert stream1_features(rows, backfill=False)["ctl_slope"] == 1.0
    # x 0..3, y 50, 51, 52, 80 (mean 58.25): Σ(x−1.5)(y−58.25) = 12.375 + 3.625 − 3.125 + 32.625
    # = 45.5; Σ(x−1.5)² = 5 → 9.1
    assert stream1_features(rows, backfill=True)["ctl_slope"] == 9.1


def test_ctl_slope_uses_real_week_offsets_across_a_gap_d3():
    # x = 0 and 2 (the middle week has no CTL): (54 − 50)/2 = 2.0, not 4.0
    assert stream1_features([row(ctl=50), row(), row(ctl=54), row()], False)["ctl_slope"] == 2.0
    assert ls_slope([(0, 50)]) is None


@pytest.mark.parametrize(
    ("mono", "acwr", "trend_rows", "expected"),
    [
        ("elevated", 1.5, None, "Overreached"),
        ("elevated", 1.49, None, None),
        ("elevated", 1.3, "rising", "Overreached"),
        ("elevated", 1.29, "rising", None),
        ("elevated", 1.4, "stable", None),
        ("normal", 2.0, "rising", None),
    ],
)
def test_stream1_overreached_rules(mono, acwr, trend_rows, expected):
    s1 = s1_of(monotony_trend=mono, last_acwr=acwr, acwr_trend=trend_rows)
    assert stream1_suggestion(s1) == expected


@pytest.mark.parametrize(
    ("slope", "hard", "expected"),
    [
        (1.01, 1.5, "Build"),
        (1.01, 1.4, None),
        (1.0, 1.5, "Base"),
        (1.0, 1.6, None),
        (-1.0, 1.5, "Base"),
        (-1.01, 1.0, None),
        (None, 3.0, None),
    ],
)
def test_stream1_build_and_base_rules(slope, hard, expected):
    assert stream1_suggestion(s1_of(ctl_slope=slope, hard_day_avg=hard)) == expected


# -- stream 2 -------------------------------------------------------------------------------------


def pw(day, tss=50, name="Endurance", category="WORKOUT", sport="Ride", summary=None):
    return {
        "date": day,
        "type": category,
        "sport_type": sport,
        "planned_tss": tss,
        "workout_summary": summary,
        "name": name,
    }


ROWS = [row(ws, 420) for ws in ("2026-01-05", "2026-01-12", "2026-01-19")] + [
    row("2026-01-26", 50, hard=1, count=1)
]


def s2(plan, week_start_day=0, calendar=None, rows=ROWS, primary="cycling"):
    return stream2_features(
        rows, stream1_features(rows, False), TODAY, week_start_day, plan, calendar, primary
    )


def test_without_planned_workouts_stream2_keeps_defaults_but_reports_completed_hard_days_d9():
    f = s2([])
    assert f["planned_tss_delta"] is None and f["next_7d_sessions"] == 0
    assert f["current_week_hard_days_completed"] == 1
    assert f["current_week_hard_days_total"] == 1


def test_only_non_training_entries_give_zero_coverage_not_defaults():
    f = s2([pw("2026-01-28", category="NOTE")])
    assert f["plan_coverage_current_week"] == 0.0
    assert f["next_7d_sessions"] == 0


@pytest.mark.parametrize(
    ("week_start_day", "current_days"),
    [
        (0, 6),  # Monday start: Tue … Sun
        (1, 7),  # Tuesday start: today starts a new week, Tue … Mon
        (2, 1),  # Wednesday start: only today remains
    ],
)
def test_week_windows_follow_the_week_start_day(week_start_day, current_days):
    plan = [
        pw(f"2026-01-{27 + k:02d}" if 27 + k <= 31 else f"2026-02-{27 + k - 31:02d}", 70)
        for k in range(14)
    ]
    f = s2(plan, week_start_day)
    assert f["next_7d_sessions"] == current_days
    # every day planned 70: 70 × n × 7 / n / 420 = 1.17
    assert f["planned_tss_delta"] == 1.17
    assert f["next_week_tss_delta"] == round(70 * 7 / 420, 2)


def test_expected_sessions_default_to_5_and_never_drop_below_1():
    no_counts = [dict(r, activity_count=None) for r in ROWS]
    assert s2([pw("2026-01-28")], rows=no_counts)["plan_coverage_current_week"] == 0.2  # 1/5
    zero = [dict(r, activity_count=0) for r in ROWS]
    assert s2([pw("2026-01-28")], rows=zero)["plan_coverage_current_week"] == 1.0  # 1/max(1,0)


def test_primary_filter_applies_to_planned_tss_only_when_primary_has_load():
    plan = [pw("2026-01-28", 100, sport="Run"), pw("2026-01-29", 100)]
    assert s2(plan)["planned_tss_delta"] == round(100 * 7 / 6 / 420, 2)  # run excluded
    no_primary = [dict(r, primary_sport_tss=0) for r in ROWS]
    assert s2(plan, rows=no_primary)["planned_tss_delta"] == round(200 * 7 / 6 / 420, 2)
    assert s2(plan, primary=None)["planned_tss_delta"] == round(200 * 7 / 6 / 420, 2)


def test_zero_planned_tss_gives_no_delta():
    assert s2([pw("2026-01-28", None)])["planned_tss_delta"] is None


def test_d1_race_fields_come_from_the_nearest_a_or_b_race_even_without_a_plan():
    c = {"category": "RACE_C", "days_until": 3}
    b = {"category": "RACE_B", "days_until": 9}
    f = s2([], calendar={"next_race": c, "all_races": [c, b]})
    assert (f["race_proximity"], f["race_category"]) == (9, "RACE_B")


@pytest.mark.parametrize(
    ("workout", "hard"),
    [
        (pw("x", name="Orchard loop"), True),
        (pw("x", name="Endurance", summary="4\u00d78min @ 105%"), True),
        (pw("x", name="Endurance", summary="3 SETS of drills"), True),
        (pw("x", name="Club ride", category="RACE_C"), True),
        (pw("x", name="Sweet Spot"), True),
        (pw("x", name="Endurance", summary="4x8min"), False),
        (pw("x", name=None), False),
    ],
)
def test_hard_planned_session_heuristic(workout, hard):
    assert is_hard_session(workout) is hard


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"race_proximity": 14, "race_category": "RACE_B"}, "Taper"),
        ({"race_proximity": 15, "race_category": "RACE_A", "planned_tss_delta": 0.81}, "Peak"),
        (
            {
                "race_proximity": 21,
                "race_category": "RACE_A",
                "planned_tss_delta": 0.80,
                "plan_coverage_next_week": 0.5,
            },
            "Deload",
        ),
        ({"race_proximity": 22, "race_category": "RACE_A", "planned_tss_delta": 0.9}, None),
        ({"race_proximity": 5, "race_category": "RACE_C"}, None),
        ({"planned_tss_delta": 0.8, "next_week_tss_delta": 0.85}, "Deload"),
        (
            {
                "planned_tss_delta": 0.8,
                "next_week_tss_delta": 0.84,
                "plan_coverage_next_week": 0.29,
            },
            None,
        ),
        ({"planned_tss_delta": 0.8, "plan_coverage_next_week": 0.3}, "Deload"),
        ({"planned_tss_delta": 0.81}, None),
    ],
)
def test_stream2_suggestion_table(kw, expected):
    assert stream2_suggestion(s2_of(**kw)) == expected


# -- data quality ---------------------------------------------------------------------------------

HR = {"power": 0, "hr": 2}
PW = {"power": 1, "hr": 0}


@pytest.mark.parametrize(
    ("breakdowns", "pref", "codes", "quality"),
    [
        ([HR, HR, HR, PW], {}, ["HR_ONLY_MAJORITY"], "mixed"),
        ([HR, HR, PW, PW], {}, [], "good"),  # exactly half is not a majority
        ([HR, HR, HR, PW], {"run": "hr"}, [], "good"),  # the athlete chose HR zones
        ([None, HR, HR, HR, PW], {}, ["HR_ONLY_MAJORITY"], "mixed"),  # only the last 4 rows count
    ],
)
def test_hr_only_majority(breakdowns, pref, codes, quality):
    rows = [row(breakdown=b) for b in breakdowns]
    assert data_quality(rows, len(rows), pref) == (quality, codes)


def test_short_lookback_is_poor_and_stays_poor_with_hr_only():
    assert data_quality([row(breakdown=HR), row(breakdown=HR)], 2, {}) == (
        "poor",
        ["INSUFFICIENT_LOOKBACK", "HR_ONLY_MAJORITY"],
    )
    assert data_quality([row()] * 3, 3, {}) == ("good", [])
