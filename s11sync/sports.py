"""Sport families: the one table mapping Intervals.icu activity types to families.

Every metric and output uses `family_of`. Unmapped types go to "other" (spec README decision 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FAMILY_TYPES: dict[str, tuple[str, ...]] = {
    "cycling": (
        "Ride", "VirtualRide", "MountainBikeRide", "GravelRide", "EBikeRide",
        "TrackRide", "EMountainBikeRide", "Handcycle",
    ),
    "ski": ("NordicSki", "VirtualSki"),
    "walk": ("Walk", "Hike"),
    "run": ("Run", "VirtualRun", "TrailRun"),
    "swim": ("Swim",),
    "rowing": ("Rowing", "VirtualRow"),
    "strength": ("WeightTraining",),
    "other": ("Yoga", "Workout"),
}

FAMILIES: tuple[str, ...] = tuple(FAMILY_TYPES)

_TYPE_TO_FAMILY = {t: fam for fam, types in FAMILY_TYPES.items() for t in types}

# Types whose activities are recorded outdoors (terrain, weather, name anonymisation).
OUTDOOR_TYPES = frozenset(
    {"Ride", "MountainBikeRide", "GravelRide", "EBikeRide", "Run", "TrailRun", "NordicSki", "Walk", "Hike"}
)
VIRTUAL_TYPES = frozenset({"VirtualRide", "VirtualRun", "VirtualRow", "VirtualSki"})


def family_of(activity_type: str | None) -> str:
    """Family of an API activity type; unknown or missing types are "other"."""
    if activity_type is None:
        return "other"
    return _TYPE_TO_FAMILY.get(activity_type, "other")


def is_indoor(activity: dict) -> bool:
    """Virtual types and any activity with `trainer: true` count as indoor."""
    return activity.get("type") in VIRTUAL_TYPES or activity.get("trainer") is True


def is_outdoor(activity: dict) -> bool:
    """An outdoor type that was not ridden/run on a trainer."""
    return activity.get("type") in OUTDOOR_TYPES and activity.get("trainer") is not True


def is_strava_stub(activity: Mapping[str, Any]) -> bool:
    """Strava-imported activities the API may not share: `source` STRAVA and no `type`."""
    return activity.get("source") == "STRAVA" and not activity.get("type")
