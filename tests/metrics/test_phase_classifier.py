"""Phase classifier ladder, Build/Base scoring, hysteresis, confidence and totality
(docs/metrics.md, "Phase detection"), both sides of every threshold."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics.phase_factories import s1_of, s2_of

from s11sync.metrics.phase import PHASES, build_base_scores, classify, detect_phase

TODAY = date(2026, 1, 27)  # Tuesday


# -- classifier ladder ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prox", "cat", "delta", "sessions", "expected"),
    [
        (14, "RACE_A", 0.8, 3, ("Taper", "high", ["RACE_IMMINENT_VOLUME_REDUCING"])),
        (14, "RACE_A", 0.81, 3, ("Taper", "medium", ["RACE_IMMINENT"])),
        (14, "RACE_A", 0.5, 2, ("Taper", "medium", ["RACE_IMMINENT"])),  # not reliable
        (0, "RACE_B", None, 0, ("Taper", "medium", ["RACE_IMMINENT"])),
    ],
)
def test_taper_step(prox, cat, delta, sessions, expected):
    s2 = s2_of(
        race_proximity=prox, race_category=cat, planned_tss_delta=delta, next_7d_sessions=sessions
    )
    assert classify(s1_of(), s2, "good", None) == expected


@pytest.mark.parametrize(
    ("ctl", "slope", "prox", "delta", "is_peak"),
    [
        ([70, 71, 70.8], 0.4, 21, 0.81, True),
        ([70, 71, 70.8], 0.4, 22, 0.81, False),
        ([70, 71, 70.8], 0.4, 21, 0.80, False),  # reliable and reduced → no Peak
        ([70, 71], 0.4, 21, 0.81, False),  # needs 3 CTL values
        ([70, 80, 75.9], -0.5, 21, 0.81, False),  # 75.9 < 0.95 × 80 = 76
        ([70, 80, 76.0], -0.5, 21, 0.81, True),  # = 76 and slope −0.5 inclusive
        ([70, 80, 76.0], -0.51, 21, 0.81, False),
    ],
)
def test_peak_step(ctl, slope, prox, delta, is_peak):
    s1 = s1_of(ctl_values=ctl, ctl_slope=slope, hard_day_avg=2.0)
    s2 = s2_of(
        race_proximity=prox,
        race_category="RACE_A",
        planned_tss_delta=delta,
        next_7d_sessions=3,
        plan_coverage_current_week=0.5,
    )
    assert (classify(s1, s2, "good", None)[0] == "Peak") is is_peak


@pytest.mark.parametrize(
    ("slope", "hard", "weeks", "quality", "expected"),
    [
        (-1.01, 0.4, 3, "good", ("Recovery", "medium")),
        (-1.01, 0.4, 3, "poor", ("Recovery", "low")),
        (-1.0, 0.4, 3, "good", None),
        (-1.01, 0.5, 3, "good", None),
        (-1.01, 0.4, 2, "poor", None),
    ],
)
def test_early_recovery_step(slope, hard, weeks, quality, expected):
    s1 = s1_of(ctl_slope=slope, hard_day_avg=hard, weeks_available=weeks)
    result = classify(s1, s2_of(), quality, None)
    if expected is None:
        assert result[2] != ["DECLINING_LOAD_NO_HARD_DAYS"]
    else:
        assert result == (*expected, ["DECLINING_LOAD_NO_HARD_DAYS"])


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"hard_sessions_planned": 2}, ("Build", "medium")),
        ({"hard_sessions_planned": 1}, ("Build", "low")),
        (
            {"plan_coverage_current_week": 0.2, "planned_tss_delta": 0.5, "next_7d_sessions": 1},
            ("Build", "low"),
        ),  # not reliable
        (
            {"plan_coverage_current_week": 0.6, "planned_tss_delta": 0.81, "next_7d_sessions": 3},
            ("Build", "low"),
        ),
    ],
)
def test_after_deload_build_resumes(kw, expected):
    assert classify(s1_of(), s2_of(**kw), "good", "Deload")[:2] == expected


def test_after_deload_a_reliable_reduced_plan_does_not_resume():
    s2 = s2_of(plan_coverage_current_week=0.6, planned_tss_delta=0.8, next_7d_sessions=3)
    assert classify(s1_of(), s2, "good", "Deload")[2] not in (
        ["BUILD_RESUMING_AFTER_DELOAD"],
        ["BUILD_RESUMING_AFTER_DELOAD_TENTATIVE"],
    )


BUILD_HISTORY = dict(ctl_slope=1.2, hard_day_avg=2.0, weeks_available=4)


@pytest.mark.parametrize(
    ("kw", "deload"),
    [
        ({"planned_tss_delta": 0.8, "next_7d_sessions": 3}, True),  # path A
        ({"planned_tss_delta": 0.81, "next_7d_sessions": 3}, False),
        ({"planned_tss_delta": 0.8, "next_7d_sessions": 3, "hard_sessions_planned": 1}, True),
        ({"planned_tss_delta": 0.8, "next_7d_sessions": 3, "hard_sessions_planned": 2}, False),
        ({"planned_tss_delta": None, "next_7d_sessions": 1}, True),  # path B
        ({"planned_tss_delta": None, "next_7d_sessions": 2, "hard_sessions_planned": 1}, False),
    ],
)
def test_deload_paths_a_and_b(kw, deload):
    result = classify(s1_of(**BUILD_HISTORY), s2_of(**kw), "good", "Build")
    assert (result[0] == "Deload") is deload


@pytest.mark.parametrize(
    ("slope", "hard", "deload"), [(1.01, 2.0, True), (1.0, 2.0, False), (1.2, 1.9, False)]
)
def test_deload_path_b_needs_slope_above_1_and_two_hard_days(slope, hard, deload):
    s1 = s1_of(ctl_slope=slope, hard_day_avg=hard, weeks_available=4)
    result = classify(s1, s2_of(next_7d_sessions=1), "good", "Build")
    assert (result[0] == "Deload") is deload


@pytest.mark.parametrize(
    ("tss", "hard", "weeks", "deload"),
    [
        ([450, 470, 500, 300], [2, 2, 2, 2], 4, True),
        ([400, 400, 400, 320], [2, 2, 2, 0], 4, True),  # 320/400 = 0.80 inclusive
        ([400, 400, 400, 321], [2, 2, 2, 0], 4, False),
        ([400, 400, 400, 300], [2, 1, 1, 0], 4, False),  # h3 = 1.33 < 1.5
        ([400, 400, 400, 300], [1.5, 1.5, 1.5, 0], 4, True),  # h3 = 1.5 inclusive
        ([400, 400, 400, 300], [2, 2, 2, 0], 3, False),  # weeks < 4
        ([0, 0, 0, 0], [2, 2, 2, 0], 4, False),  # p3 = 0
        ([400, 400, 300], [2, 2, 2], 4, False),  # needs 4 rows
    ],
)
def test_deload_path_c(tss, hard, weeks, deload):
    s1 = s1_of(tss_values=tss, hard_day_values=hard, weeks_available=weeks, ctl_slope=None)
    result = classify(s1, s2_of(), "good", "Build")
    assert (result == ("Deload", "medium", ["PLAN_GAP_NEXT_WEEK"])) is deload


@pytest.mark.parametrize(
    ("next_delta", "coverage_next", "codes"),
    [
        (0.80, 0.0, ("high", ["BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED"])),
        (0.79, 0.29, ("medium", ["PLAN_GAP_NEXT_WEEK"])),
        (0.79, 0.3, ("medium", ["BUILD_HISTORY_REDUCED_LOAD"])),
        (None, 0.5, ("medium", ["BUILD_HISTORY_REDUCED_LOAD"])),
    ],
)
def test_deload_outcome_table(next_delta, coverage_next, codes):
    s2 = s2_of(
        planned_tss_delta=0.5,
        next_7d_sessions=3,
        next_week_tss_delta=next_delta,
        plan_coverage_next_week=coverage_next,
    )
    assert classify(s1_of(**BUILD_HISTORY), s2, "good", "Build") == ("Deload", *codes)


@pytest.mark.parametrize(
    ("slope", "hard_planned", "recovery"),
    [
        (-1.01, 1, True),
        (-1.0, 1, False),
        (-1.01, 2, False),
    ],
)
def test_low_load_without_build_history_recovery_step(slope, hard_planned, recovery):
    s1 = s1_of(ctl_slope=slope, hard_day_avg=1.0)
    s2 = s2_of(
        planned_tss_delta=0.5,
        next_7d_sessions=3,
        hard_sessions_planned=hard_planned,
        plan_coverage_current_week=0.5,
    )
    result = classify(s1, s2, "good", None)
    assert (result[2] == ["NO_BUILD_HISTORY_LOW_LOAD"]) is recovery


def test_insufficient_data_needs_poor_quality_and_fewer_than_two_weeks():
    assert classify(s1_of(weeks_available=1), s2_of(), "poor", None) == (
        None,
        "low",
        ["INSUFFICIENT_DATA"],
    )
    assert classify(s1_of(weeks_available=2), s2_of(), "poor", None)[2] != ["INSUFFICIENT_DATA"]


# -- scoring, hysteresis, confidence --------------------------------------------------------------


@pytest.mark.parametrize(
    ("slope", "points"),
    [
        (2.01, (3, 0)),
        (2.0, (2, 0)),
        (1.01, (2, 0)),
        (1.0, (1, 0)),
        (0.01, (1, 0)),
        (0.0, (0, 2)),
        (-1.0, (0, 2)),
        (-1.01, (0, 0)),
        (None, (0, 0)),
    ],
)
def test_slope_points(slope, points):
    assert build_base_scores(s1_of(ctl_slope=slope), s2_of()) == points


@pytest.mark.parametrize(
    ("hard", "points"),
    [
        (2.5, (2, 0)),
        (2.4, (1, 0)),
        (1.5, (1, 0)),
        (1.4, (0, 1)),
        (1.1, (0, 1)),
        (1.0, (0, 2)),
        (None, (0, 0)),
    ],
)
def test_hard_day_points(hard, points):
    assert build_base_scores(s1_of(hard_day_avg=hard), s2_of()) == points


@pytest.mark.parametrize(
    ("trend", "points"),
    [("rising", (1, 0)), ("stable", (0, 1)), ("falling", (0, 1)), (None, (0, 0))],
)
def test_acwr_trend_points(trend, points):
    assert build_base_scores(s1_of(acwr_trend=trend), s2_of()) == points


@pytest.mark.parametrize(
    ("sessions", "total", "points"),
    [
        (3, 2, (1, 0)),
        (3, 1, (0, 1)),
        (2, 5, (0, 0)),
    ],
)
def test_current_week_intent_points_need_three_planned_sessions(sessions, total, points):
    s2 = s2_of(next_7d_sessions=sessions, current_week_hard_days_total=total)
    assert build_base_scores(s1_of(), s2) == points


def _scored(build_slope, base_hard, previous, quality="good", coverage=0.5):
    """Scoring-branch result for a chosen margin (slope gives build points, hard-day avg base)."""
    s1 = s1_of(ctl_slope=build_slope, hard_day_avg=base_hard)
    s2 = s2_of(plan_coverage_current_week=coverage)
    return classify(s1, s2, quality, previous)


@pytest.mark.parametrize(
    ("slope", "hard", "previous", "phase"),
    [
        (1.5, 1.2, None, "Build"),  # 2 − 1 = +1
        (1.5, 1.2, "Base", "Base"),  # +1 keeps Base
        (1.5, 1.2, "Taper", "Build"),  # only Build/Base count for hysteresis
        (0.5, 0.9, "Build", "Build"),  # 1 − 2 = −1 keeps Build
        (0.5, 0.9, None, "Base"),
        (1.5, 0.9, None, None),  # 2 − 2 = 0
        (2.5, 1.2, "Base", "Build"),  # 3 − 1 = +2
        (0.5, 1.0, "Build", "Build"),  # 1 − 2 = −1 → previous Build kept
        (0.0, 1.0, "Build", "Base"),  # 0 − 4 = −4
    ],
)
def test_margin_table_and_hysteresis(slope, hard, previous, phase):
    assert _scored(slope, hard, previous)[0] == phase


@pytest.mark.parametrize(
    ("slope", "hard", "quality", "confidence"),
    [
        (2.5, 1.4, "good", "medium"),  # 3 − 1 = 2
        (2.5, 2.5, "good", "high"),  # 5 − 0
        (2.5, 2.5, "mixed", "medium"),
        (2.5, 2.5, "poor", "low"),  # |5| but not good → medium, then poor → low
        (1.5, 1.2, "mixed", "low"),  # |1|, not good
        (1.5, 1.2, "poor", "low"),
        (2.5, 1.4, "poor", "low"),  # medium → low
    ],
)
def test_confidence_rules(slope, hard, quality, confidence):
    assert _scored(slope, hard, None, quality)[1] == confidence


def test_no_transition_code_after_overreached_and_no_plan_code_with_coverage():
    phase, _, codes = _scored(2.5, 2.5, "Overreached")
    assert phase == "Build" and codes == []
    assert _scored(2.5, 2.5, "Base", coverage=0.0)[2] == [
        "PHASE_TRANSITION_Base_TO_Build",
        "NO_PLANNED_WORKOUTS",
    ]
    assert _scored(2.5, 2.5, None, coverage=0.0)[1] == "medium"


# -- totality -------------------------------------------------------------------------------------

num = st.one_of(st.none(), st.integers(-50, 1000), st.floats(-50, 1000, allow_nan=False))
row_st = st.fixed_dictionaries(
    {
        "week_start": st.sampled_from(["2026-01-05", "2026-01-12", "bad", "2026-01-19"]),
        "total_tss": num,
        "primary_sport_tss": num,
        "hard_days": st.one_of(st.none(), st.integers(0, 7)),
        "activity_count": st.one_of(st.none(), st.integers(0, 20)),
        "ctl_end": num,
        "acwr": num,
        "monotony": num,
        "phase_detected": st.sampled_from([None, *PHASES, "junk"]),
        "intensity_basis_breakdown": st.one_of(
            st.none(), st.fixed_dictionaries({"power": st.integers(0, 3), "hr": st.integers(0, 3)})
        ),
    }
)
plan_st = st.fixed_dictionaries(
    {
        "date": st.sampled_from(
            ["2026-01-27", "2026-01-31", "2026-02-04", "2026-03-01", None, "x"]
        ),
        "type": st.sampled_from(["WORKOUT", "RACE_A", "NOTE", None]),
        "sport_type": st.sampled_from(["Ride", "Run", None]),
        "planned_tss": num,
        "workout_summary": st.one_of(st.none(), st.text(max_size=8)),
        "name": st.one_of(st.none(), st.text(max_size=12)),
    }
)
race_st = st.one_of(
    st.none(),
    st.builds(
        lambda d, c: {
            "next_race": {"days_until": d, "category": c},
            "all_races": [{"days_until": d, "category": c}],
        },
        st.integers(0, 90),
        st.sampled_from(["RACE_A", "RACE_B", "RACE_C"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(row_st, max_size=6),
    plan=st.lists(plan_st, max_size=6),
    race=race_st,
    backfill=st.booleans(),
    wsd=st.integers(0, 6),
    primary=st.sampled_from([None, "cycling", "run"]),
)
def test_phase_detection_is_total_and_labels_stay_in_their_enums(
    rows, plan, race, backfill, wsd, primary
):
    d = detect_phase(
        rows,
        today=TODAY,
        week_start_day=wsd,
        planned_workouts=plan,
        race_calendar=race,
        primary_sport=primary,
        backfill=backfill,
    )
    assert d["phase"] in (None, *PHASES)
    assert d["confidence"] in ("high", "medium", "low")
    assert d["basis"]["data_quality"] in ("good", "mixed", "poor")
    assert d["previous_phase"] in (None, *PHASES)
    assert d["basis"]["stream_agreement"] in (None, True, False)
    assert (d["phase_duration_weeks"] == 0) is (d["phase"] is None)
