"""Calendar events of the demo athlete: planned workouts, races, notes and health markers.

`workout_doc` has the shape live accounts send: steps omit keys that do not apply; repeat blocks
carry `reps`, `text` (the header line including `Nx`), `distance: 0` and the total `duration`;
targets are `{value|start,end, units}`. `resolve_event` adds `_power/_hr/_pace` (W, bpm, m/s;
no `units`) and the top-level `ftp/lthr/threshold_pace/pace_units/target` as `resolve=true` does.

The docs carry the target shapes live accounts send, each written the way a coach would
write the same session (same step times, about the same mean intensity, so the planned load and
the realised activity stay those of the plan):
- sweet spot: a 5-step over-under set per rep (`4m 88% / 2m 95%` twice, then the recovery);
- race-week openers: a 3-step opener / settle / recovery block;
- taper tempo: each 10-minute block as the 2-step over-under `5x (1m30s 87% / 30s 99%)` in
  absolute watts (`units: "w"`), the shape of the recorded over/unders;
- easy trainer spins: a power-zone target (`power_zone` 2), resolved to `_power` start/end only;
- long endurance rides: an absolute watt range (`{"units": "w", "start", "end"}`).
Absolute-watt targets get no `_power` sibling here: the recorded events with watt ranges carried
none (whether the live API adds one under `resolve=true` was not observed).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu.athlete_calendar import Plan, Repeat, Step
from s11sync.demo.intervals_icu.athlete_sessions import ATHLETE_ID
from s11sync.demo.intervals_icu.athlete_zones import (
    PACE_ZONES,
    POWER_ZONES,
    RIDE_HR_ZONES,
    RUN_HR_ZONES,
)

EVENT_ID_BASE = 60_000_000


def event_id(day: date, slot: int) -> int:
    return EVENT_ID_BASE + cal.day_index(day) * 8 + slot


def _dur(secs: int) -> str:
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    return "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v) or "0s"


def _pct(x: float) -> int:
    return round(x * 100)


@dataclass(frozen=True)
class DocStep:
    """A doc step whose power target is written as given (absolute watts or a zone)."""

    secs: int
    power: dict[str, Any]
    words: str  # the target in builder syntax, e.g. "230w", "166-187w", "Z2"
    text: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class DocRepeat:
    reps: int
    steps: tuple[Step | DocStep, ...]
    text: str


def _split(step: Step, parts: tuple[tuple[float, float], ...]) -> list[Step]:
    """The step's time cut into (share of the time, fraction of threshold) steps."""
    return [Step(round(step.secs * share), frac) for share, frac in parts]


def _shaped_repeat(plan: Plan, block: Repeat, ftp: int | None) -> list[Any]:
    work, rest = block.steps[0], block.steps[1:]
    if plan.kind == "sweetspot":
        # 4m 88 % / 2m 95 % twice (mean 90 %) then the recovery: a 5-step over-under set
        unders = _split(work, ((1 / 3, 0.88), (1 / 6, 0.95), (1 / 3, 0.88), (1 / 6, 0.95)))
        return [DocRepeat(block.reps, (*unders, *rest), f"Over-unders {block.reps}x")]
    if plan.kind == "openers":
        # a 1-minute opener at 110 % as 20 s at 130 % + 40 s at 100 % (mean 110 %), then recovery
        third = work.secs // 3
        parts = (
            Step(third, 1.30, text="opener"),
            Step(work.secs - third, 1.00, text="settle"),
        )
        return [DocRepeat(block.reps, (*parts, *rest), block.text)]
    if plan.kind == "tempo" and ftp and work.secs % 120 == 0:
        # each tempo block as 1m30s at 87 % / 30 s at 99 % (mean 90 %) in absolute watts
        under, over = round(0.87 * ftp), round(0.99 * ftp)
        reps = work.secs // 120
        over_under = DocRepeat(
            reps,
            (
                DocStep(90, {"units": "w", "value": under}, f"{under}w"),
                DocStep(30, {"units": "w", "value": over}, f"{over}w"),
            ),
            f"Over-under {reps}x",
        )
        out: list[Any] = []
        for _ in range(block.reps):
            out.append(over_under)
            out.extend(rest)
        return out
    return [block]


