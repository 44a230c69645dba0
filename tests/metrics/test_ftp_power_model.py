"""Power-model fields (docs/metrics.md, "Power model") from today's wellness `sportInfo`."""

from __future__ import annotations

from s11sync.metrics.power_model import power_model


def test_first_ride_entry_is_used_and_rounded():
    # eftp 245.37 → 245.4; wPrime 18480.6 → 18481 J / 18.5 kJ; pMax 781.4 → 781
    today = {
        "sportInfo": [
            {"type": "Run", "eftp": 300},
            {"type": "Ride", "eftp": 245.37, "wPrime": 18480.6, "pMax": 781.4},
            {"type": "Ride", "eftp": 999},
        ],
        "vo2max": 55.2,
    }
    assert power_model(today) == {
        "eftp": 245.4,
        "w_prime": 18481,
        "w_prime_kj": 18.5,
        "p_max": 781,
        "power_model_source": "wellness.sportInfo",
        "vo2max": 55.2,
    }


def test_virtual_ride_entry_is_never_used():
    out = power_model({"sportInfo": [{"type": "VirtualRide", "eftp": 250}]})
    assert out["eftp"] is None and out["power_model_source"] == "unavailable"


def test_ride_entry_with_zero_and_null_values_keeps_the_source():
    out = power_model({"sportInfo": [{"type": "Ride", "eftp": 0, "wPrime": None}]})
    assert out["eftp"] is None and out["w_prime"] is None and out["p_max"] is None
    assert out["power_model_source"] == "wellness.sportInfo"


def test_null_sport_info_or_missing_record_is_unavailable():
    assert power_model({"sportInfo": None})["power_model_source"] == "unavailable"
    out = power_model(None)
    assert out["power_model_source"] == "unavailable" and out["vo2max"] is None
