"""intervals.json: per-segment detail of recent sessions and its fetch ledger.

docs/files.md, "intervals.json", states the contract; tests/outputs/test_intervals_file.py pins it.

Pure functions. `select_candidates` decides which per-activity calls a run makes (the fetcher executes
them and records raw outcomes in the snapshot); `build_intervals` classifies those outcomes, advances
the retry ledger (`fetch_state`), merges with the previous file and prunes to the 14-day retention.

`icu_intervals: null` is the live API's answer for an analysed activity without intervals: it is a
final `no_data` (tombstone), not a transient failure retried for 72 h; an empty list still means
"analysis may not be ready" and stays pending. Segments keep the athlete's own interval `label` and the
group signature `group_id` apart, and carry distance, speed and (run, walk, swim, rowing) pace in SI
with display companions from `s11sync.units`. Activity names follow the one anonymisation rule of
latest.json (`outputs.activities.public_name`).

Streams carry the AlphaHRV `dfa_a1` field; their outcome is classified by `metrics.dfa` (a
processed recording without `dfa_a1` is a tombstone, not a retry: most recordings have no AlphaHRV
data, and retrying them downloaded full stream sets over and over) and the block is staged as `dfa`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from s11sync import __version__
from s11sync.cache import script_hash
from s11sync.dates import parse_timestamp
from s11sync.metrics.dfa import classify_streams as classify_dfa_streams
from s11sync.numbers import finite
from s11sync.outputs.activities import pace_of, public_name
from s11sync.snapshot import Snapshot
from s11sync.sports import family_of
from s11sync.units import athlete_units, to_display
from s11sync.windows import RETENTION_DAYS

SCHEMA_VERSION = 1
INTERVAL_SPORT_FAMILIES = frozenset({"cycling", "run", "ski", "rowing", "swim"})
SCAN_HOURS = 72
RETRY_WINDOW = timedelta(hours=72)
PAIRED_RETRY_WINDOW = timedelta(days=14)
PAIRED_MIN_DELAY_S = 86400
FETCH_STREAMS = True

SEGMENT_FIELDS = (
    ("type", "type"),
    ("label", "label"),
    ("group_id", "group_id"),
    ("duration_secs", "elapsed_time"),
    ("moving_secs", "moving_time"),
    ("start_secs", "start_time"),
    ("end_secs", "end_time"),
    ("avg_power", "average_watts"),
    ("max_power", "max_watts"),
    ("avg_hr", "average_heartrate"),
    ("max_hr", "max_heartrate"),
    ("min_hr", "min_heartrate"),
    ("avg_cadence", "average_cadence"),
    ("zone", "zone"),
    ("w_bal_start", "wbal_start"),
    ("w_bal_end", "wbal_end"),
    ("training_load", "training_load"),
    ("distance_m", "distance"),
    ("avg_speed_mps", "average_speed"),
)
# derived at output time from the SI fields above (so a change of athlete units never goes stale)
COMPANION_KEYS = ("avg_pace", "avg_pace_unit", "display")


# ---- helpers ----------------------------------------------------------------------------------


def ladder_delay(attempts: int) -> int:
    """INTERVAL_RETRY_LADDER: attempts 1–6 → 300 s; 7–12 → 1800 s; ≥ 13 → 21600 s."""
    if attempts <= 6:
        return 300
    if attempts <= 12:
        return 1800
    return 21600


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def schedule_retry(
    endpoint: str,
    attempts: int,
    paired: bool,
    start: datetime,
    now: datetime,
    retry_after: float | None,
) -> datetime | None:
    extended = endpoint == "intervals" and paired
    deadline = start + (PAIRED_RETRY_WINDOW if extended else RETRY_WINDOW)
    if now >= deadline:
        return None
    delay = float(ladder_delay(attempts))
    if extended and now >= start + RETRY_WINDOW:
        delay = max(delay, PAIRED_MIN_DELAY_S)
    if retry_after is not None:
        delay = max(delay, retry_after)
    nxt = now + timedelta(seconds=delay)
    return None if nxt >= deadline else nxt


def schedule_refresh(attempts: int, now: datetime, retry_after: float | None) -> datetime:
    delay = float(ladder_delay(attempts))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return now + timedelta(seconds=delay)


def advance(
    prev: dict | None,
    outcome: str,
    reason: str,
    now: datetime,
    *,
    endpoint: str = "intervals",
    paired: bool = False,
    start: datetime | None = None,
    retry_after: float | None = None,
) -> dict:
    prev = prev or {}
    state: dict[str, Any] = {
        "attempts": int(prev.get("attempts") or 0) + 1,
        "first_seen": prev.get("first_seen") or iso(now),
        "last_attempt": iso(now),
    }
    if outcome == "ok":
        state.update(status="ok", reason="ok")
    elif outcome == "tombstone":
        state.update(status="tombstone", reason=reason)
    else:
        nxt = schedule_retry(endpoint, state["attempts"], paired, start or now, now, retry_after)
        if nxt is None:
            state.update(status="tombstone", reason="retry_expired")
        else:
            state.update(status="pending", reason=reason, next_retry_at=iso(nxt))
    return state


def pairing_set(events: list[dict], activities: list[dict], today: date) -> set[str]:
    """Ids of activities paired (by strict id join) to a planned workout with steps: their
    intervals are retried for the whole 14-day retention, not only 72 hours."""
    has_steps: dict[str, bool] = {}
    paired: set[str] = set()
    for event in events:
        if str(event.get("start_date_local") or "")[:10] > today.isoformat():
            continue
        doc = event.get("workout_doc")
        steps = isinstance(doc, dict) and bool(doc.get("steps"))
        has_steps[str(event.get("id"))] = steps
        if steps and event.get("paired_activity_id") is not None:
            paired.add(str(event["paired_activity_id"]))
    for activity in activities:
        if activity.get("paired_event_id") is not None and has_steps.get(
            str(activity["paired_event_id"])
        ):
            paired.add(str(activity.get("id")))
    return paired


def activity_start(activity: dict, now: datetime) -> datetime:
    """UTC `start_date`; else `start_date_local` in the run's zone; else now.

    Deadlines compare this aware instant with an aware clock: the original compared a naive local
    time with the runner's clock, shifting them by the athlete's UTC offset."""
    start = parse_timestamp(activity.get("start_date"))
    if start is not None:
        return start
    local = str(activity.get("start_date_local") or "")
    for text, fmt in ((local[:19], "%Y-%m-%dT%H:%M:%S"), (local[:10], "%Y-%m-%d")):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
    return now


def load_previous(prev: dict | None) -> tuple[list[dict], dict[str, dict], bool]:
    """(cached entries, fetch_state, first_run); a missing file or another `script_hash` is a
    first run, which scans the whole 14 days."""
    if not isinstance(prev, dict) or prev.get("script_hash") != script_hash():
        return [], {}, True
    entries = [e for e in prev.get("activities") or [] if isinstance(e, dict)]
    state = {str(k): v for k, v in (prev.get("fetch_state") or {}).items() if isinstance(v, dict)}
    return entries, state, False


# ---- candidate selection -----------------------------------------------------------------------


def _qualifies(activity: dict) -> bool:
    return bool(activity.get("id")) and family_of(activity.get("type")) in INTERVAL_SPORT_FAMILIES


def _due(endpoint_state: dict | None, now: datetime) -> bool:
    if not endpoint_state or endpoint_state.get("status") != "pending":
        return False
    nxt = parse_timestamp(endpoint_state.get("next_retry_at"))
    return nxt is None or nxt <= now


def _final_no_intervals(intervals: dict) -> bool:
    """The `icu_intervals: null` tombstone: refetched once when the athlete edits the intervals."""
    return intervals.get("status") == "tombstone" and intervals.get("reason") == "no_data"


def _refresh_due(state: dict, activity: dict, now: datetime) -> bool:
    intervals = state.get("intervals") or {}
    token = activity.get("icu_sync_date")
    if activity.get("icu_intervals_edited") is not True or not token:
        return False
    if token == intervals.get("source_icu_sync_date"):
        return False
    if _final_no_intervals(intervals):
        return True  # intervals added by hand to an activity that had none
    if intervals.get("status") != "ok":
        return False
    ref = intervals.get("refresh") or {}
    if ref.get("target_sync_date") != token:
        return True
    if ref.get("status") == "exhausted":
        return False
    nxt = parse_timestamp(ref.get("next_retry_at"))
    return nxt is None or nxt <= now


def written_after(prev: dict | None, now: datetime) -> bool:
    """The previous file was generated after this run's instant: a run with a later `--today`,
    or the clock or the athlete's time zone moved back. Its ledger cannot be trusted to cover
    this run's window, so the whole retention window is scanned again."""
    stamp = parse_timestamp(prev.get("generated_at")) if isinstance(prev, dict) else None
    return stamp is not None and stamp > now


