"""The demo athlete's record (`GET /athlete/{id}`) and daily wellness records.

The athlete record carries fake secret fields (`icu_api_key`, `icu_friend_invite_token`) the way the
live one does, so tests can prove they never leak. Wellness values react to load (CTL/ATL from
`athlete.build_demo`), sickness, the injury marker and the training gap.
"""

from __future__ import annotations

import functools
import math
from datetime import date, timedelta
from typing import Any

from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu import athlete_sessions as ses
from s11sync.demo.intervals_icu import athlete_zones as zones

FAKE_API_KEY_FIELD = "FAKE-icu-api-key-must-never-leak-7c1e"
FAKE_INVITE_TOKEN = "FAKE-invite-token-must-never-leak-42ab"


# ---------------------------------------------------------------- athlete


def athlete_record(today: date, athlete_id: str, name: str) -> dict[str, Any]:
    ride = {
        "id": 1001,
        "athlete_id": athlete_id,
        "types": ["Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "Cyclocross"],
        "ftp": cal.ftp_outdoor(today),
        "indoor_ftp": cal.ftp_indoor(today),
        "w_prime": 19800,
        "p_max": 940,
        "power_zones": zones.POWER_ZONES,
        "sweet_spot_min": 84,
        "sweet_spot_max": 97,
        "lthr": cal.RIDE_LTHR,
        "max_hr": cal.RIDE_MAX_HR,
        "hr_zones": zones.RIDE_HR_ZONES,
        "threshold_pace": None,
        "pace_units": None,
        "pace_zones": None,
        "warmup_time": 900,
        "cooldown_time": 600,
        "hr_load_type": "HRSS",
        "mmp_model": {
            "type": "MORTON_3P",
            "criticalPower": int(cal.ftp_outdoor(today) * 1.03),
            "wPrime": 19800,
            "pMax": 940,
            "ftp": cal.ftp_outdoor(today),
        },
        "other": False,
    }
    run = {
        "id": 1002,
        "athlete_id": athlete_id,
        "types": ["Run", "TrailRun", "VirtualRun"],
        "ftp": None,
        "indoor_ftp": None,
        "w_prime": None,
        "p_max": None,
        "power_zones": None,
        "lthr": cal.RUN_LTHR,
        "max_hr": cal.RUN_MAX_HR,
        "hr_zones": zones.RUN_HR_ZONES,
        "threshold_pace": cal.RUN_THRESHOLD_PACE,
        "pace_units": "MINS_KM",
        "pace_zones": zones.PACE_ZONES,
        "pace_load_type": "RUN",
        "use_gap_zone_times": False,
        "mmp_model": None,
        "other": False,
    }
    swim = {
        "id": 1003,
        "athlete_id": athlete_id,
        "types": ["Swim", "OpenWaterSwim"],
        "ftp": None,
        "indoor_ftp": None,
        "lthr": None,
        "max_hr": None,
        "hr_zones": None,
        "threshold_pace": cal.SWIM_THRESHOLD_PACE,
        "pace_units": "SECS_100M",
        "pace_zones": zones.PACE_ZONES,
        "pace_load_type": "SWIM",
        "mmp_model": None,
        "other": False,
    }
    other = {
        "id": 1004,
        "athlete_id": athlete_id,
        "types": ["WeightTraining", "Walk", "Hike", "Yoga"],
        "ftp": None,
        "indoor_ftp": None,
        "lthr": None,
        "max_hr": cal.RIDE_MAX_HR,
        "hr_zones": None,
        "threshold_pace": None,
        "pace_units": None,
        "mmp_model": None,
        "other": True,
    }
    return {
        "id": athlete_id,
        "name": name,
        "firstname": name.split()[0],
        "lastname": name.split()[-1],
        "profile_medium": None,
        "sex": "M",
        "city": "Annecy   ",
        "state": "Haute-Savoie ",
        "country": "France  ",
        "timezone": ses.TIMEZONE,
        "locale": "en",
        "measurement_preference": "meters",
        "weight_pref_lb": False,
        "fahrenheit": False,
        "wind_speed": "KMH",
        "rain": "MM",
        "height": 1.78,
        "height_units": "CM",
        "weight": 72.4,
        "icu_weight": 72.4,
        "icu_resting_hr": cal.RESTING_HR,
        "icu_date_of_birth": "1988-04-17",
        "icu_activated": "2019-03-02T17:45:11.000+00:00",
        "icu_last_seen": f"{today}T06:00:00.000+00:00",
        "icu_notes": "Goal: sub-7h at the A race. Knee niggle when running > 90 min.",
        "bio": None,
        "website": None,
        "email": "demo.athlete@example.invalid",
        "visibility": "PRIVATE",
        "icu_api_key": FAKE_API_KEY_FIELD,
        "icu_friend_invite_token": FAKE_INVITE_TOKEN,
        "icu_permission": "WRITE",
        "icu_coach": False,
        "icu_admin": False,
        "plan": "SUPPORTER",
        "icu_form_as_percent": False,
        "icu_mmp_days": 42,
        "icu_type_settings": None,
        "icu_wellness_keys": ["weight", "restingHR", "hrv", "sleepSecs", "sleepQuality"],
        "strava_id": 31415926,
        "strava_authorized": True,
        "bikes": None,
        "shoes": None,
        "sportSettings": [ride, run, swim, other],
        "custom_items": None,
    }


# ---------------------------------------------------------------- wellness


def wellness_record(
    seed: int, day: date, load: int, ctl: float, atl: float, ramp: float, hard_yesterday: bool
) -> dict[str, Any]:
    rng = cal.rng_for(seed, "wellness", day)
    sick = cal.is_sick(day)
    tsb = ctl - atl
    doy = day.timetuple().tm_yday
    hrv = (
        63
        + 5 * math.sin(day.toordinal() / 23)
        + 0.25 * max(-25.0, min(15.0, tsb))
        + rng.gauss(0, 4)
    )
    hrv *= 0.68 if sick else 0.93 if hard_yesterday else 1.0
    rhr = cal.RESTING_HR + 0.12 * max(0.0, -tsb) + (7 if sick else 0) + rng.gauss(0, 1.5)
    no_watch = rng.random() < 0.05
    weight = 72.4 + 1.1 * math.sin(2 * math.pi * (doy - 20) / 365) + rng.gauss(0, 0.25)
    injured = cal.injured_day(cal.cycle_pos(day)[0])
    injury = None
    if cal.in_gap(day):
        injury = 3
    elif injured is not None and injured <= day <= injured + timedelta(days=1):
        injury = 3 if day == injured else 2
    ftp = cal.ftp_outdoor(day)
    sport_info = (
        None
        if rng.random() < 0.03
        else [
            {
                "type": "Ride",
                "eftp": round(ftp * (1 + 0.025 * math.sin(day.toordinal() / 17)), 1),
                "wPrime": float(19800 + int(600 * math.sin(day.toordinal() / 29))),
                "pMax": float(930 + int(30 * math.sin(day.toordinal() / 31))),
            },
            {"type": "Run", "eftp": None},
        ]
    )
    sleep = None if no_watch else int(rng.uniform(6.2, 8.7) * 3600 - (2400 if sick else 0))
    subjective = rng.random() < 0.45
    nutrition = rng.random() < 0.4
    return {
        "id": day.isoformat(),
        "ctl": round(ctl, 2),
        "atl": round(atl, 2),
        "rampRate": round(ramp, 2),
        "ctlLoad": load,
        "atlLoad": load,
        "sportInfo": sport_info,
        "updated": f"{day}T06:{rng.randint(10, 59):02d}:02.114+00:00",
        "weight": round(weight, 1) if rng.random() < 0.72 else None,
        "restingHR": None if no_watch else round(rhr),
        "hrv": None if no_watch else round(max(12.0, hrv), 1),
        "hrvSDNN": None,
        "sleepSecs": sleep,
        "sleepScore": None if sleep is None else round(rng.uniform(62, 94), 1),
        "sleepQuality": None if sleep is None else rng.choice((1, 2, 2, 2, 3, 3, 4)),
        "avgSleepingHR": None if sleep is None else round(cal.RESTING_HR + rng.uniform(2, 6), 1),
        "soreness": rng.choice((1, 1, 2, 3)) if subjective else None,
        "fatigue": (3 if sick else rng.choice((1, 2, 2, 3))) if subjective or sick else None,
        "stress": rng.choice((1, 2, 2, 3)) if subjective else None,
        "mood": rng.choice((1, 1, 2, 2, 3)) if subjective else None,
        "motivation": rng.choice((1, 1, 2, 2, 3)) if subjective else None,
        "injury": injury,
        "mentalEnergy": rng.choice((1, 2, 2, 3)) if subjective else None,
        "spO2": None,
        "systolic": None,
        "diastolic": None,
        "hydration": None,
        "hydrationVolume": None,
        "readiness": None,
        "baevskySI": None,
        "bloodGlucose": None,
        "lactate": None,
        "bodyFat": None,
        "abdomen": None,
        "vo2max": 58.0 if doy % 7 == 0 else None,
        "steps": None if no_watch else rng.randint(4500, 14000),
        "respiration": None,
        "kcalConsumed": rng.randint(2300, 3600) if nutrition else None,
        "carbohydrates": round(rng.uniform(280, 520), 1) if nutrition else None,
        "protein": round(rng.uniform(110, 160), 1) if nutrition else None,
        "fatTotal": round(rng.uniform(70, 120), 1) if nutrition else None,
        "menstrualPhase": None,
        "menstrualPhasePredicted": None,
        "comments": "Sick" if sick else None,
        "locked": None,
        "tempWeight": False,
        "tempRestingHR": False,
    }


FITNESS_KEYS = ("ctl", "atl", "rampRate", "ctlLoad", "atlLoad")


@functools.cache
def _wellness_keys() -> tuple[str, ...]:
    return tuple(wellness_record(0, date(2000, 1, 1), 0, 0.0, 0.0, 0.0, False))


def blank_wellness_record(day: str, fitness: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record of a day without wellness data, as the live API sends it: every key present,
    null; the load model's `FITNESS_KEYS` (CTL/ATL exist every day) from `fitness` when given."""
    rec: dict[str, Any] = dict.fromkeys(_wellness_keys(), None)
    rec["id"] = day
    if fitness:
        rec.update({k: fitness[k] for k in FITNESS_KEYS})
        rec["updated"] = f"{day}T00:00:03.001+00:00"
        rec["tempWeight"] = rec["tempRestingHR"] = False
    return rec
