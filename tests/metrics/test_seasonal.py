"""Seasonal context and its expected Benchmark Index bands (docs/metrics.md, "Seasonal context")."""

from datetime import date

import pytest

from s11sync.metrics.seasonal import seasonal_band, seasonal_context, seasonal_expected


@pytest.mark.parametrize(
    ("month", "north"),
    [
        (11, "Off-season / Transition"),
        (12, "Off-season / Transition"),
        (1, "Early Base"),
        (2, "Early Base"),
        (3, "Late Base / Build"),
        (4, "Late Base / Build"),
        (5, "Build / Early Race Season"),
        (6, "Build / Early Race Season"),
        (7, "Peak Race Season"),
        (8, "Peak Race Season"),
        (9, "Late Season / Transition"),
        (10, "Late Season / Transition"),
    ],
)
def test_every_month_maps_to_its_northern_season(month, north):
    assert seasonal_context(date(2026, month, 15), "north") == north


def test_hemisphere_defaults_to_north():
    assert seasonal_context(date(2026, 1, 27)) == "Early Base"


@pytest.mark.parametrize(
    ("month", "reads_as"),
    [(1, 7), (2, 8), (3, 9), (6, 12), (7, 1), (12, 6)],
)
def test_south_shifts_the_month_by_six_before_the_lookup(month, reads_as):
    assert seasonal_context(date(2026, month, 1), "south") == seasonal_context(
        date(2026, reads_as, 1), "north"
    )


def test_january_in_the_south_is_peak_race_season_with_its_band():
    season = seasonal_context(date(2026, 1, 27), "south")
    assert season == "Peak Race Season"
    assert seasonal_band(season) == (0.01, 0.03)


def test_seasonal_expected_is_inclusive_at_both_band_ends():
    # March (north) = Late Base / Build, band [0.02, 0.05]
    season = seasonal_context(date(2026, 3, 18), "north")
    assert seasonal_expected(0.02, season) is True
    assert seasonal_expected(0.05, season) is True
    assert seasonal_expected(0.027, season) is True  # worked example
    assert seasonal_expected(0.0199, season) is False
    assert seasonal_expected(0.0501, season) is False


def test_an_index_in_a_band_gap_is_not_expected():
    # 0.015 in March is outside the expected band → false
    assert seasonal_expected(0.015, "Late Base / Build") is False


def test_seasonal_expected_is_null_without_an_index_or_a_known_season():
    assert seasonal_expected(None, "Early Base") is None
    assert seasonal_expected(0.0, "Unknown") is None
    assert seasonal_expected(0.0, None) is None
