"""Per-activity DFA α1 block (docs/metrics.md, "DFA alpha1"): reference fixtures A–K and CV
(values verified against the original script), plus hand-made situations on both sides of every
gate, band and threshold, and the outcome classification of a streams payload (a processed
recording without `dfa_a1` is final, not retried: docs/differences.md, "Files and publishing")."""

from __future__ import annotations

import math

import pytest

from s11sync.metrics import dfa as dfa_mod
from s11sync.metrics.dfa import DFA_STREAM_TYPES, classify_streams, dfa_block

BLOCK_KEYS = [
    "avg",
    "p25",
    "p50",
    "p75",
    "tiz_easy",
    "tiz_endurance",
    "tiz_tempo",
    "tiz_supra",
    "drift",
    "easy_guard_crossing",
    "lt1_crossing",
    "lt2_crossing",
    "quality",
]
CROSSING_KEYS = [
    "marker_dfa_a1",
    "secs_in_band",
    "contiguous_secs",
    "n_qualifying_segments",
    "n_eligible_segments",
    "reason",
    "estimate_eligible",
    "estimate_reason",
    "avg_hr",
    "avg_watts",
]
QUALITY_KEYS = [
    "valid_secs",
    "total_secs",
    "valid_pct",
    "artifact_state",
    "artifact_coverage_pct",
    "artifact_rate_avg",
    "sufficient",
]
ACTIVITY = {"id": "i1", "type": "Ride"}


class Rec:
    """Streams built from runs (dfa, hr, watts, artifacts, count), editable by original index."""

    def __init__(self, runs=()):
        self.d, self.hr, self.w, self.art = [], [], [], []
        self.add(runs)

    def add(self, runs):
        for d, hr, w, art, count in runs:
            self.d += [d] * count
            self.hr += [hr] * count
            self.w += [w] * count
            self.art += [art] * count
        return self

    def streams(self, artifacts=True, hr=True, watts=True):
        out = [{"type": "dfa_a1", "name": "DFA a1", "data": self.d, "custom": True}]
        if hr:
            out.append({"type": "heartrate", "name": None, "data": self.hr})
        if watts:
            out.append({"type": "watts", "name": None, "data": self.w})
        if artifacts:
            out.append({"type": "artifacts", "name": "Artifacts", "data": self.art, "custom": True})
        return out

    def block(self, **kw):
        return dfa_block(self.streams(**kw), ACTIVITY)


FIXTURE_A = [
    (1.2, 120, 150, 1.0, 300),
    (1.0, 130, 170, 1.0, 300),
    (0.75, 145, 200, 1.0, 600),
    (0.6, 155, 220, 1.0, 300),
    (0.5, 165, 250, 1.0, 150),
    (0.0, 160, 180, 1.0, 150),
]
PREFIX = [(1.3, 120, 150, 1.0, 1300)]  # targeted reason tests: indices 0–1299


def fixture_b():
    rec = Rec(FIXTURE_A)
    for i in range(900, 910):
        rec.art[i] = 8.0
    return rec


def crossing(marker, in_band, contiguous, n_q, n_e, reason, eligible, est_reason, hr, w):
    return dict(
        zip(
            CROSSING_KEYS,
            [marker, in_band, contiguous, n_q, n_e, reason, eligible, est_reason, hr, w],
        )
    )


# ---- reference fixtures A, B, C ------------------------------------------------------------------


def test_fixture_a_full_block():
    block = Rec(FIXTURE_A).block()
    assert list(block) == BLOCK_KEYS
    assert list(block["quality"]) == QUALITY_KEYS
    assert block["quality"] == {
        "valid_secs": 1650,
        "total_secs": 1800,
        "valid_pct": 91.7,
        "artifact_state": "complete",
        "artifact_coverage_pct": 100.0,
        "artifact_rate_avg": 1.0,
        "sufficient": True,
    }
    assert (block["avg"], block["p25"], block["p50"], block["p75"]) == (0.827, 0.6, 0.75, 1.0)
    assert block["tiz_easy"] == {"secs": 300, "pct": 18.2, "avg_hr": 120, "avg_watts": 150}
    assert block["tiz_endurance"] == {"secs": 900, "pct": 54.5, "avg_hr": 140, "avg_watts": 190}
    assert block["tiz_tempo"] == {"secs": 450, "pct": 27.3, "avg_hr": 158, "avg_watts": 230}
    assert block["tiz_supra"] is None
    assert block["drift"] == {
        "first_third_avg": 1.109,
        "last_third_avg": 0.6,
        "delta": -0.509,
        "interpretable": True,
    }
    assert block["easy_guard_crossing"] == crossing(1.0, 300, 300, 1, 1, "ok", True, "ok", 130, 170)
    assert block["lt1_crossing"] == crossing(0.75, 600, 600, 1, 1, "ok", True, "ok", 145, 200)
    assert block["lt2_crossing"] == crossing(0.5, 150, 150, 1, 1, "ok", True, "ok", 165, 250)
    for key, _ in dfa_mod.MARKERS:
        assert list(block[key]) == CROSSING_KEYS


