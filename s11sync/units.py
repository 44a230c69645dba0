"""The one display-conversion module (docs/differences.md, "Dates, windows and units").

Canonical output values are SI/metric; this module turns them into `{"value", "unit"}` companions in
the athlete's preferred units. Everything that shows a value in athlete units goes through here, so a
change of assumption about the units the API serves is a change in one place.
"""

from __future__ import annotations

import math
from typing import Any

from s11sync.numbers import rnd

# athlete record enum -> our short unit label; looked up with the raw API values
_WIND_UNITS: dict[Any, str] = {
    "MPS": "m/s",
    "KMH": "km/h",
    "KPH": "km/h",
    "MPH": "mph",
    "KNOTS": "kn",
    "BFT": "bft",
}
_RAIN_UNITS: dict[Any, str] = {"MM": "mm", "INCHES": "in"}

METRIC_UNITS: dict[str, str] = {
    "wind": "m/s",
    "temp": "c",
    "rain": "mm",
    "distance": "metric",
    "weight": "kg",
    "height": "cm",
}

# pace unit label -> metres per unit
PACE_UNIT_METRES: dict[str, float] = {
    "/km": 1000.0,
    "/mi": 1609.344,
    "/100m": 100.0,
    "/100y": 91.44,
    "/500m": 500.0,
}
# Intervals.icu `pace_units` enum -> pace unit label
PACE_UNITS_LABEL: dict[str, str] = {
    "MINS_KM": "/km",
    "MINS_MILE": "/mi",
    "SECS_100M": "/100m",
    "SECS_100Y": "/100y",
    "SECS_500M": "/500m",
}

BEAUFORT_THRESHOLDS_MPS = (0.5, 1.6, 3.4, 5.5, 8.0, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7)

KM_TO_MI = 0.621371
M_TO_FT = 3.28084
KG_TO_LB = 2.20462
M_TO_IN = 39.3701
MPS_TO = {"m/s": 1.0, "km/h": 3.6, "mph": 2.23694, "kn": 1.94384}


def athlete_units(athlete: dict[str, Any] | None) -> dict[str, str]:
    """Display preferences from the athlete record; a missing record gives all metric."""
    if not athlete:
        return dict(METRIC_UNITS)
    measurement = athlete.get("measurement_preference")
    return {
        "wind": _WIND_UNITS.get(athlete.get("wind_speed"), "m/s"),
        "temp": "f" if athlete.get("fahrenheit") is True else "c",
        "rain": _RAIN_UNITS.get(athlete.get("rain"), "mm"),
        "distance": "metric" if measurement in (None, "meters") else "imperial",
        "weight": "lb" if athlete.get("weight_pref_lb") is True else "kg",
        "height": "in" if athlete.get("height_units") == "FEET" else "cm",
    }


def beaufort(mps: float) -> int:
    """Beaufort force: how many thresholds are at or below the speed in m/s."""
    return sum(1 for threshold in BEAUFORT_THRESHOLDS_MPS if threshold <= mps)


def pace_string(mps: float | None, unit: str = "/km") -> str | None:
    """m/s → 'm:ss' per unit (seconds rounded to whole); null when speed is null or ≤ 0."""
    if mps is None or not math.isfinite(mps) or mps <= 0:
        return None
    seconds = round(PACE_UNIT_METRES[unit] / mps)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def pace_unit_for(pace_units: str | None, default: str = "/km") -> str:
    """Intervals.icu `pace_units` (MINS_KM…) → display unit label."""
    return PACE_UNITS_LABEL.get(pace_units or "", default)


def convert_wind(mps: float, unit: str) -> float:
    """Wind speed from m/s to `unit` (unrounded); Beaufort gives the force number."""
    if unit == "bft":
        return beaufort(mps)
    return mps * MPS_TO.get(unit, 1.0)


def convert_temp(celsius: float, unit: str) -> float:
    return celsius * 9 / 5 + 32 if unit == "f" else celsius


def convert_rain(mm: float, unit: str) -> float:
    return mm / 25.4 if unit == "in" else mm


