"""A small hand-made run: Wednesday 2026-03-18, display window D = 7 (03-12 … 03-18)."""

from datetime import date, datetime, timedelta, timezone

from s11sync.snapshot import Snapshot

TODAY = date(2026, 3, 18)
NOW = datetime(2026, 3, 18, 12, 0, 5, 123456, tzinfo=timezone(timedelta(hours=1)))


def S(d, w):
    return {"duration": d, "_power": {"value": w}}


def R(n, steps):
    return {"reps": n, "steps": steps}


def make_athlete():
    return {
        "id": "i42",
        "name": "Real Name",
        "icu_api_key": "SECRET-KEY",
        "icu_friend_invite_token": "TOKEN",
        "icu_date_of_birth": "1990-03-19",
        "height": 1.80,
        "sex": "M",
        "city": "Hometown  ",
        "state": "",
        "country": "Germany ",
        "timezone": "Europe/Berlin",
        "icu_activated": "2019-05-01T10:00:00Z",
        "icu_notes": "Knee surgery 2020",
        "measurement_preference": "meters",
        "wind_speed": "KMH",
        "fahrenheit": False,
        "rain": "MM",
        "weight_pref_lb": False,
        "height_units": "CM",
        "icu_weight": 71.5,
        "icu_resting_hr": 52,
        "sportSettings": [
            {
                "types": ["Ride", "VirtualRide"],
                "ftp": 270,
                "indoor_ftp": 260,
                "lthr": 168,
                "max_hr": 185,
                "threshold_pace": None,
                "pace_units": None,
            },
            {
                "types": ["Run", "TrailRun"],
                "ftp": 0,
                "lthr": 165,
                "max_hr": 182,
                "threshold_pace": 4.1,
                "pace_units": "MINS_KM",
            },
            {"types": ["Rowing"], "lthr": 160, "threshold_pace": 2.0, "pace_units": "SECS_500M"},
            {"types": ["VirtualRow"], "lthr": 158, "max_hr": 180, "ftp": 250},
            {"types": None, "ftp": 300},
            {"types": ["Padel"], "lthr": 150},
            {"types": ["Walk"], "lthr": 100},
            {"types": ["Hike"], "lthr": 101},
        ],
    }


def make_activities():
    ride = {
        "id": "i1001",
        "start_date_local": "2026-03-17T09:00:00",
        "type": "Ride",
        "trainer": False,
        "name": "Loop around Hometown",
        "moving_time": 3600,
        "distance": 30000.0,
        "icu_training_load": 60,
        "icu_intensity": 85.0,
        "icu_rpe": 7,
        "feel": 2,
        "icu_average_watts": 200,
        "icu_weighted_avg_watts": 210,
        "average_heartrate": 140,
        "max_heartrate": 171,
        "average_cadence": 88.5,
        "average_speed": 8.3,
        "max_speed": 15.0,
        "icu_joules": 720000,
        "calories": 800,
        "carbs_used": 120,
        "carbs_ingested": None,
        "icu_variability_index": 1.05,
        "decoupling": 3.2,
        "icu_efficiency_factor": 1.5,
        "icu_hrr": {"hrr": 31},
        "total_elevation_gain": 350.0,
        "icu_zone_times": [
            {"id": "Z1", "secs": 600},
            {"id": "Z2", "secs": 1800},
            {"id": "Z3", "secs": 900},
            {"id": "Z4", "secs": 300},
            {"id": "Z5", "secs": 0},
            {"id": "Z6", "secs": None},
            {"id": "Z7", "secs": 0},
            {"id": "SS", "secs": 500},
        ],
        "icu_hr_zone_times": [300, 2400, 900, None, 0],
        "has_weather": True,
        "average_weather_temp": 0.0,
        "average_temp": 5.0,
        "average_wind_speed": 4.0,
        "average_wind_gust": 7.5,
        "prevailing_wind_deg": 270,
        "headwind_percent": 40.0,
        "tailwind_percent": 35.0,
        "average_feels_like": -3.25,
        "min_feels_like": -5.0,
        "max_feels_like": 0.0,
        "min_weather_temp": -1.0,
        "max_weather_temp": 1.5,
        "average_clouds": 80,
        "max_rain": 0.4,
        "max_snow": None,
        "description": "NOTE: felt strong\n\nGood ride\nNOTE: not a coach note",
    }
    run = {
        "id": "i1002",
        "start_date_local": "2026-03-16T18:30:00",
        "type": "Run",
        "name": "Morning run",
        "moving_time": 2700,
        "distance": 9000.0,
        "icu_training_load": 45.5,
        "icu_intensity": 64.9,
        "icu_rpe": 3,
        "average_speed": 3.3333333333333335,
        "max_speed": None,
        "average_weather_temp": None,
        "average_temp": None,
        "has_weather": False,
        "icu_hr_zone_times": [600, 1500, 600],
        "pace_zone_times": [1000, 1200, 500],
        "gap_zone_times": [900, 1300, 500],
        "use_gap_zone_times": False,
        "description": "  ",
    }
    zwift = {
        "id": "i1003",
        "start_date_local": "2026-03-15T07:00:00",
        "type": "VirtualRide",
        "name": "Zwift",
        "moving_time": None,
        "distance": None,
        "icu_training_load": None,
        "icu_intensity": None,
        "icu_zone_times": None,
        "icu_hr_zone_times": None,
    }
    stub = {
        "id": "98765",
        "icu_athlete_id": "i42",
        "start_date_local": "2026-03-14T10:00:00",
        "source": "STRAVA",
        "_note": "STRAVA activities are not available via the API",
    }
    trainer = {
        "id": "i1004",
        "start_date_local": "2026-03-10T10:00:00",
        "type": "Ride",
        "trainer": True,
        "name": "Turbo session",
        "moving_time": 5400,
        "distance": 40000.0,
        "icu_training_load": 80,
        "has_weather": True,
    }
    return [ride, run, zwift, stub, trainer]


