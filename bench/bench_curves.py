"""How many curve API calls a warm run makes, computed from the fetch plan (`curve_requests`).

    .venv/bin/python bench/bench_curves.py

Curve calls of a warm run: (a) cycling only = 5, (b) ride + run + row = 9 (the original: 6 and 10).
Curves are never cached between runs (they change with every new activity), so a warm run makes
exactly the planned calls. The floor is one call per
(endpoint, `type`) pair: the API takes one `type` per call, but any number of `curves=` windows.

* delta windows: power `type=Ride` (current + previous 28 days, plus the 42-day window when cycling
  is active) and HR without `type` (current + previous) — 2 calls whatever the sports;
* sustainability: each active family needs power and HR per type over 42 days; Ride's power
  curve rides along in the first call, so cycling adds 3 (VirtualRide power,
  Ride HR, VirtualRide HR),
  rowing 4 (Rowing/VirtualRow × power/HR), ski 2 (NordicSki; VirtualSki is not an API type);
  running, swimming and the rest have no curve metric and add none.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s11sync.metrics.curves import curve_requests  # noqa: E402

TODAY = date(2026, 11, 25)


def _activities(*types: str) -> list[dict]:
    return [
        {
            "id": f"i{n}",
            "type": t,
            "start_date_local": f"{(TODAY - timedelta(days=n)).isoformat()}T08:00:00",
        }
        for n, t in enumerate(types)
    ]


# name -> (activities, calls the original v3.128 makes for the same athlete)
SCENARIOS = {
    # P1 + H1 + S1/S2 for Ride and VirtualRide = 6
    "(a) cycling only (Ride + VirtualRide)": (_activities("Ride", "VirtualRide", "Ride"), 6),
    # the same + S1/S2 for Rowing and VirtualRow = 10
    "(b) ride + run + row": (_activities("Ride", "Run", "Rowing", "VirtualRide", "TrailRun"), 10),
}


def main() -> None:
    for name, (activities, original) in SCENARIOS.items():
        plan = curve_requests(TODAY, activities)
        print(f"{name}: {len(plan)} curve calls (original v3.128: {original})")
        for request in plan:
            sport = request.sport_type or "(no type)"
            print(f"  {request.kind:5} {sport:12} curves={','.join(request.curves)}")


if __name__ == "__main__":
    main()
