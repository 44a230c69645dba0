"""The demo athlete's planned workouts carry the workout_doc shapes of live accounts and the sync
summarises each of them: over HTTP, against the Intervals.icu emulator.

The events are read from the emulator as the sync reads them (`resolve=true`); each expected
summary piece is derived from that served payload, so a wrong renderer or a demo that stops serving
a shape fails here.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sync_args import sync_argv

from s11sync.cli import main
from s11sync.fmt import fmt_dur
from s11sync.units import pace_string


@pytest.fixture(scope="module")
def served(intervals_emulator, demo_today) -> dict[int, dict[str, Any]]:
    """WORKOUT events of T … T+42 as the emulator serves them with resolve=true, by id."""
    emu = intervals_emulator
    response = requests.get(
        f"{emu.base_url}/athlete/{emu.athlete_id}/events",
        params={
            "oldest": demo_today.isoformat(),
            "newest": (demo_today + timedelta(days=42)).isoformat(),
            "resolve": "true",
        },
        auth=("API_KEY", emu.api_key),
        timeout=10,
    )
    assert response.status_code == 200
    return {e["id"]: e for e in response.json() if e["category"] == "WORKOUT"}


@pytest.fixture(scope="module")
def summaries(intervals_emulator, demo_today, tmp_path_factory) -> dict[int, str | None]:
    emu = intervals_emulator
    out: Path = tmp_path_factory.mktemp("summaries")
    code = main(sync_argv(emu, str(out), "--today", demo_today.isoformat(), "--quiet"))
    assert code == 0
    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    return {p["id"]: p["workout_summary"] for p in latest["planned_workouts"]}


def steps_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    return event["workout_doc"]["steps"]


def blocks_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in steps_of(event) if "reps" in s]


def pick(served, predicate) -> list[dict[str, Any]]:
    found = [e for e in served.values() if predicate(e)]
    assert found, "the demo plan no longer serves this workout_doc shape"
    return found


def watts(target: dict[str, Any]) -> int:
    return round(target["value"])


def test_every_workout_with_steps_has_a_summary_and_an_empty_doc_has_none(served, summaries):
    for eid, event in served.items():
        if steps_of(event):
            assert summaries[eid], event["name"]
        else:
            assert summaries[eid] is None, event["name"]


def test_over_unders_in_absolute_watts_are_all_work(served, summaries):
    def is_over_under(block):
        targets = [s.get("power", {}) for s in block["steps"]]
        return (
            len(targets) == 2
            and all(t.get("units") == "w" and "value" in t for t in targets)
            and targets[1]["value"] > targets[0]["value"]
        )

    for event in pick(served, lambda e: any(is_over_under(b) for b in blocks_of(e))):
        block = next(b for b in blocks_of(event) if is_over_under(b))
        under, over = block["steps"]
        assert "_power" not in under and "_power" not in over
        expected = (
            f"{block['reps']}×({fmt_dur(under['duration'])} @{watts(under['power'])}W"
            f" + {fmt_dur(over['duration'])} @{watts(over['power'])}W)"
        )
        assert expected in summaries[event["id"]]
        assert f"{fmt_dur(over['duration'])} rec" not in summaries[event["id"]]


def test_zone_targets_resolved_to_start_end_only_show_zone_and_range(served, summaries):
    def zone(e):
        return any(s.get("power", {}).get("units") == "power_zone" for s in steps_of(e))

    for event in pick(served, zone):
        step = next(s for s in steps_of(event) if s.get("power", {}).get("units") == "power_zone")
        resolved = step["_power"]
        assert set(resolved) == {"start", "end"}
        expected = (
            f"{fmt_dur(step['duration'])} Z{step['power']['value']}"
            f" @{round(resolved['start'])}–{round(resolved['end'])}W"
        )
        assert summaries[event["id"]] == expected


def test_watt_ranges_without_resolved_power_keep_their_range(served, summaries):
    def watt_range(e):
        return any(
            s.get("power", {}).get("units") == "w" and "start" in s["power"] for s in steps_of(e)
        )

    for event in pick(served, watt_range):
        (step,) = steps_of(event)
        assert "_power" not in step
        power = step["power"]
        expected = f"{fmt_dur(step['duration'])} @{power['start']}–{power['end']}W"
        assert summaries[event["id"]] == expected


def test_repeat_blocks_of_three_to_five_steps_are_summarised(served, summaries):
    def long_block(e):
        return any(3 <= len(b["steps"]) <= 5 for b in blocks_of(e))

    sizes = set()
    for event in pick(served, long_block):
        block = next(b for b in blocks_of(event) if 3 <= len(b["steps"]) <= 5)
        sizes.add(len(block["steps"]))
        work = block["steps"][0]
        text = summaries[event["id"]]
        resolved = round(work["_power"]["value"])
        assert f"{block['reps']}×({fmt_dur(work['duration'])} @{resolved}W + " in text
        assert f") / {fmt_dur(block['steps'][-1]['duration'])} rec" in text
    assert {3, 5} <= sizes


def test_distance_swim_steps_are_shown_by_distance(served, summaries):
    def swim(e):
        return e["type"] == "Swim" and any("distance" in s for s in steps_of(e))

    for event in pick(served, swim):
        block = blocks_of(event)[0]
        rep = block["steps"][0]
        pace = pace_string(rep["_pace"]["value"], "/100m")
        text = summaries[event["id"]]
        assert f"{block['reps']}×{round(rep['distance'])}m @{pace}/100m" in text
        assert fmt_dur(rep["duration"]) not in text  # not the platform's duration estimate


def test_steady_rides_and_runs_are_summarised(served, summaries):
    def steady(e):
        return len(steps_of(e)) == 1 and "reps" not in steps_of(e)[0]

    kinds = set()
    for event in pick(served, steady):
        step = steps_of(event)[0]
        text = summaries[event["id"]]
        assert text.startswith(fmt_dur(step["duration"]) + " ")
        assert "×" not in text
        kinds.add(event["type"])
    assert {"Ride", "Run"} <= kinds
