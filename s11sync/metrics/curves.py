"""Athlete power/HR curves: the curve requests and the 28-day curve deltas (docs/metrics.md,
"Power curve delta", "HR curve delta" and "Sustainability profile").

Curve requests, as few calls as the API allows — one call per (endpoint, type):

* `power:Ride`  — power-curves `type=Ride`, the two 28-day delta windows, plus the 42-day
  sustainability window when cycling is active (one call, three curves);
* `hr:all`      — hr-curves without `type`, the two 28-day windows;
* per active sustainability family the remaining types over the 42-day window:
  power `VirtualRide`, HR `Ride`/`VirtualRide`; `NordicSki` (never `VirtualSki`, not an API type);
  `Rowing`/`VirtualRow`.

Responses are `{"list": [curve, …]}`; curves are matched by their `id` (echo of the requested
`r.<start>.<end>` token). Power values are read from `watts`, falling back to `values`; HR from
`values` (the live API sends power in `watts`; `values` is read when `watts` is missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from s11sync.numbers import finite, pair_mean
from s11sync.sports import family_of, is_strava_stub

DELTA_WINDOW_DAYS = 28
SUS_WINDOW_DAYS = 42
MIN_VALID_ANCHORS = 3

POWER_ANCHORS: dict[str, int] = {"5s": 5, "60s": 60, "300s": 300, "1200s": 1200, "3600s": 3600}
HR_ANCHORS: dict[str, int] = {"60s": 60, "300s": 300, "1200s": 1200, "3600s": 3600}

# Sustainability families and the API types fetched for each, in fetch (= tie-break) order.
SUS_FAMILY_TYPES: dict[str, tuple[str, ...]] = {
    "cycling": ("Ride", "VirtualRide"),
    "ski": ("NordicSki",),
    "rowing": ("Rowing", "VirtualRow"),
}
DELTA_POWER_TYPE = "Ride"
HR_ALL_LABEL = "hr:all"


@dataclass(frozen=True)
class CurveRequest:
    """One /power-curves or /hr-curves call. `sport_type` None = no `type` parameter."""

    kind: str  # "power" | "hr"
    label: str  # key of the response in Snapshot.power_curves / hr_curves
    sport_type: str | None
    curves: tuple[str, ...]  # `curves=` tokens, e.g. "r.2026-10-29.2026-11-25"


def curve_label(kind: str, sport_type: str | None) -> str:
    """`power:Ride`, `hr:VirtualRow`, … ; `hr:all` for the untyped HR call."""
    return f"{kind}:{sport_type}" if sport_type else f"{kind}:all"


def curve_call_name(kind: str, label: str) -> str:
    """Name of a curve call in `Snapshot.failed` (`power_curves:power:Ride`, `hr_curves:hr:all`)."""
    return f"{kind}_curves:{label}"


def curve_id(start: date, end: date) -> str:
    return f"r.{start.isoformat()}.{end.isoformat()}"


def delta_windows(today: date) -> tuple[date, date, date, date]:
    """(current start, current end, previous start, previous end): T−27…T and T−55…T−28."""
    return (
        today - timedelta(days=27),
        today,
        today - timedelta(days=55),
        today - timedelta(days=28),
    )


def sustainability_window(today: date) -> tuple[date, date]:
    """T−41 … T (42 dates)."""
    return today - timedelta(days=SUS_WINDOW_DAYS - 1), today


def activities_28d(today: date, activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Activities (no Strava stubs) dated T−27 … T."""
    lo, hi = (today - timedelta(days=27)).isoformat(), today.isoformat()
    out = []
    for activity in activities:
        if not isinstance(activity, dict) or is_strava_stub(activity):
            continue
        start = activity.get("start_date_local")
        if isinstance(start, str) and lo <= start[:10] <= hi:
            out.append(activity)
    return out


def active_sustainability_families(today: date, activities: list[dict[str, Any]]) -> list[str]:
    """Sustainability families with at least one activity in the 28-day list, in fetch order."""
    present = {family_of(a.get("type")) for a in activities_28d(today, activities)}
    return [family for family in SUS_FAMILY_TYPES if family in present]


def curve_requests(today: date, activities: list[dict[str, Any]]) -> list[CurveRequest]:
    """The curve calls of one run, fewest possible: one per (endpoint, type) needed."""
    cur_start, cur_end, prev_start, prev_end = delta_windows(today)
    delta_ids = (curve_id(cur_start, cur_end), curve_id(prev_start, prev_end))
    sus_id = curve_id(*sustainability_window(today))
    families = active_sustainability_families(today, activities)
    sus_types = [t for f in families for t in SUS_FAMILY_TYPES[f]]

    ride_curves = delta_ids + ((sus_id,) if DELTA_POWER_TYPE in sus_types else ())
    requests = [
        CurveRequest(
            "power", curve_label("power", DELTA_POWER_TYPE), DELTA_POWER_TYPE, ride_curves
        ),
        CurveRequest("hr", HR_ALL_LABEL, None, delta_ids),
    ]
    for family in families:  # per family: power types, then HR types
        for sport_type in SUS_FAMILY_TYPES[family]:
            if sport_type != DELTA_POWER_TYPE:  # Ride's 42-day power curve rides in the delta call
                requests.append(
                    CurveRequest("power", curve_label("power", sport_type), sport_type, (sus_id,))
                )
        for sport_type in SUS_FAMILY_TYPES[family]:
            requests.append(
                CurveRequest("hr", curve_label("hr", sport_type), sport_type, (sus_id,))
            )
    return requests


