"""The `today` block (docs/differences.md, "Added by s11sync") over hand-made inputs: pairing, the
plain sentences, the selections (worst alert, next A/B race) and the freshness of the data."""

from datetime import date

from s11sync.outputs.today import (
    build_today,
    data_freshness,
    next_key_race,
    planned_sessions,
    readiness_sentence,
    remaining_plan,
    worst_alert,
)

T = date(2026, 3, 18)


def planned(pid, name, sport, day="2026-03-18", tss=50, summary="45m Z2", duration="45m"):
    return {
        "id": pid,
        "date": day,
        "name": name,
        "type": "WORKOUT",
        "sport_type": sport,
        "planned_tss": tss,
        "duration_formatted": duration,
        "workout_summary": summary,
    }


PLAN = [
    planned(1, "Swim drills", "Swim", tss=30, summary="2000m drills", duration="45m"),
    planned(2, "Evening ride", "Ride", tss=70, summary="1h Z2", duration="1h"),
    planned(3, "Tomorrow", "Run", day="2026-03-19"),
]
EVENTS = [{"id": 1, "paired_activity_id": None}, {"id": 2}, {"id": 3}]
SWIM = {
    "id": "i9",
    "start_date_local": "2026-03-18T06:30:00",
    "type": "Swim",
    "name": "Pool",
    "paired_event_id": 1,
    "moving_time": 2700,
    "icu_training_load": 33,
}
ROWS = [
    {
        "id": "i9",
        "date": "2026-03-18T06:30:00",
        "type": "Swim",
        "name": "Swim",
        "tss": 33,
        "duration_formatted": "45m",
    }
]


def test_a_session_paired_by_the_activity_is_done_the_other_is_still_to_do():
    sessions = planned_sessions(PLAN, EVENTS, [SWIM], T, ROWS)
    assert [(s["id"], s["done"]) for s in sessions] == [(1, True), (2, False)]
    assert sessions[0]["completed_activity"] == {
        "id": "i9",
        "name": "Swim",
        "type": "Swim",
        "start_time": "06:30",
        "tss": 33,
        "duration_formatted": "45m",
    }
    assert sessions[1]["completed_activity"] is None
    assert remaining_plan(sessions) == (
        "Already done: Swim drills (Swim). Still to do: Evening ride (Ride): 1h Z2, 1h, 70 TSS planned."
    )


def test_a_session_paired_by_the_event_side_is_done_too():
    events = [{"id": 1, "paired_activity_id": "i9"}, {"id": 2}]
    swim = {**SWIM, "paired_event_id": None}
    assert [s["done"] for s in planned_sessions(PLAN, events, [swim], T, ROWS)] == [True, False]


def test_an_activity_of_another_day_does_not_complete_todays_session():
    yesterday = {**SWIM, "start_date_local": "2026-03-17T06:30:00"}
    assert [s["done"] for s in planned_sessions(PLAN, EVENTS, [yesterday], T, ROWS)] == [
        False,
        False,
    ]


def test_an_unpaired_activity_of_the_same_sport_is_not_a_match():
    unpaired = {**SWIM, "paired_event_id": None}
    assert [s["done"] for s in planned_sessions(PLAN, EVENTS, [unpaired], T, ROWS)] == [
        False,
        False,
    ]


def test_a_note_of_today_is_not_a_session():
    note = {**planned(4, "Travel day", "", summary=None), "type": "NOTE"}
    sessions = planned_sessions([*PLAN, note], EVENTS, [], T, [])
    assert [s["id"] for s in sessions] == [1, 2]


def test_nothing_planned_and_all_done_read_plainly():
    assert remaining_plan([]) == "Nothing is planned for today."
    sessions = planned_sessions(PLAN[:1], EVENTS, [SWIM], T, ROWS)
    assert remaining_plan(sessions) == (
        "Already done: Swim drills (Swim). Nothing else is planned for today."
    )


def test_readiness_sentences():
    go = {
        "recommendation": "go",
        "signal_summary": {"green": 5, "amber": 0, "low": 1},
        "missing_signals": [],
    }
    assert readiness_sentence(go) == (
        "Go: 5 of 6 readiness signals are green, ACWR is low (undertraining, not a fatigue sign)."
    )
    none = {"recommendation": "insufficient_data", "missing_signals": ["hrv", "rhr", "sleep", "ri"]}
    assert readiness_sentence(none) == (
        "No readiness call: 4 of 6 signals are missing (hrv, rhr, sleep, ri), so decide by how "
        "the athlete feels and keep it easy if in doubt."
    )
    modify = {
        "recommendation": "modify",
        "priority": 2,
        "reason": "P2 signal count. 2 amber.",
        "signals": {
            "hrv": {"status": "amber"},
            "rhr": {"status": "amber"},
            "sleep": {"status": "green"},
        },
        "modification": {
            "suggested_adjustments": {"intensity": "reduce", "volume": "preserve", "cap_zone": None}
        },
        "race_week_defers": True,
    }
    assert readiness_sentence(modify) == (
        "Modify: reduce intensity, because HRV and resting HR are amber; the race-week protocol "
        "comes first."
    )
    skip = {"recommendation": "skip", "priority": 0, "reason": "P0 safety stop. RI 0.55 < 0.6."}
    assert readiness_sentence(skip) == "Skip: rest today, because RI 0.55 < 0.6."
    assert readiness_sentence({}) is None


