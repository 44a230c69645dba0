"""DFA views in latest.json: `recent_activities[].dfa_summary` and `capability.dfa_a1_profile`
(docs/metrics.md, "DFA alpha1"), with worked example DP-1 and hand-made situations for
every ordering, window, staged-reason and confidence rule."""

from __future__ import annotations

from datetime import date

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from s11sync.metrics.dfa import dfa_block
from s11sync.metrics.dfa_profile import build_dfa_a1_profile, dfa_summary
from s11sync.validate import ALL_SCHEMAS, load_schema

TRAILING_KEYS = [
    "n_sessions",
    "date_range",
    "avg_dfa_a1",
    "drift_delta_mean",
    "easy_guard_crossing_sessions",
    "lt1_crossing_sessions",
    "lt2_crossing_sessions",
    "easy_guard_eligible_sessions",
    "lt1_eligible_sessions",
    "lt2_eligible_sessions",
    "easy_guard_estimate",
    "easy_guard_reason",
    "lt1_estimate",
    "lt1_reason",
    "lt2_estimate",
    "lt2_reason",
    "quality_avg_pct",
    "validated",
    "confidence",
]
LATEST_KEYS = [
    "activity_id",
    "date",
    "name",
    "sport",
    "validated",
    "avg",
    "tiz_split_pct",
    "drift_delta",
    "drift_interpretable",
    "quality_pct",
    "sufficient",
]
TODAY = date(2026, 3, 23)


# ---- builders ------------------------------------------------------------------------------------


def fixture_a_streams(burst=False):
    runs = [
        (1.2, 120, 150, 300),
        (1.0, 130, 170, 300),
        (0.75, 145, 200, 600),
        (0.6, 155, 220, 300),
        (0.5, 165, 250, 150),
        (0.0, 160, 180, 150),
    ]
    d, hr, w = [], [], []
    for dv, hv, wv, count in runs:
        d += [dv] * count
        hr += [hv] * count
        w += [wv] * count
    art = [8.0 if burst and 900 <= i < 910 else 1.0 for i in range(len(d))]
    return [
        {"type": "dfa_a1", "data": d},
        {"type": "heartrate", "data": hr},
        {"type": "watts", "data": w},
        {"type": "artifacts", "data": art},
    ]


def cross(reason="ok", eligible=True, hr=None, w=None, est=None):
    if est is None:
        est = "ok" if reason == "ok" and eligible else reason
    return {
        "reason": reason,
        "estimate_eligible": eligible,
        "estimate_reason": est,
        "avg_hr": hr,
        "avg_watts": w,
    }


NONE_IN_BAND = cross("no_samples_in_band", False)


def band(secs, pct):
    return {"secs": secs, "pct": pct, "avg_hr": 130, "avg_watts": 180}


def block(
    avg=0.8,
    valid_pct=90.0,
    drift=None,
    eg=NONE_IN_BAND,
    lt1=NONE_IN_BAND,
    lt2=NONE_IN_BAND,
    sufficient=True,
    bands=(300, 900, 300, None),
):
    """A sufficient per-activity DFA block (N = 1500); `drift` = (delta, interpretable) or None."""
    if not sufficient:
        return {
            "avg": None,
            "tiz_easy": None,
            "tiz_endurance": None,
            "tiz_tempo": None,
            "tiz_supra": None,
            "drift": None,
            "easy_guard_crossing": None,
            "lt1_crossing": None,
            "lt2_crossing": None,
            "quality": {"valid_pct": valid_pct, "sufficient": False},
        }
    tiz = {}
    for key, secs in zip(("tiz_easy", "tiz_endurance", "tiz_tempo", "tiz_supra"), bands):
        tiz[key] = band(secs, round(100 * secs / 1500, 1)) if secs else None
    return {
        "avg": avg,
        **tiz,
        "drift": None
        if drift is None
        else {
            "first_third_avg": 0.9,
            "last_third_avg": 0.8,
            "delta": drift[0],
            "interpretable": drift[1],
        },
        "easy_guard_crossing": eg,
        "lt1_crossing": lt1,
        "lt2_crossing": lt2,
        "quality": {"valid_pct": valid_pct, "sufficient": True},
    }