def make_wellness():
    return [
        {
            "id": "2026-03-18",
            "ctl": 56.123,
            "atl": 58.456,
            "rampRate": 3.456,
            "hrv": 62.0,
            "restingHR": 48,
            "weight": None,
            "sleepSecs": 27000,
            "sleepQuality": 2,
            "vo2max": 55.0,
            "sportInfo": [
                {"type": "Run", "eftp": None},
                {"type": "Ride", "eftp": 251.04, "wPrime": 16850.0, "pMax": 905.4},
            ],
            "fatigue": 2,
            "mentalEnergy": None,
        },
        {"id": "2026-03-11", "ctl": 50.0, "atl": 45.0, "rampRate": 1.0, "hrv": 70.0},
        {
            "id": "2026-03-16",
            "ctl": 54.0,
            "atl": 58.0,
            "hrv": 60.0,
            "restingHR": 50,
            "weight": 70.0,
            "sportInfo": None,
        },
        {
            "id": "2026-03-17",
            "ctl": 55.0,
            "atl": 60.0,
            "rampRate": 3.2,
            "hrv": 300.0,
            "restingHR": 0,
            "sleepSecs": 27930,
        },
    ]


def make_events():
    e1 = [S(600, 150), R(4, [S(596, 259), S(300, 130)]), S(600, 140)]
    return [
        {
            "id": 503,
            "category": "RACE_A",
            "type": "Ride",
            "name": "Spring Classic",
            "start_date_local": "2026-04-25T08:30:00",
            "icu_training_load": 250,
            "moving_time": 14400,
            "description": "Line 1\n\nLine 2\nLine 3\nLine 4",
            "workout_doc": None,
        },
        {
            "id": 501,
            "category": "WORKOUT",
            "type": "Ride",
            "name": "Threshold",
            "start_date_local": "2026-03-18T00:00:00",
            "icu_training_load": 78,
            "moving_time": 4784,
            "description": "NOTE: keep cadence high\n\n- 10m 150w\n\nMain 4x\n- 9m56s 259w\n- 5m 130w",
            "workout_doc": {"steps": e1},
        },
        {
            "id": 502,
            "category": "NOTE",
            "name": "Travel",
            "start_date_local": "2026-03-20T00:00:00",
            "description": "Flight to Spain",
        },
        {
            "id": 504,
            "category": "WORKOUT",
            "type": "Ride",
            "name": "Endurance",
            "indoor": True,
            "start_date_local": "2026-03-22T00:00:00",
            "moving_time": 7200,
            "icu_training_load": None,
            "workout_doc": {"steps": [S(7200, 160)]},
        },
        {
            "id": 500,
            "category": "WORKOUT",
            "type": "Ride",
            "name": "Past",
            "start_date_local": "2026-03-10T00:00:00",
            "workout_doc": {"steps": [S(60, 100)]},
            "paired_activity_id": "i1004",
        },
    ]


def make_snapshot(**changes):
    snap = Snapshot(
        today=TODAY,
        now=NOW,
        days=7,
        athlete=make_athlete(),
        activities=make_activities(),
        wellness=make_wellness(),
        events=make_events(),
    )
    for key, value in changes.items():
        setattr(snap, key, value)
    return snap
