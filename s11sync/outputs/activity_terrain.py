"""Terrain of outdoor activities in latest.json → recent_activities (tests/test_terrain.py).

The previous latest.json is the cache: a summary or a terminal status is copied forward; otherwise
the run fetches the `latlng,altitude` streams only (the original also asked for `time` and
`distance`, never used; DFA streams already downloaded serve instead) and classifies them. An
activity recorded on a trainer (`trainer: true`) is indoor, so it has no terrain. With
anonymisation on, coordinates are omitted: an activity's start usually reveals where the athlete
lives (README.md, "Outputs", Privacy).
"""

from __future__ import annotations

from typing import Any

from s11sync.outputs.activities import strip_terrain_coords
from s11sync.snapshot import Snapshot
from s11sync.sports import is_outdoor
from s11sync.terrain import analyse, refresh_display, short_summary
from s11sync.windows import record_date, window_bounds

TERMINAL_STATUSES = ("no_gps", "no_elevation", "failed")
TERRAIN_STREAM_TYPES = ("latlng", "altitude")


def _previous_records(prev_latest: dict | None) -> dict[str, dict]:
    if not isinstance(prev_latest, dict):
        return {}
    return {
        str(a.get("id")): a
        for a in prev_latest.get("recent_activities") or []
        if isinstance(a, dict)
    }


def terrain_fetch_ids(activities: list[dict], prev_latest: dict | None) -> list[str]:
    """Outdoor activities with neither a cached summary nor a terminal status."""
    previous = _previous_records(prev_latest)
    out = []
    for activity in activities:
        if not activity.get("id") or not is_outdoor(activity):
            continue
        record = previous.get(str(activity["id"]), {})
        if "terrain_summary" in record or record.get("terrain_status") in TERMINAL_STATUSES:
            continue
        out.append(str(activity["id"]))
    return out


def classify_streams(streams: list[dict], imperial: bool) -> dict[str, Any]:
    by_type = {s.get("type"): s for s in streams if isinstance(s, dict)}
    latlng = by_type.get("latlng") or {}
    lats, lons = latlng.get("data") or [], latlng.get("data2") or []
    pairs = [
        (i, la, lo)
        for i, (la, lo) in enumerate(zip(lats, lons))
        if la is not None and lo is not None
    ]
    if not latlng or len(pairs) < 10:
        return {"terrain_status": "no_gps"}
    altitude = (by_type.get("altitude") or {}).get("data") or []
    if not altitude:
        return {"terrain_status": "no_elevation"}
    points = [
        {"lat": la, "lon": lo, "ele": altitude[i] if i < len(altitude) else None}
        for i, la, lo in pairs
    ]
    if all(p["ele"] is None for p in points):
        return {"terrain_status": "no_elevation"}
    summary = analyse(points, "activity_streams", include_polyline=False, imperial=imperial)
    if summary is None or summary["source"].endswith("_no_elevation"):
        return {"terrain_status": "no_elevation"}
    return {"terrain_summary": summary}


def activity_terrain(snap: Snapshot, prev_latest: dict | None, anonymize: bool) -> dict[str, dict]:
    """{activity id: {terrain_summary | terrain_status[, terrain_error]}}; absent id = nothing this run.

    Sessions of the display window keep the full summary; older ones get the short form
    (terrain.short_summary), which is also what the next run copies forward for them."""
    imperial = (snap.athlete.get("measurement_preference") or "meters") != "meters"
    window_start = window_bounds(snap.today, snap.days)[0]
    previous = _previous_records(prev_latest)
    out: dict[str, dict] = {}
    for activity in snap.activities:
        activity_id = str(activity.get("id"))
        if not activity.get("id") or not is_outdoor(activity):
            continue
        record = previous.get(activity_id, {})
        if isinstance(record.get("terrain_summary"), dict):
            result: dict[str, Any] = {
                "terrain_summary": refresh_display(record["terrain_summary"], imperial)
            }
        elif record.get("terrain_status") in TERMINAL_STATUSES:
            result = {"terrain_status": record["terrain_status"]}
            if record.get("terrain_error"):
                result["terrain_error"] = record["terrain_error"]
        else:
            fetched = snap.terrain_streams.get(activity_id)
            if not fetched:
                continue
            status = fetched.get("status")
            if status == 200:
                result = classify_streams(fetched.get("streams") or [], imperial)
            elif status in (404, 410):
                result = {"terrain_status": "failed", "terrain_error": f"http_{status}"}
            else:
                continue  # transient: nothing written, retried next run
        day = record_date(activity)
        if "terrain_summary" in result and (day is None or day < window_start):
            result["terrain_summary"] = short_summary(result["terrain_summary"])
        if anonymize and "terrain_summary" in result:
            result["terrain_summary"] = strip_terrain_coords(result["terrain_summary"])
        out[activity_id] = result
    return out
