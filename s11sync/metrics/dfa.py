"""Per-activity DFA α1 block of `intervals.json → activities[].dfa` (docs/metrics.md, "DFA alpha1";
tests/metrics/test_dfa.py).

α1 is not computed here: AlphaHRV computes it on the head unit and Intervals.icu serves it as the
1 Hz developer-field stream `dfa_a1`, with `artifacts` (% corrected beats in AlphaHRV's window).
This module only rolls those streams up: alignment, filter and quality, distribution, drift,
crossing bands with contiguous dwell and per-segment estimate eligibility, emitted in the key order
of `BLOCK_KEYS`.

One sample is one second and samples are addressed by their original stream index (a deliberate
simplification: pauses are not handled; the `time` stream is not used). Pure code: no I/O, no clock.
"""

from __future__ import annotations

import statistics
from typing import Any

from s11sync.numbers import finite, mean, rnd, rounded_mean

# Stream types the rollup reads. `time` is not needed (one sample = one second, see above).
DFA_STREAM_TYPES: tuple[str, ...] = ("dfa_a1", "artifacts", "heartrate", "watts")

DFA_MIN = 0.01  # AlphaHRV writes 0 as a "no value" sentinel
ARTIFACT_MAX_PCT = 5.0
MIN_VALID_SECS = 1200
MIN_VALID_PCT = 70.0
DRIFT_MIN_THIRD = 60
DRIFT_MAX_SUPRA_PCT = 15.0
BAND_HALF_WIDTH = 0.05
MIN_DWELL_SECS = 60
MAX_BRIDGE_SECS = 5
LOOKBACK_BEATS = 200
MAX_POWER_CV_PCT = 12.0

# (output key, marker α1), in output order.
MARKERS: tuple[tuple[str, float], ...] = (
    ("easy_guard_crossing", 1.0),
    ("lt1_crossing", 0.75),
    ("lt2_crossing", 0.5),
)
BAND_KEYS: tuple[str, ...] = ("tiz_easy", "tiz_endurance", "tiz_tempo", "tiz_supra")
BLOCK_KEYS: tuple[str, ...] = (
    "avg",
    "p25",
    "p50",
    "p75",
    *BAND_KEYS,
    "drift",
    *(key for key, _ in MARKERS),
    "quality",
)

OK = "ok"
# Dwell reasons and segment eligibility reasons, the latter in priority order (the first that
# applies is reported).
NO_SAMPLES = "no_samples_in_band"
INSUFFICIENT_DWELL = "insufficient_total_dwell"
NO_CONTIGUOUS = "no_contiguous_dwell"
ELIGIBILITY_PRIORITY: tuple[str, ...] = (
    "lookback_incomplete",
    "lookback_gap",
    "unknown_artifact",
    "excessive_artifact",
    "unknown_hr",
    "unknown_power",
    "non_positive_power_mean",
    "non_stationary_power",
)


def eligibility_rank(reason: str) -> tuple[int, str]:
    """Sort key: known reasons in priority order, unknown ones after them, then alphabetical."""
    try:
        return ELIGIBILITY_PRIORITY.index(reason), reason
    except ValueError:
        return len(ELIGIBILITY_PRIORITY), reason


# ---- stream selection and outcome ----------------------------------------------------------------


def streams_by_type(streams: Any) -> dict[str, list]:
    """type → data for the wanted stream objects whose `data` is a list (a later duplicate wins)."""
    out: dict[str, list] = {}
    if not isinstance(streams, list):
        return out
    for stream in streams:
        if not isinstance(stream, dict):
            continue
        kind = stream.get("type")
        data = stream.get("data")
        if kind in DFA_STREAM_TYPES and isinstance(data, list):
            out[kind] = data
    return out


def classify_streams(streams: Any, activity: dict) -> tuple[str, dict | None]:
    """Outcome of an HTTP 200 streams payload.

    * ("ok", block) — non-empty `dfa_a1` and a block was computed (sufficient or not);
    * ("no_data_final", None) — `heartrate` or `watts` has samples but `dfa_a1` is missing or empty:
      the recording is processed and has no AlphaHRV field (tombstone `no_data`, so it is not
      downloaded again and again; docs/files.md, "`intervals.json`");
    * ("no_data", None) — none of the streams yet (also a payload that is not a list): pending;
    * ("compute_error", None) — the computation raised (pending `compute_error`).
    """
    by_type = streams_by_type(streams)
    if not by_type.get("dfa_a1"):
        if by_type.get("heartrate") or by_type.get("watts"):
            return "no_data_final", None
        return "no_data", None
    try:
        block = dfa_block(streams, activity)
    except Exception:  # noqa: BLE001 — any failure of the rollup is the compute_error outcome
        return "compute_error", None
    if block is None:
        return "no_data", None
    return "ok", block


