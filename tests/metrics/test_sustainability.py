"""Sustainability profile (docs/metrics.md, "Sustainability profile"): worked example SP-1,
its rowing part, and every gate."""

from __future__ import annotations

from datetime import date

import pytest

from s11sync.metrics.sustainability import (
    build_sustainability_profile,
    ftp_staleness_days,
    sustainability_weight,
)

TODAY = date(2026, 3, 22)
SUS = "r.2026-02-09.2026-03-22"
CYCLING_ANCHOR_KEYS = [
    "actual_watts",
    "actual_wpkg",
    "actual_hr",
    "pct_lthr",
    "source",
    "coggan_watts",
    "coggan_wpkg",
    "cp_model_watts",
    "cp_model_wpkg",
    "model_divergence_pct",
]
OTHER_ANCHOR_KEYS = ["actual_watts", "actual_wpkg", "actual_hr", "pct_lthr", "source"]


def resp(points, key="watts", curve_id=SUS):
    return {"list": [{"id": curve_id, "secs": list(points), key: list(points.values())}]}


def act(sport, day="2026-03-20"):
    return {"type": sport, "start_date_local": f"{day}T08:00:00"}


SP1_THRESHOLDS = {
    "cycling": {
        "lthr": 168,
        "max_hr": None,
        "threshold_pace": None,
        "pace_units": None,
        "ftp": 270,
        "ftp_indoor": None,
    },
    "rowing": {
        "lthr": 165,
        "max_hr": None,
        "threshold_pace": None,
        "pace_units": None,
        "ftp": None,
        "ftp_indoor": None,
    },
}
SP1_WELLNESS = [{"id": "2026-03-21", "weight": 75.24}, {"id": "2026-03-22", "weight": None}]
SP1_POWER = {
    "power:Ride": resp({300: 290, 600: 268, 1200: 250, 1800: 0, 3600: 221}),
    "power:VirtualRide": resp({300: 280, 600: 270, 1200: 245, 1800: 238, 3600: 215}),
    "power:Rowing": resp({60: 410, 120: 0, 300: 300}),
}
SP1_HR = {
    "hr:Ride": resp({300: 176, 600: 172, 1200: 168, 3600: 158}, key="values"),
    "hr:VirtualRide": resp({300: 178, 600: 170, 1200: 165, 1800: 163}, key="values"),
    "hr:Rowing": resp({60: 170, 300: 175}, key="values"),
}


def sp1(**overrides):
    args = dict(
        today=TODAY,
        activities=[act("Ride"), act("VirtualRide"), act("Rowing")],
        wellness=SP1_WELLNESS,
        athlete={},
        power_curves=SP1_POWER,
        hr_curves=SP1_HR,
        thresholds=SP1_THRESHOLDS,
        w_prime=18500,
        ftp_history=None,
    )
    args.update(overrides)
    return build_sustainability_profile(**args)


def test_sp1_top_level_shape_and_weight():
    profile = sp1()
    assert list(profile) == ["window", "weight_kg", "weight_source", "cycling", "rowing"]
    assert profile["window"] == {"days": 42, "start": "2026-02-09", "end": "2026-03-22"}
    # newest truthy weight of the last 7 days, scanning backwards: 2026-03-22 null → 75.24 → 75.2
    assert (profile["weight_kg"], profile["weight_source"]) == (75.2, "wellness_recent")


