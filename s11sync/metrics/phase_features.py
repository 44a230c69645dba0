"""Phase detection inputs: weekly rows, enrichment, stream features (docs/metrics.md, "Phase
detection"; tests/metrics/test_phase_live_rows.py).

Weekly row (dict) keys read by the classifier: `week_start` (ISO date), `total_tss`,
`primary_sport_tss`, `primary_sport`, `hard_days`, `activity_count`, `ctl_end`, `atl_end`, `acwr`,
`monotony`, `phase_detected`, and optionally `intensity_basis_breakdown` ({power, hr}).
Live rows are built here from the 28-day activities; history.json `weekly_180d` rows already have
this shape and feed backfill mode (`phase.backfill_phase`) directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from s11sync.dates import parse_day
from s11sync.metrics.load import weekly_monotony
from s11sync.metrics.race_calendar import nearest_a_or_b_race
from s11sync.metrics.zones import classify_day
from s11sync.numbers import mean
from s11sync.sports import family_of, is_strava_stub

TRAINING_CATEGORIES = frozenset({"WORKOUT", "RACE_A", "RACE_B", "RACE_C"})
A_OR_B = ("RACE_A", "RACE_B")
REPEAT_RE = re.compile("\\d\u00d7")  # a repeat block in a workout_summary
HARD_NAME_WORDS = (
    "interval",
    "vo2",
    "threshold",
    "sprint",
    "tempo",
    "race",
    "hard",
    "intensity",
    "sweet spot",
)
DEFAULT_EXPECTED_SESSIONS = 5


def week_start_of(day: date, week_start_day: int) -> date:
    """Start of the training week holding `day` (0 = Monday … 6 = Sunday)."""
    return day - timedelta(days=(day.weekday() - week_start_day) % 7)


def _load(activity: Mapping[str, Any]) -> float:
    return activity.get("icu_training_load") or 0


def _activities_by_day(activities: Iterable[Mapping[str, Any]]) -> dict[date, list]:
    by_day: dict[date, list] = {}
    for activity in activities or []:
        if not isinstance(activity, Mapping) or is_strava_stub(activity):
            continue
        day = parse_day(activity.get("start_date_local"))
        if day is not None:
            by_day.setdefault(day, []).append(activity)
    return by_day


def hard_day_count(
    by_day: Mapping[date, list], days: Iterable[date], zone_preference: Mapping[str, str]
) -> int:
    """Dates among `days` the hard-day ladder (docs/metrics.md, "Hard days") classifies
    as hard."""
    return sum(1 for d in days if by_day.get(d) and classify_day(by_day[d], zone_preference)[0])


def live_weekly_rows(
    today: date,
    week_start_day: int,
    activities_28d: Sequence[Mapping[str, Any]],
    primary_sport: str | None,
    zone_preference: Mapping[str, str],
    current: Mapping[str, Any] | None = None,
) -> list[dict]:
    """The 4 live rows, oldest → newest; the last is the in-progress week.

    `current` carries the in-progress row's ctl_end/atl_end/acwr/monotony (never read live).
    """
    by_day = _activities_by_day(activities_28d)
    ws0 = week_start_of(today, week_start_day)
    rows = []
    for back in (21, 14, 7, 0):
        ws = ws0 - timedelta(days=back)
        days = [ws + timedelta(days=k) for k in range(7)]
        acts = [a for d in days for a in by_day.get(d, [])]
        rows.append(
            {
                "week_start": ws.isoformat(),
                "total_tss": round(sum(_load(a) for a in acts)),
                "primary_sport_tss": round(
                    sum(
                        _load(a)
                        for a in acts
                        if primary_sport is not None and family_of(a.get("type")) == primary_sport
                    )
                ),
                "primary_sport": primary_sport,
                "hard_days": hard_day_count(by_day, days, zone_preference),
                "activity_count": len(acts),
            }
        )
    cur = current or {}
    ctl, atl = cur.get("ctl"), cur.get("atl")
    rows[-1].update(
        {
            "ctl_end": round(ctl, 1) if ctl else None,
            "atl_end": round(atl, 1) if atl else None,
            "acwr": cur.get("acwr"),
            "monotony": cur.get("monotony"),
        }
    )
    return rows


def _last_truthy_in_week(wellness: Sequence[Mapping[str, Any]], ws: date, key: str) -> float | None:
    value = None
    for record in sorted(
        (r for r in wellness or [] if isinstance(r, Mapping)), key=lambda r: str(r.get("id"))
    ):
        day = parse_day(record.get("id"))
        if day is not None and ws <= day <= ws + timedelta(days=6) and record.get(key):
            value = record[key]
    return round(value, 1) if value else None


def enrich_live_rows(
    rows: list[dict],
    history_weekly: list[dict] | None,
    wellness: Sequence[Mapping[str, Any]],
    activities_28d: Sequence[Mapping[str, Any]],
    previous_latest: Mapping[str, Any] | None,
) -> None:
    """Fill the completed live rows in place.

    The original matched only the last 4 history rows and left most completed live rows without
    CTL, ACWR, monotony or phase, which silenced stream 1, Peak, Recovery, Deload and hysteresis.

    (a) every `weekly_180d` row is indexed by week_start (not only the last 4); ctl_end, atl_end,
    acwr, monotony are copied when the live row lacks them, phase_detected whenever the history row
    has the key. (b) still-missing ctl_end/atl_end come from the wellness records of that week,
    monotony from the activities (history's weekly definitions); acwr stays history-only.
    (c) a missing previous phase falls back to the previous latest.json's phase when its
    `metadata.last_updated` date lies inside the last completed week.
    """
    index = {
        str(r.get("week_start"))[:10]: r for r in history_weekly or [] if isinstance(r, Mapping)
    }
    by_day = _activities_by_day(activities_28d)
    for row in rows[:-1]:
        hist = index.get(row["week_start"])
        if hist is not None:
            for key in ("ctl_end", "atl_end", "acwr", "monotony"):
                if row.get(key) is None:
                    row[key] = hist.get(key)
            if "phase_detected" in hist:
                row["phase_detected"] = hist["phase_detected"]
        ws = date.fromisoformat(row["week_start"])
        if row.get("ctl_end") is None:
            row["ctl_end"] = _last_truthy_in_week(wellness, ws, "ctl")
        if row.get("atl_end") is None:
            row["atl_end"] = _last_truthy_in_week(wellness, ws, "atl")
        if row.get("monotony") is None:
            daily = [
                sum(_load(a) for a in by_day.get(ws + timedelta(days=k), [])) for k in range(7)
            ]
            row["monotony"] = weekly_monotony(daily)
        row.setdefault("acwr", None)
    if len(rows) >= 2 and rows[-2].get("phase_detected") is None:
        fallback = _previous_latest_phase(
            previous_latest, date.fromisoformat(rows[-2]["week_start"])
        )
        if fallback is not None:
            rows[-2]["phase_detected"] = fallback


def _previous_latest_phase(previous_latest: Mapping[str, Any] | None, ws: date) -> str | None:
    if not isinstance(previous_latest, Mapping):
        return None
    updated = parse_day((previous_latest.get("metadata") or {}).get("last_updated"))
    if updated is None or not ws <= updated <= ws + timedelta(days=6):
        return None
    detection = (previous_latest.get("derived_metrics") or {}).get("phase_detection") or {}
    phase = detection.get("phase")
    return phase if isinstance(phase, str) else None


# -- Stream 1: retrospective -----------------------------------------------------------------------


def ls_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (x, y) points, 2 dp; None with fewer than 2 points or one x."""
    if len(points) < 2:
        return None
    mx = mean([x for x, _ in points])
    my = mean([y for _, y in points])
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return round(sum((x - mx) * (y - my) for x, y in points) / sxx, 2)


def has_training_data(row: Mapping[str, Any]) -> bool:
    """True when a weekly row says anything about training: an activity, some load or a CTL value.
    A week before the account existed, or of an account with nothing in it, is not evidence of a
    Base phase: it does not count as an available week."""
    return bool(
        (row.get("activity_count") or 0) > 0
        or (row.get("total_tss") or 0) > 0
        or isinstance(row.get("ctl_end"), (int, float))
    )


def stream1_features(rows: list[dict], backfill: bool) -> dict:
    """Retrospective features from the finalized rows; the CTL slope regresses over the real
    week offsets, so a week without CTL does not inflate it."""
    finalized = rows if backfill or len(rows) < 2 else rows[:-1]
    recent = finalized[-4:]
    ctl_points = [
        (i, r["ctl_end"])
        for i, r in enumerate(recent)
        if isinstance(r.get("ctl_end"), (int, float))
    ]
    acwrs = [r["acwr"] for r in recent if isinstance(r.get("acwr"), (int, float))]
    monos = [r["monotony"] for r in recent if isinstance(r.get("monotony"), (int, float))]
    hard = [r.get("hard_days") or 0 for r in recent]
    acwr_trend = None
    if len(acwrs) >= 2:
        d = round(acwrs[-1] - acwrs[0], 10)  # exactly ±0.1 is stable, whatever the float noise
        acwr_trend = "rising" if d > 0.1 else "falling" if d < -0.1 else "stable"
    return {
        "recent": recent,
        "weeks_available": sum(1 for r in rows if has_training_data(r)),
        "ctl_values": [y for _, y in ctl_points],
        "ctl_slope": ls_slope(ctl_points),
        "tss_values": [r.get("total_tss") or 0 for r in recent],
        "primary_tss_values": [r.get("primary_sport_tss") or 0 for r in recent],
        "acwr_trend": acwr_trend,
        "hard_day_values": hard,
        "hard_day_avg": round(mean(hard), 1) if recent else None,
        "monotony_trend": ("elevated" if monos[-1] > 2.5 else "normal")
        if len(monos) >= 2
        else None,
        "last_acwr": recent[-1].get("acwr") if recent else None,
    }


def _ge(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value >= limit


def stream1_suggestion(s1: dict) -> str | None:
    slope, hard = s1["ctl_slope"], s1["hard_day_avg"]
    if s1["monotony_trend"] == "elevated" and _ge(s1["last_acwr"], 1.5):
        return "Overreached"
    if (
        s1["monotony_trend"] == "elevated"
        and _ge(s1["last_acwr"], 1.3)
        and s1["acwr_trend"] == "rising"
    ):
        return "Overreached"
    if slope is None:
        return None
    if slope > 1.0 and _ge(hard, 1.5):
        return "Build"
    if -1.0 <= slope <= 1.0 and hard is not None and hard <= 1.5:
        return "Base"
    return None


# -- Stream 2: prospective -------------------------------------------------------------------------


def is_hard_session(workout: Mapping[str, Any]) -> bool:
    """Plain substring heuristic ("Orchard loop" matches `hard`).

    A summary marks a hard session when it holds a repeat block (`4×…`, a digit right before the
    ×) or sets; `2 × 1h @150W` (identical steady steps merged) does not."""
    summary = workout.get("workout_summary") or ""
    if not isinstance(summary, str):
        summary = ""
    if REPEAT_RE.search(summary) or "sets" in summary.lower():
        return True
    if str(workout.get("type") or "").upper() in ("RACE_A", "RACE_B", "RACE_C"):
        return True
    name = str(workout.get("name") or "").lower()
    return any(word in name for word in HARD_NAME_WORDS)


def stream2_features(
    rows: list[dict],
    s1: dict,
    today: date,
    week_start_day: int,
    planned_workouts: list[dict] | None,
    race_calendar: dict | None,
    primary_sport: str | None,
) -> dict:
    """Prospective features. The race is the nearest RACE_A/RACE_B (a RACE_C in front
    does not hide it); completed hard days are always reported, even with nothing planned."""
    completed_hard = (rows[-1].get("hard_days") or 0) if rows else 0
    f: dict[str, Any] = {
        "planned_tss_delta": None,
        "hard_sessions_planned": 0,
        "current_week_hard_days_completed": completed_hard,
        "current_week_hard_days_total": completed_hard,
        "race_proximity": None,
        "race_category": None,
        "next_week_tss_delta": None,
        "plan_coverage_current_week": 0.0,
        "plan_coverage_next_week": 0.0,
        "next_7d_sessions": 0,
    }
    race = nearest_a_or_b_race(race_calendar)
    if race is not None and race.get("days_until") is not None:
        f["race_proximity"] = race["days_until"]
        f["race_category"] = race.get("category")
    if not planned_workouts:
        return f
    week_end_day = (week_start_day - 1) % 7
    to_end = (week_end_day - today.weekday()) % 7
    cur_last = today + timedelta(days=to_end)
    next_last = cur_last + timedelta(days=7)
    current, upcoming = [], []
    for w in planned_workouts:
        if not isinstance(w, Mapping) or w.get("type") not in TRAINING_CATEGORIES:
            continue
        day = parse_day(w.get("date"))
        if day is None:
            continue
        if today <= day <= cur_last:
            current.append(w)
        elif cur_last < day <= next_last:
            upcoming.append(w)
    counts = [
        c for c in (r.get("activity_count") for r in rows[:-1][-4:]) if isinstance(c, (int, float))
    ]
    expected = max(1, round(mean(counts))) if counts else DEFAULT_EXPECTED_SESSIONS
    use_primary = primary_sport is not None and any(v > 0 for v in s1["primary_tss_values"])
    base = s1["primary_tss_values"] if use_primary else s1["tss_values"]
    avg_prev = mean(base[-3:]) if base else None

    def planned_tss(workouts: list) -> float:
        return sum(
            w.get("planned_tss") or 0
            for w in workouts
            if not use_primary or family_of(w.get("sport_type")) == primary_sport
        )

    now_tss, next_tss = planned_tss(current), planned_tss(upcoming)
    if avg_prev and avg_prev > 0 and now_tss > 0:
        f["planned_tss_delta"] = round(now_tss * 7 / (to_end + 1) / avg_prev, 2)
    if avg_prev and avg_prev > 0 and next_tss > 0:
        f["next_week_tss_delta"] = round(next_tss / avg_prev, 2)
    f["next_7d_sessions"] = len(current)
    f["plan_coverage_current_week"] = round(len(current) / expected, 2)
    f["plan_coverage_next_week"] = round(len(upcoming) / expected, 2)
    f["hard_sessions_planned"] = sum(1 for w in current if is_hard_session(w))
    f["current_week_hard_days_total"] = completed_hard + f["hard_sessions_planned"]
    return f


def _le(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and value <= limit


def stream2_suggestion(s2: dict) -> str | None:
    prox, cat, delta = s2["race_proximity"], s2["race_category"], s2["planned_tss_delta"]
    if _le(prox, 14) and cat in A_OR_B:
        return "Taper"
    if _le(prox, 21) and cat in A_OR_B and delta is not None and delta > 0.80:
        return "Peak"
    if _le(delta, 0.80) and _ge(s2["next_week_tss_delta"], 0.85):
        return "Deload"
    if _le(delta, 0.80) and s2["plan_coverage_next_week"] < 0.3:
        return None
    if _le(delta, 0.80):
        return "Deload"
    return None


# -- Data quality ----------------------------------------------------------------------------------


def data_quality(
    rows: list[dict], weeks: int, zone_preference: Mapping[str, str] | None
) -> tuple[str, list[str]]:
    quality, codes = "good", []
    if weeks < 3:
        quality = "poor"
        codes.append("INSUFFICIENT_LOOKBACK")
    last = rows[-4:]
    hr_only = 0
    for row in last:
        breakdown = row.get("intensity_basis_breakdown")
        if (
            isinstance(breakdown, Mapping)
            and (breakdown.get("hr") or 0) > 0
            and (breakdown.get("power") or 0) == 0
        ):
            hr_only += 1
    prefers_hr = any(v == "hr" for v in (zone_preference or {}).values())
    if last and hr_only > len(last) / 2 and not prefers_hr:
        codes.append("HR_ONLY_MAJORITY")
        if quality == "good":
            quality = "mixed"
    return quality, codes