def select_candidates(
    activities: list[dict],
    prev_intervals: dict | None,
    events: list[dict],
    today: date,
    now: datetime,
) -> list[tuple[str, tuple[str, ...]]]:
    """[(activity id, due endpoints)] in list order."""
    entries, fetch_state, first_run = load_previous(prev_intervals)
    retention_cutoff = (today - timedelta(days=RETENTION_DAYS)).isoformat()
    rescan = first_run or written_after(prev_intervals, now)
    scan_cutoff = retention_cutoff if rescan else (today - timedelta(days=3)).isoformat()
    cached_ids = {str(e.get("activity_id")) for e in entries}
    out: list[tuple[str, tuple[str, ...]]] = []
    for activity in activities:
        day = str(activity.get("start_date_local") or "")[:10]
        if not day or day < retention_cutoff or not _qualifies(activity):
            continue
        activity_id = str(activity["id"])
        state = fetch_state.get(activity_id)
        due: list[str] = []
        if state is None:
            if day >= scan_cutoff and activity_id not in cached_ids:
                due = ["intervals", "streams"] if FETCH_STREAMS else ["intervals"]
        else:
            for endpoint in ("intervals", "streams"):
                if (endpoint == "intervals" or FETCH_STREAMS) and _due(state.get(endpoint), now):
                    due.append(endpoint)
            if "intervals" not in due and _refresh_due(state, activity, now):
                due.insert(0, "intervals")
        if due:
            out.append((activity_id, tuple(due)))
    return out


