"""Race calendar: upcoming races, taper alert, race week (docs/metrics.md, "Race calendar";
tests/metrics/test_race_calendar.py).

Pure: `today`, the events and the fitness numbers are passed in. The race-week object itself
(budget, TSB projection, day protocol, go/no-go) lives in `race_week.py`.

Taper and race-week logic (and phase detection, via `nearest_a_or_b_race`) use the next RACE_A /
RACE_B; a RACE_C never hides them. `next_race` is still the next race of any category.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from s11sync.dates import parse_day
from s11sync.metrics.health import time_part
from s11sync.metrics.race_week import build_race_week

RACE_CATEGORIES = ("RACE_A", "RACE_B", "RACE_C")
TAPER_MIN_DAYS = 8
TAPER_MAX_DAYS = 14
RACE_WEEK_DAYS = 7

DisplayDistance = Callable[[float], Any]


def metric_distance_display(km: float) -> dict:
    """Fallback display pair for a distance in km (metric), used when no converter is passed."""
    return {"value": round(km, 2), "unit": "km"}


def race_entry(
    event: dict,
    event_day: date,
    today: date,
    terrain_event_ids: Iterable[Any],
    display_distance: DisplayDistance,
) -> dict:
    """One `all_races[]` entry, keys in their fixed output order."""
    name = event.get("name")
    distance = event.get("distance")
    entry: dict[str, Any] = {
        "name": name if isinstance(name, str) and name.strip() else "Unnamed Race",  # not null
        "date": event_day.isoformat(),
        "category": event.get("category"),
        "type": event.get("type") or "Unknown",
        "days_until": (event_day - today).days,
        "moving_time_seconds": event.get("moving_time"),
        "distance_meters": distance,
        "display": {"distance": display_distance(distance / 1000.0) if distance else None},
        "has_terrain": event.get("id") in terrain_event_ids,
    }
    clock = time_part(event.get("start_date_local"))
    if clock is not None and clock != "00:00":
        entry["start_time"] = clock
    if event.get("indoor"):
        entry["indoor"] = True
    return entry


def collect_races(
    events: list[dict],
    today: date,
    terrain_event_ids: Iterable[Any] = (),
    display_distance: DisplayDistance | None = None,
) -> list[dict]:
    """`all_races`: future RACE_A/B/C events with a parsable date, stably sorted by days_until."""
    convert = display_distance or metric_distance_display
    ids = frozenset(terrain_event_ids)
    races = []
    for event in events or []:
        if not isinstance(event, dict) or event.get("category") not in RACE_CATEGORIES:
            continue
        day = parse_day(event.get("start_date_local"))
        if day is None or day < today:
            continue
        races.append(race_entry(event, day, today, ids, convert))
    races.sort(key=lambda r: r["days_until"])
    return races


def taper_message(race: dict) -> str:
    """Taper advice naming the category, the race and the day count."""
    return (
        f"RACE_A '{race['name']}' is in {race['days_until']} days: start the taper. Reduce "
        "training volume progressively (target a 41-60% reduction over the 2 weeks), keep the "
        "intensity of key sessions, and expect CTL to peak now or within a few days."
    )


def taper_alert(races: list[dict]) -> dict:
    """`taper_alert`: the first RACE_A 8–14 days out (both inclusive), else `{active: false}`."""
    for race in races:
        if race["category"] == "RACE_A" and TAPER_MIN_DAYS <= race["days_until"] <= TAPER_MAX_DAYS:
            return {
                "active": True,
                "event_name": race["name"],
                "event_date": race["date"],
                "days_until": race["days_until"],
                "message": taper_message(race),
            }
    return {"active": False}


def race_week_target(races: list[dict]) -> dict | None:
    """Earliest RACE_A within 7 days, else earliest RACE_B within 7 days, else None."""
    near = [r for r in races if r["days_until"] <= RACE_WEEK_DAYS]
    for category in ("RACE_A", "RACE_B"):
        for race in near:
            if race["category"] == category:
                return race
    return None


def build_race_calendar(
    today: date,
    events: list[dict],
    ctl: float | None,
    atl: float | None,
    activities_7d: Sequence[Mapping[str, Any]],
    terrain_event_ids: Iterable[Any] = (),
    display_distance: DisplayDistance | None = None,
) -> dict:
    """`race_calendar` = {next_race, all_races, taper_alert, race_week}.

    `events`: calendar events (past ones are ignored); `ctl`/`atl`: current fitness (null/0 → 0 in
    the race-week maths); `activities_7d`: activities of the exact 7-day window today−6 … today.
    `terrain_event_ids`: ids of events with a successful terrain summary (routes part).
    `display_distance(km)`: the display-units converter (defaults to metric km).
    """
    races = collect_races(events, today, terrain_event_ids, display_distance)
    target = race_week_target(races)
    return {
        "next_race": races[0] if races else None,
        "all_races": races,
        "taper_alert": taper_alert(races),
        "race_week": build_race_week(target, today, ctl, atl, activities_7d)
        if target is not None
        else {"active": False},
    }


def nearest_a_or_b_race(race_calendar: dict | None) -> dict | None:
    """The nearest RACE_A/RACE_B in `all_races`, falling back to `next_race`."""
    if not race_calendar:
        return None
    for race in race_calendar.get("all_races") or []:
        if race.get("category") in ("RACE_A", "RACE_B"):
            return race
    return race_calendar.get("next_race")
