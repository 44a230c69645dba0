"""Alerts and race alerts (docs/metrics.md, "Alerts"), incl. worked scenario AL-1."""

import pytest

from s11sync.metrics.alerts import (
    acwr_alert,
    build_alerts,
    durability_alerts,
    hrv_alert,
    monotony_alert,
    race_alerts,
    recovery_index_alert,
    rhr_alert,
    strain_alert,
    tid_alert,
)
from s11sync.metrics.wellness_baselines import deload_context, hrv_low_days

KEYS = ["metric", "value", "severity", "threshold", "context", "persistence_days", "tier"]


def al1():
    metrics = {
        "acwr": 1.32,
        "monotony": 2.7,
        "effective_monotony": 2.4,
        "primary_sport": "cycling",
        "primary_sport_monotony": 2.4,
        "multi_sport_detected": True,
        "strain": 3600,
        "recovery_index": 0.9,
        "recovery_index_yesterday": 0.95,
        "latest_hrv": 45,
        "hrv_baseline_7d": 60,
        "latest_rhr": 50,
        "rhr_baseline_7d": 50,
        "tss_7d_total": 300,
        "tss_28d_total": 2000,
    }
    capability = {
        "durability": {
            "mean_decoupling_7d": 8.0,
            "mean_decoupling_28d": 4.5,
            "trend": "declining",
            "high_drift_count_7d": 3,
            "qualifying_sessions_7d": 3,
            "qualifying_sessions_28d": 6,
        },
        "tid_comparison": {
            "drift": "acute_depolarization",
            "pi_7d": 1.6,
            "pi_28d": 2.2,
            "classification_7d": "Pyramidal",
            "classification_28d": "Polarized",
        },
    }
    wellness = [
        {"id": f"2026-01-{21 + i:02d}", "hrv": h} for i, h in enumerate([62, 44, 40, 0, 47, 46, 45])
    ]
    # baseline 60 → 0.8 × 60 = 48: 45, 46, 47 pass, then 0 (invalid) stops → 3
    low = hrv_low_days(wellness, 60)
    return build_alerts(
        metrics,
        capability,
        None,
        deload_context=deload_context(300, 2000),
        hrv_low_days=low,
        rhr_high_days=0,
    )


def test_al1_order_and_content():
    alerts = al1()
    assert [(a["metric"], a["severity"]) for a in alerts] == [
        ("hrv", "alarm"),
        ("strain", "alarm"),
        ("acwr", "warning"),
        ("monotony", "info"),
        ("durability", "warning"),
        ("durability", "warning"),
        ("tid_distribution", "warning"),
    ]
    hrv, strain, acwr, mono, d2, d3, tid = alerts
    assert (hrv["value"], hrv["persistence_days"], hrv["threshold"]) == (
        45,
        3,
        "↓>20% vs baseline (60)",
    )
    assert "25.0%" in hrv["context"]  # (45 − 60)/60 = −25 %
    assert acwr["threshold"] == "1.3"
    assert list(acwr) == KEYS + ["scope", "readiness_eligible"]
    assert (acwr["scope"], acwr["readiness_eligible"]) == ("live_retrospective", False)
    # deload: avg 2000/4 = 500, (500 − 300)/500 = 40 %
    assert mono["threshold"] == 2.3
    assert "300" in mono["context"] and "40%" in mono["context"] and "500" in mono["context"]
    assert "multi-sport" in mono["context"]
    assert d2["value"] == 8.0 and d3["value"] == 3
    assert tid["value"] == 1.6
    for alert in alerts[:2] + alerts[3:]:
        assert list(alert) == KEYS


@pytest.mark.parametrize(
    ("acwr", "severity", "threshold"),
    [
        (None, None, None),
        (1.29, None, None),
        (1.3, "warning", "1.3"),
        (1.34, "warning", "1.3"),
        (1.35, "alarm", "1.35"),
        (2.0, "alarm", "1.35"),
    ],
)
def test_acwr_bands(acwr, severity, threshold):
    alert = acwr_alert(acwr)
    if severity is None:
        assert alert is None
    else:
        assert (alert["severity"], alert["threshold"], alert["tier"]) == (severity, threshold, 2)
        assert "not an injury-risk conclusion" in alert["context"]


def test_acwr_alarm_points_to_the_start_of_day_signal_and_warning_to_the_next_band():
    assert "readiness_decision.signals.acwr" in acwr_alert(1.4)["context"]
    assert "1.35" in acwr_alert(1.31)["context"]


