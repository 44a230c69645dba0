"""Display conversion (canonical SI values, companions in the athlete's units): athlete_units and
to_display."""

import pytest

from s11sync.units import (
    athlete_units,
    beaufort,
    pace_string,
    prune_display,
    repeats_raw,
    to_display,
)

METRIC = athlete_units(None)
IMPERIAL = athlete_units(
    {
        "measurement_preference": "feet",
        "wind_speed": "MPH",
        "fahrenheit": True,
        "rain": "INCHES",
        "weight_pref_lb": True,
        "height_units": "FEET",
    }
)


def test_missing_athlete_record_means_all_metric():
    assert METRIC == {
        "wind": "m/s",
        "temp": "c",
        "rain": "mm",
        "distance": "metric",
        "weight": "kg",
        "height": "cm",
    }


def test_enum_values_the_original_never_matched_are_mapped():
    assert IMPERIAL == {
        "wind": "mph",
        "temp": "f",
        "rain": "in",
        "distance": "imperial",
        "weight": "lb",
        "height": "in",
    }
    assert athlete_units({"wind_speed": "KMH"})["wind"] == "km/h"
    assert athlete_units({"wind_speed": "KNOTS"})["wind"] == "kn"
    assert athlete_units({"wind_speed": "BFT"})["wind"] == "bft"
    assert athlete_units({"wind_speed": "SOMETHING"})["wind"] == "m/s"
    # measurement_preference null or "meters" → metric, anything else → imperial
    assert athlete_units({"measurement_preference": None})["distance"] == "metric"
    assert athlete_units({"height_units": "CM"})["height"] == "cm"


@pytest.mark.parametrize(
    "value,kind,units,expected",
    [
        (10.0, "distance", METRIC, {"value": 10.0, "unit": "km"}),
        (10.0, "distance", IMPERIAL, {"value": 6.21, "unit": "mi"}),  # 10 × 0.621371 = 6.21371
        (200.0, "elevation", IMPERIAL, {"value": 656, "unit": "ft"}),  # 200 × 3.28084 = 656.17
        (
            20.0,
            "elevation_per_distance",
            IMPERIAL,
            {"value": 106, "unit": "ft/mi"},
        ),  # 20 × 5.28 = 105.6
        (70.0, "weight", IMPERIAL, {"value": 154.3, "unit": "lb"}),  # 70 × 2.20462 = 154.32
        (1.80, "height", METRIC, {"value": 180, "unit": "cm"}),
        (1.80, "height", IMPERIAL, {"value": 71, "unit": "in"}),  # 1.8 × 39.3701 = 70.87
        (30.0, "speed", IMPERIAL, {"value": 18.6, "unit": "mph"}),  # 30 × 0.621371 = 18.64
        (
            -3.25,
            "temperature",
            IMPERIAL,
            {"value": 26.1, "unit": "°F"},
        ),  # −3.25 × 9/5 + 32 = 26.15 → 26.1
        (0.0, "temperature", METRIC, {"value": 0.0, "unit": "°C"}),  # a real 0 is a value
        (4.0, "wind", athlete_units({"wind_speed": "KMH"}), {"value": 14.4, "unit": "km/h"}),
        (
            4.0,
            "wind",
            athlete_units({"wind_speed": "KNOTS"}),
            {"value": 7.8, "unit": "kn"},
        ),  # 7.775
        (
            4.0,
            "wind",
            athlete_units({"wind_speed": "BFT"}),
            {"value": 3, "unit": "bft"},
        ),  # 0.5,1.6,3.4 ≤ 4
        (12.7, "rain", IMPERIAL, {"value": 0.5, "unit": "in"}),  # 12.7 / 25.4
        (4.1, "pace", METRIC, {"value": "4:04", "unit": "/km"}),  # 1000/4.1 = 243.9 → 244 s
        (4.1, "pace", IMPERIAL, {"value": "6:33", "unit": "/mi"}),  # 1609.344/4.1 = 392.5 → 393 s
    ],
)
def test_to_display(value, kind, units, expected):
    assert to_display(value, kind, units) == expected


def test_to_display_of_null_is_null():
    assert to_display(None, "distance", METRIC) is None


def test_pace_per_named_unit():
    assert pace_string(2.0, "/500m") == "4:10"  # 500 / 2.0 = 250 s
    assert pace_string(1.25, "/100m") == "1:20"  # 100 / 1.25 = 80 s
    assert pace_string(0.0) is None
    assert pace_string(-1.0) is None


def test_beaufort_counts_thresholds_at_or_below():
    assert beaufort(0.4) == 0
    assert beaufort(0.5) == 1
    assert beaufort(33.0) == 12


def test_unknown_kind_is_a_bug():
    with pytest.raises(ValueError):
        to_display(1.0, "volume", METRIC)


# --- display companions only where they add something -----------------------------------------


def test_a_companion_in_the_raw_unit_or_for_a_null_is_dropped_and_an_empty_display_goes():
    activity = {
        "distance_km": 9.01,
        "elevation_m": 54.1,
        "avg_speed": 10.8,
        "avg_speed_unit": "KPH",
        "wind_speed": 5.49,
        "wind_speed_unit": "MPS",
        "avg_temp": None,
        "avg_temp_unit": "C",
        "display": {
            "distance": {"value": 9.01, "unit": "km"},
            "elevation": {"value": 54, "unit": "m"},  # a rounding of elevation_m: nothing new
            "avg_speed": {"value": 10.8, "unit": "km/h"},
            "wind_speed": {"value": 19.8, "unit": "km/h"},  # another unit than the raw m/s: kept
            "avg_temp": None,
            "avg_pace": {"value": "5:33", "unit": "/km"},  # a formatted pace: kept
        },
    }
    prune_display(activity)
    assert activity["display"] == {
        "wind_speed": {"value": 19.8, "unit": "km/h"},
        "avg_pace": {"value": "5:33", "unit": "/km"},
    }
    wellness = {"weight_kg": 70.0, "display": {"weight": {"value": 70.0, "unit": "kg"}}}
    assert prune_display([wellness]) == [{"weight_kg": 70.0}]


def test_a_companion_in_another_unit_stays():
    imperial = {"distance_km": 9.01, "display": {"distance": {"value": 5.6, "unit": "mi"}}}
    race = {"distance_meters": 38000.0, "display": {"distance": {"value": 38.0, "unit": "km"}}}
    wind_mps = {
        "wind_speed": 5.49,
        "wind_speed_unit": "MPS",
        "display": {"wind_speed": {"value": 5.5, "unit": "m/s"}},
    }
    height = {"height_m": 1.78, "display": {"height": {"value": 178, "unit": "cm"}}}
    nested = {
        "terrain_summary": {
            "climbs": [{"position_km": 2.4, "display": {"position": {"value": 1.5, "unit": "mi"}}}]
        }
    }
    assert prune_display(dict(imperial))["display"] == imperial["display"]
    assert prune_display(dict(race))["display"] == race["display"]
    assert "display" not in prune_display(dict(wind_mps))  # the raw value is already m/s
    assert prune_display(dict(height))["display"] == height["display"]
    assert (
        prune_display(nested)["terrain_summary"]["climbs"][0]["display"]["position"]["unit"] == "mi"
    )
    assert not repeats_raw("distance", {"value": 9.0, "unit": "km"}, {})  # no raw sibling to repeat