def test_fixture_b_artifact_burst_splits_lt1_and_poisons_second_lookback():
    block = fixture_b().block()
    q = block["quality"]
    assert (q["valid_secs"], q["valid_pct"], q["artifact_rate_avg"]) == (1640, 91.1, 1.04)
    assert block["avg"] == 0.828
    assert (block["tiz_endurance"]["secs"], block["tiz_endurance"]["pct"]) == (890, 54.3)
    drift = block["drift"]
    thirds = (drift["first_third_avg"], drift["last_third_avg"], drift["delta"])
    assert thirds == (1.11, 0.599, -0.511)
    assert block["lt1_crossing"] == crossing(
        0.75, 590, 300, 2, 1, "ok", False, "excessive_artifact", 145, 200
    )


def test_fixture_c_no_artifacts_stream_is_sufficient_but_never_eligible():
    block = Rec(FIXTURE_A).block(artifacts=False)
    q = block["quality"]
    assert (q["artifact_state"], q["artifact_coverage_pct"], q["artifact_rate_avg"]) == (
        "absent",
        0.0,
        None,
    )
    assert q["sufficient"] is True
    expected_avgs = {
        "easy_guard_crossing": (130, 170),
        "lt1_crossing": (145, 200),
        "lt2_crossing": (165, 250),
    }
    for key, (hr, w) in expected_avgs.items():
        c = block[key]
        assert (c["reason"], c["estimate_eligible"], c["estimate_reason"]) == (
            "ok",
            False,
            "unknown_artifact",
        )
        assert (c["avg_hr"], c["avg_watts"]) == (hr, w)


# ---- targeted reason tests (prefix 1300 × (1.3, 120 bpm, 150 W, 1 %)) ----------------------


def lt1(rec):
    return rec.block()["lt1_crossing"]


def test_fixture_d_40s_in_band_is_insufficient_total_dwell():
    c = lt1(Rec(PREFIX).add([(0.75, 150, 200, 1.0, 40)]))
    assert (c["reason"], c["estimate_reason"], c["estimate_eligible"]) == (
        "insufficient_total_dwell",
        "insufficient_total_dwell",
        False,
    )
    assert (c["avg_hr"], c["avg_watts"], c["n_qualifying_segments"]) == (None, None, 0)


def test_fixture_e_10s_gap_breaks_dwell_into_two_35s_segments():
    rec = Rec(PREFIX).add(
        [(0.75, 150, 200, 1.0, 35), (0.9, 150, 200, 1.0, 10), (0.75, 150, 200, 1.0, 35)]
    )
    c = lt1(rec)
    assert (c["reason"], c["secs_in_band"], c["contiguous_secs"]) == ("no_contiguous_dwell", 70, 35)
    assert (c["avg_hr"], c["avg_watts"]) == (None, None)


def test_fixture_e2_5s_gap_is_bridged_and_lookback_power_makes_it_non_stationary():
    # Lookback at 120 bpm = 100 samples at 150 W; span 100 × 150 W + 75 × 200 W:
    # mean 171.43, pstdev 24.74 → CV 14.4 > 12.
    rec = Rec(PREFIX).add(
        [(0.75, 150, 200, 1.0, 35), (0.9, 150, 200, 1.0, 5), (0.75, 150, 200, 1.0, 35)]
    )
    c = lt1(rec)
    assert (c["contiguous_secs"], c["reason"], c["n_qualifying_segments"]) == (70, "ok", 1)
    assert (c["estimate_eligible"], c["estimate_reason"]) == (False, "non_stationary_power")


