"""Gated body-weight / W/kg signal, `current_status.weight` (docs/metrics.md, "Weight").

Every field has its own gate and is absent (not null) when the gate fails; with no field left the
whole block is absent (`build_weight` returns None). FTP falls back tested → eFTP, never indoor FTP.
The sustainability profile picks its FTP and weight by other rules on purpose: the fields mean
different things (docs/metrics.md, "Weight").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from s11sync.metrics.thresholds import cycling_ftp, ride_power_model, thresholds_by_sport
from s11sync.numbers import finite, mean
from s11sync.snapshot import Snapshot
from s11sync.units import KG_TO_LB, to_display

LATEST_MAX_AGE_DAYS = 14
MIN_ENTRIES_7D = 4
MIN_ENTRIES_SLOPE = 14
WINDOW_DAYS = 28


def weight_entries(wellness: list[dict[str, Any]], today: date) -> list[tuple[date, float]]:
    """(date, kg) of wellness records dated T−27 … T with a non-zero weight, newest first."""
    lo = today - timedelta(days=WINDOW_DAYS - 1)
    entries = []
    for record in wellness:
        if not isinstance(record, dict):
            continue
        kg = finite(record.get("weight"))
        if kg is None or kg == 0:
            continue
        try:
            day = date.fromisoformat(str(record.get("id"))[:10])
        except ValueError:
            continue
        if lo <= day <= today:
            entries.append((day, kg))
    return sorted(entries, key=lambda entry: entry[0], reverse=True)


def ols_slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y on x; None when all x are equal."""
    x_mean = mean([x for x, _ in points])
    y_mean = mean([y for _, y in points])
    sxx = sum((x - x_mean) ** 2 for x, _ in points)
    if sxx <= 0:
        return None
    return sum((x - x_mean) * (y - y_mean) for x, y in points) / sxx


def _newest_key(series: Any) -> str | None:
    if not isinstance(series, dict):
        return None
    keys = []
    for key in series:
        try:
            keys.append(date.fromisoformat(str(key)[:10]).isoformat())
        except ValueError:
            continue
    return max(keys) if keys else None


def _weight_display(kg: float, unit: str) -> dict[str, Any]:
    """Through the one conversion module (units.py), like every value in athlete units."""
    shown = to_display(kg, "weight", {"weight": unit})
    assert shown is not None  # kg is a number here
    return shown


def build_weight(
    snap: Snapshot, ftp_history: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """`current_status.weight`, or None when no field passes its gate (key absent).

    Reads wellness `id`/`weight` (28 days), today's `sportInfo` Ride `eftp`, athlete `sportSettings`
    (cycling `ftp`) and `weight_pref_lb`; `ftp_history` is the updated FTP change log (for
    `ftp_setting_date`).
    """
    today = snap.today
    entries = weight_entries(snap.wellness, today)
    if not entries:
        return None
    unit = "lb" if (snap.athlete or {}).get("weight_pref_lb") else "kg"
    tested, _ = cycling_ftp(thresholds_by_sport(snap.athlete))
    tested = tested if finite(tested) is not None and tested > 0 else None
    eftp = ride_power_model(snap.wellness, today)["eftp"]
    ftp, ftp_source = (tested, "tested") if tested else (eftp, "eftp") if eftp else (None, None)

    out: dict[str, Any] = {}
    display: dict[str, Any] = {}
    latest_day, latest_kg = entries[0]
    if 0 <= (today - latest_day).days <= LATEST_MAX_AGE_DAYS:
        latest_rounded = round(latest_kg, 1)
        out["weight_latest_kg"] = latest_rounded
        out["weight_latest_date"] = latest_day.isoformat()
        display["weight_latest"] = _weight_display(latest_kg, unit)
        if ftp is not None and latest_rounded > 0:
            out["wkg_current"] = round(ftp / latest_rounded, 2)
            out["wkg_ftp_source"] = ftp_source
            history = ftp_history or {}
            setting_date = _newest_key(history.get("outdoor")) or _newest_key(history.get("indoor"))
            if ftp_source == "tested" and setting_date is not None:
                out["ftp_setting_date"] = setting_date

    start_lo = today - timedelta(days=WINDOW_DAYS - 1)
    block_start = [
        kg for day, kg in reversed(entries) if start_lo <= day <= start_lo + timedelta(days=3)
    ]
    block_end = [kg for day, kg in entries if today - timedelta(days=3) <= day <= today]
    if ftp is not None and block_start and block_end:
        wkg_start = round(ftp / block_start[0], 2)
        wkg_end = round(ftp / block_end[0], 2)
        out["wkg_block_start"] = wkg_start
        out["wkg_block_end"] = wkg_end
        out["wkg_block_delta"] = round(wkg_end - wkg_start, 2)

    recent = [kg for day, kg in entries if day >= today - timedelta(days=6)]
    if len(recent) >= MIN_ENTRIES_7D:
        avg = mean(recent)
        out["weight_7d_avg_kg"] = round(avg, 1)
        display["weight_7d_avg"] = _weight_display(avg, unit)

    if len(entries) >= MIN_ENTRIES_SLOPE:
        slope = ols_slope([(float((day - start_lo).days), kg) for day, kg in reversed(entries)])
        if slope is not None:
            per_week = slope * 7
            out["weight_28d_slope_kg_per_week"] = round(per_week, 3)
            display["weight_28d_slope_per_week"] = (
                {"value": round(per_week * KG_TO_LB, 3), "unit": "lb/week"}
                if unit == "lb"
                else {"value": round(per_week, 3), "unit": "kg/week"}
            )
    if display:
        out["display"] = display
    return out or None
