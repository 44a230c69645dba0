"""Phase detection worked scenarios PH-1 … PH-13 (docs/metrics.md, "Phase detection").

Common setup: today 2026-01-27 (Tuesday), Monday week start, primary sport cycling; the 4th row is
the in-progress week (01-26). Planned workouts are WORKOUT/Ride entries with no summary.
"""

from datetime import date

import pytest

from s11sync.metrics.phase import backfill_phase, backfill_phase_detection, detect_phase

TODAY = date(2026, 1, 27)
WEEKS = ("2026-01-05", "2026-01-12", "2026-01-19")


def row(ws, tss=400, hard=2, count=6, ctl=None, acwr=None, mono=None, phase=None):
    return {
        "week_start": ws,
        "total_tss": tss,
        "primary_sport_tss": tss,
        "primary_sport": "cycling",
        "hard_days": hard,
        "activity_count": count,
        "ctl_end": ctl,
        "atl_end": None,
        "acwr": acwr,
        "monotony": mono,
        "phase_detected": phase,
    }


def rows3(
    ctl=(None,) * 3,
    tss=(400,) * 3,
    hard=(2,) * 3,
    acwr=(None,) * 3,
    phases=(None,) * 3,
    current=None,
):
    done = [
        row(ws, tss=t, hard=h, ctl=c, acwr=a, phase=p)
        for ws, t, h, c, a, p in zip(WEEKS, tss, hard, ctl, acwr, phases, strict=True)
    ]
    return done + [current or row("2026-01-26", tss=50, hard=0, count=1)]


def pw(day, tss, name="Endurance", category="WORKOUT"):
    return {
        "date": day,
        "type": category,
        "sport_type": "Ride",
        "planned_tss": tss,
        "workout_summary": None,
        "name": name,
    }


def race(days, category="RACE_A"):
    entry = {"name": "R", "category": category, "days_until": days}
    return {"next_race": entry, "all_races": [entry]}


def detect(rows, plan=None, calendar=None):
    return detect_phase(
        rows,
        today=TODAY,
        week_start_day=0,
        planned_workouts=plan or [],
        race_calendar=calendar,
        primary_sport="cycling",
    )


def test_ph1_backfill_with_one_row_is_insufficient_data():
    detections = backfill_phase_detection(
        [row("2026-01-19", 400, 2, 6)], last_row_in_progress=False
    )
    d = detections[0]
    assert (d["phase"], d["confidence"]) == (None, "low")
    assert d["reason_codes"] == ["INSUFFICIENT_LOOKBACK", "INSUFFICIENT_DATA"]
    assert d["basis"]["data_quality"] == "poor"
    assert d["phase_duration_weeks"] == 0


def test_ph2_elevated_monotony_with_high_acwr_is_overreached():
    rows = [
        row("2026-01-05", 400, 2, 6, 60, 1.1, 1.5, "Build"),
        row("2026-01-12", 420, 2, 6, 62, 1.2, 2.0, "Build"),
        row("2026-01-19", 700, 4, 7, 66, 1.55, 2.6, "Build"),
        row("2026-01-26", 100, 1, 2),
    ]
    d = detect(rows)
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Overreached",
        "high",
        ["SAFETY_ACWR_OR_MONOTONY"],
    )
    # slope: y 60, 62, 66 over x 0..2 → Σ(x−1)(y−62.67) = 6 / 2 = 3.0; hard 8/3 = 2.7
    assert d["basis"]["stream_1"] == {
        "ctl_slope": 3.0,
        "acwr_trend": "rising",
        "hard_day_pattern": 2.7,
        "weeks_available": 4,
    }


PH3_ROWS = dict(ctl=(60, 62, 64), tss=(400, 420, 430), hard=(2, 2, 2), phases=("Build",) * 3)
PH3_PLAN = [pw("2026-01-27", 40), pw("2026-01-29", 50), pw("2026-01-31", 60)]