def _shaped_step(plan: Plan, step: Step, ftp: int | None) -> Step | DocStep:
    if plan.kind == "long" and ftp and step.hi is not None and plan.type != "Run":
        lo, hi = round(step.lo * ftp), round(step.hi * ftp)
        return DocStep(
            step.secs,
            {"units": "w", "start": lo, "end": hi},
            f"{lo}-{hi}w",
            step.text,
            step.section,
        )
    if plan.kind == "endurance" and plan.indoor:
        return DocStep(
            step.secs, {"value": 2, "units": "power_zone"}, "Z2", step.text, step.section
        )
    return step


def doc_blocks(plan: Plan, ftp: int | None = None) -> tuple[Any, ...]:
    """The plan's blocks as its workout_doc writes them (module docstring)."""
    out: list[Any] = []
    for block in plan.blocks:
        if isinstance(block, Repeat):
            out.extend(_shaped_repeat(plan, block, ftp))
        else:
            out.append(_shaped_step(plan, block, ftp))
    return tuple(out)


def _step_doc(step: Step | DocStep, sport: str) -> tuple[dict[str, Any], str]:
    doc: dict[str, Any] = {}
    if isinstance(step, DocStep):
        if step.section:
            doc[step.section] = True
        if step.text:
            doc["text"] = step.text
        doc["duration"] = step.secs
        doc["power"] = dict(step.power)
        line = f"- {step.text + ' ' if step.text else ''}{_dur(step.secs)} {step.words}"
        return doc, line
    if step.section:
        doc[step.section] = True
        if sport == "Swim":
            doc["intensity"] = step.section
    if step.text:
        doc["text"] = step.text
    if step.distance is not None:
        doc["distance"] = step.distance
    doc["duration"] = step.secs
    if step.ramp:
        doc["ramp"] = True
    line = f"- {step.text + ' ' if step.text else ''}"
    line += f"{int(step.distance)}mtr" if step.distance is not None else _dur(step.secs)
    if sport == "Swim" and step.lo == 0:
        doc["intensity"] = "rest"
        return doc, line + " rest"
    if step.hr_zone is not None:
        doc["hr"] = {"value": step.hr_zone, "units": "hr_zone"}
        return doc, line + f" Z{step.hr_zone} HR"
    key, unit, word = (
        ("power", "%ftp", "") if sport not in ("Run", "Swim") else ("pace", "%pace", " Pace")
    )
    if step.hi is None:
        doc[key] = {"value": _pct(step.lo), "units": unit}
        return doc, line + f"{' ramp' if step.ramp else ''} {_pct(step.lo)}%{word}"
    doc[key] = {"start": _pct(step.lo), "end": _pct(step.hi), "units": unit}
    return doc, line + f"{' ramp' if step.ramp else ''} {_pct(step.lo)}-{_pct(step.hi)}%{word}"


def workout_doc(plan: Plan, ftp: int | None = None) -> tuple[dict[str, Any], str]:
    """(workout_doc, builder description) of a planned session; they describe the same steps."""
    steps: list[dict[str, Any]] = []
    lines: list[str] = []
    section = None
    total = 0
    distance = 0.0
    for block in doc_blocks(plan, ftp):
        if isinstance(block, (Repeat, DocRepeat)):
            children = []
            lines.append("")
            lines.append(block.text)
            for child in block.steps:
                doc, line = _step_doc(child, plan.type)
                children.append(doc)
                lines.append(line)
                distance += (getattr(child, "distance", None) or 0.0) * block.reps
            dur = sum(c.secs for c in block.steps) * block.reps
            steps.append(
                {
                    "reps": block.reps,
                    "text": block.text,
                    "distance": 0,
                    "duration": dur,
                    "steps": children,
                }
            )
            lines.append("")
            total += dur
            continue
        if block.section != section:
            if block.section:
                lines.append(block.section.capitalize())
            section = block.section
        doc, line = _step_doc(block, plan.type)
        steps.append(doc)
        lines.append(line)
        total += block.secs
        distance += getattr(block, "distance", None) or 0.0
    text = "\n".join(lines).strip()
    if not steps:
        text = "Strength circuit: squats, deadlifts, core. 3 rounds."
    doc = {
        "steps": steps,
        "duration": total,
        "distance": distance,
        "options": {},
        "locales": [],
        "normalized_power": None,
        "average_watts": None,
        "variability_index": None,
        "strain_score": None,
    }
    if not steps:
        doc["description"] = text
    return doc, text