def test_sp1_cycling_anchors_match_the_table():
    cycling = sp1()["cycling"]
    assert list(cycling) == [
        "anchors",
        "coverage_ratio",
        "ftp_used",
        "w_prime_used",
        "ftp_staleness_days",
        "model_trust_note",
    ]
    a = cycling["anchors"]
    assert list(a) == ["300s", "600s", "1200s", "1800s", "3600s", "5400s", "7200s"]
    assert all(list(anchor) == CYCLING_ANCHOR_KEYS for anchor in a.values())
    # 300 s: max(290 Ride, 280 VR) = 290 outdoor; 290/75.2 = 3.856 → 3.86; HR max(176, 178) = 178;
    # 178/168 = 105.95 → 106.0; Coggan 270×1.06 = 286.2 → 286 (286/75.2 = 3.80);
    # CP 270 + 18500/300 = 331.67 → 332 (4.41); (290 − 332)/332 = −12.65 % → −12.7
    assert a["300s"] == {
        "actual_watts": 290,
        "actual_wpkg": 3.86,
        "actual_hr": 178,
        "pct_lthr": 106.0,
        "source": "observed_outdoor",
        "coggan_watts": 286,
        "coggan_wpkg": 3.8,
        "cp_model_watts": 332,
        "cp_model_wpkg": 4.41,
        "model_divergence_pct": -12.7,
    }
    # 600 s: VR 270 beats Ride 268 → indoor; 172/168 = 102.38 → 102.4; 270×0.97 = 261.9 → 262;
    # CP 270 + 30.83 = 300.83 → 301; (270 − 301)/301 = −10.30 % → −10.3
    assert a["600s"] == {
        "actual_watts": 270,
        "actual_wpkg": 3.59,
        "actual_hr": 172,
        "pct_lthr": 102.4,
        "source": "observed_indoor",
        "coggan_watts": 262,
        "coggan_wpkg": 3.48,
        "cp_model_watts": 301,
        "cp_model_wpkg": 4.0,
        "model_divergence_pct": -10.3,
    }
    # 1200 s: 250 outdoor, 3.32; HR 168 → 100.0; Coggan 251.1 → 251; CP 285.4 → 285; −12.28 → −12.3
    assert (a["1200s"]["actual_watts"], a["1200s"]["source"], a["1200s"]["pct_lthr"]) == (
        250,
        "observed_outdoor",
        100.0,
    )
    assert (
        a["1200s"]["coggan_watts"],
        a["1200s"]["cp_model_watts"],
        a["1200s"]["model_divergence_pct"],
    ) == (251, 285, -12.3)
    # 1800 s: Ride 0 is invalid → VR 238 indoor; HR 163 → 97.0; Coggan 243; CP 280.3 → 280; −15.0
    assert a["1800s"] == {
        "actual_watts": 238,
        "actual_wpkg": 3.16,
        "actual_hr": 163,
        "pct_lthr": 97.0,
        "source": "observed_indoor",
        "coggan_watts": 243,
        "coggan_wpkg": 3.23,
        "cp_model_watts": 280,
        "cp_model_wpkg": 3.72,
        "model_divergence_pct": -15.0,
    }
    # 3600 s: 221 outdoor, 2.94; HR 158 → 94.0; Coggan 232.2 → 232; CP 275.1 → 275; −19.64 → −19.6
    assert (
        a["3600s"]["actual_wpkg"],
        a["3600s"]["pct_lthr"],
        a["3600s"]["model_divergence_pct"],
    ) == (2.94, 94.0, -19.6)
    # 5400/7200 s: nothing observed; models only: Coggan 221 (2.94) / 211 (2.81), CP 273 (3.63)
    assert a["5400s"] == {
        "actual_watts": None,
        "actual_wpkg": None,
        "actual_hr": None,
        "pct_lthr": None,
        "source": None,
        "coggan_watts": 221,
        "coggan_wpkg": 2.94,
        "cp_model_watts": 273,
        "cp_model_wpkg": 3.63,
        "model_divergence_pct": None,
    }
    assert (
        a["7200s"]["coggan_watts"],
        a["7200s"]["coggan_wpkg"],
        a["7200s"]["cp_model_watts"],
    ) == (211, 2.81, 273)
    # 5 of 7 anchors observed → 0.71
    assert cycling["coverage_ratio"] == 0.71
    assert (cycling["ftp_used"], cycling["w_prime_used"], cycling["ftp_staleness_days"]) == (
        270,
        18500,
        None,
    )


def test_sp1_rowing_has_no_model_keys():
    rowing = sp1()["rowing"]
    assert list(rowing) == ["anchors", "coverage_ratio"]
    a = rowing["anchors"]
    assert all(list(anchor) == OTHER_ANCHOR_KEYS for anchor in a.values())
    # 410/75.2 = 5.452 → 5.45; 170/165 = 103.03 → 103.0; 300/75.2 = 3.989 → 3.99; 175/165 → 106.1
    assert a["60s"] == {
        "actual_watts": 410,
        "actual_wpkg": 5.45,
        "actual_hr": 170,
        "pct_lthr": 103.0,
        "source": "observed",
    }
    assert a["300s"] == {
        "actual_watts": 300,
        "actual_wpkg": 3.99,
        "actual_hr": 175,
        "pct_lthr": 106.1,
        "source": "observed",
    }
    assert a["120s"]["actual_watts"] is None  # 0 W is not a value here
    assert rowing["coverage_ratio"] == 0.33  # 2 / 6


def test_family_with_one_observed_anchor_gets_a_null_block():
    power = {"power:Rowing": resp({60: 410})}
    profile = sp1(activities=[act("Rowing")], power_curves=power)
    assert profile["rowing"] == {
        "anchors": None,
        "coverage_ratio": 0.17,  # 1/6 = 0.1667
        "note": "too few observed anchors (1, need 2+)",
    }