@pytest.mark.parametrize(
    ("eff", "deload", "severity", "threshold"),
    [
        (2.29, None, None, None),
        (2.3, None, "warning", 2.3),
        (2.49, None, "warning", 2.3),
        (2.5, None, "alarm", 2.5),
        (2.3, "deload pattern detected (x)", "info", 2.3),
        (2.5, "deload pattern detected (x)", "info", 2.5),
        (None, None, None, None),
    ],
)
def test_monotony_bands_and_deload_downgrade(eff, deload, severity, threshold):
    alert = monotony_alert({"effective_monotony": eff}, deload)
    if severity is None:
        assert alert is None
    else:
        assert (alert["severity"], alert["threshold"], alert["value"]) == (severity, threshold, eff)


def test_monotony_without_multi_sport_inflation_has_no_suffix():
    alert = monotony_alert(
        {
            "effective_monotony": 2.6,
            "monotony": 2.6,
            "primary_sport_monotony": None,
            "multi_sport_detected": True,
        },
        None,
    )
    assert "multi-sport" not in alert["context"]


@pytest.mark.parametrize(
    ("s7", "s28", "detected"), [(320, 1600, True), (321, 1600, False), (0, 0, False)]
)
def test_deload_context_boundary_at_20_percent(s7, s28, detected):
    # 1600/4 = 400; (400 − 320)/400 = 20 % → detected; 321 → 19.75 %
    assert (deload_context(s7, s28) is not None) is detected


@pytest.mark.parametrize(("strain", "fires"), [(3500, False), (3500.5, True), (None, False)])
def test_strain_alarm_is_strictly_above_3500(strain, fires):
    alert = strain_alert(strain)
    assert (alert is not None) is fires
    if fires:
        assert (alert["severity"], alert["threshold"]) == ("alarm", 3500)


@pytest.mark.parametrize(
    ("ri", "yesterday", "severity", "persistence"),
    [
        (0.59, None, "alarm", None),
        (0.6, 0.69, "warning", 2),
        (0.69, 0.65, "warning", 2),
        (0.65, 0.7, None, None),  # yesterday not below 0.7
        (0.65, None, None, None),  # single day
        (0.7, 0.5, None, None),
        (None, 0.5, None, None),
    ],
)
def test_recovery_index_bands(ri, yesterday, severity, persistence):
    alert = recovery_index_alert(ri, yesterday)
    if severity is None:
        assert alert is None
    else:
        assert (alert["severity"], alert["persistence_days"], alert["tier"]) == (
            severity,
            persistence,
            1,
        )


@pytest.mark.parametrize(
    ("latest", "low_days", "severity"),
    [
        (48.0, 1, "warning"),  # exactly −20 % fires
        (48.1, 1, None),  # −19.83 % does not
        (45, 2, "warning"),
        (45, 3, "alarm"),
        (45, 0, "warning"),
    ],
)
def test_hrv_alert_bands_and_persistence(latest, low_days, severity):
    alert = hrv_alert(latest, 60.0, low_days)
    if severity is None:
        assert alert is None
    else:
        assert alert["severity"] == severity
        assert alert["persistence_days"] == low_days
        assert alert["threshold"] == "↓>20% vs baseline (60.0)"


def test_hrv_persistence_counts_an_exact_20_percent_drop_d7():
    wellness = [{"id": "2026-01-26", "hrv": 48}, {"id": "2026-01-27", "hrv": 48}]
    assert hrv_low_days(wellness, 60) == 2  # 48 ≤ 0.8 × 60


@pytest.mark.parametrize(("latest", "baseline"), [(None, 60), (0, 60), (45, 0), (45, None)])
def test_hrv_alert_needs_both_values(latest, baseline):
    assert hrv_alert(latest, baseline, 5) is None


@pytest.mark.parametrize(
    ("latest", "high_days", "severity"),
    [
        (54.9, 3, None),
        (55, 2, "warning"),
        (55, 3, "alarm"),
        (60.26, 0, "warning"),
    ],
)
def test_rhr_alert_bands(latest, high_days, severity):
    alert = rhr_alert(latest, 50.0, high_days)
    if severity is None:
        assert alert is None
    else:
        assert alert["severity"] == severity
        assert alert["threshold"] == "↑≥5bpm vs baseline (50.0)"
        assert alert["persistence_days"] == high_days
        assert alert["value"] == round(latest, 1)


def test_rhr_alert_needs_a_positive_baseline():
    assert rhr_alert(60, 0, 3) is None
    assert rhr_alert(None, 50, 3) is None


