"""Power-model fields from today's wellness `sportInfo` (docs/metrics.md, "Power model").

Only the first `sportInfo` entry with `type == "Ride"` is used (never VirtualRide or other sports).
`wPrime` / `pMax` are read as the live service serves them although the OpenAPI spec lacks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s11sync.numbers import finite_number

SOURCE_WELLNESS = "wellness.sportInfo"
SOURCE_UNAVAILABLE = "unavailable"


def _positive(value: Any) -> float | None:
    """A finite non-zero number, else None (0 means 'not set')."""
    number = finite_number(value)
    return number if number != 0 else None


def ride_sport_info(wellness_today: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The first Ride entry of today's `sportInfo` (null list = empty), or None."""
    if not wellness_today:
        return None
    for entry in wellness_today.get("sportInfo") or []:
        if isinstance(entry, Mapping) and entry.get("type") == "Ride":
            return entry
    return None


def power_model(wellness_today: Mapping[str, Any] | None) -> dict[str, Any]:
    """`eftp, w_prime, w_prime_kj, p_max, power_model_source, vo2max` in emission order.

    `wellness_today` is today's wellness record, or None when it is missing or its fetch failed.
    """
    ride = ride_sport_info(wellness_today)
    eftp = _positive(ride.get("eftp")) if ride is not None else None
    w_prime = _positive(ride.get("wPrime")) if ride is not None else None
    p_max = _positive(ride.get("pMax")) if ride is not None else None
    vo2max = wellness_today.get("vo2max") if wellness_today else None
    return {
        "eftp": round(eftp, 1) if eftp is not None else None,
        "w_prime": round(w_prime) if w_prime is not None else None,
        "w_prime_kj": round(w_prime / 1000, 1) if w_prime is not None else None,
        "p_max": round(p_max) if p_max is not None else None,
        "power_model_source": SOURCE_WELLNESS if ride is not None else SOURCE_UNAVAILABLE,
        "vo2max": vo2max,
    }
