"""intervals.json: worked examples IV-1…IV-6 and the merge rules (docs/files.md,
"`intervals.json`")."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from s11sync.cache import script_hash
from s11sync.outputs.intervals_file import (
    advance,
    build_intervals,
    map_segment,
    pairing_set,
    parse_timestamp,
    schedule_refresh,
    schedule_retry,
    select_candidates,
    with_companions,
    zone_basis,
)
from s11sync.snapshot import Snapshot

UTC = timezone.utc


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


START = t("2026-08-01T08:00:00")


@pytest.mark.parametrize(
    "now,endpoint,attempts,paired,retry_after,expected",
    [
        ("2026-08-01T10:00:00", "intervals", 1, False, None, "2026-08-01T10:05:00"),  # ladder 300 s
        (
            "2026-08-01T10:00:00",
            "intervals",
            7,
            False,
            None,
            "2026-08-01T10:30:00",
        ),  # ladder 1800 s
        (
            "2026-08-01T10:00:00",
            "intervals",
            13,
            False,
            None,
            "2026-08-01T16:00:00",
        ),  # ladder 21600 s
        (
            "2026-08-04T03:00:00",
            "intervals",
            13,
            False,
            None,
            None,
        ),  # 09:00 would pass the 08-04T08:00 deadline
        (
            "2026-08-05T10:00:00",
            "intervals",
            20,
            True,
            None,
            "2026-08-06T10:00:00",
        ),  # paired daily tier
        (
            "2026-08-05T10:00:00",
            "streams",
            20,
            True,
            None,
            None,
        ),  # streams never get the paired extension
        (
            "2026-08-01T10:00:00",
            "streams",
            1,
            False,
            600,
            "2026-08-01T10:10:00",
        ),  # Retry-After 600 > 300
        (
            "2026-08-14T09:00:00",
            "intervals",
            30,
            True,
            None,
            None,
        ),  # 08-15T09:00 ≥ deadline 08-15T08:00
    ],
)
def test_schedule_retry_worked_example_iv1(now, endpoint, attempts, paired, retry_after, expected):
    result = schedule_retry(endpoint, attempts, paired, START, t(now), retry_after)
    assert (result.replace(tzinfo=None).isoformat() if result else None) == expected


def test_schedule_refresh_worked_example_iv1():
    assert schedule_refresh(3, t("2026-08-10T09:00:00"), None) == t("2026-08-10T09:05:00")
    # ladder 21600 raised to Retry-After 90000 s = 25 h
    assert schedule_refresh(13, t("2026-08-10T09:00:00"), 90000) == t("2026-08-11T10:00:00")


def test_advance_worked_example_iv2():
    prev = {
        "attempts": 2,
        "first_seen": "2026-08-01T09:00:00+00:00",
        "status": "pending",
        "reason": "no_data",
        "next_retry_at": "x",
    }
    now = t("2026-08-01T10:00:00")
    assert advance(prev, "pending", "no_data", now, start=START) == {
        "attempts": 3,
        "first_seen": "2026-08-01T09:00:00+00:00",
        "last_attempt": "2026-08-01T10:00:00+00:00",
        "status": "pending",
        "reason": "no_data",
        "next_retry_at": "2026-08-01T10:05:00+00:00",
    }
    assert advance(prev, "ok", "ok", now) == {
        "attempts": 3,
        "first_seen": "2026-08-01T09:00:00+00:00",
        "last_attempt": "2026-08-01T10:00:00+00:00",
        "status": "ok",
        "reason": "ok",
    }
    assert advance(None, "tombstone", "terminal_error", now) == {
        "attempts": 1,
        "first_seen": "2026-08-01T10:00:00+00:00",
        "last_attempt": "2026-08-01T10:00:00+00:00",
        "status": "tombstone",
        "reason": "terminal_error",
    }


def test_pairing_worked_example_iv4():
    events = [
        {
            "id": 11,
            "start_date_local": "2026-08-01",
            "workout_doc": {"steps": [{"duration": 60}]},
            "paired_activity_id": "i100",
        },
        {"id": 12, "start_date_local": "2026-08-01", "workout_doc": {"steps": []}},
        {"id": 13, "start_date_local": "2026-08-01", "workout_doc": {"steps": [{}]}},
    ]
    activities = [
        {"id": "i200", "paired_event_id": 13},
        {"id": "i300", "paired_event_id": 12},
        {"id": "i400"},
    ]
    assert pairing_set(events, activities, date(2026, 8, 2)) == {"i100", "i200"}


IV5 = {
    "type": "WORK",
    "group_id": "300s@250w",
    "elapsed_time": 300,
    "moving_time": 298,
    "start_time": 600,
    "end_time": 900,
    "average_watts": 250,
    "max_watts": 300,
    "average_heartrate": 150,
    "max_heartrate": 160,
    "min_heartrate": 130,
    "average_cadence": 90.5,
    "zone": 4,
    "zone_min_watts": None,
    "zone_max_watts": None,
    "wbal_start": 20000,
    "wbal_end": 15000,
    "training_load": 8.2,
    "decoupling": 3.1,
}


def test_segment_mapping_and_zone_basis_worked_example_iv5():
    assert map_segment(IV5) == {
        "type": "WORK",
        "group_id": "300s@250w",
        "duration_secs": 300,
        "moving_secs": 298,
        "start_secs": 600,
        "end_secs": 900,
        "avg_power": 250,
        "max_power": 300,
        "avg_hr": 150,
        "max_hr": 160,
        "min_hr": 130,
        "avg_cadence": 90.5,
        "zone": 4,
        "w_bal_start": 20000,
        "w_bal_end": 15000,
        "training_load": 8.2,
    }
    assert zone_basis([IV5], {"icu_hr_zone_times": [60, 120, 0, 0, 0]}) == "hr"
    assert zone_basis([IV5], {"icu_hr_zone_times": [60], "gap_zone_times": [5]}) is None
    assert zone_basis([{**IV5, "zone_min_watts": 200}], {}) == "power"
    assert zone_basis([{**IV5, "zone": None}], {"icu_hr_zone_times": [60]}) is None


def _prev(fetch_state: dict, activities: list | None = None) -> dict:
    return {
        "script_hash": script_hash(),
        "activities": activities or [],
        "fetch_state": fetch_state,
    }


def test_candidate_selection_worked_example_iv6():
    now = t("2026-08-02T12:00:00")
    activities = [
        {"id": "i1", "type": "Ride", "start_date_local": "2026-08-02T07:00:00"},
        {"id": "i2", "type": "Ride", "start_date_local": "2026-07-29T07:00:00"},
        {"id": "i3", "type": "Walk", "start_date_local": "2026-08-01T07:00:00"},
        {"id": "i4", "type": "Run", "start_date_local": "2026-07-31T18:00:00"},
        {
            "id": "i5",
            "type": "VirtualRide",
            "start_date_local": "2026-07-25T18:00:00",
            "icu_intervals_edited": True,
            "icu_sync_date": "2026-08-02T09:00:00Z",
        },
        {"id": "i6", "type": "Ride", "start_date_local": "2026-07-18T07:00:00"},
        {"id": "i7", "type": "Swim", "start_date_local": "2026-08-01T07:00:00"},
    ]
    state = {
        "i4": {
            "date": "2026-07-31",
            "intervals": {
                "status": "pending",
                "attempts": 2,
                "next_retry_at": "2026-08-02T11:50:00+00:00",
            },
            "streams": {"status": "tombstone"},
        },
        "i5": {
            "date": "2026-07-25",
            "intervals": {
                "status": "ok",
                "attempts": 1,
                "source_icu_sync_date": "2026-07-25T18:00:00Z",
            },
        },
        "i7": {
            "date": "2026-08-01",
            "intervals": {
                "status": "pending",
                "attempts": 1,
                "next_retry_at": "2026-08-02T12:30:00+00:00",
            },
        },
    }
    got = select_candidates(activities, _prev(state), [], date(2026, 8, 2), now)
    # NEW: both endpoints; RETRY: only the due one (i4's streams are a tombstone); REFRESH: intervals
    assert got == [("i1", ("intervals", "streams")), ("i4", ("intervals",)), ("i5", ("intervals",))]
    # On a first run (no previous file) the scan window widens to the 14-day retention: i2 becomes NEW.
    first = select_candidates(activities, None, [], date(2026, 8, 2), now)
    assert ("i2", ("intervals", "streams")) in first


def _snap(activities, outcomes, payloads, now="2026-08-02T12:00:00") -> Snapshot:
    moment = t(now)
    return Snapshot(
        today=moment.date(),
        now=moment,
        days=7,
        athlete={},
        activities=activities,
        wellness=[],
        events=[],
        fetch_outcomes=outcomes,
        activity_intervals=payloads,
    )


def test_outcomes_worked_example_iv6_429_and_refresh_failure():
    activities = [
        {
            "id": "i4",
            "type": "Run",
            "start_date_local": "2026-07-31T18:00:00",
            "start_date": "2026-07-31T18:00:00Z",
        },
        {
            "id": "i5",
            "type": "VirtualRide",
            "start_date_local": "2026-07-25T18:00:00",
            "icu_intervals_edited": True,
            "icu_sync_date": "2026-08-02T09:00:00Z",
        },
    ]
    prev = _prev(
        {
            "i4": {
                "date": "2026-07-31",
                "intervals": {
                    "status": "pending",
                    "reason": "transient",
                    "attempts": 2,
                    "first_seen": "2026-08-01T00:00:00+00:00",
                },
            },
            "i5": {
                "date": "2026-07-25",
                "intervals": {
                    "status": "ok",
                    "reason": "ok",
                    "attempts": 1,
                    "first_seen": "2026-07-25T20:00:00+00:00",
                    "source_icu_sync_date": "2026-07-25T18:00:00Z",
                },
            },
        },
        [{"activity_id": "i5", "date": "2026-07-25", "intervals": [{"type": "WORK"}]}],
    )
    snap = _snap(
        activities,
        {
            "i4": {"intervals": {"status": 429, "retry_after": 900}},
            "i5": {"intervals": {"status": 503}},
        },
        {},
    )
    doc, flags = build_intervals(snap, prev, anonymize=False)
    i4 = doc["fetch_state"]["i4"]["intervals"]
    # attempts 3 → ladder 300 s, raised to Retry-After 900 s → 12:15
    assert (i4["attempts"], i4["status"], i4["reason"], i4["next_retry_at"]) == (
        3,
        "pending",
        "transient",
        "2026-08-02T12:15:00+00:00",
    )
    i5 = doc["fetch_state"]["i5"]["intervals"]
    assert i5["status"] == "ok" and i5["last_attempt"] == "2026-08-02T12:00:00+00:00"
    assert i5["refresh"] == {
        "target_sync_date": "2026-08-02T09:00:00Z",
        "attempts": 1,
        "reason": "transient",
        "next_retry_at": "2026-08-02T12:05:00+00:00",
    }
    # the cached payload of i5 is kept through the failed refresh
    assert [e["activity_id"] for e in doc["activities"]] == ["i5"]
    assert flags["i5"]["has_intervals"] is True


def test_a_successful_fetch_creates_an_entry_newest_first_and_prunes_old_ones():
    activities = [
        {
            "id": "i9",
            "type": "Ride",
            "name": "Tempo",
            "start_date_local": "2026-08-02T07:00:00",
            "interval_summary": ["1x 5m 250w"],
            "icu_hr_zone_times": [1, 2],
        },
        {"id": "i8", "type": "Ride", "name": "Old", "start_date_local": "2026-08-01T07:00:00"},
    ]
    prev = _prev(
        {"gone": {"date": "2026-07-01"}},
        [
            {"activity_id": "i8", "date": "2026-08-01", "intervals": [{"type": "RECOVERY"}]},
            {"activity_id": "i0", "date": "2026-07-01", "intervals": [{"type": "WORK"}]},
        ],
    )
    payload = {"icu_intervals": [IV5, {"type": "RECOVERY", "elapsed_time": 60}]}
    doc, flags = build_intervals(
        _snap(activities, {"i9": {"intervals": {"status": 200}}}, {"i9": payload}),
        prev,
        anonymize=False,
    )
    assert [e["activity_id"] for e in doc["activities"]] == ["i9", "i8"]
    new = doc["activities"][0]
    assert new["name"] == "Tempo" and new["zone_basis"] == "hr" and len(new["intervals"]) == 2
    assert new["interval_summary"] == ["1x 5m 250w"]
    assert (
        "gone" not in doc["fetch_state"] and doc["fetch_state"]["i9"]["intervals"]["status"] == "ok"
    )
    # a RECOVERY-only entry is not "has_intervals"
    assert flags == {
        "i9": {"has_intervals": True, "has_dfa": False},
        "i8": {"has_intervals": False, "has_dfa": False},
    }


def test_empty_intervals_are_no_data_and_404_is_a_tombstone():
    activities = [
        {
            "id": "a",
            "type": "Ride",
            "start_date_local": "2026-08-02T07:00:00",
            "start_date": "2026-08-02T07:00:00Z",
        },
        {"id": "b", "type": "Run", "start_date_local": "2026-08-02T08:00:00"},
    ]
    snap = _snap(
        activities,
        {"a": {"intervals": {"status": 200}}, "b": {"intervals": {"status": 404}}},
        {"a": {"icu_intervals": []}},
    )
    doc, _ = build_intervals(snap, None, anonymize=False)
    assert doc["fetch_state"]["a"]["intervals"]["reason"] == "no_data"
    assert doc["fetch_state"]["a"]["intervals"]["status"] == "pending"
    assert doc["fetch_state"]["b"]["intervals"] == {
        "attempts": 1,
        "first_seen": "2026-08-02T12:00:00+00:00",
        "last_attempt": "2026-08-02T12:00:00+00:00",
        "status": "tombstone",
        "reason": "terminal_error",
    }
    assert doc["activities"] == []


def test_a_cache_from_another_version_is_discarded():
    prev = {
        "script_hash": "000000000000",
        "activities": [{"activity_id": "a", "date": "2026-08-02", "intervals": [{"type": "WORK"}]}],
        "fetch_state": {},
    }
    activities = [{"id": "a", "type": "Ride", "start_date_local": "2026-08-02T07:00:00"}]
    doc, _ = build_intervals(_snap(activities, {}, {}), prev, anonymize=False)
    assert doc["activities"] == []
    assert parse_timestamp("2026-08-02T07:00:00") == t("2026-08-02T07:00:00")


def test_streams_outcomes_follow_d_i5():
    from s11sync.outputs.intervals_file import _apply_streams

    now = t("2026-08-02T12:00:00")
    act = {"id": "a", "type": "Ride", "start_date": "2026-08-02T07:00:00Z"}
    hr_only = [{"type": "heartrate", "data": [120] * 100}]
    # a processed recording without dfa_a1 is final: tombstone no_data (no refetch loop)
    state, block = _apply_streams(None, {"status": 200}, hr_only, act, False, now)
    assert (state["status"], state["reason"], block) == ("tombstone", "no_data", None)
    # nothing usable yet: pending no_data, ladder 300 s
    state, _ = _apply_streams(None, {"status": 200}, [], act, False, now)
    assert (state["status"], state["reason"], state["next_retry_at"]) == (
        "pending",
        "no_data",
        "2026-08-02T12:05:00+00:00",
    )
    # 429 with Retry-After 900: pending transient at now + 900 s
    state, _ = _apply_streams(None, {"status": 429, "retry_after": 900}, None, act, False, now)
    assert state["next_retry_at"] == "2026-08-02T12:15:00+00:00"
    assert (
        _apply_streams(None, {"status": 410}, None, act, False, now)[0]["reason"]
        == "terminal_error"
    )


# ---- intervals.json as real accounts fill it -----------------------------------------------------


def _live_interval(**extra) -> dict:
    """One element of `icu_intervals` in the live shape: most keys nullable."""
    base = {
        "id": 88120331,
        "type": "WORK",
        "label": None,
        "group_id": None,
        "start_index": 600,
        "end_index": 1320,
        "start_time": 600,
        "end_time": 1320,
        "elapsed_time": 720,
        "moving_time": 718,
        "distance": None,
        "average_speed": None,
        "average_watts": None,
        "average_heartrate": 158,
        "max_heartrate": 166,
        "min_heartrate": 131,
        "average_cadence": None,
        "zone": None,
        "zone_min_watts": None,
        "zone_max_watts": None,
        "wbal_start": None,
        "wbal_end": None,
        "training_load": 14.2,
        "decoupling": None,
    }
    base.update(extra)
    return base


def test_anonymisation_replaces_outdoor_names_in_intervals_json_as_in_latest_json():
    from s11sync.outputs.activities import activity_extras, format_activity

    ride = {
        "id": "i77001",
        "type": "Ride",
        "name": "Col de la Madone with Anna",
        "trainer": False,
        "start_date_local": "2026-08-02T07:00:00",
        "start_date": "2026-08-02T05:00:00Z",
    }
    indoor = {
        "id": "i77002",
        "type": "VirtualRide",
        "name": "Zwift - Volcano Circuit",
        "start_date_local": "2026-08-02T18:00:00",
    }
    payload = {
        "id": "i77001",
        "icu_intervals": [_live_interval(label="PROBE Lap 1")],
        "icu_groups": [],
    }
    snap = _snap(
        [ride, indoor],
        {"i77001": {"intervals": {"status": 200}}, "i77002": {"intervals": {"status": 200}}},
        {"i77001": payload, "i77002": {**payload, "id": "i77002"}},
    )
    doc, _ = build_intervals(snap, None, anonymize=True)
    names = {e["activity_id"]: e["name"] for e in doc["activities"]}
    latest_name = format_activity(ride, activity_extras(ride), {}, anonymize=True)["name"]
    assert names == {"i77001": latest_name, "i77002": "Zwift - Volcano Circuit"}
    assert latest_name == "Ride"
    doc, _ = build_intervals(snap, None, anonymize=False)
    assert {e["name"] for e in doc["activities"]} == {
        "Col de la Madone with Anna",
        "Zwift - Volcano Circuit",
    }


def test_null_icu_intervals_is_final_no_data_not_a_72h_retry():
    activity = {
        "id": "i77003",
        "type": "Run",
        "start_date_local": "2026-08-02T07:00:00",
        "start_date": "2026-08-02T05:00:00Z",
    }
    live = {
        "id": "i77003",
        "analyzed": "2026-08-02T06:10:04.512+00:00",
        "icu_intervals": None,
        "icu_groups": [],
    }
    snap = _snap([activity], {"i77003": {"intervals": {"status": 200}}}, {"i77003": live})
    doc, flags = build_intervals(snap, None, anonymize=True)
    state = doc["fetch_state"]["i77003"]["intervals"]
    assert (state["status"], state["reason"], "next_retry_at" in state) == (
        "tombstone",
        "no_data",
        False,
    )
    assert doc["activities"] == [] and flags == {}
    # the next run makes no further intervals call for it
    later = t("2026-08-02T18:00:00")
    assert select_candidates([activity], doc, [], later.date(), later) == []


def test_an_empty_list_still_means_analysis_may_not_be_ready():
    activity = {
        "id": "i77004",
        "type": "Run",
        "start_date_local": "2026-08-02T07:00:00",
        "start_date": "2026-08-02T05:00:00Z",
    }
    snap = _snap(
        [activity], {"i77004": {"intervals": {"status": 200}}}, {"i77004": {"icu_intervals": []}}
    )
    state = build_intervals(snap, None, anonymize=True)[0]["fetch_state"]["i77004"]["intervals"]
    assert (state["status"], state["reason"]) == ("pending", "no_data")


def test_user_label_and_group_signature_are_separate_fields():
    seg = map_segment(
        _live_interval(label="PROBE Lap 1", group_id="720s@260w88rpm", average_watts=262)
    )
    assert seg["label"] == "PROBE Lap 1" and seg["group_id"] == "720s@260w88rpm"
    assert "label" not in map_segment(_live_interval(group_id="720s@260w88rpm"))
    assert "group_id" not in map_segment(_live_interval(label="Lap 3"))


@pytest.mark.parametrize(
    "sport,distance,speed,pace,unit,display_pace",
    [
        ("Run", 1000.0, 4.0, 250, "s/km", {"value": "4:10", "unit": "/km"}),
        ("Swim", 100.0, 1.25, 80, "s/100m", {"value": "1:20", "unit": "/100m"}),
        ("Rowing", 500.0, 4.5, 111, "s/500m", {"value": "1:51", "unit": "/500m"}),
    ],
)
def test_run_swim_and_row_reps_carry_distance_speed_and_pace(
    sport, distance, speed, pace, unit, display_pace
):
    activity = {"id": "i77005", "type": sport, "start_date_local": "2026-08-02T07:00:00"}
    rep = _live_interval(
        distance=distance, average_speed=speed, elapsed_time=round(distance / speed)
    )
    snap = _snap(
        [activity], {"i77005": {"intervals": {"status": 200}}}, {"i77005": {"icu_intervals": [rep]}}
    )
    seg = build_intervals(snap, None, anonymize=True)[0]["activities"][0]["intervals"][0]
    assert (seg["distance_m"], seg["avg_speed_mps"], seg["avg_pace"], seg["avg_pace_unit"]) == (
        distance,
        speed,
        pace,
        unit,
    )
    assert seg["display"]["avg_pace"] == display_pace
    assert seg["display"]["distance"] == {"value": round(distance / 1000, 2), "unit": "km"}


def test_interval_display_follows_the_athletes_units_and_rides_have_no_pace():
    activities = [
        {"id": "r", "type": "Run", "start_date_local": "2026-08-02T07:00:00"},
        {"id": "b", "type": "Ride", "start_date_local": "2026-08-02T09:00:00"},
    ]
    rep = _live_interval(distance=1609.344, average_speed=4.0)
    moment = t("2026-08-02T12:00:00")
    snap = Snapshot(
        today=moment.date(),
        now=moment,
        days=7,
        athlete={"measurement_preference": "feet"},
        activities=activities,
        wellness=[],
        events=[],
        fetch_outcomes={"r": {"intervals": {"status": 200}}, "b": {"intervals": {"status": 200}}},
        activity_intervals={"r": {"icu_intervals": [rep]}, "b": {"icu_intervals": [rep]}},
    )
    by_id = {
        e["activity_id"]: e["intervals"][0]
        for e in build_intervals(snap, None, anonymize=True)[0]["activities"]
    }
    assert by_id["r"]["display"] == {
        "distance": {"value": 1.0, "unit": "mi"},
        "avg_speed": {"value": 8.9, "unit": "mph"},
        "avg_pace": {"value": "6:42", "unit": "/mi"},
    }
    assert by_id["r"]["avg_pace"] == 250 and by_id["r"]["avg_pace_unit"] == "s/km"
    assert "avg_pace" not in by_id["b"] and "avg_pace" not in by_id["b"]["display"]
    assert by_id["b"]["avg_speed_mps"] == 4.0


def test_documents_with_the_new_segment_fields_validate_and_a_lone_pace_unit_does_not():
    from s11sync.validate import validate_document

    activity = {
        "id": "i77006",
        "type": "Swim",
        "name": "Pool",
        "start_date_local": "2026-08-02T07:00:00",
    }
    live = {
        "icu_intervals": [
            _live_interval(
                label="Main 1", group_id="80s@0w0rpm", distance=100.0, average_speed=1.25
            )
        ],
        "icu_groups": [],
    }
    snap = _snap([activity], {"i77006": {"intervals": {"status": 200}}}, {"i77006": live})
    doc, _ = build_intervals(snap, None, anonymize=True)
    assert validate_document("intervals.json", doc) == []
    segment = doc["activities"][0]["intervals"][0]
    del segment["avg_pace"]
    assert validate_document("intervals.json", doc) != []


def test_intervals_added_by_hand_after_a_null_answer_are_fetched_once_more():
    activity = {
        "id": "i77007",
        "type": "Ride",
        "start_date_local": "2026-08-02T07:00:00",
        "start_date": "2026-08-02T05:00:00Z",
        "icu_intervals_edited": False,
        "icu_sync_date": "2026-08-02T06:10:00Z",
    }
    snap = _snap(
        [activity],
        {"i77007": {"intervals": {"status": 200}}},
        {"i77007": {"icu_intervals": None, "icu_groups": []}},
    )
    doc, _ = build_intervals(snap, None, anonymize=True)
    assert (
        doc["fetch_state"]["i77007"]["intervals"]["source_icu_sync_date"] == "2026-08-02T06:10:00Z"
    )
    later = t("2026-08-09T12:00:00")  # a week on: far past the 72 h window
    assert select_candidates([activity], doc, [], later.date(), later) == []
    edited = {**activity, "icu_intervals_edited": True, "icu_sync_date": "2026-08-09T11:00:00Z"}
    assert select_candidates([edited], doc, [], later.date(), later) == [("i77007", ("intervals",))]
    rep = _live_interval(label="Climb 1", distance=3200.0, average_speed=5.1)
    snap = _snap(
        [edited],
        {"i77007": {"intervals": {"status": 200}}},
        {"i77007": {"icu_intervals": [rep], "icu_groups": []}},
        now="2026-08-09T12:00:00",
    )
    doc, flags = build_intervals(snap, doc, anonymize=True)
    state = doc["fetch_state"]["i77007"]["intervals"]
    assert (state["status"], state["attempts"]) == ("ok", 2)
    assert (
        doc["activities"][0]["intervals"][0]["label"] == "Climb 1"
        and flags["i77007"]["has_intervals"]
    )
    # once fetched, the same token is not fetched again
    assert select_candidates([edited], doc, [], later.date(), later) == []


@pytest.mark.parametrize(
    "bad",
    [float("inf"), float("nan"), 10**400, True, "12.5"],
    ids=["inf", "nan", "huge-int", "bool", "text"],
)
def test_a_segment_with_a_non_finite_distance_or_speed_gets_no_pace_or_display(bad):
    segment = {"distance_m": bad, "avg_speed_mps": bad}
    out = with_companions(segment, "Run", {"distance": "metric"})
    assert "avg_pace" not in out and "display" not in out  # inf used to give a 0 s/km pace


def test_a_segment_with_finite_values_gets_its_pace_and_display():
    out = with_companions({"distance_m": 1000, "avg_speed_mps": 4.0}, "Run", {"distance": "metric"})
    assert out["avg_pace"] == 250 and out["avg_pace_unit"] == "s/km"
    assert set(out["display"]) == {"distance", "avg_speed", "avg_pace"}
