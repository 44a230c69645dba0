"""Gather: every Intervals.icu call of one run, producing a `Snapshot` (outputs-latest §3.3).

Required calls (athlete, activities, wellness, main events) raise on failure: the run ends with
exit 1 and nothing is written. Optional calls record their failure in `snapshot.failed` and leave
their field empty; the builders turn that into null/absent fields.

The run's deadline (`--deadline`) is enforced by the client: the required calls come first, so when
time runs out it is optional calls that fail (`DeadlineExceeded`, no request made), each degrading
with its usual marker; `snapshot.failed["deadline"]` then says so for the run summary.
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
HEALTH_CATEGORIES = ("INJURED", "SICK")
HEALTH_FOLD_SLACK_DAYS = 31  # fold the health look-up into the events request within this gap
TERRAIN_FETCH_DAYS = EXTENDED_DAYS  # terrain is fetched for the last 28 days only, whatever --days
DEADLINE = "deadline"  # key in Snapshot.failed when the run's deadline cut optional calls short


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
    return (
        f"Intervals.icu listed {ids} activit{'y' if ids == 1 else 'ies'} more than once "
        f"({len(dropped)} extra cop{'y' if len(dropped) == 1 else 'ies'}); each activity id was "
        "counted once. If totals look wrong, look for duplicated activities on intervals.icu."
    )


def _event_day(event: dict) -> str:
    return str(event.get("start_date_local") or "")[:10]


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

    events_oldest = today - timedelta(days=max(settings.days - 1, 14))
    health_oldest = today - timedelta(days=HEALTH_LOOKBACK_DAYS)
    # when the events window reaches within a month of the health look-back, one request covers
    # both: it starts at the look-back and the calendar keeps the events from `events_oldest` on
    fold_health = (events_oldest - health_oldest).days <= HEALTH_FOLD_SLACK_DAYS
    # the three required lists are independent: asked together (the limiter's burst lets them
    # through at once); a failure is raised in this order, as when they were asked one by one
    with ThreadPoolExecutor(max_workers=3) as pool:
        listed = pool.submit(client.activities, oldest, today)
        wellness_job = pool.submit(client.wellness, oldest, today)
        events_job = pool.submit(
            client.events,
            min(events_oldest, health_oldest) if fold_health else events_oldest,
            today + timedelta(days=EVENTS_AHEAD_DAYS),
        )
        activities, duplicates = dedupe_by_id(listed.result())
        wellness = wellness_job.result()
        events = events_job.result()
    progress(f"activities: {len(activities)} in the last {span} days")
    all_events = events
    if fold_health:
        events = [e for e in events if _event_day(e) >= events_oldest.isoformat()]
    progress(f"wellness: {len(wellness)} days; events: {len(events)}")

    snap = Snapshot(
        today=today,
        now=now,
        days=settings.days,
        athlete=athlete,
        activities=activities,
        wellness=wellness,
        events=events,
    )
    if duplicates:
        snap.warnings.append(duplicate_warning(duplicates))

    def optional(name: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except IntervalsError as exc:
            snap.failed[name] = str(exc)
            log.debug("optional call %s failed: %s", name, exc)
            return None

    def wellness_today() -> None:
        if not any(str(w.get("id")) == today.isoformat() for w in wellness):
            record = optional("wellness_today", lambda: client.wellness_day(today))
            if record:
                snap.wellness.append(record)

    def health_events() -> None:
        if fold_health:
            # `resolve` only expands workout steps, which INJURED/SICK events do not have
            snap.health_events = [e for e in all_events if e.get("category") in HEALTH_CATEGORIES]
        else:
            snap.health_events = optional(
                "health_events",
                lambda: client.events(
                    health_oldest,
                    today + timedelta(days=EVENTS_AHEAD_DAYS),
                    category=HEALTH_CATEGORIES,
                    resolve=False,
                ),
            )

    def details_then_terrain() -> None:
        _fetch_activity_details(client, snap, previous, settings)
        _fetch_terrain(client, snap, previous)  # reuses the streams the details fetched

    _warn_future_ledger(snap, previous)
    # independent optional fetches, started together; each fills its own snapshot fields
    parts: list[Callable[[], None]] = [
        wellness_today,
        health_events,
        lambda: _fetch_curves(client, snap, optional),
        lambda: _fetch_attachments(client, snap, previous),
        details_then_terrain,
        lambda: _fetch_messages(client, snap, previous),
    ]
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        for job in [pool.submit(part) for part in parts]:
            job.result()
    progress(
        f"curves: {len(snap.power_curves)} power, {len(snap.hr_curves)} HR; per activity: "
        f"{len(snap.fetch_outcomes)} interval/stream fetches, {len(snap.terrain_streams)} terrain, "
        f"{len(snap.messages)} chat; routes: {len(snap.attachments)} downloads"
    )
    _fetch_history(client, snap, previous, settings, progress)
    if client.deadline_misses:
        snap.failed[DEADLINE] = (
            f"the run's deadline of {client.policy.deadline_s:g} s passed before every "
            f"optional call finished ({client.deadline_misses} cut short or skipped); "
            "the parts concerned are marked as failed"
        )
        progress("deadline reached: optional calls still pending were skipped")
    snap.api_requests = client.requests_made
    progress(f"done: {snap.api_requests} API requests")
    return snap


def _fetch_curves(client: IntervalsClient, snap: Snapshot, optional) -> None:
    """Power/HR curves for the capability metrics: as few calls as the API allows."""
    from s11sync.metrics.curves import curve_call_name, curve_requests

    requests_ = curve_requests(snap.today, snap.activities)

    def one(req):
        return req, optional(
            curve_call_name(req.kind, req.label),
            lambda: client.curves(req.kind, req.curves, req.sport_type),
        )

    with ThreadPoolExecutor(max_workers=max(1, client.workers)) as pool:
        for req, data in pool.map(one, requests_):
            if data is not None:
                target = snap.power_curves if req.kind == "power" else snap.hr_curves
                target[req.label] = data


def _fetch_attachments(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """Route files attached to events (M13): only cache misses; raw outcome recorded per attachment."""
    from s11sync.outputs.routes import MAX_BODY_BYTES, attachments_to_fetch

    def download(item: tuple[str, str]) -> dict[str, Any]:
        # reading stops just past the size routes.json accepts (ResponseTooLarge)
        body = client.get_bytes(item[1], max_bytes=MAX_BODY_BYTES)
        return {"status": 200, "body": body.decode("utf-8", "replace")}

    for (attachment_id, _url), result, error in client.map_bounded(
        download, attachments_to_fetch(snap.events, previous.routes)
    ):
        snap.attachments[attachment_id] = (
            result
            if error is None
            else {"status": getattr(error, "status", None), "error": type(error).__name__}
        )


def _fetch_terrain(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """latlng/altitude streams of outdoor activities not yet analysed (M11)."""
    from s11sync.outputs.activity_terrain import TERRAIN_STREAM_TYPES, terrain_fetch_ids

    def one(activity_id: str) -> dict[str, Any]:
        return {"status": 200, "streams": client.streams(activity_id, TERRAIN_STREAM_TYPES)}

    floor = (snap.today - timedelta(days=TERRAIN_FETCH_DAYS - 1)).isoformat()
    recent = [a for a in snap.activities if str(a.get("start_date_local") or "")[:10] >= floor]
    wanted = unique_ids(terrain_fetch_ids(recent, previous.latest))
    # the DFA fetch downloaded every stream of some activities already: their latlng/altitude
    # are the ones `streams.json?types=latlng,altitude` would send
    for activity_id in wanted:
        streams = snap.activity_streams.get(activity_id)
        if isinstance(streams, list):
            snap.terrain_streams[activity_id] = {
                "status": 200,
                "streams": [
                    s
                    for s in streams
                    if isinstance(s, dict) and s.get("type") in TERRAIN_STREAM_TYPES
                ],
            }
    for activity_id, result, error in client.map_bounded(
        one, [a for a in wanted if a not in snap.terrain_streams]
    ):
        snap.terrain_streams[activity_id] = (
            result if error is None else {"status": getattr(error, "status", None)}
        )


def _fetch_messages(client: IntervalsClient, snap: Snapshot, previous: Previous) -> None:
    """Chat messages (M12) on the D-I4 schedule; a failure only leaves the notes absent."""
    from s11sync.outputs.chat_notes import chat_fetch_ids

    ids = unique_ids(chat_fetch_ids(snap.activities, previous.latest, snap.today))
    without_chat = {str(a.get("id")) for a in snap.activities if has_no_chat(a)}
    for activity_id in ids:
        if activity_id in without_chat:
            snap.messages[activity_id] = []  # no chat, no messages: what the call would answer
    for activity_id, result, error in client.map_bounded(
        client.messages, [a for a in ids if a not in without_chat]
    ):
        if error is None:
            snap.messages[activity_id] = result or []


def has_no_chat(activity: dict) -> bool:
    """True when the activity says it has no chat: `icu_chat_id` present and null. An activity
    without the key (an older or trimmed listing) is asked, as before."""
    return "icu_chat_id" in activity and activity["icu_chat_id"] is None


def _warn_future_ledger(snap: Snapshot, previous: Previous) -> None:
    from s11sync.outputs.intervals_file import written_after

    if written_after(previous.intervals, snap.now):
        stamp = (previous.intervals or {}).get("generated_at")
        snap.warnings.append(
            f"intervals.json was generated at {stamp}, after this run ({snap.now.isoformat()}): "
            "activities dated after today keep their stored detail and the last 14 days are "
            "scanned again, so no interval or DFA detail is lost; nothing to do."
        )


BULK_IDS_PER_REQUEST = 50  # ids per GET /athlete/{id}/activities/{ids}: keeps the URL short


def _fetch_activity_details(
    client: IntervalsClient, snap: Snapshot, previous: Previous, settings: Settings
) -> None:
    """Per-activity intervals and DFA streams, selected by the intervals.json ledger.

    Intervals come in bulk: one `GET /athlete/{id}/activities/{ids}?intervals=true` for every
    activity due (the service leaves out ids it does not find: recorded as a 404, as the single
    `GET /activity/{id}` would answer). Streams stay one call per activity, and none for an activity
    whose `stream_types` lists heart rate or power but no `dfa_a1`: its recording is processed and
    has no AlphaHRV field, the answer the call would give (recorded as `skipped`)."""
    from s11sync.outputs.intervals_file import select_candidates

    candidates = select_candidates(
        snap.activities, previous.intervals, snap.events, snap.today, snap.now
    )
    by_id: dict[str, tuple[str, ...]] = {}
    for activity_id, endpoints in candidates:
        by_id.setdefault(activity_id, endpoints)  # one round of calls per activity id
    activities = {str(a.get("id")): a for a in snap.activities if a.get("id")}

    def record(activity_id: str, endpoint: str, outcome: dict[str, Any]) -> None:
        snap.fetch_outcomes.setdefault(activity_id, {})[endpoint] = {
            k: v for k, v in outcome.items() if k != "payload"
        }
        if outcome.get("payload") is not None:
            target = snap.activity_intervals if endpoint == "intervals" else snap.activity_streams
            target[activity_id] = outcome["payload"]

    interval_ids = [a for a, endpoints in by_id.items() if "intervals" in endpoints]
    batches = [
        interval_ids[k : k + BULK_IDS_PER_REQUEST]
        for k in range(0, len(interval_ids), BULK_IDS_PER_REQUEST)
    ]
    stream_ids = [a for a, endpoints in by_id.items() if "streams" in endpoints]
    skipped = [a for a in stream_ids if not announces_dfa(activities.get(a))]
    jobs: list[tuple[str, Any]] = [("intervals", batch) for batch in batches]
    jobs += [("streams", a) for a in stream_ids if a not in skipped]

    def run(job: tuple[str, Any]) -> Any:
        kind, arg = job
        if kind == "intervals":
            return _bulk_intervals(client, arg)
        return _raw_call(client, arg, "streams")

    results = {id(job): result for job, result, _ in client.map_bounded(run, jobs)}
    for job in jobs:
        result = results.get(id(job))
        if result is None:
            continue
        if job[0] == "intervals":
            for activity_id, outcome in result.items():
                record(activity_id, "intervals", outcome)
        else:
            record(job[1], "streams", result)
    for activity_id in skipped:
        record(activity_id, "streams", {"status": 200, "skipped": "stream_types has no dfa_a1"})
    # keep the ledger's per-activity order (the order of the candidates)
    snap.fetch_outcomes = {a: snap.fetch_outcomes[a] for a in by_id if a in snap.fetch_outcomes}


def announces_dfa(activity: dict | None) -> bool:
    """False only when the activity's `stream_types` (as the list endpoint gives it) is a list with
    heart rate or power and without `dfa_a1`; an absent or empty list says nothing, so the streams
    are fetched."""
    types = (activity or {}).get("stream_types")
    if not isinstance(types, list) or not types:
        return True
    return "dfa_a1" in types or not ({"heartrate", "watts"} & set(types))


def _bulk_intervals(client: IntervalsClient, ids: list[str]) -> dict[str, dict[str, Any]]:
    """{activity id: raw outcome} of one bulk call; a failed call gives every id its error."""
    try:
        rows = client.activities_by_id(ids, intervals=True)
    except IntervalsError as exc:
        failed = _error_record(exc)
        return {a: dict(failed) for a in ids}
    found = {str(row.get("id")): row for row in rows if row.get("id") is not None}
    return {
        a: (
            {"status": 200, "payload": found[a]}
            if a in found
            else {"status": 404, "error": "EndpointNotFound"}
        )
        for a in ids
    }


def _error_record(exc: IntervalsError) -> dict[str, Any]:
    record: dict[str, Any] = {"status": exc.status, "error": type(exc).__name__}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        record["retry_after"] = retry_after
    return record


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
        return _error_record(exc)


def _fetch_history(
    client: IntervalsClient,
    snap: Snapshot,
    previous: Previous,
    settings: Settings,
    progress: Progress,
) -> None:
    """Three years of activities and wellness, date-chunked and concurrent — only when due."""
    from s11sync.intervals.history_fetch import (
        HISTORY_ACTIVITY_FIELDS,
        HISTORY_WELLNESS_FIELDS,
        HISTORY_WINDOW_DAYS,
        history_chunks,
    )
    from s11sync.outputs.history import generated_after, history_due

    if not history_due(
        previous.history, snap.today, settings.full_history, snap.now.tzinfo, snap.now
    ):
        return
    future = generated_after(previous.history, snap.now)
    if future is not None:
        snap.warnings.append(
            f"history.json was generated at {future}, after this run ({snap.now.isoformat()}): a run "
            "with a later --today, or the clock or the athlete's time zone moved back. It is "
            "regenerated for this run's day; nothing to do."
        )
    # one window per endpoint: the list endpoints take any oldest…newest range (the OpenAPI sets no
    # maximum; three years in one answer is observed to work, a few MB with the field projection)
    chunks = history_chunks(snap.today, chunk_days=HISTORY_WINDOW_DAYS)
    progress(f"history: fetching {len(chunks)} window(s) of activities and wellness")
    jobs: list[tuple[str, date, date]] = [("a", a, b) for a, b in chunks] + [
        ("w", a, b) for a, b in chunks
    ]

    def one(job):
        kind, a, b = job
        if kind == "a":
            return client.activities(
                a, b, HISTORY_ACTIVITY_FIELDS, timeout_s=settings.history_timeout_s
            )
        return client.wellness(a, b, HISTORY_WELLNESS_FIELDS, timeout_s=settings.history_timeout_s)

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
    snap.history_activities = sorted(
        acts.values(), key=lambda r: str(r.get("start_date_local") or "")
    )
    snap.history_wellness = sorted(well.values(), key=lambda r: str(r.get("id") or ""))
