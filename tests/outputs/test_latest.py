"""build_latest over the hand-made run of conftest.py (Wed 2026-03-18, D = 7: 03-12 … 03-18)."""

import json

from latest_dataset import make_snapshot

from s11sync.config import Settings
from s11sync.outputs.latest import TOP_LEVEL_KEYS, build_latest
from s11sync.outputs.summary import build_summary
from s11sync.snapshot import Previous
from s11sync.units import METRIC_UNITS

ALL_PARTS = {
    "alerts": [{"id": "a"}],
    "readiness_decision": {"recommendation": "go"},
    "health_context": {"source_status": "ok"},
    "race_calendar": {"next_race": None},
    "derived_metrics": {"acwr": 1.1},
    "current_weight": {"weight_latest_kg": 70.0},
}


def build(snap=None, settings=None, parts=None):
    return build_latest(
        snap or make_snapshot(),
        Previous(),
        settings or Settings(),
        parts or {},
        version="0.1.0",
        schema_version=1,
    )


def test_without_parts_the_sections_built_elsewhere_are_absent():
    doc = build()
    assert list(doc) == [
        "READ_THIS_FIRST",
        "today",
        "metadata",
        "athlete_profile",
        "athlete_notes",
        "history",
        "summary",
        "current_status",
        "recent_activities",
        "wellness_data",
        "planned_workouts",
        "workout_summary_stats",
        "weekly_summary",
        "year_to_date",
    ]
    assert "weight" not in doc["current_status"]


def test_with_every_part_the_top_level_order_is_the_spec_order():
    doc = build(parts=ALL_PARTS)
    assert list(doc) == list(TOP_LEVEL_KEYS)
    assert TOP_LEVEL_KEYS[5:8] == ("alerts", "readiness_decision", "health_context")
    assert doc["alerts"] == [{"id": "a"}]
    assert list(doc["current_status"]) == ["fitness", "thresholds", "current_metrics", "weight"]
    assert doc["current_status"]["weight"] == {"weight_latest_kg": 70.0}


def test_an_empty_weight_object_leaves_weight_absent():
    doc = build(parts={"current_weight": {}})
    assert "weight" not in doc["current_status"]


def test_document_is_strict_json_and_holds_no_secret():
    text = json.dumps(
        build(settings=Settings(anonymize=False)), allow_nan=False, ensure_ascii=False
    )
    assert "SECRET-KEY" not in text and "TOKEN" not in text and "i42" not in text


def test_quick_stats_weekly_summary_and_summary_share_the_display_window():
    doc = build()
    # window activities: ride 3600 s / 60 TSS, run 2700 s / 45.5 TSS, zwift with null fields; the
    # Strava stub (03-14) and the 03-10 trainer ride are out. 3600 + 2700 = 6300 s = 1.75 h = 1h45m;
    # TSS r0(60 + 45.5) = r0(105.5) = 106 (half to even).
    assert doc["READ_THIS_FIRST"]["quick_stats"] == {
        "total_training_hours": 1.75,
        "total_training_formatted": "1h45m",
        "total_activities": 3,
        "total_tss": 106,
    }
    # HRV in window: 62 (03-18), 300 (03-17, outside 10…250), 60 (03-16) → (62 + 60)/2 = 61.0;
    # resting HR: 48, 0 (falsy, skipped), 50 → 49.0. 03-11 is outside the window.
    assert doc["weekly_summary"] == {
        "period": "rolling",
        "period_description": (
            "Rolling window: the last 7 days, today included; not a calendar week (history.json "
            "weekly rows are calendar weeks)."
        ),
        "total_training_hours": 1.75,
        "total_training_formatted": "1h45m",
        "total_tss": 106,
        "activities_count": 3,
        "avg_hrv": 61.0,
        "avg_resting_hr": 49.0,
    }
    summary = doc["summary"]
    assert summary["total_duration_decimal_hours"] == 1.75 and summary["total_activities"] == 3
    assert list(summary["by_activity_type"]) == ["Ride", "Run", "VirtualRide"]
    # Run: 2700/3600 = 0.75 h, r0(45.5) = 46, 9000 m = 9.0 km
    assert summary["by_activity_type"]["Run"] == {
        "duration_decimal_hours": 0.75,
        "count": 1,
        "tss": 46,
        "distance_km": 9.0,
    }  # no display companion, it would repeat 9.0 km
    assert summary["by_activity_type"]["VirtualRide"]["tss"] == 0
    assert summary["by_activity_type"]["VirtualRide"]["duration_decimal_hours"] == 0.0


