"""history.json: three years of longitudinal context (docs/files.md, "history.json").

    build_history(activities, wellness, athlete, ftp_history, settings, today, now) -> document

Pure: the caller fetches (plan in s11sync.history.fetch_params), decides whether the file is due
(s11sync.history.due) and writes it. The rows themselves are in `s11sync.history.tiers`; this
module adds the document frame, `data_range`, `ftp_timeline`, `data_gaps` and `summaries`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from s11sync import __version__
from s11sync.cache import script_hash
from s11sync.config import Settings
from s11sync.history import tiers
from s11sync.history.tiers import Days, truthy
from s11sync.history.year_to_date import ytd_base
from s11sync.metrics.ftp_history import current_ftps, load_series
from s11sync.metrics.phase import backfill_phase
from s11sync.numbers import finite_number, rounded_mean
from s11sync.sports import is_strava_stub
from s11sync.units import athlete_units

SCHEMA_VERSION = 1
SOURCE = "Intervals.icu API"
MIN_GAP_DAYS = 3
DAYS_PER_MONTH = 30.44


# ---- derived inputs: activities and wellness by local date -------------------------------------


def _activity_date(activity: Mapping[str, Any]) -> str | None:
    value = activity.get("start_date_local")
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def index_days(
    activities: Sequence[Any],
    wellness: Sequence[Any],
    athlete: Mapping[str, Any],
    settings: Settings,
    today: date,
) -> Days:
    """Stubs dropped, duplicates (same id) dropped, activities and wellness keyed by local date."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for activity in activities:
        if not isinstance(activity, dict) or is_strava_stub(activity):
            continue
        key = activity.get("id")
        if key is not None:
            if str(key) in seen:
                continue
            seen.add(str(key))
        day = _activity_date(activity)
        if day is not None:
            by_date.setdefault(day, []).append(activity)
    by_well: dict[str, dict[str, Any]] = {}
    for record in wellness:
        if (
            isinstance(record, dict)
            and isinstance(record.get("id"), str)
            and len(record["id"]) >= 10
        ):
            by_well[record["id"][:10]] = record
    return Days(by_date, by_well, settings.zone_preference, athlete_units(dict(athlete)), today)


def data_range(index: Days, today: date) -> dict[str, Any]:
    """`{earliest, latest, total_months}`; `latest` is the last activity date (today with none)."""
    dates = sorted(index.activities)
    earliest = dates[0] if dates else today.isoformat()
    latest = dates[-1] if dates else today.isoformat()
    elapsed = (today - date.fromisoformat(earliest)).days
    return {
        "earliest": earliest,
        "latest": latest,
        "total_months": max(1, int(elapsed / DAYS_PER_MONTH)),
    }


# ---- data_gaps ---------------------------------------------------------------------------------


def data_gaps(activity_dates: Sequence[str], today: date) -> list[dict[str, Any]]:
    """Runs of ≥ 3 days without an activity between the first and last activity date, plus the
    ongoing trailing run (last activity → today) flagged `ongoing: true`, so a break that is still
    going on shows (docs/files.md, "history.json")."""
    if not activity_dates:
        return []
    active = {date.fromisoformat(d) for d in activity_dates}
    first, last = min(active), max(active)
    gaps: list[dict[str, Any]] = []
    run_start: date | None = None
    day = first
    while day <= last:
        if day in active:
            if run_start is not None and (day - run_start).days >= MIN_GAP_DAYS:
                gaps.append(_gap(run_start, day - timedelta(days=1)))
            run_start = None
        elif run_start is None:
            run_start = day
        day += timedelta(days=1)
    if (today - last).days >= MIN_GAP_DAYS:
        gaps.append({**_gap(last + timedelta(days=1), today), "ongoing": True})
    return gaps


def _gap(first: date, last: date) -> dict[str, Any]:
    return {
        "period": f"{first.isoformat()} to {last.isoformat()}",
        "days_missing": (last - first).days + 1,
    }


# ---- ftp_timeline ------------------------------------------------------------------------------


