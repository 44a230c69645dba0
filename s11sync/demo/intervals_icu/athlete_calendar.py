"""Season structure of the demo athlete: a pure function of (seed, date).

The calendar repeats a 12-week macrocycle anchored on an absolute Monday (`CYCLE_ANCHOR`), so any
`today` sees the same past: moving `today` only reveals more days. Week roles inside a cycle:

    week  0 base        1-3 build       4 deload       5 camp (ACWR spike)
    week  6 build       7 build + RACE_B (Sat)         8 deload
    week  9 sharpen + RACE_C (Sun run)  10 taper       11 race week + RACE_A (Sun)

Health and data-quality features are also anchored on cycles: a SICK span (Tue-Thu of week 6) in
cycles with index % 3 == 1, an INJURED one-day marker (Wed of week 9) when index % 4 == 1, two
wellness days without any record per cycle, and a fixed four-week break without training
(`GAP_START` … `GAP_END`, inclusive) in mid-2024.

A day's plan (`day_plan`) lists the day's sessions: those the coach planned (with a calendar event)
and a few the athlete adds (`planned=False`: a lake swim, a cyclocross club session); `realised`
says which of them the athlete did. Everything is derived from `random.Random(f"{seed}:{label}:{date}")`, never from a
shared generator, so days are independent of each other and of `today`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

CYCLE_ANCHOR = date(2026, 10, 5)  # a Monday; cycle 0 week 0 starts here
CYCLE_DAYS = 84
HISTORY_DAYS = 1130  # days of served history up to today (activities and wellness)
ID_EPOCH = date(2015, 1, 1)  # ids are derived from days since this date
GAP_START = date(2024, 6, 17)  # broken collarbone: no training, no plan
GAP_END = date(2024, 7, 14)  # inclusive (28 days)
ABSENT_WELLNESS_CYCLE_DAYS = (30, 71)  # cycle days whose wellness record does not exist at all

ROLES = (
    "base",
    "build",
    "build",
    "build",
    "deload",
    "camp",
    "build",
    "build",
    "deload",
    "sharpen",
    "taper",
    "race",
)
RACE_A_NAMES = ("Alpine Gran Fondo", "Lakeside Classic", "Col Marathon", "Ridge Century")
RACE_B_NAMES = ("Valley Time Trial", "Hill Climb Cup", "Club Criterium")
RACE_C_NAMES = ("Riverside 10k", "Park Run Cup", "Harbour 10k")


def rng_for(seed: int, label: str, day: date) -> random.Random:
    """A generator private to one (seed, label, day): str seeds are hashed deterministically."""
    return random.Random(f"{seed}:{label}:{day.isoformat()}")


def cycle_pos(day: date) -> tuple[int, int, int]:
    """(cycle index, week in cycle 0-11, weekday 0=Mon); indices are negative before 2026-10-05."""
    offset = (day - CYCLE_ANCHOR).days
    idx, cday = divmod(offset, CYCLE_DAYS)
    return idx, cday // 7, cday % 7


def cycle_start(idx: int) -> date:
    return CYCLE_ANCHOR + timedelta(days=idx * CYCLE_DAYS)


def day_index(day: date) -> int:
    return (day - ID_EPOCH).days


def in_gap(day: date) -> bool:
    return GAP_START <= day <= GAP_END


# ---------------------------------------------------------------- health markers


def sick_span(idx: int) -> tuple[date, date] | None:
    """(first day, exclusive end) of the SICK marker of cycle `idx`, or None."""
    if idx % 3 != 1:
        return None
    start = cycle_start(idx) + timedelta(weeks=6, days=1)
    return start, start + timedelta(days=3)


def injured_day(idx: int) -> date | None:
    if idx % 4 != 1:
        return None
    return cycle_start(idx) + timedelta(weeks=9, days=2)


def is_sick(day: date) -> bool:
    span = sick_span(cycle_pos(day)[0])
    return span is not None and span[0] <= day < span[1]


def wellness_absent(day: date) -> bool:
    """No wellness record at all on this day (device not worn, nothing synced)."""
    offset = (day - CYCLE_ANCHOR).days % CYCLE_DAYS
    return offset in ABSENT_WELLNESS_CYCLE_DAYS or day == GAP_START


# ---------------------------------------------------------------- thresholds over time


def _round5(x: float) -> int:
    return int(5 * round(x / 5))


def ftp_outdoor(day: date) -> int:
    """Outdoor FTP set by the athlete: changes on Monday of week 1 of every cycle."""
    idx, week, _ = cycle_pos(day)
    if week < 1:
        idx -= 1
    return _round5(262 + 12 * math.sin(idx * 0.9))


def ftp_indoor(day: date) -> int:
    """Indoor FTP: changes on Monday of week 6 (a ramp test on the trainer)."""
    idx, week, _ = cycle_pos(day)
    if week < 6:
        idx -= 1
    return _round5(0.955 * (262 + 12 * math.sin(idx * 0.9)) - 5 * (idx % 2))


RIDE_LTHR, RIDE_MAX_HR, RUN_LTHR, RUN_MAX_HR = 168, 188, 172, 192
# Weeks of the cycle whose Friday swim is in open water, and whose Monday adds a cyclocross
# session (both unplanned); with the demo's default today (2026-11-25, week 7) both fall in the
# last 7 days.
OPEN_WATER_WEEKS = (2, 6)
CYCLOCROSS_WEEKS = (1, 7)
RESTING_HR = 47
RUN_THRESHOLD_PACE = 3.92  # m/s (4:15 /km)
SWIM_THRESHOLD_PACE = 1.22  # m/s (1:22 /100 m)


# ---------------------------------------------------------------- planned sessions


@dataclass(frozen=True)
class Step:
    """One block of a plan. `lo`/`hi` are fractions of the sport's threshold (FTP or pace);
    `hi` differs from `lo` for a range, `ramp` makes it a ramp. `distance` for swim steps."""

    secs: int
    lo: float
    hi: float | None = None
    text: str | None = None
    ramp: bool = False
    section: str | None = None  # "warmup" / "cooldown"
    distance: float | None = None
    hr_zone: int | None = None  # run steps target HR zone instead of pace

    @property
    def mid(self) -> float:
        return self.lo if self.hi is None else (self.lo + self.hi) / 2


@dataclass(frozen=True)
class Repeat:
    reps: int
    steps: tuple[Step, ...]
    text: str


@dataclass(frozen=True)
class Plan:
    slot: int
    kind: str
    type: str
    name: str
    start: time
    blocks: tuple = ()
    indoor: bool = False
    trainer: bool = False
    category: str = "WORKOUT"  # or RACE_A / RACE_B / RACE_C
    planned: bool = True  # has a calendar event
    steady: bool = False  # unstructured ride/run whose doc is a single range step
    extra: dict = field(default_factory=dict, compare=False)


def flatten(blocks) -> list[Step]:
    out: list[Step] = []
    for b in blocks:
        if isinstance(b, Repeat):
            for _ in range(b.reps):
                out.extend(b.steps)
        else:
            out.append(b)
    return out


def plan_secs(blocks) -> int:
    return sum(s.secs for s in flatten(blocks))


def _m(minutes: float) -> int:
    return round(minutes * 60)


def _ride_intervals(role: str, rng: random.Random) -> tuple[str, str, tuple]:
    wu = Step(_m(15), 0.50, 0.75, ramp=True, section="warmup")
    cd = Step(_m(10), 0.50, section="cooldown")
    if role in ("build", "sharpen"):
        reps = rng.choice((4, 5, 6))
        work = _m(3) if role == "sharpen" else _m(4)
        pct = 1.20 if role == "sharpen" else 1.15
        main = Repeat(reps, (Step(work, pct), Step(work, 0.55)), f"Main set {reps}x")
        return "vo2", f"VO2max {reps}x{work // 60}", (wu, main, cd)
    if role == "taper":
        main = Repeat(3, (Step(_m(8), 1.00), Step(_m(4), 0.55)), "3x")
        return "threshold", "Taper threshold 3x8", (wu, main, cd)
    if role == "race":
        main = Repeat(3, (Step(60, 1.10, text="opener"), Step(_m(3), 0.55)), "3x")
        return (
            "openers",
            "Openers",
            (Step(_m(15), 0.60, section="warmup"), main, Step(_m(15), 0.55)),
        )
    if role == "deload":
        return "recovery", "Recovery spin", (Step(_m(45), 0.55, 0.62),)
    reps = rng.choice((3, 4))
    main = Repeat(reps, (Step(_m(12), 0.88, 0.92), Step(_m(5), 0.55)), f"Sweet spot {reps}x")
    return "sweetspot", f"Sweet spot {reps}x12", (wu, main, cd)


def _thursday_ride(role: str) -> tuple[str, str, tuple]:
    if role in ("deload", "race"):
        return (
            "endurance",
            "Easy trainer spin",
            (Step(_m(60 if role == "deload" else 40), 0.62, 0.68),),
        )
    if role == "taper":
        main = Repeat(2, (Step(_m(10), 0.90), Step(_m(5), 0.62)), "2x")
        return (
            "tempo",
            "Taper tempo 2x10",
            (Step(_m(15), 0.62, section="warmup"), main, Step(_m(15), 0.62)),
        )
    # Threshold (Z4), not tempo (Z3): the athlete trains polarized, so the demo's Seiler TID has
    # Z3+ > Z2 and a Polarization Index (docs/metrics.md, "Polarization Index"). The 93.5 % FTP mid stays in Z4
    # (> 90 %) at the lowest compliance (0.97), and the ride stays steady enough (VI about 1.03,
    # <= 1.05; 100 min) to count for durability and efficiency factor. (Was "Endurance with
    # tempo 2x20" at 80-84 % FTP.)
    work = Step(_m(12), 0.92, 0.95, text="threshold")
    main = Repeat(2, (work, Step(_m(8), 0.70)), "Threshold 2x")
    return (
        "endurance_threshold",
        "Endurance with threshold 2x12",
        (Step(_m(20), 0.62, 0.70, section="warmup"), main, Step(_m(40), 0.66, 0.74)),
    )


def _swim(rng: random.Random) -> tuple:
    reps = rng.choice((6, 8))
    return (
        Step(_m(7), 0.75, 0.82, text="easy + drills", section="warmup", distance=400.0),
        Repeat(
            reps,
            (Step(_m(1.45), 0.97, distance=100.0), Step(20, 0.0, text="wall rest")),
            f"{reps}x",
        ),
        Step(_m(12), 0.85, distance=800.0),
        Step(_m(4), 0.75, section="cooldown", distance=200.0),
    )


def _open_water_swim() -> tuple:
    """A lake swim: continuous efforts between sighting breaks, by distance (no walls, no rests)."""
    return (
        Step(_m(6.5), 0.78, section="warmup", distance=375.0),
        Repeat(3, (Step(_m(11.5), 0.95, distance=800.0), Step(60, 0.65, text="sighting")), "3x"),
        Step(_m(4.5), 0.75, section="cooldown", distance=250.0),
    )


def _cyclocross() -> tuple:
    """A cyclocross session: lap efforts with run-ups and remounts, short and hard."""
    return (
        Step(_m(15), 0.55, 0.70, ramp=True, section="warmup"),
        Repeat(6, (Step(_m(2), 1.12, text="race-pace lap"), Step(_m(3), 0.58)), "6x"),
        Step(_m(10), 0.55, section="cooldown"),
    )


def _race_plan(idx: int, category: str, weekday_slot: int) -> Plan:
    if category == "RACE_A":
        name = RACE_A_NAMES[idx % len(RACE_A_NAMES)]
        return Plan(
            weekday_slot,
            "race",
            "Ride",
            name,
            time(8, 30),
            (Step(_m(300), 0.78),),
            category=category,
            extra={"distance": 162000.0, "gpx": True},
        )
    if category == "RACE_B":
        name = RACE_B_NAMES[idx % len(RACE_B_NAMES)]
        blocks = (Step(_m(25), 0.60, section="warmup"), Step(_m(45), 0.97), Step(_m(20), 0.55))
        return Plan(
            weekday_slot,
            "race",
            "Ride",
            name,
            time(10, 0),
            blocks,
            category=category,
            extra={"distance": 38000.0},
        )
    name = RACE_C_NAMES[idx % len(RACE_C_NAMES)]
    blocks = (Step(_m(15), 0.72, section="warmup"), Step(_m(40), 1.02), Step(_m(10), 0.70))
    return Plan(
        weekday_slot,
        "race",
        "Run",
        name,
        time(9, 30),
        blocks,
        category=category,
        extra={"distance": 10000.0},
    )


def day_plan(seed: int, day: date) -> list[Plan]:
    """The sessions planned on `day` (empty on rest days and during the gap)."""
    if in_gap(day):
        return []
    idx, week, wd = cycle_pos(day)
    role = ROLES[week]
    rng = rng_for(seed, "plan", day)
    plans: list[Plan] = []
    if role == "camp":
        mins = (180, 240, 210, 300, 120, 300, 240)[wd]
        # long days at 62-70 % FTP, inside Z2 (< 75 %): the volume, not tempo, makes the spike
        # (was 65-75 %, whose outdoor chunks spilled into Z3 and kept the 28-day TID Z3 > Z4+)
        frac, half = (0.62, 0.05) if wd == 4 else (0.66, 0.04)
        kind = "recovery" if wd == 4 else "long"
        plans.append(
            Plan(
                0,
                kind,
                "Ride",
                f"Camp day {wd + 1}",
                time(9, 30),
                (Step(_m(mins), frac - half, frac + half),),
                steady=True,
            )
        )
        return plans
    if wd == 0 and role in ("base", "build", "sharpen"):
        plans.append(Plan(0, "strength", "WeightTraining", "Strength circuit", time(18, 30), ()))
        if week in CYCLOCROSS_WEEKS:  # the club's cyclocross morning: not on the coach's plan
            plans.append(
                Plan(1, "cyclocross", "Cyclocross", "Cyclocross club session", time(10, 0),
                     _cyclocross(), planned=False)
            )  # fmt: skip
    elif wd == 1:
        kind, name, blocks = _ride_intervals(role, rng)
        plans.append(Plan(0, kind, "VirtualRide", name, time(18, 0), blocks, indoor=True))
    elif wd == 2 and role != "race":
        mins = 35 if role == "deload" else rng.choice((45, 50, 60))
        plans.append(
            Plan(
                0,
                "run_easy",
                "Run",
                "Easy run",
                time(7, 0),
                (Step(_m(mins), 0.74, hr_zone=2),),
                steady=True,
            )
        )
    elif wd == 3:
        kind, name, blocks = _thursday_ride(role)
        trainer = week % 2 == 0
        plans.append(
            Plan(
                0,
                kind,
                "Ride" if trainer else "VirtualRide",
                name,
                time(18, 15),
                blocks,
                indoor=True,
                trainer=trainer,
            )
        )
    elif wd == 4 and week % 2 == 0 and role not in ("race", "taper"):
        if week in OPEN_WATER_WEEKS:  # the athlete swims in the lake instead: no calendar event
            plans.append(
                Plan(0, "swim", "OpenWaterSwim", "Lake swim", time(7, 15), _open_water_swim(),
                     planned=False)
            )  # fmt: skip
        else:
            plans.append(
                Plan(0, "swim", "Swim", "Pool endurance", time(7, 15), _swim(rng), indoor=True)
            )
    elif wd == 5:
        if week == 7:
            plans.append(_race_plan(idx, "RACE_B", 0))
        elif role == "race":
            plans.append(
                Plan(
                    0,
                    "openers",
                    "Ride",
                    "Pre-race spin",
                    time(10, 0),
                    (Step(_m(60), 0.60, 0.68),),
                    steady=True,
                )
            )
        else:
            hours = {
                "base": 3.0,
                "build": rng.choice((3.5, 4.0, 4.5)),
                "deload": 2.0,
                "sharpen": 3.0,
                "taper": 2.0,
            }[role]
            ptype = "GravelRide" if week % 3 == 2 else "Ride"
            plans.append(
                Plan(
                    0,
                    "long",
                    ptype,
                    "Long endurance ride",
                    time(8, 30),
                    (Step(_m(hours * 60), 0.64, 0.72),),
                    steady=True,
                )
            )
    elif wd == 6:
        if week == 9:
            plans.append(_race_plan(idx, "RACE_C", 0))
        elif role == "race":
            plans.append(_race_plan(idx, "RACE_A", 0))
        elif week % 2 == 0:
            mins = 90 if role in ("deload", "taper") else rng.choice((105, 120, 135))
            plans.append(
                Plan(
                    0,
                    "endurance",
                    "Ride",
                    "Sunday endurance",
                    time(9, 0),
                    (Step(_m(mins), 0.62, 0.70),),
                    steady=True,
                )
            )
        else:
            mins = 50 if role in ("deload", "taper") else rng.choice((70, 80, 90))
            plans.append(
                Plan(
                    0,
                    "run_long",
                    "Run",
                    "Long run",
                    time(8, 0),
                    (Step(_m(mins), 0.76, hr_zone=2),),
                    steady=True,
                )
            )
    return plans


def strava_stub_today(day: date) -> bool:
    """A Strava-imported walk (served as a stub) on Friday of weeks 1, 4, 7 and 10."""
    _, week, wd = cycle_pos(day)
    return wd == 4 and week % 3 == 1 and not in_gap(day)


def realised(seed: int, day: date, plan: Plan) -> bool:
    """Did the athlete do this planned session? Skipped when sick or, rarely, at random."""
    if is_sick(day) or in_gap(day):
        return False
    if plan.category != "WORKOUT":
        return True
    return rng_for(seed, f"skip{plan.slot}", day).random() >= 0.04


# ---------------------------------------------------------------- key dates


def _next_on_or_after(day: date, week: int, weekday: int) -> date:
    idx = cycle_pos(day)[0]
    for i in (idx, idx + 1):
        d = cycle_start(i) + timedelta(weeks=week, days=weekday)
        if d >= day:
            return d
    raise AssertionError("unreachable")


def _last_on_or_before(day: date, week: int, weekday: int) -> date:
    idx = cycle_pos(day)[0]
    for i in (idx, idx - 1):
        d = cycle_start(i) + timedelta(weeks=week, days=weekday)
        if d <= day:
            return d
    raise AssertionError("unreachable")


def key_dates(today: date) -> dict:
    """Dates near `today` that tests can use as `--today` (all `date` objects).

    next_race_a / next_race_b / next_race_c: next race of that category on or after `today`
        (may be today); race_week_day: a day with the next A race 1-7 days ahead (3 days before);
        taper_day: a day with the next A race 8-14 days ahead (10 days before).
    sick_start / sick_end_exclusive: the latest SICK span starting on or before `today`
        (else the next one); sick_day: its second day.
    injured_day: the latest INJURED marker on or before `today` (else the next one).
    deload_week_start: Monday of the latest deload week starting on or before `today`.
    acwr_spike_day: the last day of the latest camp week ending on or before `today`
        (acute 7-day load >= 1.5 x the 28-day weekly average).
    camp_week_start: Monday of that camp week.
    gap_start / gap_end: the four-week training break (inclusive).
    history_start: first day of the served history for this `today`.
    """
    race_a = _next_on_or_after(today, 11, 6)
    idx = cycle_pos(today)[0]
    sick = None
    for i in range(idx, idx - 4, -1):
        span = sick_span(i)
        if span and span[0] <= today:
            sick = span
            break
    if sick is None:
        sick = next(s for s in (sick_span(i) for i in range(idx, idx + 4)) if s)
    injured = None
    for i in range(idx, idx - 5, -1):
        d = injured_day(i)
        if d and d <= today:
            injured = d
            break
    if injured is None:
        injured = next(d for d in (injured_day(i) for i in range(idx, idx + 5)) if d)
    deload_candidates = [_last_on_or_before(today, w, 0) for w in (4, 8)]
    spike = _last_on_or_before(today, 5, 6)

    return {
        "next_race_a": race_a,
        "next_race_b": _next_on_or_after(today, 7, 5),
        "next_race_c": _next_on_or_after(today, 9, 6),
        "race_week_day": race_a - timedelta(days=3),
        "taper_day": race_a - timedelta(days=10),
        "sick_start": sick[0],
        "sick_end_exclusive": sick[1],
        "sick_day": sick[0] + timedelta(days=1),
        "injured_day": injured,
        "deload_week_start": max(deload_candidates),
        "acwr_spike_day": spike,
        "camp_week_start": spike - timedelta(days=6),
        "gap_start": GAP_START,
        "gap_end": GAP_END,
        "history_start": today - timedelta(days=HISTORY_DAYS - 1),
    }
