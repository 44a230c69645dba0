"""recent_activities (docs/fields.md, "`latest.json`") over the hand-made run of
latest_dataset.py."""

from latest_dataset import TODAY, make_activities, make_snapshot

from s11sync.outputs.activities import (
    build_recent_activities,
    chat_notes_from,
    effort_response,
    format_activity,
    zone_distribution,
)
from s11sync.units import athlete_units

METRIC = athlete_units(None)
RIDE_KEYS = [
    "id",
    "date",
    "type",
    "name",
    "duration_hours",
    "duration_formatted",
    "distance_km",
    "tss",
    "intensity_factor",
    "intensity_factor_unit",
    "avg_power",
    "normalized_power",
    "avg_hr",
    "max_hr",
    "avg_cadence",
    "avg_speed",
    "avg_speed_unit",
    "max_speed",
    "max_speed_unit",
    "avg_pace",
    "avg_temp",
    "avg_temp_unit",
    "weather",
    "humidity",
    "wind_speed",
    "wind_speed_unit",
    "work_kj",
    "calories",
    "carbs_used",
    "carbs_ingested",
    "variability_index",
    "decoupling",
    "efficiency_factor",
    "hrrc",
    "elevation_m",
    "display",
    "feel",
    "feel_label",
    "rpe",
    "effort_response",
    "zone_distribution",
    "has_intervals",
    "has_dfa",
]


def activity(activity_id):
    return next(a for a in make_activities() if a["id"] == activity_id)


def fmt(a, extras=None, units=METRIC, anonymize=True, messages=None):
    return format_activity(
        a, extras or {}, units, anonymize=anonymize, today=TODAY, messages=messages
    )


def test_outdoor_ride_key_order_with_every_extra():
    extras = {
        "has_intervals": True,
        "has_dfa": True,
        "dfa_summary": {"avg": 0.8},
        "terrain_summary": {"total_distance_km": 30.0},
    }
    out = fmt(activity("i1001"), extras)
    assert list(out) == RIDE_KEYS + [
        "dfa_summary",
        "terrain_summary",
        "weather_summary",
        "description",
        "coach_notes",
    ]


def test_indoor_activity_without_extras_has_only_always_keys():
    out = fmt(activity("i1003"), {"terrain_status": "no_gps"})
    assert list(out) == RIDE_KEYS  # no terrain/weather for indoor, no description
    assert out["has_intervals"] is False and out["has_dfa"] is False  # no intervals entry known


def test_ride_values_from_the_api_record():
    out = fmt(activity("i1001"))
    assert out["duration_formatted"] == "1h" and out["distance_km"] == 30.0
    assert out["avg_speed"] == 29.9  # 8.3 m/s × 3.6 = 29.88
    assert out["max_speed"] == 54.0  # 15 × 3.6
    assert out["avg_temp"] == 0.0  # weather temp 0.0 is a value: no fall-through to device 5.0
    assert out["work_kj"] == 720.0 and out["hrrc"] == 31
    assert out["effort_response"] == "neutral"  # IF 0.85 → band 6–8, RPE 7
    assert out["display"]["wind_speed"] == {"value": 4.0, "unit": "m/s"}
    assert out["display"]["avg_temp"] == {"value": 0.0, "unit": "°C"}
    assert out["coach_notes"] == ["felt strong"]  # scan stops at "Good ride"
    assert out["description"].startswith("NOTE: felt strong")


def test_null_fields_give_zeros_only_where_the_spec_says():
    out = fmt(activity("i1003"))
    assert (
        out["duration_hours"] == 0.0
        and out["duration_formatted"] == "0s"
        and out["distance_km"] == 0.0
    )
    assert out["tss"] is None and out["avg_speed"] is None and out["zone_distribution"] is None
    assert out["display"]["distance"] == {"value": 0.0, "unit": "km"}


def test_zone_seconds_drop_sweet_spot_and_count_null_as_zero():
    zones = zone_distribution(activity("i1001"))
    assert zones["power_zones"] == {
        "z1_time": 600,
        "z2_time": 1800,
        "z3_time": 900,
        "z4_time": 300,
        "z5_time": 0,
        "z6_time": 0,
        "z7_time": 0,
    }
    assert zones["hr_zones"] == {
        "z1_time": 300,
        "z2_time": 2400,
        "z3_time": 900,
        "z4_time": 0,
        "z5_time": 0,
    }
    assert "pace_zones" not in zones


