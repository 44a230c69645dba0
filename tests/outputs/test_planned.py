"""planned_workouts, workout_summary_stats and planned ↔ completed pairing (by Intervals.icu id)."""

from datetime import date

from latest_dataset import make_activities, make_events

from s11sync.outputs.planned import build_planned, pairing_set, split_note_lines

T = date(2026, 3, 18)


def by_id(planned):
    return {p["id"]: p for p in planned}


def test_events_from_today_to_42_days_sorted_by_date_time_and_id():
    events = make_events() + [
        {"id": 601, "category": "NOTE", "start_date_local": "2026-04-29T00:00:00"},  # T+42: in
        {"id": 602, "category": "NOTE", "start_date_local": "2026-04-30T00:00:00"},  # T+43: out
        {
            "id": 499,
            "category": "NOTE",
            "start_date_local": "2026-03-20T00:00:00",
        },  # same day as 502
    ]
    planned, _ = build_planned(events, T)
    assert [p["id"] for p in planned] == [501, 499, 502, 504, 503, 601]  # past 500 left out


def test_near_workout_with_note_lines_and_summary():
    p = by_id(build_planned(make_events(), T)[0])[501]
    assert list(p) == [
        "id",
        "date",
        "name",
        "type",
        "sport_type",
        "planned_tss",
        "duration_hours",
        "duration_formatted",
        "workout_summary",
        "has_terrain",
        "coach_notes",
        "description",
    ]
    assert p["workout_summary"] == "10m @150W | 4×9m56s @259W / 5m rec | 10m @140W"
    assert p["coach_notes"] == ["keep cadence high"]
    assert p["description"] == "- 10m 150w\n\nMain 4x\n- 9m56s 259w\n- 5m 130w"
    assert p["duration_hours"] == 1.33 and p["duration_formatted"] == "1h19m44s"  # 4784 s
    assert (p["type"], p["sport_type"], p["planned_tss"]) == ("WORKOUT", "Ride", 78)


def test_note_event_has_empty_sport_type_and_zero_duration():
    p = by_id(build_planned(make_events(), T)[0])[502]
    assert (p["sport_type"], p["planned_tss"], p["duration_hours"], p["duration_formatted"]) == (
        "",
        None,
        0.0,
        "0s",
    )
    assert p["description"] == "Flight to Spain" and p["workout_summary"] is None


def test_indoor_flag_and_empty_near_description():
    p = by_id(build_planned(make_events(), T)[0])[504]
    assert p["indoor"] is True and p["description"] == ""
    assert p["workout_summary"] == "2h @160W"


def test_far_race_without_summary_gets_a_three_line_preview_and_its_start_time():
    p = by_id(build_planned(make_events(), T)[0])[503]
    assert p["start_time"] == "08:30"
    assert p["description_preview"] == "Line 1\nLine 2\nLine 3"
    assert "description" not in p


def test_far_event_with_a_summary_has_no_description_at_all():
    events = [
        {
            "id": 7,
            "category": "WORKOUT",
            "start_date_local": "2026-04-01T00:00:00",
            "description": "x",
            "workout_doc": make_events()[1]["workout_doc"],
        }
    ]
    p = build_planned(events, T)[0][0]
    assert p["workout_summary"] is not None
    assert "description" not in p and "description_preview" not in p


def test_far_event_without_text_has_a_null_preview():
    p = build_planned(
        [{"id": 8, "category": "NOTE", "start_date_local": "2026-04-01T00:00:00"}], T
    )[0][0]
    assert p["description_preview"] is None


def test_summary_stats_over_the_planned_events():
    _, stats = build_planned(make_events(), T)
    # 501 pattern A; 504 one steady step → pattern A too (steady workouts have a
    # summary); 503 race with text but no doc; 502 note: nothing; 500 is in the past, not counted
    assert stats == {
        "attempted": 2,
        "success": 2,
        "patternA": 2,
        "patternB": 0,
        "bail_no_workout_doc": 1,
        "bail_no_match": 0,
    }
    assert stats["attempted"] == stats["patternA"] + stats["patternB"] + stats["bail_no_match"]


def test_has_terrain_only_for_successful_route_summaries():
    routes = {
        "events": [
            {"event_id": 503, "terrain_summary": {"total_distance_km": 120.0}},
            {"event_id": 501, "terrain_summary": {"error": "insufficient trackpoints"}},
        ]
    }
    planned = by_id(build_planned(make_events(), T, routes)[0])
    assert planned[503]["has_terrain"] is True
    assert planned[501]["has_terrain"] is False
    assert by_id(build_planned(make_events(), T)[0])[503]["has_terrain"] is False  # no route known


def test_route_flags_from_the_routes_part_win_over_the_document():
    routes = {"events": [{"event_id": 503, "terrain_summary": {"total_distance_km": 120.0}}]}
    flagged = by_id(
        build_planned(make_events(), T, routes, {"501": True, 503: {"has_terrain": False}})[0]
    )
    assert (flagged[501]["has_terrain"], flagged[503]["has_terrain"]) == (True, False)
    as_ids = by_id(build_planned(make_events(), T, None, frozenset({504}))[0])
    assert as_ids[504]["has_terrain"] is True and as_ids[501]["has_terrain"] is False


def test_note_lines_example_of_14_3():
    assert split_note_lines("NOTE: keep HR low\n\n- 45m Z2 HR") == (["keep HR low"], "- 45m Z2 HR")
    assert split_note_lines("note:   \nNOTE: b\ntext\n\nNOTE: c") == (["b"], "text\n\nNOTE: c")
    assert split_note_lines(None) == ([], "")


def test_pairing_by_id_in_both_directions():
    events = make_events() + [
        {
            "id": 505,
            "category": "WORKOUT",
            "start_date_local": "2026-03-17T00:00:00",
            "workout_doc": {"steps": [{"duration": 60}]},
        },
        {
            "id": 506,
            "category": "WORKOUT",
            "start_date_local": "2026-03-16T00:00:00",
            "workout_doc": {"steps": []},
        },
    ]
    activities = make_activities()
    activities[0]["paired_event_id"] = 505  # i1001 → structured event 505
    activities[1]["paired_event_id"] = 506  # i1002 → event without steps: not paired
    # event 500 names i1004 via paired_activity_id; event 501 (today) names nothing
    assert pairing_set(events, activities, T) == {"i1001", "i1004"}
