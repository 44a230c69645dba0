"""The one sport-family table (spec README decision 6), checked over the API's whole type enum."""

from __future__ import annotations

import json

from shared_paths import OPENAPI

from s11sync.sports import FAMILY_TYPES, family_of, is_indoor, is_outdoor, is_strava_stub


def api_activity_types() -> list[str]:
    spec = json.loads(OPENAPI.read_text())
    params = spec["paths"]["/api/v1/athlete/{id}/power-curves{ext}"]["get"]["parameters"]
    return next(p["schema"]["enum"] for p in params if "enum" in p.get("schema", {}) and "Ride" in p["schema"]["enum"])


def test_every_api_type_maps_to_exactly_one_family_and_unmapped_ones_to_other():
    types = api_activity_types()
    assert len(types) > 40
    mapped = {t for members in FAMILY_TYPES.values() for t in members}
    for activity_type in types:
        family = family_of(activity_type)
        assert family in FAMILY_TYPES
        if activity_type not in mapped:
            assert family == "other", activity_type
    # decision 6: these four ride types are cycling
    assert {family_of(t) for t in ("TrackRide", "EMountainBikeRide", "Handcycle", "EBikeRide")} == {"cycling"}
    assert family_of("OpenWaterSwim") == "other" and family_of(None) == "other"
    # every mapped type but VirtualSki (kept for compatibility) is a real API type
    assert mapped - set(types) == {"VirtualSki"}


def test_a_trainer_ride_is_indoor_and_stubs_are_recognised():
    assert is_indoor({"type": "Ride", "trainer": True}) and not is_outdoor({"type": "Ride", "trainer": True})
    assert is_outdoor({"type": "GravelRide"}) and is_indoor({"type": "VirtualRun"})
    assert is_strava_stub({"id": "1", "source": "STRAVA", "start_date_local": "2026-01-01"})
    assert not is_strava_stub({"id": "2", "source": "STRAVA", "type": "Ride"})
