"""Display conversion (outputs-latest §4): athlete_units and to_display."""

import pytest

from s11sync.units import athlete_units, beaufort, pace_string, to_display

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
