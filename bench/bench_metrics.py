"""Benchmark the load and intensity metrics (docs/metrics.md) over three synthetic years.

    .venv/bin/python bench/bench_metrics.py                # one build over a 3-year snapshot
    .venv/bin/python bench/bench_metrics.py --replay       # also one build per day of the 3 years
    .venv/bin/python bench/bench_metrics.py --synthetic    # the bench's own generator

Target: one build under 0.5 s. Data: the demo athlete (`s11sync.demo.intervals_icu.athlete.build_demo`, about
three years of history) when it is importable, else the bench's own synthetic athlete, who rides
most days (power zones), runs with HR zones, lifts and swims without zones, logs a wellness record
daily and has a few Strava stubs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s11sync.config import Settings  # noqa: E402
from s11sync.metrics.derived import build_load_metrics  # noqa: E402
from s11sync.metrics.ftp_history import update_ftp_history  # noqa: E402
from s11sync.snapshot import Snapshot  # noqa: E402

TODAY = date(2026, 3, 18)
DAYS = 3 * 365 + 1
TYPES = ("Ride", "Ride", "VirtualRide", "Run", "WeightTraining", "Swim", "Walk")
TARGET_S = 0.5


def synthetic(
    today: date, days: int = DAYS, seed: int = 11
) -> tuple[list[dict], list[dict], list[dict]]:
    """(activities newest first, wellness, events) for `days` days ending today."""
    rng = random.Random(seed)
    acts: list[dict[str, Any]] = []
    well: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for k in range(days):
        day = today - timedelta(days=days - 1 - k)
        well.append(
            {
                "id": day.isoformat(),
                "hrv": rng.choice([None, rng.uniform(35, 90)]),
                "restingHR": rng.choice([None, rng.randint(42, 60)]),
                "sportInfo": [
                    {"type": "Ride", "eftp": 250 + rng.random() * 20, "wPrime": 18000, "pMax": 800}
                ],
            }
        )
        if rng.random() < 0.7:
            events.append({"category": "WORKOUT", "start_date_local": f"{day}T00:00:00"})
        for slot in range(rng.choice((0, 1, 1, 1, 2))):
            sport = rng.choice(TYPES)
            act: dict[str, Any] = {
                "id": f"i{k}{slot}",
                "type": sport,
                "start_date_local": f"{day}T{7 + 9 * slot:02d}:00:00",
                "icu_training_load": rng.randint(10, 180),
            }
            if sport in ("Ride", "VirtualRide"):
                secs = [rng.randint(0, 3000) for _ in range(7)]
                act["icu_zone_times"] = [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)]
                act["icu_zone_times"].append({"id": "SS", "secs": 300})
            if sport in ("Run", "Walk", "Ride"):
                act["icu_hr_zone_times"] = [rng.randint(0, 2000) for _ in range(5)]
            acts.append(act)
        if rng.random() < 0.02:
            acts.append({"id": str(k), "source": "STRAVA", "start_date_local": f"{day}T12:00:00"})
    acts.reverse()
    return acts, well, events


def _data(force_synthetic: bool) -> tuple[list[dict], list[dict], list[dict], str]:
    if not force_synthetic:
        try:
            from s11sync.demo.intervals_icu.athlete import build_demo
        except ImportError:
            pass
        else:
            demo = build_demo(11, TODAY)
            first = (TODAY - timedelta(days=DAYS - 1)).isoformat()
            acts = [a for a in demo.activities if a["start_date_local"] >= first]
            well = [w for w in demo.wellness if w["id"] >= first]
            events = [e for e in demo.events if e["start_date_local"][:10] <= TODAY.isoformat()]
            return acts, well, events, "demo athlete (build_demo, seed 11)"
    return (*synthetic(TODAY), "bench synthetic generator")


def _snapshot(today: date, acts, well, events) -> Snapshot:
    now = datetime(today.year, today.month, today.day, 12, tzinfo=timezone.utc)
    athlete = {"sportSettings": [{"types": ["Ride", "VirtualRide"], "ftp": 265, "indoor_ftp": 255}]}
    return Snapshot(
        today=today, now=now, days=7, athlete=athlete, activities=acts, wellness=well, events=events
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--replay", action="store_true", help="also build once per day of the 3 years"
    )
    parser.add_argument("--synthetic", action="store_true", help="use the bench's own generator")
    args = parser.parse_args()

    acts, well, events, source = _data(args.synthetic)
    print(f"data: {source}")
    settings = Settings(week_start="mon", zone_preference={"run": "hr"})
    history = update_ftp_history(
        {"indoor": {"2025-12-01": 250}, "outdoor": {"2025-10-01": 260}},
        _snapshot(TODAY, acts, well, events).athlete,
        TODAY,
    )
    snap = _snapshot(TODAY, acts, well, events)

    runs = 5
    started = time.perf_counter()
    for _ in range(runs):
        load = build_load_metrics(snap, settings, history)
    one = (time.perf_counter() - started) / runs
    print(
        f"{len(acts)} activities, {len(well)} wellness records, {len(events)} events, {DAYS} days"
    )
    print(
        f"build_load_metrics over the 3-year snapshot: {one * 1000:.1f} ms "
        f"(target < {TARGET_S * 1000:.0f} ms) acwr={load['acwr']} "
        f"tid_7d={load['seiler_tid_7d']['classification']}"
    )

    if args.replay:
        # each day sees only its own 28-day window, as a daily sync would
        started = time.perf_counter()
        for k in range(DAYS):
            day = TODAY - timedelta(days=k)
            lo, hi = (day - timedelta(days=27)).isoformat(), day.isoformat() + "T99"
            window = [a for a in acts if lo <= a["start_date_local"] <= hi]
            wl = [w for w in well if lo <= w["id"] <= day.isoformat()]
            build_load_metrics(_snapshot(day, window, wl, events), settings, history)
        total = time.perf_counter() - started
        print(
            f"replay, one build per day for {DAYS} days: {total:.2f} s "
            f"({total / DAYS * 1000:.2f} ms/day)"
        )
    return 0 if one < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