def to_display(
    value: float | None,
    kind: str,
    units: dict[str, str] | None = None,
    *,
    pace_unit: str | None = None,
) -> dict[str, Any] | None:
    """Canonical value → `{"value", "unit"}` in the athlete's units, or None when value is None.

    Canonical inputs: distance km, elevation m, elevation_per_distance m/km, weight kg, height m,
    speed km/h, temperature °C, wind m/s, rain mm, pace m/s (unit from `pace_unit`, else /km or /mi
    by distance preference).
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    units = units or METRIC_UNITS
    if kind == "distance":
        if units.get("distance") == "imperial":
            return {"value": rnd(value * KM_TO_MI, 2), "unit": "mi"}
        return {"value": rnd(value, 2), "unit": "km"}
    if kind == "elevation":
        if units.get("distance") == "imperial":
            return {"value": rnd(value * M_TO_FT), "unit": "ft"}
        return {"value": rnd(value), "unit": "m"}
    if kind == "elevation_per_distance":
        if units.get("distance") == "imperial":
            return {"value": rnd(value * 5.28), "unit": "ft/mi"}
        return {"value": rnd(value), "unit": "m/km"}
    if kind == "weight":
        if units.get("weight") == "lb":
            return {"value": rnd(value * KG_TO_LB, 1), "unit": "lb"}
        return {"value": rnd(value, 1), "unit": "kg"}
    if kind == "height":
        if units.get("height") == "in":
            return {"value": rnd(value * M_TO_IN), "unit": "in"}
        return {"value": rnd(value * 100), "unit": "cm"}
    if kind == "speed":
        if units.get("distance") == "imperial":
            return {"value": rnd(value * KM_TO_MI, 1), "unit": "mph"}
        return {"value": rnd(value, 1), "unit": "km/h"}
    if kind == "temperature":
        if units.get("temp") == "f":
            return {"value": rnd(convert_temp(value, "f"), 1), "unit": "°F"}
        return {"value": rnd(value, 1), "unit": "°C"}
    if kind == "wind":
        unit = units.get("wind", "m/s")
        if unit == "bft":
            return {"value": beaufort(value), "unit": "bft"}
        return {"value": rnd(convert_wind(value, unit), 1), "unit": unit}
    if kind == "rain":
        if units.get("rain") == "in":
            return {"value": rnd(value / 25.4, 2), "unit": "in"}
        return {"value": rnd(value, 1), "unit": "mm"}
    if kind == "pace":
        unit = pace_unit or ("/mi" if units.get("distance") == "imperial" else "/km")
        text = pace_string(value, unit)
        return None if text is None else {"value": text, "unit": unit}
    raise ValueError(f"unknown display kind {kind!r}")


# The one place that decides which `display` companions latest.json keeps: a companion stays only
# when it says something its raw value does not — another unit or a formatted pace/time. Repeating
# the raw value cost tokens and said nothing (tests/outputs/test_units.py pins the rule).
# display key -> the raw sibling keys it may repeat, each with the raw value's unit as display labels it.
_RAW_SIBLINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "distance": (("distance_km", "km"),),
    "total_distance": (("total_distance_km", "km"),),
    "position": (("position_km", "km"),),
    "elevation": (("elevation_m", "m"),),
    "total_elevation": (("total_elevation_m", "m"),),
    "elevation_per_distance": (("elevation_per_km", "m/km"),),
    "weight": (("weight_kg", "kg"),),
    "weight_latest": (("weight_latest_kg", "kg"),),
    "weight_7d_avg": (("weight_7d_avg_kg", "kg"),),
    "weight_28d_slope_per_week": (("weight_28d_slope_kg_per_week", "kg/week"),),
    "avg_weight": (("avg_weight_kg", "kg"),),
    "avg_speed": (("avg_speed", "km/h"),),
    "max_speed": (("max_speed", "km/h"),),
    "avg_temp": (("avg_temp", "°C"),),
    "wind_speed": (("wind_speed", "m/s"),),
}
# `<raw>_unit` labels of recent_activities -> the display unit label they equal
_UNIT_FIELD_LABELS = {"KPH": "km/h", "MPS": "m/s", "C": "°C", "F": "°F", "MPH": "mph"}


def repeats_raw(key: str, companion: Any, parent: dict[str, Any]) -> bool:
    """True when display[key] adds nothing to `parent`: it is null (the raw value is null too) or it
    is a number in the very unit of its raw sibling (a rounding of the same value)."""
    if companion is None:
        return True
    if not isinstance(companion, dict) or isinstance(companion.get("value"), str):
        return False  # formatted pace/time strings always stay
    for raw_key, raw_unit in _RAW_SIBLINGS.get(key, ()):
        if raw_key not in parent or parent[raw_key] is None:
            continue
        unit_field = parent.get(f"{raw_key}_unit")
        if unit_field is not None:
            raw_unit = _UNIT_FIELD_LABELS.get(unit_field, unit_field)
        if companion.get("unit") == raw_unit:
            return True
    return False


def prune_display(node: Any) -> Any:
    """Drop the `display` companions that only repeat their raw value, everywhere in `node`
    (in place; returns it). A `display` object left empty is removed."""
    if isinstance(node, list):
        for item in node:
            prune_display(item)
    elif isinstance(node, dict):
        shown = node.get("display")
        if isinstance(shown, dict):
            kept = {k: v for k, v in shown.items() if not repeats_raw(k, v, node)}
            if kept:
                node["display"] = kept
            else:
                del node["display"]
        for value in node.values():
            prune_display(value)
    return node