def test_fixture_f_alternating_power_is_non_stationary():
    rec = Rec(PREFIX)
    for k in range(6):
        rec.add([(0.75, 120, 100 if k % 2 == 0 else 300, 1.0, 30)])
    c = lt1(rec)
    assert (c["reason"], c["estimate_reason"]) == ("ok", "non_stationary_power")
    assert c["avg_watts"] == 200  # 90 × 100 + 90 × 300 over 180


def test_fixture_g_segment_at_stream_start_has_incomplete_lookback():
    c = lt1(Rec([(0.75, 120, 200, 1.0, 100), (1.3, 120, 150, 1.0, 1300)]))
    assert (c["reason"], c["estimate_reason"]) == ("ok", "lookback_incomplete")


def test_fixture_h_null_hr_inside_lookback_is_a_gap():
    rec = Rec(PREFIX).add([(0.75, 150, 200, 1.0, 100)])
    rec.hr[1290] = None
    assert lt1(rec)["estimate_reason"] == "lookback_gap"


def test_fixture_i_null_watts_inside_segment_is_unknown_power():
    rec = Rec(PREFIX).add([(0.75, 150, 200, 1.0, 100)])
    rec.w[1350] = None
    c = lt1(rec)
    assert (c["estimate_reason"], c["avg_watts"]) == ("unknown_power", 200)


def test_fixture_j_zero_power_everywhere_is_non_positive_mean():
    rec = Rec([(1.3, 120, 0, 1.0, 1300), (0.75, 150, 0, 1.0, 100)])
    c = lt1(rec)
    assert (c["estimate_reason"], c["avg_watts"]) == ("non_positive_power_mean", 0)


def test_fixture_k_zero_hr_is_unknown_hr_and_left_out_of_avg_hr():
    # Original: (99 × 150 + 0) / 100 = 148.5 → 148; s11sync (decision 8): 99 × 150 / 99 = 150.
    rec = Rec(PREFIX).add([(0.75, 150, 200, 1.0, 100)])
    rec.hr[1350] = 0
    c = lt1(rec)
    assert (c["estimate_reason"], c["avg_hr"]) == ("unknown_hr", 150)


@pytest.mark.parametrize(
    "lookback_watts, reason",
    [
        (200, "ok"),  # CV 0
        (160, "ok"),  # 80 × 160 + 100 × 200: mean 182.22, sd 19.88 → CV 10.91
        (150, "non_stationary_power"),  # 80 × 150 + 100 × 200: mean 177.78, sd 24.85 → CV 13.98
    ],
)
def test_fixture_cv_lookback_power_against_segment_power(lookback_watts, reason):
    rec = Rec(
        [
            (1.3, 150, 150, 1.0, 1220),
            (1.3, 150, lookback_watts, 1.0, 80),
            (0.75, 150, 200, 1.0, 100),
        ]
    )
    assert lt1(rec)["estimate_reason"] == reason


@pytest.mark.parametrize(
    "high, low, reason",
    [
        (112, 88, "ok"),  # 100 × 24 / 200 = 12.0 exactly: not > 12
        (113, 87, "non_stationary_power"),  # 100 × 26 / 200 = 13.0
    ],
)
def test_power_cv_at_exactly_twelve_percent_is_still_stationary(high, low, reason):
    # 150 bpm → lookback exactly 80 samples (80 × 2.5 = 200 beats); span 80 × low + 80 × high.
    rec = Rec([(1.3, 150, 100, 1.0, 1220), (1.3, 150, low, 1.0, 80), (0.75, 150, high, 1.0, 80)])
    assert lt1(rec)["estimate_reason"] == reason


# ---- alignment, validity and quality gates ---------------------------------------------------


def test_quality_gate_needs_1200_valid_seconds():
    assert Rec([(1.2, 120, 150, 1.0, 1200)]).block()["quality"]["sufficient"] is True
    short = Rec([(1.2, 120, 150, 1.0, 1199)]).block()
    assert short["quality"]["sufficient"] is False
    assert [k for k, v in short.items() if v is not None] == ["quality"]
    assert list(short) == BLOCK_KEYS


def test_quality_gate_compares_rounded_valid_pct():
    # 1749 valid of 2500 = 69.96 % → 70.0 passes (Decision 14.5); 1748 → 69.92 → 69.9 fails.
    passes = Rec([(1.2, 120, 150, 1.0, 1749), (0.0, 120, 150, 1.0, 751)]).block()["quality"]
    assert (passes["valid_pct"], passes["sufficient"]) == (70.0, True)
    fails = Rec([(1.2, 120, 150, 1.0, 1748), (0.0, 120, 150, 1.0, 752)]).block()["quality"]
    assert (fails["valid_pct"], fails["sufficient"]) == (69.9, False)


