"""Seasonal context (docs/metrics.md, "Seasonal context").

One lookup from the month of `today` to a training-season label, plus the Benchmark Index band
expected in that season. The calendar is the Northern Hemisphere's; with `hemisphere="south"`
(setting `HEMISPHERE=south`) the month is shifted by six before both
lookups, so January reads as July.
"""

from __future__ import annotations

from datetime import date

UNKNOWN_SEASON = "Unknown"

# month (1-12, northern calendar) -> season label
_SEASON_BY_MONTH: dict[int, str] = {
    11: "Off-season / Transition",
    12: "Off-season / Transition",
    1: "Early Base",
    2: "Early Base",
    3: "Late Base / Build",
    4: "Late Base / Build",
    5: "Build / Early Race Season",
    6: "Build / Early Race Season",
    7: "Peak Race Season",
    8: "Peak Race Season",
    9: "Late Season / Transition",
    10: "Late Season / Transition",
}

# season label -> expected Benchmark Index [low, high], both inclusive
SEASONAL_BENCHMARK_BANDS: dict[str, tuple[float, float]] = {
    "Off-season / Transition": (-0.05, -0.02),
    "Early Base": (-0.02, 0.01),
    "Late Base / Build": (0.02, 0.05),
    "Build / Early Race Season": (0.01, 0.04),
    "Peak Race Season": (0.01, 0.03),
    "Late Season / Transition": (-0.03, 0.00),
}


def season_month(today: date, hemisphere: str = "north") -> int:
    """The northern-calendar month used for the lookup: today's month, shifted by 6 when south."""
    if hemisphere == "south":
        return (today.month + 5) % 12 + 1
    return today.month


def seasonal_context(today: date, hemisphere: str = "north") -> str:
    """`derived_metrics.seasonal_context`: the season label for today's month.

    >>> seasonal_context(date(2026, 1, 27), "north")
    'Early Base'
    >>> seasonal_context(date(2026, 1, 27), "south")
    'Peak Race Season'
    """
    return _SEASON_BY_MONTH.get(season_month(today, hemisphere), UNKNOWN_SEASON)


def seasonal_band(season: str | None) -> tuple[float, float] | None:
    """Expected Benchmark Index band `(low, high)` for a season label; None when unknown."""
    if season is None:
        return None
    return SEASONAL_BENCHMARK_BANDS.get(season)


def seasonal_expected(benchmark_index: float | None, season: str | None) -> bool | None:
    """`seasonal_expected`: low ≤ index ≤ high (inclusive); None when index or season unknown."""
    band = seasonal_band(season)
    if benchmark_index is None or band is None:
        return None
    low, high = band
    return low <= benchmark_index <= high
