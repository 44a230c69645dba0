"""Gather: every Intervals.icu call of one run, producing a raw `Snapshot`.

What to fetch is decided by the pure fetch plan (s11sync/fetch_plan.py); this module executes it.
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
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from s11sync.config import Settings
from s11sync.errors import IntervalsError
from s11sync.fetch_plan import (
    HEALTH_CATEGORIES,
    CurvePlan,
    DetailInputs,
    DetailPlan,
    HistoryPlan,
    Window,
    event_day,
    plan_details,
    plan_lists,
)
from s11sync.intervals.client import IntervalsClient
from s11sync.snapshot import Previous, Snapshot

__all__ = ["Progress", "fetch_snapshot", "local_now"]

log = logging.getLogger("s11sync.fetch")

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
    """(today, now) in the athlete's zone, read once per run: every date of the run is the
    athlete's local date, whatever the machine's zone.

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


def fetch_snapshot(
    client: IntervalsClient,
    settings: Settings,
    previous: Previous,
    utc_now: datetime,
    progress: Progress | None = None,
) -> Snapshot:
    """Execute the fetch plan (s11sync/fetch_plan.py) and return the raw snapshot."""
    progress = progress or Progress()
    athlete = client.athlete()
    today, now = local_now(athlete, utc_now, settings.today)
    lists = plan_lists(settings, today)
    # the three required lists are independent: asked together (the limiter's burst lets them
    # through at once); a failure is raised in this order, as when they were asked one by one
    with ThreadPoolExecutor(max_workers=3) as pool:
        listed = pool.submit(client.activities, lists.activities.oldest, lists.activities.newest)
        wellness_job = pool.submit(client.wellness, lists.wellness.oldest, lists.wellness.newest)
        events_job = pool.submit(client.events, lists.events.oldest, lists.events.newest)
        activities, duplicates = dedupe_by_id(listed.result())
        wellness = wellness_job.result()
        all_events = events_job.result()
    progress(f"activities: {len(activities)} in the last {lists.span_days} days")
    events = all_events
    if lists.health_folded:
        kept_from = lists.events_kept_from.isoformat()
        events = [e for e in all_events if event_day(e) >= kept_from]
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
    plan = plan_details(
        lists,
        DetailInputs(
            now=now,
            activities=activities,
            wellness=wellness,
            events=events,
            prev_latest=previous.latest,
            prev_intervals=previous.intervals,
            prev_routes=previous.routes,
            prev_history=previous.history,
            prev_curves=previous.curves_cache,
        ),
        settings,
    )

    def optional(name: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except IntervalsError as exc:
            snap.failed[name] = str(exc)
            log.debug("optional call %s failed: %s", name, exc)
            return None

    def wellness_today() -> None:
        if plan.wellness_today:
            record = optional("wellness_today", lambda: client.wellness_day(today))
            if record:
                snap.wellness.append(record)

    def health_events() -> None:
        if lists.health_folded:
            # `resolve` only expands workout steps, which INJURED/SICK events do not have
            snap.health_events = [e for e in all_events if e.get("category") in HEALTH_CATEGORIES]
        else:
            snap.health_events = optional(
                "health_events",
                lambda: client.events(
                    lists.health.oldest,
                    lists.health.newest,
                    category=HEALTH_CATEGORIES,
                    resolve=False,
                ),
            )

    def details_then_terrain() -> None:
        _fetch_activity_details(client, snap, plan)
        _fetch_terrain(client, snap, plan)  # reuses the streams the details fetched

    if plan.future_ledger:
        _warn_future_ledger(snap, previous)
    # independent optional fetches, started together; each fills its own snapshot fields
    parts: list[Callable[[], None]] = [
        wellness_today,
        health_events,
        lambda: _fetch_curves(client, snap, plan.curves, optional),
        lambda: _fetch_attachments(client, snap, plan),
        details_then_terrain,
        lambda: _fetch_messages(client, snap, plan),
    ]
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        for job in [pool.submit(part) for part in parts]:
            job.result()
    progress(
        f"curves: {len(snap.power_curves)} power, {len(snap.hr_curves)} HR"
        f"{' (stored, activity list unchanged)' if plan.curves.reused else ''}; per activity: "
        f"{len(snap.fetch_outcomes)} interval/stream fetches, {len(snap.terrain_streams)} terrain, "
        f"{len(snap.messages)} chat; routes: {len(snap.attachments)} downloads"
    )
    _fetch_history(client, snap, plan.history, progress)
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


def _fetch_curves(client: IntervalsClient, snap: Snapshot, plan: CurvePlan, optional) -> None:
    """Power/HR curves for the capability metrics; none asked when the stored ones are reused."""
    from s11sync.metrics.curves import curve_call_name

    if plan.stored is not None:
        snap.power_curves = dict(plan.stored["power"])
        snap.hr_curves = dict(plan.stored["hr"])
        return

    def one(req):
        return req, optional(
            curve_call_name(req.kind, req.label),
            lambda: client.curves(req.kind, req.curves, req.sport_type),
        )

    with ThreadPoolExecutor(max_workers=max(1, client.workers)) as pool:
        for req, data in pool.map(one, plan.requests):
            if data is not None:
                target = snap.power_curves if req.kind == "power" else snap.hr_curves
                target[req.label] = data


def _fetch_attachments(client: IntervalsClient, snap: Snapshot, plan: DetailPlan) -> None:
    """Route files attached to events: only cache misses; raw outcome recorded per attachment."""
    from s11sync.outputs.routes import MAX_BODY_BYTES

    def download(item: tuple[str, str]) -> dict[str, Any]:
        # reading stops just past the size routes.json accepts (ResponseTooLarge)
        body = client.get_bytes(item[1], max_bytes=MAX_BODY_BYTES)
        return {"status": 200, "body": body.decode("utf-8", "replace")}

    for (attachment_id, _url), result, error in client.map_bounded(
        download, list(plan.attachments)
    ):
        snap.attachments[attachment_id] = (
            result
            if error is None
            else {"status": getattr(error, "status", None), "error": type(error).__name__}
        )


def _fetch_terrain(client: IntervalsClient, snap: Snapshot, plan: DetailPlan) -> None:
    """latlng/altitude streams of recent outdoor activities not yet analysed."""
    from s11sync.outputs.activity_terrain import TERRAIN_STREAM_TYPES

    def one(activity_id: str) -> dict[str, Any]:
        return {"status": 200, "streams": client.streams(activity_id, TERRAIN_STREAM_TYPES)}

    # the DFA fetch downloaded every stream of some activities already: their latlng/altitude
    # are the ones `streams.json?types=latlng,altitude` would send
    for activity_id in plan.terrain_ids:
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
        one, [a for a in plan.terrain_ids if a not in snap.terrain_streams]
    ):
        snap.terrain_streams[activity_id] = (
            result if error is None else {"status": getattr(error, "status", None)}
        )


