"""Per-sport thresholds (docs/metrics.md, "Thresholds") and the Ride power-model inputs."""

from __future__ import annotations

from datetime import date

from s11sync.metrics.thresholds import ride_power_model, thresholds_by_sport

ENTRY_KEYS = ["lthr", "max_hr", "threshold_pace", "pace_units", "ftp", "ftp_indoor", "display"]

TH1 = {
    "sportSettings": [
        {
            "types": ["Ride", "VirtualRide"],
            "ftp": 270,
            "indoor_ftp": 260,
            "lthr": 168,
            "max_hr": 185,
            "threshold_pace": None,
        },
        {"types": ["Run", "TrailRun"], "ftp": 0, "lthr": 165, "max_hr": 182, "threshold_pace": 0},
        {"types": ["Rowing"], "lthr": 160, "threshold_pace": 2.0, "pace_units": "SECS_500M"},
        {"types": ["VirtualRow"], "lthr": 158, "max_hr": 180, "ftp": 250},
        {"types": None, "ftp": 300},
        {"types": ["Padel"], "lthr": 150},
    ]
}


def values(entry):
    return [
        entry[k] for k in ("lthr", "max_hr", "threshold_pace", "pace_units", "ftp", "ftp_indoor")
    ]


def test_worked_example_th1_under_the_decisions():
    sports = thresholds_by_sport(TH1)
    assert list(sports) == ["cycling", "run", "rowing", "other"]
    assert all(list(entry) == ENTRY_KEYS for entry in sports.values())
    assert values(sports["cycling"]) == [168, 185, None, None, 270, 260]
    # ftp 0 and pace 0 are "unset"
    assert values(sports["run"]) == [165, 182, None, None, None, None]
    # Rowing scores 2 (lthr, pace; pace_units not counted) < VirtualRow 3 (lthr, max_hr, ftp)
    assert values(sports["rowing"]) == [158, 180, None, None, 250, None]
    # Padel is unmapped → other (one sport-family table, docs/differences.md); the entry with types
    # null is skipped
    assert values(sports["other"]) == [150, None, None, None, None, None]


def test_tie_on_scored_fields_keeps_the_alphabetically_first_type():
    athlete = {
        "sportSettings": [
            {"types": ["VirtualRow"], "lthr": 158},
            {"types": ["Rowing"], "lthr": 160},
        ]
    }
    assert thresholds_by_sport(athlete)["rowing"]["lthr"] == 160  # "Rowing" < "VirtualRow", 1 vs 1
    athlete["sportSettings"].reverse()
    assert thresholds_by_sport(athlete)["rowing"]["lthr"] == 160


def test_more_fields_beat_the_alphabet():
    athlete = {
        "sportSettings": [
            {"types": ["Rowing"], "lthr": 160},
            {"types": ["VirtualRow"], "lthr": 158, "max_hr": 180},
        ]
    }
    assert thresholds_by_sport(athlete)["rowing"]["lthr"] == 158  # 2 fields vs 1


def test_threshold_pace_gets_a_display_string_in_its_pace_units():
    athlete = {
        "sportSettings": [
            {"types": ["Run"], "threshold_pace": 4.1, "pace_units": "MINS_KM"},
            {"types": ["Swim"], "threshold_pace": 1.25, "pace_units": "SECS_100M"},
        ]
    }
    sports = thresholds_by_sport(athlete)
    # 1000 / 4.1 = 243.9 s → 244 → 4:04 /km; 100 / 1.25 = 80 s → 1:20 /100m
    assert sports["run"]["display"] == {"threshold_pace": {"value": "4:04", "unit": "/km"}}
    assert sports["swim"]["display"] == {"threshold_pace": {"value": "1:20", "unit": "/100m"}}
    assert sports["run"]["pace_units"] == "MINS_KM"


def test_pace_units_are_dropped_without_a_pace():
    sports = thresholds_by_sport(
        {
            "sportSettings": [
                {"types": ["Run"], "threshold_pace": 0, "pace_units": "MINS_KM", "lthr": 170}
            ]
        }
    )
    assert sports["run"]["pace_units"] is None
    assert sports["run"]["display"] == {"threshold_pace": None}


def test_missing_or_null_settings_give_an_empty_map():
    assert thresholds_by_sport({}) == {}
    assert thresholds_by_sport({"sportSettings": None}) == {}
    assert thresholds_by_sport(None) == {}
    assert thresholds_by_sport({"sportSettings": [{"types": [None, 3], "lthr": 1}]}) == {}


def test_power_model_reads_the_first_ride_entry_of_todays_wellness():
    wellness = [
        {"id": "2026-03-21", "sportInfo": [{"type": "Ride", "eftp": 999, "wPrime": 1}]},
        {
            "id": "2026-03-22",
            "sportInfo": [
                {"type": "Run", "eftp": 300},
                {"type": "Ride", "eftp": 245.37, "wPrime": 18480.6},
                {"type": "Ride", "eftp": 1, "wPrime": 1},
            ],
        },
    ]
    # power-model rounding: eftp 245.37 → 245.4, wPrime 18480.6 → 18481
    assert ride_power_model(wellness, date(2026, 3, 22)) == {"eftp": 245.4, "w_prime": 18481}


def test_power_model_is_null_without_a_ride_entry_or_with_zero_values():
    today = date(2026, 3, 22)
    assert ride_power_model([], today) == {"eftp": None, "w_prime": None}
    assert ride_power_model([{"id": "2026-03-22", "sportInfo": None}], today) == {
        "eftp": None,
        "w_prime": None,
    }
    zero = [{"id": "2026-03-22", "sportInfo": [{"type": "Ride", "eftp": 0, "wPrime": None}]}]
    assert ride_power_model(zero, today) == {"eftp": None, "w_prime": None}
