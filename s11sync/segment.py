"""`s11sync segment`: figures for one part of one activity (the shell around metrics/segment.py).

Three requests: the athlete record (display units), the activity (type, FTP in force, Strava stub
check) and its streams, once. A bare numeric id is tried as `i<id>` first, then as given (Strava
stubs keep bare ids).
"""

from __future__ import annotations

import json
from typing import Any

from s11sync.errors import ConfigError, EndpointNotFound, SchemaViolation
from s11sync.fmt import fmt_dur
from s11sync.intervals.client import IntervalsClient
from s11sync.metrics.segment import (
    Bound,
    BoundError,
    SegmentStats,
    intensity_and_load,
    parse_bound,
    segment_stats,
    stream_map,
)
from s11sync.numbers import rnd
from s11sync.sports import family_of, is_strava_stub
from s11sync.units import KM_TO_MI, M_TO_FT, MPS_TO, athlete_units, pace_string
from s11sync.validate import validate_document

SCHEMA_VERSION = 1
STREAM_TYPES = ("time", "distance", "watts", "heartrate", "cadence", "altitude")
# pace unit per family (metric, imperial); everything else uses /km or /mi
_PACE_UNITS = {"swim": ("/100m", "/100y"), "rowing": ("/500m", "/500m")}


def parse_bounds(lo: str, hi: str) -> tuple[Bound, Bound]:
    """Both bounds, checked before any request (a reversed pair of the same kind is a usage error)."""
    try:
        start, end = parse_bound(lo), parse_bound(hi)
    except BoundError as exc:
        raise ConfigError(f"{exc}.") from exc
    if start.kind == end.kind and start.value >= end.value:
        raise ConfigError(f"--from {lo} is not before --to {hi}: give the earlier point first.")
    return start, end


def candidate_ids(raw: str) -> list[str]:
    """`i123` → [i123]; `123` → [i123, 123]; anything else is a usage error."""
    value = raw.strip()
    if value[:1] in ("i", "I") and value[1:].isdigit():
        return ["i" + value[1:]]
    if value.isdigit():
        return ["i" + value, value]
    raise ConfigError(
        f"{raw!r} is not an activity id: give the id from the activity's Intervals.icu "
        "address, e.g. i12345678 (or its digits)."
    )


def fetch_activity(client: IntervalsClient, raw_id: str) -> dict[str, Any]:
    tried = candidate_ids(raw_id)
    for activity_id in tried:
        try:
            activity = client.activity(activity_id, intervals=False)
        except EndpointNotFound:
            continue
        if activity:
            return activity
    raise ConfigError(
        f"no activity {raw_id!r} for this key (tried {', '.join(tried)}; 404). Copy the id from the "
        "activity's address on Intervals.icu (…/activities/i12345678)."
    )


def run_segment(client: IntervalsClient, raw_id: str, lo: Bound, hi: Bound) -> dict[str, Any]:
    """Fetch and compute: the JSON document that `--json` prints (schemas/segment.schema.json)."""
    units = athlete_units(client.athlete())
    activity = fetch_activity(client, raw_id)
    if is_strava_stub(activity):
        raise ConfigError(
            f"activity {activity.get('id')} was imported from Strava, and the Intervals.icu API may not "
            "share Strava data with other apps (Strava's terms), so its streams cannot be read. Upload "
            "the original file to Intervals.icu, or use an activity recorded by a device sync."
        )
    streams = stream_map(client.streams(str(activity["id"]), STREAM_TYPES))
    try:
        stats = segment_stats(streams, lo, hi)
    except BoundError as exc:
        raise ConfigError(f"{exc}.") from exc
    doc = build_document(activity, stats, lo, hi, imperial=units["distance"] == "imperial")
    errors = validate_document("segment", doc)
    if errors:
        raise SchemaViolation(
            "the segment figures do not match schemas/segment.schema.json; this is a "
            "bug in s11sync, please report it",
            errors,
        )
    return doc


