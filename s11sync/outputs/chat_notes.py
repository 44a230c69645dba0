"""Activity chat notes for latest.json → recent_activities[].chat_notes (docs/files.md,
"`latest.json`": chat notes are carried forward).

Messages are fetched every run only for activities dated today or yesterday; older activities of the
chat window (T−7…T) are copied forward from the previous latest.json, and all of them are re-fetched
once a day (when the previous file was written on an earlier athlete-local day).
"""

from __future__ import annotations

from datetime import date, timedelta

from s11sync.snapshot import Snapshot
from s11sync.sports import is_strava_stub

CHAT_WINDOW_DAYS = 7


def _day(activity: dict) -> str:
    return str(activity.get("start_date_local") or "")[:10]


def _previous(prev_latest: dict | None) -> tuple[dict[str, list], str | None]:
    if not isinstance(prev_latest, dict):
        return {}, None
    notes = {
        str(a.get("id")): a["chat_notes"]
        for a in prev_latest.get("recent_activities") or []
        if isinstance(a, dict) and isinstance(a.get("chat_notes"), list)
    }
    written = str((prev_latest.get("metadata") or {}).get("last_updated") or "")[:10] or None
    return notes, written


def chat_fetch_ids(activities: list[dict], prev_latest: dict | None, today: date) -> list[str]:
    _, written = _previous(prev_latest)
    window_start = (today - timedelta(days=CHAT_WINDOW_DAYS)).isoformat()
    recent_start = (today - timedelta(days=1)).isoformat()
    daily_recheck = written is None or written < today.isoformat()
    floor = window_start if daily_recheck else recent_start
    # only activities that appear in recent_activities: never a Strava stub (no data via the API)
    return [
        str(a["id"])
        for a in activities
        if a.get("id") and not is_strava_stub(a) and _day(a) >= floor
    ]


def message_texts(messages: list) -> list[str]:
    """`content` when a non-blank string, else `text`; deleted messages skipped."""
    out = []
    for message in messages or []:
        if not isinstance(message, dict) or message.get("deleted"):
            continue
        for key in ("content", "text"):
            value = message.get(key)
            if isinstance(value, str) and value.strip():
                out.append(value)
                break
    return out


def notes_for(
    activity: dict, today: date, messages: dict[str, list], previous_notes: object
) -> list[str]:
    """One activity's notes: this run's messages, else the previous latest.json's (copy-forward);
    [] outside the chat window T−7…T."""
    if (
        not activity.get("id")
        or _day(activity) < (today - timedelta(days=CHAT_WINDOW_DAYS)).isoformat()
    ):
        return []
    activity_id = str(activity["id"])
    if activity_id in messages:
        return message_texts(messages[activity_id])
    return (
        [n for n in previous_notes if isinstance(n, str)]
        if isinstance(previous_notes, list)
        else []
    )


def chat_notes(snap: Snapshot, prev_latest: dict | None) -> dict[str, list[str]]:
    """{activity id: notes} for activities with at least one note (absent otherwise)."""
    previous, _ = _previous(prev_latest)
    out: dict[str, list[str]] = {}
    for activity in snap.activities:
        notes = notes_for(
            activity, snap.today, snap.messages, previous.get(str(activity.get("id")))
        )
        if notes:
            out[str(activity["id"])] = notes
    return out
