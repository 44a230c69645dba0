"""Phase detection: classifier ladder, Build/Base scoring, hysteresis, confidence, reason codes,
and the backfill mode history.json uses (docs/metrics.md, "Phase detection";
tests/metrics/test_phase_*.py).

Live use: `detect_phase` on the 4 live weekly rows (built and enriched in `phase_features.py`).
history.json: `backfill_phase` on its `weekly_180d` rows. Both run the same classifier.

Labels: Build, Base, Peak, Taper, Deload, Recovery, Overreached, or None. Deliberate
differences from the original: race proximity comes from the nearest RACE_A/RACE_B (a RACE_C in
front no longer hides it), the CTL slope regresses over the real week offsets, and completed hard
days are always reported. Kept as in the original: stream 2's deload rebound threshold (0.85, the
classifier uses 0.80; it only affects `stream_agreement`), `dossier_declared`/`dossier_agreement`
always null, and `weeks_available` counting rows rather than weeks with data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from s11sync.metrics.phase_features import (
    A_OR_B,
    data_quality,
    stream1_features,
    stream1_suggestion,
    stream2_features,
    stream2_suggestion,
)

PHASES = ("Build", "Base", "Peak", "Taper", "Deload", "Recovery", "Overreached")
CONFIDENCES = ("high", "medium", "low")
REDUCED = 0.80  # planned volume at or below 80 % of recent weeks counts as reduced


def _le(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value <= limit


def _gt(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value > limit


def _lt(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value < limit


def _ge(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value >= limit


def _deload_signal(s1: dict, s2: dict, reliable: bool, build_history: bool, weeks: int) -> bool:
    """Whether the evidence points to a deload week. Three paths:

    A. reduced planned load after a build, with a reliable plan;
    B. an unreliable plan after a build, with rising CTL and frequent hard days;
    C. nothing planned, at least 1.5 hard days a week over the previous three weeks and this
       week's load reduced against their mean (backfill only in practice).

    A and B apply only when no hard session is planned, or one among at least three sessions.
    """
    hard_planned, sessions = s2["hard_sessions_planned"], s2["next_7d_sessions"]
    delta = s2["planned_tss_delta"]
    gate = hard_planned == 0 or (hard_planned == 1 and sessions >= 3)
    path_a = gate and reliable and _le(delta, REDUCED) and build_history
    path_b = (
        gate
        and not path_a
        and sessions > 0
        and not reliable
        and build_history
        and _gt(s1["ctl_slope"], 1.0)
        and _ge(s1["hard_day_avg"], 2.0)
    )
    if path_a or path_b:
        return True
    tss, hard = s1["tss_values"], s1["hard_day_values"]
    if sessions != 0 or len(tss) < 4 or len(hard) < 4:
        return False
    cur, p3 = tss[-1], sum(tss[-4:-1]) / 3
    h3 = sum(hard[-4:-1]) / 3
    return h3 >= 1.5 and p3 > 0 and weeks >= 4 and cur / p3 <= REDUCED


def _deload_outcome(s2: dict) -> tuple[str, str, list[str]]:
    if _ge(s2["next_week_tss_delta"], REDUCED):
        return "Deload", "high", ["BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED"]
    if s2["plan_coverage_next_week"] < 0.3:
        return "Deload", "medium", ["PLAN_GAP_NEXT_WEEK"]
    return "Deload", "medium", ["BUILD_HISTORY_REDUCED_LOAD"]


def build_base_scores(s1: dict, s2: dict) -> tuple[int, int]:
    """Build/Base scoring: (build, base) points."""
    build = base = 0
    slope, hard = s1["ctl_slope"], s1["hard_day_avg"]
    if slope is not None:
        if slope > 2.0:
            build += 3
        elif slope > 1.0:
            build += 2
        elif slope > 0:
            build += 1
        elif slope >= -1.0:
            base += 2
    if hard is not None:
        if hard >= 2.5:
            build += 2
        elif hard >= 1.5:
            build += 1
        elif hard <= 1.0:
            base += 2
        else:
            base += 1
    if s1["acwr_trend"] == "rising":
        build += 1
    elif s1["acwr_trend"] in ("stable", "falling"):
        base += 1
    if s2["next_7d_sessions"] >= 3:
        if s2["current_week_hard_days_total"] >= 2:
            build += 1
        else:
            base += 1
    return build, base


def _score(s1: dict, s2: dict, quality: str, previous: str | None) -> tuple[str | None, str, list]:
    """Build/Base scoring, hysteresis, confidence and its post-adjustments."""
    build, base = build_base_scores(s1, s2)
    margin = build - base
    keep_previous = previous in ("Build", "Base")
    codes: list[str] = []
    if margin >= 2:
        phase: str | None = "Build"
    elif margin <= -2:
        phase = "Base"
    elif margin == 1:
        phase = previous if keep_previous else "Build"
    elif margin == -1:
        phase = previous if keep_previous else "Base"
    else:
        phase = previous if keep_previous else None
        if not keep_previous:
            codes.append("BUILD_BASE_AMBIGUOUS")
    if phase is None:
        confidence = "low"
    elif abs(margin) >= 3 and quality == "good":
        confidence = "high"
    elif abs(margin) >= 2 or quality == "good":
        confidence = "medium"
    else:
        confidence = "low"
    if (
        phase is not None
        and previous is not None
        and phase != previous
        and previous != "Overreached"
    ):
        codes.append(f"PHASE_TRANSITION_{previous}_TO_{phase}")
    if quality == "poor":
        confidence = "medium" if confidence == "high" else "low"
    if s2["plan_coverage_current_week"] == 0 and s2["plan_coverage_next_week"] == 0:
        if confidence == "high":
            confidence = "medium"
        codes.append("NO_PLANNED_WORKOUTS")
    return phase, confidence, codes


def classify(
    s1: dict, s2: dict, quality: str, previous: str | None
) -> tuple[str | None, str, list[str]]:
    """The classifier ladder, first match wins: (phase, confidence, classifier reason codes)."""
    weeks = s1["weeks_available"]
    delta = s2["planned_tss_delta"]
    reliable = delta is not None and s2["next_7d_sessions"] >= 3
    build_history = _gt(s1["ctl_slope"], 0) and _ge(s1["hard_day_avg"], 1.5) and weeks >= 3
    prox, category = s2["race_proximity"], s2["race_category"]
    hard_planned = s2["hard_sessions_planned"]
    poor = quality == "poor"

    if poor and weeks < 2:
        return None, "low", ["INSUFFICIENT_DATA"]
    if stream1_suggestion(s1) == "Overreached":
        return "Overreached", "high", ["SAFETY_ACWR_OR_MONOTONY"]
    if _le(prox, 14) and category in A_OR_B:
        if reliable and _le(delta, REDUCED):
            return "Taper", "high", ["RACE_IMMINENT_VOLUME_REDUCING"]
        return "Taper", "medium", ["RACE_IMMINENT"]
    ctl = s1["ctl_values"]
    if (
        _le(prox, 21)
        and category in A_OR_B
        and (not reliable or _gt(delta, REDUCED))
        and len(ctl) >= 3
        and ctl[-1] >= 0.95 * max(ctl)
        and _ge(s1["ctl_slope"], -0.5)
    ):
        return "Peak", "medium", ["RACE_APPROACHING_CTL_HIGH"]
    if _lt(s1["ctl_slope"], -1.0) and _lt(s1["hard_day_avg"], 0.5) and weeks >= 3:
        return "Recovery", "low" if poor else "medium", ["DECLINING_LOAD_NO_HARD_DAYS"]
    if previous == "Deload":
        if hard_planned >= 2:
            return "Build", "medium", ["BUILD_RESUMING_AFTER_DELOAD"]
        if hard_planned >= 1 or (
            s2["plan_coverage_current_week"] > 0 and (not reliable or _gt(delta, REDUCED))
        ):
            return "Build", "low", ["BUILD_RESUMING_AFTER_DELOAD_TENTATIVE"]
    if _deload_signal(s1, s2, reliable, build_history, weeks):
        return _deload_outcome(s2)
    if (
        reliable
        and _le(delta, REDUCED)
        and hard_planned <= 1
        and not build_history
        and _lt(s1["ctl_slope"], -1.0)
    ):
        return "Recovery", "low" if poor else "medium", ["NO_BUILD_HISTORY_LOW_LOAD"]
    return _score(s1, s2, quality, previous)


def _duration(rows: list[dict], phase: str | None) -> int:
    if phase is None:
        return 0
    weeks = 1
    for row in reversed(rows[:-1]):
        if row.get("phase_detected") != phase:
            break
        weeks += 1
    return weeks


def detect_phase(
    weekly_rows: list[dict],
    *,
    today: date,
    week_start_day: int = 0,
    planned_workouts: list[dict] | None = None,
    race_calendar: dict | None = None,
    primary_sport: str | None = None,
    zone_preference: Mapping[str, str] | None = None,
    backfill: bool = False,
) -> dict:
    """`phase_detection` (fixed key order) for weekly rows ordered oldest → newest.

    Live: the last row is the in-progress week and is excluded from stream 1. Backfill: the last
    row is the target week and counts. The previous phase is `weekly_rows[-2].phase_detected`.
    """
    rows = [r for r in weekly_rows if isinstance(r, Mapping)]
    s1 = stream1_features(rows, backfill)
    s2 = stream2_features(
        rows, s1, today, week_start_day, planned_workouts, race_calendar, primary_sport
    )
    quality, dq_codes = data_quality(rows, s1["weeks_available"], zone_preference)
    previous = rows[-2].get("phase_detected") if len(rows) >= 2 else None
    previous = previous if previous in PHASES else None
    phase, confidence, codes = classify(s1, s2, quality, previous)
    sugg1, sugg2 = stream1_suggestion(s1), stream2_suggestion(s2)
    return {
        "phase": phase,
        "confidence": confidence,
        "reason_codes": dq_codes + codes,
        "basis": {
            "stream_1": {
                "ctl_slope": s1["ctl_slope"],
                "acwr_trend": s1["acwr_trend"],
                "hard_day_pattern": s1["hard_day_avg"],
                "weeks_available": s1["weeks_available"],
            },
            "stream_2": {
                "planned_tss_delta": s2["planned_tss_delta"],
                "hard_sessions_planned": s2["hard_sessions_planned"],
                "current_week_hard_days_completed": s2["current_week_hard_days_completed"],
                "current_week_hard_days_total": s2["current_week_hard_days_total"],
                "race_proximity": s2["race_proximity"],
                "next_week_load": s2["next_week_tss_delta"],
                "plan_coverage_current_week": s2["plan_coverage_current_week"],
                "plan_coverage_next_week": s2["plan_coverage_next_week"],
            },
            "data_quality": quality,
            "stream_agreement": None if sugg1 is None or sugg2 is None else sugg1 == sugg2,
        },
        "previous_phase": previous,
        "phase_duration_weeks": _duration(rows, phase),
        "dossier_declared": None,
        "dossier_agreement": None,
    }


def backfill_phase_detection(
    weekly_rows: list[dict],
    zone_preference: Mapping[str, str] | None = None,
    last_row_in_progress: bool = True,
) -> list[dict | None]:
    """Like `backfill_phase`, but returns the full `phase_detection` object per row."""
    results: list[dict | None] = []
    computed: list[dict] = []
    for i, row in enumerate(weekly_rows):
        if last_row_in_progress and i == len(weekly_rows) - 1:
            results.append(None)
            break
        target = dict(row)
        window = computed[max(0, i - 3) : i] + [target]
        try:
            today = date.fromisoformat(str(row.get("week_start"))[:10])
        except ValueError:
            today = date.min
        detection = detect_phase(
            window, today=today, zone_preference=zone_preference, backfill=True
        )
        target["phase_detected"] = detection["phase"]
        computed.append(target)
        results.append(detection)
    return results


def backfill_phase(
    weekly_rows: list[dict],
    zone_preference: Mapping[str, str] | None = None,
    last_row_in_progress: bool = True,
) -> list[str | None]:
    """`phase_detected` for every history.json `weekly_180d` row (backfill mode).

    Args:
        weekly_rows: the `weekly_180d` rows, oldest → newest. Keys read: `week_start`
            (YYYY-MM-DD), `total_tss`, `hard_days`, `activity_count`, `ctl_end`, `atl_end`, `acwr`,
            `monotony`, `intensity_basis_breakdown` ({power, hr} or null). Any `phase_detected`
            already on the rows is ignored: phases are recomputed and chained.
        zone_preference: the athlete's ZONE_PREFERENCE (`Settings.zone_preference`); any "hr"
            value silences HR_ONLY_MAJORITY.
        last_row_in_progress: True (default) when the last row is the in-progress week; it is
            then not classified and gets None.

    Returns:
        A list of the same length as `weekly_rows`: the phase label (Build, Base, Peak, Taper,
        Deload, Recovery, Overreached) or None per row. Write element i to
        `weekly_180d[i].phase_detected`.

    Row i is classified on the window `weekly_rows[max(0, i−3) … i]` with the target week's own
    data counted, no planned workouts, no races, today = its week_start, and the previous phase =
    the phase just computed for row i−1 (None for the first row).
    """
    return [
        None if d is None else d["phase"]
        for d in backfill_phase_detection(weekly_rows, zone_preference, last_row_in_progress)
    ]