def build_document(
    activity: dict[str, Any], stats: SegmentStats, lo: Bound, hi: Bound, *, imperial: bool
) -> dict[str, Any]:
    ftp = activity.get("icu_ftp") if isinstance(activity.get("icu_ftp"), (int, float)) else None
    factor, tss = intensity_and_load(stats.normalized_power_w, ftp, stats.recorded_s)
    family = family_of(activity.get("type"))
    pace_unit = _PACE_UNITS.get(family, ("/km", "/mi"))[1 if imperial else 0]
    speed_unit = "mph" if imperial else "km/h"
    distance_display = None
    if stats.distance_m is not None:
        km = stats.distance_m / 1000
        distance_display = {
            "value": rnd(km * KM_TO_MI if imperial else km, 2),
            "unit": "mi" if imperial else "km",
        }
    gain_display = None
    if stats.elevation_gain_m is not None:
        gain_display = {
            "value": rnd(stats.elevation_gain_m * (M_TO_FT if imperial else 1)),
            "unit": "ft" if imperial else "m",
        }
    speed = stats.average_speed_mps
    return {
        "schema_version": SCHEMA_VERSION,
        "activity": {
            "id": str(activity.get("id")),
            "type": activity.get("type"),
            "start_date_local": activity.get("start_date_local"),
        },
        "range": {
            "from": lo.text,
            "to": hi.text,
            "start_elapsed_s": rnd(stats.start_s, 1),
            "end_elapsed_s": rnd(stats.end_s, 1),
            "start_distance_m": rnd(stats.start_m, 1),
            "end_distance_m": rnd(stats.end_m, 1),
            "clipped": bool(stats.warnings),
        },
        "duration_s": rnd(stats.duration_s),
        "recorded_s": stats.recorded_s,
        "distance_m": rnd(stats.distance_m, 1),
        "elevation_gain_m": rnd(stats.elevation_gain_m, 1),
        "average_power_w": rnd(stats.average_power_w),
        "normalized_power_w": rnd(stats.normalized_power_w),
        "average_hr_bpm": rnd(stats.average_hr_bpm),
        "average_cadence_rpm": rnd(stats.average_cadence_rpm),
        "average_speed_mps": rnd(speed, 3),
        "ftp_w": ftp,
        "intensity_factor": rnd(factor, 3),
        "tss": rnd(tss, 1),
        "display": {
            "distance": distance_display,
            "elevation_gain": gain_display,
            "speed": None
            if speed is None
            else {"value": rnd(speed * MPS_TO[speed_unit], 1), "unit": speed_unit},
            "pace": None
            if pace_string(speed, pace_unit) is None
            else {"value": pace_string(speed, pace_unit), "unit": pace_unit},
        },
        "warnings": stats.warnings,
    }


def render_text(doc: dict[str, Any]) -> str:
    """The human summary printed without --json."""

    def show(block: dict | None) -> str:
        return "-" if block is None else f"{block['value']} {block['unit']}".replace(" /", "/")

    def value(v: Any, unit: str) -> str:
        return "-" if v is None else f"{v} {unit}"

    act, rng, disp = doc["activity"], doc["range"], doc["display"]
    lines = [
        f"Activity {act['id']} ({act['type']}, {act['start_date_local']}), {rng['from']} → {rng['to']}",
        f"  duration        {fmt_dur(doc['duration_s'])} (recorded {fmt_dur(doc['recorded_s'])})",
        f"  distance        {show(disp['distance'])}",
        f"  elevation gain  {show(disp['elevation_gain'])}",
        f"  average power   {value(doc['average_power_w'], 'W')}",
        f"  normalized pwr  {value(doc['normalized_power_w'], 'W')}",
        f"  average HR      {value(doc['average_hr_bpm'], 'bpm')}",
        f"  average cadence {value(doc['average_cadence_rpm'], 'rpm')}",
        f"  average speed   {show(disp['speed'])}",
        f"  average pace    {show(disp['pace'])}",
    ]
    if doc["intensity_factor"] is not None:
        lines.append(
            f"  IF / TSS        {doc['intensity_factor']:.2f} / {doc['tss']} (FTP {doc['ftp_w']} W)"
        )
    else:
        lines.append("  IF / TSS        - (needs power and an FTP on the activity)")
    return "\n".join(lines)


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)
