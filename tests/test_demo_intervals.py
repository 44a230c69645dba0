"""The demo athlete serves intervals in the shapes live accounts send, and
`s11sync demo` turns them into intervals.json through real HTTP: `icu_intervals: null` for a ride
recorded without laps, the athlete's own interval labels beside the group signature, and interval
distances that give run and swim reps a pace."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from s11sync.cli import main
from s11sync.demo.intervals_icu.server import IntervalsEmulator, cached_demo
from s11sync.sports import family_of
from s11sync.validate import validate_document

TODAY = date(2026, 11, 25)  # tests/conftest.py DEMO_TODAY
DEMO_SEED = 11  # tests/conftest.py DEMO_SEED


def get(emu: IntervalsEmulator, path: str, **params: Any) -> Any:
    response = requests.get(
        emu.base_url + path, params=params, auth=("API_KEY", emu.api_key), timeout=10
    )
    assert response.status_code == 200
    return response.json()


def recent(emu: IntervalsEmulator, days: int = 14) -> list[dict[str, Any]]:
    oldest = (TODAY - timedelta(days=days - 1)).isoformat()
    return get(emu, "/athlete/0/activities", oldest=oldest, newest=TODAY.isoformat())


def test_a_ride_recorded_without_laps_is_served_with_null_intervals(intervals_emulator):
    long_ride = next(
        a for a in recent(intervals_emulator) if a.get("name") == "Long endurance ride"
    )
    full = get(intervals_emulator, f"/activity/{long_ride['id']}", intervals="true")
    assert "icu_intervals" in full and full["icu_intervals"] is None and full["icu_groups"] == []
    dto = get(intervals_emulator, f"/activity/{long_ride['id']}/intervals")
    assert dto["icu_intervals"] is None


def test_reps_carry_a_user_label_apart_from_the_group_signature_and_a_distance(intervals_emulator):
    acts = recent(intervals_emulator)
    vo2 = next(a for a in acts if a.get("type") == "VirtualRide" and a.get("interval_summary"))
    work = [
        i
        for i in get(intervals_emulator, f"/activity/{vo2['id']}/intervals")["icu_intervals"]
        if i["type"] == "WORK"
    ]
    assert [i["label"] for i in work] == [f"Rep {n}" for n in range(1, len(work) + 1)]
    assert {i["group_id"] for i in work} == {work[0]["group_id"]} and "s@" in work[0]["group_id"]
    swim = next(a for a in acts if family_of(a.get("type")) == "swim")
    laps = get(intervals_emulator, f"/activity/{swim['id']}/intervals")["icu_intervals"]
    assert [i["label"] for i in laps if i["group_id"]][:2] == ["Rep 1", "Rep 2"]
    for lap in laps:  # every swim interval has its distance, consistent with speed and time
        assert lap["distance"] == pytest.approx(
            lap["average_speed"] * lap["moving_time"], rel=0.01, abs=1
        )


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-intervals")
    assert main(["demo", "--output", str(out), "--today", TODAY.isoformat(), "--quiet"]) == 0
    return out


def read(out: Path, name: str) -> dict[str, Any]:
    return json.loads((out / name).read_text(encoding="utf-8"))


def test_demo_intervals_json_holds_labels_groups_distances_and_paces(demo_out):
    doc = read(demo_out, "intervals.json")
    assert validate_document("intervals.json", doc) == []
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in doc["activities"]:
        by_type.setdefault(entry["type"], []).append(entry)
    vo2 = next(e for e in by_type["VirtualRide"] if any("group_id" in s for s in e["intervals"]))
    rep = next(s for s in vo2["intervals"] if s["type"] == "WORK")
    assert rep["label"] == "Rep 1" and rep["group_id"].startswith("240s@")
    assert rep["distance_m"] > 0 and "avg_pace" not in rep  # rides have speed, not pace
    swim = next(e for e in doc["activities"] if family_of(e["type"]) == "swim")
    swim_reps = [s for s in swim["intervals"] if "group_id" in s]
    assert swim_reps and swim_reps[0]["label"] == "Rep 1"
    assert {(s["avg_pace_unit"], s["display"]["avg_pace"]["unit"]) for s in swim_reps} == {
        ("s/100m", "/100m")
    }
    assert all(60 <= s["avg_pace"] <= 150 for s in swim_reps)
    run_lap = by_type["Run"][0]["intervals"][0]
    assert run_lap["label"] == "Lap 1" and run_lap["avg_pace_unit"] == "s/km"
    assert run_lap["display"]["avg_pace"]["value"].count(":") == 1


def test_demo_null_intervals_are_a_final_no_data_and_names_are_anonymised(demo_out):
    doc = read(demo_out, "intervals.json")
    latest = read(demo_out, "latest.json")
    served = {a["id"]: a for a in cached_demo(DEMO_SEED, TODAY).activities if a.get("type")}
    long_ride = next(
        i
        for i, a in served.items()
        if a.get("name") == "Long endurance ride" and i in doc["fetch_state"]
    )
    state = doc["fetch_state"][long_ride]["intervals"]
    assert (state["status"], state["reason"]) == ("tombstone", "no_data")
    assert "next_retry_at" not in state
    entry = next((e for e in doc["activities"] if e["activity_id"] == long_ride), None)
    assert entry is None or (entry["intervals"] == [] and "dfa" in entry)
    # anonymisation on (the default): every name in intervals.json is the one latest.json shows,
    # and the outdoor ones are their type, not the name the API serves
    names = {a["id"]: a["name"] for a in latest["recent_activities"]}
    for e in doc["activities"]:
        assert e["name"] == names[e["activity_id"]]
    hidden = [e for e in doc["activities"] if e["name"] != served[e["activity_id"]]["name"]]
    assert hidden and all(e["name"] == e["type"] for e in hidden)


def test_the_dfa_latest_session_built_from_intervals_json_shows_the_anonymised_name(demo_out):
    latest = read(demo_out, "latest.json")
    served = {a["id"]: a for a in cached_demo(DEMO_SEED, TODAY).activities if a.get("type")}
    session = latest["derived_metrics"]["capability"]["dfa_a1_profile"]["latest_session"]
    activity = served[session["activity_id"]]
    assert activity["trainer"] is False and activity["name"] != activity["type"]  # an outdoor ride
    assert session["name"] == activity["type"]
