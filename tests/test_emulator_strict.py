"""The Intervals.icu emulator is no more forgiving than the live API.

Query parameters are bound the way the API binds them: a missing required parameter or a non-integer
integer answers 422 with the API's `{"status":422,"error":...}` body; list parameters may be repeated
as well as comma-separated; booleans accept `true`, `True` and `1`. A second account whose athlete id
is bare digits (a Strava-signup account) answers 200 to that id, so the client's numeric-id path is
exercised end to end over HTTP, not only its 404 fallback.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sync_args import isolate

from s11sync.cli import main
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy


def get(emu: IntervalsEmulator, path: str, params: Any = None, key: str | None = None):
    return requests.get(
        emu.base_url + path, params=params, auth=("API_KEY", key or emu.api_key), timeout=10
    )


def window(today: date, days: int) -> dict[str, str]:
    return {"oldest": (today - timedelta(days=days - 1)).isoformat(), "newest": today.isoformat()}


def a_ride_with_streams(emu: IntervalsEmulator, today: date) -> dict[str, Any]:
    acts = get(emu, "/athlete/0/activities", window(today, 14)).json()
    return next(a for a in acts if "latlng" in (a.get("stream_types") or []))


# ---------------------------------------------------------------- 422 for bad parameters


@pytest.mark.parametrize("path", ["/athlete/0/activities", "/athlete/0/events"])
@pytest.mark.parametrize("limit", ["two", "2.5", "1e3"])
def test_a_non_integer_limit_is_422_with_the_api_error_body(
    intervals_emulator, demo_today, path, limit
):
    r = get(intervals_emulator, path, {**window(demo_today, 7), "limit": limit})
    assert r.status_code == 422
    assert r.json() == {
        "status": 422,
        "error": f"Invalid value [{limit}] for parameter 'limit': expected an integer",
    }


def test_an_integer_limit_still_limits(intervals_emulator, demo_today):
    params = {**window(demo_today, 14), "limit": "3"}
    assert len(get(intervals_emulator, "/athlete/0/activities", params).json()) == 3
    assert len(get(intervals_emulator, "/athlete/0/events", params).json()) <= 3


@pytest.mark.parametrize(
    "path, params, name",
    [
        ("/athlete/0/activities", {"newest": "2026-11-25"}, "oldest"),
        ("/athlete/0/activities", {"oldest": ""}, "oldest"),
        ("/athlete/0/power-curves", {"curves": "42d"}, "type"),
        ("/athlete/0/power-curves.json", {"curves": "42d", "type": ""}, "type"),
    ],
)
def test_a_missing_required_parameter_is_422(intervals_emulator, path, params, name):
    r = get(intervals_emulator, path, params)
    assert r.status_code == 422
    assert r.json() == {"status": 422, "error": f"Required parameter '{name}' is missing"}


def test_hr_curves_need_no_type_and_power_curves_no_f1(intervals_emulator):
    # the OpenAPI document marks f1/f2/f3 required, but the live API answers without them
    assert get(intervals_emulator, "/athlete/0/hr-curves", {"curves": "42d"}).status_code == 200
    assert (
        get(
            intervals_emulator, "/athlete/0/power-curves", {"curves": "42d", "type": "Ride"}
        ).status_code
        == 200
    )


def test_an_unreadable_boolean_is_422(intervals_emulator, demo_today):
    ride = a_ride_with_streams(intervals_emulator, demo_today)
    r = get(intervals_emulator, f"/activity/{ride['id']}", {"intervals": "maybe"})
    assert r.status_code == 422 and r.json()["status"] == 422 and "intervals" in r.json()["error"]


# ---------------------------------------------------------------- repeated lists and booleans


def test_repeated_list_parameters_are_accepted(intervals_emulator, demo_today):
    emu = intervals_emulator
    ride = a_ride_with_streams(emu, demo_today)
    path = f"/activity/{ride['id']}/streams.json"
    repeated = get(emu, path, [("types", "latlng"), ("types", "altitude")]).json()
    assert sorted(s["type"] for s in repeated) == ["altitude", "latlng"]
    assert repeated == get(emu, path, {"types": "latlng,altitude"}).json()

    span = {"oldest": str(demo_today), "newest": str(demo_today + timedelta(days=120))}
    races = get(
        emu, "/athlete/0/events", [*span.items(), ("category", "RACE_A"), ("category", "RACE_B")]
    ).json()
    assert {e["category"] for e in races} == {"RACE_A", "RACE_B"}

    acts = get(
        emu,
        "/athlete/0/activities",
        [*window(demo_today, 7).items(), ("fields", "id"), ("fields", "type")],
    ).json()
    assert acts and all(set(a) == {"id", "type"} for a in acts if "type" in a)

    specs = ["42d", "7d"]
    curves = get(
        emu,
        "/athlete/0/power-curves",
        [("type", "Ride"), ("curves", specs[0]), ("curves", specs[1])],
    ).json()
    assert [c["id"] for c in curves["list"]] == specs


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE", "1"])
def test_boolean_spellings_are_accepted(intervals_emulator, demo_today, spelling):
    emu = intervals_emulator
    ride = next(
        a
        for a in get(emu, "/athlete/0/activities", window(demo_today, 14)).json()
        if a.get("interval_summary")
    )
    full = get(emu, f"/activity/{ride['id']}", {"intervals": spelling}).json()
    assert full["icu_intervals"]
    bulk = get(emu, f"/athlete/0/activities/{ride['id']}", {"intervals": spelling}).json()
    assert bulk[0]["icu_intervals"] == full["icu_intervals"]
    span = {"oldest": str(demo_today), "newest": str(demo_today + timedelta(days=14))}
    events = get(emu, "/athlete/0/events", {**span, "resolve": spelling}).json()
    assert any(
        "_power" in s for e in events if e.get("workout_doc") for s in e["workout_doc"]["steps"]
    )


@pytest.mark.parametrize("spelling", ["false", "False", "0"])
def test_false_spellings_leave_the_intervals_out(intervals_emulator, demo_today, spelling):
    ride = a_ride_with_streams(intervals_emulator, demo_today)
    plain = get(intervals_emulator, f"/activity/{ride['id']}", {"intervals": spelling}).json()
    assert "icu_intervals" not in plain


# ---------------------------------------------------------------- the numeric-id account


def test_the_numeric_account_answers_200_to_its_bare_numeric_id(intervals_emulator):
    emu = intervals_emulator
    assert emu.numeric_athlete_id.isdigit()
    key = emu.numeric_api_key
    mine = get(emu, f"/athlete/{emu.numeric_athlete_id}", key=key)
    assert mine.status_code == 200 and mine.json()["id"] == emu.numeric_athlete_id
    assert get(emu, "/athlete/0", key=key).json() == mine.json()
    assert (
        get(
            emu, f"/athlete/{emu.numeric_athlete_id}/wellness", window(emu.today, 3), key=key
        ).status_code
        == 200
    )
    # each key sees only its own athlete
    refused = get(emu, f"/athlete/{emu.athlete_id}", key=key)
    assert refused.status_code == 403 and refused.json() == {
        "status": 403,
        "error": "Access denied",
    }
    assert get(emu, f"/athlete/{emu.numeric_athlete_id}").status_code == 403
    assert get(emu, f"/athlete/i{emu.numeric_athlete_id}", key=key).status_code == 404


def test_the_client_uses_a_numeric_id_as_given_when_it_answers(intervals_emulator):
    emu = intervals_emulator
    client = IntervalsClient(
        emu.base_url,
        emu.numeric_athlete_id,
        emu.numeric_api_key,
        timeout_s=5.0,
        policy=RetryPolicy(sleep=lambda _s: None),
        limiter=RateLimiter(0),
        workers=2,
    )
    emu.reset_counts()

    assert client.athlete()["id"] == emu.numeric_athlete_id
    assert client.wellness(emu.today - timedelta(days=2), emu.today)

    assert client.athlete_id == emu.numeric_athlete_id  # no `i` was added
    assert emu.athlete_ids_seen == Counter({emu.numeric_athlete_id: 2})


def test_a_sync_with_a_numeric_athlete_id_writes_the_files(
    intervals_emulator, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    emu = intervals_emulator
    emu.reset_counts()
    out = tmp_path / "out"

    code = main(
        [
            "sync",
            "--api-base",
            emu.base_url,
            "--athlete-id",
            emu.numeric_athlete_id,
            "--intervals-key",
            emu.numeric_api_key,
            "--output",
            str(out),
            "--today",
            emu.today.isoformat(),
            "--quiet",
        ]
    )

    assert code == 0
    assert set(emu.athlete_ids_seen) == {emu.numeric_athlete_id}  # every call, never i123456
    assert emu.request_counts["/athlete/{id}"] == 1
    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert latest["recent_activities"] and latest["wellness_data"]
    assert sorted(p.name for p in Path(out).iterdir() if p.suffix == ".json") == sorted(
        ["latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"]
    )
