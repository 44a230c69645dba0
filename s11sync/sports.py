"""Sport families: the one table mapping Intervals.icu activity types to families.

Every metric and output uses `family_of`. Every value of the API's activity-type enum (the OpenAPI
description vendored in tests/fixtures/intervals-icu/, July 2026) is listed explicitly below, `other`
included; tests/test_sports.py fails when the API gains a type this table does not place. A type the
API adds later, before the table knows it, still reads as "other" at run time rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# fmt: off
FAMILY_TYPES: dict[str, tuple[str, ...]] = {
    "cycling": (
        "Ride", "VirtualRide", "MountainBikeRide", "GravelRide", "Cyclocross", "EBikeRide",
        "TrackRide", "EMountainBikeRide", "Handcycle", "Velomobile",
    ),
    # cross-country skiing and its training / touring forms; downhill skiing is "other"
    "ski": ("NordicSki", "VirtualSki", "RollerSki", "BackcountrySki"),
    "walk": ("Walk", "Hike", "Snowshoe"),
    "run": ("Run", "VirtualRun", "TrailRun"),
    "swim": ("Swim", "OpenWaterSwim"),
    "rowing": ("Rowing", "VirtualRow"),
    "strength": ("WeightTraining", "Crossfit"),
    # Sports with no family of their own. Paddling stays here: a kayak or SUP threshold block must
    # not compete with the rowing block for the rowing thresholds.
    "other": (
        "Other", "Workout", "Yoga", "Pilates", "HighIntensityIntervalTraining", "Elliptical",
        "StairStepper", "Transition", "Wheelchair", "InlineSkate", "IceSkate", "Skateboard",
        "AlpineSki", "Snowboard", "Canoeing", "Kayaking", "StandUpPaddling", "Surfing",
        "Kitesurf", "Windsurf", "Sail", "WaterSport", "RockClimbing", "Golf", "Soccer", "Rugby",
        "Hockey", "Tennis", "TableTennis", "Badminton", "Squash", "Racquetball", "Padel",
        "Pickleball",
    ),
}
# fmt: on

FAMILIES: tuple[str, ...] = tuple(FAMILY_TYPES)

_TYPE_TO_FAMILY = {t: fam for fam, types in FAMILY_TYPES.items() for t in types}

# Types whose activities are recorded outdoors on land (terrain, weather, name anonymisation).
OUTDOOR_TYPES = frozenset(
    {
        "Ride", "MountainBikeRide", "GravelRide", "Cyclocross", "EBikeRide", "Run", "TrailRun",
        "NordicSki", "Walk", "Hike",
    }
)  # fmt: skip
VIRTUAL_TYPES = frozenset({"VirtualRide", "VirtualRun", "VirtualRow", "VirtualSki"})


def family_of(activity_type: str | None) -> str:
    """Family of an API activity type; a missing type, or one newer than the table, is "other"."""
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
