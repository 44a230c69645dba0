"""Year to date (docs/metrics.md, "Year to date") through the Intervals.icu emulator (real HTTP):
latest.json → year_to_date equals the sums of the demo athlete's activities of the period, computed
here independently from the emulator's own activity list, and costs no request beyond the usual
fetch plan.

The demo athlete's activities run from October 2023 to the emulator's day (2026-11-25). Three days
are checked: that day through two full syncs in one folder (the second run reuses history.json and
adds today's activities to its stored base), and 1 January 2026 (the year boundary), 29 February
2024 (leap day) and 1 March 2025 (the day after 28 February) through the builders alone.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_args import isolate, sync_argv

from s11sync.cli import main
from s11sync.history.fetch_params import HISTORY_WINDOW_DAYS, history_chunks
from s11sync.history.year_to_date import year_to_date, ytd_base

# written out here rather than taken from s11sync.sports, so the test checks the table too
FAMILY = {
    "Ride": "cycling",
    "VirtualRide": "cycling",
    "GravelRide": "cycling",
    "Cyclocross": "cycling",
    "Run": "run",
    "Swim": "swim",
    "OpenWaterSwim": "swim",
    "WeightTraining": "strength",
}
LIST = "/athlete/{id}/activities"
WELLNESS = "/athlete/{id}/wellness"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def sync(emu, folder: Path, today: str) -> dict[str, Any]:
    emu.reset_counts()
    code = main(sync_argv(emu, folder, "--today", today, "--quiet"))
    assert code == 0
    return json.loads((folder / "latest.json").read_text(encoding="utf-8"))


def expected(activities: list[dict], first: date, last: date) -> dict[str, dict[str, Any]]:
    sums: dict[str, dict[str, float]] = {}
    for a in activities:
        if a.get("source") == "STRAVA" and not a.get("type"):
            continue
        day = date.fromisoformat(a["start_date_local"][:10])
        if not first <= day <= last:
            continue
        s = sums.setdefault(FAMILY[a["type"]], {"n": 0, "t": 0.0, "d": 0.0, "e": 0.0, "l": 0.0})
        s["n"] += 1
        s["t"] += a.get("moving_time") or 0
        s["d"] += a.get("distance") or 0
        s["e"] += a.get("total_elevation_gain") or 0
        s["l"] += a.get("icu_training_load") or 0

    def rnd(x: float, digits: int) -> float:  # float noise of the summation order removed
        return round(round(x, 6), digits)

    return {
        fam: {
            "sessions": s["n"],
            "moving_time_hours": rnd(s["t"] / 3600, 1),
            "distance_km": rnd(s["d"] / 1000, 1),
            "elevation_m": rnd(s["e"], 0),
            "load": rnd(s["l"], 0),
        }
        for fam, s in sums.items()
    }


def check(ytd: dict[str, Any], activities: list[dict], today: date) -> None:
    year_first, prev_first = date(today.year, 1, 1), date(today.year - 1, 1, 1)
    try:
        prev_last = today.replace(year=today.year - 1)
    except ValueError:
        prev_last = today.replace(year=today.year - 1, day=28)
    current, previous = (
        expected(activities, year_first, today),
        expected(activities, prev_first, prev_last),
    )
    assert ytd["year"] == today.year and ytd["through"] == today.isoformat()
    assert ytd["partial"] is False and ytd["note"] is None
    prev = ytd["previous_year_same_period"]
    assert prev["year"] == today.year - 1 and prev["through"] == prev_last.isoformat()
    shown = {f: t for f, t in ytd["by_family"].items() if t["sessions"]}
    shown_prev = {f: t for f, t in prev["by_family"].items() if t["sessions"]}
    assert shown == current
    assert shown_prev == previous
    assert set(ytd["by_family"]) == set(prev["by_family"]) == set(current) | set(previous)


def test_demo_year_to_date_equals_the_sums_of_the_period_and_costs_no_request(
    intervals_emulator, tmp_path: Path
):
    emu, today = intervals_emulator, date(2026, 11, 25)
    activities = emu.data.activities
    assert {a["type"] for a in activities if a.get("type")} <= set(FAMILY)
    folder = tmp_path / "out"
    doc = sync(emu, folder, today.isoformat())
    # this run regenerated history.json: one window fetch plus the history chunks, nothing more
    assert emu.request_counts[LIST] == 1 + len(
        history_chunks(today, chunk_days=HISTORY_WINDOW_DAYS)
    )
    assert emu.request_counts[WELLNESS] == 1 + len(
        history_chunks(today, chunk_days=HISTORY_WINDOW_DAYS)
    )
    first_run = dict(emu.request_counts)
    check(doc["year_to_date"], activities, today)
    cycling = doc["year_to_date"]["by_family"]["cycling"]
    gravel_and_virtual = sum(
        1
        for a in activities
        if a.get("type") in ("GravelRide", "VirtualRide")
        and a["start_date_local"].startswith("2026")
    )
    assert gravel_and_virtual > 0 and cycling["sessions"] > gravel_and_virtual
    base = json.loads((folder / "history.json").read_text(encoding="utf-8"))["year_to_date_base"]
    assert base["current"]["through"] == (today - timedelta(days=1)).isoformat()

    # the same day again: history.json is kept; its base plus today's activities give the same
    again = sync(emu, folder, today.isoformat())
    assert emu.request_counts[LIST] == emu.request_counts[WELLNESS] == 1  # no history fetch
    assert set(emu.request_counts) <= set(first_run)  # and no kind of request the plan lacks
    assert again["year_to_date"] == doc["year_to_date"]


@pytest.mark.parametrize("day", ["2026-01-01", "2024-02-29", "2025-03-01"])
def test_demo_history_across_the_year_boundary_and_leap_day(intervals_emulator, day: str):
    """The builders the sync runs, fed as the fetch feeds them (three-year history for the base,
    the 28-day window for today), without another full sync: a few milliseconds each."""
    today = date.fromisoformat(day)
    activities = intervals_emulator.data.activities

    def dated(first: date) -> list[dict]:
        return [a for a in activities if first.isoformat() <= a["start_date_local"][:10] <= day]

    history = {"year_to_date_base": ytd_base(dated(today - timedelta(days=1095)), today)}
    window_start = today - timedelta(days=27)
    ytd = year_to_date(history, dated(window_start), today, window_start)
    check(ytd, activities, today)
    if today.month == 1:  # this year holds only today's sessions
        todays = [a for a in activities if a["start_date_local"][:10] == day and a.get("type")]
        assert sum(t["sessions"] for t in ytd["by_family"].values()) == len(todays) > 0
