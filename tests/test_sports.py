"""The one sport-family table, checked over the API's whole activity-type enum, and the per-family
threshold blocks read from `sportSettings[].types` as live accounts send them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from s11sync.cli import main
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.metrics.thresholds import cycling_ftp, thresholds_by_sport
from s11sync.outputs.fitness import build_thresholds
from s11sync.sports import (
    FAMILIES,
    FAMILY_TYPES,
    OUTDOOR_TYPES,
    VIRTUAL_TYPES,
    family_of,
    is_indoor,
    is_outdoor,
    is_strava_stub,
)

OPENAPI = Path(__file__).parent / "fixtures" / "intervals-icu" / "openapi.json"


def api_activity_types(path: Path = OPENAPI) -> list[str]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    settings_enum = spec["components"]["schemas"]["SportSettings"]["properties"]["types"]["items"]
    types = list(settings_enum["enum"])
    # the same enum is repeated on every type-taking schema and parameter; they all agree
    assert {frozenset(e) for e in _enum_lists_with_ride(spec)} == {frozenset(types)}
    return types


def listed_types() -> list[str]:
    return [t for members in FAMILY_TYPES.values() for t in members]


def unlisted(types: list[str]) -> list[str]:
    return sorted(set(types) - set(listed_types()))


def test_every_api_activity_type_is_listed_in_exactly_one_family():
    types = api_activity_types()
    assert len(types) == 60 and "Cyclocross" in types and "VirtualSki" in types
    listed = listed_types()
    assert len(listed) == len(set(listed)), "a type is listed under two families"
    missing = unlisted(types)
    assert missing == [], f"place these API activity types in s11sync/sports.py: {missing}"
    # and the table names nothing the API does not send
    assert sorted(set(listed) - set(types)) == []


def test_the_completeness_check_fails_when_the_spec_gains_a_type(tmp_path):
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    for enum in _enum_lists_with_ride(spec):
        enum.append("UnderwaterHockey")
    grown = tmp_path / "openapi.json"
    grown.write_text(json.dumps(spec), encoding="utf-8")
    assert unlisted(api_activity_types(grown)) == ["UnderwaterHockey"]
    assert family_of("UnderwaterHockey") == "other"  # at run time it is not lost, only unplaced


def _enum_lists_with_ride(node: Any) -> list[list[str]]:
    if isinstance(node, dict):
        enum = node.get("enum")
        own = [enum] if isinstance(enum, list) and "Ride" in enum else []
        return own + [e for v in node.values() for e in _enum_lists_with_ride(v)]
    if isinstance(node, list):
        return [e for v in node for e in _enum_lists_with_ride(v)]
    return []


@pytest.mark.parametrize(
    ("activity_type", "family"),
    [
        ("Cyclocross", "cycling"),
        ("Velomobile", "cycling"),
        ("TrackRide", "cycling"),
        ("EMountainBikeRide", "cycling"),
        ("Handcycle", "cycling"),
        ("EBikeRide", "cycling"),
        ("OpenWaterSwim", "swim"),
        ("VirtualSki", "ski"),
        ("RollerSki", "ski"),
        ("BackcountrySki", "ski"),
        ("Snowshoe", "walk"),
        ("Crossfit", "strength"),
        ("AlpineSki", "other"),
        ("Kayaking", "other"),
        ("Pilates", "other"),
        ("Other", "other"),
    ],
)
def test_types_the_live_api_sends_land_in_their_family(activity_type, family):
    assert family_of(activity_type) == family


def test_other_is_listed_explicitly_and_unknown_types_still_read_as_other():
    assert "other" in FAMILIES and len(FAMILY_TYPES["other"]) > 20
    assert family_of(None) == "other" and family_of("Quidditch") == "other"
    assert OUTDOOR_TYPES <= set(listed_types()) and VIRTUAL_TYPES <= set(listed_types())


def test_a_trainer_ride_is_indoor_and_stubs_are_recognised():
    assert is_indoor({"type": "Ride", "trainer": True}) and not is_outdoor(
        {"type": "Ride", "trainer": True}
    )
    assert is_outdoor({"type": "GravelRide"}) and is_indoor({"type": "VirtualRun"})
    assert is_outdoor({"type": "Cyclocross"}) and is_indoor({"type": "VirtualSki"})
    assert is_strava_stub({"id": "1", "source": "STRAVA", "start_date_local": "2026-01-01"})
    assert not is_strava_stub({"id": "2", "source": "STRAVA", "type": "Ride"})


# ---------------------------------------------------------------- threshold blocks per family


def settings_block(block_id: int, types: list[str], **values: Any) -> dict[str, Any]:
    """One `sportSettings` entry as `GET /athlete/{id}` sends it: every key present, unset = null."""
    block: dict[str, Any] = {
        "id": block_id,
        "athlete_id": "i123456",
        "types": types,
        "warmup_time": 1200,
        "cooldown_time": 600,
        "ftp": None,
        "indoor_ftp": None,
        "w_prime": None,
        "p_max": None,
        "power_zones": None,
        "sweet_spot_min": None,
        "sweet_spot_max": None,
        "lthr": None,
        "max_hr": None,
        "hr_zones": None,
        "hr_load_type": "HRSS",
        "threshold_pace": None,
        "pace_units": None,
        "pace_zones": None,
        "pace_load_type": None,
        "mmp_model": None,
        "other": False,
    }
    block.update(values)
    return block


# The shape of a live account: a Ride block that also covers Cyclocross, a Run block, a Swim block
# covering open water, and the catch-all block (`other: true`) with only a max HR.
LIVE_ATHLETE = {
    "id": "i123456",
    "sportSettings": [
        settings_block(
            1,
            ["Ride", "Cyclocross"],
            ftp=200,
            indoor_ftp=195,
            w_prime=18000,
            power_zones=[55, 75, 90, 105, 120, 150, 999],
            lthr=160,
            max_hr=182,
            hr_zones=[130, 145, 152, 160, 165, 172, 182],
        ),
        settings_block(
            2,
            ["Run", "TrailRun", "VirtualRun"],
            lthr=168,
            max_hr=188,
            threshold_pace=3.7,
            pace_units="MINS_KM",
            pace_load_type="RUN",
        ),
        settings_block(
            3,
            ["OpenWaterSwim", "Swim"],
            threshold_pace=1.25,
            pace_units="SECS_100M",
            pace_load_type="SWIM",
        ),
        settings_block(4, ["Other", "Workout", "WeightTraining", "Yoga"], max_hr=182, other=True),
    ],
}


def test_a_ride_block_that_covers_cyclocross_is_the_cycling_block_not_other():
    sports = thresholds_by_sport(LIVE_ATHLETE)
    assert list(sports) == ["cycling", "run", "swim", "other", "strength"]
    assert (sports["cycling"]["ftp"], sports["cycling"]["ftp_indoor"]) == (200, 195)
    assert cycling_ftp(sports) == (200, 195)
    # the catch-all block stays the other sports' block: no FTP, only its max HR
    assert sports["other"]["ftp"] is None and sports["other"]["max_hr"] == 182
    assert sports["other"]["lthr"] is None


def test_latest_json_thresholds_choose_the_same_blocks():
    sports = build_thresholds(None, LIVE_ATHLETE)["sports"]
    assert sports["cycling"]["ftp"] == 200
    assert sports["other"]["ftp"] is None
    assert sports["swim"]["threshold_pace"] == 1.25
    # 100 / 1.25 = 80 s → 1:20 /100m
    assert sports["swim"]["display"] == {"threshold_pace": {"value": "1:20", "unit": "/100m"}}


def test_an_open_water_swim_block_alone_still_gives_the_swim_pace():
    athlete = {
        "sportSettings": [
            settings_block(7, ["OpenWaterSwim"], threshold_pace=1.1, pace_units="SECS_100M")
        ]
    }
    sports = thresholds_by_sport(athlete)
    assert list(sports) == ["swim"]
    # 100 / 1.1 = 90.9 s → 91 → 1:31 /100m
    assert sports["swim"]["display"] == {"threshold_pace": {"value": "1:31", "unit": "/100m"}}


# ---------------------------------------------------------------- the demo, through HTTP

# Cycling types spelled out here, independent of the table under test.
CYCLING = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "Cyclocross"}


def api_get(emu: IntervalsEmulator, path: str, **params: Any) -> Any:
    r = requests.get(emu.base_url + path, params=params, auth=("API_KEY", emu.api_key), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory, demo_today) -> Path:
    out = tmp_path_factory.mktemp("sports_demo")
    assert main(["demo", "--output", str(out), "--today", demo_today.isoformat(), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def week_activities(intervals_emulator, demo_today) -> list[dict[str, Any]]:
    monday = demo_today - timedelta(days=demo_today.weekday())
    return api_get(
        intervals_emulator,
        f"/athlete/{intervals_emulator.athlete_id}/activities",
        oldest=(monday - timedelta(days=7)).isoformat(),
        newest=demo_today.isoformat(),
    )


def test_the_emulator_serves_cyclocross_open_water_and_their_settings_blocks(
    intervals_emulator, week_activities
):
    types = {a.get("type") for a in week_activities}
    assert {"Cyclocross", "OpenWaterSwim"} <= types
    athlete = api_get(intervals_emulator, "/athlete/0")
    blocks = {b["types"][0]: b for b in athlete["sportSettings"]}
    assert "Cyclocross" in blocks["Ride"]["types"] and blocks["Ride"]["ftp"]
    assert "OpenWaterSwim" in blocks["Swim"]["types"] and blocks["Swim"]["threshold_pace"]
    swim = next(a for a in week_activities if a.get("type") == "OpenWaterSwim")
    assert swim["pool_length"] is None and swim["average_speed"] > 0  # a lake, not a pool


def test_demo_counts_cyclocross_under_cycling(demo_out, demo_today, week_activities):
    history = json.loads((demo_out / "history.json").read_text(encoding="utf-8"))
    monday = (demo_today - timedelta(days=demo_today.weekday())).isoformat()
    week = next(w for w in history["weekly_180d"] if w["week_start"] == monday)
    this_week = [a for a in week_activities if a["start_date_local"][:10] >= monday]
    assert "Cyclocross" in {a["type"] for a in this_week}
    rides = [a for a in this_week if a.get("type") in CYCLING]
    assert week["sport_breakdown"]["cycling"]["sessions"] == len(rides)
    assert week["sport_breakdown"]["cycling"]["tss"] == sum(a["icu_training_load"] for a in rides)
    assert "other" not in week["sport_breakdown"]


def test_demo_thresholds_keep_the_ride_ftp_on_cycling_only(demo_out, intervals_emulator):
    latest = json.loads((demo_out / "latest.json").read_text(encoding="utf-8"))
    sports = latest["current_status"]["thresholds"]["sports"]
    ride_block = api_get(intervals_emulator, "/athlete/0")["sportSettings"][0]
    assert sports["cycling"]["ftp"] == ride_block["ftp"]
    assert sports["other"]["ftp"] is None and sports["other"]["ftp_indoor"] is None


def test_demo_open_water_swim_has_a_swim_pace(demo_out, week_activities):
    latest = json.loads((demo_out / "latest.json").read_text(encoding="utf-8"))
    swim = next(a for a in latest["recent_activities"] if a["type"] == "OpenWaterSwim")
    served = next(a for a in week_activities if a["id"] == swim["id"])
    pace = round(100 / served["average_speed"])
    assert (swim["avg_pace"], swim["avg_pace_unit"]) == (pace, "s/100m")
    minutes, seconds = divmod(pace, 60)
    assert swim["display"]["avg_pace"] == {"value": f"{minutes}:{seconds:02d}", "unit": "/100m"}
