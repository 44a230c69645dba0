"""Year-to-date totals (docs/metrics.md, "Year to date") on small hand-made activity lists; every
figure is worked by hand in the comments."""

from __future__ import annotations

from datetime import date, timedelta

from s11sync.history.year_to_date import (
    NO_BASE_NOTE,
    period_totals,
    same_day_last_year,
    year_to_date,
    ytd_base,
)


def act(aid, day, type_="Ride", moving=3600, dist=30000.0, elev=100.0, load=50.0, **extra):
    return {
        "id": aid,
        "start_date_local": f"{day}T08:00:00",
        "type": type_,
        "moving_time": moving,
        "distance": dist,
        "total_elevation_gain": elev,
        "icu_training_load": load,
        **extra,
    }


def window(today: date, days: int = 28) -> date:
    return today - timedelta(days=days - 1)


def test_same_day_last_year_maps_leap_day_to_28_february():
    assert same_day_last_year(date(2028, 2, 29)) == date(2027, 2, 28)
    assert same_day_last_year(date(2028, 3, 1)) == date(2027, 3, 1)
    assert same_day_last_year(date(2026, 1, 1)) == date(2025, 1, 1)
    assert same_day_last_year(date(2029, 2, 28)) == date(2028, 2, 28)


def test_gravel_and_virtual_rides_are_cycling_stubs_and_duplicates_are_not_counted():
    acts = [
        act("i1", "2026-03-01", "GravelRide", 3600, 40000.0, 300.0, 80.0),
        act("i2", "2026-03-02", "VirtualRide", 1800, 15000.0, None, 30.0),
        act("i2", "2026-03-02", "VirtualRide", 1800, 15000.0, None, 30.0),  # same id again
        act("i3", "2026-03-03", "WeightTraining", 2700, None, None, None),
        {
            "id": "999",
            "start_date_local": "2026-03-03T08:00:00",
            "source": "STRAVA",
            "moving_time": 9999,
            "distance": 99999.0,
        },  # Strava stub
        act("i4", "2026-02-28", "Run"),  # before the period
    ]
    got = period_totals(acts, date(2026, 3, 1), date(2026, 3, 31))
    assert list(got) == ["cycling", "strength"]
    # cycling: 3600 + 1800 s, 40 + 15 km, 300 + 0 m (null gain adds nothing), 80 + 30
    assert got["cycling"] == {
        "sessions": 2,
        "moving_time_s": 5400.0,
        "distance_m": 55000.0,
        "elevation_m": 300.0,
        "load": 110.0,
    }
    assert got["strength"] == {
        "sessions": 1,
        "moving_time_s": 2700.0,
        "distance_m": 0.0,
        "elevation_m": 0.0,
        "load": 0.0,
    }


def test_base_on_1_january_holds_nothing_of_this_year_and_one_day_of_last_year():
    acts = [
        act("a", "2025-01-01"),
        act("b", "2025-01-02"),
        act("c", "2025-12-31"),
        act("d", "2026-01-01"),
    ]
    base = ytd_base(acts, date(2026, 1, 1))
    assert base["current"] == {"year": 2026, "through": "2025-12-31", "by_family": {}}
    assert base["previous"]["through"] == "2025-01-01"
    assert base["previous"]["by_family"]["cycling"]["sessions"] == 1  # only "a"


def test_base_on_leap_day_compares_with_last_year_through_28_february():
    acts = [
        act("a", "2027-02-28"),
        act("b", "2027-03-01"),
        act("c", "2028-02-28"),
        act("d", "2028-02-29"),
    ]
    base = ytd_base(acts, date(2028, 2, 29))
    assert base["current"]["through"] == "2028-02-28"
    assert (
        base["current"]["by_family"]["cycling"]["sessions"] == 1
    )  # "c"; today's "d" is added later
    assert base["previous"]["through"] == "2027-02-28"
    assert base["previous"]["by_family"]["cycling"]["sessions"] == 1  # "a", not 1 March's "b"
    # latest.json adds today's ride from the run's window: 2 rides this year, 1 last year
    ytd = year_to_date(
        {"year_to_date_base": base},
        [act("d", "2028-02-29")],
        date(2028, 2, 29),
        window(date(2028, 2, 29)),
    )
    assert (ytd["through"], ytd["partial"], ytd["note"]) == ("2028-02-29", False, None)
    assert ytd["by_family"]["cycling"]["sessions"] == 2
    assert ytd["previous_year_same_period"]["through"] == "2027-02-28"