def _plan_load(plan: Plan) -> tuple[int, float | None]:
    steps = cal.flatten(plan.blocks)
    secs = sum(s.secs for s in steps)
    if not secs:
        return 30, None
    if plan.type == "Run" and all(s.hr_zone for s in steps):
        intensity = 0.75
    else:
        intensity = (sum(s.mid**4 * s.secs for s in steps) / secs) ** 0.25
    return round(secs / 3600 * intensity**2 * 100), round(intensity * 100, 1)


def _stamp(day: date, hour: int = 6) -> str:
    return datetime.combine(day - timedelta(days=10), time(hour, 0, 2)).isoformat() + ".114+00:00"


def _base_event(
    eid: int, category: str, start: str, end: str, name: str, **kw: Any
) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "id": eid,
        "athlete_id": ATHLETE_ID,
        "category": category,
        "start_date_local": start,
        "end_date_local": end,
        "name": name,
        "description": None,
        "type": None,
        "indoor": False,
        "color": None,
        "moving_time": None,
        "icu_training_load": None,
        "icu_intensity": None,
        "distance": None,
        "icu_ftp": None,
        "workout_doc": None,
        "attachments": None,
        "tags": None,
        "calendar_id": 1,
        "uid": None,
        "updated": _stamp(date.fromisoformat(start[:10])),
        "not_on_fitness_chart": False,
        "show_as_note": False,
        "show_on_ctl_line": False,
        "for_week": False,
        "target": None,
        "carbs_per_hour": None,
        "load_target": None,
        "time_target": None,
        "distance_target": None,
        "strain_score": None,
    }
    ev.update(kw)
    return ev


def planned_event(seed: int, day: date, plan: Plan, file_base: str) -> dict[str, Any]:
    """The calendar event of a planned session (WORKOUT or RACE_*), unresolved, unpaired."""
    eid = event_id(day, plan.slot)
    start = datetime.combine(day, plan.start if plan.category != "WORKOUT" else time(0, 0))
    end = datetime.combine(day + timedelta(days=1), time(0, 0))
    load, intensity = _plan_load(plan)
    secs = cal.plan_secs(plan.blocks) or 2700
    ev = _base_event(
        eid,
        plan.category,
        start.isoformat(),
        end.isoformat(),
        plan.name,
        type=plan.type,
        indoor=plan.indoor,
        moving_time=secs,
        icu_training_load=load,
        icu_intensity=intensity,
    )
    if plan.type in ("Ride", "VirtualRide", "GravelRide"):
        ev["icu_ftp"] = cal.ftp_indoor(day) if plan.indoor else cal.ftp_outdoor(day)
    if plan.category == "WORKOUT":
        doc, text = workout_doc(plan, ev["icu_ftp"])
        if plan.kind == "endurance_threshold" and cal.rng_for(seed, "note", day).random() < 0.5:
            text = "NOTE: keep cadence above 85 in the threshold blocks\n\n" + text
        ev["workout_doc"] = doc
        ev["description"] = text
        ev["distance"] = doc["distance"] or None
        if plan.steady and secs >= 7200:
            ev["carbs_per_hour"] = 70
    else:
        ev["distance"] = plan.extra.get("distance")
        ev["description"] = f"{plan.category.replace('_', ' ')} target race."
        if plan.extra.get("gpx"):
            att = str(uuid.uuid5(uuid.NAMESPACE_URL, f"s11sync-demo:{seed}:{day.isoformat()}"))
            ev["attachments"] = [
                {
                    "id": att,
                    "filename": f"{plan.name.replace(' ', '_')}.gpx",
                    "mimetype": "application/gpx+xml",
                    "url": f"{file_base}/{att}.gpx",
                }
            ]
    return ev