def test_sample_validity_edges():
    # dfa 0.01 counts, 0.0099 is a sentinel; artifacts 5.0 counts, 5.01 excludes;
    # unknown artifacts count.
    rec = Rec(
        [
            (0.01, 120, 150, 1.0, 1),
            (0.0099, 120, 150, 1.0, 1),
            (0.8, 120, 150, 5.0, 1),
            (0.8, 120, 150, 5.01, 1),
            (0.8, 120, 150, None, 1),
            (0.8, 120, 150, -1.0, 1),
        ]
    )
    q = rec.block()["quality"]
    # valid: 0.01, art 5.0, art None, art −1 (→ unknown) = 4 of 6 → 66.7 %.
    assert (q["valid_secs"], q["total_secs"], q["valid_pct"]) == (4, 6, 66.7)
    # observed artifacts: 1.0, 1.0, 5.0, 5.01 (None and −1 unknown) → 4/6 = 66.667 %, mean 3.0025.
    assert (q["artifact_state"], q["artifact_coverage_pct"], q["artifact_rate_avg"]) == (
        "partial",
        66.667,
        3.0,
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, "0.8", True, None, [0.8], 10**400])
def test_non_finite_or_non_numeric_alpha1_is_an_invalid_sample(bad):
    rec = Rec([(0.8, 120, 150, 1.0, 3)])
    rec.d[1] = bad
    q = rec.block()["quality"]
    assert (q["valid_secs"], q["total_secs"]) == (2, 3)


def test_artifact_coverage_keeps_three_decimals_so_99_96_is_not_100():
    rec = Rec([(1.2, 120, 150, 1.0, 2500)])
    rec.art[0] = None  # 2499 / 2500 = 99.96 %
    q = rec.block()["quality"]
    assert (q["artifact_state"], q["artifact_coverage_pct"]) == ("partial", 99.96)


def test_short_or_long_side_streams_are_padded_or_truncated_to_dfa_length():
    rec = Rec([(1.2, 120, 150, 1.0, 1300)])
    streams = rec.streams()
    streams[1]["data"] = rec.hr[:650] + [130] * 1000  # longer: truncated to 1300
    streams[2]["data"] = rec.w[:1000]  # shorter: padded with null
    streams[3]["data"] = rec.art[:1300] + [9.0] * 50  # extra samples ignored
    block = dfa_block(streams, ACTIVITY)
    # hr: 650 × 120 + 650 × 130 → 125; watts: 1000 non-null × 150.
    assert (block["tiz_easy"]["avg_hr"], block["tiz_easy"]["avg_watts"]) == (125, 150)
    assert block["quality"]["artifact_state"] == "complete"


def test_missing_hr_and_watts_give_null_band_and_crossing_averages():
    block = Rec(FIXTURE_A).block(hr=False, watts=False)
    assert block["tiz_easy"] == {"secs": 300, "pct": 18.2, "avg_hr": None, "avg_watts": None}
    c = block["lt1_crossing"]
    assert (c["avg_hr"], c["avg_watts"], c["estimate_reason"]) == (None, None, "lookback_gap")


def test_no_alpha1_samples_gives_no_block():
    assert dfa_block([], ACTIVITY) is None
    assert (
        dfa_block([{"type": "dfa_a1", "data": []}, {"type": "heartrate", "data": [1]}], ACTIVITY)
        is None
    )
    assert dfa_block([{"type": "heartrate", "data": [120] * 10}], ACTIVITY) is None


def test_all_null_alpha1_still_gives_an_insufficient_block():
    block = dfa_block([{"type": "dfa_a1", "data": [None] * 10}], ACTIVITY)
    assert block["quality"] == {
        "valid_secs": 0,
        "total_secs": 10,
        "valid_pct": 0.0,
        "artifact_state": "absent",
        "artifact_coverage_pct": 0.0,
        "artifact_rate_avg": None,
        "sufficient": False,
    }


# ---- bands and drift -----------------------------------------------------------------------------


