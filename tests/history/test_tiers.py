"""history.json rows: daily_90d, weekly_180d, monthly tiers (docs/files.md, "`history.json`";
worked examples H-1…H-5)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from s11sync.config import Settings
from s11sync.history.build import build_history
from s11sync.history.tiers import (
    Days,
    add_acwr,
    daily_row,
    dominant_phase,
    month_starts,
    monthly_row,
    week_grid,
    weekly_row,
)
from s11sync.metrics.phase import backfill_phase
from s11sync.units import athlete_units

NOW = datetime(2026, 1, 21, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 1, 21)  # a Wednesday


def act(day, kind, load=None, moving=None, **extra):
    return {
        "id": f"i{day}{kind}",
        "start_date_local": f"{day}T08:00:00",
        "type": kind,
        "icu_training_load": load,
        "moving_time": moving,
        **extra,
    }


def power(**secs):
    return [{"id": zone.upper(), "secs": value} for zone, value in secs.items()]


# The activities and wellness of worked examples H-1 / H-4.
H1_ACTS = [
    act(
        "2026-01-05",
        "Ride",
        100,
        7200,
        icu_zone_times=power(z1=1800, z2=3600, z3=1200, z4=600, ss=900),
        feel=3,
        icu_rpe=6,
        icu_variability_index=1.03,
        decoupling=4.2,
        icu_efficiency_factor=1.45,
    ),
    act("2026-01-07", "Run", 50, 3600, icu_hr_zone_times=[600, 2400, 300, 300, 0]),
    act("2026-01-09", "Rowing", 40, 2400),
    act(
        "2026-01-19",
        "VirtualRide",
        80,
        3600,
        icu_zone_times=power(z2=3000, z5=400),
        icu_hrr={"value": 28},
    ),
]
H1_WELL = [
    {
        "id": "2026-01-05",
        "ctl": 50.0,
        "atl": 55.0,
        "rampRate": 1.2,
        "hrv": 60,
        "restingHR": 50,
        "sleepSecs": 28800,
        "weight": 75.0,
    },
    {"id": "2026-01-11", "ctl": 51.5, "atl": 49.0, "hrv": 300, "restingHR": 52, "weight": 74.6},
    {"id": "2026-01-20", "ctl": 52.0, "atl": 56.0},
]


def index(acts, well=(), today=TODAY, athlete=None, zone_preference=None):
    by_date = {}
    for a in acts:
        by_date.setdefault(a["start_date_local"][:10], []).append(a)
    return Days(
        by_date,
        {w["id"]: w for w in well},
        zone_preference or {},
        athlete_units(athlete or {}),
        today,
    )


def history(acts, well=(), today=TODAY, week_start="mon", athlete=None):
    now = datetime(today.year, today.month, today.day, 10, tzinfo=timezone.utc)
    return build_history(
        list(acts), list(well), athlete or {}, None, Settings(week_start=week_start), today, now
    )


def by_week(doc):
    return {row["week_start"]: row for row in doc["weekly_180d"]}


# ---- weekly_180d ------------------------------------------------------------------------------


def test_h1_week_with_ride_run_and_row_matches_the_worked_example():
    row = by_week(history(H1_ACTS, H1_WELL))["2026-01-05"]
    assert row["total_hours"] == 3.67  # (7200 + 3600 + 2400) / 3600 = 3.666…
    assert row["total_tss"] == 190
    assert (row["primary_sport"], row["primary_sport_tss"]) == ("cycling", 100)
    assert row["sport_tss_breakdown"] == {"cycling": 100, "rowing": 40, "run": 50}
    assert row["activity_count"] == 3
    # last truthy ctl/atl inside 01-05…01-11 is the 01-11 record
    assert (row["ctl_end"], row["atl_end"], row["tsb_end"], row["ramp_rate"]) == (
        51.5,
        49.0,
        2.5,
        1.2,
    )
    # hrv 300 is invalid (> 250), so only 60 counts; rhr mean(50, 52) = 51; sleep 28800 s = 8 h
    assert (row["avg_hrv"], row["avg_rhr"], row["avg_sleep_hours"]) == (60, 51, 8.0)
    # zone seconds 8400 / 1500 / 900 of 10 800 (the SS bucket is ignored)
    assert (row["z1_z2_pct"], row["z3_pct"], row["z4_plus_pct"]) == (77.8, 13.9, 8.3)
    assert row["hard_days"] == 1  # 01-05: power z3+ = 1200 + 600 = 1800 ≥ 1800
    assert row["longest_ride_hours"] == 2.0
    assert (row["avg_feel"], row["feel_count"], row["avg_rpe"], row["rpe_count"]) == (3, 1, 6, 1)
    assert row["weight_kg"] == 74.6 and row["display"] == {"weight": {"value": 74.6, "unit": "kg"}}
    assert row["monotony"] == 0.7  # daily [100, 0, 50, 0, 40, 0, 0] → 27.14 / 38.61
    assert row["intensity_basis_breakdown"] == {"power": 1, "hr": 0}
    assert (row["durability_mean"], row["durability_qualifying"]) == (4.2, 1)
    assert (row["ef_mean"], row["ef_qualifying"]) == (1.45, 1)
    assert (row["hrrc_mean"], row["hrrc_qualifying"]) == (None, 0)


def test_h1_week_without_any_data_is_nulls_and_zero_counts():
    row = by_week(history(H1_ACTS, H1_WELL))["2026-01-12"]
    zeros = {
        "total_hours": 0.0,
        "total_tss": 0,
        "activity_count": 0,
        "hard_days": 0,
        "longest_ride_hours": 0.0,
        "feel_count": 0,
        "rpe_count": 0,
        "durability_qualifying": 0,
        "ef_qualifying": 0,
        "hrrc_qualifying": 0,
    }
    for key, value in row.items():
        if key in zeros:
            assert value == zeros[key], key
        elif key == "display":
            assert value == {"weight": None}
        elif key not in ("week_start", "acwr", "phase_detected"):
            # acwr: 0 / (190/21) = 0.0, a real value; phase_detected comes from the classifier
            assert value is None, key


def test_h1_in_progress_week_has_zones_hrrc_and_no_monotony():
    row = by_week(history(H1_ACTS, H1_WELL))["2026-01-19"]
    assert (row["total_tss"], row["ctl_end"], row["atl_end"], row["tsb_end"]) == (
        80,
        52.0,
        56.0,
        -4.0,
    )
    # 3000 / 3400 = 88.2 %, 400 / 3400 = 11.8 %
    assert (row["z1_z2_pct"], row["z3_pct"], row["z4_plus_pct"]) == (88.2, 0.0, 11.8)
    assert row["hard_days"] == 1  # z5+ = 400 ≥ 300
    assert (row["hrrc_mean"], row["hrrc_qualifying"]) == (28.0, 1)
    assert row["monotony"] is None  # only 3 elapsed days
    assert row["phase_detected"] is None  # the in-progress row never carries a phase


def test_weekly_row_keys_are_in_spec_order():
    row = by_week(history(H1_ACTS, H1_WELL))["2026-01-05"]
    assert list(row) == [
        "week_start",
        "total_hours",
        "total_tss",
        "primary_sport",
        "primary_sport_tss",
        "sport_tss_breakdown",
        "sport_breakdown",
        "activity_count",
        "ctl_end",
        "atl_end",
        "tsb_end",
        "ramp_rate",
        "avg_hrv",
        "avg_rhr",
        "avg_sleep_hours",
        "z1_z2_pct",
        "z3_pct",
        "z4_plus_pct",
        "hard_days",
        "longest_ride_hours",
        "avg_feel",
        "feel_count",
        "avg_rpe",
        "rpe_count",
        "weight_kg",
        "display",
        "monotony",
        "intensity_basis_breakdown",
        "acwr",
        "phase_detected",
        "durability_mean",
        "durability_qualifying",
        "ef_mean",
        "ef_qualifying",
        "hrrc_mean",
        "hrrc_qualifying",
    ]


def test_sport_breakdown_sums_hours_load_distance_and_sessions_per_family():
    acts = [
        act("2026-01-05", "Ride", 100, 7200, distance=60000),
        act("2026-01-06", "GravelRide", 50, 1800, distance=15550),
        act("2026-01-07", "WeightTraining", None, 2700),
    ]
    row = by_week(history(acts))["2026-01-05"]
    assert row["sport_breakdown"] == {
        # 9000 s = 2.5 h; 60 000 + 15 550 m = 75.55 km → 75.5 (half-to-even on the double)
        "cycling": {"hours": 2.5, "tss": 150, "distance_km": 75.5, "sessions": 2},
        # no load and no distance recorded: they add nothing (sums, like total_tss)
        "strength": {"hours": 0.75, "tss": 0, "distance_km": 0.0, "sessions": 1},
    }


def test_primary_sport_tie_goes_to_the_alphabetically_first_family():
    acts = [act("2026-01-05", "Run", 60, 3600), act("2026-01-06", "Ride", 60, 3600)]
    row = by_week(history(acts))["2026-01-05"]
    assert (row["primary_sport"], row["primary_sport_tss"]) == (
        "cycling",
        60,
    )  # a tie goes to the alphabetically first family


def test_null_loads_and_durations_add_nothing_and_crash_nothing():
    acts = [
        act("2026-01-05", "Ride", None, None),
        act("2026-01-05", None, 30, 1800),
        act("2026-01-06", "Run", -5, -60),  # invalid negatives count as missing too
    ]
    doc = history(acts)
    row = by_week(doc)["2026-01-05"]
    assert (row["total_tss"], row["total_hours"], row["activity_count"]) == (30, 0.5, 3)
    # the typeless activity maps to other; the ride has no load, the run a negative one
    assert row["primary_sport"] == "other"
    assert row["sport_breakdown"]["run"] == {
        "hours": 0.0,
        "tss": 0,
        "distance_km": 0.0,
        "sessions": 1,
    }
    day = next(r for r in doc["daily_90d"] if r["date"] == "2026-01-05")
    assert day["activity_types"] == "Ride, Unknown"
    assert (day["total_tss"], day["total_hours"]) == (30, 0.5)


def test_strava_stubs_are_left_out_of_every_tier():
    stub = {
        "id": "987",
        "start_date_local": "2026-01-05T07:00:00",
        "source": "STRAVA",
        "_note": "STRAVA activities are not available via the API",
    }
    doc = history([stub, act("2026-01-06", "Ride", 40, 3600)])
    assert by_week(doc)["2026-01-05"]["activity_count"] == 1
    day = next(r for r in doc["daily_90d"] if r["date"] == "2026-01-05")
    assert (day["activity_count"], day["activity_types"]) == (0, "Rest")
    assert doc["data_range"]["earliest"] == "2026-01-06"


@pytest.mark.parametrize(
    ("week_start", "first", "last", "index"),
    [
        (
            "mon",
            date(2025, 7, 21),
            date(2026, 1, 19),
            0,
        ),  # today − 180 d = Fri 2025-07-25 → Mon 07-21
        ("sun", date(2025, 7, 20), date(2026, 1, 18), 6),  # … → Sun 07-20
    ],
)
def test_week_grid_aligns_to_the_configured_week_start(week_start, first, last, index):
    grid = week_grid(TODAY, index)
    assert (grid[0], grid[-1], len(grid)) == (first, last, 27)
    assert Settings(week_start=week_start).week_start_index == index


def test_sunday_week_start_moves_the_sunday_session_into_the_next_week():
    # Sun 2026-01-11 hard ride: with Monday weeks it is in the week of 01-05, with Sunday weeks it
    # opens the week of 01-11.
    acts = [act("2026-01-11", "Ride", 90, 3600, icu_zone_times=power(z4=600))]
    assert by_week(history(acts))["2026-01-05"]["hard_days"] == 1
    sunday = by_week(history(acts, week_start="sun"))
    assert sunday["2026-01-04"]["hard_days"] == 0
    assert sunday["2026-01-11"]["hard_days"] == 1 and sunday["2026-01-11"]["total_tss"] == 90


def test_h2_weekly_acwr_uses_the_three_previous_weeks():
    rows = [{"total_tss": t, "acwr": None} for t in (300, 300, 300, 420)]
    add_acwr(rows, elapsed_last=7)
    # acute 420/7 = 60, chronic 900/21 = 42.857 → 1.4
    assert [r["acwr"] for r in rows] == [None, None, None, 1.4]


def test_in_progress_week_acwr_divides_by_elapsed_days():
    rows = [{"total_tss": t, "acwr": None} for t in (300, 300, 300, 180)]
    add_acwr(
        rows, elapsed_last=3
    )  # in-progress week: acute = TSS / days elapsed, 180/3 = 60 → 60 / 42.857 = 1.4
    assert rows[-1]["acwr"] == 1.4


def test_acwr_is_null_when_the_chronic_load_is_zero():
    rows = [{"total_tss": t, "acwr": None} for t in (0, 0, 0, 100)]
    add_acwr(rows, elapsed_last=7)
    assert rows[-1]["acwr"] is None


def _week_of_loads(loads, today):
    acts = [act(f"2026-01-{5 + i:02d}", "Ride", load, 3600) for i, load in enumerate(loads) if load]
    return weekly_row(index(acts, today=today), date(2026, 1, 5))


def test_h3_monotony_of_a_full_week():
    # mean 300/7 = 42.857, sample sd 31.997 → 1.34
    assert _week_of_loads([50, 60, 0, 70, 40, 0, 80], date(2026, 1, 11))["monotony"] == 1.34


def test_h3_monotony_needs_five_elapsed_days():
    assert _week_of_loads([50, 60, 0, 70, 40, 0, 80], date(2026, 1, 8))["monotony"] is None


def test_monotony_needs_three_loaded_days_and_a_spread():
    assert _week_of_loads([50, 0, 0, 70, 0, 0, 0], date(2026, 1, 11))["monotony"] is None
    assert _week_of_loads([50] * 7, date(2026, 1, 11))["monotony"] is None  # sd 0


# ---- monthly ----------------------------------------------------------------------------------


def test_h4_monthly_row_counts_the_month_up_to_today():
    row = monthly_row(index(H1_ACTS, H1_WELL), date(2026, 1, 1), [])
    assert (row["month"], row["total_hours"], row["total_tss"], row["activity_count"]) == (
        "2026-01",
        4.67,
        270,
        4,
    )  # 16 800 s; 100 + 50 + 40 + 80
    assert (row["ctl_peak"], row["ctl_low"], row["ctl_end"]) == (52.0, 50.0, 52.0)
    assert (row["avg_hrv"], row["avg_rhr"]) == (60, 51)
    # z1+z2 = 1800+3600+600+2400+3000 = 11 400, z3 = 1200+300, z4+ = 600+300+400, total 14 200
    assert (row["z1_z2_pct"], row["z3_pct"], row["z4_plus_pct"]) == (80.3, 10.6, 9.2)
    assert row["hard_days_avg_per_week"] == 0.7  # 2 hard days / (21 days / 7)
    assert (row["longest_ride_hours"], row["avg_weight_kg"]) == (2.0, 74.8)
    # Original 6 (4 activity days + the 01-11 and 01-20 records). A wellness record counts only
    # with a real value; the 01-20 record holds only ctl/atl, so it does not count → 5.
    assert row["days_with_data"] == 5
    assert row["display"] == {"avg_weight": {"value": 74.8, "unit": "kg"}}


def test_monthly_weight_display_follows_the_athletes_pound_preference():
    row = monthly_row(
        index(H1_ACTS, H1_WELL, athlete={"weight_pref_lb": True}), date(2026, 1, 1), []
    )
    assert row["display"] == {
        "avg_weight": {"value": 164.9, "unit": "lb"}
    }  # 74.8 × 2.20462 = 164.91


def test_the_month_in_progress_says_it_is_partial_and_how_many_days_it_covers():
    # H1's today is 2026-01-21: January is in progress (21 days), December is over (31 days)
    january = monthly_row(index(H1_ACTS, H1_WELL), date(2026, 1, 1), [])
    december = monthly_row(index(H1_ACTS, H1_WELL), date(2025, 12, 1), [])
    assert (january["partial"], january["days_covered"]) == (True, 21)
    assert (december["partial"], december["days_covered"]) == (False, 31)


def test_a_month_ending_today_is_complete():
    row = monthly_row(index([], [], today=date(2028, 2, 29)), date(2028, 2, 1), [])
    assert (row["partial"], row["days_covered"]) == (False, 29)


def test_month_span_of_the_one_year_tier_crosses_a_leap_year():
    months = month_starts(date(2028, 3, 10), 1)  # 2028-03-10 − 365 d = 2027-03-11
    assert (months[0], months[-1], len(months)) == (date(2027, 3, 1), date(2028, 3, 1), 13)


def test_leap_february_counts_29_days():
    well = [{"id": f"2028-02-{d:02d}", "weight": 70.0} for d in range(1, 30)]
    acts = [act("2028-02-29", "Ride", 70, 3600, icu_zone_times=power(z4=600))]
    row = monthly_row(index(acts, well, today=date(2028, 3, 5)), date(2028, 2, 1), [])
    assert row["days_with_data"] == 29
    assert row["total_tss"] == 70
    assert row["hard_days_avg_per_week"] == 0.2  # 1 / (29 / 7) = 0.241


def test_leap_day_is_a_daily_row_and_ends_its_month():
    doc = history([act("2028-02-29", "Run", 20, 1800)], today=date(2028, 3, 1))
    dates = [r["date"] for r in doc["daily_90d"]]
    assert dates[-2:] == ["2028-02-29", "2028-03-01"] and len(dates) == 90
    assert doc["daily_90d"][-2]["total_tss"] == 20


def test_month_end_activity_belongs_to_its_own_month():
    acts = [act("2025-12-31", "Ride", 50, 3600), act("2026-01-01", "Ride", 70, 3600)]
    idx = index(acts)
    assert monthly_row(idx, date(2025, 12, 1), [])["total_tss"] == 50
    assert monthly_row(idx, date(2026, 1, 1), [])["total_tss"] == 70


def test_h5_dominant_phase_ties_go_to_the_larger_load():
    weekly = [
        {"week_start": ws, "phase_detected": ph, "total_tss": tss}
        for ws, ph, tss in (
            ("2025-12-29", "Build", 400),
            ("2026-01-05", "Base", 300),
            ("2026-01-12", "Build", 350),
            ("2026-01-19", "Base", 500),
        )
    ]
    # January: Build 2, Base 2 → Σ TSS Build 750 vs Base 800 → Base
    assert dominant_phase(weekly, date(2026, 1, 1), date(2026, 2, 1)) == "Base"
    # December: only the week of 12-29 overlaps
    assert dominant_phase(weekly, date(2025, 12, 1), date(2026, 1, 1)) == "Build"
    assert dominant_phase(weekly, date(2025, 11, 1), date(2025, 12, 1)) is None


def test_dominant_phase_full_tie_goes_to_the_first_seen():
    weekly = [
        {"week_start": "2026-01-05", "phase_detected": "Base", "total_tss": 300},
        {"week_start": "2026-01-12", "phase_detected": "Build", "total_tss": 300},
    ]
    assert dominant_phase(weekly, date(2026, 1, 1), date(2026, 2, 1)) == "Base"


# ---- daily_90d --------------------------------------------------------------------------------


def test_daily_row_passes_wellness_through_and_formats_sleep():
    well = {
        "id": "2026-01-05",
        "ctl": 50.0,
        "atl": 55.0,
        "hrv": 300,
        "restingHR": 48,
        "sleepSecs": 27030,
        "sleepQuality": 2,
        "weight": 75.04,
        "bodyFat": 12.5,
        "menstrualPhase": "FOLLICULAR",
        "carbohydrates": 300,
    }
    row = daily_row(index([], [well]), date(2026, 1, 5))
    assert len(row) == 43
    assert (row["ctl"], row["atl"], row["tsb"], row["hrv"], row["rhr"]) == (
        50.0,
        55.0,
        -5.0,
        300,
        48,
    )
    assert (row["sleep_hours"], row["sleep_formatted"]) == (7.51, "7h30m")  # 27 030 s → 450 min
    assert row["display"] == {"weight": {"value": 75.0, "unit": "kg"}}
    assert (row["body_fat_pct"], row["menstrual_phase"], row["carbohydrates_g"]) == (
        12.5,
        "FOLLICULAR",
        300,
    )
    assert (row["activity_types"], row["is_hard_day"], row["intensity_basis"]) == (
        "Rest",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("secs", "text"), [(28800, "8h"), (2700, "45m"), (27059, "7h30m"), (0, None)]
)
def test_sleep_formatted_drops_zero_parts(secs, text):
    row = daily_row(index([], [{"id": "2026-01-05", "sleepSecs": secs}]), date(2026, 1, 5))
    assert row["sleep_formatted"] == text


def test_daily_tsb_needs_both_ctl_and_atl():
    row = daily_row(index([], [{"id": "2026-01-05", "ctl": 50.0, "atl": None}]), date(2026, 1, 5))
    assert (row["ctl"], row["atl"], row["tsb"]) == (50.0, None, None)


def test_daily_hard_day_mixes_power_and_hr_bases():
    acts = [
        act("2026-01-05", "Ride", 50, 1800, icu_zone_times=power(z7=60)),
        act("2026-01-05", "Walk", 5, 1800, icu_hr_zone_times=[100]),
    ]
    row = daily_row(index(acts), date(2026, 1, 5))
    assert (row["is_hard_day"], row["intensity_basis"], row["activity_types"]) == (
        True,
        "mixed",
        "Ride, Walk",
    )


def test_completed_weeks_carry_the_chained_backfill_phase_and_the_current_week_none():
    rows = history(H1_ACTS, H1_WELL)["weekly_180d"]
    expected = backfill_phase([{**r, "phase_detected": None} for r in rows], {})
    assert [r["phase_detected"] for r in rows] == expected
    assert rows[-1]["phase_detected"] is None
    assert rows[0]["phase_detected"] is None  # one row of lookback: INSUFFICIENT_LOOKBACK (PH-1)
    # three weeks with data in 180 days: the empty weeks are no evidence of any phase
    assert not any(r["phase_detected"] for r in rows)


def test_the_backfill_classifier_labels_weeks_that_have_training():
    # eight steady weeks of riding with CTL up to today: the classifier is really wired in
    start = date(2025, 11, 24)  # a Monday, eight weeks before TODAY's week
    acts = [
        act((start + timedelta(days=7 * w + d)).isoformat(), "Ride", 60, 5400)
        for w in range(8)
        for d in (0, 2, 4, 5)
    ]
    well = [
        {"id": (start + timedelta(days=7 * w + 6)).isoformat(), "ctl": 40.0 + w, "atl": 45.0}
        for w in range(8)
    ]
    rows = history(acts, well)["weekly_180d"]
    assert any(r["phase_detected"] for r in rows)