def test_summary_distance_and_its_display_are_rounded_alike():
    snap = make_snapshot()
    for activity in snap.activities:
        if activity.get("type") == "Run":
            activity["distance"] = 24480.0  # 24.48 km
    run = build(snap=snap)["summary"]["by_activity_type"]["Run"]
    assert run["distance_km"] == 24.5
    assert "display" not in run  # a km companion would only repeat distance_km
    summary = build_summary(list(snap.activities), 7, METRIC_UNITS)["by_activity_type"]["Run"]
    assert summary["display"]["distance"] == {"value": 24.5, "unit": "km"}


def test_weekly_summary_is_the_display_window_whatever_the_week_start():
    # weekly_summary is the rolling display window, not a calendar week. A Sunday week start (Sun
    # 03-15 … ) must not change it.
    assert build(settings=Settings(week_start="sun"))["weekly_summary"] == build()["weekly_summary"]


def test_a_longer_display_window_takes_older_activities():
    # D = 10 → 03-09 … 03-18 adds the 03-10 trainer ride: 6300 + 5400 = 11700 s = 3.25 h; 105.5 + 80 → 186
    doc = build(snap=make_snapshot(days=10))
    assert doc["weekly_summary"]["total_training_hours"] == 3.25
    assert doc["weekly_summary"]["total_tss"] == 186
    assert doc["weekly_summary"]["period_description"].startswith(
        "Rolling window: the last 10 days, today included"
    )
    assert doc["summary"]["period_description"] == (
        "Last 10 days of training, today included (rolling window, not a calendar week)"
    )
    assert doc["metadata"]["data_range_days"] == 10


def test_metadata_counts_the_strava_stub_and_stamps_the_run_instant():
    meta = build()["metadata"]
    assert meta["athlete_id"] == "REDACTED"
    assert meta["last_updated"] == "2026-03-18T12:00:05+01:00"  # seconds precision, athlete offset
    assert (meta["data_range_days"], meta["extended_range_days"]) == (7, 28)
    assert (meta["version"], meta["schema_version"]) == ("0.1.0", 1)
    assert meta["data_availability"]["strava_stubs"] == 1
    assert "Strava" in meta["data_availability"]["note"]


def test_no_stub_means_a_null_note():
    snap = make_snapshot()
    snap.activities = [a for a in snap.activities if a.get("source") != "STRAVA"]
    assert build(snap=snap)["metadata"]["data_availability"] == {"strava_stubs": 0, "note": None}


def test_stubs_never_appear_in_recent_activities():
    ids = [a["id"] for a in build()["recent_activities"]]
    assert ids == ["i1001", "i1002", "i1003", "i1004"]  # newest first; stub 98765 (03-14) left out


def test_anonymisation_is_on_by_default():
    doc = build()
    profile = doc["athlete_profile"]
    assert profile["date_of_birth"] is None and profile["age"] == 35  # born 1990-03-19, day before
    assert profile["location"] == "Germany"
    assert profile["platform_activated"] is None and profile["years_on_platform"] == 6
    names = {a["id"]: a["name"] for a in doc["recent_activities"]}
    assert names["i1001"] == "Ride" and names["i1002"] == "Run"  # outdoor → type
    assert names["i1003"] == "Zwift" and names["i1004"] == "Turbo session"  # indoor / trainer kept
    assert doc["planned_workouts"][0]["name"] == "Threshold"


def test_no_anonymize_keeps_personal_fields():
    doc = build(settings=Settings(anonymize=False))
    profile = doc["athlete_profile"]
    assert profile["date_of_birth"] == "1990-03-19"
    assert (
        profile["location"] == "Hometown, Germany"
    )  # trailing spaces trimmed, empty state dropped
    assert profile["platform_activated"] == "2019-05-01"
    assert doc["recent_activities"][0]["name"] == "Loop around Hometown"


def test_profile_keys_and_notes():
    doc = build()
    assert list(doc["athlete_profile"]) == [
        "date_of_birth",
        "age",
        "height_m",
        "display",
        "display_preferences",
        "sex",
        "location",
        "timezone",
        "platform_activated",
        "years_on_platform",
    ]
    assert doc["athlete_profile"]["display"] == {"height": {"value": 180, "unit": "cm"}}
    assert doc["athlete_profile"]["display_preferences"]["wind"] == "km/h"
    assert doc["athlete_notes"] == "Knee surgery 2020"


