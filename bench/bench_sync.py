"""Whole-sync benchmark on the demo athlete: API requests, wall time, CPU time and peak memory for
a first run (cold: history, intervals, terrain fetched) and a warm run (state read back, history
reused; curves from state/curves.json), with simulated API latency, at --days 7 and --days 365,
and the start-up time of `s11sync --version`. Prints figures (medians of `--repeat` runs); asserts
nothing — the request counts are asserted in tests/test_wire.py.

CPU is the process's CPU time, emulator threads included (same process): an upper bound.

    python bench/bench_sync.py [--latency 0.1] [--today 2026-11-25] [--repeat 5] [--days 7,365]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

from s11sync.config import resolve_settings
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.pipeline import run_sync


def one_run(
    api: IntervalsEmulator, out: Path, today: str, trace: bool, days: int = 7
) -> tuple[int, float, float, dict, float]:
    settings = resolve_settings(
        {
            "athlete_id": api.athlete_id,
            "intervals_key": api.api_key,
            "api_base": api.base_url,
            "output": str(out),
            "today": today,
            "quiet": True,
            "days": days,
        },
        env={},
    )
    api.reset_counts()
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = run_sync(settings, datetime.now(timezone.utc))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    tracemalloc.stop()
    return result.api_requests, wall, peak, dict(api.request_counts), cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--latency", type=float, default=0.1, help="seconds added to every API response"
    )
    parser.add_argument("--today", default="2026-11-25")
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per figure (medians are printed)"
    )
    parser.add_argument("--days", default="7,365", help="comma-separated --days values to measure")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        IntervalsEmulator(today=date.fromisoformat(args.today), latency_s=args.latency) as api,
    ):
        print(
            f"demo athlete, today {args.today}, simulated latency {args.latency * 1000:.0f} ms per "
            f"request, medians of {args.repeat}"
        )
        for days in (int(d) for d in args.days.split(",")):
            figures: dict[str, list[tuple[int, float, float]]] = {"cold": [], "warm": []}
            paths: dict[str, dict] = {}
            for k in range(args.repeat):
                out = Path(tmp) / f"d{days}-{k}"
                for label in ("cold", "warm"):
                    requests, wall, _, per_path, cpu = one_run(api, out, args.today, False, days)
                    figures[label].append((requests, wall, cpu))
                    paths[label] = per_path
            for label, rows in figures.items():
                print(
                    f"--days {days:<3} {label}: {statistics.median(r[0] for r in rows):3.0f} requests  "
                    f"wall {statistics.median(r[1] for r in rows):5.2f} s  "
                    f"CPU {statistics.median(r[2] for r in rows):5.2f} s"
                )
                print("  " + ", ".join(f"{p} ×{n}" for p, n in sorted(paths[label].items())))
        # memory in a separate pass: tracemalloc slows everything, and it also sees the emulator's
        # allocations (same process), so the figure is an upper bound for s11sync itself
        for label in ("first run (cold)", "warm run (same day)"):
            peak = one_run(api, Path(tmp) / "traced", args.today, trace=True)[2]
            print(f"{label:22} peak traced memory {peak:6.1f} MB (sync + emulator)")
        sizes = {p.name: p.stat().st_size for p in (Path(tmp) / "traced").glob("*.json")}
        print(
            "file sizes: " + ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sorted(sizes.items()))
        )
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"s11sync --version: {version_wall(args.repeat) * 1000:.0f} ms (median, new process)")


def version_wall(repeat: int) -> float:
    """Wall time of `s11sync --version` in a fresh interpreter: the start-up cost of every run."""
    walls = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "s11sync", "--version"], check=True, capture_output=True
        )
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


if __name__ == "__main__":
    main()
