"""The demo athlete's training zones and how a constant-effort segment's time spreads over them.

The zone bounds are the upper edges of Z1…Z7 (power and pace in % of threshold, HR in bpm), as
the athlete's sport settings carry them; the last bound is a catch-all.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

POWER_ZONES = [55, 75, 90, 105, 120, 150, 999]
RIDE_HR_ZONES = [136, 150, 156, 166, 171, 178, 188]
RUN_HR_ZONES = [139, 153, 160, 170, 175, 182, 192]
PACE_ZONES = [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0]


def zone_index(value: float, bounds: Sequence[float]) -> int:
    return min(bisect.bisect_right(bounds, value), len(bounds) - 1)


# Zone offset -> share of a constant-effort segment's time. Outdoors the spread is lopsided:
# coasting pushes time a zone down, terrain and traffic add short surges well above the target.
# (Was symmetric, +-1 zone 15 %: every endurance ride filled Z3, so Z3 > Z4+ and no Seiler PI.)
_SPREAD_OUTDOOR = {0: 0.62, -1: 0.20, -2: 0.03, 1: 0.07, 2: 0.05, 3: 0.03}
_SPREAD_INDOOR = {0: 0.88, -1: 0.06, 1: 0.06}


def _spread(secs: int, centre: int, n: int, outdoor: bool) -> list[int]:
    out = [0] * n
    raw: dict[int, float] = {}
    for off, w in (_SPREAD_OUTDOOR if outdoor else _SPREAD_INDOOR).items():
        z = centre + off
        if 0 <= z < n:
            raw[z] = raw.get(z, 0) + w
    norm = sum(raw.values())
    for z, w in raw.items():
        out[z] = int(secs * w / norm)
    out[centre] += secs - sum(out)
    return out


def seconds_in_zones(
    segments: Iterable[tuple[int, float]], bounds: Sequence[float], outdoor: bool
) -> list[int]:
    """Seconds per zone of (seconds, value) segments, each spread around the zone of its value."""
    total = [0] * len(bounds)
    for secs, value in segments:
        spread = _spread(secs, zone_index(value, bounds), len(bounds), outdoor)
        total = [a + b for a, b in zip(total, spread)]
    return total
