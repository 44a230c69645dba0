"""Benchmark: a few days of scheduled publishing, every 30 minutes, against the GitHub emulator.

Each simulated day has 48 runs (cron 17,47 * * * *). The data changes a few times a day (morning
wellness, two activities, an edit to the plan) and history.json is regenerated once a day; every
other run only bumps the per-run timestamps. For each scenario the script prints commits, API
requests per run and the size of the bare repository at the end of every day (loose objects as
written, and packed with `git gc` as GitHub would store them).

Scenarios: archive off (the default), archive daily, and "bytewise" (every byte difference counts,
as in the original script, whose timestamps made every run commit) for comparison.

    .venv/bin/python bench/bench_publish.py [--days 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s11sync.demo.github.server import GitHubEmulator  # noqa: E402
from s11sync.publish import github as github_publish  # noqa: E402
from s11sync.publish.github import GitHubPublisher  # noqa: E402

REPO = "athlete/training-data"
TOKEN = "bench-token"
START = date(2026, 11, 20)
CHANGES = {14: "wellness", 25: "activity", 36: "activity", 43: "plan"}  # run index -> what changes


def _dumps(doc: object) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class Athlete:
    """Synthetic documents of realistic size that change only at the given events."""

    def __init__(self) -> None:
        self.activities: list[dict] = [
            self._activity(n, START - timedelta(days=n % 28)) for n in range(24)
        ]
        self.wellness: dict[str, dict] = {}
        self.plan_version = 0
        self.history_day: date | None = None

    @staticmethod
    def _activity(n: int, day: date) -> dict:
        return {
            "id": f"i{100000 + n}",
            "date": f"{day}T07:30:00",
            "type": "Ride",
            "name": f"Ride {n}",
            "duration_hours": 1.5 + (n % 5) / 10,
            "distance_km": 40.0 + n,
            "tss": 60 + n,
            "zone_distribution": {f"z{z}": (n * z) % 37 for z in range(1, 8)},
            "intervals": [{"start": s * 300, "watts": 200 + s, "hr": 140 + s} for s in range(12)],
        }

    def event(self, kind: str, today: date, n: int) -> None:
        if kind == "wellness":
            self.wellness[str(today)] = {
                "date": str(today),
                "hrv_rmssd": 50 + n % 20,
                "resting_hr": 48 + n % 5,
                "sleep_hours": 7.2,
            }
        elif kind == "activity":
            self.activities.insert(0, self._activity(1000 + n, today))
        elif kind == "plan":
            self.plan_version += 1

    def files(self, today: date, now: datetime) -> dict[str, bytes]:
        stamp = now.isoformat(timespec="seconds")
        if self.history_day != today:  # regenerated once per athlete-local day
            self.history_day = today
        recent = self.activities[:40]
        latest = {
            "metadata": {"athlete_id": "REDACTED", "last_updated": stamp, "version": "bench"},
            "derived_metrics": {"acwr": 1.1, "calculation_timestamp": stamp},
            "recent_activities": recent,
            "wellness_data": sorted(self.wellness.values(), key=lambda r: r["date"])[-28:],
            "planned_workouts": [
                {
                    "date": str(today + timedelta(days=d)),
                    "name": f"plan v{self.plan_version} day {d}",
                }
                for d in range(14)
            ],
        }
        history = {
            "generated_at": f"{self.history_day}T00:17:00+00:00",
            "daily_90d": [
                {
                    "date": str(today - timedelta(days=d)),
                    "tss": (d * 7) % 120,
                    "ctl": 60 + d % 9,
                    "atl": 55 + d % 13,
                }
                for d in range(90)
            ],
            "weekly_180d": [{"week": w, "hours": 8 + w % 4} for w in range(26)],
        }
        intervals = {
            "generated_at": stamp,
            "activities": [{"id": a["id"], "intervals": a["intervals"]} for a in recent],
        }
        routes = {
            "generated_at": stamp,
            "events": [
                {"id": a["id"], "climbs": [{"km": k, "grade": 3.5} for k in range(5)]}
                for a in recent[:10]
            ],
        }
        ftp = {"cycling": {str(START - timedelta(days=30 * k)): 250 - k for k in range(6)}}
        return {
            "latest.json": _dumps(latest),
            "history.json": _dumps(history),
            "intervals.json": _dumps(intervals),
            "routes.json": _dumps(routes),
            "ftp_history.json": _dumps(ftp),
        }


def _bytewise(new: dict[str, bytes], old: dict[str, bytes]) -> list[str]:
    return [name for name, data in new.items() if old.get(name) != data]


def _packed_size(bare: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.git"
        shutil.copytree(bare, copy)
        subprocess.run(
            ["git", "--git-dir", str(copy), "gc", "--quiet", "--aggressive"],
            check=True,
            capture_output=True,
        )
        return sum(f.stat().st_size for f in copy.rglob("*") if f.is_file())


def run_scenario(name: str, archive: str, days: int, workdir: Path) -> None:
    athlete = Athlete()
    root = workdir / name
    emulator = GitHubEmulator(root, token=TOKEN).start()
    bare = emulator.create_repo(*REPO.split("/"), auto_init=True)  # GitHub: no writes to empty
    patch = (
        mock.patch.object(github_publish, "plan_changes", _bytewise)
        if name == "bytewise"
        else contextlib.nullcontext()
    )
    print(f"\n== {name} (archive {archive}) ==")
    print(
        f"{'day':<11} {'commits':>7} {'requests/run (min/median/max)':>31} {'req/day':>8} "
        f"{'loose KiB':>10} {'packed KiB':>11} {'s/run':>6}"
    )
    try:
        with patch:
            for day_index in range(days):
                today = START + timedelta(days=day_index)
                per_run: list[int] = []
                commits = 0
                started = time.perf_counter()
                for run in range(48):
                    minute = 17 + 30 * run
                    now = datetime(
                        today.year, today.month, today.day, tzinfo=timezone.utc
                    ) + timedelta(minutes=minute)
                    if run in CHANGES:
                        athlete.event(CHANGES[run], today, day_index * 100 + run)
                    publisher = GitHubPublisher(
                        REPO, TOKEN, api_url=emulator.api_url, archive=archive
                    )
                    result = publisher.publish(athlete.files(today, now), today=today)
                    per_run.append(result.api_requests)
                    commits += result.committed
                elapsed = (time.perf_counter() - started) / 48
                loose = sum(f.stat().st_size for f in bare.rglob("*") if f.is_file())
                packed = _packed_size(bare)
                print(
                    f"{today!s:<11} {commits:>7} "
                    f"{min(per_run):>13}/{statistics.median(per_run):>6.0f}/{max(per_run):>6}   "
                    f"{sum(per_run):>8} {loose / 1024:>10.0f} {packed / 1024:>11.0f} "
                    f"{elapsed:>6.3f}"
                )
    finally:
        emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3, help="simulated days (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, archive in (
            ("archive-off", "off"),
            ("archive-daily", "daily"),
            ("bytewise", "off"),
        ):
            run_scenario(name, archive, args.days, Path(tmp))


if __name__ == "__main__":
    main()
