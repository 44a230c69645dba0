"""Fast on the wire: request counts of a cold and a warm run on the demo athlete, and the
shortcuts behind them (bulk intervals, terrain from the DFA streams, no /messages without a chat,
no DFA streams without `dfa_a1`, one history window per endpoint, health events folded).

Counts come from the emulator's `request_counts` (deterministic); nothing here measures time.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from s11sync import pipeline
from s11sync.config import resolve_settings
from s11sync.fetch import _bulk_intervals
from s11sync.fetch_plan import announces_dfa, has_no_chat
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy


def _client(emu) -> IntervalsClient:
    return IntervalsClient(
        emu.base_url,
        emu.athlete_id,
        emu.api_key,
        limiter=RateLimiter(0),
        policy=RetryPolicy(sleep=lambda _s: None),
    )


def _run(emu, folder: Path, days: int) -> dict[str, int]:
    settings = resolve_settings(
        {
            "athlete_id": emu.athlete_id,
            "intervals_key": emu.api_key,
            "api_base": emu.base_url,
            "output": str(folder),
            "today": emu.today.isoformat(),
            "quiet": True,
            "days": days,
        },
        env={},
        config_file=folder.parent / "no-config.json",
    )
    emu.reset_counts()
    result = pipeline.run_sync(settings, datetime.now(timezone.utc), client=_client(emu))
    counts = dict(emu.request_counts)
    assert result.api_requests == sum(counts.values())
    return counts


@pytest.fixture(scope="module")
def runs(intervals_emulator, tmp_path_factory) -> dict[str, Any]:
    emu = intervals_emulator
    folder = tmp_path_factory.mktemp("wire") / "out"
    cold = _run(emu, folder, 7)
    ledger = json.loads((folder / "intervals.json").read_text())
    latest_cold = _latest_without_stamps(folder)
    warm = _run(emu, folder, 7)
    return {
        "cold": cold,
        "warm": warm,
        "ledger": ledger,
        "folder": folder,
        "latest_cold": latest_cold,
        "latest_warm": _latest_without_stamps(folder),
    }


def _latest_without_stamps(folder: Path) -> dict[str, Any]:
    doc = json.loads((folder / "latest.json").read_text())
    doc["metadata"].pop("generated_at", None)
    doc["metadata"].pop("last_updated", None)
    return doc


CURVE_PATHS = ("/athlete/{id}/power-curves", "/athlete/{id}/hr-curves")


def test_a_cold_run_makes_one_bulk_intervals_call_and_no_single_activity_call(runs):
    cold = runs["cold"]
    assert cold.get("/activity/{id}", 0) == 0
    assert cold["/athlete/{id}/activities/{ids}"] == 1
    # history: one window per endpoint (plus the run's own activities and wellness lists)
    assert cold["/athlete/{id}/activities"] == 2
    assert cold["/athlete/{id}/wellness"] == 2


def test_cold_run_request_counts(runs):
    cold = runs["cold"]
    # 9 DFA-announcing activities of the intervals window (all streams; terrain reuses them for the
    # outdoor ones) + 9 other outdoor activities of the last 28 days (latlng/altitude only);
    # before these shortcuts: 30 (every outdoor activity twice)
    assert cold["/activity/{id}/streams"] == 18
    # the chat window holds 2 activities with an icu_chat_id
    assert cold["/activity/{id}/messages"] == 2
    assert sum(cold.values()) == 34  # 70 before these shortcuts


def test_warm_run_request_counts(runs):
    warm = runs["warm"]
    assert warm.get("/activity/{id}/streams", 0) == 0
    assert warm.get("/athlete/{id}/activities/{ids}", 0) == 0
    # athlete, activities, wellness, events (+ the health look-up), messages of today's activity;
    # the curves come from state/curves.json (same day, same activity list)
    assert not any(warm.get(path) for path in CURVE_PATHS)
    assert sum(warm.values()) == 6  # 12 before issue 18, 11 before the curve state


def test_a_warm_run_with_stored_curves_writes_the_same_latest_json(runs):
    assert runs["cold"]["/athlete/{id}/power-curves"] == 2
    assert runs["cold"]["/athlete/{id}/hr-curves"] == 3
    assert runs["latest_warm"] == runs["latest_cold"]
    state = json.loads((runs["folder"] / "state" / "curves.json").read_text())
    assert set(state["power"]) == {"power:Ride", "power:VirtualRide"}


def test_an_edited_activity_fetches_the_curves_again(intervals_emulator, tmp_path):
    emu = intervals_emulator
    folder = tmp_path / "out"
    _run(emu, folder, 7)
    assert not any(_run(emu, folder, 7).get(path) for path in CURVE_PATHS)
    row = next(
        a for a in emu.data.activities if str(a.get("start_date_local"))[:10] == "2026-11-24"
    )
    before = row.get("name")
    row["name"] = "edited on intervals.icu"
    try:
        counts = _run(emu, folder, 7)
    finally:
        row["name"] = before
    assert counts["/athlete/{id}/power-curves"] == 2 and counts["/athlete/{id}/hr-curves"] == 3


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"fingerprint": "x"}', b"[]", None],
    ids=["corrupt", "invalid", "not-an-object", "tampered-curves"],
)
def test_a_bad_curve_state_is_ignored_and_replaced(intervals_emulator, tmp_path, content):
    emu = intervals_emulator
    folder = tmp_path / "out"
    _run(emu, folder, 7)
    path = folder / "state" / "curves.json"
    good = json.loads(path.read_text())
    if content is None:  # right fingerprint, a response of the wrong shape
        broken = {**good, "power": {**good["power"], "power:Ride": {"list": "x"}}}
        content = json.dumps(broken).encode()
    path.write_bytes(content)
    counts = _run(emu, folder, 7)
    assert counts["/athlete/{id}/power-curves"] == 2 and counts["/athlete/{id}/hr-curves"] == 3
    assert json.loads(path.read_text()) == good  # rewritten, valid again


def test_no_curve_state_is_stored_when_a_curve_call_fails(intervals_emulator, tmp_path):
    emu = intervals_emulator
    emu.add_fault(r"/hr-curves", status=404, times=100)
    folder = tmp_path / "out"
    _run(emu, folder, 7)
    assert not (folder / "state" / "curves.json").exists()
    emu.clear_faults()
    assert _run(emu, folder, 7)["/athlete/{id}/hr-curves"] == 3


def test_days_365_does_not_multiply_cost(intervals_emulator, tmp_path):
    counts = _run(intervals_emulator, tmp_path / "out", 365)
    # detail stays on the last 14 days (intervals, DFA) and 28 days (terrain); the health look-up
    # rides on the year-long events request
    assert counts["/activity/{id}/streams"] == 18
    assert counts["/athlete/{id}/events"] == 1
    assert sum(counts.values()) <= 40


def test_bulk_intervals_records_missing_ids_as_not_found(intervals_emulator):
    emu = intervals_emulator
    known = str(
        next(
            a["id"]
            for a in emu.data.activities
            if str(a["id"]).startswith("i") and "dfa_a1" in (a.get("stream_types") or [])
        )
    )
    emu.reset_counts()
    out = _bulk_intervals(_client(emu), [known, "i999999999"])
    assert emu.request_counts["/athlete/{id}/activities/{ids}"] == 1 and emu.total_requests() == 1
    assert out[known]["status"] == 200 and isinstance(
        out[known]["payload"].get("icu_intervals"), list
    )
    assert out["i999999999"] == {"status": 404, "error": "EndpointNotFound"}


def test_a_failed_bulk_call_gives_every_id_the_error(intervals_emulator):
    emu = intervals_emulator
    emu.add_fault(r"/activities/i1,i2", status=503, times=10)
    out = _bulk_intervals(_client(emu), ["i1", "i2"])
    assert out["i1"]["status"] == 503 and out["i2"]["status"] == 503
    assert out["i1"]["error"] == "Unavailable"


def test_dfa_streams_are_skipped_only_when_stream_types_rules_dfa_out():
    assert announces_dfa({"stream_types": ["time", "heartrate", "dfa_a1"]})
    assert not announces_dfa({"stream_types": ["time", "heartrate"]})
    assert not announces_dfa({"stream_types": ["time", "watts"]})
    # not processed yet (no HR, no power) or no list at all: ask, as before
    assert announces_dfa({"stream_types": ["time"]})
    assert announces_dfa({"stream_types": []}) and announces_dfa({}) and announces_dfa(None)


def test_messages_are_skipped_only_for_an_explicit_null_chat():
    assert has_no_chat({"id": "i1", "icu_chat_id": None})
    assert not has_no_chat({"id": "i1", "icu_chat_id": 5})
    assert not has_no_chat({"id": "i1"})  # key absent: ask


def test_a_skipped_stream_fetch_tombstones_like_a_fetched_one(intervals_emulator, runs):
    # an activity whose streams were skipped (heart rate, no dfa_a1) gets the `no_data`
    # tombstone in the ledger, the state its fetched streams give
    from s11sync.metrics.dfa import classify_streams

    emu = intervals_emulator
    activity = next(
        a
        for a in emu.data.activities
        if str(a["id"]).startswith("i")
        and str(a["start_date_local"]) >= "2026-11-20"
        and not announces_dfa(a)
        and a.get("type") in ("Ride", "Run", "VirtualRide")
    )
    fetched = _client(emu).streams(str(activity["id"]), json_suffix=False)
    assert classify_streams(fetched, activity)[0] == "no_data_final"
    state = runs["ledger"]["fetch_state"][str(activity["id"])]["streams"]
    assert (state["status"], state["reason"]) == ("tombstone", "no_data")
