"""history.json document: regeneration policy, data_range, gaps, FTP timeline, summaries, the
latest.json block (docs/files.md, "`history.json`"; worked examples H-6…H-9)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from s11sync import __version__
from s11sync.cache import script_hash
from s11sync.config import Settings
from s11sync.history.build import build_history, data_gaps, ftp_timeline, summaries
from s11sync.history.due import build_history_block, history_due


def act(day, kind="Ride", load=50, moving=3600, **extra):
    return {
        "id": f"i{day}{kind}",
        "start_date_local": f"{day}T08:00:00",
        "type": kind,
        "icu_training_load": load,
        "moving_time": moving,
        **extra,
    }


def build(acts, today, well=(), athlete=None, ftp_history=None):
    now = datetime(today.year, today.month, today.day, 6, 30, tzinfo=timezone(timedelta(hours=1)))
    return build_history(list(acts), list(well), athlete or {}, ftp_history, Settings(), today, now)


def every_other_day(first, last, **kw):
    out, day = [], first
    while day <= last:
        out.append(act(day.isoformat(), **kw))
        day += timedelta(days=2)
    return out


# ---- regeneration policy: once per athlete-local day ---------------------------------------------

TODAY = date(2026, 1, 21)


def prev(generated_at, hash_=None):
    return {"generated_at": generated_at, "script_hash": hash_ or script_hash()}


@pytest.mark.parametrize(
    ("previous", "full", "due"),
    [
        (None, False, True),  # first run
        (prev("2026-01-21T00:05:00+01:00"), False, False),  # already generated today
        (prev("2026-01-21T00:05:00+01:00"), True, True),  # --full-history forces it
        (prev("2026-01-20T23:59:59+01:00"), False, True),  # yesterday, athlete-local
        (prev("2026-01-21T00:05:00+01:00", "000000000000"), False, True),  # cache key changed
        (prev("not a time"), False, True),
        (prev(None), False, True),
        ({"generated_at": "2026-01-21T00:05:00+01:00"}, False, True),  # no script_hash
        (prev("2026-01-21T08:00:00.123456"), False, False),  # the original's naive form is accepted
    ],
)
def test_history_is_regenerated_at_most_once_per_local_day(previous, full, due):
    assert history_due(previous, TODAY, full) is due


def test_a_freshly_built_document_is_not_due_again_the_same_day():
    doc = build([act("2026-01-20")], TODAY)
    assert history_due(doc, TODAY, False) is False
    assert history_due(doc, TODAY + timedelta(days=1), False) is True


# ---- the latest.json block (H-9) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "confidence"), [(2, "low"), (3, "medium"), (11, "medium"), (12, "high")]
)
def test_h9_history_confidence_from_total_months(months, confidence):
    doc = {"generated_at": "2026-01-21T00:05:00+00:00", "data_range": {"total_months": months}}
    block = build_history_block(doc, TODAY, None, stale=False)
    assert block == {
        "available": True,
        "last_generated": "2026-01-21",
        "age_days": 0,
        "total_months": months,
        "history_confidence": confidence,
        "stale": False,
    }


def test_history_block_flags_a_file_kept_from_an_earlier_day_as_stale():
    doc = {"generated_at": "2026-01-19T23:00:00+00:00", "data_range": {"total_months": 20}}
    block = build_history_block(doc, TODAY, None, stale=False)
    assert (block["age_days"], block["stale"]) == (2, True)
    assert (
        build_history_block({"generated_at": "??"}, TODAY, None, False)["stale"] is True
    )  # age unknown
    assert build_history_block({"generated_at": "??"}, TODAY, None, False)["total_months"] == 0


def test_history_block_without_a_file_says_longitudinal_analysis_is_limited():
    block = build_history_block(None, TODAY, None, stale=False)
    assert block["available"] is False and block["history_confidence"] == "low"
    assert "28-day" in block["note"]


# ---- top level, data_range ---------------------------------------------------------------------


def test_document_has_the_spec_keys_in_order_with_schema_version_at_top_level():
    doc = build([act("2026-01-20")], TODAY)
    assert list(doc) == [
        "generated_at",
        "schema_version",
        "source",
        "sync_version",
        "script_hash",
        "data_range",
        "ftp_timeline",
        "data_gaps",
        "summaries",
        "year_to_date_base",
        "daily_90d",
        "weekly_180d",
        "monthly_1y",
        "monthly_2y",
        "monthly_3y",
    ]
    assert doc["schema_version"] == 1 and doc["source"] == "Intervals.icu API"
    assert doc["sync_version"] == __version__ and doc["script_hash"] == script_hash()
    assert doc["generated_at"] == "2026-01-21T06:30:00+01:00"  # offset kept, whole seconds


def test_under_a_year_of_data_gives_partial_tiers():
    first = TODAY - timedelta(days=200)  # 2025-07-05
    doc = build(every_other_day(first, TODAY), TODAY)
    # int(200 / 30.44) = 6 months: the 1-year tier (≥ 6) is built, 2 y (≥ 12) and 3 y (≥ 18) not
    assert doc["data_range"] == {
        "earliest": "2025-07-05",
        "latest": "2026-01-21",
        "total_months": 6,
    }
    assert len(doc["monthly_1y"]) == 13  # 2025-01 … 2026-01
    assert doc["monthly_2y"] == [] and doc["monthly_3y"] == []
    assert set(doc["summaries"]) == {"90d", "180d", "1y"}
    # months before the first activity are rows of zeros, and the summary's average skips them
    assert doc["monthly_1y"][0]["month"] == "2025-01" and doc["monthly_1y"][0]["total_tss"] == 0


def test_three_years_of_data_fill_every_tier():
    first = TODAY - timedelta(days=1095)
    doc = build(every_other_day(first, TODAY), TODAY)
    assert doc["data_range"]["total_months"] == 35  # int(1095 / 30.44) = 35
    assert [
        len(doc[k]) for k in ("daily_90d", "weekly_180d", "monthly_1y", "monthly_2y", "monthly_3y")
    ] == [90, 27, 13, 25, 37]
    assert doc["monthly_3y"][-13:] == doc["monthly_1y"]  # the tiers overlap


def test_no_activities_at_all():
    doc = build([], TODAY)
    assert doc["data_range"] == {
        "earliest": "2026-01-21",
        "latest": "2026-01-21",
        "total_months": 1,
    }
    assert doc["data_gaps"] == [] and doc["monthly_1y"] == []
    assert doc["summaries"]["90d"]["avg_weekly_tss"] is None
    assert doc["summaries"]["180d"]["avg_weekly_tss"] is None  # no covered week


def test_duplicate_ids_from_overlapping_chunks_count_once():
    doc = build([act("2026-01-20"), act("2026-01-20")], TODAY)
    assert doc["daily_90d"][-2]["activity_count"] == 1


# ---- data_gaps (H-6) ---------------------------------------------------------------------------

H6 = ["2025-01-01", "2025-01-02", "2025-01-06", "2025-01-08", "2025-01-12"]


def test_h6_gaps_of_three_days_or_more_between_activities():
    assert data_gaps(H6, date(2025, 1, 12)) == [
        {"period": "2025-01-03 to 2025-01-05", "days_missing": 3},
        {"period": "2025-01-09 to 2025-01-11", "days_missing": 3},
    ]  # 01-07 alone is not a gap


def test_h6_ongoing_trailing_gap_runs_to_today():
    gaps = data_gaps(H6, date(2025, 1, 16))
    assert gaps[-1] == {"period": "2025-01-13 to 2025-01-16", "days_missing": 4, "ongoing": True}
    assert all("ongoing" not in g for g in gaps[:-1])


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 1, 14), []),  # 01-13, 01-14: two days, not yet a gap
        (
            date(2025, 1, 15),
            [{"period": "2025-01-13 to 2025-01-15", "days_missing": 3, "ongoing": True}],
        ),
    ],
)
def test_trailing_gap_starts_at_exactly_three_days(today, expected):
    assert data_gaps(["2025-01-12"], today) == expected


def test_a_two_day_break_is_not_a_gap():
    assert data_gaps(["2025-01-01", "2025-01-04"], date(2025, 1, 4)) == []  # 01-02, 01-03


def test_gaps_come_from_the_document_activity_dates():
    doc = build([act("2026-01-10"), act("2026-01-14")], TODAY)
    assert doc["data_gaps"] == [
        {"period": "2026-01-11 to 2026-01-13", "days_missing": 3},
        {"period": "2026-01-15 to 2026-01-21", "days_missing": 7, "ongoing": True},
    ]


# ---- ftp_timeline (H-7) ------------------------------------------------------------------------

H7_ATHLETE = {
    "sportSettings": [
        {"types": ["Run"], "ftp": 300},
        {"types": ["Ride", "VirtualRide"], "ftp": 270, "indoor_ftp": 260},
    ]
}
H7_FTP = {"indoor": {"2025-04-10": 245, "2025-11-20": 260}, "outdoor": {"2025-04-10": 258}}


def test_h7_ftp_timeline_appends_todays_changed_setting():
    assert ftp_timeline(H7_FTP, H7_ATHLETE, date(2026, 1, 20)) == [
        {"date": "2025-04-10", "ftp": 245, "type": "indoor", "source": "FTP"},
        {"date": "2025-04-10", "ftp": 258, "type": "outdoor", "source": "FTP"},
        {"date": "2025-11-20", "ftp": 260, "type": "indoor", "source": "FTP"},
        {"date": "2026-01-20", "ftp": 270, "type": "outdoor", "source": "user_set"},
    ]  # indoor 260 equals the latest indoor entry, so it is not appended


def test_ftp_timeline_reads_the_legacy_flat_file_as_outdoor():
    timeline = ftp_timeline({"2025-04-10": 270}, H7_ATHLETE, date(2026, 1, 20))
    assert timeline == [
        {"date": "2025-04-10", "ftp": 270, "type": "outdoor", "source": "FTP"},
        {"date": "2026-01-20", "ftp": 260, "type": "indoor", "source": "user_set"},
    ]


def test_ftp_timeline_without_history_or_cycling_settings_is_empty():
    assert ftp_timeline(None, {"sportSettings": [{"types": ["Run"], "ftp": 300}]}, TODAY) == []


# ---- summaries (H-8) ---------------------------------------------------------------------------


def _daily(tss_counts, first=date(2026, 1, 5)):
    return [
        {
            "date": (first + timedelta(days=i)).isoformat(),
            "total_tss": t,
            "total_hours": t / 100,
            "activity_count": n,
            "ctl": None,
            "is_hard_day": None,
        }
        for i, (t, n) in enumerate(tss_counts)
    ]


def _weekly(*rows):
    return [
        {"week_start": ws, "total_tss": t, "total_hours": t / 100, "ctl_end": None}
        for ws, t in rows
    ]


def test_h8_ninety_day_summary_counts_activities_and_active_days():
    daily = _daily(
        [(100, 2), (100, 2), (100, 1), (100, 1), (100, 1), (100, 1), (100, 1)] + [(0, 0)] * 7
    )
    # the week of 01-12 is in progress; 01-05 is the one covered week inside the daily window
    weekly = _weekly(("2025-12-29", 50), ("2026-01-05", 700), ("2026-01-12", 0))
    s = summaries(daily, weekly, {}, date(2025, 1, 1))["90d"]
    assert (s["avg_weekly_tss"], s["avg_weekly_hours"], s["weeks_covered"]) == (700, 7.0, 1)
    assert (s["total_activities"], s["active_days"], s["rest_days"]) == (
        9,
        7,
        7,
    )  # activities counted; active_days keeps the original's value
    assert list(s) == [
        "avg_weekly_tss",
        "avg_weekly_hours",
        "weeks_covered",
        "ctl_start",
        "ctl_end",
        "total_activities",
        "active_days",
        "rest_days",
        "hard_days",
    ]


def test_a_three_week_history_gives_the_same_weekly_average_over_90d_and_180d():
    # today Wed 2026-01-21 (weeks start on Monday): three complete weeks of 137 TSS since 12-30,
    # plus 130 TSS in the current week. Over 90/7 weeks the 90d average read 42; over the
    # covered weeks both summaries read 137 and say they cover 3 weeks.
    acts = [
        act(day, load=137, moving=4 * 3600) for day in ("2025-12-30", "2026-01-06", "2026-01-13")
    ]
    acts.append(act("2026-01-20", load=130, moving=3 * 3600))
    s = build(acts, TODAY)["summaries"]
    assert (s["90d"]["avg_weekly_tss"], s["90d"]["weeks_covered"]) == (137, 3)
    assert (s["180d"]["avg_weekly_tss"], s["180d"]["weeks_covered"]) == (137, 3)
    assert s["90d"]["avg_weekly_hours"] == s["180d"]["avg_weekly_hours"] == 4.0
    assert s["180d"]["weeks_tracked"] == 27  # every weekly row, covered or not


def test_h8_weekly_summary_averages_covered_weeks_including_zero_weeks():
    weekly = _weekly(
        ("2025-12-15", 0),
        ("2025-12-22", 400),
        ("2025-12-29", 0),
        ("2026-01-05", 300),
        ("2026-01-12", 120),
    )
    # earliest 2025-12-22: the week of 12-15 ends 12-21, before it; 01-12 is in progress
    s = summaries([], weekly, {}, date(2025, 12, 22))["180d"]
    assert (
        s["avg_weekly_tss"] == 233
    )  # over covered weeks, zeros included: mean(400, 0, 300); the original gives 273
    assert (s["weeks_tracked"], s["weeks_covered"]) == (5, 3)


def test_h8_yearly_summary_takes_the_true_ctl_extremes():
    rows = [
        {"month": m, "total_tss": t, "ctl_end": e, "ctl_peak": p, "ctl_low": lo}
        for m, t, e, p, lo in (
            ("2025-11", 0, None, None, None),
            ("2025-12", 900, 50.0, 58.0, 45.0),
            ("2026-01", 400, 55.5, 60.1, 49.9),
        )
    ]
    s = summaries([], [], {"monthly_1y": rows}, date(2025, 12, 3))["1y"]
    assert (s["ctl_peak"], s["ctl_low"]) == (
        60.1,
        45.0,
    )  # true extremes of the rows; the original gives 55.5 / 50.0
    assert (s["avg_monthly_tss"], s["months_tracked"]) == (900, 3)  # only 2025-12 is covered


def test_summaries_agree_with_their_tiers():
    first = TODAY - timedelta(days=400)
    doc = build(every_other_day(first, TODAY, load=55, moving=5400), TODAY)
    daily, weekly, s = doc["daily_90d"], doc["weekly_180d"], doc["summaries"]
    assert s["90d"]["total_activities"] == sum(r["activity_count"] for r in daily)
    assert s["180d"]["weeks_tracked"] == len(weekly)
    covered = [r["total_tss"] for r in weekly[:-1]]
    assert s["180d"]["avg_weekly_tss"] == round(sum(covered) / len(covered))
    assert s["180d"]["weeks_covered"] == len(covered)
    in_90d = [r["total_tss"] for r in weekly[:-1] if r["week_start"] >= daily[0]["date"]]
    assert s["90d"]["weeks_covered"] == len(in_90d) == 12
    assert s["90d"]["avg_weekly_tss"] == round(sum(in_90d) / len(in_90d))
    assert s["1y"]["months_tracked"] == len(doc["monthly_1y"]) == 13
    # December 2025 lies inside the daily tier: the monthly row is the sum of its days
    december = next(r for r in doc["monthly_1y"] if r["month"] == "2025-12")
    dec_days = [r for r in daily if r["date"].startswith("2025-12")]
    # activities every other day from 2024-12-17: 2025-12-01 is day 349 (odd, rest), so the
    # active December days are 12-02, 12-04 … 12-30: 15 × 55
    assert december["total_tss"] == sum(r["total_tss"] for r in dec_days) == 15 * 55
    assert december["activity_count"] == sum(r["activity_count"] for r in dec_days)


# ---- contract ---------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 200, 1095])
def test_built_documents_validate_against_the_history_schema(days):
    from s11sync.validate import validate_document

    well = [{"id": "2026-01-20", "ctl": 50.0, "atl": 40.0, "hrv": 55, "weight": 70.2}]
    first = TODAY - timedelta(days=days)
    acts = every_other_day(first, TODAY, icu_zone_times=[{"id": "Z4", "secs": 700}]) if days else []
    doc = build(acts, TODAY, well, H7_ATHLETE, H7_FTP)
    assert validate_document("history.json", doc) == []


@pytest.mark.parametrize("months", [True, False, -3, 2.5, "12"])
def test_history_block_reads_a_month_count_that_is_not_a_whole_number_as_zero(months):
    # a hand-edited history.json must not put a value into latest.json that its schema rejects
    # (an integer ≥ 0), which would fail the whole run
    doc = {"generated_at": "2026-01-21T00:05:00+00:00", "data_range": {"total_months": months}}
    block = build_history_block(doc, TODAY, None, stale=False)
    assert block["total_months"] == 0 and block["total_months"] is not False
    assert block["history_confidence"] == "low"