# ---- outcomes ------------------------------------------------------------------------------------


def classify_intervals(outcome: dict | None, payload: Any) -> tuple[str, str, float | None]:
    """→ (kind, reason, retry_after) with kind ok | no_data | no_intervals | transient | terminal.

    `no_intervals` is `icu_intervals: null`, the live API's "this activity has no intervals": final.
    """
    if not outcome:
        return "transient", "transient", None
    status = outcome.get("status")
    if status == 200:
        if not isinstance(payload, dict):
            return "transient", "transient", None
        segments = payload.get("icu_intervals")
        if "icu_intervals" in payload and segments is None:
            return "no_intervals", "no_data", None
        if "icu_intervals" in payload and not isinstance(segments, list):
            return "transient", "transient", None
        if not segments:
            return "no_data", "no_data", None
        return "ok", "ok", None
    if status in (404, 410):
        return "terminal", "terminal_error", None
    return "transient", "transient", outcome.get("retry_after")


def map_segment(interval: dict) -> dict:
    """One segment per interval; null or missing upstream values are absent."""
    return {key: interval[src] for key, src in SEGMENT_FIELDS if interval.get(src) is not None}


def with_companions(segment: dict, activity_type: Any, units: dict[str, str]) -> dict:
    """The segment plus its pace (s per family unit, as latest.json's avg_pace) and `display`
    companions (athlete units via `s11sync.units`), derived from `distance_m` / `avg_speed_mps`."""
    out = {k: v for k, v in segment.items() if k not in COMPANION_KEYS}
    distance, speed = finite(out.get("distance_m")), finite(out.get("avg_speed_mps"))
    pace, pace_label, display_unit = pace_of(activity_type, speed)
    if pace is not None:
        out["avg_pace"] = pace
        out["avg_pace_unit"] = pace_label
    display: dict[str, Any] = {}
    if distance is not None:
        display["distance"] = to_display(distance / 1000, "distance", units)
    if speed is not None and speed > 0:
        display["avg_speed"] = to_display(speed * 3.6, "speed", units)
    if pace is not None:
        if display_unit == "/km" and units.get("distance") == "imperial":
            display_unit = "/mi"
        display["avg_pace"] = to_display(speed, "pace", units, pace_unit=display_unit)
    display = {k: v for k, v in display.items() if v is not None}
    if display:
        out["display"] = display
    return out


