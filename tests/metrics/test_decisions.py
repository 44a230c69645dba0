"""Assembly of the decision layer : pipeline order and wiring."""

from datetime import date, datetime, timedelta, timezone

from s11sync.config import Settings
from s11sync.metrics.decisions import (
    build_decision_layer,
    latest_display_wellness,
    main_events_oldest,
)
from s11sync.metrics.derived import build_load_metrics
from s11sync.snapshot import Snapshot

TODAY = date(2026, 1, 27)  # Tuesday

RC1_EVENTS = [
    {
        "id": 1,
        "category": "RACE_C",
        "name": "Club TT",
        "start_date_local": "2026-01-29T00:00:00",
        "moving_time": 1800,
        "type": "Ride",
    },
    {
        "id": 2,
        "category": "RACE_A",
        "name": "Spring Classic",
        "start_date_local": "2026-02-01T09:30:00",
        "moving_time": 7200,
        "distance": 100000,
        "type": "Ride",
    },
    {
        "id": 3,
        "category": "RACE_A",
        "name": "Big Race",
        "start_date_local": "2026-02-08T00:00:00",
        "type": "Ride",
    },
    {
        "id": 4,
        "category": "WORKOUT",
        "name": "Endurance",
        "start_date_local": "2026-01-28T00:00:00",
        "type": "Ride",
    },
    {
        "id": 5,
        "category": "SICK",
        "name": "Cold",
        "start_date_local": "2026-01-20T00:00:00",
        "end_date_local": "2026-01-22T00:00:00",
    },
]


def snapshot(health_events=None, wellness=None, days=7):
    acts = [
        {
            "id": "a1",
            "type": "Ride",
            "start_date_local": "2026-01-24T08:00:00",
            "icu_training_load": 100,
        },
        {
            "id": "a2",
            "type": "Ride",
            "start_date_local": "2026-01-25T08:00:00",
            "icu_training_load": 80,
        },
        {
            "id": "a3",
            "type": "Ride",
            "start_date_local": "2026-01-27T08:00:00",
            "icu_training_load": 50,
        },
    ]
    if wellness is None:
        wellness = [
            {
                "id": (TODAY - timedelta(days=k)).isoformat(),
                "hrv": 60,
                "restingHR": 50,
                "ctl": 70.0,
                "atl": 80.0,
                "sleepSecs": 28800,
            }
            for k in range(27, -1, -1)
        ]
    return Snapshot(
        today=TODAY,
        now=datetime(2026, 1, 27, 9, tzinfo=timezone.utc),
        days=days,
        athlete={},
        activities=acts,
        wellness=wellness,
        events=RC1_EVENTS,
        health_events=health_events,
    )


FITNESS = {"ctl": 70.0, "atl": 80.0, "tsb": -10.0, "ramp_rate": None, "fitness_source": "x"}


def minimal_load(**extra):
    return {
        "acwr": None,
        "acwr_start_of_day": {"value": None, "as_of_date": "2026-01-27"},
        "recovery_index": None,
        "tss_7d_total": 230.0,
        "tss_28d_total": 230.0,
        **extra,
    }


def test_main_events_oldest_is_at_least_14_days_back():
    assert main_events_oldest(TODAY, 7) == date(2026, 1, 13)
    assert main_events_oldest(TODAY, 30) == date(2025, 12, 29)  # 29 days back


def test_latest_display_wellness_is_the_last_record_of_the_display_window():
    records = [{"id": "2026-01-27", "x": 1}, {"id": "2026-01-20", "x": 2}, {"id": "2026-01-28"}]
    assert latest_display_wellness(records, TODAY, 7) == {"id": "2026-01-27", "x": 1}
    assert latest_display_wellness([{"id": "2026-01-19"}], TODAY, 7) is None


def test_layer_shape_and_pipeline_wiring_without_load_internal_helpers():
    out = build_decision_layer(
        snapshot(health_events=None), Settings(), minimal_load(), None, FITNESS, [], None
    )
    assert list(out) == [
        "health_context",
        "race_calendar",
        "phase",
        "alerts",
        "readiness_decision",
        "unavailable",
    ]
    # health: look-back failed → partial from the main events; SICK 01-20…01-21 is recent
    assert out["health_context"]["source_status"] == "partial"
    assert out["health_context"]["lookback_days"] == 14
    assert [e["event_id"] for e in out["health_context"]["recent"]] == [5]
    # race calendar = RC-1
    assert out["race_calendar"]["race_week"]["event_name"] == "Spring Classic"
    assert out["race_calendar"]["race_week"]["race_week_tss_spent"] == 130
    # race alerts appended (no metric alerts with this load)
    assert [a["metric"] for a in out["alerts"]] == ["race_taper", "race_week"]
    # phase: D-1 takes the A race 5 days out (not the C race in 2) → Taper
    phase = out["phase"]
    assert list(phase) == [
        "phase_detection",
        "phase_detected",
        "phase_triggers",
        "seasonal_context",
    ]
    assert phase["phase_detected"] == "Taper"
    assert phase["phase_detection"]["basis"]["stream_2"]["race_proximity"] == 5
    assert phase["phase_triggers"] == phase["phase_detection"]["reason_codes"]
    assert phase["seasonal_context"] == "Early Base"
    # readiness sees race week and the Taper phase; tsb −10 ≥ −15 is green
    ready = out["readiness_decision"]
    assert ready["phase_context"]["modifier_applied"] == "race_week_tightened"
    assert ready["signals"]["tsb"]["status"] == "green"
    assert ready["signals"]["sleep"]["hours"] == 8.0
    assert out["unavailable"] == {}