def entry(aid, start, typ, dfa, name=None):
    out = {
        "activity_id": aid,
        "date": start[:10],
        "start_datetime": start,
        "type": typ,
        "name": name if name is not None else f"{typ} {aid}",
        "interval_summary": None,
        "intervals": [],
    }
    if dfa is not None:
        out["dfa"] = dfa
    return out


def dp1_entries():
    a5 = entry("a5", "2026-03-23T07:00:00", "Run", block(valid_pct=40.0, sufficient=False))
    a1 = entry(
        "a1",
        "2026-03-22T08:00:00",
        "Ride",
        block(
            0.82,
            90.0,
            (-0.10, True),
            cross(hr=128, w=160),
            cross(hr=150, w=210),
            cross("no_contiguous_dwell", False),
        ),
    )
    a2 = entry(
        "a2",
        "2026-03-20T18:00:00",
        "VirtualRide",
        block(
            0.78,
            85.0,
            (-0.05, True),
            cross(hr=126, w=155),
            cross(hr=148, w=200),
            cross("ok", False, 160, 240, "non_stationary_power"),
        ),
    )
    a3 = entry(
        "a3",
        "2026-03-18T18:00:00",
        "VirtualRide",
        block(
            0.91,
            80.0,
            (-0.30, False),
            NONE_IN_BAND,
            cross(hr=146, w=196),
            cross("ok", False, 162, 245, "non_stationary_power"),
        ),
    )
    a4 = entry(
        "a4",
        "2026-03-16T18:00:00",
        "VirtualRide",
        block(0.85, 75.0, (0.02, True), cross(hr=127, w=158), NONE_IN_BAND, NONE_IN_BAND),
    )
    return [a3, a1, a5, a4, a2]  # cache order is not date order


def ride_window(n, lt1=None, lt2=None, eg=None, typ="Ride", start_day=1):
    """n sufficient sessions on consecutive days (newest last), crossings given per session."""
    out = []
    for k in range(n):
        out.append(
            entry(
                f"s{k}",
                f"2026-03-{start_day + k:02d}T08:00:00",
                typ,
                block(
                    eg=(eg[k] if eg else NONE_IN_BAND),
                    lt1=(lt1[k] if lt1 else NONE_IN_BAND),
                    lt2=(lt2[k] if lt2 else NONE_IN_BAND),
                ),
            )
        )
    return out


def cycling(entries, activities=()):
    return build_dfa_a1_profile(entries, list(activities), TODAY)["trailing_by_sport"]["cycling"]


# ---- dfa_summary --------------------------------------------------------------------------------


def test_summary_of_fixture_a():
    summary = dfa_summary(dfa_block(fixture_a_streams(), {}))
    assert summary == {
        "avg": 0.827,
        "dominant_band": "endurance",
        "tiz_pct": {"easy": 18.2, "endurance": 54.5, "tempo": 27.3, "supra": 0.0},
        "valid_pct": 91.7,
        "sufficient": True,
        "drift_delta": -0.509,
        "drift_interpretable": True,
        "lt1_watts": 200,
        "lt1_hr": 145,
        "lt2_watts": 250,
        "lt2_hr": 165,
    }
    assert list(summary) == [
        "avg",
        "dominant_band",
        "tiz_pct",
        "valid_pct",
        "sufficient",
        "drift_delta",
        "drift_interpretable",
        "lt1_watts",
        "lt1_hr",
        "lt2_watts",
        "lt2_hr",
    ]
    assert list(summary["tiz_pct"]) == ["easy", "endurance", "tempo", "supra"]


def test_summary_of_fixture_b_omits_ineligible_lt1():
    summary = dfa_summary(dfa_block(fixture_a_streams(burst=True), {}))
    assert "lt1_watts" not in summary and "lt1_hr" not in summary
    assert (summary["lt2_watts"], summary["lt2_hr"]) == (250, 165)


@pytest.mark.parametrize("blk", [None, {}, block(sufficient=False), {"quality": None}])
def test_no_summary_without_a_sufficient_block(blk):
    assert dfa_summary(blk) is None


