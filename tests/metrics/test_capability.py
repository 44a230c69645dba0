"""Capability assembly, the `unavailable` map (docs/metrics.md, "Reason codes") and the
per-activity capability fields of `recent_activities`."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s11sync.metrics.curves import curve_requests
from s11sync.metrics.physiology import activity_physiology
from s11sync.outputs.capability import activity_windows, build_capability
from s11sync.snapshot import Snapshot

TODAY = date(2026, 3, 22)
CUR, PREV, SUS = "r.2026-02-23.2026-03-22", "r.2026-01-26.2026-02-22", "r.2026-02-09.2026-03-22"
CAPABILITY_KEYS = [
    "durability",
    "efficiency_factor",
    "hrrc",
    "tid_comparison",
    "power_curve_delta",
    "hr_curve_delta",
    "sustainability_profile",
    "dfa_a1_profile",
]
TID = {
    "classification_7d": None,
    "classification_28d": None,
    "pi_7d": None,
    "pi_28d": None,
    "pi_delta": None,
    "drift": None,
    "note": "tid",
}
WINDOWED = {
    "durability": ("mean_decoupling_7d", "mean_decoupling_28d", "trend"),
    "efficiency_factor": ("mean_ef_7d", "mean_ef_28d", "trend"),
    "hrrc": ("mean_hrrc_7d", "mean_hrrc_28d", "trend"),
    "power_curve_delta": ("anchors", "rotation_index"),
    "hr_curve_delta": ("anchors", "rotation_index"),
}


def snap(activities=(), wellness=(), athlete=None, power=None, hr=None):
    return Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 22, 12),
        days=7,
        athlete=athlete or {},
        activities=list(activities),
        wellness=list(wellness),
        events=[],
        power_curves=power or {},
        hr_curves=hr or {},
    )


def day(n):
    return f"{(TODAY - timedelta(days=n)).isoformat()}T07:00:00"


def ride(days_ago, **fields):
    return {"id": f"i{days_ago}", "type": "Ride", "start_date_local": day(days_ago), **fields}


def null_metric_names(capability):
    """Dotted names of every null capability metric (the convention of the unavailable map)."""
    names = set()
    for block, keys in WINDOWED.items():
        names |= {f"capability.{block}.{k}" for k in keys if capability[block][k] is None}
    profile = capability["sustainability_profile"]
    if "weight_kg" in profile and profile["weight_kg"] is None:
        names.add("capability.sustainability_profile.weight_kg")
    for family, block in profile.items():
        if isinstance(block, dict) and block.get("anchors", "absent") is None:
            names.add(f"capability.sustainability_profile.{family}.anchors")
    if capability["dfa_a1_profile"] is None:
        names.add("capability.dfa_a1_profile")
    return names


def test_an_empty_run_keeps_every_key_and_explains_every_null():
    capability, unavailable = build_capability(snap(), TID)
    assert list(capability) == CAPABILITY_KEYS
    assert capability["tid_comparison"] is TID
    assert capability["dfa_a1_profile"] is None
    assert set(unavailable) == null_metric_names(capability)
    assert unavailable["capability.durability.mean_decoupling_7d"] == "no_activities_in_window"
    assert unavailable["capability.power_curve_delta.anchors"] == "no_activities_in_window"
    assert unavailable["capability.dfa_a1_profile"] == "no_activities_in_window"


def test_windows_are_7_and_28_dates_whatever_days_is_and_drop_strava_stubs():
    activities = [
        ride(0),
        ride(6),
        ride(7),
        ride(27),
        ride(28),
        {"id": "s", "source": "STRAVA", "start_date_local": day(1)},
        {"id": "x", "type": "Ride"},
    ]
    s = snap(activities)
    s.days = 30
    act7, act28 = activity_windows(s)
    assert [a["id"] for a in act7] == ["i0", "i6"]
    assert [a["id"] for a in act28] == ["i0", "i6", "i7", "i27"]


def test_reasons_distinguish_too_few_sessions_from_other_sports():
    runs = [{"id": "r", "type": "Run", "start_date_local": day(1), "icu_hrr": {"hrr": 20}}]
    _, unavailable = build_capability(snap(runs), TID)
    assert unavailable["capability.efficiency_factor.mean_ef_7d"] == "not_applicable"
    assert unavailable["capability.durability.mean_decoupling_7d"] == "insufficient_history"
    assert "capability.hrrc.mean_hrrc_7d" not in unavailable  # 1 session is enough in 7d
    assert unavailable["capability.hrrc.mean_hrrc_28d"] == "insufficient_history"
    assert unavailable["capability.hrrc.trend"] == "insufficient_history"


def test_a_full_cycling_run_wires_snapshot_curves_into_every_block():
    activities = [
        ride(
            n,
            decoupling=2.0 + n / 10,
            icu_variability_index=1.02,
            moving_time=6000,
            icu_efficiency_factor=1.4,
            icu_hrr={"hrr": 25},
        )
        for n in (0, 2, 4, 9, 12, 20)
    ]
    plan = {r.label: r for r in curve_requests(TODAY, activities)}
    assert plan["power:Ride"].curves == (CUR, PREV, SUS)
    power_points = {5: 800, 60: 400, 300: 300, 1200: 260, 3600: 230}
    power = {
        "power:Ride": {
            "list": [
                {"id": c, "secs": list(power_points), "values": list(power_points.values())}
                for c in (CUR, PREV, SUS)
            ]
        },
    }
    hr_points = {60: 180, 300: 175, 1200: 168, 3600: 160}
    hr = {
        "hr:all": {
            "list": [
                {"id": c, "secs": list(hr_points), "values": list(hr_points.values())}
                for c in (CUR, PREV)
            ]
        }
    }
    athlete = {"sportSettings": [{"types": ["Ride"], "ftp": 250, "lthr": 170}], "icu_weight": 70.0}
    capability, unavailable = build_capability(
        snap(activities, athlete=athlete, power=power, hr=hr), TID
    )
    assert capability["power_curve_delta"]["rotation_index"] == 0.0
    assert capability["hr_curve_delta"]["rotation_index"] == 0.0
    cycling = capability["sustainability_profile"]["cycling"]
    # 300/1200/3600 s observed in the 42-day Ride curve: 3 of 7 → 0.43
    assert cycling["coverage_ratio"] == 0.43
    assert cycling["anchors"]["1200s"]["actual_wpkg"] == 3.71  # 260 / 70.0
    assert capability["sustainability_profile"]["weight_source"] == "athlete_profile"
    assert capability["durability"]["qualifying_sessions_7d"] == 3
    assert capability["efficiency_factor"]["mean_ef_28d"] == 1.4
    assert set(unavailable) == null_metric_names(capability) == {"capability.dfa_a1_profile"}
    json.dumps(capability, allow_nan=False)


def test_ftp_history_and_dfa_profile_are_passed_through():
    activities = [ride(1)]
    power = {"power:Ride": {"list": [{"id": SUS, "secs": [300, 600], "watts": [300, 280]}]}}
    athlete = {"sportSettings": [{"types": ["Ride"], "ftp": 250}]}
    capability, unavailable = build_capability(
        snap(activities, athlete=athlete, power=power),
        TID,
        ftp_history={"outdoor": {"2026-03-01": 250}},
        dfa_a1_profile={"latest_session": None},
    )
    assert capability["sustainability_profile"]["cycling"]["ftp_staleness_days"] == 21
    assert capability["dfa_a1_profile"] == {"latest_session": None}
    assert "capability.dfa_a1_profile" not in unavailable


# --- per-activity fields -----------------------------------------------------------------------


def test_physiology_passes_values_through_without_gates():
    activity = {
        "icu_variability_index": 1.12,
        "decoupling": 7.5,
        "icu_efficiency_factor": 1.31,
        "icu_hrr": {"hrr": 0},
    }
    assert activity_physiology(activity) == {
        "variability_index": 1.12,
        "decoupling": 7.5,
        "efficiency_factor": 1.31,
        "hrrc": 0,
    }


def test_physiology_missing_fields_are_null_and_decoupling_uses_the_null_test():
    assert activity_physiology({}) == {
        "variability_index": None,
        "decoupling": None,
        "efficiency_factor": None,
        "hrrc": None,
    }
    assert activity_physiology({"icu_hr_decoupling": 0.0, "decoupling": 4.0})["decoupling"] == 0.0
    assert activity_physiology({"icu_hr_decoupling": None, "decoupling": 4.0})["decoupling"] == 4.0
    assert activity_physiology({"icu_hrr": {"value": 21, "hrr": 30}})["hrrc"] == 21
    assert activity_physiology({"icu_hrr": 33})["hrrc"] == 33
    assert activity_physiology({"icu_hrr": True})["hrrc"] is None


# --- property: random, sparse or empty inputs ----------------------------------------------------

maybe_number = st.one_of(
    st.none(),
    st.integers(-50, 400),
    st.floats(-10, 400, allow_nan=False),
    st.just(0),
    st.booleans(),
    st.just("x"),
)
types = st.sampled_from(
    [
        "Ride",
        "VirtualRide",
        "EBikeRide",
        "Run",
        "Rowing",
        "VirtualRow",
        "NordicSki",
        "VirtualSki",
        "Swim",
        "Padel",
        None,
    ]
)
activity = st.fixed_dictionaries(
    {"type": types, "start_date_local": st.one_of(st.none(), st.integers(-2, 40).map(day))},
    optional={
        "decoupling": maybe_number,
        "icu_hr_decoupling": maybe_number,
        "icu_variability_index": maybe_number,
        "moving_time": maybe_number,
        "icu_efficiency_factor": maybe_number,
        "icu_hrr": st.one_of(
            maybe_number,
            st.fixed_dictionaries({}, optional={"hrr": maybe_number, "value": maybe_number}),
        ),
        "source": st.just("STRAVA"),
    },
)
secs = st.sampled_from([5, 60, 120, 300, 600, 1200, 1800, 3600, 5400, 7200, None])
curve = st.fixed_dictionaries(
    {"id": st.sampled_from([CUR, PREV, SUS, "s0", None])},
    optional={
        "secs": st.one_of(st.none(), st.lists(secs, max_size=8)),
        "watts": st.one_of(st.none(), st.lists(maybe_number, max_size=8)),
        "values": st.one_of(st.none(), st.lists(maybe_number, max_size=8)),
    },
)
curve_response = st.one_of(
    st.none(), st.just({}), st.fixed_dictionaries({"list": st.lists(curve, max_size=4)})
)
power_labels = st.sampled_from(
    ["power:Ride", "power:VirtualRide", "power:Rowing", "power:VirtualRow", "power:NordicSki"]
)
hr_labels = st.sampled_from(["hr:all", "hr:Ride", "hr:VirtualRide", "hr:Rowing", "hr:NordicSki"])
wellness_row = st.fixed_dictionaries(
    {"id": st.integers(-1, 40).map(lambda n: (TODAY - timedelta(days=n)).isoformat())},
    optional={
        "weight": maybe_number,
        "sportInfo": st.one_of(
            st.none(),
            st.lists(
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["Ride", "Run"])},
                    optional={"eftp": maybe_number, "wPrime": maybe_number},
                ),
                max_size=2,
            ),
        ),
    },
)
athlete = st.fixed_dictionaries(
    {},
    optional={
        "icu_weight": maybe_number,
        "sportSettings": st.one_of(
            st.none(),
            st.lists(
                st.fixed_dictionaries(
                    {"types": st.one_of(st.none(), st.lists(types, max_size=2))},
                    optional={
                        "ftp": maybe_number,
                        "indoor_ftp": maybe_number,
                        "lthr": maybe_number,
                    },
                ),
                max_size=3,
            ),
        ),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    activities=st.lists(activity, max_size=12),
    wellness=st.lists(wellness_row, max_size=10),
    athlete=athlete,
    power=st.dictionaries(power_labels, curve_response, max_size=4),
    hr=st.dictionaries(hr_labels, curve_response, max_size=4),
)
def test_any_input_gives_all_keys_and_a_reason_for_every_null(
    activities, wellness, athlete, power, hr
):
    s = snap(activities, wellness, athlete, power, hr)
    capability, unavailable = build_capability(s, TID)
    assert list(capability) == CAPABILITY_KEYS
    assert set(unavailable) == null_metric_names(capability)
    assert set(unavailable.values()) <= {
        "insufficient_history",
        "no_wellness_data",
        "no_zone_data",
        "no_activities_in_window",
        "no_ftp_history",
        "not_applicable",
    }
    assert capability["durability"]["trend"] in (None, "improving", "stable", "declining")
    assert isinstance(capability["hrrc"]["qualifying_sessions_28d"], int)
    assert isinstance(capability["durability"]["reliability_limited"], bool)
    for block in ("power_curve_delta", "hr_curve_delta"):
        assert list(capability[block]) == [
            "window_days",
            "current_window",
            "previous_window",
            "anchors",
            "rotation_index",
            "note",
        ]
    json.dumps(capability, allow_nan=False)
    for a in activities:
        assert list(activity_physiology(a)) == [
            "variability_index",
            "decoupling",
            "efficiency_factor",
            "hrrc",
        ]
    # 2 delta calls + per active family: cycling 3 (VirtualRide power, Ride/VirtualRide HR),
    # ski 2 (NordicSki power and HR), rowing 4
    active = {
        block
        for block in ("cycling", "ski", "rowing")
        if block in capability["sustainability_profile"]
    }
    extra = {"cycling": 3, "ski": 2, "rowing": 4}
    assert len(curve_requests(TODAY, activities)) == 2 + sum(extra[f] for f in active)


def test_a_failed_curve_fetch_is_fetch_failed_not_no_activities():
    """Rides in the window, but the curve calls failed this run (names as fetch.py
    records them in Snapshot.failed)."""
    from s11sync.metrics.curves import curve_call_name

    activities = [ride(n, moving_time=6000) for n in (0, 2, 4, 9)]
    failed = {
        curve_call_name("power", "power:Ride"): "HTTP 503 after 3 attempts",
        curve_call_name("hr", "hr:all"): "timed out",
    }
    assert set(failed) == {"power_curves:power:Ride", "hr_curves:hr:all"}
    run = snap(
        activities, athlete={"sportSettings": [{"types": ["Ride"], "ftp": 250}], "icu_weight": 70}
    )
    run.failed.update(failed)
    capability, unavailable = build_capability(run, TID)
    assert capability["power_curve_delta"]["anchors"] is None
    for block in ("power_curve_delta", "hr_curve_delta"):
        assert unavailable[f"capability.{block}.anchors"] == "fetch_failed"
        assert unavailable[f"capability.{block}.rotation_index"] == "fetch_failed"
    assert unavailable["capability.sustainability_profile.cycling.anchors"] == "fetch_failed"
    # the same run with the calls answered but empty: no curve data in the window
    _, answered = build_capability(snap(activities, athlete=run.athlete), TID)
    assert answered["capability.power_curve_delta.anchors"] == "no_activities_in_window"
    assert answered["capability.sustainability_profile.cycling.anchors"] == "insufficient_history"
