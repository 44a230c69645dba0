"""Consistency Index (docs/metrics.md, "Consistency") and the planned-workout count of
`data_quality` ("Data quality")."""

from __future__ import annotations

from s11sync.metrics.consistency import consistency, planned_workouts


def ev(day, category="WORKOUT"):
    return {"category": category, "start_date_local": f"2026-03-{day:02d}T00:00:00"}


def act(day, sport="Ride"):
    return {
        "type": sport,
        "start_date_local": f"2026-03-{day:02d}T07:00:00",
        "icu_training_load": 0,
    }


def test_four_of_five_planned_days_done():
    # planned {12,13,14,16,18} (14 twice); NOTE/RACE_C ignored; completed {12,14,15,16,17,18}
    events = [ev(12), ev(13), ev(14), ev(14), ev(16), ev(18), ev(15, "NOTE"), ev(17, "RACE_C")]
    acts = [act(12), act(14), act(15), act(16), act(17), act(18)]
    index, details = consistency(events, acts)
    assert index == 0.8  # 4 / 5
    assert details == {
        "planned_days": 5,
        "completed_days": 6,
        "matched_days": 4,
        "planned_dates": ["2026-03-12", "2026-03-13", "2026-03-14", "2026-03-16", "2026-03-18"],
        "completed_dates": [
            "2026-03-12",
            "2026-03-14",
            "2026-03-15",
            "2026-03-16",
            "2026-03-17",
            "2026-03-18",
        ],
    }
    assert planned_workouts(events) == 7  # events, not dates; RACE_C counts, NOTE does not


def test_no_planned_workouts_gives_null_and_the_short_variant():
    index, details = consistency([ev(15, "NOTE")], [act(15), act(16)])
    assert index is None
    assert list(details) == ["planned_days", "completed_days", "matched_days", "note"]
    assert (
        details["planned_days"] == 0
        and details["completed_days"] == 2
        and details["matched_days"] == 0
    )


def test_any_activity_type_or_zero_load_completes_a_day():
    index, _ = consistency([ev(16)], [act(16, "Yoga")])
    assert index == 1.0


def test_todays_planned_workout_counts_as_unmatched_until_done():
    # 2 planned, 1 done → 0.5
    index, _ = consistency([ev(17), ev(18)], [act(17)])
    assert index == 0.5


def test_two_thirds_rounds_to_two_decimals():
    index, _ = consistency([ev(12), ev(13), ev(14)], [act(12), act(13)])
    assert index == 0.67