def _fetch_messages(client: IntervalsClient, snap: Snapshot, plan: DetailPlan) -> None:
    """Chat messages of the chat window's activities; a failure only leaves the notes absent."""
    for activity_id in plan.no_chat_ids:
        snap.messages[activity_id] = []  # no chat, no messages: what the call would answer
    for activity_id, result, error in client.map_bounded(client.messages, list(plan.message_ids)):
        if error is None:
            snap.messages[activity_id] = result or []


def _warn_future_ledger(snap: Snapshot, previous: Previous) -> None:
    stamp = (previous.intervals or {}).get("generated_at")
    snap.warnings.append(
        f"intervals.json was generated at {stamp}, after this run ({snap.now.isoformat()}): "
        "activities dated after today keep their stored detail and the last 14 days are "
        "scanned again, so no interval or DFA detail is lost; nothing to do."
    )


def _fetch_activity_details(client: IntervalsClient, snap: Snapshot, plan: DetailPlan) -> None:
    """Per-activity intervals and DFA streams, as the plan selected them from the ledger.

    Intervals come in bulk: one `GET /athlete/{id}/activities/{ids}?intervals=true` per batch
    (the service leaves out ids it does not find: recorded as a 404, as the single
    `GET /activity/{id}` would answer). Streams stay one call per activity; an activity the plan
    skips (its `stream_types` rules AlphaHRV out) is recorded as the answer the call would give."""

    def record(activity_id: str, endpoint: str, outcome: dict[str, Any]) -> None:
        snap.fetch_outcomes.setdefault(activity_id, {})[endpoint] = {
            k: v for k, v in outcome.items() if k != "payload"
        }
        if outcome.get("payload") is not None:
            target = snap.activity_intervals if endpoint == "intervals" else snap.activity_streams
            target[activity_id] = outcome["payload"]

    jobs: list[tuple[str, Any]] = [("intervals", list(batch)) for batch in plan.interval_batches]
    jobs += [("streams", a) for a in plan.stream_ids]

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
    for skip in plan.stream_skips:
        record(skip.activity_id, "streams", {"status": 200, "skipped": skip.reason})
    # keep the ledger's per-activity order (the order of the candidates)
    snap.fetch_outcomes = {
        a: snap.fetch_outcomes[a] for a in plan.detail_order if a in snap.fetch_outcomes
    }


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
            # all streams, no `types` filter: the filter is not known to return the AlphaHRV
            # developer-field streams, which the DFA metrics read
            payload = client.streams(activity_id, json_suffix=False)
        return {"status": 200, "payload": payload}
    except IntervalsError as exc:
        return _error_record(exc)


def _fetch_history(
    client: IntervalsClient, snap: Snapshot, plan: HistoryPlan, progress: Progress
) -> None:
    """Three years of activities and wellness, one window per endpoint — only when due."""
    from s11sync.history.fetch_params import HISTORY_ACTIVITY_FIELDS, HISTORY_WELLNESS_FIELDS

    if not plan.due:
        return
    if plan.future_stamp is not None:
        snap.warnings.append(
            f"history.json was generated at {plan.future_stamp}, after this run "
            f"({snap.now.isoformat()}): a run with a later --today, or the clock or the athlete's "
            "time zone moved back. It is regenerated for this run's day; nothing to do."
        )
    progress(f"history: fetching {len(plan.windows)} window(s) of activities and wellness")
    jobs: list[tuple[str, Window]] = [("a", w) for w in plan.windows] + [
        ("w", w) for w in plan.windows
    ]

    def one(job: tuple[str, Window]) -> Any:
        kind, w = job
        if kind == "a":
            return client.activities(
                w.oldest, w.newest, HISTORY_ACTIVITY_FIELDS, timeout_s=plan.timeout_s
            )
        return client.wellness(
            w.oldest, w.newest, HISTORY_WELLNESS_FIELDS, timeout_s=plan.timeout_s
        )

    results = client.map_bounded(one, jobs)
    errors = [err for _, _, err in results if err is not None]
    if errors:
        snap.failed["history"] = str(errors[0])
        progress("history: a chunk failed; the previous history.json is kept")
        return
    acts: dict[Any, dict] = {}
    well: dict[Any, dict] = {}
    for (kind, _), rows, _ in results:
        for row in rows or []:
            (acts if kind == "a" else well)[row.get("id")] = row
    snap.history_activities = sorted(
        acts.values(), key=lambda r: str(r.get("start_date_local") or "")
    )
    snap.history_wellness = sorted(well.values(), key=lambda r: str(r.get("id") or ""))