def test_pace_zones_follow_use_gap_zone_times():
    run = activity("i1002")
    assert zone_distribution(run)["pace_zones"] == {
        "z1_time": 1000,
        "z2_time": 1200,
        "z3_time": 500,
    }
    run["use_gap_zone_times"] = True
    assert zone_distribution(run)["pace_zones"] == {"z1_time": 900, "z2_time": 1300, "z3_time": 500}


def test_run_pace_in_seconds_per_km_and_display_per_mile_for_imperial():
    run = activity(
        "i1002"
    )  # 3.333… m/s → 1000/3.333 = 300 s/km; 1609.344/3.333 = 482.8 → 483 s = 8:03
    out = fmt(run, units=athlete_units({"measurement_preference": "feet"}))
    assert (out["avg_pace"], out["avg_pace_unit"]) == (300, "s/km")
    assert out["display"]["avg_pace"] == {"value": "8:03", "unit": "/mi"}
    assert out["display"]["avg_speed"] == {"value": 7.5, "unit": "mph"}  # 12.0 km/h × 0.621371


def test_swim_and_rowing_pace_units():
    swim = fmt({"id": "s", "type": "Swim", "average_speed": 1.25})  # 100/1.25 = 80 s/100m
    assert (swim["avg_pace"], swim["avg_pace_unit"], swim["display"]["avg_pace"]) == (
        80,
        "s/100m",
        {"value": "1:20", "unit": "/100m"},
    )
    row = fmt({"id": "r", "type": "Rowing", "average_speed": 4.0})  # 500/4 = 125 s = 2:05
    assert (row["avg_pace"], row["avg_pace_unit"]) == (125, "s/500m")
    ride = fmt({"id": "b", "type": "Ride", "average_speed": 0.0})
    assert ride["avg_pace"] is None and "avg_pace_unit" not in ride


def test_weather_block_converts_to_the_declared_units():
    units = athlete_units({"wind_speed": "MPH", "fahrenheit": True, "rain": "INCHES"})
    weather = fmt(activity("i1001"), units=units)["weather_summary"]
    assert weather["units"] == {"wind": "mph", "temp": "f", "rain": "in"}
    assert weather["avg_wind_speed"] == 8.95  # 4.0 × 2.23694 = 8.94776
    assert weather["avg_temp"] == 32.0 and weather["avg_temp_device"] == 41.0  # 0 °C, 5 °C
    assert weather["avg_feels_like"] == 26.15  # −3.25 × 9/5 + 32
    assert weather["rain"] == 0.02  # 0.4 mm / 25.4 = 0.0157
    assert weather["snow"] is None and weather["prevailing_wind_deg"] == 270
    assert list(weather)[:3] == ["source", "units", "avg_wind_speed"]


def test_outdoor_without_weather_says_unavailable_and_trainer_rides_get_nothing():
    assert fmt(activity("i1002"))["weather_status"] == "unavailable"
    trainer = fmt(activity("i1004"), {"terrain_status": "no_gps"})
    assert "weather_summary" not in trainer and "weather_status" not in trainer
    assert "terrain_status" not in trainer


def test_extras_override_and_terrain_coordinates_are_stripped_when_anonymising():
    terrain = {
        "total_distance_km": 30.0,
        "start_coords": [48.1, 11.5],
        "climbs": [{"start_coords": [1, 2], "end_coords": [3, 4], "distance_km": 2.0}],
    }
    extras = {"effort_response": "positive", "decoupling": 9.9, "terrain_summary": terrain}
    out = fmt(activity("i1001"), extras)
    assert out["effort_response"] == "positive" and out["decoupling"] == 9.9
    assert out["terrain_summary"] == {"total_distance_km": 30.0, "climbs": [{"distance_km": 2.0}]}
    kept = fmt(activity("i1001"), extras, anonymize=False)
    assert kept["terrain_summary"]["start_coords"] == [48.1, 11.5]
    assert terrain["start_coords"] == [48.1, 11.5]  # the part's object is not mutated


def test_decoupling_prefers_icu_hr_decoupling_when_present():
    a = activity("i1001")
    a["icu_hr_decoupling"] = 4.4
    assert fmt(a)["decoupling"] == 4.4


