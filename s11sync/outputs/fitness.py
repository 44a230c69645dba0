"""current_status.fitness and current_status.thresholds incl. per-family sports.

The rules are in docs/metrics.md, "Fitness" and "Thresholds".
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from s11sync.numbers import rnd
from s11sync.sports import FAMILIES, family_of
from s11sync.units import pace_unit_for, to_display
from s11sync.windows import record_date

CTL_DECAY = math.exp(-1 / 42)
ATL_DECAY = math.exp(-1 / 7)
LABEL_DECAYED_PLANNED = "Decayed from yesterday (today's planned workouts not yet completed)"
LABEL_API = "From Intervals.icu API (reflects completed workouts)"
LABEL_DECAYED_NO_WELLNESS = "Decayed from yesterday (today's wellness unavailable)"
PLANNED_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C")


def _decay(value: Any, factor: float) -> float | None:
    return None if value is None else rnd(value * factor, 2)


def build_fitness(
    today_rec: dict[str, Any] | None,
    yesterday_rec: dict[str, Any] | None,
    week_ago_rec: dict[str, Any] | None,
    events: list[dict[str, Any]],
    activities: list[dict[str, Any]],
    today: date,
) -> dict[str, Any]:
    """CTL/ATL/TSB/ramp with the "planned not yet done" decayed branch and labels A/B/C."""
    today_iso = today.isoformat()
    today_rec = today_rec or {}
    yday = yesterday_rec or {}
    decayed_ctl = _decay(yday.get("ctl"), CTL_DECAY)
    decayed_atl = _decay(yday.get("atl"), ATL_DECAY)
    planned_today = any(
        isinstance(e, dict)
        and e.get("category") in PLANNED_CATEGORIES
        and record_date(e) == today_iso
        for e in events
    )
    done_today = any(record_date(a) == today_iso for a in activities)
    week_ago_ctl = (week_ago_rec or {}).get("ctl")
    if planned_today and not done_today:
        ctl, atl, ramp, source = decayed_ctl, decayed_atl, None, LABEL_DECAYED_PLANNED
    else:
        api_ctl, api_atl, api_ramp = (
            today_rec.get("ctl"),
            today_rec.get("atl"),
            today_rec.get("rampRate"),
        )
        ctl = rnd(api_ctl, 2) if api_ctl is not None else decayed_ctl
        atl = rnd(api_atl, 2) if api_atl is not None else decayed_atl
        ramp = rnd(api_ramp, 2) if api_ramp is not None else None
        source = (
            LABEL_API if api_ctl is not None and api_atl is not None else LABEL_DECAYED_NO_WELLNESS
        )
    if ramp is None and ctl is not None and week_ago_ctl is not None:
        # never a "decayed" ramp (decaying a rate by the CTL factor means nothing): the CTL
        # change over the last 7 days
        ramp = rnd(ctl - week_ago_ctl, 2)
    tsb = rnd(ctl - atl, 2) if ctl is not None and atl is not None else None
    return {"ctl": ctl, "atl": atl, "tsb": tsb, "ramp_rate": ramp, "fitness_source": source}


def power_model(today_rec: dict[str, Any] | None) -> dict[str, Any]:
    """eFTP, W′ and Pmax from today's wellness `sportInfo` Ride entry.

    docs/metrics.md, "Power model", defines them."""
    info = (today_rec or {}).get("sportInfo") or []
    ride = next((s for s in info if isinstance(s, dict) and s.get("type") == "Ride"), {})
    eftp, w_prime, p_max = ride.get("eftp"), ride.get("wPrime"), ride.get("pMax")
    return {
        "eftp": rnd(eftp, 1) if eftp else None,
        "w_prime": rnd(w_prime) if w_prime else None,
        "w_prime_kj": rnd(w_prime / 1000, 1) if w_prime else None,
        "p_max": rnd(p_max) if p_max else None,
    }


_COUNTED = ("lthr", "max_hr", "threshold_pace", "ftp", "ftp_indoor")


def build_sports(athlete: dict[str, Any] | None) -> dict[str, Any]:
    """Best sport-settings candidate per family (most non-null of 5 fields; tie → smallest type)."""
    best: dict[str, tuple[int, str, dict[str, Any]]] = {}
    for setting in (athlete or {}).get("sportSettings") or []:
        if not isinstance(setting, dict):
            continue
        pace = setting.get("threshold_pace") or None
        candidate = {
            "lthr": setting.get("lthr"),
            "max_hr": setting.get("max_hr"),
            "threshold_pace": pace,
            "pace_units": setting.get("pace_units") if pace is not None else None,
            "ftp": setting.get("ftp") or None,
            "ftp_indoor": setting.get("indoor_ftp") or None,
        }
        score = sum(1 for key in _COUNTED if candidate[key] is not None)
        for type_name in setting.get("types") or []:
            if not isinstance(type_name, str):
                continue
            family = family_of(type_name)
            current = best.get(family)
            if (
                current is None
                or score > current[0]
                or (score == current[0] and type_name < current[1])
            ):
                best[family] = (score, type_name, candidate)
    return {family: dict(best[family][2]) for family in FAMILIES if family in best}


THRESHOLD_PACE_UNIT = "m/s"


def with_pace_display(sports: dict[str, Any]) -> dict[str, Any]:
    """Each family entry gains `display.threshold_pace` in its `pace_units`, and
    `threshold_pace_unit` right after `threshold_pace`: the API value is a speed in m/s
    whatever `pace_units` (the athlete's display preference) says."""
    out = {}
    for family, source in sports.items():
        entry: dict[str, Any] = {}
        for key, value in source.items():
            entry[key] = value
            if key == "threshold_pace":
                entry["threshold_pace_unit"] = THRESHOLD_PACE_UNIT if value is not None else None
        pace = entry.get("threshold_pace")
        entry["display"] = {
            "threshold_pace": (
                to_display(pace, "pace", pace_unit=pace_unit_for(entry.get("pace_units")))
                if pace is not None
                else None
            ),
        }
        out[family] = entry
    return out


def last_known(records: list[dict[str, Any]], field: str) -> dict[str, Any] | None:
    """`{"value", "date"}` of the newest record with a non-null, non-zero `field`, else None."""
    dated = [r for r in records if isinstance(r, dict) and record_date(r, "id") and r.get(field)]
    if not dated:
        return None
    newest = max(dated, key=lambda r: str(r["id"]))
    return {"value": newest[field], "date": str(newest["id"])[:10]}


def build_thresholds(
    today_rec: dict[str, Any] | None,
    athlete: dict[str, Any] | None,
    sports_override: dict[str, Any] | None = None,
    wellness: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """`wellness` (the 28-day records) gives `vo2max_last_known`: `vo2max` itself is today's
    record only, so a value measured two days ago would otherwise read as "none"."""
    thresholds = power_model(today_rec)
    thresholds["vo2max"] = (today_rec or {}).get("vo2max")
    thresholds["vo2max_last_known"] = last_known(wellness or [], "vo2max")
    sports = sports_override if sports_override is not None else build_sports(athlete)
    thresholds["sports"] = with_pace_display(sports)
    return thresholds