def test_band_edges_are_closed_where_the_spec_says():
    # 1.0 → endurance, 1.0001 → easy, 0.75 → endurance, 0.7499 → tempo, 0.5 → tempo, 0.4999 → supra.
    rec = Rec(
        [
            (1.0001, 120, 100, 1.0, 400),
            (1.0, 120, 100, 1.0, 200),
            (0.75, 120, 100, 1.0, 200),
            (0.7499, 120, 100, 1.0, 200),
            (0.5, 120, 100, 1.0, 100),
            (0.4999, 120, 100, 1.0, 100),
        ]
    )
    block = rec.block()
    secs = [block[k]["secs"] for k in ("tiz_easy", "tiz_endurance", "tiz_tempo", "tiz_supra")]
    assert secs == [400, 400, 300, 100]
    # pct of N = 1200: 33.3 / 33.3 / 25.0 / 8.3
    assert [block[k]["pct"] for k in ("tiz_easy", "tiz_endurance", "tiz_tempo", "tiz_supra")] == [
        33.3,
        33.3,
        25.0,
        8.3,
    ]


def test_percentiles_are_index_picks_with_upper_median():
    # N = 1200 sorted: 600 × 0.6 then 600 × 1.2; p25 = [300] 0.6, p50 = [600] 1.2, p75 = [900] 1.2.
    block = Rec([(1.2, 120, 100, 1.0, 600), (0.6, 120, 100, 1.0, 600)]).block()
    assert (block["p25"], block["p50"], block["p75"]) == (0.6, 1.2, 1.2)


def test_band_avg_hr_skips_dropouts_but_avg_watts_keeps_zeros():
    rec = Rec([(1.2, 120, 200, 1.0, 1200)])
    for i in range(600):
        rec.hr[i] = 0 if i % 2 else -5  # dropouts: excluded from avg_hr
        rec.w[i] = 0  # real zeros: kept
    band = rec.block()["tiz_easy"]
    # hr: 600 × 120 → 120; watts: (600 × 0 + 600 × 200) / 1200 = 100.
    assert (band["avg_hr"], band["avg_watts"]) == (120, 100)


def test_band_average_rounds_half_to_even():
    # watts (600 × 156 + 600 × 157) / 1200 = 156.5 → 156; hr (120 + 121) / 2 = 120.5 → 120.
    band = Rec([(1.2, 120, 156, 1.0, 600), (1.2, 121, 157, 1.0, 600)]).block()["tiz_easy"]
    assert (band["avg_hr"], band["avg_watts"]) == (120, 156)


def test_drift_interpretable_boundary_exact():
    # N = 1300; supra 195 → 15.0 % interpretable; 196 → 15.1 % not.
    ok = Rec([(0.9, 120, 150, 1.0, 1105), (0.4, 150, 200, 1.0, 195)]).block()
    assert (ok["tiz_supra"]["pct"], ok["drift"]["interpretable"]) == (15.0, True)
    bad = Rec([(0.9, 120, 150, 1.0, 1104), (0.4, 150, 200, 1.0, 196)]).block()
    assert (bad["tiz_supra"]["pct"], bad["drift"]["interpretable"]) == (15.1, False)


def test_drift_thirds_use_compacted_valid_samples():
    # 400 × 1.2, 500 sentinels, 800 × 0.9, 400 × 0.6 → N = 1600 valid of 2100 (76.2 %), t = 533.
    # first 533: 400 × 1.2 + 133 × 0.9 = 599.7 / 533 = 1.12514 → 1.125
    # last 533: 133 × 0.9 + 400 × 0.6 = 359.7 / 533 = 0.67486 → 0.675; delta −0.45.
    rec = Rec(
        [
            (1.2, 120, 150, 1.0, 400),
            (0.0, 120, 150, 1.0, 500),
            (0.9, 120, 150, 1.0, 800),
            (0.6, 120, 150, 1.0, 400),
        ]
    )
    assert rec.block()["drift"] == {
        "first_third_avg": 1.125,
        "last_third_avg": 0.675,
        "delta": -0.45,
        "interpretable": True,
    }


# ---- crossings and segment eligibility: both sides of each rule ----------------------------------


@pytest.mark.parametrize("secs, reason", [(59, "no_contiguous_dwell"), (60, "ok")])
def test_contiguous_dwell_needs_sixty_in_band_samples(secs, reason):
    # Two runs of `secs` split by a 10-sample gap: total ≥ 60 either way; one segment must reach 60.
    rec = Rec(PREFIX).add(
        [(0.75, 120, 150, 1.0, secs), (0.9, 120, 150, 1.0, 10), (0.75, 120, 150, 1.0, secs)]
    )
    c = lt1(rec)
    assert (c["reason"], c["contiguous_secs"], c["secs_in_band"]) == (reason, secs, 2 * secs)
    assert c["n_qualifying_segments"] == (2 if secs == 60 else 0)


