"""recent_activities (docs/files.md, "`latest.json`"): one object per activity of the last
max(28, D) days.

Fields computed elsewhere (physiology, interval flags, DFA summary, terrain, chat notes) are made
by `activity_extras`, their one producer, and reach `format_activity` as `ActivityExtras`; nothing
here recomputes or defaults them. The other fields are read from the activity record.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.metrics.dfa_profile import dfa_summary
from s11sync.metrics.physiology import activity_physiology
from s11sync.numbers import rnd
from s11sync.outputs.chat_notes import message_texts
from s11sync.outputs.parts import ActivityExtras
from s11sync.outputs.planned import split_note_lines
from s11sync.outputs.run_context import RunContext
from s11sync.scales import feel_label
from s11sync.snapshot import Snapshot
from s11sync.sports import family_of, is_outdoor
from s11sync.units import convert_rain, convert_temp, convert_wind, to_display
from s11sync.windows import EXTENDED_DAYS, activities_in_days

TERRAIN_KEYS = ("terrain_summary", "terrain_status", "terrain_error")
_PACE = {
    "run": (1000.0, "s/km", "/km"),
    "walk": (1000.0, "s/km", "/km"),
    "swim": (100.0, "s/100m", "/100m"),
    "rowing": (500.0, "s/500m", "/500m"),
}


def effort_response(intensity: float | None, rpe: float | None) -> str | None:
    """RPE against the band expected for the IF (docs/metrics.md, "Effort response"): positive /
    neutral / negative, or None."""
    if intensity is None or rpe is None or rpe <= 0:
        return None
    factor = intensity / 100
    if factor < 0.65:
        return None
    if factor < 0.75:
        low, high = 2, 4
    elif factor < 0.85:
        low, high = 4, 6
    elif factor < 0.95:
        low, high = 6, 8
    elif factor < 1.05:
        low, high = 8, 9
    else:
        low, high = 9, 10
    if rpe < low:
        return "positive"
    if rpe > high:
        return "negative"
    return "neutral"


def _zone_map(values: Any) -> dict[str, int]:
    if not isinstance(values, list):
        return {}
    return {f"z{i + 1}_time": (v if v is not None else 0) for i, v in enumerate(values[:7])}


def zone_distribution(activity: dict[str, Any]) -> dict[str, Any] | None:
    """HR, power (Z1–Z7, SS dropped) and pace zone seconds; None when all are empty."""
    out: dict[str, Any] = {}
    hr = _zone_map(activity.get("icu_hr_zone_times"))
    if hr:
        out["hr_zones"] = hr
    power: dict[str, int] = {}
    for zone in activity.get("icu_zone_times") or []:
        if not isinstance(zone, dict) or not isinstance(zone.get("id"), str):
            continue
        zone_id = zone["id"].lower()
        if zone_id in {f"z{i}" for i in range(1, 8)}:
            secs = zone.get("secs")
            power[f"{zone_id}_time"] = secs if secs is not None else 0
    if power:
        out["power_zones"] = power
    key = "gap_zone_times" if activity.get("use_gap_zone_times") is True else "pace_zone_times"
    pace = _zone_map(activity.get(key))
    if pace:
        out["pace_zones"] = pace
    return out or None


def public_name(activity: dict[str, Any], *, anonymize: bool) -> str:
    """The activity name every output file shows: with anonymisation on, an outdoor
    activity's name is replaced by its type. The one anonymisation rule for names."""
    activity_type = activity.get("type") if activity.get("type") is not None else "Unknown"
    if anonymize and is_outdoor(activity):
        return str(activity_type)
    name = activity.get("name")
    return name if isinstance(name, str) else ""


def pace_of(activity_type: Any, speed: Any) -> tuple[int | None, str | None, str | None]:
    """(seconds per family unit, canonical unit label, display unit) or Nones:
    run and walk per km, swim per 100 m, rowing per 500 m; other families have no pace."""
    spec = _PACE.get(family_of(activity_type))
    if spec is None or not isinstance(speed, (int, float)) or isinstance(speed, bool) or speed <= 0:
        return None, None, None
    metres, label, display_unit = spec
    return rnd(metres / speed), label, display_unit