def test_southern_hemisphere_changes_the_seasonal_context():
    out = build_decision_layer(
        snapshot([]), Settings(hemisphere="south"), minimal_load(), None, FITNESS, [], None
    )
    assert out["phase"]["seasonal_context"] == "Peak Race Season"
    assert out["health_context"]["source_status"] == "ok"


def test_history_rows_enrich_the_completed_live_weeks():
    history = {
        "weekly_180d": [
            {
                "week_start": "2026-01-05",
                "ctl_end": 60,
                "atl_end": 60,
                "acwr": 1.0,
                "monotony": 1.2,
                "phase_detected": "Build",
            },
            {
                "week_start": "2026-01-12",
                "ctl_end": 62,
                "atl_end": 60,
                "acwr": 1.0,
                "monotony": 1.2,
                "phase_detected": "Build",
            },
            {
                "week_start": "2026-01-19",
                "ctl_end": 64,
                "atl_end": 60,
                "acwr": 1.0,
                "monotony": 1.2,
                "phase_detected": "Base",
            },
        ]
    }
    out = build_decision_layer(snapshot([]), Settings(), minimal_load(), None, FITNESS, [], history)
    detection = out["phase"]["phase_detection"]
    assert detection["previous_phase"] == "Base"
    assert detection["basis"]["stream_1"]["ctl_slope"] == 2.0  # 60, 62, 64


def test_wellness_ctl_fills_completed_weeks_when_history_is_missing_d2():
    out = build_decision_layer(snapshot([]), Settings(), minimal_load(), None, FITNESS, [], None)
    # every week's last wellness ctl is 70.0 → flat slope 0.0
    assert out["phase"]["phase_detection"]["basis"]["stream_1"]["ctl_slope"] == 0.0


def test_previous_latest_phase_fills_a_missing_history_phase_d2c():
    previous = {
        "metadata": {"last_updated": "2026-01-23T10:00:00+00:00"},
        "derived_metrics": {"phase_detection": {"phase": "Deload"}},
    }
    out = build_decision_layer(
        snapshot([]), Settings(), minimal_load(), None, FITNESS, [], None, previous_latest=previous
    )
    assert out["phase"]["phase_detection"]["previous_phase"] == "Deload"
    stale = {**previous, "metadata": {"last_updated": "2026-01-18T10:00:00+00:00"}}
    out = build_decision_layer(
        snapshot([]), Settings(), minimal_load(), None, FITNESS, [], None, previous_latest=stale
    )
    assert out["phase"]["phase_detection"]["previous_phase"] is None


def test_with_the_real_load_metrics_the_internal_helpers_are_consumed():
    snap = snapshot([])
    load = build_load_metrics(snap, Settings(), {})
    out = build_decision_layer(snap, Settings(), load, None, FITNESS, [], None)
    # flat wellness (hrv 60 / rhr 50 every day): RI 1.0, no HRV/RHR alerts
    assert out["readiness_decision"]["signals"]["ri"]["value"] == 1.0
    assert out["readiness_decision"]["signals"]["hrv"]["status"] == "green"
    assert out["alerts"][-2:][0]["metric"] == "race_taper"


def test_terrain_flags_come_from_planned_workouts_by_default():
    planned = [
        {
            "id": 2,
            "date": "2026-02-01",
            "type": "RACE_A",
            "sport_type": "Ride",
            "planned_tss": None,
            "workout_summary": None,
            "name": "Spring Classic",
            "has_terrain": True,
        }
    ]
    out = build_decision_layer(
        snapshot([]), Settings(), minimal_load(), None, FITNESS, planned, None
    )
    assert [r["has_terrain"] for r in out["race_calendar"]["all_races"]] == [False, True, False]


def test_a_null_phase_is_reported_in_unavailable_with_its_reason():
    from s11sync.metrics.decisions import _phase_unavailable

    assert _phase_unavailable({"phase": None, "reason_codes": ["INSUFFICIENT_DATA"]}) == {
        "phase_detected": "insufficient_history"
    }
    assert _phase_unavailable({"phase": None, "reason_codes": ["BUILD_BASE_AMBIGUOUS"]}) == {
        "phase_detected": "not_applicable"
    }
    assert _phase_unavailable({"phase": "Base", "reason_codes": []}) == {}
