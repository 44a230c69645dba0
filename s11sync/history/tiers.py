"""The rows of history.json: daily_90d, weekly_180d and the monthly tiers (docs/fields.md).

Pure functions over a `Days` index (activities and wellness keyed by local date). Zone seconds and
the hard-day classifier come from `s11sync.metrics.zones`; sport families from `s11sync.sports`.
Sums skip null values (an activity without a load adds nothing); averages and "last" values are
null when nothing qualifies: missing is not zero (docs/differences.md, "Missing data").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from s11sync.metrics.durability import durability_value
from s11sync.metrics.efficiency import ef_value
from s11sync.metrics.hrrc import hrrc_value
from s11sync.metrics.load import weekly_acwr, weekly_monotony
from s11sync.metrics.wellness_baselines import valid_hrv
from s11sync.metrics.zones import activity_zone_seconds, classify_day
from s11sync.numbers import finite_number, rnd, rounded_mean
from s11sync.outputs.wellness import SHARED_TAIL
from s11sync.sports import family_of
from s11sync.units import to_display

DAILY_DAYS = 90
WEEKLY_DAYS = 180
# A wellness record counts as data only when it holds one of these: Intervals.icu keeps a CTL/ATL
# row for nearly every day, so counting any record would make every month look fully recorded.
WELLNESS_DATA_KEYS = (
    "hrv",
    "restingHR",
    "sleepSecs",
    "weight",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "injury",
    "steps",
)
# daily_90d passthrough wellness fields, in key order: the same table as latest.json's wellness
DAILY_WELLNESS = SHARED_TAIL


def truthy(value: Any) -> float | None:
    """A number that is neither null nor 0 (the original's `if x:` tests), else None."""
    value = finite_number(value)
    return value if value else None


@dataclass(frozen=True)
class Days:
    """The inputs of every tier: activities and wellness by local date (`YYYY-MM-DD`)."""

    activities: Mapping[str, list[dict[str, Any]]]
    wellness: Mapping[str, dict[str, Any]]
    zone_preference: Mapping[str, str]
    units: Mapping[str, str]  # display units (s11sync.units.athlete_units)
    today: date

    def acts(self, day: date) -> list[dict[str, Any]]:
        return self.activities.get(day.isoformat(), [])

    def well(self, day: date) -> dict[str, Any]:
        return self.wellness.get(day.isoformat(), {})


def sleep_formatted(secs: Any) -> str | None:
    """Sleep floored to whole minutes as "7h30m" / "8h" / "45m"; null when missing or 0."""
    secs = truthy(secs)
    if secs is None:
        return None
    hours, minutes = divmod(int(secs // 60), 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text or "0m"


def _sum(acts: Iterable[Mapping[str, Any]], key: str) -> float:
    """Σ of a per-activity amount; null (and invalid negative) values add nothing."""
    return sum(max(0, finite_number(a.get(key)) or 0) for a in acts)


def _hours(acts: Sequence[Mapping[str, Any]]) -> float:
    return round(_sum(acts, "moving_time") / 3600, 2)


def _longest_hours(acts: Sequence[Mapping[str, Any]]) -> float:
    longest = max([0, *(finite_number(a.get("moving_time")) or 0 for a in acts)])
    return round(longest / 3600, 2)


def _pct(part: float, total: float) -> float:
    return round(100 * part / total, 1)


# ---- daily_90d ---------------------------------------------------------------------------------


def daily_row(days: Days, day: date) -> dict[str, Any]:
    """One daily_90d row (43 keys; tests/history/test_tiers.py pins them)."""
    acts = days.acts(day)
    w = days.well(day)
    types: list[str] = []
    for activity in acts:
        name = activity.get("type") or "Unknown"
        if name not in types:
            types.append(name)
    ctl, atl = w.get("ctl"), w.get("atl")
    ctl_n, atl_n = truthy(ctl), truthy(atl)
    tsb = round(ctl_n - atl_n, 1) if ctl_n is not None and atl_n is not None else None
    sleep = truthy(w.get("sleepSecs"))
    weight = finite_number(w.get("weight"))
    hard, basis = classify_day(acts, days.zone_preference)
    row: dict[str, Any] = {
        "date": day.isoformat(),
        "total_hours": _hours(acts),
        "total_tss": rnd(_sum(acts, "icu_training_load")),
        "activity_count": len(acts),
        "activity_types": ", ".join(types) if types else "Rest",
        "ctl": ctl,
        "atl": atl,
        "tsb": tsb,
        "hrv": w.get("hrv"),
        "rhr": w.get("restingHR"),
        "sleep_hours": round(sleep / 3600, 2) if sleep is not None else None,
        "sleep_formatted": sleep_formatted(sleep),
        "sleep_quality": w.get("sleepQuality"),
        "sleep_score": w.get("sleepScore"),
        "weight_kg": w.get("weight"),
        "display": {"weight": to_display(weight, "weight", dict(days.units))},
        "is_hard_day": hard,
        "intensity_basis": basis,
    }
    for out_key, api_key in DAILY_WELLNESS:
        row[out_key] = w.get(api_key)
    return row


def daily_tier(days: Days) -> list[dict[str, Any]]:
    """today − 89 … today, oldest first; today's row is partial."""
    first = days.today - timedelta(days=DAILY_DAYS - 1)
    return [daily_row(days, first + timedelta(days=i)) for i in range(DAILY_DAYS)]


# ---- shared period aggregation -----------------------------------------------------------------


@dataclass
class Period:
    """The counted days of one week or month (only days ≤ today) and what fell on them."""

    days: list[date]
    acts: list[dict[str, Any]]
    wells: list[dict[str, Any]]  # the wellness records of the counted days, oldest first

    @classmethod
    def collect(cls, index: Days, first: date, last: date) -> Period:
        counted = []
        day = first
        while day <= min(last, index.today):
            counted.append(day)
            day += timedelta(days=1)
        acts = [a for d in counted for a in index.acts(d)]
        wells = [index.well(d) for d in counted if index.well(d)]
        return cls(counted, acts, wells)

    def last_truthy(self, key: str) -> float | None:
        values = [v for v in (truthy(w.get(key)) for w in self.wells) if v is not None]
        return values[-1] if values else None

    def truthy_values(self, key: str) -> list[float]:
        return [v for v in (truthy(w.get(key)) for w in self.wells) if v is not None]

    def avg_hrv(self) -> float | None:
        valid = [v for v in map(valid_hrv, self.wells) if v is not None]
        return rounded_mean(valid, 1)

    def zone_pcts(self, zone_preference: Mapping[str, str]) -> tuple[Any, Any, Any]:
        """(z1_z2_pct, z3_pct, z4_plus_pct) over all resolved zone seconds; nulls when none."""
        easy = grey = hard = 0.0
        for activity in self.acts:
            resolved = activity_zone_seconds(activity, zone_preference)
            if resolved is None:
                continue
            zones = resolved[1]
            easy += zones[0] + zones[1]
            grey += zones[2]
            hard += sum(zones[3:])
        total = easy + grey + hard
        if total <= 0:
            return None, None, None
        return _pct(easy, total), _pct(grey, total), _pct(hard, total)

    def hard_day_bases(self, index: Days) -> list[str | None]:
        """The basis of every hard day in the period (one entry per hard day)."""
        out = []
        for day in self.days:
            hard, basis = classify_day(index.acts(day), index.zone_preference)
            if hard:
                out.append(basis)
        return out

    def sport_breakdown(self) -> dict[str, dict[str, Any]] | None:
        """family → {hours, tss, distance_km, sessions}, families alphabetical.

        Sums like the row totals: an activity without a value adds nothing (a strength session
        without distance adds 0 km); the schema types these as numbers.
        """
        if not self.acts:
            return None
        groups: dict[str, list[dict[str, Any]]] = {}
        for activity in self.acts:
            groups.setdefault(family_of(activity.get("type")), []).append(activity)

        return {
            family: {
                "hours": _hours(acts),
                "tss": rnd(_sum(acts, "icu_training_load")),
                "distance_km": rnd(_sum(acts, "distance") / 1000, 1),
                "sessions": len(acts),
            }
            for family, acts in sorted(groups.items())
        }


def _family_tss(acts: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Σ load per family over activities with load > 0."""
    sums: dict[str, float] = {}
    for activity in acts:
        load = finite_number(activity.get("icu_training_load"))
        if load is not None and load > 0:
            family = family_of(activity.get("type"))
            sums[family] = sums.get(family, 0) + load
    return sums


# ---- weekly_180d -------------------------------------------------------------------------------


def week_grid(today: date, week_start_index: int) -> list[date]:
    """Week starts from (today − 180 d) aligned back to the week-start day, while ≤ today."""
    start = today - timedelta(days=WEEKLY_DAYS)
    start -= timedelta(days=(start.weekday() - week_start_index) % 7)
    starts = []
    while start <= today:
        starts.append(start)
        start += timedelta(days=7)
    return starts


def _capability(acts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Durability, efficiency factor and HRRc of the week (the last six keys), with the
    qualifying rules of the capability metrics (one implementation)."""
    durability = [v for v in (durability_value(a) for a in acts) if v is not None]
    ef = [v for v in (ef_value(a) for a in acts) if v is not None]
    hrrc = [v for v in (hrrc_value(a) for a in acts) if v is not None]
    return {
        "durability_mean": rounded_mean(durability, 2),
        "durability_qualifying": len(durability),
        "ef_mean": rounded_mean(ef, 2),
        "ef_qualifying": len(ef),
        "hrrc_mean": rounded_mean(hrrc, 1),
        "hrrc_qualifying": len(hrrc),
    }


def weekly_row(index: Days, week_start: date) -> dict[str, Any]:
    """One weekly_180d row without `acwr` and `phase_detected` (they need the whole tier)."""
    p = Period.collect(index, week_start, week_start + timedelta(days=6))
    family_tss = _family_tss(p.acts)
    # a tie goes to the alphabetically first family, so the answer does not depend on API order
    primary = min(family_tss, key=lambda f: (-family_tss[f], f)) if family_tss else None
    ctl_end, atl_end = p.last_truthy("ctl"), p.last_truthy("atl")
    ramp = p.last_truthy("rampRate")
    sleep = p.truthy_values("sleepSecs")
    weight = rnd(p.last_truthy("weight"), 1)
    z12, z3, z4p = p.zone_pcts(index.zone_preference)
    bases = p.hard_day_bases(index)
    feels = [v for v in (finite_number(a.get("feel")) for a in p.acts) if v is not None]
    rpes = [v for v in (finite_number(a.get("icu_rpe")) for a in p.acts) if v is not None]
    daily = [
        sum(finite_number(a.get("icu_training_load")) or 0 for a in index.acts(d)) for d in p.days
    ]
    row: dict[str, Any] = {
        "week_start": week_start.isoformat(),
        "total_hours": _hours(p.acts),
        "total_tss": rnd(_sum(p.acts, "icu_training_load")),
        "primary_sport": primary,
        "primary_sport_tss": rnd(family_tss[primary]) if primary else None,
        "sport_tss_breakdown": {f: rnd(v) for f, v in sorted(family_tss.items())} or None,
        "sport_breakdown": p.sport_breakdown(),
        "activity_count": len(p.acts),
        "ctl_end": rnd(ctl_end, 1),
        "atl_end": rnd(atl_end, 1),
        "tsb_end": round(ctl_end - atl_end, 1) if ctl_end and atl_end else None,
        "ramp_rate": rnd(ramp, 2),
        "avg_hrv": p.avg_hrv(),
        "avg_rhr": rounded_mean(p.truthy_values("restingHR"), 1),
        "avg_sleep_hours": rounded_mean([s / 3600 for s in sleep], 2),
        "z1_z2_pct": z12,
        "z3_pct": z3,
        "z4_plus_pct": z4p,
        "hard_days": len(bases),
        "longest_ride_hours": _longest_hours(p.acts),
        "avg_feel": rounded_mean(feels, 1),
        "feel_count": len(feels),
        "avg_rpe": rounded_mean(rpes, 1),
        "rpe_count": len(rpes),
        "weight_kg": weight,
        "display": {"weight": to_display(weight, "weight", dict(index.units))},
        "monotony": weekly_monotony(daily),
        "intensity_basis_breakdown": (
            {"power": bases.count("power"), "hr": bases.count("hr")} if bases else None
        ),
        "acwr": None,
        "phase_detected": None,
    }
    row.update(_capability(p.acts))
    return row


def add_acwr(rows: list[dict[str, Any]], elapsed_last: int) -> None:
    """Each row's weekly ACWR from the fourth row on (`metrics.load.weekly_acwr`). The last row is
    the week in progress, `elapsed_last` days long: its load is divided by its elapsed days
    (dividing by 7 would understate a week just begun)."""
    for i in range(3, len(rows)):
        days = elapsed_last if i == len(rows) - 1 else 7
        rows[i]["acwr"] = weekly_acwr([r["total_tss"] for r in rows[i - 3 : i + 1]], days)


PhaseBackfill = Callable[[list[dict[str, Any]]], list[Any]]


def weekly_tier(
    index: Days, week_start_index: int, backfill: PhaseBackfill
) -> list[dict[str, Any]]:
    """weekly_180d rows, oldest first, the last one in progress; `backfill` fills phase_detected."""
    starts = week_grid(index.today, week_start_index)
    rows = [weekly_row(index, ws) for ws in starts]
    if rows:
        add_acwr(rows, (index.today - starts[-1]).days + 1)
        phases = backfill(rows)
        for row, phase in zip(rows[:-1], phases):
            row["phase_detected"] = phase
    return rows


# ---- monthly tiers -----------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_starts(today: date, years: int) -> list[date]:
    """First days of the months from the one containing today − years·365 d to the current one."""
    month = _month_start(today - timedelta(days=365 * years))
    out = []
    while month <= today:
        out.append(month)
        month = _next_month(month)
    return out


def dominant_phase(weekly: Sequence[Mapping[str, Any]], first: date, nxt: date) -> str | None:
    """Most frequent phase of the weekly rows overlapping the month [first, nxt); a tie goes to
    the larger Σ TSS, then to the first seen."""
    counts: Counter[str] = Counter()
    tss: dict[str, float] = {}
    for row in weekly:
        phase = row.get("phase_detected")
        if phase is None:
            continue
        ws = date.fromisoformat(row["week_start"])
        if ws < nxt and ws + timedelta(days=6) >= first:
            counts[phase] += 1
            tss[phase] = tss.get(phase, 0) + (finite_number(row.get("total_tss")) or 0)
    if not counts:
        return None
    # max() keeps the first maximal element, and Counter keeps first-seen order.
    return max(counts, key=lambda ph: (counts[ph], tss[ph]))


def _has_data(record: Mapping[str, Any]) -> bool:
    return any(record.get(key) is not None for key in WELLNESS_DATA_KEYS)


def monthly_row(index: Days, first: date, weekly: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    nxt = _next_month(first)
    p = Period.collect(index, first, nxt - timedelta(days=1))
    ctl = p.truthy_values("ctl")
    z12, z3, z4p = p.zone_pcts(index.zone_preference)
    hard = len(p.hard_day_bases(index))
    avg_weight = rounded_mean(p.truthy_values("weight"), 1)
    with_data = sum(1 for d in p.days if index.acts(d) or _has_data(index.well(d)))
    return {
        "month": first.strftime("%Y-%m"),
        "total_hours": _hours(p.acts),
        "total_tss": rnd(_sum(p.acts, "icu_training_load")),
        "activity_count": len(p.acts),
        "sport_breakdown": p.sport_breakdown(),
        "ctl_peak": rnd(max(ctl), 1) if ctl else None,
        "ctl_low": rnd(min(ctl), 1) if ctl else None,
        "ctl_end": rnd(ctl[-1], 1) if ctl else None,
        "avg_hrv": p.avg_hrv(),
        "avg_rhr": rounded_mean(p.truthy_values("restingHR"), 1),
        "z1_z2_pct": z12,
        "z3_pct": z3,
        "z4_plus_pct": z4p,
        "hard_days_avg_per_week": round(hard / max(1, len(p.days) / 7), 1),
        "longest_ride_hours": _longest_hours(p.acts),
        "avg_weight_kg": avg_weight,
        "display": {"avg_weight": to_display(avg_weight, "weight", dict(index.units))},
        "dominant_phase": dominant_phase(weekly, first, nxt),
        "days_with_data": with_data,
        # the month in progress: compare it with the same days of another month, not a whole one
        "partial": nxt - timedelta(days=1) > index.today,
        "days_covered": len(p.days),
    }


def monthly_tier(
    index: Days,
    years: int,
    total_months: int,
    weekly: Sequence[Mapping[str, Any]],
    cache: dict[date, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """monthly_<years>y: built only when total_months ≥ years·6, else []. `cache` shares rows
    between the overlapping tiers (the 3-year tier contains the other two)."""
    if total_months < years * 6:
        return []
    cache = {} if cache is None else cache
    rows = []
    for first in month_starts(index.today, years):
        if first not in cache:
            cache[first] = monthly_row(index, first, weekly)
        rows.append(dict(cache[first]))
    return rows