def test_ph3_a_race_in_10_days_with_reduced_volume_is_a_confident_taper():
    d = detect(rows3(**PH3_ROWS), PH3_PLAN, race(10))
    # 150 TSS × 7 / 6 days left / 416.67 avg = 0.42; 3 sessions / 6 expected = 0.5
    assert d["basis"]["stream_2"]["planned_tss_delta"] == 0.42
    assert d["basis"]["stream_2"]["plan_coverage_current_week"] == 0.5
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Taper",
        "high",
        ["RACE_IMMINENT_VOLUME_REDUCING"],
    )
    assert d["basis"]["stream_agreement"] is False  # S1 Build vs S2 Taper


def test_ph3b_a_c_race_alone_never_tapers():
    d = detect(rows3(**PH3_ROWS), PH3_PLAN, race(5, "RACE_C"))
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Deload",
        "medium",
        ["PLAN_GAP_NEXT_WEEK"],
    )
    assert d["basis"]["stream_2"]["race_proximity"] == 5


def test_ph3b_d1_a_c_race_does_not_hide_the_a_race_behind_it():
    c = {"name": "C", "category": "RACE_C", "days_until": 5}
    a = {"name": "A", "category": "RACE_A", "days_until": 10}
    d = detect(rows3(**PH3_ROWS), PH3_PLAN, {"next_race": c, "all_races": [c, a]})
    assert d["phase"] == "Taper"
    assert d["basis"]["stream_2"]["race_proximity"] == 10  # the value actually used


def test_ph4_a_race_in_18_days_with_ctl_at_its_high_is_peak():
    rows = rows3(ctl=(70, 71, 70.8), tss=(400, 420, 430), hard=(2, 2, 2))
    plan = [pw("2026-01-27", 100), pw("2026-01-29", 120), pw("2026-01-31", 150)]
    d = detect(rows, plan, race(18))
    # slope: y 70, 71, 70.8 → Σ(x−1)(y−70.6) = 0.8 / 2 = 0.4; 370×7/6/416.67 = 1.036 → 1.04
    assert d["basis"]["stream_1"]["ctl_slope"] == 0.4
    assert d["basis"]["stream_2"]["planned_tss_delta"] == 1.04
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Peak",
        "medium",
        ["RACE_APPROACHING_CTL_HIGH"],
    )


def test_ph5_falling_ctl_without_hard_days_is_early_recovery():
    d = detect(rows3(ctl=(60, 57, 54), tss=(300, 200, 100), hard=(0, 0, 1)))
    assert d["basis"]["stream_1"]["ctl_slope"] == -3.0
    assert d["basis"]["stream_1"]["hard_day_pattern"] == 0.3  # 1/3
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Recovery",
        "medium",
        ["DECLINING_LOAD_NO_HARD_DAYS"],
    )


PH6_ROWS = dict(
    ctl=(60, 63, 61), hard=(2, 3, 1), tss=(450, 470, 250), phases=("Build", "Build", "Deload")
)


def test_ph6_two_hard_sessions_after_a_deload_resume_build():
    plan = [
        pw("2026-01-28", 90, "VO2 intervals"),
        pw("2026-01-30", 80, "Threshold 3x12"),
        pw("2026-02-01", 120, "Endurance"),
    ]
    d = detect(rows3(**PH6_ROWS), plan)
    assert d["previous_phase"] == "Deload"
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Build",
        "medium",
        ["BUILD_RESUMING_AFTER_DELOAD"],
    )
    assert d["phase_duration_weeks"] == 1


def test_ph6_one_hard_session_after_a_deload_is_a_tentative_build():
    plan = [
        pw("2026-01-28", 90, "Tempo"),
        pw("2026-01-30", 80, "Endurance"),
        pw("2026-02-01", 120, "Endurance"),
    ]
    d = detect(rows3(**PH6_ROWS), plan)
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Build",
        "low",
        ["BUILD_RESUMING_AFTER_DELOAD_TENTATIVE"],
    )


