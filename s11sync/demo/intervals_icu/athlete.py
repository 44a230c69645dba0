"""The deterministic synthetic demo athlete: `build_demo(seed, today)` -> `DemoData`.

Everything is a pure function of (seed, today): the season is anchored on absolute dates
(`athlete_calendar`), every day draws from its own seeded generator, and `today` only decides what
is already done (activities, paired workouts, wellness) and what is still planned (events after
today). A later `today` therefore extends the history without changing past activities.

Served history: `HISTORY_DAYS` days up to today (activities and wellness); planned events up to
`FUTURE_DAYS` ahead. CTL/ATL use a 200-day truncated exponential kernel over the loads, so they are
also independent of where the served window starts. Streams, intervals and curves are computed on
request from each session's private timeline and cached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from s11sync.demo.intervals_icu import athlete_analysis as ana
from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu import athlete_events as evts
from s11sync.demo.intervals_icu import athlete_sessions as ses
from s11sync.demo.intervals_icu.athlete_calendar import HISTORY_DAYS, key_dates
from s11sync.demo.intervals_icu.athlete_profile import (
    athlete_record,
    blank_wellness_record,
    wellness_record,
)
from s11sync.demo.intervals_icu.athlete_sessions import ATHLETE_ID, CURVE_SECS, Session
from s11sync.demo.intervals_icu.athlete_streams import race_gpx, streams_of

FUTURE_DAYS = 200
KERNEL_DAYS = 200
OTHER_ATHLETE_ID = "i424243"
NUMERIC_ATHLETE_ID = "123456"  # a Strava-signup account: the id has no `i` prefix
DEFAULT_FILE_BASE = "http://127.0.0.1/files"

__all__ = [
    "ATHLETE_ID",
    "HISTORY_DAYS",
    "NUMERIC_ATHLETE_ID",
    "OTHER_ATHLETE_ID",
    "DemoData",
    "build_demo",
    "key_dates",
]


@dataclass
class DemoData:
    """All the demo athlete's API payloads for one (seed, today). Lists hold raw API JSON."""

    seed: int
    today: date
    athlete: dict[str, Any]
    other_athlete: dict[str, Any]
    numeric_athlete: dict[str, Any]  # second account (same training data), id without `i`
    activities: list[dict[str, Any]]  # newest first (API order), Strava stubs included
    wellness: list[dict[str, Any]]  # ascending by id, days without a record are missing
    unrecorded_wellness: dict[str, dict[str, Any]]  # those missing days: CTL/ATL, rest null
    events: list[dict[str, Any]]  # unresolved, ascending by start_date_local
    sessions: dict[str, Session] = field(repr=False)
    attachments: dict[str, tuple[str, str]] = field(
        repr=False
    )  # attachment id -> (filename, race name)
    _streams: dict[str, list] = field(default_factory=dict, repr=False)
    _race_dates: dict[str, date] = field(default_factory=dict, repr=False)
    wellness_by_day: dict[str, dict[str, Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.wellness_by_day = {w["id"]: w for w in self.wellness}

    # ---- lookups
    def activity(self, activity_id: str) -> dict[str, Any] | None:
        if activity_id in self.sessions:
            return self.sessions[activity_id].activity
        return next((a for a in self.activities if a["id"] == activity_id), None)

    def is_stub(self, activity_id: str) -> bool:
        act = self.activity(activity_id)
        return act is not None and act.get("source") == "STRAVA" and "type" not in act

    def intervals(self, activity_id: str) -> dict[str, Any]:
        """IntervalsDTO of an activity (stubs and strength: empty lists)."""
        sess = self.sessions.get(activity_id)
        if sess is None:
            return {"id": activity_id, "analyzed": None, "icu_intervals": [], "icu_groups": []}
        ints, groups = ana.intervals_of(sess)
        return {
            "id": activity_id,
            "analyzed": sess.activity["analyzed"],
            "icu_intervals": ints,
            "icu_groups": groups,
        }

    def streams(self, activity_id: str) -> list[dict[str, Any]]:
        sess = self.sessions.get(activity_id)
        if sess is None:
            return []
        cached = self._streams.get(activity_id)
        if cached is None:  # bounded cache; safe under concurrent handler threads
            cached = streams_of(sess)
            if len(self._streams) > 64:
                self._streams.clear()
            self._streams[activity_id] = cached
        return cached

    def messages(self, activity_id: str) -> list[dict[str, Any]]:
        sess = self.sessions.get(activity_id)
        if sess is None or sess.plan.kind not in ses.CHAT_KINDS:
            return []
        created = sess.start_local + timedelta(seconds=sess.activity["elapsed_time"] + 3600)
        base = int(activity_id[1:]) * 10
        msgs = [
            _message(
                base,
                activity_id,
                "i777001",
                "Coach Demo",
                created,
                "Nice pacing. Keep the fuelling at 70 g/h next time.",
            )
        ]
        if sess.plan.kind == "long":
            msgs.append(
                _message(
                    base + 1,
                    activity_id,
                    ATHLETE_ID,
                    "Demo Athlete",
                    created + timedelta(minutes=30),
                    "Thanks! Legs felt good.",
                )
            )
            msgs.append(
                _message(
                    base + 2,
                    activity_id,
                    ATHLETE_ID,
                    "Demo Athlete",
                    created + timedelta(minutes=31),
                    None,
                    deleted=True,
                )
            )
        return msgs

    def gpx(self, attachment_id: str) -> str | None:
        if attachment_id not in self.attachments:
            return None
        _, name = self.attachments[attachment_id]
        return race_gpx(name, self._race_dates[attachment_id], 162000.0)

    # ---- curves
    def curves(self, kind: str, specs: list[str], sport: str | None) -> dict[str, Any]:
        """`{list, activities}` for power ("power") or HR ("hr") curves, one item per spec.

        The points are in `values` (watts or bpm), as every live capture shows; there is no
        `watts` duplicate."""
        items = []
        used: dict[str, dict[str, Any]] = {}
        for spec in specs:
            window = _curve_window(spec, self.today)
            items.append(self._curve(kind, spec, window, sport, used))
        return {"list": items, "activities": used}

    def _curve(
        self,
        kind: str,
        spec: str,
        window: tuple[date, date, str] | None,
        sport: str | None,
        used: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": spec,
            "label": window[2] if window else spec,
            "filters": [],
            "filter_label": None,
            "percentile": None,
            "after_kj": 0,
        }
        best: list[int] = []
        ids: list[str] = []
        moving = load = 0
        if window:
            start, end, _ = window
            item["start_date_local"] = f"{start}T00:00:00"
            item["end_date_local"] = f"{end + timedelta(days=1)}T00:00:00"
            item["days"] = (end - start).days + 1
            for sess in self.sessions.values():
                if not (start <= sess.day <= end) or (sport and sess.type != sport):
                    continue
                values = ana.mmp(sess)["watts" if kind == "power" else "hr"]
                if not values:
                    continue
                moving += sess.activity["moving_time"]
                load += sess.activity["icu_training_load"]
                for i, v in enumerate(values):
                    if i >= len(best):
                        best.append(v)
                        ids.append(sess.id)
                    elif v > best[i]:
                        best[i], ids[i] = v, sess.id
        item.update({"moving_time": moving, "training_load": load, "weight": 72.4})
        if not best:
            item.update({"secs": None, "values": None, "activity_id": None})
            if kind == "power":
                item.update(
                    {
                        "watts_per_kg": None,
                        "wkg_activity_id": None,
                        "powerModels": [],
                    }
                )
            return item
        item.update({"secs": CURVE_SECS[: len(best)], "values": best, "activity_id": ids})
        if kind == "power":
            assert window is not None  # best is only filled under `if window:`
            ftp = cal.ftp_outdoor(window[1])
            item.update(
                {
                    "watts_per_kg": [round(v / 72.4, 2) for v in best],
                    "wkg_activity_id": list(ids),
                    "powerModels": [
                        {
                            "type": "MORTON_3P",
                            "criticalPower": int(ftp * 1.03),
                            "wPrime": 19800,
                            "pMax": max(best),
                            "ftp": ftp,
                        }
                    ],
                }
            )
        for aid in ids:
            a = self.sessions[aid].activity
            used[aid] = {
                "id": aid,
                "name": a["name"],
                "start_date_local": a["start_date_local"],
                "type": a["type"],
                "distance": a["distance"],
                "moving_time": a["moving_time"],
                "training_load": a["icu_training_load"],
                "icu_weight": a["icu_weight"],
                "race": a["race"],
            }
        return item


def _curve_window(spec: str, today: date) -> tuple[date, date, str] | None:
    if spec.startswith("r."):
        try:
            _, a, b = spec.split(".")
            return date.fromisoformat(a), date.fromisoformat(b), f"{a} to {b}"
        except ValueError:
            return None
    if spec.endswith("d") and spec[:-1].isdigit():
        n = int(spec[:-1])
        return today - timedelta(days=n - 1), today, f"{n} days"
    if spec == "1y":
        return today - timedelta(days=364), today, "1 year"
    if spec == "all":
        return date(2000, 1, 1), today, "All time"
    if spec in ("s0", "s1"):
        year = today.year - int(spec[1])
        return (
            date(year, 1, 1),
            min(today, date(year, 12, 31)),
            "This season" if spec == "s0" else "Last season",
        )
    return None


def _message(
    mid: int,
    activity_id: str,
    author: str,
    name: str,
    created: datetime,
    content: str | None,
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        "id": mid,
        "athlete_id": author,
        "name": name,
        "created": created.isoformat() + ".000+00:00",
        "type": "TEXT",
        "content": content,
        "activity_id": activity_id,
        "start_index": None,
        "end_index": None,
        "answer": None,
        "attachment_url": None,
        "attachment_mime_type": None,
        "deleted": (created + timedelta(minutes=1)).isoformat() + ".000+00:00" if deleted else None,
        "deleted_by_id": author if deleted else None,
        "join_group_id": None,
        "accept_coaching_group_id": None,
        "seen": True,
    }


# ---------------------------------------------------------------- build


def build_demo(seed: int, today: date, file_base: str = DEFAULT_FILE_BASE) -> DemoData:
    """Build every payload of the demo athlete as seen on `today` (athlete-local date)."""
    first = today - timedelta(days=HISTORY_DAYS - 1)
    warm = first - timedelta(days=KERNEL_DAYS)
    sessions: dict[str, Session] = {}
    activities: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    attachments: dict[str, tuple[str, str]] = {}
    race_dates: dict[str, date] = {}
    loads: list[int] = []
    hard: list[bool] = []
    day = warm
    while day <= today + timedelta(days=FUTURE_DAYS):
        past = day <= today
        day_load = 0
        day_hard = False
        for plan in cal.day_plan(seed, day):
            ev = None
            if plan.planned and day >= first - timedelta(days=14):
                ev = evts.planned_event(seed, day, plan, file_base)
                for att in ev.get("attachments") or []:
                    attachments[att["id"]] = (att["filename"], plan.name)
                    race_dates[att["id"]] = day
            if past and cal.realised(seed, day, plan):
                sess = ses.build_session(seed, day, plan)
                day_load += sess.activity["icu_training_load"]
                day_hard = day_hard or (sess.activity["icu_intensity"] or 0) > 85
                if day >= first:
                    sessions[sess.id] = sess
                    if ev is not None and plan.category == "WORKOUT":
                        ev["paired_activity_id"] = sess.id
                        sess.activity["paired_event_id"] = ev["id"]
                        sess.activity["compliance"] = round(
                            cal.rng_for(seed, "cmp", day).uniform(88, 104), 1
                        )
            if ev is not None:
                events.append(ev)
        if past:
            if day >= first and cal.strava_stub_today(day):
                activities.append(
                    {
                        "id": ses.stub_id(day),
                        "icu_athlete_id": ATHLETE_ID,
                        "start_date_local": f"{day}T12:{(day.day * 7) % 60:02d}:05",
                        "source": "STRAVA",
                        "_note": "STRAVA activities are not available via the API",
                    }
                )
            loads.append(day_load)
            hard.append(day_hard)
        day += timedelta(days=1)
    activities.extend(s.activity for s in sessions.values())
    activities.sort(key=lambda a: (a["start_date_local"], a["id"]), reverse=True)
    events.extend(
        evts.marker_events(first - timedelta(days=14), today + timedelta(days=FUTURE_DAYS))
    )
    events.sort(key=lambda e: (e["start_date_local"], e["id"]))
    wellness, unrecorded = _wellness_series(seed, warm, first, loads, hard)
    return DemoData(
        seed=seed,
        today=today,
        athlete=athlete_record(today, ATHLETE_ID, "Demo Athlete"),
        other_athlete=athlete_record(today, OTHER_ATHLETE_ID, "Other Athlete"),
        numeric_athlete=athlete_record(today, NUMERIC_ATHLETE_ID, "Sam Signup"),
        activities=activities,
        wellness=wellness,
        unrecorded_wellness=unrecorded,
        events=events,
        sessions=sessions,
        attachments=attachments,
        _race_dates=race_dates,
    )


def _wellness_series(
    seed: int, warm: date, first: date, loads: list[int], hard: list[bool]
) -> tuple[list[dict], dict[str, dict]]:
    """(recorded days, {day: blank record} of the served days without data)."""
    kc, ka = math.exp(-1 / 42), math.exp(-1 / 7)
    tail = kc**KERNEL_DAYS
    norm = 1 / (1 - tail)
    ctl_raw = atl = 0.0
    ctls: list[float] = []
    out = []
    blanks: dict[str, dict] = {}
    for i, load in enumerate(loads):
        ctl_raw = ctl_raw * kc + (1 - kc) * load
        if i >= KERNEL_DAYS:  # drop the load that left the 200-day kernel
            ctl_raw -= (1 - kc) * loads[i - KERNEL_DAYS] * tail
        atl = atl * ka + (1 - ka) * load
        ctl = ctl_raw * norm
        ctls.append(ctl)
        day = warm + timedelta(days=i)
        if day < first:
            continue
        ramp = ctl - ctls[i - 7] if i >= 7 else 0.0
        if cal.wellness_absent(day):
            fitness = {
                "ctl": round(ctl, 2),
                "atl": round(atl, 2),
                "rampRate": round(ramp, 2),
                "ctlLoad": load,
                "atlLoad": load,
            }
            blanks[day.isoformat()] = blank_wellness_record(day.isoformat(), fitness)
            continue
        out.append(wellness_record(seed, day, load, ctl, atl, ramp, hard[i - 1] if i else False))
    return out, blanks