def test_effort_response_bands():
    assert effort_response(85.0, 7) == "neutral"
    assert effort_response(64.9, 3) is None
    assert effort_response(100, 10) == "negative"
    assert effort_response(74.9, 1) == "positive"
    assert effort_response(90.0, 0) is None and effort_response(None, 5) is None


def test_chat_notes_from_messages_in_the_chat_window_only():
    messages = {
        "i1001": [
            {"content": "Nice!"},
            {"content": " ", "text": "from text"},
            {"content": "gone", "deleted": "2026-03-17"},
            {"content": None, "text": None},
        ],
        "i1004": [{"content": "too old"}],
    }
    snap = make_snapshot(messages=messages)
    out = {a["id"]: a for a in build_recent_activities(snap, METRIC, anonymize=True)}
    assert out["i1001"]["chat_notes"] == ["Nice!", "from text"]
    assert "chat_notes" not in out["i1004"]  # 03-10 is before T−7 = 03-11
    assert chat_notes_from(None) == []


def test_chat_notes_extra_wins_even_when_empty():
    snap = make_snapshot(messages={"i1001": [{"content": "Nice!"}]})
    out = build_recent_activities(
        snap, METRIC, anonymize=True, activity_extras={"i1001": {"chat_notes": []}}
    )
    assert "chat_notes" not in out[0]


def test_interval_flags_from_this_runs_intervals_document():
    doc = {
        "activities": [
            {
                "activity_id": "i1001",
                "intervals": [{"type": "RECOVERY"}, {"type": "WORK"}],
                "dfa": {"x": 1},
            },
            {"activity_id": "i1002", "intervals": [{"type": "RECOVERY"}]},
        ]
    }
    out = {
        a["id"]: a
        for a in build_recent_activities(make_snapshot(), METRIC, anonymize=True, intervals_doc=doc)
    }
    assert (out["i1001"]["has_intervals"], out["i1001"]["has_dfa"]) == (True, True)
    assert (out["i1002"]["has_intervals"], out["i1002"]["has_dfa"]) == (False, False)
    assert (out["i1003"]["has_intervals"], out["i1003"]["has_dfa"]) == (False, False)


def test_recent_activities_span_max_28_d_days_newest_first():
    acts = make_activities() + [
        {"id": "i0900", "start_date_local": "2026-02-19T08:00:00", "type": "Walk"},
        {"id": "i0901", "start_date_local": "2026-02-18T08:00:00", "type": "Walk"},
    ]
    snap = make_snapshot(activities=acts)
    ids = [a["id"] for a in build_recent_activities(snap, METRIC, anonymize=True)]
    assert ids[-1] == "i0900"  # T−27 = 02-19 is in, 02-18 is out
    snap40 = make_snapshot(activities=acts, days=40)
    assert [a["id"] for a in build_recent_activities(snap40, METRIC, anonymize=True)][-1] == "i0901"


def test_chat_notes_copied_forward_when_messages_were_not_fetched_this_run():
    prev = {
        "recent_activities": [
            {"id": "i1002", "chat_notes": ["old comment"]},
            {"id": "i1004", "chat_notes": ["outside window"]},
        ]
    }
    snap = make_snapshot(messages={"i1001": []})
    out = {
        a["id"]: a for a in build_recent_activities(snap, METRIC, anonymize=True, prev_latest=prev)
    }
    assert out["i1002"]["chat_notes"] == ["old comment"]  # 03-16, not fetched → copied
    assert "chat_notes" not in out["i1001"]  # fetched, empty → absent
    assert "chat_notes" not in out["i1004"]  # 03-10 is outside T−7 … T


def test_intensity_factor_says_it_is_a_percentage_and_feel_is_named():
    # icu_intensity 85.3 is IF 0.853; feel 1 is the best end of a 1-5 scale
    out = fmt({**activity("i1001"), "icu_intensity": 85.3, "feel": 1})
    assert (out["intensity_factor"], out["intensity_factor_unit"]) == (85.3, "percent")
    assert (out["feel"], out["feel_label"]) == (1, "Strong (1 = best, 5 = worst)")
    none = fmt({**activity("i1001"), "icu_intensity": None, "feel": None})
    assert (none["intensity_factor_unit"], none["feel_label"]) == (None, None)
