"""Year-to-date totals per sport family (docs/metrics.md, "Year to date"): pure, today passed in.

    period_totals(activities, first, last)      raw per-family sums over an inclusive date range
    ytd_base(history_activities, today)         the block history.json stores when it is regenerated
    year_to_date(base, activities, today, window_start)   latest.json → year_to_date

The scheme, without any extra request: a normal run fetches only the last max(28, D) days of
activities; the three-year history fetch runs only when history.json is regenerated (at most once
per athlete-local day). On that run `ytd_base` stores in history.json the current year's totals
from 1 January through yesterday and last year's totals from 1 January through the same calendar
day as today (29 February → 28 February). Every run then adds the activities of its own fetch
window dated after the base's `through` (today's, normally) to the stored current-year totals.
When the base is too old for the window to bridge (a failed regeneration days ago), the totals
stop at the base's date and say so (`partial: true`); nothing is guessed. In the first max(28, D)
days of a year the window alone covers the whole year so far.

Families come from the one table, `s11sync.sports.family_of` (gravel and virtual rides are
cycling). Strava stubs are left out; an activity counted twice (same id) counts once; a null
value adds nothing (a strength session has no distance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypedDict

from s11sync.numbers import non_negative_or_zero, round_denoised
from s11sync.sports import FAMILIES, family_of, is_strava_stub
from s11sync.windows import activity_day


class RawTotals(TypedDict):
    """Unrounded sums of one family over a period, as stored in history.json."""

    sessions: int
    moving_time_s: float
    distance_m: float
    elevation_m: float
    load: float


class FamilyTotals(TypedDict):
    """One family's totals as latest.json shows them."""

    sessions: int
    moving_time_hours: float
    distance_km: float
    elevation_m: int
    load: int


SUMMED = (
    ("moving_time_s", "moving_time"),
    ("distance_m", "distance"),
    ("elevation_m", "total_elevation_gain"),
    ("load", "icu_training_load"),
)

PARTIAL_NOTE = (
    "The year-to-date base in history.json dates from {generated} (history.json has not been "
    "regenerated since); this run's activities reach back only to {window_start}, so each period "
    "covers only through its `through` date."
)
NO_PREVIOUS_NOTE = (
    "Last year's same period comes from the year-to-date base of history.json, which is missing "
    "or older than this year; it appears after the next history.json regeneration."
)
NO_BASE_NOTE = (
    "No year-to-date base in history.json and the activities fetched this run do not reach back to "
    "1 January; the totals appear after the next history.json regeneration."
)