def test_total_dwell_of_exactly_sixty_is_enough_when_contiguous():
    c = lt1(Rec(PREFIX).add([(0.75, 120, 150, 1.0, 60)]))
    assert (c["reason"], c["estimate_reason"], c["contiguous_secs"]) == ("ok", "ok", 60)


@pytest.mark.parametrize("gap, segments", [(5, 1), (6, 2)])
def test_gaps_up_to_five_skipped_indices_are_bridged(gap, segments):
    # Invalid samples (sentinel 0.0) as the gap; bridged samples are not counted in the segment.
    rec = Rec(PREFIX).add(
        [(0.75, 120, 150, 1.0, 70), (0.0, 120, 150, 1.0, gap), (0.75, 120, 150, 1.0, 70)]
    )
    c = lt1(rec)
    assert c["n_qualifying_segments"] == segments
    assert c["contiguous_secs"] == (140 if segments == 1 else 70)


def test_marker_bands_are_closed_at_plus_minus_0_05():
    # easy guard 0.95–1.05: 0.95 and 1.05 are in, 0.9499 and 1.0501 out (80 samples each).
    rec = Rec(PREFIX).add(
        [
            (0.95, 120, 150, 1.0, 80),
            (0.9499, 120, 150, 1.0, 80),
            (1.05, 120, 150, 1.0, 80),
            (1.0501, 120, 150, 1.0, 80),
        ]
    )
    assert rec.block()["easy_guard_crossing"]["secs_in_band"] == 160


@pytest.mark.parametrize("start, reason", [(80, "ok"), (79, "lookback_incomplete")])
def test_lookback_at_150_bpm_is_exactly_80_samples(start, reason):
    # 80 × 150/60 = 200.0 beats: a segment starting at index 80 has a complete lookback, 79 not.
    rec = Rec([(1.3, 150, 200, 1.0, start), (0.75, 150, 200, 1.0, 100), (1.3, 150, 200, 1.0, 1300)])
    assert lt1(rec)["estimate_reason"] == reason


def test_lookback_only_checks_the_beats_it_consumes():
    # Null HR just before the 80-sample lookback (index 1219) is outside the span: still ok.
    rec = Rec([(1.3, 150, 200, 1.0, 1300), (0.75, 150, 200, 1.0, 100)])
    rec.hr[1219] = None
    assert lt1(rec)["estimate_reason"] == "ok"
    rec.hr[1220] = None
    assert lt1(rec)["estimate_reason"] == "lookback_gap"


def test_unknown_or_excessive_artifact_in_the_lookback_span():
    rec = Rec([(1.3, 150, 200, 1.0, 1300), (0.75, 150, 200, 1.0, 100)])
    rec.art[1220] = None  # first lookback sample: unknown (the sample is still valid)
    assert lt1(rec)["estimate_reason"] == "unknown_artifact"
    rec.art[1220] = 5.5  # > 5 %: excessive (the sample turns invalid, the span keeps it)
    assert lt1(rec)["estimate_reason"] == "excessive_artifact"
    rec.art[1220] = 5.0  # exactly 5 %: fine
    assert lt1(rec)["estimate_reason"] == "ok"


def test_coverage_checks_run_in_fixed_order_over_the_span():
    # unknown_hr at the segment end, a null artifact at its start: the artifact check comes first.
    rec = Rec([(1.3, 150, 200, 1.0, 1300), (0.75, 150, 200, 1.0, 100)])
    rec.hr[1399] = -1
    rec.art[1300] = None
    assert lt1(rec)["estimate_reason"] == "unknown_artifact"


def test_failing_segments_report_the_highest_priority_reason():
    # Segment 1 (1300–1399): unknown_power; segment 2 (1420–1519): excessive_artifact (earlier in
    # the priority order) → estimate_reason excessive_artifact; n_eligible 0; averages pooled.
    rec = Rec(
        [
            (1.3, 150, 200, 1.0, 1300),
            (0.75, 150, 200, 1.0, 100),
            (1.3, 150, 200, 1.0, 20),
            (0.75, 140, 100, 1.0, 100),
        ]
    )
    rec.w[1350] = None
    rec.art[1410] = 7.0  # in segment 2's lookback (80 samples at 150 bpm: 1340–1419)
    c = lt1(rec)
    assert (c["n_qualifying_segments"], c["n_eligible_segments"]) == (2, 0)
    assert (c["reason"], c["estimate_eligible"], c["estimate_reason"]) == (
        "ok",
        False,
        "excessive_artifact",
    )
    # hr: (100 × 150 + 100 × 140) / 200 = 145; watts: (99 × 200 + 100 × 100) / 199 = 149.75 → 150
    assert (c["avg_hr"], c["avg_watts"]) == (145, 150)