BASE_DUR = {
    "mean_decoupling_7d": 4.0,
    "mean_decoupling_28d": 4.0,
    "trend": "stable",
    "high_drift_count_7d": 0,
    "qualifying_sessions_7d": 3,
    "qualifying_sessions_28d": 5,
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"mean_decoupling_28d": 5.1}, [("alarm", 5.1)]),
        ({"mean_decoupling_28d": 5.0}, []),  # not > 5.0
        ({"mean_decoupling_28d": 5.1, "qualifying_sessions_28d": 4}, []),  # N28 < 5
        # D2: declining and 7d − 28d > 2
        ({"trend": "declining", "mean_decoupling_7d": 6.1}, [("warning", 6.1)]),
        ({"trend": "declining", "mean_decoupling_7d": 6.0}, []),  # exactly 2.0
        ({"trend": "declining", "mean_decoupling_7d": 6.1, "qualifying_sessions_7d": 2}, []),
        ({"trend": "stable", "mean_decoupling_7d": 6.1}, []),
        # D1 suppresses D2
        (
            {"trend": "declining", "mean_decoupling_7d": 9.0, "mean_decoupling_28d": 6.0},
            [("alarm", 6.0)],
        ),
        ({"high_drift_count_7d": 3}, [("warning", 3)]),
        ({"high_drift_count_7d": 2}, []),
    ],
)
def test_durability_rules(changes, expected):
    alerts = durability_alerts({**BASE_DUR, **changes})
    assert [(a["severity"], a["value"]) for a in alerts] == expected
    assert all(a["tier"] == 3 for a in alerts)


def test_missing_durability_and_tid_give_no_alert():
    assert durability_alerts(None) == []
    assert durability_alerts({"high_drift_count_7d": None}) == []
    assert tid_alert(None) is None
    assert tid_alert({"drift": "consistent"}) is None


def test_tid_shifting_reports_the_7d_classification():
    alert = tid_alert(
        {"drift": "shifting", "classification_7d": "Threshold", "classification_28d": "Polarized"}
    )
    assert (alert["value"], alert["threshold"]) == ("Threshold", "7d/28d classification mismatch")


def test_no_inputs_is_a_green_light():
    assert build_alerts({}, None, None, deload_context=None, hrv_low_days=0, rhr_high_days=0) == []


RC1_LIKE = {
    "taper_alert": {
        "active": True,
        "event_name": "Big Race",
        "event_date": "2026-02-08",
        "days_until": 12,
        "message": "RACE_A 'Big Race' is in 12 days: taper.",
    },
    "race_week": {
        "active": True,
        "event_name": "Spring Classic",
        "event_category": "RACE_A",
        "days_until_event": 5,
        "current_day": "D-5",
        "projected_race_day_tsb": 23.0,
        "tsb_target_range": {"min": 10, "max": 20},
        "today": {
            "label": "Moderate endurance",
            "load_target_tss": {"min": 28, "max": 42},
            "zones": "Z1-Z2 + 2-3 race-pace touches",
            "purpose": "x",
        },
    },
}


def test_rc1_race_alerts_taper_and_race_week_but_no_tsb_warning():
    alerts = race_alerts(RC1_LIKE)
    assert [(a["metric"], a["value"], a["severity"]) for a in alerts] == [
        ("race_taper", 12, "info"),
        ("race_week", 5, "info"),
    ]
    assert alerts[0]["threshold"] == "RACE_A within 8-14 days"
    assert alerts[0]["context"] == RC1_LIKE["taper_alert"]["message"]
    assert alerts[1]["threshold"] == "RACE_A within 7 days"
    assert "D-5" in alerts[1]["context"] and "28-42" in alerts[1]["context"]
    assert all(a["tier"] == 1 and a["persistence_days"] is None for a in alerts)


@pytest.mark.parametrize(("projected", "fires"), [(9.9, True), (10.0, False)])
def test_race_week_tsb_warning_below_the_target_minimum(projected, fires):
    cal = {**RC1_LIKE, "race_week": {**RC1_LIKE["race_week"], "projected_race_day_tsb": projected}}
    metrics = [a["metric"] for a in race_alerts(cal)]
    assert ("race_week_tsb" in metrics) is fires
    if fires:
        tsb = race_alerts(cal)[-1]
        assert (tsb["severity"], tsb["threshold"]) == ("warning", "TSB target 10-20")


def test_race_alerts_are_appended_after_sorted_alerts_unsorted():
    alerts = build_alerts(
        {"strain": 4000}, None, RC1_LIKE, deload_context=None, hrv_low_days=0, rhr_high_days=0
    )
    # race alerts are tier 1 but stay after the tier-2 strain alarm (D-11)
    assert [a["metric"] for a in alerts] == ["strain", "race_taper", "race_week"]


def test_equal_tier_and_severity_keep_rule_order():
    metrics = {"acwr": 1.4, "effective_monotony": 2.6, "strain": 4000}
    alerts = build_alerts(metrics, None, None, deload_context=None, hrv_low_days=0, rhr_high_days=0)
    assert [a["metric"] for a in alerts] == ["acwr", "monotony", "strain"]
