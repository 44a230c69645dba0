"""Chat notes: the fetch schedule (fewer fetches than the original) and the message filter (deleted
messages skipped)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from s11sync.outputs.chat_notes import chat_fetch_ids, chat_notes, message_texts
from s11sync.snapshot import Snapshot

ACTS = [
    {"id": "a", "start_date_local": "2026-11-25T08:00:00"},
    {"id": "b", "start_date_local": "2026-11-24T08:00:00"},
    {"id": "c", "start_date_local": "2026-11-20T08:00:00"},
    {"id": "d", "start_date_local": "2026-11-10T08:00:00"},
]
TODAY = date(2026, 11, 25)


def test_today_and_yesterday_are_fetched_every_run_older_ones_once_a_day():
    fresh = {"metadata": {"last_updated": "2026-11-25T08:00:00+01:00"}, "recent_activities": []}
    assert chat_fetch_ids(ACTS, fresh, TODAY) == ["a", "b"]
    stale = {"metadata": {"last_updated": "2026-11-24T23:00:00+01:00"}, "recent_activities": []}
    assert chat_fetch_ids(ACTS, stale, TODAY) == ["a", "b", "c"]  # d is outside T−7
    assert chat_fetch_ids(ACTS, None, TODAY) == ["a", "b", "c"]


def test_message_filter_prefers_content_skips_blank_and_deleted():
    messages = [
        {"content": "Felt strong", "text": "x"},
        {"content": None, "text": "Legs heavy"},
        {"content": "  ", "text": None},
        {"content": "gone", "deleted": "2026-11-25T08:00:00Z"},
    ]
    assert message_texts(messages) == ["Felt strong", "Legs heavy"]


def test_older_notes_are_copied_forward_and_empty_lists_are_absent():
    now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    snap = Snapshot(
        today=TODAY,
        now=now,
        days=7,
        athlete={},
        activities=ACTS,
        wellness=[],
        events=[],
        messages={"a": [{"content": "today"}], "b": []},
    )
    prev = {
        "recent_activities": [
            {"id": "c", "chat_notes": ["old note"]},
            {"id": "d", "chat_notes": ["too old"]},
        ]
    }
    assert chat_notes(snap, prev) == {"a": ["today"], "c": ["old note"]}
