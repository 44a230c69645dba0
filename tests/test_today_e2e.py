"""Through the Intervals.icu emulator (real HTTP): the `today` block near the top of
latest.json, and honest values when the data is years old.

The emulator serves the demo athlete on 2026-11-25 (conftest). A sync with `--today` 2026-11-25 sees
today's planned run already done; a sync with `--today` three years later sees no recent activity
or wellness at all, where the original script said `go`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sync_args import isolate, sync_argv

from s11sync.cli import main


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def sync(emu, folder: Path, today: str) -> tuple[str, dict[str, Any]]:
    code = main(sync_argv(emu, folder, "--today", today, "--quiet"))
    assert code == 0
    text = (folder / "latest.json").read_text(encoding="utf-8")
    return text, json.loads(text)


@pytest.fixture(scope="module")
def on_the_day(tmp_path_factory: pytest.TempPathFactory, intervals_emulator):
    return sync(intervals_emulator, tmp_path_factory.mktemp("day") / "out", "2026-11-25")


@pytest.fixture(scope="module")
def years_later(tmp_path_factory: pytest.TempPathFactory, intervals_emulator):
    return sync(intervals_emulator, tmp_path_factory.mktemp("later") / "out", "2029-06-01")


def test_the_today_block_follows_read_this_first_within_the_first_tenth(on_the_day):
    text, doc = on_the_day
    assert list(doc)[:2] == ["READ_THIS_FIRST", "today"]
    raw = text.encode("utf-8")
    assert raw.index(b'"today": {') < len(raw) / 10


def test_todays_run_is_done_and_paired_with_its_activity(on_the_day, intervals_emulator):
    _text, doc = on_the_day
    today = doc["today"]
    assert today["date"] == "2026-11-25"
    planned_today = [p for p in doc["planned_workouts"] if p["date"] == "2026-11-25"]
    assert [s["id"] for s in today["planned_sessions"]] == [p["id"] for p in planned_today]
    run = today["planned_sessions"][0]
    event = next(e for e in intervals_emulator.data.events if e["id"] == run["id"])
    assert run["done"] is True
    assert run["completed_activity"]["id"] == event["paired_activity_id"]
    shown = next(a for a in doc["recent_activities"] if a["id"] == event["paired_activity_id"])
    # what is shown is the recent_activities row: anonymised name, its TSS
    assert run["completed_activity"]["name"] == shown["name"]
    assert run["completed_activity"]["tss"] == shown["tss"]
    assert "Nothing else is planned for today." in today["remaining_plan"]
    # planned_workouts says so too: a reader of that list alone does not plan the run again
    entry = next(p for p in doc["planned_workouts"] if p["id"] == run["id"])
    assert entry["completed_activity_id"] == event["paired_activity_id"]
    assert all("completed_activity_id" not in p for p in doc["planned_workouts"][1:])
    assert today["answer"].startswith("2026-11-25: Already done:")


def test_the_today_block_repeats_the_values_of_the_other_sections(on_the_day):
    _text, doc = on_the_day
    today = doc["today"]
    fitness = doc["current_status"]["fitness"]
    assert today["fitness"] == {k: fitness[k] for k in ("ctl", "atl", "tsb")}
    assert today["readiness"]["recommendation"] == doc["readiness_decision"]["recommendation"]
    assert today["readiness"]["reason_detail"] == doc["readiness_decision"]["reason"]
    assert today["alerts"]["count"] == len(doc["alerts"])
    key_races = [
        r for r in doc["race_calendar"]["all_races"] if r["category"] in ("RACE_A", "RACE_B")
    ]
    assert today["next_key_race"]["date"] == key_races[0]["date"]
    assert today["next_key_race"]["days_until"] == key_races[0]["days_until"]
    assert today["training_phase"]["phase"] == doc["derived_metrics"]["phase_detection"]["phase"]
    assert today["data_freshness"]["stale"] is False


def test_threshold_pace_carries_its_unit(on_the_day):
    _text, doc = on_the_day
    run = doc["current_status"]["thresholds"]["sports"]["run"]
    assert run["pace_units"] == "MINS_KM" and run["threshold_pace_unit"] == "m/s"
    # 3.92 m/s is 4:15 /km: the display companion is in the preferred unit
    assert 1000 / run["threshold_pace"] == pytest.approx(255, abs=1)


def test_years_after_the_last_data_readiness_is_not_go(years_later):
    _text, doc = years_later
    decision = doc["readiness_decision"]
    assert decision["recommendation"] == "insufficient_data"
    assert decision["missing_signals"] == ["hrv", "rhr", "sleep", "acwr", "ri", "tsb"]
    today = doc["today"]
    assert today["readiness"]["recommendation"] == "insufficient_data"
    assert "No readiness call" in today["answer"]
    fresh = today["data_freshness"]
    assert fresh["stale"] is True
    assert (fresh["newest_activity_date"], fresh["newest_wellness_date"]) == (None, None)
    assert "Stale" in today["answer"]


def test_years_later_the_weight_is_the_profile_weight_without_a_date(years_later):
    _text, doc = years_later
    metrics = doc["current_status"]["current_metrics"]
    assert metrics["weight_source"] == "profile" and metrics["weight_date"] is None
    assert metrics["resting_hr_source"] == "profile"