@pytest.mark.parametrize(
    "bands, dominant",
    [
        ((300, 300, 300, 300), "supra"),  # four-way tie → most intense
        ((300, 300, 300, None), "tempo"),
        ((300, 300, 100, None), "endurance"),
        ((301, 300, 300, 300), "easy"),  # strictly most seconds wins
        ((None, 200, 900, 400), "tempo"),
    ],
)
def test_dominant_band_by_raw_seconds_ties_to_intensity(bands, dominant):
    assert dfa_summary(block(bands=bands))["dominant_band"] == dominant


def test_summary_optional_keys_each_independent():
    blk = block(
        drift=None,
        eg=cross(hr=120, w=150),
        lt1=cross(hr=145, w=None),
        lt2=cross("ok", False, 165, 250, "unknown_artifact"),
    )
    summary = dfa_summary(blk)
    assert "drift_delta" not in summary and "drift_interpretable" not in summary
    assert summary["lt1_hr"] == 145 and "lt1_watts" not in summary
    assert not any(k.startswith(("lt2_", "easy")) for k in summary)


def test_summary_drift_without_interpretable_flag_reads_false():
    blk = block(drift=(-0.3, True))
    del blk["drift"]["interpretable"]
    summary = dfa_summary(blk)
    assert (summary["drift_delta"], summary["drift_interpretable"]) == (-0.3, False)


# ---- worked example DP-1 ------------------------------------------------------------------------


def test_worked_example_dp1():
    profile = build_dfa_a1_profile(dp1_entries(), [], TODAY)
    assert list(profile) == ["latest_session", "trailing_by_sport"]
    latest = profile["latest_session"]
    assert list(latest) == LATEST_KEYS
    assert latest == {
        "activity_id": "a1",
        "date": "2026-03-22",
        "name": "Ride a1",
        "sport": "Ride",
        "validated": True,
        "avg": 0.82,
        "tiz_split_pct": {"easy": 20.0, "endurance": 60.0, "tempo": 20.0, "supra": 0.0},
        "drift_delta": -0.1,
        "drift_interpretable": True,
        "quality_pct": 90.0,
        "sufficient": True,
    }
    assert list(profile["trailing_by_sport"]) == ["cycling"]
    cyc = profile["trailing_by_sport"]["cycling"]
    assert list(cyc) == TRAILING_KEYS
    assert cyc == {
        "n_sessions": 4,
        "date_range": ["2026-03-16", "2026-03-22"],
        "avg_dfa_a1": 0.84,  # (0.82 + 0.78 + 0.91 + 0.85) / 4
        "drift_delta_mean": -0.043,  # (−0.10 − 0.05 + 0.02) / 3; a3 not interpretable
        "easy_guard_crossing_sessions": 3,
        "lt1_crossing_sessions": 3,
        "lt2_crossing_sessions": 2,
        "easy_guard_eligible_sessions": 3,
        "lt1_eligible_sessions": 3,
        "lt2_eligible_sessions": 0,
        # hr (128 + 126 + 127) / 3 = 127; outdoor a1 160; indoor (155 + 158) / 2 = 156.5 → 156
        "easy_guard_estimate": {
            "marker_dfa_a1": 1.0,
            "hr": 127,
            "watts_outdoor": 160,
            "watts_indoor": 156,
            "n_sessions": 3,
            "n_sessions_outdoor": 1,
            "n_sessions_indoor": 2,
        },
        "easy_guard_reason": "ok",
        # hr (150 + 148 + 146) / 3 = 148; outdoor 210; indoor (200 + 196) / 2 = 198
        "lt1_estimate": {
            "marker_dfa_a1": 0.75,
            "hr": 148,
            "watts_outdoor": 210,
            "watts_indoor": 198,
            "n_sessions": 3,
            "n_sessions_outdoor": 1,
            "n_sessions_indoor": 2,
        },
        "lt1_reason": "ok",
        "lt2_estimate": None,
        "lt2_reason": "non_stationary_power",
        "quality_avg_pct": 82.5,  # (90 + 85 + 80 + 75) / 4
        "validated": True,
        "confidence": "low",  # max(3, 0) = 3
    }


# ---- null / latest_session / ordering ----------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [entry("x", "2026-03-20T08:00:00", "Ride", None)],
        [entry("x", "2026-03-20T08:00:00", "Ride", {})],
    ],
)
def test_profile_is_null_without_any_dfa_block(entries):
    assert build_dfa_a1_profile(entries, [], TODAY) is None


