"""The synthetic demo athlete has everything the metrics need, deterministically."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu.athlete import HISTORY_DAYS, DemoData, build_demo, key_dates
from s11sync.demo.intervals_icu.server import cached_demo

TODAY = date(2026, 11, 25)
RIDES = ("Ride", "VirtualRide", "GravelRide")


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return cached_demo(11, TODAY)


def real(data: DemoData) -> list[dict[str, Any]]:
    return [a for a in data.activities if "type" in a]


def in_window(data: DemoData, today: date, days: int) -> list[dict[str, Any]]:
    first = (today - timedelta(days=days - 1)).isoformat()
    return [a for a in real(data) if first <= a["start_date_local"][:10] <= today.isoformat()]


def load(acts: list[dict[str, Any]]) -> int:
    return sum(a["icu_training_load"] or 0 for a in acts)


def test_building_the_whole_dataset_is_fast():
    start = time.process_time()  # CPU time: not inflated by other processes on a busy machine
    build_demo(5, TODAY)
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize("seed", [1, 11])
def test_same_seed_and_today_build_identical_data(seed):
    a, b = build_demo(seed, TODAY), build_demo(seed, TODAY)
    assert (a.activities, a.wellness, a.events, a.athlete) == (
        b.activities,
        b.wellness,
        b.events,
        b.athlete,
    )


def test_another_seed_gives_another_athlete_history():
    assert build_demo(2, TODAY).activities != build_demo(3, TODAY).activities


def test_three_years_of_history_and_nothing_after_today(demo):
    dates = sorted(a["start_date_local"][:10] for a in demo.activities)
    assert date.fromisoformat(dates[0]) <= TODAY - timedelta(days=1095)
    assert dates[-1] == TODAY.isoformat()
    assert (TODAY - date.fromisoformat(demo.wellness[0]["id"])).days == HISTORY_DAYS - 1


def test_every_sport_and_setting_is_represented(demo):
    acts = real(demo)
    types = Counter(a["type"] for a in acts)
    assert {"Ride", "GravelRide", "VirtualRide", "Run", "Swim", "WeightTraining"} <= set(types)
    assert any(a["type"] == "Ride" and a["trainer"] is True for a in acts)
    assert any(a["type"] == "Ride" and a["trainer"] is False and a["has_weather"] for a in acts)
    assert any(a["race"] for a in acts)


def test_a_multi_week_gap_more_than_a_year_ago(demo):
    dates = sorted({date.fromisoformat(a["start_date_local"][:10]) for a in demo.activities})
    gaps = [(a, b) for a, b in itertools.pairwise(dates) if (b - a).days > 21]
    assert gaps and all((TODAY - b).days > 365 for a, b in gaps)


def test_strava_stubs_have_only_the_stub_keys(demo):
    stubs = [a for a in demo.activities if a.get("source") == "STRAVA"]
    assert len(stubs) >= 10
    assert all(
        set(s) == {"id", "icu_athlete_id", "start_date_local", "source", "_note"} for s in stubs
    )
    assert all(s["id"].isdigit() for s in stubs)
    recent = [s for s in stubs if s["start_date_local"][:10] >= str(TODAY - timedelta(days=27))]
    assert recent


def test_some_fields_are_present_but_null(demo):
    acts = real(demo)
    for key in (
        "icu_rpe",
        "feel",
        "icu_hrr",
        "icu_zone_times",
        "average_heartrate",
        "decoupling",
        "icu_hr_decoupling",
        "average_weather_temp",
    ):
        values = [a[key] for a in acts]
        assert None in values and any(v is not None for v in values), key
    assert any(w["sportInfo"] is None for w in demo.wellness)
    assert any(w["hrv"] is None for w in demo.wellness)


def test_ftp_changes_indoor_and_outdoor_on_different_dates(demo):
    def changes(indoor: bool) -> set[str]:
        rides = sorted(
            (a for a in real(demo) if a["type"] in RIDES and (a["trainer"] is True) == indoor),
            key=lambda a: a["start_date_local"],
        )
        return {
            b["start_date_local"][:10]
            for a, b in itertools.pairwise(rides)
            if a["icu_ftp"] != b["icu_ftp"]
        }

    outdoor, indoor = changes(False), changes(True)
    assert len(outdoor) >= 5 and len(indoor) >= 5 and outdoor != indoor
    settings = demo.athlete["sportSettings"][0]
    assert settings["ftp"] == cal.ftp_outdoor(TODAY) and settings["indoor_ftp"] == cal.ftp_indoor(
        TODAY
    )
    assert settings["ftp"] != settings["indoor_ftp"]


def test_wellness_has_gaps_baselines_and_power_model(demo):
    days = {w["id"] for w in demo.wellness}
    assert len(days) < HISTORY_DAYS  # whole days without a record
    last7 = demo.wellness[-7:]
    assert all(w["hrv"] and w["restingHR"] and w["sleepSecs"] for w in last7)
    assert any(w["weight"] is None for w in last7) and any(w["weight"] for w in last7)
    today = demo.wellness[-1]
    assert today["id"] == TODAY.isoformat()
    ride = next(s for s in today["sportInfo"] if s["type"] == "Ride")
    assert ride["eftp"] and ride["wPrime"] and ride["pMax"]
    assert today["ctl"] > 40 and today["atl"] > 0 and today["rampRate"] is not None
    assert {"carbohydrates", "protein", "fatTotal", "mentalEnergy", "sleepQuality"} <= set(today)


def test_sick_days_show_in_wellness_and_in_the_calendar(demo):
    kd = key_dates(TODAY)
    sick = [
        w
        for w in demo.wellness
        if kd["sick_start"] <= date.fromisoformat(w["id"]) < kd["sick_end_exclusive"]
    ]
    normal = [w for w in demo.wellness[-60:] if w["hrv"]]
    assert sick and max(w["hrv"] for w in sick if w["hrv"]) < sum(w["hrv"] for w in normal) / len(
        normal
    )
    assert not [
        a
        for a in real(demo)
        if kd["sick_start"]
        <= date.fromisoformat(a["start_date_local"][:10])
        < kd["sick_end_exclusive"]
    ]
    events = [
        e
        for e in demo.events
        if e["category"] == "SICK" and e["start_date_local"][:10] == str(kd["sick_start"])
    ]
    assert events and events[0]["end_date_local"] == f"{kd['sick_end_exclusive']}T00:00:00"
    assert any(
        e["category"] == "INJURED" and e["start_date_local"][:10] == str(kd["injured_day"])
        for e in demo.events
    )


def test_past_workouts_pair_with_activities_and_future_ones_do_not(demo):
    by_id = {a["id"]: a for a in real(demo)}
    past = [
        e
        for e in demo.events
        if e["category"] == "WORKOUT" and e["start_date_local"][:10] <= str(TODAY)
    ]
    paired = [e for e in past if "paired_activity_id" in e]
    assert len(paired) > 0.9 * len(
        [e for e in past if e["start_date_local"][:10] >= by_min_date(demo)]
    )
    assert all(by_id[e["paired_activity_id"]]["paired_event_id"] == e["id"] for e in paired)
    assert any("paired_activity_id" not in e for e in past[-200:])  # skipped sessions
    future = [e for e in demo.events if e["start_date_local"][:10] > str(TODAY)]
    assert future and not any("paired_activity_id" in e for e in future)
    cats = {
        e["category"]
        for e in future
        if e["start_date_local"][:10] <= str(TODAY + timedelta(days=90))
    }
    assert {"WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE"} <= cats


def by_min_date(demo: DemoData) -> str:
    return min(a["start_date_local"][:10] for a in real(demo))


def test_workout_docs_have_the_observed_structure(demo):
    docs = [e["workout_doc"] for e in demo.events if e["category"] == "WORKOUT"]
    repeats = [s for d in docs for s in d["steps"] if "reps" in s]
    assert repeats and all(
        r["steps"] and r["text"].endswith(f"{r['reps']}x") and r["distance"] == 0 for r in repeats
    )
    assert all(r["duration"] == r["reps"] * sum(c["duration"] for c in r["steps"]) for r in repeats)
    assert all(d["duration"] == sum(s["duration"] for s in d["steps"]) for d in docs)
    flat = [s for d in docs for s in d["steps"]] + [c for r in repeats for c in r["steps"]]
    units = {t["units"] for s in flat for k in ("power", "hr", "pace") if k in s for t in [s[k]]}
    assert {"%ftp", "hr_zone", "%pace"} <= units
    assert any(s.get("ramp") and "start" in s["power"] for s in flat if "power" in s)
    assert any(d["steps"] == [] for d in docs)
    assert not any(v is None for s in flat for v in s.values())  # steps omit keys, never null


def test_a_race_a_event_carries_a_gpx_attachment_served_by_the_data(demo):
    race = next(
        e
        for e in demo.events
        if e["category"] == "RACE_A" and e["start_date_local"][:10] > str(TODAY)
    )
    att = race["attachments"][0]
    assert att["filename"].endswith(".gpx") and len(att["id"]) == 36
    gpx = demo.gpx(att["id"])
    assert gpx is not None and gpx.count("<trkpt") > 1000


# ---------------------------------------------------------------- key dates


@pytest.mark.parametrize("today", [TODAY, date(2025, 8, 1), date(2026, 3, 15), date(2027, 5, 30)])
def test_key_dates_are_sane(today):
    kd = key_dates(today)
    assert kd["next_race_a"] >= today and cal.cycle_pos(kd["next_race_a"])[1:] == (11, 6)
    assert 1 <= (kd["next_race_a"] - kd["race_week_day"]).days <= 7
    assert 8 <= (kd["next_race_a"] - kd["taper_day"]).days <= 14
    assert (kd["sick_end_exclusive"] - kd["sick_start"]).days == 3
    assert kd["sick_start"] < kd["sick_day"] < kd["sick_end_exclusive"]
    assert kd["deload_week_start"] <= today and kd["deload_week_start"].weekday() == 0
    assert kd["acwr_spike_day"] <= today and kd["camp_week_start"].weekday() == 0


def test_race_dates_from_key_dates_are_race_events():
    kd = key_dates(TODAY)
    data = cached_demo(11, TODAY)
    starts = {(e["category"], e["start_date_local"][:10]) for e in data.events}
    for cat, key in (
        ("RACE_A", "next_race_a"),
        ("RACE_B", "next_race_b"),
        ("RACE_C", "next_race_c"),
    ):
        assert (cat, str(kd[key])) in starts


def test_the_acwr_spike_day_has_acute_load_at_least_one_and_a_half_times_chronic(demo):
    spike = key_dates(TODAY)["acwr_spike_day"]
    s7, s28 = load(in_window(demo, spike, 7)), load(in_window(demo, spike, 28))
    assert (s7 / 7) / (s28 / 28) >= 1.5


def test_the_deload_week_is_lighter_than_the_weeks_before(demo):
    start = key_dates(TODAY)["deload_week_start"]
    end = start + timedelta(days=6)
    week = load(in_window(demo, end, 7))
    before = load(in_window(demo, start - timedelta(days=1), 21)) / 3
    assert week < 0.75 * before


# ---------------------------------------------------------------- the default 28-day picture


def test_the_default_today_gives_every_load_and_capability_input(demo):
    a7, a28 = in_window(demo, TODAY, 7), in_window(demo, TODAY, 28)
    assert load(a7) > 300 and load(a28) > 1500
    assert sum(1 for a in a7 if a["icu_zone_times"]) >= 3 and any(
        a["icu_hr_zone_times"] for a in a7
    )

    def durable(a: dict[str, Any]) -> bool:
        vi = a["icu_variability_index"]
        return (
            a["decoupling"] is not None
            and vi is not None
            and 0 < vi <= 1.05
            and a["moving_time"] >= 5400
        )

    def ef(a: dict[str, Any]) -> bool:
        vi = a["icu_variability_index"]
        return (
            a["icu_efficiency_factor"] is not None
            and a["type"] in RIDES
            and vi is not None
            and 0 < vi <= 1.05
            and a["moving_time"] >= 1200
        )

    assert sum(map(durable, a7)) >= 2 and sum(map(durable, a28)) >= 5
    assert sum(map(ef, a7)) >= 2 and sum(map(ef, a28)) >= 5
    assert sum(1 for a in a7 if a["icu_hrr"]) >= 1 and sum(1 for a in a28 if a["icu_hrr"]) >= 3
    w28 = [w for w in demo.wellness if w["id"] >= str(TODAY - timedelta(days=27))]
    assert sum(1 for w in w28 if w["hrv"]) >= 20 and sum(1 for w in w28 if w["weight"]) >= 14


def test_curves_cover_both_28_day_windows_and_the_42_day_window(demo):
    t = TODAY
    cur, prev, sus = (
        f"r.{t - timedelta(days=27)}.{t}",
        f"r.{t - timedelta(days=55)}.{t - timedelta(days=28)}",
        f"r.{t - timedelta(days=41)}.{t}",
    )
    power = demo.curves("power", [cur, prev, sus], "Ride")["list"]
    for curve in power:
        assert {5, 60, 300, 1200, 3600} <= set(curve["secs"])
        assert all(v > 0 for v in curve["values"]) and curve["values"] == sorted(
            curve["values"], reverse=True
        )
    assert {600, 1800, 5400, 7200} <= set(power[2]["secs"])
    hr = demo.curves("hr", [cur, prev], None)["list"]
    assert all({60, 300, 1200, 3600} <= set(c["secs"]) for c in hr)
    assert demo.curves("power", [sus], "VirtualRide")["list"][0]["values"]


def test_dfa_streams_are_sufficient_on_a_recent_ride(demo):
    recent = [a for a in in_window(demo, TODAY, 14) if "dfa_a1" in (a["stream_types"] or [])]
    assert recent
    streams = {s["type"]: s for s in demo.streams(recent[0]["id"])}
    dfa, art = streams["dfa_a1"], streams["artifacts"]
    assert dfa["custom"] and art["custom"] and len(dfa["data"]) == len(streams["heartrate"]["data"])
    valid = [
        d
        for d, x in zip(dfa["data"], art["data"])
        if d is not None and d >= 0.01 and (x is None or x <= 5)
    ]
    assert len(valid) >= 1200 and len(valid) / len(dfa["data"]) >= 0.7
    assert min(valid) < 0.75 < max(valid)


def test_streams_and_intervals_agree(demo):
    ride = next(
        a for a in in_window(demo, TODAY, 14) if a["type"] == "Ride" and a["trainer"] is False
    )
    streams = {s["type"]: s for s in demo.streams(ride["id"])}
    n = len(streams["time"]["data"])
    assert n == ride["moving_time"]
    assert streams["time"]["data"] == sorted(streams["time"]["data"])
    assert streams["distance"]["data"][-1] > 10000
    lat, lon = streams["latlng"]["data"], streams["latlng"]["data2"]
    assert sum(1 for x, y in zip(lat, lon) if x is not None and y is not None) > 10
    ints = demo.intervals(ride["id"])["icu_intervals"]
    assert (
        ints and ints[-1]["end_index"] == n and all(i["start_index"] < i["end_index"] for i in ints)
    )


def test_a_later_today_only_reveals_more():
    later = build_demo(11, TODAY + timedelta(days=10))
    base = cached_demo(11, TODAY)
    first = str(TODAY - timedelta(days=HISTORY_DAYS - 20))
    old = [a for a in base.activities if a["start_date_local"] >= first]
    new = [a for a in later.activities if first <= a["start_date_local"] <= f"{TODAY}T23:59:59"]
    assert old == new


def test_hr_only_rides_have_no_power_fields_or_streams(demo):
    hr_only = [a for a in real(demo) if a["type"] in RIDES and a["device_watts"] is False]
    assert hr_only
    ride = hr_only[-1]
    assert ride["icu_zone_times"] is None and ride["icu_average_watts"] is None
    assert ride["icu_hr_zone_times"] and ride["average_heartrate"]
    assert "watts" not in {s["type"] for s in demo.streams(ride["id"])}


def test_stream_types_lists_exactly_the_served_streams(demo):
    for act in in_window(demo, TODAY, 21):
        served = [s["type"] for s in demo.streams(act["id"])]
        assert sorted(served) == sorted(set(act["stream_types"])), act["name"]
