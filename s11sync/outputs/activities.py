"""recent_activities (outputs-latest §12): one object per activity of the last max(28, D) days.

Fields that other parts compute (effort response, DFA, terrain, chat notes…) arrive through
`extras[activity_id]`; when a field is not given it is derived here from the activity record where
§12 defines a direct source, else it follows its presence rule (absent for cond/opt, null otherwise).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.numbers import rnd
from s11sync.outputs.chat_notes import message_texts, notes_for
from s11sync.outputs.planned import split_note_lines
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
_MISSING = object()


def effort_response(intensity: float | None, rpe: float | None) -> str | None:
    """RPE against the band expected for the IF (§12.4): positive / neutral / negative, or None."""
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
    """HR, power (Z1–Z7, SS dropped) and pace zone seconds (§12.5); None when all are empty."""
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
    """The activity name every output file shows (§20.2): with anonymisation on, an outdoor
    activity's name is replaced by its type. The one anonymisation rule for names."""
    activity_type = activity.get("type") if activity.get("type") is not None else "Unknown"
    if anonymize and is_outdoor(activity):
        return str(activity_type)
    name = activity.get("name")
    return name if isinstance(name, str) else ""


def pace_of(activity_type: Any, speed: Any) -> tuple[int | None, str | None, str | None]:
    """(seconds per family unit, canonical unit label, display unit) or Nones (§12.2 decision):
    run and walk per km, swim per 100 m, rowing per 500 m; other families have no pace."""
    spec = _PACE.get(family_of(activity_type))
    if spec is None or not isinstance(speed, (int, float)) or isinstance(speed, bool) or speed <= 0:
        return None, None, None
    metres, label, display_unit = spec
    return rnd(metres / speed), label, display_unit


