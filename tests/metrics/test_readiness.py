"""Readiness decision (docs/metrics.md, "Readiness decision"), incl. worked scenarios
RD-1 … RD-11."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.metrics.alerts import build_alerts
from s11sync.metrics.readiness import (
    RECOMMENDATIONS,
    SIGNAL_ORDER,
    STATUSES,
    build_modification,
    build_readiness_decision,
)

OUTPUT_KEYS = [
    "recommendation",
    "priority",
    "signals",
    "signal_summary",
    "phase_context",
    "race_week_defers",
    "modification",
    "reason",
    "alarm_refs",
    "missing_signals",
]


def decide(
    hrv=60,
    rhr=50,
    sleep_h=8,
    acwr=1.0,
    ri=1.0,
    ri_y=1.0,
    phase="Base",
    weeks=2,
    race_week=False,
    tsb=0,
    hrv_low_days=None,
    wellness_extra=None,
):
    metrics = {
        "latest_hrv": hrv,
        "hrv_baseline_7d": 60,
        "latest_rhr": rhr,
        "rhr_baseline_7d": 50,
        "recovery_index": ri,
        "recovery_index_yesterday": ri_y,
        "acwr_start_of_day": {"value": acwr, "as_of_date": "2026-01-27"},
    }
    if hrv_low_days is None:
        hrv_low_days = 1 if hrv is not None and hrv <= 48 else 0
    alerts = build_alerts(
        metrics, None, None, deload_context=None, hrv_low_days=hrv_low_days, rhr_high_days=0
    )
    wellness = {
        "id": "2026-01-27",
        "sleepSecs": None if sleep_h is None else sleep_h * 3600,
        "sleepQuality": 2,
        **(wellness_extra or {}),
    }
    calendar = {"race_week": {"active": race_week}}
    phase_block = {"phase": phase, "phase_duration_weeks": weeks}
    return build_readiness_decision(metrics, alerts, wellness, calendar, phase_block, tsb)


def statuses(result):
    return {k: v["status"] for k, v in result["signals"].items()}


def test_defaults_are_a_green_go():
    r = decide()
    assert list(r) == OUTPUT_KEYS
    assert (r["recommendation"], r["priority"]) == ("go", 3)
    assert list(r["signals"]) == list(SIGNAL_ORDER)
    assert r["signal_summary"] == {"green": 6, "amber": 0, "red": 0, "low": 0, "unavailable": 0}
    assert r["reason"] == "P3 green light. 6 green, 0 amber (threshold 2), 0 red."
    assert r["phase_context"] == {
        "phase": "Base",
        "phase_week": 2,
        "amber_threshold": 2,
        "modifier_applied": "default",
    }


def test_rd1_low_ri_is_a_p0_safety_stop():
    r = decide(ri=0.55, hrv=40)
    assert (r["recommendation"], r["priority"]) == ("skip", 0)
    assert r["reason"] == "P0 safety stop. RI 0.55 < 0.6; tier-1 alarms: recovery_index."
    assert r["alarm_refs"] == ["recovery_index"]
    assert statuses(r)["hrv"] == "red" and statuses(r)["ri"] == "red"
    assert len(r["signals"]) == 6  # D-5: tsb present at every priority
    assert r["modification"] is None and r["race_week_defers"] is False


def test_rd2_high_start_of_day_acwr_corroborated_by_sleep_is_a_p1_skip():
    r = decide(acwr=1.55, sleep_h=6.5)
    assert (r["recommendation"], r["priority"]) == ("skip", 1)
    assert r["reason"] == (
        "P1 acute overload. start-of-day ACWR 1.55 (as of 2026-01-27, today's "
        "load excluded) >= 1.5, corroborated by sleep."
    )
    assert r["alarm_refs"] == []


def test_rd3_uncorroborated_high_acwr_is_one_p2_red():
    r = decide(acwr=1.55, tsb=-10)
    assert (r["recommendation"], r["priority"]) == ("modify", 2)
    assert r["modification"] == {
        "triggers": ["acwr"],
        "suggested_adjustments": {"intensity": "reduce", "volume": "reduce", "cap_zone": "Z2"},
    }
    assert r["reason"] == "P2 signal count. 1 red (acwr), 0 amber ()."


def test_rd4_deep_tsb_with_hrv_below_baseline_is_a_p1_skip():
    r = decide(hrv=52, tsb=-32)  # (52 − 60)/60 = −13.3 %
    assert (r["recommendation"], r["priority"]) == ("skip", 1)
    assert r["reason"] == "P1 acute overload. TSB -32 < -30 with HRV -13.3% below baseline."


def test_rd5_p1_modify_builds_from_red_and_amber_signals_d4_d5():
    r = decide(hrv=46, tsb=-27)  # −23.3 % red; −27 amber (−30 ≤ −27 < −15)
    assert (r["recommendation"], r["priority"]) == ("modify", 1)
    assert r["modification"]["triggers"] == ["hrv", "tsb"]
    assert r["modification"]["suggested_adjustments"] == {
        "intensity": "reduce",
        "volume": "reduce",
        "cap_zone": None,
    }
    assert r["reason"] == (
        "P1 acute overload (modify). TSB -27 < -25 with HRV -23.3% below baseline."
    )


def test_rd6_build_phase_loosens_the_amber_threshold():
    r = decide(phase="Build", weeks=3, hrv=53, rhr=53.5, tsb=-18)
    # hrv −11.7 % amber, rhr +3.5 amber, tsb −18 ≥ −20 green → 2 < 3
    assert (r["recommendation"], r["priority"]) == ("go", 3)
    assert r["phase_context"]["modifier_applied"] == "build_loosened"
    assert r["phase_context"]["amber_threshold"] == 3
    assert statuses(r)["tsb"] == "green"


def test_rd7_two_ambers_in_base_modify():
    r = decide(hrv=53, rhr=53.5, tsb=-10)
    assert (r["recommendation"], r["priority"]) == ("modify", 2)
    assert r["modification"]["triggers"] == ["hrv", "rhr"]
    assert r["modification"]["suggested_adjustments"]["intensity"] == "reduce"
    assert r["modification"]["suggested_adjustments"]["volume"] == "reduce"
    assert r["reason"] == "P2 signal count. 2 amber (hrv, rhr) >= threshold 2."


def test_rd8_race_week_short_sleep_defers_to_race_week():
    r = decide(race_week=True, phase="Taper", sleep_h=4.5, tsb=5)
    assert (r["recommendation"], r["priority"]) == ("modify", 2)
    assert r["phase_context"]["modifier_applied"] == "race_week_tightened"
    assert r["race_week_defers"] is True
    assert r["modification"]["triggers"] == ["sleep"]
    assert r["modification"]["suggested_adjustments"] == {
        "intensity": "preserve",
        "volume": "reduce",
        "cap_zone": None,
    }


def test_rd9_two_day_low_ri_is_a_p1_skip_through_its_own_alert_d8():
    r = decide(ri=0.65, ri_y=0.68)
    assert (r["recommendation"], r["priority"]) == ("skip", 1)
    assert r["reason"] == "P1 acute overload. RI 0.65 < 0.7 with persistent alerts: recovery_index."
    assert r["alarm_refs"] == ["recovery_index"]


def test_rd10_two_reds_skip_at_p2():
    r = decide(sleep_h=4, tsb=-33)
    assert (r["recommendation"], r["priority"]) == ("skip", 2)
    assert r["reason"] == "P2 signal count. 2 red (sleep, tsb), 0 amber ()."
    assert r["modification"] is None


def test_rd11_nothing_known_is_insufficient_data_with_sdnn_reason():
    # with every signal unavailable the answer is not `go` but `insufficient_data`
    metrics = {"acwr_start_of_day": {"value": None, "as_of_date": "2026-01-27"}}
    r = build_readiness_decision(metrics, [], {"id": "2026-01-27", "hrvSDNN": 70}, None, None, None)
    assert (r["recommendation"], r["priority"]) == ("insufficient_data", 3)
    assert r["missing_signals"] == ["hrv", "rhr", "sleep", "acwr", "ri", "tsb"]
    assert r["signal_summary"] == {"green": 0, "amber": 0, "red": 0, "low": 0, "unavailable": 6}
    assert r["signals"]["hrv"] == {
        "status": "unavailable",
        "value": None,
        "baseline_7d": None,
        "delta_pct": None,
        "reason": "rmssd_missing_sdnn_available",
    }
    assert r["signals"]["acwr"] == {
        "status": "unavailable",
        "value": None,
        "scope": "start_of_day",
        "as_of_date": "2026-01-27",
        "current_day_load_included": False,
    }
    assert r["signals"]["tsb"] == {"status": "unavailable", "value": None}
    assert r["reason"] == (
        "Insufficient data. 6 of 6 signals unavailable (hrv, rhr, sleep, acwr, ri, tsb): no go / "
        "modify / skip call is possible; sync recent wellness and activities, or decide by how the "
        "athlete feels."
    )
    assert r["phase_context"] == {
        "phase": None,
        "phase_week": None,
        "amber_threshold": 2,
        "modifier_applied": "default",
    }


def test_no_sdnn_reason_when_rmssd_is_merely_zero():
    metrics = {"latest_hrv": 0, "hrv_baseline_7d": 60}
    r = build_readiness_decision(metrics, [], {"hrvSDNN": 70}, None, None, 0)
    assert r["signals"]["hrv"]["status"] == "unavailable"
    assert "reason" not in r["signals"]["hrv"]


def test_three_unavailable_signals_still_go_and_are_named():
    r = decide(hrv=None, rhr=None, sleep_h=None)
    assert r["signal_summary"]["unavailable"] == 3
    assert r["recommendation"] == "go"
    assert r["missing_signals"] == ["hrv", "rhr", "sleep"]
    assert r["reason"].endswith("Unavailable: hrv, rhr, sleep.")


def test_four_unavailable_signals_are_insufficient_data_not_go():
    r = decide(hrv=None, rhr=None, sleep_h=None, ri=None, ri_y=None)
    assert r["signal_summary"]["unavailable"] == 4
    assert (r["recommendation"], r["priority"]) == ("insufficient_data", 3)
    assert r["missing_signals"] == ["hrv", "rhr", "sleep", "ri"]
    assert r["modification"] is None
    assert r["reason"].startswith(
        "Insufficient data. 4 of 6 signals unavailable (hrv, rhr, sleep, ri)"
    )


def test_a_red_signal_wins_over_missing_data():
    # TSB -33 is red: with four other signals missing the call is still modify, never hidden
    r = decide(hrv=None, rhr=None, sleep_h=None, ri=None, ri_y=None, tsb=-33)
    assert (r["recommendation"], r["priority"]) == ("modify", 2)
    assert r["missing_signals"] == ["hrv", "rhr", "sleep", "ri"]


@pytest.mark.parametrize(
    ("acwr", "status"), [(0.38, "low"), (0.79, "low"), (0.8, "green"), (1.29, "green")]
)
def test_an_undertraining_acwr_is_low_not_green(acwr, status):
    r = decide(acwr=acwr)
    assert r["signals"]["acwr"]["status"] == status
    assert r["recommendation"] == "go"
    if status == "low":
        assert r["signal_summary"] == {"green": 5, "amber": 0, "red": 0, "low": 1, "unavailable": 0}
        assert "ACWR below 0.8 (undertraining): not counted as green." in r["reason"]
        assert r["reason"].startswith("P3 green light. 5 green,")


@pytest.mark.parametrize(
    ("hrv", "status"),
    [
        (48.0, "red"),  # −20 %
        (48.1, "amber"),  # −19.83 %
        (54.0, "amber"),  # −10 %
        (54.1, "green"),  # −9.83 %
    ],
)
def test_hrv_signal_bands(hrv, status):
    assert statuses(decide(hrv=hrv, hrv_low_days=0))["hrv"] == status


def test_hrv_signal_compares_the_unrounded_change_d6():
    # 54.029 → −9.9517 % unrounded (green) although it prints as −10.0
    r = decide(hrv=54.029)
    assert r["signals"]["hrv"]["delta_pct"] == -10.0
    assert r["signals"]["hrv"]["status"] == "green"


@pytest.mark.parametrize(
    ("rhr", "status"), [(52.9, "green"), (53, "amber"), (54.9, "amber"), (55, "red")]
)
def test_rhr_signal_bands(rhr, status):
    assert statuses(decide(rhr=rhr))["rhr"] == status


@pytest.mark.parametrize(
    ("hours", "status"), [(4.99, "red"), (5, "amber"), (6.99, "amber"), (7, "green")]
)
def test_sleep_signal_bands(hours, status):
    assert statuses(decide(sleep_h=hours))["sleep"] == status


@pytest.mark.parametrize(
    ("acwr", "status"),
    [(1.29, "green"), (1.3, "amber"), (1.49, "amber"), (1.5, "red"), (0.3, "low")],
)
def test_start_of_day_acwr_bands_and_low_acwr_never_counts(acwr, status):
    assert statuses(decide(acwr=acwr))["acwr"] == status


@pytest.mark.parametrize(
    ("ri", "ri_y", "status"),
    [
        (0.59, 1.0, "red"),
        (0.6, 0.69, "amber"),
        (0.65, None, "green"),
        (0.65, 0.7, "green"),
        (0.7, 0.5, "green"),
    ],
)
def test_ri_signal_bands(ri, ri_y, status):
    assert statuses(decide(ri=ri, ri_y=ri_y))["ri"] == status


@pytest.mark.parametrize(
    ("phase", "tsb", "status"),
    [
        ("Base", -30.01, "red"),
        ("Base", -30, "amber"),
        ("Base", -15.01, "amber"),
        ("Base", -15, "green"),
        ("Build", -20.01, "amber"),
        ("Build", -20, "green"),
    ],
)
def test_tsb_signal_bands_follow_the_phase(phase, tsb, status):
    r = decide(phase=phase, tsb=tsb)
    assert statuses(r)["tsb"] == status
    assert r["signals"]["tsb"]["value"] == round(tsb, 1)


@pytest.mark.parametrize(
    ("race_week", "phase", "modifier", "threshold"),
    [
        (True, "Build", "race_week_tightened", 1),
        (False, "Build", "build_loosened", 3),
        (False, "Taper", "taper_tightened", 1),
        (False, "Peak", "default", 2),
        (False, None, "default", 2),
    ],
)
def test_phase_modifiers(race_week, phase, modifier, threshold):
    ctx = decide(race_week=race_week, phase=phase)["phase_context"]
    assert (ctx["modifier_applied"], ctx["amber_threshold"]) == (modifier, threshold)


@pytest.mark.parametrize(("phase", "recommendation"), [("Taper", "modify"), ("Base", "go")])
def test_a_single_amber_modifies_only_when_tightened(phase, recommendation):
    assert decide(phase=phase, sleep_h=6)["recommendation"] == recommendation


@pytest.mark.parametrize(
    ("tsb", "hrv", "priority", "recommendation"),
    [
        (-25.01, 53.9, 1, "modify"),  # −10.17 % < −10 and TSB < −25
        (-25, 53.9, 2, "modify"),  # TSB not < −25 → P2 (1 amber hrv + 1 amber tsb)
        (-26, 54.0, 2, "modify"),  # exactly −10 % is not < −10
    ],
)
def test_p1_modify_boundaries(tsb, hrv, priority, recommendation):
    r = decide(tsb=tsb, hrv=hrv)
    assert (r["priority"], r["recommendation"]) == (priority, recommendation)


@pytest.mark.parametrize(("tsb", "priority"), [(-30.01, 1), (-30, 1)])
def test_p1_r2_needs_tsb_strictly_below_minus_30(tsb, priority):
    r = decide(tsb=tsb, hrv=52)
    assert r["priority"] == priority
    if tsb == -30:
        assert r["recommendation"] == "modify"  # falls to P1-modify instead of R2 skip
    else:
        assert r["recommendation"] == "skip"


def test_ri_below_07_without_persistent_alert_is_not_r3():
    # single-day dip: no RI warning alert → green RI, go
    assert decide(ri=0.65, ri_y=None)["recommendation"] == "go"


def test_hrv_tier1_alarm_is_p0_with_its_alarm_ref():
    r = decide(hrv=40, hrv_low_days=3)
    assert r["priority"] == 0
    assert r["alarm_refs"] == ["hrv"]
    assert r["reason"] == "P0 safety stop. tier-1 alarms: hrv."


@pytest.mark.parametrize(
    ("triggers", "adjust"),
    [
        ([], ("preserve", "preserve", None)),
        (["hrv", "acwr"], ("reduce", "reduce", "Z2")),
        (["hrv", "rhr"], ("reduce", "reduce", None)),
        (["sleep"], ("preserve", "reduce", None)),
        (["hrv"], ("reduce", "preserve", None)),
        (["rhr"], ("reduce", "preserve", None)),
        (["ri"], ("reduce", "preserve", None)),
        (["tsb"], ("preserve", "reduce", None)),
        (["other"], ("reduce", "reduce", None)),
    ],
)
def test_modification_builder_patterns(triggers, adjust):
    got = build_modification(triggers)["suggested_adjustments"]
    assert (got["intensity"], got["volume"], got["cap_zone"]) == adjust


maybe_num = st.one_of(st.none(), st.integers(-100, 300), st.floats(-100, 300, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    hrv=maybe_num,
    hb=maybe_num,
    rhr=maybe_num,
    rb=maybe_num,
    ri=maybe_num,
    riy=maybe_num,
    acwr=maybe_num,
    tsb=maybe_num,
    sleep=maybe_num,
    phase=st.sampled_from(
        [None, "Build", "Base", "Peak", "Taper", "Deload", "Recovery", "Overreached"]
    ),
    race_week=st.booleans(),
    alerts=st.lists(
        st.fixed_dictionaries(
            {
                "metric": st.sampled_from(["hrv", "rhr", "recovery_index", "strain"]),
                "severity": st.sampled_from(["info", "warning", "alarm"]),
                "tier": st.integers(1, 3),
                "persistence_days": st.one_of(st.none(), st.integers(0, 7)),
            }
        ),
        max_size=4,
    ),
)
def test_readiness_is_total_and_labels_stay_in_their_enums(
    hrv, hb, rhr, rb, ri, riy, acwr, tsb, sleep, phase, race_week, alerts
):
    metrics = {
        "latest_hrv": hrv,
        "hrv_baseline_7d": hb,
        "latest_rhr": rhr,
        "rhr_baseline_7d": rb,
        "recovery_index": ri,
        "recovery_index_yesterday": riy,
        "acwr_start_of_day": {"value": acwr, "as_of_date": "2026-01-27"},
    }
    r = build_readiness_decision(
        metrics,
        alerts,
        {"sleepSecs": sleep},
        {"race_week": {"active": race_week}},
        {"phase": phase, "phase_duration_weeks": 1},
        tsb,
    )
    assert r["recommendation"] in RECOMMENDATIONS
    assert r["priority"] in (0, 1, 2, 3)
    assert list(r["signals"]) == list(SIGNAL_ORDER)
    assert all(s["status"] in STATUSES for s in r["signals"].values())
    assert sum(r["signal_summary"].values()) == 6
    assert (r["modification"] is None) is (r["recommendation"] != "modify")


def test_the_sleep_signal_names_its_quality_scale():
    r = decide()  # sleepQuality 2
    assert r["signals"]["sleep"]["quality"] == 2
    assert r["signals"]["sleep"]["quality_label"] == "OK (1 = best, 4 = worst)"
