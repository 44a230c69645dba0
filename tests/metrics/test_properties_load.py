"""Invariants of the load metrics over random activity and wellness sets (hypothesis)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from s11sync.config import Settings
from s11sync.metrics import load as L
from s11sync.metrics.daily_load import daily_load
from s11sync.outputs.derived import REASON_CODES, assemble_derived_metrics, build_load_metrics
from s11sync.snapshot import Snapshot
from s11sync.validate import ALL_SCHEMAS, load_schema

TODAY = date(2026, 3, 18)


def _derived_validator():
    resources = [(s["$id"], Resource.from_contents(s)) for s in map(load_schema, ALL_SCHEMAS)]
    return Draft202012Validator(
        {"$ref": load_schema("latest.json")["$id"] + "#/properties/derived_metrics"},
        registry=Registry().with_resources(resources).crawl(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


DERIVED_VALIDATOR = _derived_validator()
TYPES = [
    "Ride",
    "VirtualRide",
    "Run",
    "Walk",
    "Rowing",
    "Swim",
    "WeightTraining",
    "Elliptical",
    None,
]

seconds = st.one_of(st.none(), st.integers(min_value=0, max_value=20000))
power_zones = st.one_of(
    st.none(),
    st.lists(seconds, min_size=0, max_size=7).map(
        lambda secs: (
            [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)]
            + [{"id": "SS", "secs": 999}]
        )
    ),
)
hr_zones = st.one_of(st.none(), st.lists(seconds, min_size=0, max_size=8))


@st.composite
def activities(draw):
    days_ago = draw(st.integers(min_value=-2, max_value=40))
    day = TODAY - timedelta(days=days_ago)
    if draw(st.integers(0, 9)) == 0:  # a Strava stub now and then
        return {"id": "1", "source": "STRAVA", "start_date_local": f"{day}T07:00:00"}
    return {
        "id": "i1",
        "type": draw(st.sampled_from(TYPES)),
        "start_date_local": f"{day}T{draw(st.integers(0, 23)):02d}:00:00",
        "icu_training_load": draw(st.one_of(st.none(), st.integers(0, 400))),
        "icu_zone_times": draw(power_zones),
        "icu_hr_zone_times": draw(hr_zones),
    }


@st.composite
def wellness(draw):
    day = TODAY - timedelta(days=draw(st.integers(0, 30)))
    return {
        "id": day.isoformat(),
        "hrv": draw(st.one_of(st.none(), st.floats(0, 400, allow_nan=False))),
        "restingHR": draw(st.one_of(st.none(), st.integers(0, 100))),
    }


def build(acts, wells, week_start="mon", zone_preference=None):
    snap = Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 18, 12, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=acts,
        wellness=wells,
        events=[],
    )
    return build_load_metrics(
        snap, Settings(week_start=week_start, zone_preference=zone_preference or {}), {}
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(activities(), max_size=30),
    st.lists(wellness(), max_size=30),
    st.sampled_from(["mon", "wed", "sun"]),
    st.sampled_from([{}, {"run": "hr"}, {"cycling": "hr"}]),
)
def test_shares_are_bounded_and_add_up(acts, wells, week_start, pref):
    load = build(acts, wells, week_start, pref)
    grey, quality, easy = (
        load.fields["grey_zone_percentage"],
        load.fields["quality_intensity_percentage"],
        load.fields["easy_time_ratio"],
    )
    if grey is None:
        assert quality is None and easy is None
    else:
        assert 0 <= grey <= 100 and 0 <= quality <= 100 and 0 <= easy <= 1
        # three independently rounded parts of 100 %: 0.05 + 0.05 + 0.5 at most
        assert abs(grey + quality + 100 * easy - 100) <= 0.6 + 1e-9
    for key in (
        "seiler_tid_7d",
        "seiler_tid_28d",
        "seiler_tid_7d_primary",
        "seiler_tid_28d_primary",
    ):
        block = load.fields[key]
        if block is None or block["z1_pct"] is None:
            continue
        pcts = (block["z1_pct"], block["z2_pct"], block["z3_pct"])
        assert all(0 <= p <= 100 for p in pcts)
        assert abs(sum(pcts) - 100) <= 0.15 + 1e-9  # fractions sum to 1 within rounding
    for key in (
        "monotony",
        "primary_sport_monotony",
        "effective_monotony",
        "strain",
        "stress_tolerance",
    ):
        assert load.fields[key] is None or load.fields[key] >= 0
    assert (
        load.fields["hard_days_this_week"] is None or 0 <= load.fields["hard_days_this_week"] <= 7
    )
    assert set(load.unavailable.values()) <= set(REASON_CODES)
    from s11sync.outputs.capability import build_capability

    # capability is always a full object in latest.json, nulls inside it
    snap = Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 18, 12, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=acts,
        wellness=wells,
        events=[],
    )
    capability, cap_unavailable = build_capability(snap, load.fields["tid_comparison"])
    derived = assemble_derived_metrics(load, capability, None, cap_unavailable)
    for name in derived["unavailable"]:
        assert "." in name or derived.get(name) is None
    doc = json.loads(json.dumps(derived, allow_nan=False))
    # the phase keys come from the decision layer (tested there); everything else must validate
    phase_keys = ("phase_detection", "phase_detected", "phase_triggers")
    errors = [
        e.message
        for e in DERIVED_VALIDATOR.iter_errors(doc)
        if not (e.validator == "required" and any(f"'{k}'" in e.message for k in phase_keys))
    ]
    assert errors == []


loads = st.lists(st.integers(min_value=0, max_value=500), min_size=28, max_size=28)


@settings(max_examples=200, deadline=None)
@given(loads, st.sampled_from([0.25, 0.5, 2, 4, 1024]))
def test_acwr_and_monotony_unchanged_by_exact_scaling(series, k):
    # scaling by a power of two is exact in binary floating point, so rounded values must match
    scaled = [k * x for x in series]
    assert L.acwr(sum(scaled[-7:]), sum(scaled)) == L.acwr(sum(series[-7:]), sum(series))
    assert L.monotony(scaled[-7:]) == L.monotony(series[-7:])


@settings(max_examples=200, deadline=None)
@given(loads, st.floats(min_value=0.01, max_value=1000))
def test_acwr_and_monotony_ratios_unchanged_by_any_scaling(series, k):
    scaled = [k * x for x in series]
    for before, after in (
        (L.acwr_ratio(sum(series[-7:]), sum(series)), L.acwr_ratio(sum(scaled[-7:]), sum(scaled))),
        (L.monotony_ratio(series[-7:]), L.monotony_ratio(scaled[-7:])),
    ):
        assert (before is None) == (after is None)
        if before is not None:
            assert abs(before - after) <= 1e-9 * max(1.0, abs(before))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=20), st.sampled_from([2, 8]))
def test_scaling_every_activity_load_leaves_the_built_ratios_unchanged(raw_loads, k):
    acts = [
        {
            "type": "Ride",
            "start_date_local": f"{TODAY - timedelta(days=i % 28)}T07:00:00",
            "icu_training_load": x,
        }
        for i, x in enumerate(raw_loads)
    ]
    scaled = [{**a, "icu_training_load": a["icu_training_load"] * k} for a in acts]
    base, big = build(acts, []), build(scaled, [])
    for key in ("acwr", "monotony", "primary_sport_monotony", "effective_monotony"):
        assert base.fields[key] == big.fields[key]
    assert base.fields["acwr_start_of_day"]["value"] == big.fields["acwr_start_of_day"]["value"]


def test_sparse_inputs_with_junk_values_do_not_raise():
    acts = [
        {},
        {"type": "Ride"},
        {"start_date_local": "bad"},
        {"start_date_local": None},
        {
            "type": "Ride",
            "start_date_local": "2026-03-18T07:00:00",
            "icu_training_load": "x",
            "icu_zone_times": [None, {"id": None}, {"id": "Z1", "secs": "3"}],
            "icu_hr_zone_times": "x",
        },
    ]
    wells = [{}, {"id": None}, {"id": "2026-03-18", "hrv": "60", "restingHR": True}]
    load = build(acts, wells)
    assert load.fields["tss_7d_total"] == 0.0 and load.fields["recovery_index"] is None


def test_daily_load_length_is_always_n():
    assert daily_load([], TODAY, 28) == [0] * 28
