"""Per-activity time in zone, hard-day classifier, Seiler bins (docs/metrics.md, "Zone time per
activity", "Hard days" and "Seiler TID").

Shared by the load metrics, phase detection and history.json; keep these signatures stable:

    activity_zone_seconds(activity, zone_preference) -> (basis, [z1..z7 seconds]) | None
    classify_day(activities, zone_preference)         -> (is_hard | None, basis | None)
    seiler_bins(zones)                                -> (S1, S2, S3) = (z1+z2, z3, z4+…+z7)

Power zones come from `icu_zone_times` (`[{id, secs}]`; ids Z1…Z7 only, the overlapping `SS`
entry and any other id ignored), HR zones from `icu_hr_zone_times` (a bare list, index k = zone
k+1, only the first seven). Pace zones are never used. Power is preferred unless the zone
preference for the activity's family is `hr`. A set whose seconds total 0 counts as absent, so
the other basis is tried (the original let an all-zero power set win over real HR data); a null
`secs` counts as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from s11sync.numbers import non_negative_or_zero
from s11sync.sports import family_of

N_ZONES = 7
ZONE_LABELS: tuple[str, ...] = tuple(f"z{i}" for i in range(1, N_ZONES + 1))
_POWER_IDS = {label: i for i, label in enumerate(ZONE_LABELS)}

# Hard-day ladders: (first zone index, seconds) -> hard when Σ z[first:] ≥ seconds.
POWER_LADDER: tuple[tuple[int, int], ...] = ((2, 1800), (3, 600), (4, 300), (5, 120), (6, 60))
HR_LADDER: tuple[tuple[int, int], ...] = ((3, 600), (4, 300))


def _seconds(value: Any) -> float:
    """A zone entry as seconds: null, non-numbers, NaN and negatives count as 0."""
    return non_negative_or_zero(value)


def power_zone_seconds(activity: Mapping[str, Any]) -> list[float] | None:
    """z1…z7 power seconds from `icu_zone_times`, or None when no Z entry has any time."""
    entries = activity.get("icu_zone_times")
    if not isinstance(entries, list):
        return None
    zones: list[float] = [0] * N_ZONES
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        index = _POWER_IDS.get(str(entry.get("id", "")).lower())
        if index is not None:
            zones[index] += _seconds(entry.get("secs"))
    return zones if sum(zones) > 0 else None


def hr_zone_seconds(activity: Mapping[str, Any]) -> list[float] | None:
    """z1…z7 HR seconds from `icu_hr_zone_times`, or None when no zone has any time."""
    values = activity.get("icu_hr_zone_times")
    if not isinstance(values, list):
        return None
    zones: list[float] = [0] * N_ZONES
    for i, value in enumerate(values[:N_ZONES]):
        zones[i] = _seconds(value)
    return zones if sum(zones) > 0 else None


def activity_zone_seconds(
    activity: Mapping[str, Any], zone_preference: Mapping[str, str]
) -> tuple[str, list[float]] | None:
    """(basis, seconds for z1…z7) of one activity, or None when it has neither power nor HR zones.

    basis is 'power' or 'hr'. The family's preference ('hr') puts HR first; otherwise power first.
    """
    family = family_of(activity.get("type"))
    if zone_preference.get(family) == "hr":
        order = (("hr", hr_zone_seconds), ("power", power_zone_seconds))
    else:
        order = (("power", power_zone_seconds), ("hr", hr_zone_seconds))
    for basis, extract in order:
        zones = extract(activity)
        if zones is not None:
            return basis, zones
    return None


def combined_basis(bases: Iterable[str]) -> str | None:
    """'power' / 'hr' when every contributor agrees, 'mixed' when both occur, None when empty."""
    distinct = set(bases)
    if not distinct:
        return None
    if len(distinct) > 1:
        return "mixed"
    return distinct.pop()


def _climbs_ladder(zones: Sequence[float], ladder: tuple[tuple[int, int], ...]) -> bool:
    return any(sum(zones[first:]) >= limit for first, limit in ladder)


def is_power_hard(zones: Sequence[float]) -> bool:
    """Power ladder: z3+ ≥ 1800 s, z4+ ≥ 600, z5+ ≥ 300, z6+ ≥ 120 or z7 ≥ 60 (all inclusive)."""
    return _climbs_ladder(zones, POWER_LADDER)


def is_hr_hard(zones: Sequence[float]) -> bool:
    """HR ladder: z4+ ≥ 600 s or z5+ ≥ 300 (inclusive); no Z3 or short rungs."""
    return _climbs_ladder(zones, HR_LADDER)


def classify_day(
    activities: Iterable[Mapping[str, Any]], zone_preference: Mapping[str, str]
) -> tuple[bool | None, str | None]:
    """(is_hard, basis) for the activities of one date.

    Each activity's zones go into the bucket of its basis (power and HR never merge); the power
    ladder reads the power bucket and the HR ladder the HR bucket. (None, None) without zone data.
    """
    buckets: dict[str, list[float]] = {}
    for activity in activities:
        resolved = activity_zone_seconds(activity, zone_preference)
        if resolved is None:
            continue
        basis, zones = resolved
        bucket = buckets.setdefault(basis, [0] * N_ZONES)
        for i, seconds in enumerate(zones):
            bucket[i] += seconds
    if not buckets:
        return None, None
    hard = ("power" in buckets and is_power_hard(buckets["power"])) or (
        "hr" in buckets and is_hr_hard(buckets["hr"])
    )
    return hard, combined_basis(buckets)


def seiler_bins(zones: Sequence[float]) -> tuple[float, float, float]:
    """Seiler 3-zone seconds from z1…z7: (z1+z2, z3, z4+z5+z6+z7)."""
    return zones[0] + zones[1], zones[2], sum(zones[3:])