def _pace(activity: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    return pace_of(activity.get("type"), activity.get("average_speed"))


def _speed_kmh(mps: Any) -> float | None:
    """Unrounded km/h from m/s (0 and null give None); r1 for the canonical field, raw for display."""
    return mps * 3.6 if mps else None


def weather_summary(activity: dict[str, Any], units: dict[str, str]) -> dict[str, Any]:
    """The weather block, converted from SI to the units it declares."""
    wind, temp, rain = units.get("wind", "m/s"), units.get("temp", "c"), units.get("rain", "mm")

    def conv(key: str, fn) -> Any:
        value = activity.get(key)
        if value is None:
            return None
        value = fn(value)
        return round(value, 2) if isinstance(value, float) else value

    def wind_(v):
        return convert_wind(v, wind)

    def temp_(v):
        return convert_temp(v, temp)

    def rain_(v):
        return convert_rain(v, rain)

    def same(v):
        return v

    return {
        "source": "intervals_open_meteo",
        "units": {"wind": wind, "temp": temp, "rain": rain},
        "avg_wind_speed": conv("average_wind_speed", wind_),
        "avg_wind_gust": conv("average_wind_gust", wind_),
        "prevailing_wind_deg": conv("prevailing_wind_deg", same),
        "headwind_pct": conv("headwind_percent", same),
        "tailwind_pct": conv("tailwind_percent", same),
        "avg_temp": conv("average_weather_temp", temp_),
        "avg_temp_device": conv("average_temp", temp_),
        "avg_feels_like": conv("average_feels_like", temp_),
        "min_feels_like": conv("min_feels_like", temp_),
        "max_feels_like": conv("max_feels_like", temp_),
        "min_temp": conv("min_weather_temp", temp_),
        "max_temp": conv("max_weather_temp", temp_),
        "clouds_pct": conv("average_clouds", same),
        "rain": conv("max_rain", rain_),
        "snow": conv("max_snow", rain_),
    }


def strip_terrain_coords(summary: Any) -> Any:
    """Copy of a terrain summary without start/end coordinates (anonymisation: no position of the
    athlete is published)."""
    if not isinstance(summary, dict):
        return summary
    out = {k: v for k, v in summary.items() if k != "start_coords"}
    for key, value in out.items():
        if isinstance(value, list):
            out[key] = [
                {k: v for k, v in seg.items() if k not in ("start_coords", "end_coords")}
                if isinstance(seg, dict)
                else seg
                for seg in value
            ]
    return out


def chat_notes_from(messages: Any) -> list[str]:
    """Message texts of an activity's chat (one filter for the whole project:
    `chat_notes.message_texts`)."""
    return message_texts(messages if isinstance(messages, list) else [])


def activity_extras(
    activity: Mapping[str, Any],
    *,
    interval_flags: Mapping[str, bool] | None = None,
    terrain: Mapping[str, Any] | None = None,
    dfa_block: Mapping[str, Any] | None = None,
    notes: list[str] | None = None,
) -> ActivityExtras:
    """The one producer of an activity's fields computed outside this module: physiology from
    the record, has_intervals / has_dfa from this run's intervals.json (False when the activity
    has no entry), the DFA summary, terrain and chat notes when there are any."""
    physiology = activity_physiology(dict(activity))
    flags = interval_flags or {}
    extras: ActivityExtras = {
        "variability_index": physiology["variability_index"],
        "decoupling": physiology["decoupling"],
        "efficiency_factor": physiology["efficiency_factor"],
        "hrrc": physiology["hrrc"],
        "has_intervals": bool(flags.get("has_intervals", False)),
        "has_dfa": bool(flags.get("has_dfa", False)),
    }
    summary = dfa_summary(dict(dfa_block) if dfa_block else None)
    if summary is not None:
        extras["dfa_summary"] = summary
    for key in TERRAIN_KEYS:
        if terrain and key in terrain:
            extras[key] = terrain[key]  # type: ignore[literal-required]
    if notes:
        extras["chat_notes"] = list(notes)
    return extras


def build_activity_extras(
    snap: Snapshot,
    *,
    interval_flags: Mapping[str, Mapping[str, bool]] | None = None,
    terrain: Mapping[str, Mapping[str, Any]] | None = None,
    dfa_blocks: Mapping[str, Mapping[str, Any]] | None = None,
    notes: Mapping[str, list[str]] | None = None,
) -> dict[str, ActivityExtras]:
    """`activity_extras` of every activity of the snapshot, keyed by str(id)."""
    out: dict[str, ActivityExtras] = {}
    for activity in snap.activities:
        key = str(activity.get("id"))
        out[key] = activity_extras(
            activity,
            interval_flags=(interval_flags or {}).get(key),
            terrain=(terrain or {}).get(key),
            dfa_block=(dfa_blocks or {}).get(key),
            notes=(notes or {}).get(key),
        )
    return out


def format_activity(
    activity: dict[str, Any], extras: ActivityExtras, units: dict[str, str], *, anonymize: bool
) -> dict[str, Any]:
    """One recent_activities entry, keys in the order of the schema (schemas/latest.schema.json).
    `extras` comes from `activity_extras`, the one producer of those fields."""
    a = activity

    outdoor = is_outdoor(a)
    activity_type = a.get("type") if a.get("type") is not None else "Unknown"
    name = public_name(a, anonymize=anonymize)
    moving = a.get("moving_time")
    distance_km = rnd((a.get("distance") or 0) / 1000, 2)
    # display companions convert the unrounded km/h, the canonical fields are r1
    avg_kmh, max_kmh = _speed_kmh(a.get("average_speed")), _speed_kmh(a.get("max_speed"))
    avg_speed, max_speed = rnd(avg_kmh, 1), rnd(max_kmh, 1)
    pace, pace_label, pace_display = _pace(a)
    if pace_display == "/km" and units.get("distance") == "imperial":
        pace_display = "/mi"
    avg_temp = a.get("average_weather_temp")
    if avg_temp is None:
        avg_temp = a.get("average_temp")
    joules = a.get("icu_joules")

    out: dict[str, Any] = {
        "id": str(a.get("id")),
        "date": a.get("start_date_local"),
        "type": activity_type,
        "name": name,
        "duration_hours": rnd((moving or 0) / 3600, 2),
        "duration_formatted": fmt_dur(moving),
        "distance_km": distance_km,
        "tss": a.get("icu_training_load"),
        "intensity_factor": a.get("icu_intensity"),
        # the value is a percentage of threshold (IF 0.85 is 85); the unit says so
        "intensity_factor_unit": "percent" if a.get("icu_intensity") is not None else None,
        "avg_power": a.get("icu_average_watts"),
        "normalized_power": a.get("icu_weighted_avg_watts"),
        "avg_hr": a.get("average_heartrate"),
        "max_hr": a.get("max_heartrate"),
        "avg_cadence": a.get("average_cadence"),
        "avg_speed": avg_speed,
        "avg_speed_unit": "KPH",
        "max_speed": max_speed,
        "max_speed_unit": "KPH",
        "avg_pace": pace,
    }
    if pace is not None:
        out["avg_pace_unit"] = pace_label
    out.update(
        {
            "avg_temp": avg_temp,
            "avg_temp_unit": "C",
            "weather": None,
            "humidity": None,
            "wind_speed": a.get("average_wind_speed"),
            "wind_speed_unit": "MPS",
            "work_kj": rnd(joules / 1000, 1) if joules else None,
            "calories": a.get("calories"),
            "carbs_used": a.get("carbs_used"),
            "carbs_ingested": a.get("carbs_ingested"),
            "variability_index": extras["variability_index"],
            "decoupling": extras["decoupling"],
            "efficiency_factor": extras["efficiency_factor"],
            "hrrc": extras["hrrc"],
            "elevation_m": a.get("total_elevation_gain"),
            "display": {
                "distance": to_display((a.get("distance") or 0) / 1000, "distance", units),
                "elevation": to_display(a.get("total_elevation_gain"), "elevation", units),
                "avg_speed": to_display(avg_kmh, "speed", units),
                "max_speed": to_display(max_kmh, "speed", units),
                "avg_temp": to_display(avg_temp, "temperature", units),
                "wind_speed": to_display(a.get("average_wind_speed"), "wind", units),
                "avg_pace": (
                    to_display(a.get("average_speed"), "pace", units, pace_unit=pace_display)
                    if pace is not None
                    else None
                ),
            },
            "feel": a.get("feel"),
            "feel_label": feel_label(a.get("feel")),  # 1 = Strong (best) … 5 = Weak
            "rpe": a.get("icu_rpe"),
            "effort_response": effort_response(a.get("icu_intensity"), a.get("icu_rpe")),
            "zone_distribution": zone_distribution(a),
            "has_intervals": extras["has_intervals"],
            "has_dfa": extras["has_dfa"],
        }
    )
    if extras.get("dfa_summary") is not None:
        out["dfa_summary"] = extras.get("dfa_summary")
    if outdoor:
        for key in TERRAIN_KEYS:
            if extras.get(key) is not None:
                value = copy.deepcopy(extras.get(key))
                out[key] = (
                    strip_terrain_coords(value) if anonymize and key == "terrain_summary" else value
                )
        if a.get("has_weather") is True:
            out["weather_summary"] = weather_summary(a, units)
        else:
            out["weather_status"] = "unavailable"
    description = a.get("description")
    if isinstance(description, str) and description.strip():
        out["description"] = description.strip()
        notes, _ = split_note_lines(description)
        if notes:
            out["coach_notes"] = notes
    chat = extras.get("chat_notes")
    if chat:
        out["chat_notes"] = list(chat)
    return out


def recent_activity_list(snap: Snapshot) -> list[dict[str, Any]]:
    """Activities of the last max(28, D) days (no stubs), newest first by (start, id)."""
    chosen = activities_in_days(snap, max(EXTENDED_DAYS, snap.days))
    return sorted(
        chosen, key=lambda a: (a.get("start_date_local") or "", str(a.get("id"))), reverse=True
    )


def build_recent_activities(
    snap: Snapshot, ctx: RunContext, activity_extras: Mapping[str, ActivityExtras]
) -> list[dict[str, Any]]:
    """recent_activities, newest first. Every listed activity must have its extras (keyed by
    str(id)): a missing entry is a wiring error and stops the run."""
    out = []
    for activity in recent_activity_list(snap):
        activity_id = str(activity.get("id"))
        if activity_id not in activity_extras:
            raise KeyError(f"no activity_extras for recent activity {activity_id}")
        out.append(
            format_activity(
                activity, activity_extras[activity_id], ctx.units, anonymize=ctx.anonymize
            )
        )
    return out