def test_ph7_reduced_week_after_build_with_rebound_is_a_confirmed_deload():
    rows = rows3(ctl=(60, 62, 64), hard=(2, 2, 3), tss=(450, 470, 500), phases=("Build",) * 3)
    plan = [
        pw("2026-01-27", 40),
        pw("2026-01-29", 50),
        pw("2026-01-31", 60),
        pw("2026-02-03", 120),
        pw("2026-02-05", 150),
        pw("2026-02-07", 200),
    ]
    d = detect(rows, plan)
    # 150×7/6/473.33 = 0.37; next week 470/473.33 = 0.99
    assert d["basis"]["stream_2"]["planned_tss_delta"] == 0.37
    assert d["basis"]["stream_2"]["next_week_load"] == 0.99
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Deload",
        "high",
        ["BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED"],
    )
    assert d["phase_duration_weeks"] == 1


PH8 = dict(ctl=(60, 60.5, 61), hard=(1, 1, 2), acwr=(1.0, 1.02, 1.05))


def test_ph8_hysteresis_keeps_build_on_a_margin_of_minus_one():
    d = detect(rows3(**PH8, phases=("Build",) * 3))
    # build 1 (slope 0.5); base 1 (hard 1.3) + 1 (acwr stable) → margin −1
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Build",
        "medium",
        ["NO_PLANNED_WORKOUTS"],
    )
    assert d["phase_duration_weeks"] == 4


def test_ph8_without_a_previous_phase_margin_minus_one_is_base():
    d = detect(rows3(**PH8))
    assert (d["phase"], d["confidence"]) == ("Base", "medium")
    assert d["phase_duration_weeks"] == 1
    assert d["previous_phase"] is None


PH9_PLAN = [
    pw("2026-01-28", 60, "VO2 5x4"),
    pw("2026-01-30", 50, "Sweet Spot 3x15"),
    pw("2026-02-01", 100, "Endurance"),
]


def test_ph9_tie_without_previous_phase_is_ambiguous():
    d = detect(rows3(**PH8), PH9_PLAN)
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        None,
        "low",
        ["BUILD_BASE_AMBIGUOUS"],
    )
    assert d["phase_duration_weeks"] == 0


def test_ph9_tie_keeps_a_previous_base():
    d = detect(rows3(**PH8, phases=("Base",) * 3), PH9_PLAN)
    assert (d["phase"], d["confidence"], d["reason_codes"]) == ("Base", "medium", [])


def test_ph10_flat_easy_weeks_after_build_transition_to_base():
    rows = rows3(ctl=(50, 50, 50), hard=(1, 1, 0), acwr=(1.0, 1.0, 1.0), phases=("Build",) * 3)
    d = detect(rows)
    # base 2 (slope 0) + 2 (hard 0.7) + 1 (stable) = 5 → high, downgraded by no plan
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Base",
        "medium",
        ["PHASE_TRANSITION_Build_TO_Base", "NO_PLANNED_WORKOUTS"],
    )
    plan = [pw("2026-01-28", 40), pw("2026-01-30", 40), pw("2026-02-01", 40)]
    d = detect(rows, plan)
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Base",
        "high",
        ["PHASE_TRANSITION_Build_TO_Base"],
    )


def test_ph11_falling_ctl_and_a_light_plan_without_build_history_is_recovery():
    rows = rows3(ctl=(60, 58.5, 57), hard=(1, 1, 1), tss=(400, 350, 300))
    plan = [pw("2026-01-28", 30), pw("2026-01-30", 30), pw("2026-02-01", 30)]
    d = detect(rows, plan)
    # slope −1.5; 90×7/6/350 = 0.30 with 3 sessions → reliable
    assert d["basis"]["stream_1"]["ctl_slope"] == -1.5
    assert d["basis"]["stream_2"]["planned_tss_delta"] == 0.3
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Recovery",
        "medium",
        ["NO_BUILD_HISTORY_LOW_LOAD"],
    )


def test_ph12_backfill_path_c_low_target_week_after_build_is_deload():
    window = [
        row("2025-12-29", 450, 2, ctl=58),
        row("2026-01-05", 470, 2, ctl=60),
        row("2026-01-12", 500, 2, ctl=62),
        row("2026-01-19", 300, 2, ctl=61),
    ]
    detections = backfill_phase_detection(window, last_row_in_progress=False)
    # 300 / mean(450, 470, 500) = 300 / 473.3 = 0.63 ≤ 0.80
    last = detections[-1]
    assert (last["phase"], last["confidence"], last["reason_codes"]) == (
        "Deload",
        "medium",
        ["PLAN_GAP_NEXT_WEEK"],
    )
    assert last["previous_phase"] == detections[-2]["phase"]