def test_todays_activities_are_added_to_the_base_and_rounded_at_the_end():
    today = date(2026, 6, 10)
    history = [
        act("h1", "2026-01-05", "Ride", 5400, 45123.0, 400.4, 90.4),
        act("h2", "2026-06-09", "Run", 1800, 5000.0, 20.0, 30.0),
        act("p1", "2025-06-10", "Run", 3000, 8000.0, 50.0, 40.0),
        act("p2", "2025-06-11", "Run", 3000, 8000.0, 50.0, 40.0),
    ]  # after the same day
    base = ytd_base(history, today)
    # this run's window (newest first, as the API sends it): today's ride and yesterday's run again
    fetched = [
        act("t1", "2026-06-10", "VirtualRide", 3600, 30000.0, 0.0, 60.2),
        act("h2", "2026-06-09", "Run", 1800, 5000.0, 20.0, 30.0),
    ]
    ytd = year_to_date({"year_to_date_base": base}, fetched, today, window(today))
    assert ytd["year"] == 2026 and ytd["through"] == "2026-06-10" and ytd["partial"] is False
    # cycling: 5400 + 3600 s = 2.5 h; 45.123 + 30 km = 75.1; 400.4 + 0 m = 400; 90.4 + 60.2 = 151
    assert ytd["by_family"]["cycling"] == {
        "sessions": 2,
        "moving_time_hours": 2.5,
        "distance_km": 75.1,
        "elevation_m": 400,
        "load": 151,
    }
    # yesterday's run comes from the base only (the window's copy is not added twice)
    assert ytd["by_family"]["run"] == {
        "sessions": 1,
        "moving_time_hours": 0.5,
        "distance_km": 5.0,
        "elevation_m": 20,
        "load": 30,
    }
    prev = ytd["previous_year_same_period"]
    assert prev["year"] == 2025 and prev["through"] == "2025-06-10"
    # the same families on both sides; no cycling last year
    assert prev["by_family"]["cycling"]["sessions"] == 0
    assert prev["by_family"]["run"] == {
        "sessions": 1,
        "moving_time_hours": 0.8,
        "distance_km": 8.0,
        "elevation_m": 50,
        "load": 40,
    }


def test_a_stale_base_is_bridged_by_the_window_but_last_year_stays_at_its_date():
    generated = date(2026, 6, 5)
    base = ytd_base([act("h1", "2026-06-01")], generated)
    today = date(2026, 6, 10)  # five days later: regeneration failed since
    fetched = [act("w1", "2026-06-04"), act("w2", "2026-06-07"), act("w3", "2026-06-10")]
    ytd = year_to_date({"year_to_date_base": base}, fetched, today, window(today))
    assert ytd["through"] == "2026-06-10"
    assert ytd["by_family"]["cycling"]["sessions"] == 3  # h1 + w2 + w3; w1 is already in the base
    assert ytd["partial"] is True  # last year is known only through 2025-06-05
    assert ytd["previous_year_same_period"]["through"] == "2025-06-05"
    assert "2026-06-05" in ytd["note"]


def test_a_base_older_than_the_window_stops_at_its_date_instead_of_guessing():
    base = ytd_base([act("h1", "2026-03-01")], date(2026, 4, 1))
    today = date(2026, 6, 10)
    ytd = year_to_date({"year_to_date_base": base}, [act("w1", "2026-06-01")], today, window(today))
    assert ytd["partial"] is True
    assert ytd["through"] == "2026-03-31"
    assert ytd["by_family"]["cycling"]["sessions"] == 1  # w1 is not added across the hole
    assert "2026-05-14" in ytd["note"]  # the window's first day


def test_january_without_a_base_is_totalled_from_the_window_alone():
    today = date(2027, 1, 1)
    fetched = [act("w1", "2027-01-01", "Run"), act("w0", "2026-12-31", "Run")]
    ytd = year_to_date(None, fetched, today, window(today))
    assert ytd["through"] == "2027-01-01"
    assert ytd["by_family"]["run"]["sessions"] == 1  # only this year's
    assert ytd["previous_year_same_period"] is None and ytd["partial"] is True
    # a base written last year is of no use for this year's totals but the window still is
    old = ytd_base([act("h", "2026-12-30")], date(2026, 12, 31))
    ytd = year_to_date({"year_to_date_base": old}, fetched, today, window(today))
    assert ytd["by_family"]["run"]["sessions"] == 1 and ytd["through"] == "2027-01-01"


def test_without_a_base_mid_year_nothing_is_guessed():
    today = date(2026, 6, 10)
    for history in (None, {}, {"year_to_date_base": "garbage"}, [1, 2]):
        ytd = year_to_date(history, [act("w1", "2026-06-09")], today, window(today))
        assert ytd == {
            "year": 2026,
            "through": None,
            "partial": True,
            "note": NO_BASE_NOTE,
            "by_family": {},
            "previous_year_same_period": None,
        }


def test_a_base_from_the_future_is_not_used():
    base = ytd_base([act("h1", "2026-06-01")], date(2026, 6, 20))
    today = date(2026, 6, 10)  # a replayed --today before the file's date
    ytd = year_to_date({"year_to_date_base": base}, [], today, window(today))
    assert ytd["through"] is None and ytd["previous_year_same_period"] is None


def test_negative_nan_or_text_values_add_nothing_and_a_bad_stored_family_is_ignored():
    acts = [act("a", "2026-03-01", load=-20.0, elev=float("nan"), dist="12 km")]
    got = period_totals(acts, date(2026, 1, 1), date(2026, 12, 31))
    assert got["cycling"] == {
        "sessions": 1,
        "moving_time_s": 3600.0,
        "distance_m": 0.0,
        "elevation_m": 0.0,
        "load": 0.0,
    }
    today = date(2026, 6, 10)
    base = ytd_base([], today)
    base["current"]["by_family"] = {"cycling": {"sessions": 2, "moving_time_s": -1, "load": "x"}}
    ytd = year_to_date({"year_to_date_base": base}, [], today, window(today))
    assert ytd["by_family"]["cycling"] == {
        "sessions": 2,
        "moving_time_hours": 0.0,
        "distance_km": 0.0,
        "elevation_m": 0,
        "load": 0,
    }
    base["current"]["by_family"] = {"hockey": {"sessions": 2}}  # not a family: base unusable
    assert year_to_date({"year_to_date_base": base}, [], today, window(today))["through"] is None
