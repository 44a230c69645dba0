"""Weeks with nothing in them are not evidence of a phase.

An account with no activities, no load and no CTL used to be called "Base" with medium confidence:
empty weeks counted as available weeks. Only weeks that say something about training count now.
"""

from __future__ import annotations

from datetime import date

from s11sync.metrics.phase import detect_phase
from s11sync.metrics.phase_features import enrich_live_rows, has_training_data, live_weekly_rows

TODAY = date(2026, 11, 25)


def _live_rows(activities: list[dict], wellness: list[dict]) -> list[dict]:
    rows = live_weekly_rows(TODAY, 0, activities, None, {})
    enrich_live_rows(rows, None, wellness, activities, None)
    return rows


def test_an_empty_account_gets_no_phase():
    detection = detect_phase(_live_rows([], []), today=TODAY)
    assert detection["phase"] is None
    assert detection["confidence"] == "low"
    assert "INSUFFICIENT_DATA" in detection["reason_codes"]
    assert detection["basis"]["stream_1"]["weeks_available"] == 0


def test_a_break_with_fitness_values_is_still_read():
    # four weeks off after an injury: no activity, but CTL from wellness says where fitness stands
    wellness = [
        {"id": f"2026-{m:02d}-{d:02d}", "ctl": ctl, "atl": ctl * 0.6}
        for (m, d), ctl in zip(
            [(10, 28), (11, 4), (11, 11), (11, 18), (11, 24)], [60.0, 55.0, 50.0, 45.0, 41.0]
        )
    ]
    detection = detect_phase(_live_rows([], wellness), today=TODAY)
    assert detection["basis"]["stream_1"]["weeks_available"] >= 3
    assert "INSUFFICIENT_DATA" not in detection["reason_codes"]


def test_what_counts_as_a_week_with_data():
    assert not has_training_data({"activity_count": 0, "total_tss": 0, "ctl_end": None})
    assert has_training_data({"activity_count": 1})
    assert has_training_data({"total_tss": 12})
    assert has_training_data({"ctl_end": 0.0})
