"""Daily load series: training load per date, per sport family, and the countable activities.

Which records a window holds (and what happens to a record without a readable date) is the one
rule of `s11sync.windows`. Strava stubs are removed before any metric (`countable_activities`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from s11sync.numbers import non_negative_or_zero
from s11sync.sports import family_of, is_strava_stub
from s11sync.windows import activity_day, in_window, wellness_day


def countable_activities(activities: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The activities metrics may use: everything except Strava stubs, order kept."""
    return [a for a in activities if isinstance(a, Mapping) and not is_strava_stub(a)]


def sorted_wellness(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Wellness records with a readable `id`, ascending by date (API order is not relied on)."""
    dated = [r for r in records if isinstance(r, Mapping) and wellness_day(r) is not None]
    return sorted(dated, key=lambda r: wellness_day(r))  # type: ignore[arg-type, return-value]


def training_load(activity: Mapping[str, Any]) -> float:
    """`icu_training_load`; null, non-numbers, NaN and negative values count as 0."""
    return non_negative_or_zero(activity.get("icu_training_load"))


def daily_load(activities: Iterable[Mapping[str, Any]], today: date, days: int) -> list[float]:
    """DailyLoad(L, N): load per date, oldest first; element k is today−(N−1−k). Rest days are 0."""
    series: list[float] = [0] * days
    for activity in activities:
        day = activity_day(activity)
        if day is None:
            continue
        k = days - 1 - (today - day).days
        if 0 <= k < days:
            series[k] += training_load(activity)
    return series


def daily_load_by_family(
    activities: Sequence[Mapping[str, Any]], today: date, days: int
) -> dict[str, list[float]]:
    """DailyLoadByFamily(L, N): per family, the daily load of its activities with load > 0.

    Families appear only when they hold at least one such activity in the N dates. Order: newest
    load-bearing `start_date_local` first, ties alphabetical, so the first family wins a tie for
    primary sport (docs/metrics.md, "Primary sport").
    """
    window = in_window(activities, today, days)
    newest: dict[str, str] = {}
    members: dict[str, list[Mapping[str, Any]]] = {}
    for activity in window:
        if training_load(activity) <= 0:
            continue
        family = family_of(activity.get("type"))
        members.setdefault(family, []).append(activity)
        stamp = str(activity.get("start_date_local"))
        if stamp > newest.get(family, ""):
            newest[family] = stamp
    order = sorted(members, key=lambda f: f)
    order.sort(key=lambda f: newest[f], reverse=True)
    return {family: daily_load(members[family], today, days) for family in order}