# ---- alignment and normalisation -----------------------------------------------------------------


def _aligned(data: list | None, n: int) -> list[float | None]:
    """Pad with None / truncate to n, then F(); a missing or empty stream is all None."""
    if not data:
        return [None] * n
    values = list(data[:n]) + [None] * max(0, n - len(data))
    return [finite(v) for v in values]


def _valid(d: float | None, a: float | None) -> bool:
    """Usable sample: α1 ≥ 0.01 and artifacts unknown or ≤ 5 % (unknown does not exclude)."""
    return d is not None and d >= DFA_MIN and (a is None or a <= ARTIFACT_MAX_PCT)


# ---- the block -----------------------------------------------------------------------------------


def dfa_block(streams: list[dict], activity: dict) -> dict | None:
    """The `dfa` block; None when there is no `dfa_a1` sample at all (n = 0).

    `activity` is accepted for the wiring contract; the rollup itself depends on the streams only.
    """
    by_type = streams_by_type(streams)
    raw_dfa = by_type.get("dfa_a1")
    if not raw_dfa:
        return None
    n = len(raw_dfa)
    dfa = [finite(v) for v in raw_dfa]
    hr = _aligned(by_type.get("heartrate"), n)
    watts = _aligned(by_type.get("watts"), n)
    art = [a if a is not None and a >= 0 else None for a in _aligned(by_type.get("artifacts"), n)]

    vidx = [i for i in range(n) if _valid(dfa[i], art[i])]
    quality = _quality(n, len(vidx), art)
    block: dict[str, Any] = {key: None for key in BLOCK_KEYS}
    block["quality"] = quality
    if not quality["sufficient"]:
        return block

    vd = [
        d for d in (dfa[i] for i in vidx) if d is not None
    ]  # no-op filter: _valid() excludes None
    count = len(vd)
    ordered = sorted(vd)
    block["avg"] = rnd(mean(vd), 3)
    block["p25"] = rnd(ordered[count // 4], 3)
    block["p50"] = rnd(ordered[count // 2], 3)
    block["p75"] = rnd(ordered[(3 * count) // 4], 3)
    for key in BAND_KEYS:
        block[key] = _band(key, vidx, dfa, hr, watts)
    block["drift"] = _drift(vd, block["tiz_supra"])
    for key, marker in MARKERS:
        block[key] = _crossing(marker, vidx, dfa, hr, watts, art)
    return block


# ---- quality -------------------------------------------------------------------------------------


def _quality(n: int, valid: int, art: list[float | None]) -> dict[str, Any]:
    observed = [a for a in art if a is not None]
    obs = len(observed)
    valid_pct = rnd(100 * valid / n, 1)
    if obs == 0:
        state = "absent"
    elif obs == n:
        state = "complete"
    else:
        state = "partial"
    return {
        "valid_secs": valid,
        "total_secs": n,
        "valid_pct": valid_pct,
        "artifact_state": state,
        "artifact_coverage_pct": rnd(100 * obs / n, 3),
        "artifact_rate_avg": rnd(mean(observed), 2) if observed else None,
        # The rounded valid_pct is compared, as the documented field is the rounded one
        # (69.96 → 70.0 passes).
        "sufficient": valid >= MIN_VALID_SECS and valid_pct >= MIN_VALID_PCT,
    }


# ---- bands ---------------------------------------------------------------------------------------


def in_band(key: str, d: float) -> bool:
    """Time-in-zone bands: easy > 1.0 ≥ endurance ≥ 0.75 > tempo ≥ 0.5 > supra."""
    if key == "tiz_easy":
        return d > 1.0
    if key == "tiz_endurance":
        return 0.75 <= d <= 1.0
    if key == "tiz_tempo":
        return 0.5 <= d < 0.75
    return d < 0.5


def _band(key: str, vidx: list[int], dfa, hr, watts) -> dict[str, Any] | None:
    members = [i for i in vidx if in_band(key, dfa[i])]
    if not members:
        return None
    # HR samples ≤ 0 bpm are sensor dropouts, left out of avg_hr; watts zeros stay.
    hrs = [hr[i] for i in members if hr[i] is not None and hr[i] > 0]
    ws = [watts[i] for i in members if watts[i] is not None]
    return {
        "secs": len(members),
        "pct": rnd(100 * len(members) / len(vidx), 1),
        "avg_hr": rounded_mean(hrs),
        "avg_watts": rounded_mean(ws),
    }


# ---- drift ---------------------------------------------------------------------------------------


def _drift(vd: list[float], supra: dict | None) -> dict[str, Any] | None:
    third = len(vd) // 3
    if third < DRIFT_MIN_THIRD:  # unreachable for sufficient blocks (14.8); kept as a guard
        return None
    first = rnd(mean(vd[:third]), 3)
    last = rnd(mean(vd[-third:]), 3)
    supra_pct = supra["pct"] if supra else 0.0
    return {
        "first_third_avg": first,
        "last_third_avg": last,
        "delta": rnd(last - first, 3),
        "interpretable": supra_pct <= DRIFT_MAX_SUPRA_PCT,
    }


# ---- crossings -----------------------------------------------------------------------------------


def segments_in_band(marker: float, vidx: list[int], dfa, hr, watts) -> tuple[int, list[dict]]:
    """(samples in the closed band [c − 0.05, c + 0.05], segments), gaps of ≤ 5 indices bridged.

    A segment: `count` in-band samples, `start`/`end` original indices, HR sums (> 0 bpm only) and
    watts sums over the non-null values of its in-band samples.
    """
    lo, hi = marker - BAND_HALF_WIDTH, marker + BAND_HALF_WIDTH
    total = 0
    segments: list[dict] = []
    last_o: int | None = None
    for o in vidx:
        if not lo <= dfa[o] <= hi:
            continue
        total += 1
        if last_o is None or o - last_o - 1 > MAX_BRIDGE_SECS:
            segments.append(
                {"count": 0, "start": o, "end": o, "hr_sum": 0.0, "hr_n": 0, "w_sum": 0.0, "w_n": 0}
            )
        seg = segments[-1]
        seg["count"] += 1
        seg["end"] = o
        if hr[o] is not None and hr[o] > 0:
            seg["hr_sum"] += hr[o]
            seg["hr_n"] += 1
        if watts[o] is not None:
            seg["w_sum"] += watts[o]
            seg["w_n"] += 1
        last_o = o
    return total, segments


def _pooled(segments: list[dict], sum_key: str, n_key: str) -> int | None:
    n = sum(seg[n_key] for seg in segments)
    if not segments or n == 0:
        return None
    return rnd(sum(seg[sum_key] for seg in segments) / n)


def _crossing(marker: float, vidx: list[int], dfa, hr, watts, art) -> dict[str, Any]:
    total, segments = segments_in_band(marker, vidx, dfa, hr, watts)
    qualifying = [seg for seg in segments if seg["count"] >= MIN_DWELL_SECS]
    if total == 0:
        reason = NO_SAMPLES
    elif total < MIN_DWELL_SECS:
        reason = INSUFFICIENT_DWELL
    elif not qualifying:
        reason = NO_CONTIGUOUS
    else:
        reason = OK
    seg_reasons = [
        segment_eligibility(seg["start"], seg["end"], hr, watts, art) for seg in qualifying
    ]
    failing = sorted((r for r in seg_reasons if r != OK), key=eligibility_rank)
    eligible = reason == OK and not failing
    if reason != OK:
        estimate_reason = reason
    elif eligible:
        estimate_reason = OK
    else:
        estimate_reason = failing[0]
    return {
        "marker_dfa_a1": marker,
        "secs_in_band": total,
        "contiguous_secs": max((seg["count"] for seg in segments), default=0),
        "n_qualifying_segments": len(qualifying),
        "n_eligible_segments": sum(1 for r in seg_reasons if r == OK),
        "reason": reason,
        "estimate_eligible": eligible,
        "estimate_reason": estimate_reason,
        "avg_hr": _pooled(qualifying, "hr_sum", "hr_n"),
        "avg_watts": _pooled(qualifying, "w_sum", "w_n"),
    }


# ---- segment eligibility -------------------------------------------------------------------------


def segment_eligibility(start: int, end: int, hr, watts, art) -> str:
    """Reason code for one qualifying segment judged over its 200-beat lookback plus itself.

    All lists are the aligned original-index lists (see `_aligned`). One sample = one second, so
    each sample holds hr / 60 beats (at 150 bpm the lookback is exactly 80 samples).
    """
    beats = 0.0
    i = start - 1
    while i >= 0 and beats < LOOKBACK_BEATS:
        if hr[i] is None or hr[i] <= 0:
            return "lookback_gap"
        beats += hr[i] / 60
        i -= 1
    if beats < LOOKBACK_BEATS:
        return "lookback_incomplete"
    span = range(i + 1, end + 1)
    if any(art[k] is None for k in span):
        return "unknown_artifact"
    if any(art[k] > ARTIFACT_MAX_PCT for k in span):
        return "excessive_artifact"
    if any(hr[k] is None or hr[k] <= 0 for k in span):
        return "unknown_hr"
    if any(watts[k] is None for k in span):
        return "unknown_power"
    ws = [watts[k] for k in span]
    mean_w = mean(ws)
    if mean_w <= 0:
        return "non_positive_power_mean"
    if 100 * statistics.pstdev(ws) / mean_w > MAX_POWER_CV_PCT:
        return "non_stationary_power"
    return OK