def ftp_timeline(ftp_history: Any, athlete: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """The stored FTP history, then today's settings when they differ from the last stored value
    of their series (`user_set`), sorted by (date, type). The cycling settings entry is the one the
    sport-threshold resolver picks (`current_ftps`), as everywhere else in the run."""
    series = load_series(ftp_history)
    entries = [
        {"date": day, "ftp": series[kind][day], "type": kind, "source": "FTP"}
        for kind in ("indoor", "outdoor")
        for day in sorted(series[kind])
    ]
    current = current_ftps(athlete)
    for kind in ("outdoor", "indoor"):
        dates = sorted(series[kind])
        recorded = series[kind][dates[-1]] if dates else None
        if current[kind] is not None and current[kind] != recorded:
            entries.append(
                {
                    "date": today.isoformat(),
                    "ftp": current[kind],
                    "type": kind,
                    "source": "user_set",
                }
            )
    return sorted(entries, key=lambda e: (e["date"], e["type"]))


# ---- summaries ---------------------------------------------------------------------------------


def _first_last(values: Sequence[Any]) -> tuple[Any, Any]:
    present = [v for v in (truthy(x) for x in values) if v is not None]
    if not present:
        return None, None
    return round(present[0], 1), round(present[-1], 1)


def _covered(rows: Sequence[Mapping[str, Any]], end_of, earliest: date) -> list[Mapping[str, Any]]:
    """The rows an average may use: all but the in-progress last one (a partial period would pull
    the mean down) and those that end before `earliest` (before the data began)."""
    return [row for row in rows[:-1] if end_of(row) >= earliest]


def _week_end(row: Mapping[str, Any]) -> date:
    return date.fromisoformat(row["week_start"]) + timedelta(days=6)


def _month_end(row: Mapping[str, Any]) -> date:
    year, month = (int(x) for x in row["month"].split("-"))
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _weekly_averages(covered: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The one weekly-average rule of the 90d and 180d summaries: the mean over the covered weeks,
    zero weeks included (a week off is part of the training), and how many weeks that is."""
    return {
        "avg_weekly_tss": rounded_mean([r["total_tss"] for r in covered], 0),
        "avg_weekly_hours": rounded_mean([r["total_hours"] for r in covered], 1),
        "weeks_covered": len(covered),
    }


def summaries(
    daily: Sequence[Mapping[str, Any]],
    weekly: Sequence[Mapping[str, Any]],
    monthly: Mapping[str, Sequence[Mapping[str, Any]]],
    earliest: date,
) -> dict[str, Any]:
    """The `summaries` block. The 90d and 180d weekly averages follow one rule: the mean over the
    covered weeks of weekly_180d (complete, not ending before data_range.earliest); for 90d only
    the weeks that lie wholly inside the daily_90d window. Each states its `weeks_covered`, so a
    three-week history reads as three weeks, not as 90 days with 69 empty ones."""
    out: dict[str, Any] = {}
    covered_weeks = _covered(weekly, _week_end, earliest)
    if daily:
        window_start = date.fromisoformat(daily[0]["date"])
        in_window = [
            r for r in covered_weeks if date.fromisoformat(r["week_start"]) >= window_start
        ]
        ctl_start, ctl_end = _first_last([r["ctl"] for r in daily])
        out["90d"] = {
            **_weekly_averages(in_window),
            "ctl_start": ctl_start,
            "ctl_end": ctl_end,
            # sessions, as the name says (the original counted active days: see active_days)
            "total_activities": sum(r["activity_count"] for r in daily),
            "active_days": sum(1 for r in daily if r["activity_count"] > 0),
            "rest_days": sum(1 for r in daily if r["activity_count"] == 0),
            "hard_days": sum(1 for r in daily if r["is_hard_day"] is True),
        }
    if weekly:
        ctl_start, ctl_end = _first_last([r["ctl_end"] for r in weekly])
        out["180d"] = {
            **_weekly_averages(covered_weeks),
            "ctl_start": ctl_start,
            "ctl_end": ctl_end,
            "weeks_tracked": len(weekly),
        }
    for years in (1, 2, 3):
        rows = monthly.get(f"monthly_{years}y") or []
        if not rows:
            continue
        covered = _covered(rows, _month_end, earliest)
        peaks = [r["ctl_peak"] for r in rows if finite_number(r["ctl_peak"]) is not None]
        lows = [r["ctl_low"] for r in rows if finite_number(r["ctl_low"]) is not None]
        out[f"{years}y"] = {
            "avg_monthly_tss": rounded_mean([r["total_tss"] for r in covered], 0),
            # the true extremes: max of the monthly peaks, min of the monthly lows
            "ctl_peak": round(max(peaks), 1) if peaks else None,
            "ctl_low": round(min(lows), 1) if lows else None,
            "months_tracked": len(rows),
        }
    return out


# ---- the document ------------------------------------------------------------------------------


def _timestamp(now: datetime) -> str:
    aware = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    return aware.replace(microsecond=0).isoformat()


def build_history(
    activities: list[dict],
    wellness: list[dict],
    athlete: dict,
    ftp_history: dict | None,
    settings: Settings,
    today: date,
    now: datetime,
) -> dict:
    """The history.json document. Tiers are chronological, oldest first."""
    athlete = athlete if isinstance(athlete, dict) else {}
    index = index_days(activities or [], wellness or [], athlete, settings, today)
    span = data_range(index, today)
    daily = tiers.daily_tier(index)
    weekly = tiers.weekly_tier(
        index,
        settings.week_start_index,
        # each completed week gets its phase (docs/metrics.md, "Phase detection")
        lambda rows: backfill_phase(rows, settings.zone_preference),
    )
    cache: dict[date, dict[str, Any]] = {}
    monthly = {
        f"monthly_{years}y": tiers.monthly_tier(index, years, span["total_months"], weekly, cache)
        for years in (1, 2, 3)
    }
    earliest = date.fromisoformat(span["earliest"])
    return {
        "generated_at": _timestamp(now),
        "schema_version": SCHEMA_VERSION,
        "source": SOURCE,
        "sync_version": __version__,
        "script_hash": script_hash(),
        "data_range": span,
        "ftp_timeline": ftp_timeline(ftp_history, athlete, today),
        "data_gaps": data_gaps(list(index.activities), today),
        "summaries": summaries(daily, weekly, monthly, earliest),
        "year_to_date_base": ytd_base(activities or [], today),
        "daily_90d": daily,
        "weekly_180d": weekly,
        **monthly,
    }
