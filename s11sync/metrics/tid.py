"""Seiler 3-zone training-intensity distribution and TID drift (docs/metrics.md, "Seiler TID",
"Polarization Index" and "TID drift").

Seiler zone 1 = z1+z2, zone 2 = z3, zone 3 = z4…z7 of each activity's resolved zones
(`zones.activity_zone_seconds`).
Treff Polarization Index: log10((f1 / f2′) × f3 × 100), f2′ = f2 or 0.01 when f2 is 0; null
unless f1 > f3 > f2 and f3 ≥ 0.01. The class test reads the rounded PI and unrounded fractions.

The all-sport blocks count the endurance families only (`ENDURANCE_FAMILIES`, by `family_of`): the HR
time of strength, yoga, pilates and `other` sessions is not endurance intensity, and on real
accounts one pilates and one gym session turned a 7-day "High Intensity" week into "Polarized" and
raised a TID-shift alert. The comparison's `note` says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from s11sync.metrics.zones import activity_zone_seconds, combined_basis, seiler_bins
from s11sync.sports import family_of

PI_MIN_F3 = 0.01
PI_F2_FLOOR = 0.01
POLARIZED_PI_ABOVE = 2.0

# Sport families whose zone time makes up the all-sport (family=None) distribution.
# Walking and hiking are sustained aerobic locomotion and stay in; the rest is not endurance work.
ENDURANCE_FAMILIES = frozenset({"cycling", "run", "swim", "rowing", "ski", "walk"})
TID_SCOPE_NOTE = (
    "Only endurance sessions count (cycling, run, swim, rowing, ski, walk/hike); strength, yoga, "
    "pilates and other sessions are left out."
)

TID_NOTE = (
    "Compares the 7-day and 28-day Seiler intensity distributions to spot shifts. "
    "pi_delta = 7-day minus 28-day Polarization Index; positive means more polarized in the "
    "last 7 days. " + TID_SCOPE_NOTE
)
TID_NOTE_INSUFFICIENT = (
    "Not enough zone data in the 7-day or 28-day window (or both) to compare intensity "
    "distributions. " + TID_SCOPE_NOTE
)


def polarization_index(f1: float, f2: float, f3: float) -> float | None:
    """Treff PI, 2 dp; None unless f1 > f3 > f2 and f3 ≥ 0.01."""
    if f3 < PI_MIN_F3 or not f1 > f3 > f2:
        return None
    f2_used = f2 if f2 > 0 else PI_F2_FLOOR
    return round(math.log10((f1 / f2_used) * f3 * 100), 2)


def classify_tid(f1: float, f2: float, f3: float, pi: float | None) -> str:
    """Five-class label, first match wins."""
    if f3 < PI_MIN_F3 and f1 >= f2 and f1 >= f3:
        return "Base"
    if f1 > f3 > f2 and pi is not None and pi > POLARIZED_PI_ABOVE:
        return "Polarized"
    if f1 > f2 > f3:
        return "Pyramidal"
    if f2 >= f1 and f2 >= f3:
        return "Threshold"
    if f3 >= f1 and f3 >= f2:
        return "High Intensity"
    return "Pyramidal"


def _empty_block() -> dict[str, Any]:
    return {
        "z1_seconds": 0,
        "z2_seconds": 0,
        "z3_seconds": 0,
        "z1_pct": None,
        "z2_pct": None,
        "z3_pct": None,
        "polarization_index": None,
        "classification": None,
        "zone_basis": None,
    }


def seiler_tid(
    activities: Sequence[Mapping[str, Any]],
    zone_preference: Mapping[str, str],
    family: str | None = None,
) -> dict[str, Any]:
    """One TID block over the activities of one sport family, or with `family` None of the
    endurance families (`ENDURANCE_FAMILIES`)."""
    counted = ENDURANCE_FAMILIES if family is None else frozenset({family})
    s1 = s2 = s3 = 0.0
    bases: list[str] = []
    for activity in activities:
        if family_of(activity.get("type")) not in counted:
            continue
        resolved = activity_zone_seconds(activity, zone_preference)
        if resolved is None:
            continue
        basis, zones = resolved
        b1, b2, b3 = seiler_bins(zones)
        s1, s2, s3 = s1 + b1, s2 + b2, s3 + b3
        bases.append(basis)
    total = s1 + s2 + s3
    if total <= 0:
        return _empty_block()
    f1, f2, f3 = s1 / total, s2 / total, s3 / total
    pi = polarization_index(f1, f2, f3)
    return {
        "z1_seconds": round(s1),
        "z2_seconds": round(s2),
        "z3_seconds": round(s3),
        "z1_pct": round(100 * f1, 1),
        "z2_pct": round(100 * f2, 1),
        "z3_pct": round(100 * f3, 1),
        "polarization_index": pi,
        "classification": classify_tid(f1, f2, f3, pi),
        "zone_basis": combined_basis(bases),
    }


def primary_tid(
    activities: Sequence[Mapping[str, Any]],
    zone_preference: Mapping[str, str],
    primary_sport: str | None,
) -> dict[str, Any] | None:
    """The block of the 7-day primary sport, `sport` last; None without a primary sport."""
    if primary_sport is None:
        return None
    block = seiler_tid(activities, zone_preference, primary_sport)
    block["sport"] = primary_sport
    return block


def tid_comparison(tid_7d: Mapping[str, Any], tid_28d: Mapping[str, Any]) -> dict[str, Any]:
    """`capability.tid_comparison` from the all-sport 7d and 28d blocks."""
    class_7d, class_28d = tid_7d.get("classification"), tid_28d.get("classification")
    pi_7d, pi_28d = tid_7d.get("polarization_index"), tid_28d.get("polarization_index")
    if class_7d is None or class_28d is None:
        pi_delta, drift, note = None, None, TID_NOTE_INSUFFICIENT
    else:
        if pi_7d is not None and pi_28d is not None:
            pi_delta = round(pi_7d - pi_28d, 2)
            acute = pi_7d < POLARIZED_PI_ABOVE <= pi_28d
        else:
            pi_delta, acute = None, False
        if acute:
            drift = "acute_depolarization"
        elif class_7d != class_28d:
            drift = "shifting"
        else:
            drift = "consistent"
        note = TID_NOTE
    return {
        "classification_7d": class_7d,
        "classification_28d": class_28d,
        "pi_7d": pi_7d,
        "pi_28d": pi_28d,
        "pi_delta": pi_delta,
        "drift": drift,
        "note": note,
    }
