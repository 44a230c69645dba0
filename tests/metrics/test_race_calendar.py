"""Race calendar and race week (docs/metrics.md, "Race calendar", "Race week"), incl. worked
scenario RC-1."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.metrics.race_calendar import build_race_calendar, collect_races, taper_alert
from s11sync.metrics.race_week import (
    day_protocol,
    duration_class,
    go_no_go,
    project_tsb,
    tsb_target_range,
)

TODAY = date(2026, 1, 27)


def ev(eid, category, day, **extra):
    return {"id": eid, "category": category, "start_date_local": day, "type": "Ride", **extra}


RC1_EVENTS = [
    ev(1, "RACE_C", "2026-01-29T00:00:00", name="Club TT", moving_time=1800),
    ev(
        2, "RACE_A", "2026-02-01T09:30:00", name="Spring Classic", moving_time=7200, distance=100000
    ),
    ev(3, "RACE_A", "2026-02-08T00:00:00", name="Big Race"),
    ev(4, "WORKOUT", "2026-01-28T00:00:00", name="Endurance"),
]
RC1_ACTIVITIES = [
    {"start_date_local": "2026-01-24T08:00:00", "icu_training_load": 100},
    {"start_date_local": "2026-01-25T08:00:00", "icu_training_load": 80},
    {"start_date_local": "2026-01-27T08:00:00", "icu_training_load": 50},
]


def rc1():
    return build_race_calendar(TODAY, RC1_EVENTS, 70.0, 80.0, RC1_ACTIVITIES)


def test_rc1_races_are_sorted_and_next_race_may_be_a_c_race():
    cal = rc1()
    assert list(cal) == ["next_race", "all_races", "taper_alert", "race_week"]
    assert [(r["name"], r["days_until"]) for r in cal["all_races"]] == [
        ("Club TT", 2),
        ("Spring Classic", 5),
        ("Big Race", 12),
    ]
    assert cal["next_race"]["name"] == "Club TT"
    spring = cal["all_races"][1]
    assert list(spring) == [
        "name",
        "date",
        "category",
        "type",
        "days_until",
        "moving_time_seconds",
        "distance_meters",
        "display",
        "has_terrain",
        "start_time",
    ]
    assert spring["start_time"] == "09:30"
    assert spring["display"] == {"distance": {"value": 100.0, "unit": "km"}}
    assert "start_time" not in cal["all_races"][0]  # 00:00 is "no time"
    assert cal["all_races"][0]["display"] == {"distance": None}


def test_rc1_taper_alert_names_the_a_race_twelve_days_out():
    alert = rc1()["taper_alert"]
    assert alert["active"] is True
    assert (alert["event_name"], alert["event_date"], alert["days_until"]) == (
        "Big Race",
        "2026-02-08",
        12,
    )
    for needle in ("RACE_A", "'Big Race'", "12", "41-60%", "intensity", "CTL"):
        assert needle in alert["message"]


def test_rc1_race_week_targets_the_a_race_despite_the_earlier_c_race():
    week = rc1()["race_week"]
    assert week["event_name"] == "Spring Classic"
    assert week["current_day"] == "D-5"
    assert week["event_duration_class"] == "medium"  # 7200 s in 5400…10800
    assert week["ctl_baseline"] == 70.0
    assert week["normal_weekly_tss"] == 490.0  # 70 × 7
    assert week["race_week_tss_budget"] == {"min": 196, "max": 270}  # 490×0.40, 490×0.55=269.5→270
    # window [02-01 − 7 = 01-25, 01-27]: 80 + 50
    assert week["race_week_tss_spent"] == 130
    assert week["race_week_tss_remaining"] == {"min": 66, "max": 140}
    # 70·e^(−5/42) − 80·e^(−5/7) = 62.14 − 39.14 = 23.0
    assert week["projected_race_day_tsb"] == 23.0
    assert week["tsb_target_range"] == {"min": 10, "max": 20}
    assert week["go_no_go"] == {"tsb_status": "green", "notes": []}
    # D-5: 70 × 0.40 = 28, 70 × 0.60 = 42
    assert week["today"]["label"] == "Moderate endurance"
    assert week["today"]["load_target_tss"] == {"min": 28, "max": 42}
    assert week["carb_loading"]["applicable"] is True
    assert week["carb_loading"]["active"] is False
    assert week["carb_loading"]["start_date"] == "2026-01-28"
    assert week["opener"] == {"day": "D-2", "date": "2026-01-30", "intensity": "standard"}


def test_rc1_race_week_key_order():
    assert list(rc1()["race_week"]) == [
        "active",
        "event_name",
        "event_date",
        "event_category",
        "event_type",
        "event_duration_class",
        "event_moving_time_seconds",
        "days_until_event",
        "current_day",
        "ctl_baseline",
        "normal_weekly_tss",
        "race_week_tss_budget",
        "race_week_tss_spent",
        "race_week_tss_remaining",
        "projected_race_day_tsb",
        "tsb_target_range",
        "today",
        "carb_loading",
        "opener",
        "go_no_go",
    ]


def test_no_races_gives_the_empty_calendar():
    assert build_race_calendar(TODAY, [RC1_EVENTS[3]], 70.0, 80.0, []) == {
        "next_race": None,
        "all_races": [],
        "taper_alert": {"active": False},
        "race_week": {"active": False},
    }


def test_past_races_and_undated_races_are_not_candidates():
    events = [ev(1, "RACE_A", "2026-01-26T00:00:00"), ev(2, "RACE_A", None), ev(3, "RACE_A", "x")]
    assert collect_races(events, TODAY) == []


def test_unnamed_race_and_missing_type_get_defaults():
    race = collect_races(
        [
            {
                "id": 9,
                "category": "RACE_B",
                "start_date_local": "2026-01-27",
                "name": None,
                "indoor": True,
            }
        ],
        TODAY,
    )[0]
    assert race["name"] == "Unnamed Race"
    assert race["type"] == "Unknown"
    assert race["days_until"] == 0
    assert race["indoor"] is True


def test_has_terrain_follows_the_given_event_ids():
    races = collect_races(RC1_EVENTS, TODAY, terrain_event_ids={2})
    assert [r["has_terrain"] for r in races] == [False, True, False]


def test_equal_days_keep_api_order():
    events = [
        ev(5, "RACE_B", "2026-02-01", name="first"),
        ev(6, "RACE_A", "2026-02-01", name="second"),
    ]
    assert [r["name"] for r in collect_races(events, TODAY)] == ["first", "second"]


@pytest.mark.parametrize(("days", "active"), [(7, False), (8, True), (14, True), (15, False)])
def test_taper_alert_window_is_8_to_14_days_inclusive(days, active):
    races = [{"name": "A", "date": "x", "category": "RACE_A", "days_until": days}]
    assert taper_alert(races)["active"] is active


def test_taper_alert_ignores_b_races():
    assert taper_alert([{"name": "B", "date": "x", "category": "RACE_B", "days_until": 10}]) == {
        "active": False
    }


@pytest.mark.parametrize(
    ("events", "target"),
    [
        # A race preferred over an earlier B race inside the week
        ([ev(1, "RACE_B", "2026-01-29", name="B"), ev(2, "RACE_A", "2026-02-02", name="A")], "A"),
        # only B
        ([ev(1, "RACE_B", "2026-02-03", name="B")], "B"),
        # 8 days out is not race week
        ([ev(1, "RACE_A", "2026-02-04", name="A")], None),
        # RACE_C never activates race week
        ([ev(1, "RACE_C", "2026-01-28", name="C")], None),
    ],
)
def test_race_week_target_selection(events, target):
    week = build_race_calendar(TODAY, events, 50.0, 50.0, [])["race_week"]
    if target is None:
        assert week == {"active": False}
    else:
        assert week["event_name"] == target


def test_race_b_in_5_days_and_race_a_in_12_days_are_both_active():
    events = [ev(1, "RACE_B", "2026-02-01", name="B"), ev(2, "RACE_A", "2026-02-08", name="A")]
    cal = build_race_calendar(TODAY, events, 50.0, 50.0, [])
    assert cal["race_week"]["event_name"] == "B"
    assert cal["taper_alert"]["event_name"] == "A"


def test_race_b_budget_uses_50_to_65_percent():
    cal = build_race_calendar(
        TODAY, [ev(1, "RACE_B", "2026-01-30", moving_time=3600)], 60.0, 60.0, []
    )
    # normal 420: 420 × 0.50 = 210, 420 × 0.65 = 273
    assert cal["race_week"]["race_week_tss_budget"] == {"min": 210, "max": 273}


def test_missing_ctl_and_atl_count_as_zero():
    week = build_race_calendar(TODAY, [ev(1, "RACE_A", "2026-01-30")], None, 0, [])["race_week"]
    assert week["ctl_baseline"] == 0.0
    assert week["race_week_tss_budget"] == {"min": 0, "max": 0}
    assert week["projected_race_day_tsb"] == 0.0
    assert week["today"]["load_target_tss"] == {"min": 0, "max": 0}
    assert week["race_week_tss_spent"] == 0


def test_spent_larger_than_budget_leaves_zero_remaining():
    acts = [
        {"start_date_local": "2026-01-26", "icu_training_load": 500},
        {"start_date_local": "2026-01-27", "icu_training_load": None},
    ]
    week = build_race_calendar(TODAY, [ev(1, "RACE_A", "2026-01-30")], 50.0, 50.0, acts)[
        "race_week"
    ]
    assert week["race_week_tss_spent"] == 500
    assert week["race_week_tss_remaining"] == {"min": 0, "max": 0}


@pytest.mark.parametrize(
    ("moving_time", "category", "expected"),
    [
        (5399, "RACE_A", "short_intense"),
        (5400, "RACE_A", "medium"),
        (10800, "RACE_A", "medium"),
        (10801, "RACE_A", "long_endurance"),
        (None, "RACE_A", "long_endurance"),
        (None, "RACE_B", "medium"),
        (0, "RACE_A", "long_endurance"),  # D-10: 0 is unknown
        (0, "RACE_B", "medium"),
        # a non-finite moving time is unknown too (it used to count as infinitely long)
        (float("inf"), "RACE_B", "medium"),
        (float("nan"), "RACE_A", "long_endurance"),
        (True, "RACE_B", "medium"),
    ],
)
def test_duration_class_thresholds(moving_time, category, expected):
    assert duration_class(moving_time, category) == expected


@pytest.mark.parametrize(
    ("duration", "category", "expected"),
    [
        ("short_intense", "RACE_A", {"min": 5, "max": 15}),
        ("medium", "RACE_A", {"min": 10, "max": 20}),
        ("long_endurance", "RACE_A", {"min": 10, "max": 25}),
        ("short_intense", "RACE_B", {"min": 0, "max": 10}),
        ("medium", "RACE_B", {"min": 5, "max": 15}),
        ("long_endurance", "RACE_B", {"min": 5, "max": 20}),
    ],
)
def test_tsb_target_ranges(duration, category, expected):
    assert tsb_target_range(duration, category) == expected


@pytest.mark.parametrize(
    ("moving_time", "category", "applicable"),
    [
        (5399, "RACE_A", False),
        (5400, "RACE_B", True),
        (None, "RACE_A", True),
        (None, "RACE_B", False),
        (0, "RACE_A", True),
    ],
)
def test_carb_loading_applicability(moving_time, category, applicable):
    event = ev(1, category, "2026-01-30", moving_time=moving_time)
    carb = build_race_calendar(TODAY, [event], 50.0, 50.0, [])["race_week"]["carb_loading"]
    assert carb["applicable"] is applicable
    assert (carb["note"] is not None) is applicable
    assert carb["active"] is (applicable and 3 <= 4)  # n = 3


@pytest.mark.parametrize(("day", "active"), [("2026-01-31", True), ("2026-02-01", False)])
def test_carb_loading_becomes_active_from_d4(day, active):
    event = ev(1, "RACE_A", day)  # unknown time, RACE_A → applicable
    carb = build_race_calendar(TODAY, [event], 50.0, 50.0, [])["race_week"]["carb_loading"]
    assert carb["active"] is active


def test_zero_days_projection_is_todays_ctl_minus_atl():
    assert project_tsb(70.0, 80.0, 0) == -10.0


@pytest.mark.parametrize(
    ("n", "label", "lo", "hi"),
    [
        (7, "Last key session", 75, 100),
        (6, "Recovery", 0, 30),
        (5, "Moderate endurance", 40, 60),
        (4, "Easy / rest", 0, 40),
        (3, "Easy / rest", 0, 40),
        (2, "Opener", 30, 50),
        (1, "Rest / minimal", 0, 20),
        (0, "Race day", 0, 0),
    ],
)
def test_day_protocol_targets_at_ctl_100(n, label, lo, hi):
    today = day_protocol(n, 100.0, "medium")
    assert today["label"] == label
    assert today["load_target_tss"] == {"min": lo, "max": hi}


def test_long_endurance_raises_the_d4_d3_minimum_and_changes_the_opener():
    assert day_protocol(4, 100.0, "long_endurance")["load_target_tss"] == {"min": 20, "max": 40}
    assert day_protocol(3, 100.0, "long_endurance")["load_target_tss"]["min"] == 20
    assert day_protocol(2, 100.0, "long_endurance")["zones"].startswith("3-4 efforts Z4 only")
    assert day_protocol(2, 100.0, "short_intense")["zones"].startswith("5-6 efforts Z4-Z6 (10-30s)")
    assert day_protocol(2, 100.0, "medium")["zones"].startswith("3-5 efforts Z4-Z6 (20-60s)")


def test_day_outside_race_week_is_pre_race_week():
    assert day_protocol(8, 100.0, "medium")["load_target_tss"] is None


@pytest.mark.parametrize(
    ("projected", "status", "notes"),
    [
        (25.0, "green", 0),  # above max is still green
        (10.0, "green", 0),  # = min
        (9.9, "flag", 1),  # just below min
        (0.0, "flag", 1),  # = min − 10
        (-0.1, "flag", 1),  # significantly below
    ],
)
def test_go_no_go_bands(projected, status, notes):
    result = go_no_go(projected, {"min": 10, "max": 20})
    assert result["tsb_status"] == status
    assert len(result["notes"]) == notes
    if projected < 0:
        assert "significantly" in result["notes"][0]
    elif notes:
        assert "significantly" not in result["notes"][0]


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.integers(0, 5),
                "category": st.sampled_from(["RACE_A", "RACE_B", "RACE_C", "WORKOUT", None]),
                "start_date_local": st.sampled_from(
                    [
                        None,
                        "2026-01-27",
                        "2026-01-30T07:15:00",
                        "2026-02-03",
                        "2026-02-09T00:00:00",
                        "2026-01-01",
                        "bad",
                    ]
                ),
                "moving_time": st.one_of(st.none(), st.integers(-10, 20000)),
                "distance": st.one_of(st.none(), st.integers(0, 200000)),
                "name": st.one_of(st.none(), st.text(max_size=4)),
            }
        ),
        max_size=6,
    ),
    ctl=st.one_of(st.none(), st.floats(0, 150)),
    atl=st.one_of(st.none(), st.floats(0, 200)),
)
def test_race_calendar_is_total(events, ctl, atl):
    cal = build_race_calendar(TODAY, events, ctl, atl, [])
    assert all(r["days_until"] >= 0 for r in cal["all_races"])
    week = cal["race_week"]
    if week["active"]:
        assert week["event_category"] in ("RACE_A", "RACE_B")
        assert week["go_no_go"]["tsb_status"] in ("green", "flag")