def marker_events(start: date, end: date) -> list[dict[str, Any]]:
    """SICK / INJURED / NOTE events whose start date falls in [start, end]."""
    out: list[dict[str, Any]] = []
    first, last = cal.cycle_pos(start)[0] - 1, cal.cycle_pos(end)[0] + 1
    for idx in range(first, last + 1):
        c0 = cal.cycle_start(idx)
        span = cal.sick_span(idx)
        if span:
            out.append(
                _base_event(
                    event_id(span[0], 6),
                    "SICK",
                    f"{span[0]}T00:00:00",
                    f"{span[1]}T00:00:00",
                    "Flu",
                    description="Fever, stayed in bed.",
                )
            )
        inj = cal.injured_day(idx)
        if inj:
            out.append(
                _base_event(
                    event_id(inj, 7),
                    "INJURED",
                    f"{inj}T00:00:00",
                    f"{inj + timedelta(days=1)}T00:00:00",
                    "Sore knee",
                    description="Left knee, after the long run.",
                )
            )
        out.append(
            _base_event(
                event_id(c0, 5),
                "NOTE",
                f"{c0}T00:00:00",
                f"{c0 + timedelta(days=1)}T00:00:00",
                "Block plan",
                description="NOTE: new 12-week block, A race at the end.",
                show_as_note=True,
            )
        )
        camp = c0 + timedelta(weeks=5)
        out.append(
            _base_event(
                event_id(camp, 5),
                "NOTE",
                f"{camp}T00:00:00",
                f"{camp + timedelta(days=7)}T00:00:00",
                "Training camp",
                description="Camp in the mountains: big volume week.",
            )
        )
    if start <= cal.GAP_START <= end:
        out.append(
            _base_event(
                event_id(cal.GAP_START, 7),
                "INJURED",
                f"{cal.GAP_START}T00:00:00",
                f"{cal.GAP_END + timedelta(days=1)}T00:00:00",
                "Broken collarbone",
                description="Crash on a descent. Four weeks off the bike.",
            )
        )
    return [e for e in out if start <= date.fromisoformat(e["start_date_local"][:10]) <= end]


def resolve_event(ev: dict[str, Any]) -> dict[str, Any]:
    """The event as `resolve=true` returns it: resolved targets added to every workout step."""
    doc = ev.get("workout_doc")
    if not doc or not doc.get("steps"):
        return ev
    ev = copy.deepcopy(ev)
    doc = ev["workout_doc"]
    sport = ev.get("type")
    outdoor = not ev.get("indoor")
    ftp = ev.get("icu_ftp")
    if sport == "Run":
        doc.update(
            {
                "lthr": cal.RUN_LTHR,
                "threshold_pace": cal.RUN_THRESHOLD_PACE,
                "pace_units": "MINS_KM",
                "target": "HR",
            }
        )
    elif sport == "Swim":
        doc.update(
            {"threshold_pace": cal.SWIM_THRESHOLD_PACE, "pace_units": "SECS_100M", "target": "PACE"}
        )
    else:
        doc.update({"ftp": ftp, "lthr": cal.RIDE_LTHR, "target": "POWER"})

    def res(step: dict[str, Any]) -> None:
        for child in step.get("steps", []):
            res(child)
        units = step.get("power", {}).get("units")
        if units == "power_zone" and ftp:
            z = step["power"]["value"]  # a zone resolves to its watt bounds only (no value)
            lo = POWER_ZONES[z - 2] / 100 * ftp if z > 1 else 0.0
            step["_power"] = {
                "start": round(lo, 2),
                "end": round(POWER_ZONES[z - 1] / 100 * ftp, 2),
            }
        elif units == "%ftp" and ftp:
            step["_power"] = _band(step["power"], ftp, 0.025 if outdoor else 0.0)
        if "pace" in step:
            thr = cal.RUN_THRESHOLD_PACE if sport == "Run" else cal.SWIM_THRESHOLD_PACE
            step["_pace"] = _band(step["pace"], thr, 0.025)
        if "hr" in step:
            zones = RUN_HR_ZONES if sport == "Run" else RIDE_HR_ZONES
            z = step["hr"]["value"]
            step["_hr"] = {"start": float(zones[z - 2] if z > 1 else 0), "end": float(zones[z - 1])}

    for step in doc["steps"]:
        res(step)
    return ev


def _band(target: dict[str, Any], base: float, widen: float) -> dict[str, float]:
    if "value" in target:
        v = target["value"] / 100 * base
        return {
            "value": round(v, 2),
            "start": round(v * (1 - widen), 2),
            "end": round(v * (1 + widen), 2),
        }
    lo, hi = target["start"] / 100 * base, target["end"] / 100 * base
    return {"value": round((lo + hi) / 2, 2), "start": round(lo, 2), "end": round(hi, 2)}


__all__ = [
    "PACE_ZONES",
    "doc_blocks",
    "event_id",
    "marker_events",
    "planned_event",
    "resolve_event",
    "workout_doc",
]