def test_read_this_first_carries_every_note_and_the_default_zone_preference():
    rtf = build()["READ_THIS_FIRST"]
    assert list(rtf) == [
        "instruction_for_ai",
        "display_formatting",
        "data_period",
        "extended_data_note",
        "capability_metrics_note",
        "readiness_decision_note",
        "health_context_note",
        "zone_preference",
        "wellness_field_scales",
        "quick_stats",
    ]
    assert "last 7 days" in rtf["data_period"] and "28 days" in rtf["data_period"]
    assert rtf["zone_preference"] == "default (power preferred, HR fallback)"
    assert rtf["wellness_field_scales"]["motivation"]["1"] == "EXTREME"
    assert "OVULATING" in rtf["wellness_field_scales"]["menstrual"]
    assert "lt1 0.75" in rtf["capability_metrics_note"]
    assert "P0" in rtf["readiness_decision_note"] and "titles" in rtf["health_context_note"]


def test_zone_preference_map_is_passed_through():
    rtf = build(settings=Settings(zone_preference={"run": "hr"}))["READ_THIS_FIRST"]
    assert rtf["zone_preference"] == {"run": "hr"}


def test_history_block_absent_file_and_fresh_file():
    assert build()["history"]["available"] is False
    doc = build(
        parts={
            "history_doc": {
                "generated_at": "2026-03-17T23:30:00+00:00",
                "data_range": {"total_months": 12},
            }
        }
    )
    # 23:30 UTC on 03-17 is 00:30 on 03-18 at UTC+1 → age 0 days, not stale; 12 months → high
    assert doc["history"] == {
        "available": True,
        "last_generated": "2026-03-17",
        "age_days": 0,
        "total_months": 12,
        "history_confidence": "high",
        "stale": False,
    }


def test_history_block_old_file_is_stale_and_medium_confidence():
    doc = build(
        parts={
            "history_doc": {
                "generated_at": "2026-03-15T08:00:00",
                "data_range": {"total_months": 3},
            }
        }
    )
    assert doc["history"]["age_days"] == 3
    assert doc["history"]["stale"] is True
    assert doc["history"]["history_confidence"] == "medium"


def test_history_stale_part_marks_a_fresh_file_stale():
    doc = build(
        parts={"history_doc": {"generated_at": "2026-03-18T08:00:00"}, "history_stale": True}
    )
    assert doc["history"]["stale"] is True and doc["history"]["total_months"] == 0
    assert doc["history"]["history_confidence"] == "low"


def test_wellness_data_rows_are_ascending_and_limited_to_the_window():
    rows = build()["wellness_data"]
    assert [r["date"] for r in rows] == ["2026-03-16", "2026-03-17", "2026-03-18"]
    assert rows[1]["sleep_formatted"] == "7h45m" and rows[1]["sleep_hours"] == 7.76  # 27930 s
    assert rows[0]["weight_kg"] == 70.0 and "display" not in rows[0]  # kg repeats kg
    # a field not recorded that day is left out (absent = unknown); the order is kept
    assert list(rows[0]) == ["date", "weight_kg", "resting_hr", "hrv_rmssd"]
    assert all(value is not None for row in rows for value in row.values())


def test_current_metrics_read_the_newest_record_with_athlete_fallbacks():
    cm = build()["current_status"]["current_metrics"]
    assert cm["date"] == "2026-03-18"
    # today's weight is null, the last weigh-in (03-16, 70.0 kg) is shown with its date;
    # the original script showed the profile's 71.5 kg under today's date
    assert (cm["weight_kg"], cm["weight_source"], cm["weight_date"]) == (
        70.0,
        "wellness",
        "2026-03-16",
    )
    assert "display" not in cm  # a kg companion would repeat weight_kg
    assert cm["resting_hr"] == 48 and cm["resting_hr_source"] == "wellness" and cm["hrv"] == 62.0
    assert cm["sleep_hours"] == 7.5 and cm["sleep_formatted"] == "7h30m"  # 27000 s
    assert list(cm)[:5] == ["date", "weight_kg", "weight_source", "weight_date", "resting_hr"]


