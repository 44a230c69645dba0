"""The one display-conversion module (outputs-latest §4).

Canonical output values are SI/metric; this module turns them into `{"value", "unit"}` companions in
the athlete's preferred units. Everything that shows a value in athlete units goes through here, so a
change of assumption about API units (open question Q1) is a change in one place.
"""

from __future__ import annotations

import math
from typing import Any

from s11sync.fmt import rnd

# athlete record enum -> our short unit label (§4.2 decisions); looked up with raw API values
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
    """Display preferences from the athlete record; a missing record gives all metric (§4.2)."""
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