def same_day_last_year(day: date) -> date:
    """The same calendar day one year earlier; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _empty() -> RawTotals:
    return {"sessions": 0, "moving_time_s": 0.0, "distance_m": 0.0, "elevation_m": 0.0, "load": 0.0}


def period_totals(activities: Iterable[Any], first: date, last: date) -> dict[str, RawTotals]:
    """Per-family sums of the activities dated `first` … `last` (inclusive), families in table
    order; a family without an activity in the period is absent."""
    sums: dict[str, RawTotals] = {}
    seen: set[str] = set()
    for activity in activities:
        if not isinstance(activity, Mapping) or is_strava_stub(activity):
            continue
        day = activity_day(activity)
        if day is None or not first <= day <= last:
            continue
        key = activity.get("id")
        if key is not None:
            if str(key) in seen:
                continue
            seen.add(str(key))
        totals = sums.setdefault(family_of(activity.get("type")), _empty())
        totals["sessions"] += 1
        for out, field in SUMMED:
            totals[out] += float(non_negative_or_zero(activity.get(field)))  # type: ignore[literal-required]
    return {fam: sums[fam] for fam in FAMILIES if fam in sums}


def _stored(totals: Mapping[str, RawTotals]) -> dict[str, RawTotals]:
    return {
        fam: {
            "sessions": t["sessions"],
            "moving_time_s": round(t["moving_time_s"], 3),
            "distance_m": round(t["distance_m"], 3),
            "elevation_m": round(t["elevation_m"], 3),
            "load": round(t["load"], 3),
        }
        for fam, t in totals.items()
    }


def ytd_base(history_activities: Iterable[Any], today: date) -> dict[str, Any]:
    """The `year_to_date_base` block of history.json, from the three-year history fetch.

    `current`: 1 January of today's year through yesterday (on 1 January: nothing, `through` is
    31 December of last year). `previous`: 1 January of last year through the same calendar day
    as today, so a run later the same day needs nothing more of last year."""
    activities = list(history_activities)
    yesterday = today - timedelta(days=1)
    last_year_day = same_day_last_year(today)
    return {
        "generated_on": today.isoformat(),
        "current": {
            "year": today.year,
            "through": yesterday.isoformat(),
            "by_family": _stored(period_totals(activities, date(today.year, 1, 1), yesterday)),
        },
        "previous": {
            "year": today.year - 1,
            "through": last_year_day.isoformat(),
            "by_family": _stored(
                period_totals(activities, date(today.year - 1, 1, 1), last_year_day)
            ),
        },
    }


def _add(a: Mapping[str, RawTotals], b: Mapping[str, RawTotals]) -> dict[str, RawTotals]:
    out: dict[str, RawTotals] = {}
    for fam in FAMILIES:
        if fam not in a and fam not in b:
            continue
        x, y = a.get(fam, _empty()), b.get(fam, _empty())
        out[fam] = {
            "sessions": x["sessions"] + y["sessions"],
            "moving_time_s": x["moving_time_s"] + y["moving_time_s"],
            "distance_m": x["distance_m"] + y["distance_m"],
            "elevation_m": x["elevation_m"] + y["elevation_m"],
            "load": x["load"] + y["load"],
        }
    return out


def shown(totals: Mapping[str, RawTotals], families: Iterable[str]) -> dict[str, FamilyTotals]:
    """Rounded output totals for `families` (zeros for a family absent from `totals`)."""
    out: dict[str, FamilyTotals] = {}
    for fam in families:
        t = totals.get(fam, _empty())
        out[fam] = {
            "sessions": t["sessions"],
            "moving_time_hours": round_denoised(t["moving_time_s"] / 3600, 1),
            "distance_km": round_denoised(t["distance_m"] / 1000, 1),
            "elevation_m": int(round_denoised(t["elevation_m"], 0)),
            "load": int(round_denoised(t["load"], 0)),
        }
    return out


def _read_block(block: Any, year: int) -> tuple[date, dict[str, RawTotals]] | None:
    """(through, totals) of a stored block of `year`; None when missing, malformed or of another
    year (a base written before a new year began)."""
    if not isinstance(block, Mapping) or block.get("year") != year:
        return None
    try:
        through = date.fromisoformat(str(block.get("through")))
    except ValueError:
        return None
    families = block.get("by_family")
    if not isinstance(families, Mapping):
        return None
    totals: dict[str, RawTotals] = {}
    for fam, raw in families.items():
        if fam not in FAMILIES or not isinstance(raw, Mapping):
            return None
        totals[fam] = {
            "sessions": int(float(non_negative_or_zero(raw.get("sessions")))),
            "moving_time_s": float(non_negative_or_zero(raw.get("moving_time_s"))),
            "distance_m": float(non_negative_or_zero(raw.get("distance_m"))),
            "elevation_m": float(non_negative_or_zero(raw.get("elevation_m"))),
            "load": float(non_negative_or_zero(raw.get("load"))),
        }
    return through, totals


def year_to_date(
    history_doc: Any, activities: Iterable[Any], today: date, window_start: date
) -> dict[str, Any]:
    """latest.json → year_to_date.

    `history_doc` is the history.json of this run (new or kept; None when there is none), whose
    `year_to_date_base` is used; `activities` are this run's fetched activities, which cover
    `window_start` … `today`. Each period states the last day it covers
    (`through`); `partial` is true when either stops before its target (today, and the same day
    last year)."""
    year = today.year
    jan1 = date(year, 1, 1)
    base = history_doc.get("year_to_date_base") if isinstance(history_doc, Mapping) else None
    base = base if isinstance(base, Mapping) else {}
    activities = list(activities)
    current = _read_block(base.get("current"), year)
    if current is not None and current[0] >= today:
        current = None  # a base from the future (a replayed --today) is not used
    if current is None and jan1 >= window_start:
        current = (jan1 - timedelta(days=1), {})  # the window alone covers the year so far
    previous = _read_block(base.get("previous"), year - 1)
    target_previous = same_day_last_year(today)
    if previous is not None and previous[0] > target_previous:
        previous = None
    if current is None:
        return {
            "year": year,
            "through": None,
            "partial": True,
            "note": NO_BASE_NOTE,
            "by_family": {},
            "previous_year_same_period": None,
        }
    through, totals = current
    if through + timedelta(days=1) >= window_start:
        totals = _add(totals, period_totals(activities, through + timedelta(days=1), today))
        through = max(through, today)
    partial = through != today
    prev_block: dict[str, Any] | None = None
    families = list(totals)
    if previous is not None:
        prev_through, prev_totals = previous
        partial = partial or prev_through != target_previous
        families = [f for f in FAMILIES if f in totals or f in prev_totals]
        prev_block = {
            "year": year - 1,
            "through": prev_through.isoformat(),
            "by_family": shown(prev_totals, families),
        }
    else:
        partial = True
    note = None
    if previous is None:
        note = NO_PREVIOUS_NOTE
    elif partial:
        generated = base.get("generated_on") or "an unknown date"
        note = PARTIAL_NOTE.format(generated=generated, window_start=window_start)
    return {
        "year": year,
        "through": through.isoformat(),
        "partial": partial,
        "note": note,
        "by_family": shown(totals, families),
        "previous_year_same_period": prev_block,
    }
