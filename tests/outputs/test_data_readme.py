"""The data folder's README.md (docs/files.md, "The data folder's README and charts"): the today
block in words, key numbers, the files, where an AI starts, and nothing per-run inside. Small
hand-made documents."""

from __future__ import annotations

import copy

from s11sync.outputs.data_readme import (
    DATA_README_FILES,
    build_data_readme,
    data_readme_files,
    projection,
)

LATEST = {
    "READ_THIS_FIRST": {"instruction_for_ai": "x"},
    "today": {
        "date": "2026-11-21",
        "answer": "2026-11-21: Long endurance ride (3h30m), not done yet.",
        "planned_sessions": [
            {
                "name": "Long endurance ride",
                "sport_type": "Ride",
                "summary": "3h30m @166–187W",
                "planned_tss": 162,
                "duration_formatted": "3h30m",
                "done": False,
                "completed_activity": None,
            }
        ],
        "remaining_plan": "Long endurance ride is still to do.",
        "readiness": {
            "recommendation": "insufficient_data",
            "why": "Too few signals.",
            "missing_signals": ["hrv", "sleep"],
        },
        "fitness": {"ctl": 80.0, "atl": 90.0, "tsb": -10.0},
        "alerts": {"count": 2, "worst": {"metric": "acwr", "severity": "warning"}},
        "next_key_race": {
            "name": "Valley TT",
            "date": "2026-11-28",
            "category": "RACE_B",
            "type": "Ride",
            "days_until": 7,
        },
        "training_phase": {"phase": "Taper", "confidence": "medium"},
        "data_freshness": {
            "newest_activity_date": "2026-11-20",
            "newest_wellness_date": "2026-11-19",
            "stale": True,
            "note": "Wellness is 2 days old.",
        },
    },
    "metadata": {"last_updated": "2026-11-21T07:03:11+01:00"},
    "weekly_summary": {
        "total_training_formatted": "9h05m",
        "total_tss": 610,
        "activities_count": 6,
    },
    "current_status": {
        "thresholds": {
            "sports": {
                "cycling": {"ftp": 260, "ftp_indoor": 250},
                "run": {"display": {"threshold_pace": {"value": "4:15", "unit": "/km"}}},
            }
        }
    },
    "planned_workouts": [
        {"date": "2026-11-22", "planned_tss": 90},
        {"date": "2026-11-22", "planned_tss": 10},
        {"date": "2026-12-30", "planned_tss": 500},
    ],
}


def test_readme_tells_today_in_words_for_a_person_and_where_an_ai_starts():
    text = build_data_readme(LATEST)
    for expected in (
        "Data as of **2026-11-21**",
        "newest wellness 2026-11-19",
        "⚠️ Wellness is 2 days old.",
        "Long endurance ride is still to do.",
        "162 TSS planned — not done yet",
        "Readiness: **insufficient_data**",
        "Signals missing: hrv, sleep",
        "Alerts: 2 (worst: acwr, warning)",
        "Valley TT (RACE_B, Ride) on 2026-11-28, in 7 days",
        "Training phase: Taper",
        "| Form (TSB) | -10.0 |",
        "| FTP | 260 W (indoor 250 W) |",
        "| Run threshold pace | 4:15 /km |",
        "9h05m, 610 TSS, 6 activities",
        "`latest.json` → `READ_THIS_FIRST`",
        "`latest.json` → `today`",
        "schemas/*.schema.json",
        "](fitness.svg)",
        "](weekly-load.svg)",
        "| [history.json](history.json) |",
    ):
        assert expected in text, expected


def test_readme_holds_no_run_timestamp_so_a_new_run_of_the_same_data_changes_nothing():
    files = data_readme_files({"latest.json": LATEST, "history.json": {}})
    assert set(files) == set(DATA_README_FILES)
    later = copy.deepcopy(LATEST)
    later["metadata"]["last_updated"] = "2026-11-21T19:44:00+01:00"
    assert data_readme_files({"latest.json": later, "history.json": {}}) == files
    assert b"07:03" not in files["README.md"]


def test_projection_runs_to_the_next_key_race_with_the_planned_loads_summed_per_day():
    points = projection(LATEST)
    assert [p.day.isoformat() for p in (points[0], points[-1])] == ["2026-11-21", "2026-11-28"]
    assert points[1].ctl == 80 + (100 - 80) / 42  # 90 + 10 TSS on 11-22; 12-30 is after the race


def test_no_projection_without_a_race_or_today():
    no_race = copy.deepcopy(LATEST)
    del no_race["today"]["next_key_race"]
    assert projection(no_race) == []
    assert projection({}) == []
    assert "Data as of **unknown**" in build_data_readme({})


def test_key_numbers_split_the_last_seven_days_by_activity_type():
    latest = {
        **LATEST,
        "summary": {
            "by_activity_type": {
                "Ride": {"duration_decimal_hours": 7.17, "count": 3, "tss": 411},
                "Run": {"duration_decimal_hours": 0.83, "count": 1, "tss": 49},
            }
        },
    }
    text = build_data_readme(latest)
    assert "| Last 7 days by activity type | Ride 3× 7.2 h 411 TSS · Run 1× 0.8 h 49 TSS |" in text
    assert "by activity type" not in build_data_readme(LATEST)  # no summary, no row


def test_a_number_that_is_not_finite_is_shown_as_missing():
    from s11sync.outputs.data_readme import _n

    assert [_n(v) for v in (41.26, 3, float("nan"), float("inf"), True, "52", None)] == [
        "41.3",
        "3.0",
        "–",
        "–",
        "–",
        "–",
        "–",
    ]