def test_only_insufficient_sessions_reports_newest_with_nulls_and_no_trailing():
    entries = [
        entry("old", "2026-03-19T08:00:00", "Ride", block(valid_pct=55.5, sufficient=False)),
        entry("new", "2026-03-21T08:00:00", "Run", block(valid_pct=40.0, sufficient=False)),
    ]
    profile = build_dfa_a1_profile(entries, [], TODAY)
    assert profile["latest_session"] == {
        "activity_id": "new",
        "date": "2026-03-21",
        "name": "Run new",
        "sport": "Run",
        "validated": False,
        "avg": None,
        "tiz_split_pct": None,
        "drift_delta": None,
        "drift_interpretable": None,
        "quality_pct": 40.0,
        "sufficient": False,
    }
    assert profile["trailing_by_sport"] == {}


def test_latest_sufficient_session_without_drift_has_null_drift():
    profile = build_dfa_a1_profile([entry("a", "2026-03-21T08:00:00", "Ride", block())], [], TODAY)
    latest = profile["latest_session"]
    assert (latest["drift_delta"], latest["drift_interpretable"], latest["sufficient"]) == (
        None,
        None,
        True,
    )


def test_ordering_falls_back_to_date_and_keeps_cache_order_on_ties():
    first = entry("first", "2026-03-21T08:00:00", "Ride", block(avg=0.7))
    second = entry("second", "2026-03-21T08:00:00", "Ride", block(avg=0.9))
    no_time = entry("no_time", "2026-03-22T08:00:00", "Ride", block(avg=1.1))
    no_time["start_datetime"] = ""

    def latest_id(entries):
        return build_dfa_a1_profile(entries, [], TODAY)["latest_session"]["activity_id"]

    assert latest_id([first, second]) == "first"
    assert latest_id([second, first]) == "second"
    # "2026-03-22" (date fallback) sorts after "2026-03-21T08:00:00" → newest
    latest = build_dfa_a1_profile([first, no_time], [], TODAY)["latest_session"]
    assert latest["activity_id"] == "no_time"


def test_entries_older_than_retention_are_ignored():
    # today − 14 = 2026-03-09 is kept; 2026-03-08 is not.
    kept = entry("kept", "2026-03-09T08:00:00", "Ride", block())
    dropped = entry("dropped", "2026-03-08T08:00:00", "Run", block())
    profile = build_dfa_a1_profile([dropped, kept], [], TODAY)
    assert list(profile["trailing_by_sport"]) == ["cycling"]
    assert build_dfa_a1_profile([dropped], [], TODAY) is None


# ---- window, estimates, reasons, confidence ----------------------------------------------------


def test_window_is_the_newest_seven_sessions_of_the_family():
    entries = ride_window(8, start_day=10)  # 8 rides, 03-10 … 03-17
    entries[0]["dfa"]["avg"] = 5.0  # the oldest session must not enter the mean
    cyc = cycling(entries)
    assert cyc["n_sessions"] == 7
    assert cyc["date_range"] == ["2026-03-11", "2026-03-17"]
    assert cyc["avg_dfa_a1"] == 0.8


def test_families_are_separate_and_non_cycling_gets_a_note_and_pooled_watts():
    runs = [
        entry(
            f"r{k}",
            f"2026-03-1{k}T07:00:00",
            "TrailRun" if k else "Run",
            block(lt1=cross(hr=150 + k, w=None if k == 2 else 300 + k)),
        )
        for k in range(3)
    ]
    ride = entry("b", "2026-03-20T08:00:00", "Ride", block())
    profile = build_dfa_a1_profile(runs + [ride], [], TODAY)
    assert list(profile["trailing_by_sport"]) == ["cycling", "run"]  # newest first appearance
    run = profile["trailing_by_sport"]["run"]
    assert list(run) == TRAILING_KEYS + ["note"]
    assert run["validated"] is False and isinstance(run["note"], str) and run["note"]
    # hr (150 + 151 + 152) / 3 = 151; watts over non-null (300 + 301) / 2 = 300.5 → 300
    assert run["lt1_estimate"] == {"marker_dfa_a1": 0.75, "hr": 151, "watts": 300, "n_sessions": 3}
    assert "note" not in profile["trailing_by_sport"]["cycling"]