def test_current_metrics_without_wellness_fall_back_to_the_profile_weight_without_a_date():
    cm = build(snap=make_snapshot(wellness=[]))["current_status"]["current_metrics"]
    assert cm["date"] is None and cm["hrv"] is None
    assert (cm["weight_kg"], cm["weight_source"], cm["weight_date"]) == (71.5, "profile", None)
    # the resting HR is the profile's 52 bpm, not a reading: it says so
    assert (cm["resting_hr"], cm["resting_hr_source"]) == (52, "profile")


def test_a_weigh_in_older_than_the_display_window_is_still_the_last_known_weight():
    # D = 7 covers 03-12 … 03-18; the only weigh-in is 03-01, inside the 28-day window
    rows = [{"id": "2026-03-18", "hrv": 60.0}, {"id": "2026-03-01", "weight": 69.4}]
    cm = build(snap=make_snapshot(wellness=rows))["current_status"]["current_metrics"]
    assert (cm["weight_kg"], cm["weight_source"], cm["weight_date"]) == (
        69.4,
        "wellness",
        "2026-03-01",
    )


def test_current_metrics_name_the_categorical_values_beside_them():
    cm = build()["current_status"]["current_metrics"]
    assert (cm["sleep_quality"], cm["fatigue"]) == (2, 2)
    assert list(cm)[list(cm).index("sleep_quality") + 1] == "scale_labels"
    assert cm["scale_labels"] == {
        "sleep_quality": "OK (1 = best, 4 = worst)",
        "fatigue": "Some (1 = best, 4 = worst)",
    }


def test_vo2max_last_known_carries_its_date():
    rows = [
        {"id": "2026-03-18", "hrv": 60.0},
        {"id": "2026-03-16", "vo2max": 54.5},
        {"id": "2026-03-10", "vo2max": 53.0},
    ]
    th = build(snap=make_snapshot(wellness=rows))["current_status"]["thresholds"]
    assert th["vo2max"] is None  # today's record has none (original meaning)
    assert th["vo2max_last_known"] == {"value": 54.5, "date": "2026-03-16"}


def test_documents_validate_against_the_latest_schema():
    from s11sync.validate import validate_document as validate

    # the fake parts of ALL_PARTS are not real section content: validate the sections built here
    history = {
        "history_doc": {"generated_at": "2026-03-18T01:00:00", "data_range": {"total_months": 5}}
    }
    for settings, parts in ((Settings(), {}), (Settings(anonymize=False), history)):
        assert validate("latest.json", build(settings=settings, parts=parts)) == []


def test_todays_session_done_is_marked_in_the_today_block_and_in_planned_workouts():
    snap = make_snapshot()
    snap.activities = [
        *snap.activities,
        {
            "id": "i2001",
            "start_date_local": "2026-03-18T07:00:00",
            "type": "VirtualRide",
            "name": "Zwift threshold",
            "moving_time": 4800,
            "icu_training_load": 80,
            "paired_event_id": 501,
        },
    ]
    doc = build(snap=snap)
    session = doc["today"]["planned_sessions"][0]
    assert (session["id"], session["done"]) == (501, True)
    assert session["completed_activity"]["id"] == "i2001"
    assert session["completed_activity"]["tss"] == 80
    entry = next(p for p in doc["planned_workouts"] if p["id"] == 501)
    assert entry["completed_activity_id"] == "i2001"
    assert list(doc)[:2] == ["READ_THIS_FIRST", "today"]


def test_an_unpaired_plan_of_today_stays_to_do():
    doc = build()
    session = doc["today"]["planned_sessions"][0]
    assert (session["id"], session["done"], session["completed_activity"]) == (501, False, None)
    assert doc["today"]["remaining_plan"].startswith("Still to do: Threshold (Ride):")
    assert all("completed_activity_id" not in p for p in doc["planned_workouts"])


def test_recent_activities_leave_out_unknown_fields_but_keep_zeros():
    # absent = unknown (the original script wrote null); "missing is not zero"
    snap = make_snapshot()
    ride = next(a for a in snap.activities if a["id"] == "i1001")
    ride["icu_average_watts"] = None
    ride["calories"] = 0
    record = next(r for r in build(snap=snap)["recent_activities"] if r["id"] == "i1001")
    assert "avg_power" not in record and record["calories"] == 0
    assert "weather" not in record and "humidity" not in record  # always null in the original
    assert all(value is not None for value in record.values())
