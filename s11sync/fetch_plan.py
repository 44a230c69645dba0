"""The fetch plan: which Intervals.icu requests a run makes, decided without any I/O.

Two stages, because the second needs what the first returns:

1. `plan_lists(settings, today)` — the windows of the three required lists (activities, wellness,
   events) and whether the health-marker look-up rides on the events request.
2. `plan_details(lists, inputs)` — once the lists are in: the curve requests (or the stored curves
   reused), the bulk-interval batches, the DFA stream ids (and the ones skipped, with the reason),
   the terrain ids, the chat-message ids, the route downloads and whether history is due.

`s11sync/fetch.py` only executes the plan. The selection rules stay in the modules that own the
files they feed (the intervals.json ledger, terrain, chat notes, routes, history); this module
asks them and gathers the answers into frozen dataclasses that tests can check alone
(tests/test_fetch_plan.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from s11sync.config import Settings
from s11sync.metrics.curves import CurveRequest, curve_requests
from s11sync.windows import EXTENDED_DAYS

EVENTS_AHEAD_DAYS = 90
HEALTH_LOOKBACK_DAYS = 365
HEALTH_CATEGORIES = ("INJURED", "SICK")
# the health look-up is folded into the events request when the events window already reaches
# within this many days of the look-back: the extra events cost little next to one more request
HEALTH_FOLD_SLACK_DAYS = 31
TERRAIN_FETCH_DAYS = EXTENDED_DAYS  # terrain is fetched for the last 28 days only, whatever --days
BULK_IDS_PER_REQUEST = 50  # ids per GET /athlete/{id}/activities/{ids}: keeps the URL short
CURVES_STATE_VERSION = 1  # bump when the stored curve state changes meaning

NO_DFA = "stream_types has no dfa_a1"


@dataclass(frozen=True)
class Window:
    oldest: date
    newest: date


@dataclass(frozen=True)
class ListPlan:
    """Stage 1: the required list requests."""

    today: date
    span_days: int  # days of activities and wellness listed: max(28, --days)
    activities: Window
    wellness: Window
    events: Window  # as requested (reaches back to the health look-back when folded)
    events_kept_from: date  # events before this day only served the folded health look-up
    health: Window  # the INJURED/SICK look-up
    health_folded: bool


@dataclass(frozen=True)
class StreamSkip:
    activity_id: str
    reason: str


@dataclass(frozen=True)
class CurvePlan:
    """Curve requests of the run; `stored` holds the state file's responses when they are reused
    (then no curve request is made)."""

    requests: tuple[CurveRequest, ...]
    fingerprint: str
    stored: Mapping[str, Mapping[str, Any]] | None = None  # {"power": {label: response}, "hr": …}

    @property
    def reused(self) -> bool:
        return self.stored is not None


@dataclass(frozen=True)
class HistoryPlan:
    due: bool
    windows: tuple[Window, ...] = ()
    future_stamp: str | None = None  # the previous file's generated_at when it lies after now
    timeout_s: float = 0.0


@dataclass(frozen=True)
class DetailPlan:
    """Stage 2: everything fetched after the lists."""

    curves: CurvePlan
    detail_order: tuple[str, ...]  # activity ids due for intervals or streams, ledger order
    interval_batches: tuple[tuple[str, ...], ...]
    stream_ids: tuple[str, ...]  # all streams of each (the DFA fetch)
    stream_skips: tuple[StreamSkip, ...]
    terrain_ids: tuple[str, ...]  # outdoor activities whose terrain is wanted
    message_ids: tuple[str, ...]  # GET /activity/{id}/messages
    no_chat_ids: tuple[str, ...]  # in the chat window but without a chat: no call, no messages
    attachments: tuple[tuple[str, str], ...]  # (attachment id, url) to download
    wellness_today: bool  # today's wellness record is not in the list: ask for it alone
    future_ledger: bool  # intervals.json was written after this run's instant
    history: HistoryPlan


@dataclass(frozen=True)
class DetailInputs:
    """What stage 2 reads: the listed rows, the previous files (parsed) and the run's instant."""

    now: datetime
    activities: list[dict[str, Any]]
    wellness: list[dict[str, Any]]
    events: list[dict[str, Any]]
    prev_latest: dict[str, Any] | None = None
    prev_intervals: dict[str, Any] | None = None
    prev_routes: dict[str, Any] | None = None
    prev_history: dict[str, Any] | None = None
    prev_curves: dict[str, Any] | None = None


def plan_lists(settings: Settings, today: date) -> ListPlan:
    span = max(EXTENDED_DAYS, settings.days)
    oldest = today - timedelta(days=span - 1)
    events_oldest = today - timedelta(days=max(settings.days - 1, 14))
    ahead = today + timedelta(days=EVENTS_AHEAD_DAYS)
    health = Window(today - timedelta(days=HEALTH_LOOKBACK_DAYS), ahead)
    folded = (events_oldest - health.oldest).days <= HEALTH_FOLD_SLACK_DAYS
    return ListPlan(
        today=today,
        span_days=span,
        activities=Window(oldest, today),
        wellness=Window(oldest, today),
        events=Window(min(events_oldest, health.oldest) if folded else events_oldest, ahead),
        events_kept_from=events_oldest,
        health=health,
        health_folded=folded,
    )


def event_day(event: Mapping[str, Any]) -> str:
    return str(event.get("start_date_local") or "")[:10]


def unique_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """Items in order with repeats removed: at most one per-activity call per id and run."""
    return tuple(dict.fromkeys(ids))