def zone_basis(intervals: list[dict], activity: dict) -> str | None:
    """What the intervals' `zone` numbers refer to: "power" when any interval has power bounds,
    else "hr" or "pace" when the activity has zone times of exactly one of them (GAP counts as
    pace); otherwise None, which claims nothing about the basis."""
    if not any(i.get("zone") is not None for i in intervals):
        return None
    if any(
        i.get("zone_min_watts") is not None or i.get("zone_max_watts") is not None
        for i in intervals
    ):
        return "power"
    has_hr = bool(activity.get("icu_hr_zone_times"))
    has_pace = bool(activity.get("pace_zone_times")) or bool(activity.get("gap_zone_times"))
    if has_hr and not has_pace:
        return "hr"
    if has_pace and not has_hr:
        return "pace"
    return None


def _apply_intervals(
    prev_state: dict | None,
    kind: str,
    reason: str,
    retry_after: float | None,
    activity: dict,
    paired: bool,
    start: datetime,
    now: datetime,
) -> dict:
    token = activity.get("icu_sync_date")
    refreshing = bool(prev_state and prev_state.get("status") == "ok")
    if kind == "ok":
        state = advance(prev_state, "ok", "ok", now)
        if token:
            state["source_icu_sync_date"] = token
        return state
    if (
        refreshing and prev_state
    ):  # `and prev_state` only narrows it for mypy: refreshing implies it
        state = {
            k: prev_state[k]
            for k in ("status", "reason", "attempts", "first_seen", "source_icu_sync_date")
            if k in prev_state
        }
        state["last_attempt"] = iso(now)
        prev_ref = prev_state.get("refresh") or {}
        n = (
            int(prev_ref.get("attempts") or 0) + 1
            if prev_ref.get("target_sync_date") == token
            else 1
        )
        ref: dict[str, Any] = {"target_sync_date": token, "attempts": n}
        if kind == "terminal":
            ref.update(status="exhausted", reason="terminal_error")
        else:
            ref.update(
                reason="no_data" if kind in ("no_data", "no_intervals") else "transient",
                next_retry_at=iso(schedule_refresh(n, now, retry_after)),
            )
        state["refresh"] = ref
        return state
    if kind == "terminal":
        return advance(prev_state, "tombstone", "terminal_error", now)
    if kind == "no_intervals":
        state = advance(prev_state, "tombstone", "no_data", now)
        if token:  # an edit of the intervals (a new icu_sync_date) triggers one more fetch
            state["source_icu_sync_date"] = token
        return state
    return advance(
        prev_state,
        "pending",
        reason,
        now,
        endpoint="intervals",
        paired=paired,
        start=start,
        retry_after=retry_after,
    )


def _apply_streams(
    prev_state: dict | None,
    outcome: dict,
    payload: Any,
    activity: dict,
    paired: bool,
    now: datetime,
) -> tuple[dict, dict | None]:
    """Streams outcome → (new endpoint state, staged dfa block or None)."""
    start = activity_start(activity, now)
    status = outcome.get("status")
    if status in (404, 410):
        return advance(prev_state, "tombstone", "terminal_error", now), None
    if status != 200:
        return advance(
            prev_state,
            "pending",
            "transient",
            now,
            endpoint="streams",
            start=start,
            retry_after=outcome.get("retry_after"),
        ), None
    if outcome.get("skipped"):  # stream_types lists HR/power without dfa_a1 (fetch.announces_dfa)
        return advance(prev_state, "tombstone", "no_data", now), None
    kind, block = classify_dfa_streams(payload, activity)
    if kind == "ok" and block is not None:
        return advance(prev_state, "ok", "ok", now), block
    if kind == "no_data_final":
        return advance(prev_state, "tombstone", "no_data", now), None
    reason = "compute_error" if kind == "compute_error" else "no_data"
    return advance(prev_state, "pending", reason, now, endpoint="streams", start=start), None