def _pace(activity: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    return pace_of(activity.get("type"), activity.get("average_speed"))


def _hrrc(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("hrr") if value.get("hrr") is not None else value.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _speed_kmh(mps: Any) -> float | None:
    """Unrounded km/h from m/s (truthy test, §12.2); r1 for the canonical field, raw for display."""
    return mps * 3.6 if mps else None


def weather_summary(activity: dict[str, Any], units: dict[str, str]) -> dict[str, Any]:
    """The weather block of §12.7, converted from SI to the units it declares."""
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
    """Copy of a terrain summary without start/end coordinates (anonymisation, D-T14)."""
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
    """Message texts per D-I4 (one filter for the whole project: `chat_notes.message_texts`)."""
    return message_texts(messages if isinstance(messages, list) else [])


def _interval_flags(activity_id: Any, intervals_doc: dict[str, Any] | None) -> dict[str, Any]:
    """has_intervals / has_dfa from this run's intervals.json (§12.8); dfa_summary is an extra."""
    if not isinstance(intervals_doc, dict):
        return {}
    entry = next(
        (
            e
            for e in intervals_doc.get("activities") or []
            if isinstance(e, dict) and str(e.get("activity_id")) == str(activity_id)
        ),
        None,
    )
    if entry is None:
        return {"has_intervals": False, "has_dfa": False}
    dfa = entry.get("dfa")
    flags: dict[str, Any] = {
        "has_intervals": any(
            isinstance(i, dict) and i.get("type") == "WORK" for i in entry.get("intervals") or []
        ),
        "has_dfa": isinstance(dfa, dict) and bool(dfa),
    }
    return flags


def format_activity(
    activity: dict[str, Any],
    extras: dict[str, Any],
    units: dict[str, str],
    *,
    anonymize: bool,
    today: date,
    messages: dict[str, list] | None = None,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One recent_activities entry in the §12.2 key order."""
    a = activity

    def extra(key: str, default: Any) -> Any:
        return extras.get(key, default)

    outdoor = is_outdoor(a)
    activity_type = a.get("type") if a.get("type") is not None else "Unknown"
    name = public_name(a, anonymize=anonymize)
    moving = a.get("moving_time")
    distance_km = rnd((a.get("distance") or 0) / 1000, 2)
    # display companions convert the unrounded km/h (§4.3), the canonical fields are r1
    avg_kmh, max_kmh = _speed_kmh(a.get("average_speed")), _speed_kmh(a.get("max_speed"))
    avg_speed, max_speed = rnd(avg_kmh, 1), rnd(max_kmh, 1)
    pace, pace_label, pace_display = _pace(a)
    if pace_display == "/km" and units.get("distance") == "imperial":
        pace_display = "/mi"
    avg_temp = a.get("average_weather_temp")
    if avg_temp is None:
        avg_temp = a.get("average_temp")
    decoupling = a.get("icu_hr_decoupling")
    if decoupling is None:
        decoupling = a.get("decoupling")
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
        # issue 16: the value is a percentage of threshold (IF 0.85 is 85); the unit says so
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
            "variability_index": extra("variability_index", a.get("icu_variability_index")),
            "decoupling": extra("decoupling", decoupling),
            "efficiency_factor": extra("efficiency_factor", a.get("icu_efficiency_factor")),
            "hrrc": extra("hrrc", _hrrc(a.get("icu_hrr"))),
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
            "feel_label": feel_label(a.get("feel")),  # issue 16: 1 = Strong (best) … 5 = Weak
            "rpe": a.get("icu_rpe"),
            "effort_response": extra(
                "effort_response", effort_response(a.get("icu_intensity"), a.get("icu_rpe"))
            ),
            "zone_distribution": zone_distribution(a),
            "has_intervals": extra("has_intervals", False),
            "has_dfa": extra("has_dfa", False),
        }
    )
    if extras.get("dfa_summary") is not None:
        out["dfa_summary"] = extras["dfa_summary"]
    if outdoor:
        for key in TERRAIN_KEYS:
            if extras.get(key) is not None:
                value = copy.deepcopy(extras[key])
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
    chat = extras.get("chat_notes", _MISSING)
    if chat is _MISSING:
        chat = _own_chat_notes(a, today, messages, previous)
    if chat:
        out["chat_notes"] = list(chat)
    return out


def _own_chat_notes(
    activity: dict[str, Any],
    today: date,
    messages: dict[str, list] | None,
    previous: dict[str, Any] | None = None,
) -> list[str]:
    """Chat window only: this run's messages, else the previous latest.json's notes (D-I4)."""
    return notes_for(activity, today, messages or {}, (previous or {}).get("chat_notes"))


def previous_records(prev_latest: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """recent_activities of the previous latest.json keyed by str(id); {} when absent or odd."""
    records = (
        (prev_latest or {}).get("recent_activities") if isinstance(prev_latest, dict) else None
    )
    if not isinstance(records, list):
        return {}
    return {str(r.get("id")): r for r in records if isinstance(r, dict)}


def recent_activity_list(snap: Snapshot) -> list[dict[str, Any]]:
    """Activities of the last max(28, D) days (no stubs), newest first by (start, id)."""
    chosen = activities_in_days(snap, max(EXTENDED_DAYS, snap.days))
    return sorted(
        chosen, key=lambda a: (a.get("start_date_local") or "", str(a.get("id"))), reverse=True
    )


def build_recent_activities(
    snap: Snapshot,
    units: dict[str, str],
    *,
    anonymize: bool,
    activity_extras: dict[str, dict[str, Any]] | None = None,
    intervals_doc: dict[str, Any] | None = None,
    prev_latest: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    extras_by_id: dict[Any, dict[str, Any]] = activity_extras or {}  # looked up by the raw id too
    previous = previous_records(prev_latest)
    out = []
    for activity in recent_activity_list(snap):
        activity_id = activity.get("id")
        extras = dict(_interval_flags(activity_id, intervals_doc))
        given = extras_by_id.get(activity_id)
        if given is None:
            given = extras_by_id.get(str(activity_id), {})
        extras.update(given)
        out.append(
            format_activity(
                activity,
                extras,
                units,
                anonymize=anonymize,
                today=snap.today,
                messages=snap.messages,
                previous=previous.get(str(activity_id)),
            )
        )
    return out