def announces_dfa(activity: Mapping[str, Any] | None) -> bool:
    """False only when the activity's `stream_types` (as the list endpoint gives it) is a list with
    heart rate or power and without `dfa_a1`: its recording is processed and has no AlphaHRV
    field. An absent or empty list says nothing, so the streams are fetched."""
    types = (activity or {}).get("stream_types")
    if not isinstance(types, list) or not types:
        return True
    return "dfa_a1" in types or not ({"heartrate", "watts"} & set(types))


def has_no_chat(activity: Mapping[str, Any]) -> bool:
    """True when the activity says it has no chat: `icu_chat_id` present and null. An activity
    without the key (an older or trimmed listing) is asked, as before."""
    return "icu_chat_id" in activity and activity["icu_chat_id"] is None


# --- curves ------------------------------------------------------------------------------------


def curve_fingerprint(
    today: date, requests: Iterable[CurveRequest], activities: list[dict[str, Any]]
) -> str:
    """Hash of (run's local day, curve requests, listed activity rows): any new, edited or removed
    activity in the listed window, or a new day, gives another fingerprint."""
    body = json.dumps(
        {
            "version": CURVES_STATE_VERSION,
            "today": today.isoformat(),
            "requests": [[r.kind, r.label, r.sport_type, list(r.curves)] for r in requests],
            "activities": activities,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def stored_curves(
    prev_curves: Mapping[str, Any] | None, fingerprint: str, requests: Iterable[CurveRequest]
) -> dict[str, dict[str, Any]] | None:
    """The stored responses when the state file matches this run and holds every request's
    answer; None otherwise (a missing, stale or malformed file means: fetch again)."""
    if not isinstance(prev_curves, Mapping) or prev_curves.get("fingerprint") != fingerprint:
        return None
    out: dict[str, dict[str, Any]] = {"power": {}, "hr": {}}
    for req in requests:
        kind = prev_curves.get(req.kind)
        response = kind.get(req.label) if isinstance(kind, Mapping) else None
        if not isinstance(response, Mapping) or not isinstance(response.get("list"), list):
            return None
        out[req.kind][req.label] = dict(response)
    return out


def plan_curves(
    today: date, activities: list[dict[str, Any]], prev_curves: Mapping[str, Any] | None
) -> CurvePlan:
    requests = tuple(curve_requests(today, activities))
    fingerprint = curve_fingerprint(today, requests, activities)
    return CurvePlan(requests, fingerprint, stored_curves(prev_curves, fingerprint, requests))


# --- stage 2 -----------------------------------------------------------------------------------


def plan_details(lists: ListPlan, inputs: DetailInputs, settings: Settings) -> DetailPlan:
    from s11sync.history.due import generated_after, history_due
    from s11sync.history.fetch_params import HISTORY_WINDOW_DAYS, history_chunks
    from s11sync.outputs.activity_terrain import terrain_fetch_ids
    from s11sync.outputs.chat_notes import chat_fetch_ids
    from s11sync.outputs.intervals_file import select_candidates, written_after
    from s11sync.outputs.routes import attachments_to_fetch

    today, now = lists.today, inputs.now
    activities = inputs.activities
    by_id = {str(a.get("id")): a for a in activities if a.get("id")}

    # intervals (in bulk) and DFA streams, chosen by the intervals.json ledger
    due: dict[str, tuple[str, ...]] = {}
    for activity_id, endpoints in select_candidates(
        activities, inputs.prev_intervals, inputs.events, today, now
    ):
        due.setdefault(activity_id, endpoints)  # one round of calls per activity id
    interval_ids = [a for a, endpoints in due.items() if "intervals" in endpoints]
    streams_due = [a for a, endpoints in due.items() if "streams" in endpoints]
    skips = tuple(StreamSkip(a, NO_DFA) for a in streams_due if not announces_dfa(by_id.get(a)))
    skipped = {s.activity_id for s in skips}

    floor = (today - timedelta(days=TERRAIN_FETCH_DAYS - 1)).isoformat()
    recent = [a for a in activities if str(a.get("start_date_local") or "")[:10] >= floor]

    chat_ids = unique_ids(chat_fetch_ids(activities, inputs.prev_latest, today))
    without_chat = {str(a.get("id")) for a in activities if has_no_chat(a)}

    due_history = history_due(inputs.prev_history, today, settings.full_history, now.tzinfo, now)
    history = HistoryPlan(due=False)
    if due_history:
        history = HistoryPlan(
            due=True,
            # one window per endpoint: the list endpoints take any oldest…newest range
            windows=tuple(
                Window(a, b) for a, b in history_chunks(today, chunk_days=HISTORY_WINDOW_DAYS)
            ),
            future_stamp=generated_after(inputs.prev_history, now),
            timeout_s=settings.history_timeout_s,
        )

    return DetailPlan(
        curves=plan_curves(today, activities, inputs.prev_curves),
        detail_order=tuple(due),
        interval_batches=tuple(
            tuple(interval_ids[k : k + BULK_IDS_PER_REQUEST])
            for k in range(0, len(interval_ids), BULK_IDS_PER_REQUEST)
        ),
        stream_ids=tuple(a for a in streams_due if a not in skipped),
        stream_skips=skips,
        terrain_ids=unique_ids(terrain_fetch_ids(recent, inputs.prev_latest)),
        message_ids=tuple(a for a in chat_ids if a not in without_chat),
        no_chat_ids=tuple(a for a in chat_ids if a in without_chat),
        attachments=tuple(attachments_to_fetch(inputs.events, inputs.prev_routes)),
        wellness_today=not any(str(w.get("id")) == today.isoformat() for w in inputs.wellness),
        future_ledger=written_after(inputs.prev_intervals, now),
        history=history,
    )
