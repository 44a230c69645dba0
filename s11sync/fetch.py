"""Gather: every Intervals.icu call of one run, producing a `Snapshot` (outputs-latest §3.3).

Required calls (athlete, activities, wellness, main events) raise on failure: the run ends with
exit 1 and nothing is written. Optional calls record their failure in `snapshot.failed` and leave
their field empty; the builders turn that into null/absent fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from s11sync.config import Settings
from s11sync.errors import IntervalsError
from s11sync.intervals.client import IntervalsClient
from s11sync.snapshot import Previous, Snapshot

log = logging.getLogger("s11sync.fetch")

EXTENDED_DAYS = 28
EVENTS_AHEAD_DAYS = 90
HEALTH_LOOKBACK_DAYS = 365
HISTORY_READ_TIMEOUT_S = 120.0  # outputs-files §0 / D-H3: the three-year history chunks are large


@dataclass
class Progress:
    """A line per phase on stderr when interactive; silent otherwise (`emit` is injected by the CLI)."""

    emit: Callable[[str], None] = lambda line: None

    def __call__(self, line: str) -> None:
        self.emit(line)


def athlete_zone(athlete: dict) -> ZoneInfo | None:
    name = athlete.get("timezone")
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        log.debug("athlete timezone %r unknown; using the machine zone", name)
        return None


def local_now(athlete: dict, utc_now: datetime, pinned_today: date | None) -> tuple[date, datetime]:
    """(today, now) in the athlete's zone, read once per run (README decision 1).

    A pinned `--today` gives `now` = that day at 12:00 local, so pinned runs are reproducible.
    """
    zone = athlete_zone(athlete)
    now = utc_now.astimezone(zone) if zone else utc_now.astimezone()
    if pinned_today is not None:
        now = datetime.combine(pinned_today, time(12, 0), tzinfo=now.tzinfo)
    return now.date(), now.replace(microsecond=0)


def dedupe_by_id(rows: list[Any]) -> tuple[list[Any], list[Any]]:
    """(rows with each activity id once — the first occurrence wins —, the dropped copies).

    The API has been seen to list an activity more than once; counting it twice would double every
    total, so the snapshot boundary keeps one copy. Rows without an id are kept as they are."""
    seen: set[str] = set()
    out: list[Any] = []
    dropped: list[Any] = []
    for row in rows:
        key = row.get("id") if isinstance(row, dict) else None
        if key is not None:
            if str(key) in seen:
                dropped.append(row)
                continue
            seen.add(str(key))
        out.append(row)
    return out, dropped


def duplicate_warning(dropped: list[Any]) -> str:
    ids = len({str(row.get("id")) for row in dropped})
    return (f"Intervals.icu listed {ids} activit{'y' if ids == 1 else 'ies'} more than once "
            f"({len(dropped)} extra cop{'y' if len(dropped) == 1 else 'ies'}); each activity id was "
            "counted once. If totals look wrong, look for duplicated activities on intervals.icu.")


def unique_ids(ids: Any) -> list[Any]:
    """Items in order with repeats removed: at most one per-activity call per id and run."""
    return list(dict.fromkeys(ids))


def fetch_snapshot(
    client: IntervalsClient,
    settings: Settings,
    previous: Previous,
    utc_now: datetime,
    progress: Progress | None = None,
) -> Snapshot:
    """Run the fetch plan and return the raw snapshot."""
    progress = progress or Progress()
    athlete = client.athlete()
    today, now = local_now(athlete, utc_now, settings.today)
    span = max(EXTENDED_DAYS, settings.days)
    oldest = today - timedelta(days=span - 1)

    activities, duplicates = dedupe_by_id(client.activities(oldest, today))
    progress(f"activities: {len(activities)} in the last {span} days")
    wellness = client.wellness(oldest, today)
    events_oldest = today - timedelta(days=max(settings.days - 1, 14))
    events = client.events(events_oldest, today + timedelta(days=EVENTS_AHEAD_DAYS))
    progress(f"wellness: {len(wellness)} days; events: {len(events)}")

    snap = Snapshot(today=today, now=now, days=settings.days, athlete=athlete,
                    activities=activities, wellness=wellness, events=events)
    if duplicates:
        snap.warnings.append(duplicate_warning(duplicates))

    def optional(name: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except IntervalsError as exc:
            snap.failed[name] = str(exc)
            log.debug("optional call %s failed: %s", name, exc)
            return None

    if not any(str(w.get("id")) == today.isoformat() for w in wellness):
        record = optional("wellness_today", lambda: client.wellness_day(today))
        if record:
            snap.wellness.append(record)
    snap.health_events = optional(
        "health_events",
        lambda: client.events(today - timedelta(days=HEALTH_LOOKBACK_DAYS),
                              today + timedelta(days=EVENTS_AHEAD_DAYS),
                              category=("INJURED", "SICK"), resolve=False),
    )
    _fetch_curves(client, snap, optional)
    _fetch_attachments(client, snap, previous)
    _warn_future_ledger(snap, previous)
    _fetch_activity_details(client, snap, previous, settings)
    _fetch_terrain(client, snap, previous)
    _fetch_messages(client, snap, previous)
    progress(f"curves: {len(snap.power_curves)} power, {len(snap.hr_curves)} HR; per activity: "
             f"{len(snap.fetch_outcomes)} interval/stream fetches, {len(snap.terrain_streams)} terrain, "
             f"{len(snap.messages)} chat; routes: {len(snap.attachments)} downloads")
    _fetch_history(client, snap, previous, settings, progress)
    snap.api_requests = client.requests_made
    progress(f"done: {snap.api_requests} API requests")
    return snap


def _fetch_curves(client: IntervalsClient, snap: Snapshot, optional) -> None:
    """Power/HR curves for the capability metrics: as few calls as the API allows."""
    from s11sync.metrics.curves import curve_call_name, curve_requests

    requests_ = curve_requests(snap.today, snap.activities)

    def one(req):
        return req, optional(curve_call_name(req.kind, req.label),
                             lambda: client.curves(req.kind, req.curves, req.sport_type))

    with ThreadPoolExecutor(max_workers=max(1, client.workers)) as pool:
        for req, data in pool.map(one, requests_):
            if data is not None:
                target = snap.power_curves if req.kind == "power" else snap.hr_curves
                target[req.label] = data


def _fetch_attachments(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """Route files attached to events (M13): only cache misses; raw outcome recorded per attachment."""
    from s11sync.outputs.routes import attachments_to_fetch

    def download(item: tuple[str, str]) -> dict[str, Any]:
        return {"status": 200, "body": client.get_bytes(item[1]).decode("utf-8", "replace")}

    for (attachment_id, _url), result, error in client.map_bounded(download, attachments_to_fetch(
            snap.events, previous.routes)):
        snap.attachments[attachment_id] = result if error is None else {
            "status": getattr(error, "status", None), "error": type(error).__name__}


def _fetch_terrain(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """latlng/altitude streams of outdoor activities not yet analysed (M11)."""
    from s11sync.outputs.activity_terrain import TERRAIN_STREAM_TYPES, terrain_fetch_ids

    def one(activity_id: str) -> dict[str, Any]:
        return {"status": 200, "streams": client.streams(activity_id, TERRAIN_STREAM_TYPES)}

    for activity_id, result, error in client.map_bounded(
            one, unique_ids(terrain_fetch_ids(snap.activities, previous.latest))):
        snap.terrain_streams[activity_id] = result if error is None else {"status": getattr(error, "status", None)}


def _fetch_messages(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """Chat messages (M12) on the D-I4 schedule; a failure only leaves the notes absent."""
    from s11sync.outputs.chat_notes import chat_fetch_ids

    for activity_id, result, error in client.map_bounded(
            client.messages, unique_ids(chat_fetch_ids(snap.activities, previous.latest, snap.today))):
        if error is None:
            snap.messages[activity_id] = result or []


def _warn_future_ledger(snap: Snapshot, previous: Previous) -> None:
    from s11sync.outputs.intervals_file import written_after

    if written_after(previous.intervals, snap.now):
        stamp = (previous.intervals or {}).get("generated_at")
        snap.warnings.append(
            f"intervals.json was generated at {stamp}, after this run ({snap.now.isoformat()}): "
            "activities dated after today keep their stored detail and the last 14 days are "
            "scanned again, so no interval or DFA detail is lost; nothing to do.")


def _fetch_activity_details(client: IntervalsClient, snap: Snapshot, previous: Previous,
                            settings: Settings) -> None:
    """Per-activity intervals/streams/terrain/messages, selected by the intervals.json ledger."""
    from s11sync.outputs.intervals_file import select_candidates

    candidates = select_candidates(snap.activities, previous.intervals, snap.events, snap.today, snap.now)
    by_id: dict[str, tuple[str, ...]] = {}
    for activity_id, endpoints in candidates:
        by_id.setdefault(activity_id, endpoints)  # one round of calls per activity id
    candidates = list(by_id.items())

    def run(candidate) -> tuple[str, dict[str, Any]]:
        activity_id, endpoints = candidate
        outcome: dict[str, Any] = {}
        for endpoint in endpoints:
            outcome[endpoint] = _raw_call(client, activity_id, endpoint)
        return activity_id, outcome

    for _item, result, _ in client.map_bounded(run, candidates):
        if result is None:
            continue
        activity_id, outcome = result
        for endpoint, record in outcome.items():
            snap.fetch_outcomes.setdefault(activity_id, {})[endpoint] = {
                k: v for k, v in record.items() if k != "payload"
            }
            if record.get("payload") is not None:
                target = snap.activity_intervals if endpoint == "intervals" else snap.activity_streams
                target[activity_id] = record["payload"]


def _raw_call(client: IntervalsClient, activity_id: str, endpoint: str) -> dict[str, Any]:
    """One optional per-activity call, recorded as {status, error, retry_after, payload}."""
    payload: dict | list[dict]
    try:
        if endpoint == "intervals":
            payload = client.activity(activity_id, intervals=True)
        else:
            # all streams, no `types` filter, until the filter is verified to return the AlphaHRV
            # developer-field streams (outputs-latest §3.3 M10)
            payload = client.streams(activity_id, json_suffix=False)
        return {"status": 200, "payload": payload}
    except IntervalsError as exc:
        record: dict[str, Any] = {"status": exc.status, "error": type(exc).__name__}
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            record["retry_after"] = retry_after
        return record


def _fetch_history(client: IntervalsClient, snap: Snapshot, previous: Previous, settings: Settings,
                   progress: Progress) -> None:
    """Three years of activities and wellness, date-chunked and concurrent — only when due."""
    from s11sync.intervals.history_fetch import (
        HISTORY_ACTIVITY_FIELDS,
        HISTORY_WELLNESS_FIELDS,
        history_chunks,
    )
    from s11sync.outputs.history import generated_after, history_due

    if not history_due(previous.history, snap.today, settings.full_history, snap.now.tzinfo, snap.now):
        return
    future = generated_after(previous.history, snap.now)
    if future is not None:
        snap.warnings.append(
            f"history.json was generated at {future}, after this run ({snap.now.isoformat()}): a run "
            "with a later --today, or the clock or the athlete's time zone moved back. It is "
            "regenerated for this run's day; nothing to do.")
    chunks = history_chunks(snap.today)
    progress(f"history: fetching {len(chunks)} chunks of activities and wellness")
    jobs: list[tuple[str, date, date]] = [("a", a, b) for a, b in chunks] + [("w", a, b) for a, b in chunks]

    def one(job):
        kind, a, b = job
        if kind == "a":
            return client.activities(a, b, HISTORY_ACTIVITY_FIELDS, timeout_s=HISTORY_READ_TIMEOUT_S)
        return client.wellness(a, b, HISTORY_WELLNESS_FIELDS, timeout_s=HISTORY_READ_TIMEOUT_S)

    results = client.map_bounded(one, jobs)
    errors = [err for _, _, err in results if err is not None]
    if errors:
        snap.failed["history"] = str(errors[0])
        progress("history: a chunk failed; the previous history.json is kept")
        return
    acts: dict[Any, dict] = {}
    well: dict[Any, dict] = {}
    for (kind, _, _), rows, _ in results:
        for row in rows or []:
            (acts if kind == "a" else well)[row.get("id")] = row
    snap.history_activities = sorted(acts.values(), key=lambda r: str(r.get("start_date_local") or ""))
    snap.history_wellness = sorted(well.values(), key=lambda r: str(r.get("id") or ""))