def test_unknown_type_groups_under_other():
    unknown = entry("u", "2026-03-20T08:00:00", "Unknown", block())
    profile = build_dfa_a1_profile([unknown], [], TODAY)
    assert list(profile["trailing_by_sport"]) == ["other"]
    assert profile["latest_session"]["validated"] is False


def test_trainer_ride_counts_as_indoor_and_hr_may_average_fewer_sessions():
    lt1 = [cross(hr=None, w=200), cross(hr=150, w=180), cross(hr=146, w=220)]
    entries = ride_window(3, lt1=lt1, start_day=18)  # s0, s1, s2 all type Ride
    activities = [{"id": "s1", "type": "Ride", "trainer": True}, {"id": "s2", "type": "Ride"}]
    est = cycling(entries, activities)["lt1_estimate"]
    # indoor: s1 (trainer) 180; outdoor: s0 200 + s2 220 → 210; hr (150 + 146) / 2 = 148
    assert est == {
        "marker_dfa_a1": 0.75,
        "hr": 148,
        "watts_outdoor": 210,
        "watts_indoor": 180,
        "n_sessions": 3,
        "n_sessions_outdoor": 2,
        "n_sessions_indoor": 1,
    }


def test_environment_without_watts_gives_null_watts_and_zero_sessions():
    entries = ride_window(3, lt1=[cross(hr=150, w=200)] * 3, typ="VirtualRide", start_day=18)
    est = cycling(entries)["lt1_estimate"]
    assert (est["watts_outdoor"], est["n_sessions_outdoor"]) == (None, 0)
    assert (est["watts_indoor"], est["n_sessions_indoor"]) == (200, 3)


@pytest.mark.parametrize(
    "eligible, reason", [(1, "insufficient_sessions"), (2, "insufficient_sessions"), (3, "ok")]
)
def test_estimate_needs_three_eligible_sessions(eligible, reason):
    lt1 = [cross(hr=150, w=200)] * eligible + [cross("ok", False, 150, 200, "unknown_power")] * 2
    cyc = cycling(ride_window(len(lt1), lt1=lt1, start_day=10))
    assert cyc["lt1_reason"] == reason
    assert (cyc["lt1_estimate"] is None) == (eligible < 3)
    assert (cyc["lt1_crossing_sessions"], cyc["lt1_eligible_sessions"]) == (eligible + 2, eligible)


@pytest.mark.parametrize(
    "reasons, expected",
    [
        (["unknown_power", "unknown_power", "lookback_gap"], "unknown_power"),  # most frequent
        (["unknown_power", "lookback_gap"], "lookback_gap"),  # tie → priority
        (["zeta_reason", "alpha_reason"], "alpha_reason"),  # unknown → by name
        (["zeta_reason", "non_stationary_power"], "non_stationary_power"),  # known before unknown
    ],
)
def test_staged_reason_from_dwell_ok_sessions(reasons, expected):
    lt1 = [cross("ok", False, 150, 200, r) for r in reasons]
    lt1.append(cross("no_contiguous_dwell", False))  # dwell failures do not count at this stage
    lt1.append(cross("no_contiguous_dwell", False))
    lt1.append(cross("no_contiguous_dwell", False))
    assert cycling(ride_window(len(lt1), lt1=lt1, start_day=10))["lt1_reason"] == expected


@pytest.mark.parametrize(
    "reasons, expected",
    [
        (
            ["no_contiguous_dwell", "no_contiguous_dwell", "no_samples_in_band"],
            "no_contiguous_dwell",
        ),
        (["no_contiguous_dwell", "insufficient_total_dwell"], "insufficient_total_dwell"),
        (["insufficient_total_dwell", "no_samples_in_band"], "no_samples_in_band"),
        (["no_contiguous_dwell", "zeta"], "no_contiguous_dwell"),
    ],
)
def test_staged_reason_from_dwell_reasons(reasons, expected):
    lt1 = [cross(r, False) for r in reasons]
    assert cycling(ride_window(len(lt1), lt1=lt1, start_day=10))["lt1_reason"] == expected


def test_staged_reason_with_nothing_countable_is_no_samples_in_band():
    entries = ride_window(2, start_day=10)
    for e in entries:
        e["dfa"]["lt1_crossing"] = None
    assert cycling(entries)["lt1_reason"] == "no_samples_in_band"


