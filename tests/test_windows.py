"""One window rule (s11sync/windows.py) for metrics and outputs alike: the last N days end today and
include it, and a record whose date is missing or not a real date is in no window."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from s11sync.metrics.daily_load import daily_load_by_family
from s11sync.snapshot import Snapshot
from s11sync.windows import (
    activities_in_days,
    in_window,
    record_date,
    wellness_in_days,
    wellness_on,
    window_bounds,
)

TODAY = date(2026, 11, 25)
BAD_DATES = [
    None,
    "",
    "2026-11-2",
    "2026-11-2/",
    "2026-11-2x",
    "2026-02-30",
    "2026-13-01",
    20261124,
]


def snap(activities, wellness=()) -> Snapshot:
    return Snapshot(
        today=TODAY,
        now=datetime(2026, 11, 25, 12, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=list(activities),
        wellness=list(wellness),
        events=[],
    )


def ride(start) -> dict:
    return {"id": f"i{start}", "type": "Ride", "start_date_local": start, "icu_training_load": 50}


def test_the_window_ends_today_and_includes_it():
    assert window_bounds(TODAY, 7) == ("2026-11-19", "2026-11-25")
    acts = [ride(f"2026-11-{d:02d}T08:00:00") for d in (18, 19, 25, 26)]
    kept = [a["start_date_local"][:10] for a in in_window(acts, TODAY, 7)]
    assert kept == ["2026-11-19", "2026-11-25"]
    assert activities_in_days(snap(acts), 7) == in_window(acts, TODAY, 7)


@pytest.mark.parametrize("bad", BAD_DATES, ids=repr)
def test_a_record_with_a_bad_date_is_in_no_window_for_metrics_and_outputs_alike(bad):
    good, broken = ride("2026-11-24T08:00:00"), ride(bad)
    # "2026-11-2/" sorts between the window bounds as text: it used to count in the outputs' window
    assert record_date(broken) is None
    assert in_window([good, broken], TODAY, 7) == [good]
    assert activities_in_days(snap([good, broken]), 7) == [good]
    assert daily_load_by_family([good, broken], TODAY, 7) == {"cycling": [0, 0, 0, 0, 0, 50, 0]}


@pytest.mark.parametrize("bad", BAD_DATES, ids=repr)
def test_a_wellness_record_with_a_bad_id_is_in_no_window(bad):
    good, broken = {"id": "2026-11-24", "hrv": 50}, {"id": bad, "hrv": 60}
    assert in_window([good, broken], TODAY, 7, wellness=True) == [good]
    assert wellness_in_days(snap([], [broken, good]), 7) == [good]
    assert wellness_on(snap([], [broken, good]), date(2026, 11, 24)) is good


def test_record_date_reads_the_date_part_of_a_timestamp():
    assert record_date({"start_date_local": "2026-11-24T08:00:00"}) == "2026-11-24"
    assert record_date({"id": "2026-11-24"}, "id") == "2026-11-24"