# --- reading responses -------------------------------------------------------------------------


def curves_by_id(response: Any) -> dict[str, dict[str, Any]]:
    """Curves of a response keyed by `id` (no id → ignored; duplicate id → last wins)."""
    if not isinstance(response, dict) or not isinstance(response.get("list"), list):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for curve in response["list"]:
        if isinstance(curve, dict) and isinstance(curve.get("id"), str):
            out[curve["id"]] = curve
    return out


def _value_array(curve: dict[str, Any], kind: str) -> list[Any]:
    """Power: `watts`, else `values` (an answer without `watts`). HR: `values`."""
    if kind == "power":
        watts = curve.get("watts")
        if isinstance(watts, list) and watts:
            return watts
    values = curve.get("values")
    return values if isinstance(values, list) else []


def curve_value(curve: dict[str, Any] | None, secs: int, kind: str) -> Any:
    """Value at the first exact `secs` (no interpolation); None unless a number > 0."""
    if curve is None:
        return None
    durations = curve.get("secs")
    if not isinstance(durations, list):
        return None
    values = _value_array(curve, kind)
    for i, duration in enumerate(durations):
        if finite(duration) is not None and duration == secs:
            if i >= len(values):
                return None
            value = values[i]
            checked = finite(value)
            return value if checked is not None and checked > 0 else None
    return None


# --- deltas ------------------------------------------------------------------------------------

_POWER_NOTE = (
    "Compares mean-maximal power at 5 anchor durations (5s neuromuscular, 60s anaerobic, 300s "
    "MAP, 1200s threshold, 3600s endurance) between two 28-day windows (cycling, type Ride). "
    "rotation_index = mean(5s, 60s pct_change) - mean(1200s, 3600s pct_change): positive = "
    "sprint-biased shift, negative = endurance-biased; 300s is reported but not part of rotation."
    " Needs 3+ valid anchors in each window; |pct_change| < 1.5 = normal variation."
)
_HR_NOTE = (
    "Compares maximal sustained HR at 4 anchor durations (60s, 300s, 1200s, 3600s) between two "
    "28-day windows (all sports). rotation_index = mean(60s, 300s pct_change) - mean(1200s, 3600s"
    " pct_change): positive = intensity-biased shift. Rising sustained HR is ambiguous: it can "
    "mean more fitness or fatigue, heat or dehydration. Needs 3+ valid anchors in each window."
)


def _pct(cur: Any, prev: Any) -> float | None:
    if cur is None or prev is None:
        return None
    return round((cur - prev) / prev * 100, 1)


def _delta_block(response: Any, today: date, kind: str) -> dict[str, Any]:
    what = "power" if kind == "power" else "HR"
    anchors_spec = POWER_ANCHORS if kind == "power" else HR_ANCHORS
    unit = "watts" if kind == "power" else "bpm"
    block: dict[str, Any] = {"window_days": DELTA_WINDOW_DAYS}
    cur_start, cur_end, prev_start, prev_end = delta_windows(today)
    block["current_window"] = {"start": cur_start.isoformat(), "end": cur_end.isoformat()}
    block["previous_window"] = {"start": prev_start.isoformat(), "end": prev_end.isoformat()}

    def null_block(note: str) -> dict[str, Any]:
        return {**block, "anchors": None, "rotation_index": None, "note": note}

    by_id = curves_by_id(response)
    if not by_id:
        return null_block(f"insufficient {what} data in one or both windows")
    cur = by_id.get(curve_id(cur_start, cur_end))
    prev = by_id.get(curve_id(prev_start, prev_end))
    missing = [name for name, curve in (("current", cur), ("previous", prev)) if curve is None]
    if missing:
        return null_block(f"no {what} curve returned for the {' and '.join(missing)} window")

    anchors: dict[str, dict[str, Any]] = {}
    n_cur = n_prev = 0
    for label, secs in anchors_spec.items():
        c, p = curve_value(cur, secs, kind), curve_value(prev, secs, kind)
        n_cur += c is not None
        n_prev += p is not None
        anchors[label] = {f"current_{unit}": c, f"previous_{unit}": p, "pct_change": _pct(c, p)}
    if n_cur < MIN_VALID_ANCHORS or n_prev < MIN_VALID_ANCHORS:
        return null_block(
            f"insufficient {what} data: {n_cur} valid anchors in the current window and {n_prev} "
            f"in the previous window (need 3+ in each)"
        )
    short = ("5s", "60s") if kind == "power" else ("60s", "300s")
    pct = {label: anchors[label]["pct_change"] for label in anchors}
    fast, slow = pair_mean(pct[short[0]], pct[short[1]]), pair_mean(pct["1200s"], pct["3600s"])
    rotation = None if fast is None or slow is None else round(fast - slow, 1)
    return {
        **block,
        "anchors": anchors,
        "rotation_index": rotation,
        "note": _POWER_NOTE if kind == "power" else _HR_NOTE,
    }


def build_power_curve_delta(response: Any, today: date) -> dict[str, Any]:
    """`capability.power_curve_delta` from the `power:Ride` response (None = not fetched)."""
    return _delta_block(response, today, "power")


def build_hr_curve_delta(response: Any, today: date) -> dict[str, Any]:
    """`capability.hr_curve_delta` from the untyped `hr:all` response (None = not fetched)."""
    return _delta_block(response, today, "hr")
