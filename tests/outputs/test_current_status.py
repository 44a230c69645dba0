"""current_status.fitness and thresholds (docs/metrics.md, "Fitness", "Thresholds")."""

from datetime import date

from latest_dataset import make_athlete, make_snapshot

from s11sync.config import Settings
from s11sync.outputs.fitness import (
    LABEL_API,
    LABEL_DECAYED_NO_WELLNESS,
    LABEL_DECAYED_PLANNED,
    build_fitness,
    build_sports,
    build_thresholds,
)
from s11sync.outputs.latest import build_latest
from s11sync.snapshot import Previous

T = date(2026, 3, 18)
TODAY = {"id": "2026-03-18", "ctl": 56.123, "atl": 58.456, "rampRate": 3.456}
YDAY = {"id": "2026-03-17", "ctl": 55.0, "atl": 60.0, "rampRate": 3.2}
WEEK_AGO = {"id": "2026-03-11", "ctl": 50.0}
WORKOUT_TODAY = [{"category": "WORKOUT", "start_date_local": "2026-03-18T00:00:00"}]
DONE_TODAY = [{"id": "i9", "start_date_local": "2026-03-18T07:00:00"}]


def test_planned_workout_not_yet_done_uses_values_decayed_from_yesterday():
    fit = build_fitness(TODAY, YDAY, WEEK_AGO, WORKOUT_TODAY, [], T)
    # ctl 55 × e^(−1/42) = 55 × 0.976471 = 53.7059 → 53.71; atl 60 × e^(−1/7) = 60 × 0.866878 = 52.0127
    # → 52.01; tsb 53.71 − 52.01 = 1.70; ramp = ctl − ctl 7 days earlier = 53.71 − 50 = 3.71
    assert fit == {
        "ctl": 53.71,
        "atl": 52.01,
        "tsb": 1.7,
        "ramp_rate": 3.71,
        "fitness_source": LABEL_DECAYED_PLANNED,
    }


def test_decayed_branch_without_the_record_of_a_week_ago_has_no_ramp():
    assert build_fitness(TODAY, YDAY, None, WORKOUT_TODAY, [], T)["ramp_rate"] is None


def test_done_workout_passes_the_api_values_through():
    fit = build_fitness(TODAY, YDAY, WEEK_AGO, WORKOUT_TODAY, DONE_TODAY, T)
    # r2: 56.123 → 56.12, 58.456 → 58.46, 3.456 → 3.46; tsb 56.12 − 58.46 = −2.34
    assert fit == {
        "ctl": 56.12,
        "atl": 58.46,
        "tsb": -2.34,
        "ramp_rate": 3.46,
        "fitness_source": LABEL_API,
    }


def test_no_planned_workout_uses_the_api_values():
    assert build_fitness(TODAY, YDAY, WEEK_AGO, [], [], T)["fitness_source"] == LABEL_API


def test_missing_todays_wellness_is_decayed_under_label_c():
    fit = build_fitness(None, YDAY, WEEK_AGO, [], [], T)
    assert fit == {
        "ctl": 53.71,
        "atl": 52.01,
        "tsb": 1.7,
        "ramp_rate": 3.71,
        "fitness_source": LABEL_DECAYED_NO_WELLNESS,
    }


def test_a_real_zero_from_the_api_is_a_value():
    fit = build_fitness({"ctl": 0.0, "atl": 0.0, "rampRate": 0.0}, YDAY, WEEK_AGO, [], [], T)
    assert (fit["ctl"], fit["atl"], fit["tsb"], fit["ramp_rate"]) == (0.0, 0.0, 0.0, 0.0)


def test_nothing_known_gives_nulls():
    fit = build_fitness(None, None, None, [], [], T)
    assert (fit["ctl"], fit["atl"], fit["tsb"], fit["ramp_rate"]) == (None, None, None, None)


def test_a_race_today_also_triggers_the_decayed_branch_but_a_note_does_not():
    race = [{"category": "RACE_C", "start_date_local": "2026-03-18T09:00:00"}]
    note = [{"category": "NOTE", "start_date_local": "2026-03-18T00:00:00"}]
    assert (
        build_fitness(TODAY, YDAY, WEEK_AGO, race, [], T)["fitness_source"] == LABEL_DECAYED_PLANNED
    )
    assert build_fitness(TODAY, YDAY, WEEK_AGO, note, [], T)["fitness_source"] == LABEL_API


