"""Turn a planned session into a done session: its timeline and its Activity JSON.

A `Session` keeps the private timeline (constant-intensity segments) from which the served
Activity summary, the intervals, the mean-maximal curves and (lazily, in `athlete_streams`) the
per-second streams are all derived, so they agree with each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu.athlete_calendar import Plan, Step
from s11sync.demo.intervals_icu.athlete_zones import (
    PACE_ZONES,
    POWER_ZONES,
    RIDE_HR_ZONES,
    RUN_HR_ZONES,
    seconds_in_zones,
)

TIMEZONE = "Europe/Paris"
ATHLETE_ID = "i424242"
CURVE_SECS = [
    1,
    2,
    5,
    10,
    15,
    20,
    30,
    60,
    120,
    180,
    300,
    420,
    600,
    900,
    1200,
    1800,
    2400,
    3600,
    4500,
    5400,
    7200,
    9000,
    10800,
    14400,
    18000,
]
RIDE_TYPES = ("Ride", "VirtualRide", "GravelRide", "Cyclocross")
SWIM_TYPES = ("Swim", "OpenWaterSwim")
PACE_TYPES = ("Run", *SWIM_TYPES)  # sports paced against a threshold speed
_ROUGH = ("GravelRide", "Cyclocross")  # slower, hillier rides
_GPS_TYPES = ("Ride", "GravelRide", "Cyclocross", "Run")  # recorded with GPS, weather, altitude
CHAT_KINDS = ("long", "race", "vo2")  # sessions that carry a chat (messages)


@dataclass
class Seg:
    secs: int
    level: float  # watts (rides) or m/s (runs, swims)
    frac: float  # of threshold
    kind: str  # warmup / work / rest / cooldown / steady
    hr: float = 0.0
    label: str | None = None
    group: str | None = None


@dataclass
class Session:
    id: str
    day: date
    plan: Plan
    segments: list[Seg]
    threshold: float  # FTP (W) or threshold pace (m/s)
    lthr: int
    drift: float
    rng_seed: str
    has_dfa: bool
    no_hr: bool
    start_local: datetime
    no_power: bool = False  # an outdoor ride without a power meter (HR only)
    activity: dict[str, Any] = field(default_factory=dict)
    _mmp: dict[str, list[int]] | None = None

    @property
    def type(self) -> str:
        return self.plan.type

    @property
    def is_ride(self) -> bool:
        return self.plan.type in RIDE_TYPES

    @property
    def outdoor(self) -> bool:
        return not self.plan.indoor and self.plan.type in _GPS_TYPES


def activity_id(day: date, slot: int) -> str:
    return f"i{80_000_000 + cal.day_index(day) * 8 + slot}"


def stub_id(day: date) -> str:
    return str(12_000_000_000 + cal.day_index(day) * 10)


def _hr_for(frac: float, lthr: int, run: bool = False) -> float:
    g = 0.15 + 0.85 * frac**1.2 if run else 0.2 + 0.8 * frac
    return cal.RESTING_HR + (lthr - cal.RESTING_HR) * g


def _timeline(seed: int, day: date, plan: Plan, threshold: float) -> list[Seg]:
    rng = cal.rng_for(seed, f"timeline{plan.slot}", day)
    compliance = rng.uniform(0.97, 1.03)
    segs: list[Seg] = []
    group_no = 0
    for block in plan.blocks:
        steps: list[tuple[Step, str | None, str]]
        sig: str | None
        if isinstance(block, cal.Repeat):
            group_no += 1
            work = block.steps[0]
            sig = f"{work.secs}s@{round(work.mid * threshold * compliance)}w90rpm"
            steps = []
            for _ in range(block.reps):
                steps.append((block.steps[0], sig, "work"))
                steps.extend((s, None, "rest") for s in block.steps[1:])
        else:
            kind = block.section or ("work" if block.mid >= 0.85 else "steady")
            steps = [(block, None, kind)]
        for step, sig, kind in steps:
            if plan.steady and step.secs > 1200:
                # a steady outdoor ride: 10-minute chunks of varying effort (terrain, wind)
                base = rng.uniform(step.lo, step.hi if step.hi is not None else step.lo)
                sd = 0.04 if plan.type == "Run" else 0.07 if plan.indoor else 0.10
                climb_at = (
                    step.secs * rng.uniform(0.3, 0.7)
                    if plan.type in RIDE_TYPES and rng.random() < 0.7
                    else -1
                )
                left = step.secs
                while left > 0:
                    chunk = min(600, left)
                    f = max(0.35, base * (1 + rng.gauss(0, sd)))
                    done = step.secs - left
                    if (
                        done <= climb_at < done + chunk
                    ):  # the day's main climb, ridden near threshold
                        f = rng.uniform(0.91, 1.00)  # threshold (Z4), not tempo
                    segs.append(Seg(chunk, f * threshold, f, "steady"))
                    left -= chunk
                continue
            f = step.mid * (compliance if step.mid > 0 else 1.0)
            segs.append(Seg(step.secs, f * threshold, f, kind, label=step.text, group=sig))
    return [s for s in segs if s.secs > 0]


def build_session(seed: int, day: date, plan: Plan) -> Session:
    rng = cal.rng_for(seed, f"session{plan.slot}", day)
    ride = plan.type in RIDE_TYPES
    if ride:
        threshold = float(cal.ftp_indoor(day) if plan.indoor else cal.ftp_outdoor(day))
        lthr = cal.RIDE_LTHR
    elif plan.type == "Run":
        threshold, lthr = cal.RUN_THRESHOLD_PACE, cal.RUN_LTHR
    else:
        threshold, lthr = cal.SWIM_THRESHOLD_PACE, cal.RIDE_LTHR
    segs = _timeline(seed, day, plan, threshold)
    if not segs:  # strength: no structured timeline, a steady low-HR block
        segs = [Seg(_STRENGTH_SECS, 0.0, 0.3, "steady")]
    drift = (
        rng.uniform(0.0, 0.09)
        if plan.kind in ("long", "endurance", "race", "run_long")
        else rng.uniform(0.0, 0.05)
    )
    total = sum(s.secs for s in segs) or 1
    t = 0
    for s in segs:
        mid = (t + s.secs / 2) / total
        run = plan.type == "Run"
        s.hr = _hr_for(s.frac, lthr, run) * (1 + drift * mid) if s.frac > 0 else _hr_for(0.3, lthr)
        s.hr = min(s.hr, (cal.RUN_MAX_HR if run else cal.RIDE_MAX_HR) - 6)
        t += s.secs
    minute = rng.randint(0, 25)
    start = datetime.combine(day, plan.start) + timedelta(
        minutes=minute, seconds=rng.randint(0, 59)
    )
    has_dfa = ride and (plan.kind in ("long", "endurance_threshold") or rng.random() < 0.4)
    no_hr = plan.type in SWIM_TYPES or rng.random() < 0.02
    sess = Session(
        activity_id(day, plan.slot),
        day,
        plan,
        segs,
        threshold,
        lthr,
        drift,
        f"{seed}:{day.isoformat()}:{plan.slot}",
        has_dfa and not no_hr,
        no_hr,
        start,
    )
    sess.no_power = ride and not plan.indoor and plan.steady and rng.random() < 0.05
    sess.activity = _activity_json(seed, sess, rng)
    if sess.no_power:
        sess.activity.update(dict.fromkeys(_POWER_KEYS))
        sess.activity.update(device_watts=False, icu_power_zones=None)
    return sess


# ---------------------------------------------------------------- zones


def zone_times(sess: Session) -> tuple[list | None, list | None, list | None]:
    """(icu_zone_times, icu_hr_zone_times, pace_zone_times) of a session."""
    power = hr = pace = None
    segs, outdoor = sess.segments, sess.outdoor
    if sess.is_ride and not sess.no_power:
        p = seconds_in_zones(((s.secs, s.frac * 100) for s in segs), POWER_ZONES, outdoor)
        ss = sum(int(s.secs * 0.9) for s in segs if 0.84 <= s.frac <= 0.97)
        power = [{"id": f"Z{i + 1}", "secs": v} for i, v in enumerate(p)] + [
            {"id": "SS", "secs": ss}
        ]
    if not sess.no_hr:
        bounds = RUN_HR_ZONES if sess.type == "Run" else RIDE_HR_ZONES
        hr = seconds_in_zones(((s.secs, s.hr) for s in segs), bounds, outdoor)
    if sess.type in PACE_TYPES:
        pace = seconds_in_zones(((s.secs, s.frac * 100) for s in segs), PACE_ZONES, outdoor)
    return power, hr, pace


# ---------------------------------------------------------------- summary numbers


def _weighted(segs: list[Seg], attr: str) -> float:
    total = sum(s.secs for s in segs) or 1
    return sum(getattr(s, attr) * s.secs for s in segs) / total


def _np(segs: list[Seg]) -> float:
    total = sum(s.secs for s in segs) or 1
    return (sum(s.level**4 * s.secs for s in segs) / total) ** 0.25


def _halves_decoupling(segs: list[Seg]) -> float:
    total = sum(s.secs for s in segs)
    first: list[Seg] = []
    second: list[Seg] = []
    t = 0
    for s in segs:
        (first if t + s.secs / 2 < total / 2 else second).append(s)
        t += s.secs
    if not first or not second:
        return 0.0
    ef1 = _weighted(first, "level") / _weighted(first, "hr")
    ef2 = _weighted(second, "level") / _weighted(second, "hr")
    return (ef1 - ef2) / ef1 * 100


def _iso_utc(local: datetime) -> str:
    aware = local.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(timezone.utc)
    return aware.strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(local: datetime, plus_minutes: int) -> str:
    aware = local.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(timezone.utc)
    return (aware + timedelta(minutes=plus_minutes)).isoformat(timespec="milliseconds")


def season_temp(day: date) -> float:
    return 11.0 + 10.0 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 110) / 365)


def _activity_json(seed: int, sess: Session, rng) -> dict[str, Any]:
    plan, segs = sess.plan, sess.segments
    moving = sum(s.secs for s in segs)
    stop = 300 if sess.outdoor and moving > 7200 else 0
    ride = sess.is_ride
    avg_hr = None if sess.no_hr else round(_weighted(segs, "hr"))
    max_hr = None if sess.no_hr else round(max(s.hr for s in segs) + rng.uniform(1, 5))
    power_zt, hr_zt, pace_zt = zone_times(sess)
    a: dict[str, Any] = {
        "id": sess.id,
        "start_date_local": sess.start_local.isoformat(),
        "type": plan.type,
        "name": plan.name,
    }
    avg_w = np_w = intensity = vi = ef = decoupling = None
    cadence = None
    if ride:
        avg_w = _weighted(segs, "level")
        vi_target = rng.uniform(1.01, 1.065) if sess.outdoor else rng.uniform(1.005, 1.02)
        np_w = (
            max(_np(segs), avg_w * vi_target) if plan.steady else _np(segs) * rng.uniform(1.0, 1.01)
        )
        intensity = np_w / sess.threshold
        vi = np_w / avg_w
        cadence = round(rng.uniform(82, 92), 1)
        if avg_hr:
            ef = round(np_w / avg_hr, 4)
            decoupling = (
                round(_halves_decoupling(segs) * rng.uniform(0.9, 1.1), 2)
                if plan.steady
                else round(sess.drift * 50 * rng.uniform(0.6, 1.2) - 0.5, 2)
            )
        load = moving / 3600 * intensity**2 * 100
        distance = moving * (
            8.2 if plan.type == "VirtualRide" else 7.6 if plan.type in _ROUGH else 8.4
        )
        distance *= (avg_w / 200) ** (1 / 3)
    elif plan.type in PACE_TYPES:
        speed = _weighted(segs, "level")
        intensity = speed / sess.threshold
        load = moving / 3600 * intensity**2 * 100 * (0.9 if plan.type in SWIM_TYPES else 1.0)
        distance = speed * moving
        cadence = round(rng.uniform(84, 88), 1) if plan.type == "Run" else None
        if avg_hr and plan.type == "Run":
            decoupling = round(sess.drift * 50 * rng.uniform(0.8, 1.2), 2)
    else:  # strength
        load, distance = rng.uniform(22, 34), 0.0
    if plan.type == "WeightTraining":
        moving = _STRENGTH_SECS
        avg_hr, max_hr = int(rng.uniform(102, 115)), int(rng.uniform(140, 152))
    elapsed = moving + stop + (rng.randint(10, 120) if sess.outdoor else 0)
    steady_long = plan.steady and moving >= 5400
    hrr = None
    if avg_hr and any(s.frac >= 0.8 and s.secs >= 60 for s in segs) and plan.type not in SWIM_TYPES:
        start_bpm = int(max(s.hr for s in segs) + rng.uniform(0, 2))
        drop = round(rng.uniform(22, 36))
        idx = int(sum(s.secs for s in segs[:-1]))
        hrr = {
            "start_index": idx,
            "end_index": idx + 60,
            "start_time": idx,
            "end_time": idx + 60,
            "start_bpm": start_bpm,
            "end_bpm": start_bpm - drop,
            "average_watts": round(segs[-1].level) if ride else None,
            "hrr": drop,
        }
    outdoor = sess.outdoor
    temp = season_temp(sess.day) + rng.uniform(-3, 3)
    elev = (
        round(distance / 1000 * (14 if plan.type in _ROUGH else 9 if ride else 6), 1)
        if outdoor
        else 0.0
    )
    sync = _stamp(sess.start_local, moving // 60 + 20)
    edited = rng.random() < 0.12
    ftp_now = cal.ftp_outdoor(sess.day)
    stream_types = _stream_types(sess)
    a.update(
        {
            "icu_athlete_id": ATHLETE_ID,
            "start_date": _iso_utc(sess.start_local),
            "timezone": TIMEZONE,
            "description": _description(plan, rng),
            "source": "GARMIN_CONNECT"
            if outdoor or plan.type in (*SWIM_TYPES, "WeightTraining")
            else "ZWIFT"
            if plan.type == "VirtualRide"
            else "UPLOAD",
            "external_id": f"{sess.id[1:]}.fit",
            "device_name": "Garmin Edge 840" if ride else "Garmin Forerunner 965",
            "trainer": True
            if plan.trainer or plan.type == "VirtualRide"
            else False
            if ride
            else None,
            "commute": False,
            "race": plan.category.startswith("RACE"),
            "sub_type": "RACE" if plan.category.startswith("RACE") else "NONE",
            "moving_time": moving,
            "elapsed_time": elapsed,
            "icu_recording_time": elapsed,
            "coasting_time": int(moving * 0.06) if outdoor and ride else 0 if ride else None,
            "distance": round(distance, 1),
            "icu_distance": round(distance, 1),
            "average_speed": round(distance / moving, 3) if distance and moving else None,
            "max_speed": round(distance / moving * rng.uniform(1.5, 2.1), 3)
            if distance and moving
            else None,
            "total_elevation_gain": elev if outdoor else None,
            "total_elevation_loss": elev if outdoor else None,
            "average_altitude": round(402.4 + elev / 8, 1) if outdoor else None,
            "min_altitude": 402.4 if outdoor else None,
            "max_altitude": round(402.4 + elev / 4, 1) if outdoor else None,
            "has_heartrate": avg_hr is not None,
            "average_heartrate": avg_hr,
            "max_heartrate": max_hr,
            "athlete_max_hr": cal.RUN_MAX_HR if plan.type == "Run" else cal.RIDE_MAX_HR,
            "lthr": sess.lthr,
            "icu_resting_hr": cal.RESTING_HR,
            "icu_hr_zones": (RUN_HR_ZONES if plan.type == "Run" else RIDE_HR_ZONES)
            if avg_hr
            else None,
            "average_cadence": cadence,
            "calories": int(moving / 3600 * (avg_w or 160) * 3.6) if moving else None,
            "average_temp": round(temp + 4, 1)
            if outdoor
            else round(rng.uniform(19, 23), 1)
            if ride
            else None,
            "device_watts": ride,
            "icu_ftp": (cal.ftp_indoor(sess.day) if plan.indoor else ftp_now) if ride else None,
            "icu_rolling_ftp": round(ftp_now * 0.99) if ride else None,
            "icu_w_prime": 19800 if ride else None,
            "p_max": 940 if ride else None,
            "icu_power_zones": POWER_ZONES if ride else None,
            "icu_sweet_spot_min": 84 if ride else None,
            "icu_sweet_spot_max": 97 if ride else None,
            "threshold_pace": sess.threshold if plan.type in PACE_TYPES else None,
            "pace_zones": PACE_ZONES if plan.type in PACE_TYPES else None,
            "icu_weight": 72.4,
            "icu_average_watts": round(avg_w) if avg_w else None,
            "icu_weighted_avg_watts": round(np_w) if np_w else None,
            "icu_joules": int(avg_w * moving) if avg_w else None,
            "icu_joules_above_ftp": int(
                sum(max(0.0, s.level - sess.threshold) * s.secs for s in segs)
            )
            if ride
            else None,
            "icu_intensity": round(intensity * 100, 2) if intensity else None,
            "icu_variability_index": round(vi, 3) if vi else None,
            "icu_efficiency_factor": ef,
            "icu_power_hr": round(avg_w / avg_hr, 3) if avg_w and avg_hr else None,
            "decoupling": decoupling,
            "icu_hr_decoupling": decoupling
            if (decoupling is not None and rng.random() < 0.3)
            else None,
            "icu_training_load": round(load),
            "power_load": round(load) if ride else None,
            "hr_load": round(load * rng.uniform(0.9, 1.1)) if avg_hr else None,
            "pace_load": round(load) if plan.type in PACE_TYPES else None,
            "hr_load_type": "HRSS" if avg_hr else None,
            "pace_load_type": "RUN"
            if plan.type == "Run"
            else "SWIM"
            if plan.type in SWIM_TYPES
            else None,
            "trimp": round(load * 1.3, 1) if avg_hr else None,
            "icu_zone_times": power_zt,
            "icu_hr_zone_times": hr_zt,
            "pace_zone_times": pace_zt,
            "gap_zone_times": pace_zt if plan.type == "Run" else None,
            "use_gap_zone_times": False if plan.type == "Run" else None,
            "icu_hrr": hrr,
            "icu_rpe": None if rng.random() < 0.25 else _rpe(intensity, rng),
            "feel": None if rng.random() < 0.3 else rng.choice((1, 2, 2, 3, 3, 4)),
            "session_rpe": None,
            "icu_intervals_edited": edited,
            "lock_intervals": False,
            "icu_lap_count": max(1, len(segs) // 2),
            "interval_summary": _interval_summary(sess),
            "stream_types": stream_types,
            "recording_stops": [moving // 2] if stop else [],
            "has_weather": outdoor,
            "average_weather_temp": round(temp, 1) if outdoor else None,
            "min_weather_temp": round(temp - 2.5, 1) if outdoor else None,
            "max_weather_temp": round(temp + 2.5, 1) if outdoor else None,
            "average_feels_like": round(temp - 1.5, 1) if outdoor else None,
            "min_feels_like": round(temp - 4, 1) if outdoor else None,
            "max_feels_like": round(temp + 1, 1) if outdoor else None,
            "average_wind_speed": round(rng.uniform(1.0, 6.5), 2) if outdoor else None,
            "average_wind_gust": round(rng.uniform(6.5, 11), 2) if outdoor else None,
            "prevailing_wind_deg": rng.randint(0, 359) if outdoor else None,
            "headwind_percent": round(rng.uniform(20, 45), 1) if outdoor else None,
            "tailwind_percent": round(rng.uniform(20, 45), 1) if outdoor else None,
            "average_clouds": rng.randint(0, 100) if outdoor else None,
            "max_rain": round(rng.choice((0.0, 0.0, 0.0, 0.4, 1.2)), 1) if outdoor else None,
            "max_snow": 0.0 if outdoor else None,
            "carbs_used": int(moving / 3600 * 55) if ride else None,
            "carbs_ingested": int(moving / 3600 * 60) if ride and steady_long else None,
            "paired_event_id": None,  # set by the athlete builder when a planned event pairs
            "compliance": 0.0,
            "icu_chat_id": 5_000_000 + int(sess.id[1:]) % 1_000_000
            if plan.kind in CHAT_KINDS
            else None,
            "created": _stamp(sess.start_local, moving // 60 + 15),
            "analyzed": _stamp(sess.start_local, moving // 60 + 16),
            "icu_sync_date": _stamp(sess.start_local, moving // 60 + (600 if edited else 16))
            if edited
            else sync,
            "icu_achievements": None,
            "tags": None,
            "attachments": None,
            "gear": None,
            "kg_lifted": round(rng.uniform(2500, 4200), 1)
            if plan.type == "WeightTraining"
            else None,
            "pool_length": 25.0 if plan.type == "Swim" else None,
            "lengths": int(distance / 25) if plan.type == "Swim" else None,
            "icu_ignore_time": False,
            "icu_ignore_power": False,
            "icu_ignore_hr": False,
            "perceived_exertion": None,
        }
    )
    return a


_STRENGTH_SECS = 2700


_POWER_KEYS = (
    "icu_average_watts", "icu_weighted_avg_watts", "icu_joules", "icu_joules_above_ftp",
    "icu_intensity", "icu_variability_index", "icu_efficiency_factor", "icu_power_hr",
    "decoupling", "icu_hr_decoupling", "power_load", "icu_zone_times", "interval_summary",
    "carbs_used",
)  # fmt: skip


def _rpe(intensity: float | None, rng) -> int:
    if intensity is None:
        return rng.choice((4, 5))
    base = 2 + (intensity - 0.6) * 18
    return int(min(10, max(1, round(base + rng.uniform(-1, 1)))))


def _description(plan: Plan, rng) -> str | None:
    if plan.category.startswith("RACE"):
        return "NOTE: race day, fuelled 90 g/h\nGood legs."
    r = rng.random()
    if r < 0.15:
        return "NOTE: legs heavy at the start\nFelt better after the first hour."
    if r < 0.3:
        return "Solid session."
    return None


def _interval_summary(sess: Session) -> list[str] | None:
    groups: dict[str, int] = {}
    for s in sess.segments:
        if s.group:
            groups[s.group] = groups.get(s.group, 0) + 1
    out = []
    for sig, count in groups.items():
        secs, rest = sig.split("s@", 1)
        watts = rest.split("w", 1)[0]
        out.append(f"{count}x {_fmt_secs(int(secs))} {watts}w")
    return out or None


def _fmt_secs(secs: int) -> str:
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    return "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v) or "0s"


def _stream_types(sess: Session) -> list[str]:
    if sess.type == "WeightTraining":
        return [] if sess.no_hr else ["time", "heartrate"]
    types = ["time", "distance", "velocity_smooth"]
    if sess.is_ride:
        types += ["cadence"] if sess.no_power else ["watts", "cadence"]
    if not sess.no_hr:
        types.append("heartrate")
    if sess.type == "Run":
        types.append("cadence")
    if sess.outdoor:
        types += ["latlng", "altitude", "temp"]
    if sess.has_dfa:
        types += ["dfa_a1", "artifacts"]
    return types
