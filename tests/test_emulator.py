"""The Intervals.icu emulator: response shapes against the OpenAPI components, auth, faults, counts.

Schema translation (OpenAPI 3.0 -> JSON Schema 2020-12), with the relaxations the observed live
behaviour requires (notes on payloads recorded from live accounts; observed wins):

* every object property and every array item may be `null` (the spec has no `nullable`, the live
  API sends `null` for unset scalars and lists, where it could also leave the key out);
* `ActivityStream.data` / `data2` are arrays (or null), not objects, as the live API sends them;
* `Event.workout_doc` is any object: the spec's `additionalProperties: {type: object}` renders
  Java's `Map<String, Object>`, whose values are also numbers, strings and lists in live payloads.

Extra keys are allowed (the components do not set `additionalProperties: false`), which is how the
undocumented fields (`paired_activity_id`, `wPrime`, `pMax`, `icu_hr_decoupling`, …) pass.
"""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator

from s11sync.demo.intervals_icu.server import IntervalsEmulator

OPENAPI = Path(__file__).parent / "fixtures" / "intervals-icu" / "openapi.json"


def _nullable(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {
            k: {"anyOf": [_nullable(v), {"type": "null"}]} for k, v in out["properties"].items()
        }
    if "items" in out:
        out["items"] = {"anyOf": [_nullable(out["items"]), {"type": "null"}]}
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _nullable(out["additionalProperties"])
    for key in ("oneOf", "anyOf", "allOf"):
        if key in out:
            out[key] = [_nullable(s) for s in out[key]]
    return out


@pytest.fixture(scope="module")
def components() -> dict[str, Any]:
    schemas = copy.deepcopy(json.loads(OPENAPI.read_text())["components"]["schemas"])
    stream = schemas["ActivityStream"]["properties"]
    stream["data"] = {"type": "array"}
    stream["data2"] = {"type": "array"}
    schemas["Event"]["properties"]["workout_doc"] = {"type": "object"}  # Java Map<String,Object>
    return {name: _nullable(s) for name, s in schemas.items()}


@pytest.fixture(scope="module")
def validate(components: dict[str, Any]):
    def check(instance: Any, name: str, many: bool = False) -> None:
        target: dict[str, Any] = {"$ref": f"#/components/schemas/{name}"}
        if many:
            target = {"type": "array", "items": target}
        schema = {**target, "components": {"schemas": components}}
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(
            f"{name} {list(e.absolute_path)}: {e.message}" for e in errors[:10]
        )

    return check


def get(emu: IntervalsEmulator, path: str, **params: Any) -> requests.Response:
    return requests.get(
        emu.base_url + path, params=params, auth=("API_KEY", emu.api_key), timeout=10
    )


def window(today: date, days: int) -> dict[str, str]:
    return {"oldest": (today - timedelta(days=days - 1)).isoformat(), "newest": today.isoformat()}


# ---------------------------------------------------------------- shapes


def test_the_schema_check_can_fail(validate):
    with pytest.raises(AssertionError):
        validate({"id": "2026-01-01", "ctl": "high"}, "Wellness")


def test_athlete_record_matches_with_sport_settings(intervals_emulator, validate):
    r = get(intervals_emulator, "/athlete/0")
    assert r.status_code == 200
    athlete = r.json()
    validate(athlete, "WithSportSettings")
    assert athlete["id"] == intervals_emulator.athlete_id
    assert athlete["timezone"] == "Europe/Paris"
    assert athlete["city"].endswith(" ") and athlete["country"].endswith(" ")
    assert athlete["icu_api_key"] and athlete["icu_friend_invite_token"]  # secrets to keep out
    assert {"Ride", "VirtualRide"} <= set(athlete["sportSettings"][0]["types"])
    assert athlete["sportSettings"][0]["ftp"] != athlete["sportSettings"][0]["indoor_ftp"]
    assert get(intervals_emulator, f"/athlete/{intervals_emulator.athlete_id}").json() == athlete


def test_activity_lists_match_activity_or_hidden_and_come_newest_first(
    intervals_emulator, validate, demo_today
):
    acts = get(intervals_emulator, "/athlete/0/activities", **window(demo_today, 28)).json()
    stubs = [a for a in acts if a.get("source") == "STRAVA"]
    assert stubs and len(acts) > 20
    validate(stubs, "Hidden", many=True)
    validate([a for a in acts if a not in stubs], "Activity", many=True)
    starts = [a["start_date_local"] for a in acts]
    assert starts == sorted(starts, reverse=True)
    assert starts[0][:10] == demo_today.isoformat()  # a date-only newest covers the whole day


def test_activities_accept_datetime_bounds_limit_and_require_oldest(intervals_emulator, demo_today):
    day = demo_today - timedelta(days=3)
    acts = get(
        intervals_emulator,
        "/athlete/0/activities",
        oldest=f"{day}T00:00:00",
        newest=f"{demo_today}T23:59:59",
    ).json()
    assert all(a["start_date_local"] >= f"{day}T00:00:00" for a in acts)
    limited = get(intervals_emulator, "/athlete/0/activities", oldest=f"{day}", limit=2).json()
    assert limited == acts[:2]
    missing = get(intervals_emulator, "/athlete/0/activities")
    assert missing.status_code == 422
    assert missing.json() == {"status": 422, "error": "Required parameter 'oldest' is missing"}


def test_fields_projection_keeps_requested_keys_and_drops_nulls(intervals_emulator, demo_today):
    acts = get(
        intervals_emulator,
        "/athlete/0/activities",
        fields="id,type,icu_hrr,decoupling",
        **window(demo_today, 14),
    ).json()
    full = {
        a["id"]: a
        for a in get(intervals_emulator, "/athlete/0/activities", **window(demo_today, 14)).json()
    }
    for a in acts:
        if a.get("source") == "STRAVA":
            continue
        expected = {
            k for k in ("id", "type", "icu_hrr", "decoupling") if full[a["id"]][k] is not None
        }
        assert set(a) == expected
    assert any("icu_hrr" not in a for a in acts if "type" in a)
    wl = get(
        intervals_emulator, "/athlete/0/wellness", fields="hrv,weight", **window(demo_today, 7)
    ).json()
    assert all(set(w) <= {"id", "hrv", "weight"} for w in wl)
    assert any("weight" not in w for w in wl)


def test_bulk_activities_in_request_order(intervals_emulator, demo_today, validate):
    acts = [
        a
        for a in get(intervals_emulator, "/athlete/0/activities", **window(demo_today, 7)).json()
        if "type" in a
    ][:3]
    ids = [a["id"] for a in reversed(acts)]
    bulk = get(intervals_emulator, f"/athlete/0/activities/{','.join(ids)}").json()
    assert [a["id"] for a in bulk] == ids
    validate(bulk, "Activity", many=True)


def test_wellness_list_day_and_unrecorded_day(intervals_emulator, validate, demo_today):
    wl = get(intervals_emulator, "/athlete/0/wellness", **window(demo_today, 28)).json()
    validate(wl, "Wellness", many=True)
    ids = [w["id"] for w in wl]
    assert ids == sorted(window_dates(demo_today, 28))  # one record per day, none skipped
    recorded = {w["id"] for w in intervals_emulator.data.wellness}
    blank = [w for w in wl if w["id"] not in recorded]
    assert blank  # the window holds a day without any data: a record of nulls, keys all there
    for w in blank:
        assert set(w) == set(wl[-1])
        assert w["ctl"] is not None and w["atl"] is not None  # CTL/ATL exist every day
        assert all(w[k] is None for k in ("hrv", "restingHR", "weight", "sleepSecs", "sportInfo"))
    assert (
        get(intervals_emulator, "/athlete/0/wellness.json", **window(demo_today, 28)).json() == wl
    )
    today = get(intervals_emulator, f"/athlete/0/wellness/{demo_today}").json()
    validate(today, "Wellness")
    assert today == wl[-1]
    empty = get(intervals_emulator, f"/athlete/0/wellness/{blank[0]['id']}").json()
    assert empty == blank[0]


def test_wellness_has_a_record_for_every_day_of_any_range(intervals_emulator, demo_today):
    first = intervals_emulator.data.wellness[0]["id"]
    before = date.fromisoformat(first) - timedelta(days=3)
    wl = get(
        intervals_emulator,
        "/athlete/0/wellness",
        oldest=before.isoformat(),
        newest=(demo_today + timedelta(days=2)).isoformat(),
    ).json()
    days = (demo_today + timedelta(days=2) - before).days + 1
    assert [w["id"] for w in wl] == [(before + timedelta(days=i)).isoformat() for i in range(days)]
    assert wl[0]["ctl"] is None and wl[0]["hrv"] is None  # before the served history: all null
    assert wl[-1]["id"] > demo_today.isoformat() and wl[-1]["hrv"] is None
    # without bounds: the served history, every day to today
    default = get(intervals_emulator, "/athlete/0/wellness").json()
    assert default[0]["id"] == first and default[-1]["id"] == demo_today.isoformat()
    assert len(default) == (demo_today - date.fromisoformat(first)).days + 1
    projected = get(
        intervals_emulator, "/athlete/0/wellness", fields="hrv", **window(demo_today, 60)
    ).json()
    assert len(projected) == 60 and any(set(w) == {"id"} for w in projected)


def window_dates(today: date, days: int) -> list[str]:
    return [(today - timedelta(days=i)).isoformat() for i in range(days)]


def test_events_shapes_filters_and_resolve(intervals_emulator, validate, demo_today):
    params = {
        "oldest": (demo_today - timedelta(days=14)).isoformat(),
        "newest": (demo_today + timedelta(days=90)).isoformat(),
    }
    events = get(intervals_emulator, "/athlete/0/events", resolve="true", **params).json()
    validate(events, "Event", many=True)
    cats = {e["category"] for e in events}
    assert {"WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE"} <= cats
    steps = [s for e in events if e["workout_doc"] for s in e["workout_doc"]["steps"]]
    assert any("_power" in s for s in steps)
    assert any("_power" in c for s in steps for c in s.get("steps", []))
    plain = get(intervals_emulator, "/athlete/0/events", **params).json()
    assert not any(
        "_power" in s for e in plain if e["workout_doc"] for s in e["workout_doc"]["steps"]
    )
    races = get(
        intervals_emulator, "/athlete/0/events.json", category="RACE_A,RACE_B", **params
    ).json()
    assert races and {e["category"] for e in races} <= {"RACE_A", "RACE_B"}
    dt = get(
        intervals_emulator,
        "/athlete/0/events",
        oldest=f"{demo_today}T00:00:00",
        newest=f"{demo_today + timedelta(days=6)}T23:59:59",
    ).json()
    default = get(intervals_emulator, "/athlete/0/events").json()
    assert dt == default and dt


def test_health_marker_query_returns_sick_and_injured_spans(intervals_emulator, demo_today):
    events = get(
        intervals_emulator,
        "/athlete/0/events",
        category="INJURED,SICK",
        oldest=(demo_today - timedelta(days=365)).isoformat(),
        newest=(demo_today + timedelta(days=90)).isoformat(),
    ).json()
    assert {e["category"] for e in events} == {"SICK", "INJURED"}
    sick = next(e for e in events if e["category"] == "SICK")
    span = date.fromisoformat(sick["end_date_local"][:10]) - date.fromisoformat(
        sick["start_date_local"][:10]
    )
    assert span.days == 3 and sick["end_date_local"].endswith("T00:00:00")


def test_power_and_hr_curves_one_item_per_spec_in_request_order(
    intervals_emulator, validate, demo_today
):
    t = demo_today
    specs = [
        f"r.{t - timedelta(days=27)}.{t}",
        f"r.{t - timedelta(days=55)}.{t - timedelta(days=28)}",
        f"r.{t - timedelta(days=41)}.{t}",
    ]
    power = get(
        intervals_emulator, "/athlete/0/power-curves", type="Ride", curves=",".join(specs)
    ).json()
    validate(power, "DataCurveSetPowerCurve")
    assert [c["id"] for c in power["list"]] == specs
    for c in power["list"]:
        assert "watts" not in c  # live curves carry `values` only
        assert len(c["secs"]) == len(c["values"]) and all(v > 0 for v in c["values"])
        assert {5, 60, 300, 1200, 3600} <= set(c["secs"])
        assert set(c["activity_id"]) <= set(power["activities"])
    hr = get(intervals_emulator, "/athlete/0/hr-curves", curves=",".join(specs[:2][::-1])).json()
    validate(hr, "DataCurveSetHRCurve")
    assert [c["id"] for c in hr["list"]] == specs[:2][::-1]
    empty = get(
        intervals_emulator, "/athlete/0/power-curves", type="Ride", curves="r.2001-01-01.2001-01-28"
    )
    assert empty.json()["list"][0]["values"] is None and "watts" not in empty.json()["list"][0]
    untyped = get(intervals_emulator, "/athlete/0/power-curves", curves=specs[0])
    assert untyped.status_code == 422
    assert untyped.json() == {"status": 422, "error": "Required parameter 'type' is missing"}


def _recent_ride(emu: IntervalsEmulator, today: date, needs: str) -> dict[str, Any]:
    acts = get(emu, "/athlete/0/activities", **window(today, 14)).json()
    rides = [a for a in acts if a.get("type") in ("Ride", "VirtualRide", "GravelRide")]
    if needs == "groups":
        return next(a for a in rides if a["interval_summary"])
    return next(a for a in rides if needs in (a.get("stream_types") or []))


def test_activity_with_intervals_and_intervals_dto(intervals_emulator, validate, demo_today):
    ride = _recent_ride(intervals_emulator, demo_today, "groups")
    full = get(intervals_emulator, f"/activity/{ride['id']}", intervals="true").json()
    validate(full, "ActivityWithIntervals")
    assert full["icu_intervals"] and full["icu_groups"]
    assert "icu_intervals" not in get(intervals_emulator, f"/activity/{ride['id']}").json()
    dto = get(intervals_emulator, f"/activity/{ride['id']}/intervals").json()
    validate(dto, "IntervalsDTO")
    assert dto["icu_intervals"] == full["icu_intervals"]
    assert {i["group_id"] for i in dto["icu_intervals"] if i["group_id"]} == {
        g["id"] for g in dto["icu_groups"]
    }


def test_streams_shape_suffixes_and_types_filter(intervals_emulator, validate, demo_today):
    ride = _recent_ride(intervals_emulator, demo_today, "latlng")
    streams = get(intervals_emulator, f"/activity/{ride['id']}/streams").json()
    validate(streams, "ActivityStream", many=True)
    by_type = {s["type"]: s for s in streams}
    n = len(by_type["time"]["data"])
    assert all(len(s["data"]) == n for s in streams)
    assert len(by_type["latlng"]["data2"]) == n and by_type["watts"]["data2"] is None
    some = get(
        intervals_emulator, f"/activity/{ride['id']}/streams.json", types="latlng,altitude"
    ).json()
    assert sorted(s["type"] for s in some) == ["altitude", "latlng"]


def test_messages_and_the_attachment_file(intervals_emulator, validate, demo_today):
    acts = get(intervals_emulator, "/athlete/0/activities", **window(demo_today, 14)).json()
    msgs = [
        m
        for a in acts
        if "type" in a
        for m in get(intervals_emulator, f"/activity/{a['id']}/messages").json()
    ]
    validate(msgs, "Message", many=True)
    assert any(m["content"] for m in msgs) and any(m["deleted"] for m in msgs)
    events = get(
        intervals_emulator,
        "/athlete/0/events",
        category="RACE_A",
        oldest=str(demo_today),
        newest=str(demo_today + timedelta(days=90)),
    ).json()
    att = events[0]["attachments"][0]
    assert att["url"].startswith(intervals_emulator.root + "/files/")
    gpx = requests.get(att["url"], timeout=10)  # no credentials, like the original
    assert gpx.status_code == 200 and "<trkpt" in gpx.text and "<ele>" in gpx.text
    assert requests.get(intervals_emulator.root + "/files/nope.gpx", timeout=10).status_code == 404


def test_strava_stub_endpoints_answer_empty(intervals_emulator, validate, demo_today):
    acts = get(intervals_emulator, "/athlete/0/activities", **window(demo_today, 28)).json()
    stub = next(a for a in acts if a.get("source") == "STRAVA")
    assert set(stub) == {"id", "icu_athlete_id", "start_date_local", "source", "_note"}
    assert stub["id"].isdigit()
    assert get(intervals_emulator, f"/activity/{stub['id']}").json() == stub
    assert get(intervals_emulator, f"/activity/{stub['id']}/streams").json() == []
    assert (
        get(intervals_emulator, f"/activity/{stub['id']}/intervals").json()["icu_intervals"] == []
    )


# ---------------------------------------------------------------- auth and errors


@pytest.mark.parametrize(
    "auth, headers, status",
    [
        (None, {}, 401),
        (("API_KEY", "wrong"), {}, 401),
        (("someone", "demo-key-11sync-0000"), {}, 401),
        (None, {"Authorization": "Bearer demo-key-11sync-0000"}, 403),
    ],
)
def test_auth_like_the_live_service(intervals_emulator, auth, headers, status):
    r = requests.get(
        intervals_emulator.base_url + "/athlete/0", auth=auth, headers=headers, timeout=10
    )
    assert r.status_code == status
    assert r.json()["status"] == status
    if status == 403:
        assert r.json() == {"status": 403, "error": "Access denied"}


def test_other_athlete_unknown_athlete_unknown_route_and_method(intervals_emulator):
    emu = intervals_emulator
    other = get(emu, f"/athlete/{emu.other_athlete_id}/activities", oldest="2026-01-01")
    assert other.status_code == 403 and other.json() == {"status": 403, "error": "Access denied"}
    assert get(emu, "/athlete/i999999").status_code == 404
    missing = get(emu, "/athlete/0/fitness")
    assert missing.status_code == 404
    assert set(missing.json()) == {"timestamp", "status", "error", "path"}
    assert get(emu, "/activity/i1").status_code == 404
    post = requests.post(emu.base_url + "/athlete/0", auth=("API_KEY", emu.api_key), timeout=10)
    assert post.status_code == 405


# ---------------------------------------------------------------- faults, counts, latency


def test_fault_status_retry_after_and_times(intervals_emulator):
    emu = intervals_emulator
    emu.add_fault(r"/wellness$", status=429, times=2, retry_after="3")
    for _ in range(2):
        r = get(emu, "/athlete/0/wellness", oldest="2026-11-20")
        assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert get(emu, "/athlete/0/wellness", oldest="2026-11-20").status_code == 200
    emu.add_fault(r"/athlete/[^/]+$", status=503, body="<html>down</html>")
    r = get(emu, "/athlete/0")
    assert r.status_code == 503 and r.text == "<html>down</html>"


def test_fault_truncated_body_breaks_the_read(intervals_emulator):
    intervals_emulator.add_fault(r"/athlete/[^/]+$", truncate=True)
    with pytest.raises(requests.exceptions.RequestException):
        get(intervals_emulator, "/athlete/0").json()
    assert get(intervals_emulator, "/athlete/0").status_code == 200


def test_fault_delay_makes_the_client_time_out_and_clear_faults_removes_it(intervals_emulator):
    emu = intervals_emulator
    emu.add_fault(r"/events", status=200, delay_s=0.5, times=5)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(emu.base_url + "/athlete/0/events", auth=("API_KEY", emu.api_key), timeout=0.2)
    emu.clear_faults()
    assert get(emu, "/athlete/0/events").status_code == 200


def test_request_counts_by_path_template(intervals_emulator, demo_today):
    emu = intervals_emulator
    emu.reset_counts()
    get(emu, "/athlete/0")
    get(emu, "/athlete/0/activities", oldest=str(demo_today))
    get(emu, "/athlete/i424242/activities", oldest=str(demo_today))
    emu.add_fault("/activities", status=500)
    get(emu, "/athlete/0/activities", oldest=str(demo_today))
    get(emu, "/nope")
    assert emu.request_counts["/athlete/{id}"] == 1
    assert emu.request_counts["/athlete/{id}/activities"] == 3
    assert emu.total_requests() == 5
    emu.reset_counts()
    assert emu.total_requests() == 0


def test_latency_is_added_per_request(demo_today):
    import time

    with IntervalsEmulator(today=demo_today, latency_s=0.1) as emu:
        start = time.perf_counter()
        assert get(emu, "/athlete/0").status_code == 200
        assert time.perf_counter() - start >= 0.1


# ---------------------------------------------------------------- determinism


def test_same_seed_and_today_serve_identical_bytes(intervals_emulator, demo_today):
    with IntervalsEmulator(today=demo_today, seed=11) as twin:
        for path, params in (
            ("/athlete/0/activities", {"oldest": "2023-01-01"}),
            ("/athlete/0/wellness", {"oldest": "2023-01-01"}),
        ):
            assert (
                get(twin, path, **params).content == get(intervals_emulator, path, **params).content
            )


def test_a_later_today_extends_history_without_changing_past_activities(
    intervals_emulator, demo_today
):
    later = demo_today + timedelta(days=30)
    with IntervalsEmulator(today=later, seed=11) as emu:
        params = {"oldest": str(demo_today - timedelta(days=400)), "newest": str(demo_today)}
        before = get(intervals_emulator, "/athlete/0/activities", **params).json()
        after = get(emu, "/athlete/0/activities", **params).json()
        assert after == before and len(after) > 300
        newer = get(emu, "/athlete/0/activities", oldest=str(demo_today + timedelta(days=1))).json()
        assert newer and newer[0]["start_date_local"][:10] <= str(later)
        assert (
            get(
                emu,
                "/athlete/0/activities",
                oldest=str(later + timedelta(days=1)),
                newest=str(later + timedelta(days=30)),
            ).json()
            == []
        )


def test_concurrent_requests_are_all_served_and_counted(intervals_emulator, demo_today):
    from concurrent.futures import ThreadPoolExecutor

    emu = intervals_emulator
    acts = [a["id"] for a in get(emu, "/athlete/0/activities", **window(demo_today, 14)).json()]
    emu.reset_counts()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda i: get(emu, f"/activity/{i}/streams").status_code, acts * 2))
    assert codes == [200] * len(acts) * 2
    assert emu.request_counts["/activity/{id}/streams"] == len(acts) * 2 == emu.total_requests()
