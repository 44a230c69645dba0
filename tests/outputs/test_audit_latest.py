"""Audit of latest.json against its contract: one hand-made regression test per discrepancy."""

from datetime import date

from s11sync.outputs.activities import format_activity
from s11sync.outputs.chat_notes import chat_fetch_ids
from s11sync.units import athlete_units

T = date(2026, 11, 25)
IMPERIAL = athlete_units({"measurement_preference": "feet"})


def test_speed_display_is_converted_from_the_unrounded_speed():
    # display values come from unrounded canonical values, not from the rounded ones.
    # 8.347 m/s × 3.6 = 30.0492 km/h → canonical avg_speed r1 = 30.0;
    # display: 30.0492 × 0.621371 = 18.6717 → r1 18.7 mph (from the rounded 30.0: 18.641 → 18.6).
    # max: 10.04 m/s × 3.6 = 36.144 km/h → canonical 36.1; display: 36.144 × 0.621371 = 22.4588
    # → 22.5 mph (from the rounded 36.1: 22.4315 → 22.4).
    ride = {
        "id": "i1",
        "start_date_local": "2026-11-25T09:00:00",
        "type": "VirtualRide",
        "average_speed": 8.347,
        "max_speed": 10.04,
    }
    out = format_activity(ride, {}, IMPERIAL, anonymize=True, today=T)
    assert out["avg_speed"] == 30.0 and out["max_speed"] == 36.1
    assert out["display"]["avg_speed"] == {"value": 18.7, "unit": "mph"}
    assert out["display"]["max_speed"] == {"value": 22.5, "unit": "mph"}


def test_chat_messages_are_never_fetched_for_strava_stubs():
    # messages are fetched per activity of the recent_activities list, which never holds a
    # Strava stub (docs/differences.md, "Missing data"). No previous latest.json → the whole chat
    # window T−7 … T is due: the Run of today qualifies, the stub of today (STRAVA, no type) does not.
    activities = [
        {"id": "i2", "start_date_local": "2026-11-25T07:00:00", "type": "Run"},
        {"id": "s1", "start_date_local": "2026-11-25T12:00:00", "source": "STRAVA"},
    ]
    assert chat_fetch_ids(activities, None, T) == ["i2"]
