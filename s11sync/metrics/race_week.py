"""Race week: TSS budget, TSB projection, day protocol, go/no-go (docs/metrics.md, "Race week").

Built for the target race chosen in `race_calendar.race_week_target` (a RACE_A or RACE_B at most
7 days out). CTL/ATL that are null or 0 count as 0 here, as in the original.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from s11sync.dates import parse_day
from s11sync.numbers import finite_number

SHORT_MAX_S = 5400  # < 5400 s → short_intense
MEDIUM_MAX_S = 10800  # 5400 … 10800 s → medium; above → long_endurance

BUDGET_SHARE = {"RACE_A": (0.40, 0.55), "RACE_B": (0.50, 0.65)}

TSB_TARGET_A = {"short_intense": (5, 15), "medium": (10, 20), "long_endurance": (10, 25)}
RACE_B_TSB_SHIFT = 5

CARB_NOTE = (
    "Carb loading: 10-12 g of carbohydrate per kg body mass per day from D-4; "
    "no depletion phase needed."
)

# n -> (label, min share of CTL, max share, zones, purpose)
_DAY_PROTOCOL: dict[int, tuple[str, float, float, str, str]] = {
    7: (
        "Last key session",
        0.75,
        1.00,
        "3-5 efforts Z4-Z5 (1-3 min)",
        "Confirm fitness: look for a strong power/HR response to short hard efforts.",
    ),
    6: ("Recovery", 0.00, 0.30, "Z1-Z2 only", "Active recovery."),
    5: (
        "Moderate endurance",
        0.40,
        0.60,
        "Z1-Z2 + 2-3 race-pace touches",
        "Keep the feel for race pace without adding fatigue.",
    ),
    4: (
        "Easy / rest",
        0.00,
        0.40,
        "Z1-Z2 only",
        "Volume reduction; carb loading starts today if applicable.",
    ),
    3: (
        "Easy / rest",
        0.00,
        0.40,
        "Z1-Z2 only",
        "Taper tantrums (heavy legs, restlessness) from D-4 to D-2 are normal, not lost fitness.",
    ),
    2: (
        "Opener",
        0.30,
        0.50,
        "3-5 efforts Z4-Z6 (20-60s), high cadence, full recovery",
        "Neuromuscular activation.",
    ),
    1: (
        "Rest / minimal",
        0.00,
        0.20,
        "Z1 only if active",
        "Final rest, logistics and equipment check.",
    ),
    0: ("Race day", 0.00, 0.00, "Race effort", "Go/no-go assessment, then execute the race plan."),
}

_OPENER_BY_CLASS = {
    "long_endurance": (
        "3-4 efforts Z4 only (20-60s), moderate cadence, full recovery",
        "Light activation that preserves glycogen.",
    ),
    "short_intense": (
        "5-6 efforts Z4-Z6 (10-30s), high cadence, full recovery",
        "Full activation for a short, intense effort.",
    ),
}

_OPENER_INTENSITY = {
    "long_endurance": "lighter",
    "short_intense": "more_intense",
    "medium": "standard",
}


def known_moving_time(moving_time: Any) -> float | None:
    """A moving time that is not a finite number > 0 is unknown, so the category defaults apply
    (the original made such a race short and excluded carb loading)."""
    seconds = finite_number(moving_time)
    return seconds if seconds is not None and seconds > 0 else None


def duration_class(moving_time: Any, category: str) -> str:
    """Duration class: short_intense / medium / long_endurance; unknown time → RACE_A long,
    RACE_B medium."""
    t = known_moving_time(moving_time)
    if t is None:
        return "long_endurance" if category == "RACE_A" else "medium"
    if t < SHORT_MAX_S:
        return "short_intense"
    if t <= MEDIUM_MAX_S:
        return "medium"
    return "long_endurance"


def tsb_target_range(duration: str, category: str) -> dict:
    """Target race-day TSB; RACE_B is the RACE_A range minus 5 (min floored at 0)."""
    low, high = TSB_TARGET_A[duration]
    if category == "RACE_B":
        low, high = max(0, low - RACE_B_TSB_SHIFT), high - RACE_B_TSB_SHIFT
    return {"min": low, "max": high}


def project_tsb(ctl: float, atl: float, days: int) -> float:
    """TSB after `days` days of zero load (CTL decays with τ=42, ATL with τ=7), 1 decimal."""
    c, a = ctl, atl
    for _ in range(days):
        c *= math.exp(-1 / 42)
        a *= math.exp(-1 / 7)
    return round(c - a, 1)


def day_protocol(n: int, ctl: float, duration: str) -> dict:
    """`race_week.today` for D-n (n days before the race)."""
    if n not in _DAY_PROTOCOL:
        return {
            "label": "Pre-race-week",
            "load_target_tss": None,
            "zones": "Normal training",
            "purpose": "Race week is not active yet: train normally.",
        }
    label, lo, hi, zones, purpose = _DAY_PROTOCOL[n]
    if n in (3, 4) and duration == "long_endurance":
        lo = 0.20
        purpose += " Easy endurance work is preferred over complete rest before a long event."
    if n == 2 and duration in _OPENER_BY_CLASS:
        zones, purpose = _OPENER_BY_CLASS[duration]
    return {
        "label": label,
        "load_target_tss": {"min": round(ctl * lo), "max": round(ctl * hi)},
        "zones": zones,
        "purpose": purpose,
    }


def go_no_go(projected: float, target: dict) -> dict:
    """Go/no-go: green when the projected TSB reaches the target minimum, else flag with a note."""
    low, high = target["min"], target["max"]
    if projected >= low:
        return {"tsb_status": "green", "notes": []}
    if projected >= low - 10:
        note = (
            f"Projected race-day TSB {projected} is below the target range {low}-{high}; "
            "consider extra rest."
        )
    else:
        note = (
            f"Projected race-day TSB {projected} is significantly below the target range "
            f"{low}-{high}; accumulated fatigue may hurt performance."
        )
    return {"tsb_status": "flag", "notes": [note]}


def tss_spent(activities_7d: Sequence[Mapping[str, Any]], event_day: date, today: date) -> int:
    """Σ icu_training_load (null → 0) of activities dated event_date−7 … today, rounded."""
    first = event_day - timedelta(days=7)
    total = 0.0
    for activity in activities_7d or []:
        day = parse_day(activity.get("start_date_local"))
        if day is not None and first <= day <= today:
            total += activity.get("icu_training_load") or 0
    return round(total)


def build_race_week(
    race: dict,
    today: date,
    ctl: float | None,
    atl: float | None,
    activities_7d: Sequence[Mapping[str, Any]],
) -> dict:
    """The active `race_week` object (fixed key order) for the target race entry."""
    n = race["days_until"]
    category = race["category"]
    event_day = date.fromisoformat(race["date"])
    c = ctl or 0.0
    a = atl or 0.0
    duration = duration_class(race.get("moving_time_seconds"), category)
    normal = c * 7
    pmin, pmax = BUDGET_SHARE.get(category, BUDGET_SHARE["RACE_B"])
    budget = {"min": round(normal * pmin), "max": round(normal * pmax)}
    spent = tss_spent(activities_7d, event_day, today)
    target = tsb_target_range(duration, category)
    projected = project_tsb(c, a, n)
    known_time = known_moving_time(race.get("moving_time_seconds"))
    applicable = known_time >= SHORT_MAX_S if known_time is not None else category == "RACE_A"
    return {
        "active": True,
        "event_name": race["name"],
        "event_date": race["date"],
        "event_category": category,
        "event_type": race.get("type") or "Unknown",
        "event_duration_class": duration,
        "event_moving_time_seconds": race.get("moving_time_seconds"),
        "days_until_event": n,
        "current_day": f"D-{n}",
        "ctl_baseline": round(c, 1),
        "normal_weekly_tss": round(normal, 1),
        "race_week_tss_budget": budget,
        "race_week_tss_spent": spent,
        "race_week_tss_remaining": {
            "min": max(0, budget["min"] - spent),
            "max": max(0, budget["max"] - spent),
        },
        "projected_race_day_tsb": projected,
        "tsb_target_range": target,
        "today": day_protocol(n, c, duration),
        "carb_loading": {
            "applicable": applicable,
            "active": applicable and n <= 4,
            "starts": "D-4",
            "start_date": (event_day - timedelta(days=4)).isoformat(),
            "note": CARB_NOTE if applicable else None,
        },
        "opener": {
            "day": "D-2",
            "date": (event_day - timedelta(days=2)).isoformat(),
            "intensity": _OPENER_INTENSITY[duration],
        },
        "go_no_go": go_no_go(projected, target),
    }