def build_intervals(
    snap: Snapshot, prev_intervals: dict | None, *, anonymize: bool
) -> tuple[dict, dict[str, dict]]:
    """(intervals.json document, {activity id: {"has_intervals", "has_dfa"}} for latest.json).

    `anonymize` is the run's setting: outdoor activity names become their type, as in latest.json.
    """
    now, today = snap.now, snap.today
    units = athlete_units(snap.athlete)
    entries, fetch_state, _ = load_previous(prev_intervals)
    retention_cutoff = (today - timedelta(days=RETENTION_DAYS)).isoformat()
    by_id = {str(a.get("id")): a for a in snap.activities if a.get("id")}
    paired_ids = pairing_set(snap.events, snap.activities, today)

    ahead = today.isoformat()
    # Entries dated after today come from a run with a later day (a replayed `--today`, a time
    # zone that moved west): this run cannot see those activities, so they are kept untouched.
    future = {
        str(e.get("activity_id")): dict(e) for e in entries if str(e.get("date") or "") > ahead
    }
    kept = {
        str(e.get("activity_id")): dict(e)
        for e in entries
        if str(e.get("date") or "") >= retention_cutoff and str(e.get("activity_id")) in by_id
    }
    for activity_id, outcomes in snap.fetch_outcomes.items():
        activity = by_id.get(activity_id)
        if activity is None:
            continue
        state = dict(fetch_state.get(activity_id) or {})
        state["date"] = str(activity.get("start_date_local") or "")[:10]
        paired = activity_id in paired_ids
        if paired:
            state["paired_planned"] = True
        else:
            state.pop("paired_planned", None)
        payload = snap.activity_intervals.get(activity_id)
        kind = None
        if "intervals" in outcomes:
            kind, reason, retry_after = classify_intervals(outcomes["intervals"], payload)
            state["intervals"] = _apply_intervals(
                state.get("intervals"),
                kind,
                reason,
                retry_after,
                activity,
                paired,
                activity_start(activity, now),
                now,
            )
        fetch_state[activity_id] = state
        if "streams" in outcomes:
            state["streams"], block = _apply_streams(
                state.get("streams"),
                outcomes["streams"],
                snap.activity_streams.get(activity_id),
                activity,
                paired,
                now,
            )
            if block is not None:
                entry = kept.get(activity_id) or {"activity_id": activity.get("id")}
                entry["dfa"] = block
                kept[activity_id] = entry
        if "intervals" not in outcomes:
            continue
        if kind == "ok":
            raw = payload["icu_intervals"]  # type: ignore[index]
            entry = kept.get(activity_id) or {"activity_id": activity.get("id")}
            entry["intervals"] = [map_segment(i) for i in raw if isinstance(i, dict)]
            basis = zone_basis(raw, activity)
            if basis is None:
                entry.pop("zone_basis", None)
            else:
                entry["zone_basis"] = basis
            kept[activity_id] = entry

    activities_out = []
    for activity_id, entry in kept.items():
        activity = by_id[activity_id]
        # metadata refreshed from the current list every run, so a rename shows at once
        fresh: dict[str, Any] = {
            "activity_id": entry.get("activity_id", activity.get("id")),
            "date": str(activity.get("start_date_local") or "")[:10],
            "start_datetime": activity.get("start_date_local") or "",
            "type": activity.get("type") or "Unknown",
            "name": public_name(activity, anonymize=anonymize),
            "interval_summary": activity.get("interval_summary"),
        }
        if "zone_basis" in entry:
            fresh["zone_basis"] = entry["zone_basis"]
        fresh["intervals"] = [
            with_companions(s, activity.get("type"), units)
            for s in entry.get("intervals") or []
            if isinstance(s, dict)
        ]
        if entry.get("dfa"):
            fresh["dfa"] = entry["dfa"]
        if fresh["intervals"] or "dfa" in fresh:
            activities_out.append(fresh)
    activities_out.extend(
        entry for key, entry in future.items() if key not in kept and key not in by_id
    )
    activities_out.sort(
        key=lambda e: (str(e.get("start_datetime")), str(e.get("activity_id"))), reverse=True
    )  # newest first

    fetch_state = {
        k: v
        for k, v in fetch_state.items()
        if str(v.get("date") or "") >= retention_cutoff
        and (k in by_id or str(v.get("date")) > ahead)
    }
    doc = {
        "generated_at": iso(now),
        "schema_version": SCHEMA_VERSION,
        "version": __version__,
        "script_hash": script_hash(),
        "scan_hours": SCAN_HOURS,
        "retention_days": RETENTION_DAYS,
        "activities": activities_out,
        "fetch_state": dict(sorted(fetch_state.items())),
    }
    flags = {
        str(e["activity_id"]): {
            "has_intervals": any(s.get("type") == "WORK" for s in e.get("intervals") or []),
            "has_dfa": "dfa" in e,
        }
        for e in activities_out
    }
    return doc, flags