@pytest.mark.parametrize(
    "lt1_n, lt2_n, confidence",
    [
        (2, 2, None),
        (3, 0, "low"),
        (0, 4, "moderate"),
        (5, 3, "moderate"),
        (6, 1, "high"),
        (7, 7, "high"),
    ],
)
def test_confidence_from_the_better_threshold_marker(lt1_n, lt2_n, confidence):
    ok = cross(hr=150, w=200)
    miss = cross("no_contiguous_dwell", False)
    lt1 = [ok] * lt1_n + [miss] * (7 - lt1_n)
    lt2 = [ok] * lt2_n + [miss] * (7 - lt2_n)
    eg = [ok] * 7  # easy_guard never counts towards confidence
    cyc = cycling(ride_window(7, lt1=lt1, lt2=lt2, eg=eg, start_day=10))
    assert cyc["confidence"] == confidence


def test_easy_guard_alone_gives_no_confidence():
    ok = cross(hr=130, w=160)
    cyc = cycling(ride_window(7, eg=[ok] * 7, start_day=10))
    assert (cyc["easy_guard_eligible_sessions"], cyc["confidence"]) == (7, None)


def test_drift_delta_mean_is_null_without_interpretable_drift():
    entries = ride_window(2, start_day=10)
    entries[0]["dfa"]["drift"] = {
        "first_third_avg": 1.0,
        "last_third_avg": 0.7,
        "delta": -0.3,
        "interpretable": False,
    }
    assert cycling(entries)["drift_delta_mean"] is None
    entries[1]["dfa"]["drift"] = {
        "first_third_avg": 1.0,
        "last_third_avg": 0.75,
        "delta": -0.25,
        "interpretable": True,
    }
    assert cycling(entries)["drift_delta_mean"] == -0.25


# ---- output schemas ------------------------------------------------------------------------------


def schema_errors(ref, instance):
    schemas = [load_schema(name) for name in ALL_SCHEMAS]
    registry = (
        Registry()
        .with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas)
        .crawl()
    )
    validator = Draft202012Validator({"$ref": ref}, registry=registry)
    return [error.message for error in validator.iter_errors(instance)]


def test_outputs_match_the_published_schemas():
    base = "https://s11sync.dev/schemas/"
    for blk in (
        dfa_block(fixture_a_streams(), {}),
        dfa_block(fixture_a_streams(burst=True), {}),
        dfa_block([{"type": "dfa_a1", "data": [0.8] * 100}], {}),
    ):
        assert schema_errors(base + "intervals.schema.json#/$defs/dfa-block", blk) == []
    summary = dfa_summary(dfa_block(fixture_a_streams(), {}))
    assert schema_errors(base + "latest.schema.json#/$defs/dfa-summary", summary) == []
    profile_ref = (
        base + "latest.schema.json#/properties/derived_metrics/properties/capability"
        "/properties/dfa_a1_profile"
    )
    runs = [
        entry(f"r{k}", f"2026-03-1{k}T07:00:00", "Run", block(lt1=cross(hr=150, w=300)))
        for k in range(3)
    ]
    for entries in (dp1_entries(), dp1_entries()[2:3], runs):
        assert schema_errors(profile_ref, build_dfa_a1_profile(entries, [], TODAY)) == []


def test_a_non_finite_cached_value_is_left_out_of_the_trailing_means():
    """A NaN or inf read back from intervals.json is a missing value, not one that spoils the mean
    (it used to turn avg_dfa_a1 and quality_avg_pct into null)."""
    entries = [
        entry("a1", "2026-03-22T07:00:00", "Ride", block(avg=0.8, valid_pct=90.0)),
        entry("a2", "2026-03-21T07:00:00", "Ride", block(avg=float("nan"), valid_pct=80.0)),
        entry("a3", "2026-03-20T07:00:00", "Ride", block(avg=0.7, valid_pct=float("inf"))),
    ]
    cyc = build_dfa_a1_profile(entries, [], TODAY)["trailing_by_sport"]["cycling"]
    assert cyc["n_sessions"] == 3
    assert cyc["avg_dfa_a1"] == 0.75
    assert cyc["quality_avg_pct"] == 85.0