def test_the_worst_alert_is_the_most_severe_then_the_lowest_tier():
    alerts = [
        {"metric": "tid", "severity": "warning", "tier": 3, "context": "c3"},
        {"metric": "race_week", "severity": "info", "tier": 1, "context": "r"},
        {"metric": "acwr", "severity": "warning", "tier": 2, "context": "c2"},
    ]
    assert worst_alert(alerts) == {
        "metric": "acwr",
        "severity": "warning",
        "tier": 2,
        "context": "c2",
    }
    assert worst_alert([]) is None


def test_the_next_key_race_skips_c_races():
    calendar = {
        "all_races": [
            {
                "name": "C",
                "date": "2026-03-20",
                "category": "RACE_C",
                "type": "Run",
                "days_until": 2,
            },
            {
                "name": "B",
                "date": "2026-04-01",
                "category": "RACE_B",
                "type": "Ride",
                "days_until": 14,
            },
        ]
    }
    assert next_key_race(calendar) == {
        "name": "B",
        "date": "2026-04-01",
        "category": "RACE_B",
        "type": "Ride",
        "days_until": 14,
    }
    assert next_key_race({"all_races": calendar["all_races"][:1]}) is None
    assert next_key_race(None) is None


def test_freshness_counts_only_measured_wellness():
    activities = [
        {"start_date_local": "2026-03-14T08:00:00"},
        {"start_date_local": "2026-03-12T08:00:00"},
    ]
    wellness = [
        {"id": "2026-03-18", "ctl": 50, "atl": 40},  # API row without a measurement
        {"id": "2026-03-17", "hrv": 61.0},
    ]
    fresh = data_freshness(activities, wellness, T, 28)
    assert (fresh["newest_activity_date"], fresh["newest_activity_age_days"]) == ("2026-03-14", 4)
    assert (fresh["newest_wellness_date"], fresh["newest_wellness_age_days"]) == ("2026-03-17", 1)
    assert fresh["stale"] is True
    assert fresh["note"] == (
        "Stale: the newest activity is 4 days old (2026-03-14). Numbers that need them are "
        "missing or old."
    )
    none = data_freshness([], [], T, 28)
    assert none["stale"] is True and none["note"] == (
        "Stale: no activities in the last 28 days; no measured wellness in the last 28 days. "
        "Numbers that need them are missing or old."
    )
    fresh = data_freshness(
        activities[:1], [{"id": "2026-03-14", "sleepSecs": 27000}], date(2026, 3, 15), 28
    )
    assert fresh["stale"] is False and fresh["note"].startswith("Fresh:")


def test_the_block_takes_its_numbers_from_the_parts_given():
    block = build_today(
        T,
        planned=PLAN,
        events=EVENTS,
        activities=[SWIM],
        recent_activities=ROWS,
        wellness=[{"id": "2026-03-18", "restingHR": 48}],
        lookback_days=28,
        fitness={"ctl": 50.5, "atl": 60.25, "tsb": -9.75, "ramp_rate": 1.0},
        readiness_decision={
            "recommendation": "go",
            "reason": "P3 green light.",
            "signal_summary": {"green": 6},
            "missing_signals": [],
        },
        alerts=[],
        race_calendar=None,
        phase_detection={"phase": "Build", "confidence": "medium"},
    )
    assert list(block) == [
        "date",
        "answer",
        "planned_sessions",
        "remaining_plan",
        "readiness",
        "race_week_today",
        "fitness",
        "alerts",
        "next_key_race",
        "training_phase",
        "data_freshness",
    ]
    assert block["fitness"] == {"ctl": 50.5, "atl": 60.25, "tsb": -9.75}
    assert block["alerts"] == {"count": 0, "worst": None}
    assert block["race_week_today"] is None and block["next_key_race"] is None
    assert block["training_phase"]["phase"] == "Build"
    assert "seasonal_context is the calendar season" in block["training_phase"]["note"]
    assert block["answer"] == (
        "2026-03-18: Already done: Swim drills (Swim). Still to do: Evening ride (Ride): 1h Z2, "
        "1h, 70 TSS planned. Go: 6 of 6 readiness signals are green."
    )