def test_power_model_from_the_ride_sport_info():
    rec = {
        "sportInfo": [
            {"type": "Run", "eftp": None},
            {"type": "Ride", "eftp": 251.04, "wPrime": 16850.0, "pMax": 905.4},
        ],
        "vo2max": 55.0,
    }
    th = build_thresholds(rec, None)
    # 251.04 → 251.0; 16850 J → 16.85 kJ → r1 16.9 (binary 16.85000…01); 905.4 → 905
    assert (th["eftp"], th["w_prime"], th["w_prime_kj"], th["p_max"], th["vo2max"]) == (
        251.0,
        16850,
        16.9,
        905,
        55.0,
    )
    assert list(th) == [
        "eftp",
        "w_prime",
        "w_prime_kj",
        "p_max",
        "vo2max",
        "vo2max_last_known",
        "sports",
    ]
    assert th["vo2max_last_known"] is None  # no wellness list given


def test_present_but_null_sport_info_is_empty():
    th = build_thresholds({"sportInfo": None}, None)
    assert (th["eftp"], th["w_prime"], th["w_prime_kj"], th["p_max"]) == (None, None, None, None)
    assert th["sports"] == {}


def test_sports_per_family_with_the_five_field_count_and_tie_break():
    sports = build_sports(make_athlete())
    assert list(sports) == ["cycling", "walk", "run", "rowing", "other"]
    assert sports["cycling"] == {
        "lthr": 168,
        "max_hr": 185,
        "threshold_pace": None,
        "pace_units": None,
        "ftp": 270,
        "ftp_indoor": 260,
    }
    # ftp 0 → null; pace 4.1 kept with its units
    assert sports["run"] == {
        "lthr": 165,
        "max_hr": 182,
        "threshold_pace": 4.1,
        "pace_units": "MINS_KM",
        "ftp": None,
        "ftp_indoor": None,
    }
    # Rowing scores 2 (lthr, pace), VirtualRow 3 (lthr, max_hr, ftp): VirtualRow wins
    assert sports["rowing"]["lthr"] == 158 and sports["rowing"]["ftp"] == 250
    assert sports["other"]["lthr"] == 150  # unmapped Padel → other
    assert sports["walk"]["lthr"] == 101  # Walk and Hike both score 1: "Hike" < "Walk"


def test_threshold_pace_display_in_the_sport_pace_units():
    sports = build_thresholds(None, make_athlete())["sports"]
    assert sports["run"]["display"] == {"threshold_pace": {"value": "4:04", "unit": "/km"}}
    assert sports["cycling"]["display"] == {"threshold_pace": None}
    rowing = build_thresholds(
        None,
        {
            "sportSettings": [
                {"types": ["Rowing"], "threshold_pace": 2.0, "pace_units": "SECS_500M"}
            ]
        },
    )["sports"]["rowing"]
    assert rowing["display"]["threshold_pace"] == {
        "value": "4:10",
        "unit": "/500m",
    }  # 500/2 = 250 s


def test_threshold_pace_carries_its_unit_beside_it():
    # 4.1 is m/s although pace_units says MINS_KM (the display preference)
    sports = build_thresholds(None, make_athlete())["sports"]
    run = sports["run"]
    assert list(run)[:4] == ["lthr", "max_hr", "threshold_pace", "threshold_pace_unit"]
    assert (run["threshold_pace"], run["threshold_pace_unit"], run["pace_units"]) == (
        4.1,
        "m/s",
        "MINS_KM",
    )
    assert sports["cycling"]["threshold_pace_unit"] is None  # no pace, no unit


def test_athlete_without_sport_settings():
    assert build_sports({"sportSettings": None}) == {}
    assert build_sports(None) == {}


def test_thresholds_sports_part_overrides_the_athlete_record():
    override = {
        "run": {
            "lthr": 170,
            "max_hr": None,
            "threshold_pace": None,
            "pace_units": None,
            "ftp": None,
            "ftp_indoor": None,
        }
    }
    doc = build_latest(
        make_snapshot(),
        Previous(),
        Settings(),
        {"thresholds_sports": override},
        version="x",
        schema_version=1,
    )
    assert list(doc["current_status"]["thresholds"]["sports"]) == ["run"]
    # a null pace has no display companion (it would only repeat the null)
    assert "display" not in doc["current_status"]["thresholds"]["sports"]["run"]


def test_fitness_in_the_document_uses_the_decayed_branch_for_the_planned_threshold_session():
    doc = build_latest(make_snapshot(), Previous(), Settings(), {}, version="x", schema_version=1)
    assert doc["current_status"]["fitness"]["fitness_source"] == LABEL_DECAYED_PLANNED
    assert doc["current_status"]["fitness"]["ctl"] == 53.71
