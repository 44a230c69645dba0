"""Terrain analysis of a long track with missing elevations (the fill must stay linear in time).

    .venv/bin/python bench/bench_terrain.py

Prints the time to analyse a 20,000-point track (one point every 10 m) with half of the
elevations missing, and with none missing, for comparison. The fill of missing values used to
search every known point for each gap (13 s here); it is now one pass each way.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s11sync.terrain import analyse  # noqa: E402

N_POINTS = 20_000


def track(with_gaps: bool) -> list[dict]:
    points = []
    for i in range(N_POINTS):
        ele = 200 + 150 * (1 - abs((i % 1000) / 500 - 1))  # 5 km up at 3 %, 5 km down
        points.append(
            {
                "lat": 45 + i * 0.00009,
                "lon": 7.0,
                "ele": None if with_gaps and i % 2 else round(ele, 1),
            }
        )
    return points


def main() -> None:
    for label, gaps in (("50 % gaps", True), ("no gaps", False)):
        points = track(gaps)
        start = time.perf_counter()
        summary = analyse(points, "gpx_attachment", include_polyline=False, imperial=False)
        took = time.perf_counter() - start
        assert summary is not None
        print(
            f"terrain of {N_POINTS:,} points, {label}: {took:.2f} s "
            f"({summary['total_distance_km']} km, {len(summary['climbs'])} climbs)"
        )


if __name__ == "__main__":
    main()
