"""Benchmark history.json: build time over three synthetic years, and (when the demo emulator is
available) API requests and wall time of a full generation against a reuse run.

    .venv/bin/python bench/bench_history.py            # pure build
    .venv/bin/python bench/bench_history.py --api      # also the emulator round trip

The reuse run must make no history request: history.json is regenerated at most once per
athlete-local day (docs/differences.md, "Files and publishing").
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s11sync.config import Settings
from s11sync.history.build import build_history
from s11sync.history.due import history_due
from s11sync.history.fetch_params import (
    HISTORY_ACTIVITY_FIELDS,
    HISTORY_WELLNESS_FIELDS,
    history_chunks,
)

TODAY = date(2026, 1, 21)
TYPES = ("Ride", "VirtualRide", "Run", "Ride", "WeightTraining", "Swim", "Ride")


def synthetic(today: date, days: int = 1096, seed: int = 11) -> tuple[list[dict], list[dict]]:
    """About one session a day for three years, with power or HR zones; a wellness record a day."""
    rng = random.Random(seed)
    acts: list[dict[str, Any]] = []
    well: list[dict[str, Any]] = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        ctl = 50 + 10 * rng.random()
        well.append(
            {
                "id": day.isoformat(),
                "ctl": ctl,
                "atl": ctl + rng.uniform(-10, 10),
                "rampRate": rng.uniform(-2, 2),
                "hrv": rng.randint(40, 90),
                "restingHR": rng.randint(42, 55),
                "sleepSecs": rng.randint(20000, 32000),
                "weight": round(rng.uniform(70, 72), 1),
            }
        )
        for slot in range(rng.choice((0, 1, 1, 1, 2))):
            kind = rng.choice(TYPES)
            moving = rng.randint(1800, 14400)
            zones = [int(moving * f) for f in (0.4, 0.35, 0.1, 0.08, 0.04, 0.02, 0.01)]
            act: dict[str, Any] = {
                "id": f"i{day:%Y%m%d}{slot}",
                "start_date_local": f"{day}T0{7 + slot}:00:00",
                "type": kind,
                "source": "GARMIN_CONNECT",
                "moving_time": moving,
                "distance": moving * rng.uniform(3, 10),
                "icu_training_load": moving / 60,
                "feel": rng.randint(1, 5),
                "icu_rpe": rng.randint(1, 10),
                "icu_variability_index": rng.uniform(1.0, 1.1),
                "decoupling": rng.uniform(-2, 8),
                "icu_efficiency_factor": rng.uniform(1.2, 1.8),
                "icu_hrr": {"hrr": rng.randint(15, 40)},
            }
            if "Ride" in kind:
                act["icu_zone_times"] = [
                    {"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(zones)
                ]
            else:
                act["icu_hr_zone_times"] = zones[:5]
            acts.append(act)
    return acts, well


def bench_build(repeat: int) -> None:
    acts, well = synthetic(TODAY)
    now = datetime(2026, 1, 21, 6, 17, tzinfo=timezone.utc)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        doc = build_history(acts, well, {}, None, Settings(), TODAY, now)
        best = min(best, time.perf_counter() - start)
    size = len(json.dumps(doc, ensure_ascii=False, indent=2).encode())
    print(
        f"build: {len(acts)} activities, {len(well)} wellness records → best of {repeat}: "
        f"{best * 1000:.0f} ms, history.json {size / 1024:.0f} kB"
    )


def bench_api() -> None:
    """Full generation vs reuse against the demo emulator (needs s11sync.demo.intervals_icu.server)."""
    try:
        from s11sync.demo.intervals_icu.server import IntervalsEmulator
        from s11sync.intervals.client import IntervalsClient
    except ImportError as exc:
        print(f"api: skipped ({exc})")
        return
    emulator = IntervalsEmulator(today=TODAY, latency_s=0.1)
    emulator.start()
    try:
        base = getattr(emulator, "base_url", None) or emulator.url
        athlete = getattr(emulator, "athlete_id", "i1")
        key = getattr(emulator, "api_key", "demo-key")
        settings = Settings()
        now = datetime(2026, 1, 21, 6, 17, tzinfo=timezone.utc)
        previous: dict | None = None
        for label in ("full generation", "reuse"):
            client = IntervalsClient(base, athlete, key, timeout_s=120)
            start = time.perf_counter()
            if history_due(previous, TODAY, settings.full_history):
                jobs = [("a", w) for w in history_chunks(TODAY)] + [
                    ("w", w) for w in history_chunks(TODAY)
                ]

                def one(job, client=client):
                    kind, (oldest, newest) = job
                    if kind == "a":
                        return client.activities(oldest, newest, HISTORY_ACTIVITY_FIELDS)
                    return client.wellness(oldest, newest, HISTORY_WELLNESS_FIELDS)

                results = client.map_bounded(one, jobs)
                acts = [r for (kind, _), rows, _ in results if kind == "a" for r in rows or []]
                well = [r for (kind, _), rows, _ in results if kind == "w" for r in rows or []]
                previous = build_history(acts, well, {}, None, settings, TODAY, now)
            elapsed = time.perf_counter() - start
            span = previous["data_range"] if previous else {}
            print(f"api: {label}: {client.requests_made} requests, {elapsed:.2f} s ({span})")
    finally:
        emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--api", action="store_true", help="also measure against the emulator")
    args = parser.parse_args()
    bench_build(args.repeat)
    if args.api:
        bench_api()


if __name__ == "__main__":
    main()