def test_ph13_no_history_rows_score_on_hard_days_alone():
    d = detect(rows3(hard=(2, 2, 3)))
    assert d["basis"]["stream_1"]["ctl_slope"] is None
    assert d["basis"]["stream_1"]["hard_day_pattern"] == 2.3
    assert (d["phase"], d["confidence"], d["reason_codes"]) == (
        "Build",
        "medium",
        ["NO_PLANNED_WORKOUTS"],
    )


def test_output_key_order():
    d = detect(rows3(hard=(2, 2, 3)))
    assert list(d) == [
        "phase",
        "confidence",
        "reason_codes",
        "basis",
        "previous_phase",
        "phase_duration_weeks",
        "dossier_declared",
        "dossier_agreement",
    ]
    assert list(d["basis"]) == ["stream_1", "stream_2", "data_quality", "stream_agreement"]
    assert list(d["basis"]["stream_2"]) == [
        "planned_tss_delta",
        "hard_sessions_planned",
        "current_week_hard_days_completed",
        "current_week_hard_days_total",
        "race_proximity",
        "next_week_load",
        "plan_coverage_current_week",
        "plan_coverage_next_week",
    ]
    assert d["dossier_declared"] is None and d["dossier_agreement"] is None


def test_backfill_returns_one_label_per_row_and_none_for_the_in_progress_week():
    rows = [
        row(ws, 400, 2, ctl=c)
        for ws, c in (
            ("2025-12-22", 50),
            ("2025-12-29", 52),
            ("2026-01-05", 54),
            ("2026-01-12", 56),
            ("2026-01-19", 58),
        )
    ]
    phases = backfill_phase(rows)
    assert len(phases) == 5
    assert phases[0] is None  # INSUFFICIENT_DATA on a 1-row window
    assert phases[-1] is None  # in-progress
    # row 2 (3-row window): slope 2.0 → +2 build, hard 2 → +1 build; no acwr → Build
    assert phases[2] == "Build"


@pytest.mark.parametrize("stale", ["Deload", "Overreached"])
def test_backfill_ignores_stale_phases_on_the_input_rows(stale):
    rows = [
        row(ws, 400, 2, ctl=c, phase=stale)
        for ws, c in (("2025-12-29", 52), ("2026-01-05", 54), ("2026-01-12", 56))
    ]
    assert backfill_phase(rows, last_row_in_progress=False) == backfill_phase(
        [dict(r, phase_detected=None) for r in rows], last_row_in_progress=False
    )


def test_backfill_of_no_rows_is_empty():
    assert backfill_phase([]) == []


def _hr_rows():
    hr_only = {"power": 0, "hr": 2}
    return [
        dict(row(ws, 400, 2, ctl=c), intensity_basis_breakdown=hr_only)
        for ws, c in (("2025-12-29", 50), ("2026-01-05", 51), ("2026-01-12", 52))
    ] + [dict(row("2026-01-19", 400, 2, ctl=53), intensity_basis_breakdown={"power": 2, "hr": 0})]


def test_backfill_flags_an_hr_only_majority_and_an_hr_preference_silences_it():
    # target week 01-19: 3 of 4 window rows are HR-only (> half) → HR_ONLY_MAJORITY, quality mixed
    last = backfill_phase_detection(_hr_rows(), last_row_in_progress=False)[-1]
    assert last["reason_codes"][0] == "HR_ONLY_MAJORITY"
    assert last["basis"]["data_quality"] == "mixed"
    # every scored backfill week has no plan → NO_PLANNED_WORKOUTS
    assert last["reason_codes"][-1] == "NO_PLANNED_WORKOUTS"
    silenced = backfill_phase_detection(
        _hr_rows(), zone_preference={"run": "hr"}, last_row_in_progress=False
    )[-1]
    assert "HR_ONLY_MAJORITY" not in silenced["reason_codes"]
    assert silenced["basis"]["data_quality"] == "good"