def test_ski_with_hr_only_lands_in_the_null_block_and_drops_hr():
    hr = {"hr:NordicSki": resp({60: 170, 300: 165, 600: 160}, key="values")}
    profile = sp1(activities=[act("NordicSki")], power_curves={}, hr_curves=hr)
    assert list(profile) == ["window", "weight_kg", "weight_source", "ski"]
    assert profile["ski"]["anchors"] is None and profile["ski"]["coverage_ratio"] == 0.0


def test_no_active_family_gives_note_and_window_only():
    profile = sp1(
        activities=[act("Run"), act("Ride", day="2026-02-20")]
    )  # ride 30 days old: not active
    assert profile == {
        "note": "no sustainability data available",
        "window": {"days": 42, "start": "2026-02-09", "end": "2026-03-22"},
    }


def test_cycling_ftp_falls_back_to_indoor_and_models_need_ftp_and_w_prime():
    indoor_only = {"cycling": {**SP1_THRESHOLDS["cycling"], "ftp": None, "ftp_indoor": 250}}
    cycling = sp1(thresholds=indoor_only, w_prime=None)["cycling"]
    assert cycling["ftp_used"] == 250 and cycling["w_prime_used"] is None
    a = cycling["anchors"]["300s"]
    assert a["coggan_watts"] == 265  # 250 × 1.06
    assert a["cp_model_watts"] is None and a["model_divergence_pct"] is None
    no_ftp = {"cycling": {**SP1_THRESHOLDS["cycling"], "ftp": None}}
    a = sp1(thresholds=no_ftp)["cycling"]["anchors"]["300s"]
    assert a["coggan_watts"] is None and a["cp_model_watts"] is None
    assert a["pct_lthr"] == 106.0


def test_tie_keeps_ride_as_the_outdoor_source():
    power = {
        "power:Ride": resp({300: 280, 600: 270}),
        "power:VirtualRide": resp({300: 280, 600: 270}),
    }
    a = sp1(activities=[act("Ride")], power_curves=power)["cycling"]["anchors"]
    assert a["300s"]["source"] == a["600s"]["source"] == "observed_outdoor"


def test_curves_of_other_windows_are_ignored():
    power = {"power:Ride": resp({300: 290, 600: 268}, curve_id="r.2026-02-23.2026-03-22")}
    assert sp1(activities=[act("Ride")], power_curves=power)["cycling"]["anchors"] is None


def test_missing_lthr_or_weight_leaves_the_ratios_null():
    profile = sp1(thresholds={}, wellness=[], athlete={})
    assert (profile["weight_kg"], profile["weight_source"]) == (None, None)
    a = profile["cycling"]["anchors"]["300s"]
    assert a["actual_wpkg"] is None and a["pct_lthr"] is None and a["coggan_watts"] is None


@pytest.mark.parametrize(
    ("wellness", "athlete", "expected"),
    [
        ([{"id": "2026-03-16", "weight": 70.0}], {}, (70.0, "wellness_recent")),  # T−6 is in 7d
        ([{"id": "2026-03-15", "weight": 70.0}], {}, (70.0, "wellness_extended")),  # T−7 is not
        ([{"id": "2026-02-23", "weight": 70.04}], {}, (70.0, "wellness_extended")),  # T−27
        ([{"id": "2026-02-22", "weight": 70.0}], {"icu_weight": 71.26}, (71.3, "athlete_profile")),
        ([{"id": "2026-03-20", "weight": 0}], {}, (None, None)),  # 0 is not a weight here
        ([], {"icu_weight": None}, (None, None)),
        # a record whose id is not a real date is in no window (it used to count when its text
        # sorted between the bounds)
        (
            [{"id": "2026-03-2/", "weight": 99.0}, {"id": "2026-02-23", "weight": 70.0}],
            {},
            (70.0, "wellness_extended"),
        ),
        ([{"id": "2026-02-30", "weight": 99.0}], {}, (None, None)),
    ],
)
def test_weight_source_chain(wellness, athlete, expected):
    assert sustainability_weight(wellness, athlete, TODAY) == expected


def test_ftp_staleness_counts_days_since_the_newest_change_in_either_series():
    history = {"indoor": {"2026-01-01": 250}, "outdoor": {"2025-12-01": 265, "2026-02-20": 270}}
    assert ftp_staleness_days(history, TODAY) == 30  # 2026-02-20 → 2026-03-22
    assert ftp_staleness_days({"indoor": {}, "outdoor": {}}, TODAY) is None
    assert ftp_staleness_days(None, TODAY) is None
    assert sp1(ftp_history=history)["cycling"]["ftp_staleness_days"] == 30