def test_short_segments_do_not_count_towards_averages():
    # 100 s at 200 W qualifies; a separate 40 s at 300 W does not, so avg_watts stays 200.
    rec = Rec(
        [
            (1.3, 150, 200, 1.0, 1300),
            (0.75, 150, 200, 1.0, 100),
            (1.3, 150, 200, 1.0, 20),
            (0.75, 150, 300, 1.0, 40),
        ]
    )
    c = lt1(rec)
    assert (c["secs_in_band"], c["contiguous_secs"], c["n_qualifying_segments"]) == (140, 100, 1)
    assert (c["avg_watts"], c["estimate_eligible"]) == (200, True)


def test_no_sample_in_band():
    c = Rec(PREFIX).block()["lt2_crossing"]
    assert c == crossing(
        0.5, 0, 0, 0, 0, "no_samples_in_band", False, "no_samples_in_band", None, None
    )


def test_unknown_segment_reasons_sort_after_known_ones():
    assert dfa_mod.eligibility_rank("non_stationary_power") < dfa_mod.eligibility_rank("aaa")
    assert dfa_mod.eligibility_rank("aaa") < dfa_mod.eligibility_rank("zzz")
    rank = dfa_mod.eligibility_rank
    assert rank("lookback_incomplete") < rank("lookback_gap")


# ---- streams outcome classification --------------------------------------------------------------


def test_requested_stream_types():
    assert set(DFA_STREAM_TYPES) == {"dfa_a1", "artifacts", "heartrate", "watts"}


def test_classify_ok_returns_the_block():
    outcome, block = classify_streams(Rec(FIXTURE_A).streams(), ACTIVITY)
    assert outcome == "ok"
    assert block == Rec(FIXTURE_A).block()


def test_classify_insufficient_block_is_still_ok():
    outcome, block = classify_streams(Rec([(1.2, 120, 150, 1.0, 100)]).streams(), ACTIVITY)
    assert outcome == "ok" and block["quality"]["sufficient"] is False


@pytest.mark.parametrize(
    "payload",
    [
        [],  # processing may be incomplete
        [{"type": "cadence", "data": [80, 81]}],  # none of the four streams
        [{"type": "artifacts", "data": [1.0, 1.0]}],  # artifacts alone is not evidence
        [{"type": "heartrate", "data": []}],  # an empty HR stream is not either
        [{"type": "heartrate", "data": None, "allNull": True}],
        {"unexpected": "object"},  # not a list
        None,
    ],
)
def test_classify_pending_no_data(payload):
    assert classify_streams(payload, ACTIVITY) == ("no_data", None)


@pytest.mark.parametrize(
    "payload",
    [
        [{"type": "heartrate", "data": [120, 121]}],
        [{"type": "watts", "data": [200, None]}, {"type": "time", "data": [0, 1]}],
        [{"type": "dfa_a1", "data": []}, {"type": "heartrate", "data": [120]}],
    ],
)
def test_classify_processed_recording_without_alphahrv_is_final(payload):
    assert classify_streams(payload, ACTIVITY) == ("no_data_final", None)


def test_classify_catches_a_failing_computation(monkeypatch):
    def boom(streams, activity):
        raise ValueError("broken stream")

    monkeypatch.setattr(dfa_mod, "dfa_block", boom)
    assert classify_streams(Rec(FIXTURE_A).streams(), ACTIVITY) == ("compute_error", None)


def test_odd_values_inside_streams_do_not_raise():
    rec = Rec(FIXTURE_A)
    rec.d[5] = "0.8"
    rec.hr[400] = "fast"
    rec.w[700] = {"w": 1}
    rec.art[10] = True
    streams = rec.streams() + ["not a stream", {"type": "dfa_a1"}]
    outcome, block = classify_streams(streams, ACTIVITY)
    assert outcome == "ok"
    assert block["quality"]["valid_secs"] == 1649
    assert block["quality"]["artifact_state"] == "partial"
