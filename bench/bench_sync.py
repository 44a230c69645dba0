"""Whole-sync benchmark on the demo athlete: API requests, wall time and peak memory for a first
run (cold: history, intervals, terrain fetched) and a warm run (state read back, history reused),
with simulated API latency. Prints figures; asserts nothing.

    python bench/bench_sync.py [--latency 0.1] [--today 2026-11-25]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timezone
from pathlib import Path

from s11sync.config import resolve_settings
from s11sync.demo.server import IntervalsEmulator
from s11sync.pipeline import run_sync


def one_run(api: IntervalsEmulator, out: Path, today: str, trace: bool) -> tuple[int, float, float, dict]:
    settings = resolve_settings({"athlete_id": api.athlete_id, "intervals_key": api.api_key,
                                 "api_base": api.base_url, "output": str(out), "today": today,
                                 "quiet": True}, env={})
    api.reset_counts()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = run_sync(settings, datetime.now(timezone.utc))
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    tracemalloc.stop()
    return result.api_requests, wall, peak, dict(api.request_counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every API response")
    parser.add_argument("--today", default="2026-11-25")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, \
            IntervalsEmulator(today=date.fromisoformat(args.today), latency_s=args.latency) as api:
        out = Path(tmp) / "timed"
        print(f"demo athlete, today {args.today}, simulated latency {args.latency * 1000:.0f} ms per request")
        for label in ("first run (cold)", "warm run (same day)"):
            requests, wall, _, per_path = one_run(api, out, args.today, trace=False)
            print(f"{label:22} {requests:3d} requests  {wall:6.2f} s")
            print("  " + ", ".join(f"{p} ×{n}" for p, n in sorted(per_path.items())))
        # memory in a separate pass: tracemalloc slows everything, and it also sees the emulator's
        # allocations (same process), so the figure is an upper bound for s11sync itself
        for label in ("first run (cold)", "warm run (same day)"):
            peak = one_run(api, Path(tmp) / "traced", args.today, trace=True)[2]
            print(f"{label:22} peak traced memory {peak:6.1f} MB (sync + emulator)")
        sizes = {p.name: p.stat().st_size for p in out.glob("*.json")}
        print("file sizes: " + ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sorted(sizes.items())))
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
