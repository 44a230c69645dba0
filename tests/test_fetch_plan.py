"""The fetch plan alone (s11sync/fetch_plan.py): small hand-made inputs, no HTTP."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from s11sync.cache import script_hash
from s11sync.config import resolve_settings
from s11sync.fetch_plan import (
    NO_DFA,
    DetailInputs,
    StreamSkip,
    curve_fingerprint,
    plan_curves,
    plan_details,
    plan_lists,
)
from s11sync.metrics.curves import curve_requests

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

DFA_RIDE = {
    "id": "i1",
    "start_date_local": "2026-11-24T08:00:00",
    "type": "Ride",
    "stream_types": ["time", "heartrate", "dfa_a1", "latlng"],
    "icu_chat_id": 7,
}
HR_RUN = {  # processed, heart rate but no AlphaHRV field; no chat
    "id": "i2",
    "start_date_local": "2026-11-23T08:00:00",
    "type": "Run",
    "stream_types": ["time", "heartrate", "latlng"],
    "icu_chat_id": None,
}
TRAINER = {  # indoor, stream types not known yet, chat key absent
    "id": "i3",
    "start_date_local": "2026-11-22T08:00:00",
    "type": "VirtualRide",
    "stream_types": [],
    "trainer": True,
}
ROUTE_EVENT = {
    "id": 1,
    "start_date_local": "2026-11-27T00:00:00",
    "category": "WORKOUT",
    "attachments": [{"id": "a1", "url": "http://x/a.gpx", "filename": "a.gpx"}],
}


def settings(**cli):
    return resolve_settings(cli, env={}, read_config_file=False)


def details(activities=(DFA_RIDE, HR_RUN, TRAINER), s=None, **inputs):
    s = s or settings()
    base = {
        "now": NOW,
        "activities": list(activities),
        "wellness": [{"id": TODAY.isoformat()}],
        "events": [ROUTE_EVENT],
    }
    return plan_details(plan_lists(s, TODAY), DetailInputs(**{**base, **inputs}), s)


def test_health_is_folded_into_the_events_request_only_when_the_windows_are_close():
    short = plan_lists(settings(), TODAY)
    assert not short.health_folded
    assert short.events.oldest == date(2026, 11, 11) == short.events_kept_from
    assert short.health.oldest == date(2025, 11, 25)
    year = plan_lists(settings(days="365"), TODAY)
    assert year.health_folded
    assert year.events.oldest == year.health.oldest < year.events_kept_from
    # --days 340: the events window starts 25 days after the look-back, within the slack
    assert plan_lists(settings(days="340"), TODAY).health_folded
    assert not plan_lists(settings(days="300"), TODAY).health_folded


def test_list_windows_cover_at_least_28_days():
    lists = plan_lists(settings(days="3"), TODAY)
    assert lists.span_days == 28 and lists.activities.oldest == date(2026, 10, 29)
    assert plan_lists(settings(days="60"), TODAY).activities.oldest == date(2026, 9, 27)


def test_first_run_intervals_in_one_batch_and_dfa_streams_skipped_by_stream_types():
    plan = details()
    assert plan.detail_order == ("i1", "i2", "i3")
    assert plan.interval_batches == (("i1", "i2", "i3"),)
    # i2 lists heart rate without dfa_a1: skipped; i3's empty list says nothing: asked
    assert plan.stream_ids == ("i1", "i3")
    assert plan.stream_skips == (StreamSkip("i2", NO_DFA),)


def test_bulk_intervals_are_split_in_batches_of_50():
    rows = [
        {**TRAINER, "id": f"i{100 + k}", "start_date_local": "2026-11-24T08:00:00"}
        for k in range(120)
    ]
    plan = details(rows)
    assert [len(b) for b in plan.interval_batches] == [50, 50, 20]


def test_messages_skipped_only_for_an_explicit_null_chat():
    plan = details()
    assert plan.message_ids == ("i1", "i3") and plan.no_chat_ids == ("i2",)


def test_terrain_only_for_recent_outdoor_activities_not_analysed_yet():
    old = {**DFA_RIDE, "id": "i9", "start_date_local": "2026-10-20T08:00:00"}  # > 28 days
    assert details([DFA_RIDE, HR_RUN, TRAINER, old]).terrain_ids == ("i1", "i2")
    analysed = {"recent_activities": [{"id": "i1", "terrain_summary": {}}]}
    assert details(prev_latest=analysed).terrain_ids == ("i2",)


def test_route_downloads_are_the_cache_misses():
    assert details().attachments == (("a1", "http://x/a.gpx"),)
    cached = {"script_hash": script_hash(), "events": [{"attachment_id": "a1"}]}
    assert details(prev_routes=cached).attachments == ()
    fit = {**ROUTE_EVENT, "attachments": [{"id": "a2", "url": "http://x/b.fit"}]}
    assert details(events=[fit]).attachments == ()  # never a .fit file


def test_wellness_today_is_asked_only_when_the_list_lacks_it():
    assert not details().wellness_today
    assert details(wellness=[{"id": "2026-11-24"}]).wellness_today


def test_history_due_on_a_first_run_and_not_on_a_fresh_file():
    first = details().history
    assert first.due and first.timeout_s == 120.0
    assert [(w.oldest, w.newest) for w in first.windows] == [(date(2023, 11, 26), TODAY)]
    fresh = {"script_hash": script_hash(), "generated_at": "2026-11-25T06:00:00+00:00"}
    assert not details(prev_history=fresh).history.due
    yesterday = {**fresh, "generated_at": "2026-11-24T06:00:00+00:00"}
    assert details(prev_history=yesterday).history.due
    assert details(s=settings(full_history=True), prev_history=fresh).history.due
    future = {**fresh, "generated_at": "2026-11-26T06:00:00+00:00"}
    plan = details(prev_history=future).history
    assert plan.due and plan.future_stamp == "2026-11-26T06:00:00+00:00"
    assert details(s=settings(history_timeout_s="300")).history.timeout_s == 300.0


def _stored(activities, today=TODAY):
    requests = curve_requests(today, activities)
    return {
        "fingerprint": curve_fingerprint(today, requests, activities),
        "power": {r.label: {"list": []} for r in requests if r.kind == "power"},
        "hr": {r.label: {"list": []} for r in requests if r.kind == "hr"},
    }


def test_curves_are_reused_only_when_the_fingerprint_matches():
    acts = [DFA_RIDE, HR_RUN, TRAINER]
    assert not plan_curves(TODAY, acts, None).reused
    stored = _stored(acts)
    reused = plan_curves(TODAY, acts, stored)
    assert reused.reused and set(reused.stored["power"]) == {"power:Ride", "power:VirtualRide"}
    # an edited activity row, a new activity, a new day: fetched again
    edited = [{**DFA_RIDE, "name": "renamed"}, HR_RUN, TRAINER]
    assert not plan_curves(TODAY, edited, stored).reused
    assert not plan_curves(TODAY, [*acts, {**HR_RUN, "id": "i5"}], stored).reused
    assert not plan_curves(date(2026, 11, 26), acts, stored).reused


@pytest.mark.parametrize(
    "broken",
    [
        "not a dict",
        {"fingerprint": 3},
        {"power": {}, "hr": {}},
        "drop-one",
        "bad-response",
    ],
)
def test_a_malformed_state_means_fetch_again(broken):
    acts = [DFA_RIDE]
    stored = _stored(acts)
    if broken == "drop-one":
        stored["hr"].pop("hr:all")
    elif broken == "bad-response":
        stored["power"]["power:Ride"] = {"list": "x"}
    else:
        stored = broken
    assert not plan_curves(TODAY, acts, stored).reused
