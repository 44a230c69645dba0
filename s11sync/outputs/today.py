"""The `today` block of latest.json (docs/files.md, "latest.json"): what to do today and why.

It sits right after `READ_THIS_FIRST` so that an AI coach reading only the top of the file can
answer "what should I do today, and why?". Pure: every number comes from a value another module
already computed (the planned_workouts entries, the readiness decision, current_status.fitness,
the alerts, the race calendar, the phase detection) and is passed in; this module only selects,
pairs and words them. The one planned ↔ completed matcher is `planned.paired_ids`.

Only the data freshness is new here: the newest activity and the newest measured wellness record
(a record with HRV, resting HR, sleep or weight; Intervals.icu returns a record for every day with
only CTL/ATL in it, which says nothing about the athlete).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.outputs.fitness import PLANNED_CATEGORIES
from s11sync.outputs.planned import paired_ids
from s11sync.windows import record_date

STALE_AFTER_DAYS = 2  # newest activity or measured wellness older than this: data is stale
MEASURED_WELLNESS = ("hrv", "restingHR", "sleepSecs", "weight")
SEVERITY_RANK = {"alarm": 0, "warning": 1, "info": 2}
KEY_RACES = ("RACE_A", "RACE_B")
PHASE_NOTE = (
    "This is the one training-phase answer (derived_metrics.phase_detection). "
    "derived_metrics.seasonal_context is the calendar season, not a phase; the phase labels of "
    "history.json weekly rows describe past weeks (the week in progress has none by design); "
    "readiness_decision.phase_context repeats this phase."
)
SIGNAL_WORDS = {
    "hrv": "HRV",
    "rhr": "resting HR",
    "sleep": "sleep",
    "acwr": "ACWR",
    "ri": "recovery index",
    "tsb": "form (TSB)",
}


def _day_of(stamp: Any) -> str | None:
    return stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else None


def _completed(activity: dict[str, Any], shown: dict[str, Any] | None) -> dict[str, Any]:
    """The paired activity as recent_activities shows it (anonymised name, TSS, duration)."""
    row = shown or {}
    start = row.get("date") if shown is not None else activity.get("start_date_local")
    return {
        "id": activity.get("id"),
        "name": row.get("name"),
        "type": row.get("type", activity.get("type")),
        "start_time": (start[11:16] or None) if isinstance(start, str) else None,
        "tss": row.get("tss"),
        "duration_formatted": row.get("duration_formatted") or fmt_dur(activity.get("moving_time")),
    }


def planned_sessions(
    planned: list[dict[str, Any]],
    events: list[dict[str, Any]],
    activities: list[dict[str, Any]],
    today: date,
    recent_activities: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each planned session (WORKOUT or RACE_*) dated today, with `done` and its paired activity.

    Pairing reads the raw `activities` (their `paired_event_id`); what is shown of a completed
    activity comes from its `recent_activities` row, so names stay anonymised as there."""
    shown = {str(r.get("id")): r for r in recent_activities or [] if isinstance(r, dict)}
    today_iso = today.isoformat()
    # sessions only: a NOTE, HOLIDAY or SICK entry of today is not something to train
    todays = [
        p for p in planned if p.get("date") == today_iso and p.get("type") in PLANNED_CATEGORIES
    ]
    todays_ids = {str(p.get("id")) for p in todays}
    by_id = {str(a.get("id")): a for a in activities if isinstance(a, dict)}
    pairs = paired_ids([e for e in events if str(e.get("id")) in todays_ids], activities)
    done_by: dict[str, dict[str, Any]] = {}
    for event_id, activity_id in pairs:
        activity = by_id.get(activity_id)
        if activity is not None and record_date(activity) == today_iso:
            done_by.setdefault(event_id, activity)
    sessions = []
    for entry in todays:
        activity = done_by.get(str(entry.get("id")))
        sessions.append(
            {
                "id": entry.get("id"),
                "name": entry.get("name"),
                "category": entry.get("type"),
                "sport_type": entry.get("sport_type"),
                "start_time": entry.get("start_time"),
                "summary": entry.get("workout_summary"),
                "planned_tss": entry.get("planned_tss"),
                "duration_formatted": entry.get("duration_formatted"),
                "done": activity is not None,
                "completed_activity": (
                    _completed(activity, shown.get(str(activity.get("id"))))
                    if activity is not None
                    else None
                ),
            }
        )
    return sessions


def _label(session: dict[str, Any]) -> str:
    name = session.get("name") or session.get("category") or "session"
    sport = session.get("sport_type")
    return f"{name} ({sport})" if sport and sport != name else str(name)


def remaining_plan(sessions: list[dict[str, Any]]) -> str:
    """The rest of today's plan in one plain sentence."""
    if not sessions:
        return "Nothing is planned for today."
    done = [_label(s) for s in sessions if s["done"]]
    left = [s for s in sessions if not s["done"]]
    done_text = f"Already done: {', '.join(done)}. " if done else ""
    if not left:
        return f"{done_text}Nothing else is planned for today."
    parts = []
    for session in left:
        detail = [d for d in (session.get("summary"), session.get("duration_formatted")) if d]
        if session.get("planned_tss") is not None:
            detail.append(f"{session['planned_tss']} TSS planned")
        text = _label(session)
        parts.append(f"{text}: {', '.join(detail)}" if detail else text)
    return f"{done_text}Still to do: {'; '.join(parts)}."


def readiness_sentence(decision: dict[str, Any]) -> str | None:
    """readiness_decision in one plain sentence (its audit string stays in `reason_detail`)."""
    recommendation = decision.get("recommendation")
    if recommendation is None:
        return None
    summary = decision.get("signal_summary") or {}
    missing = decision.get("missing_signals") or []
    if recommendation == "insufficient_data":
        return (
            f"No readiness call: {len(missing)} of 6 signals are missing ({', '.join(missing)}), "
            "so decide by how the athlete feels and keep it easy if in doubt."
        )
    if recommendation == "go":
        text = f"Go: {summary.get('green', 0)} of 6 readiness signals are green"
        if summary.get("amber"):
            text += f", {summary['amber']} amber (below the phase threshold)"
        if summary.get("low"):
            text += ", ACWR is low (undertraining, not a fatigue sign)"
        if missing:
            text += f"; not known: {', '.join(missing)}"
        return text + "."
    audit = str(decision.get("reason") or "")
    why = audit.split(". ", 1)[1].rstrip(".") if ". " in audit else audit.rstrip(".")
    if decision.get("priority") == 2:
        why = _flagged(decision.get("signals") or {}) or why
    if recommendation == "modify":
        adjust = ((decision.get("modification") or {}).get("suggested_adjustments")) or {}
        how = [f"{adjust[k]} {k}" for k in ("intensity", "volume") if adjust.get(k) == "reduce"]
        if adjust.get("cap_zone"):
            how.append(f"stay at or below {adjust['cap_zone']}")
        text = f"Modify: {', '.join(how) or 'train lighter'}, because {why}"
        if decision.get("race_week_defers"):
            text += "; the race-week protocol comes first"
        return text + "."
    return f"Skip: rest today, because {why}."


def _flagged(signals: dict[str, Any]) -> str:
    """ "HRV and resting HR are amber" from the signal statuses (red first)."""
    parts = []
    for status in ("red", "amber"):
        names = [
            SIGNAL_WORDS.get(name, name)
            for name, signal in signals.items()
            if isinstance(signal, dict) and signal.get("status") == status
        ]
        if names:
            verb = "is" if len(names) == 1 else "are"
            joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            parts.append(f"{joined} {verb} {status}")
    return "; ".join(parts)


def worst_alert(alerts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most severe alert (alarm > warning > info), the lower tier first on a tie."""
    ranked = [a for a in alerts if isinstance(a, dict)]
    if not ranked:
        return None
    worst = min(
        ranked,
        key=lambda a: (SEVERITY_RANK.get(a.get("severity") or "", 3), a.get("tier") or 9),
    )
    return {key: worst.get(key) for key in ("metric", "severity", "tier", "context")}


def next_key_race(race_calendar: dict[str, Any] | None) -> dict[str, Any] | None:
    """The next A or B race of race_calendar.all_races (already sorted by date)."""
    for race in (race_calendar or {}).get("all_races") or []:
        if isinstance(race, dict) and race.get("category") in KEY_RACES:
            return {
                key: race.get(key) for key in ("name", "date", "category", "type", "days_until")
            }
    return None


def race_week_today(race_calendar: dict[str, Any] | None) -> dict[str, Any] | None:
    """Today's race-week protocol (label, load target, zones) when a race week is active."""
    week = (race_calendar or {}).get("race_week") or {}
    if not week.get("active"):
        return None
    today = week.get("today") or {}
    return {
        "event_name": week.get("event_name"),
        "current_day": week.get("current_day"),
        "label": today.get("label"),
        "load_target_tss": today.get("load_target_tss"),
        "zones": today.get("zones"),
    }


def _age(day: str | None, today: date) -> int | None:
    if day is None:
        return None
    try:
        return (today - date.fromisoformat(day)).days
    except ValueError:
        return None


def data_freshness(
    activities: list[dict[str, Any]], wellness: list[dict[str, Any]], today: date, lookback: int
) -> dict[str, Any]:
    """Newest activity and newest measured wellness record, their age and a stale flag."""
    today_iso = today.isoformat()
    activity_days = [d for a in activities if (d := record_date(a)) and d <= today_iso]
    wellness_days = [
        d
        for w in wellness
        if isinstance(w, dict)
        and any(w.get(field) for field in MEASURED_WELLNESS)
        and (d := _day_of(w.get("id")))
        and d <= today_iso
    ]
    newest_activity = max(activity_days) if activity_days else None
    newest_wellness = max(wellness_days) if wellness_days else None
    activity_age, wellness_age = _age(newest_activity, today), _age(newest_wellness, today)
    problems = []
    for plural, singular, newest, age in (
        ("activities", "activity", newest_activity, activity_age),
        ("measured wellness", "measured wellness day", newest_wellness, wellness_age),
    ):
        if newest is None:
            problems.append(f"no {plural} in the last {lookback} days")
        elif age is not None and age > STALE_AFTER_DAYS:
            problems.append(f"the newest {singular} is {age} days old ({newest})")
    if problems:
        note = f"Stale: {'; '.join(problems)}. Numbers that need them are missing or old."
    else:
        note = f"Fresh: activities and measured wellness are at most {STALE_AFTER_DAYS} days old."
    return {
        "newest_activity_date": newest_activity,
        "newest_activity_age_days": activity_age,
        "newest_wellness_date": newest_wellness,
        "newest_wellness_age_days": wellness_age,
        "stale": bool(problems),
        "note": note,
    }


def training_phase(phase_detection: dict[str, Any] | None) -> dict[str, Any]:
    detection = phase_detection or {}
    return {
        "phase": detection.get("phase"),
        "confidence": detection.get("confidence"),
        "note": PHASE_NOTE,
    }


def answer(
    today: date,
    sessions: list[dict[str, Any]],
    readiness: str | None,
    race_week: dict[str, Any] | None,
    freshness: dict[str, Any],
) -> str:
    """The short answer to "what should I do today, and why?"."""
    parts = [remaining_plan(sessions)]
    if race_week is not None and race_week.get("label"):
        parts.append(
            f"Race week {race_week.get('current_day')} of {race_week.get('event_name')}: "
            f"{race_week['label']}, zones {race_week.get('zones')}."
        )
    if readiness:
        parts.append(readiness)
    if freshness["stale"]:
        parts.append(freshness["note"])
    return f"{today.isoformat()}: " + " ".join(parts)


def build_today(
    today: date,
    *,
    planned: list[dict[str, Any]],
    events: list[dict[str, Any]],
    activities: list[dict[str, Any]],
    recent_activities: list[dict[str, Any]] | None,
    wellness: list[dict[str, Any]],
    lookback_days: int,
    fitness: dict[str, Any],
    readiness_decision: dict[str, Any] | None,
    alerts: list[dict[str, Any]] | None,
    race_calendar: dict[str, Any] | None,
    phase_detection: dict[str, Any] | None,
) -> dict[str, Any]:
    """The `today` block. `planned` are the planned_workouts entries, `activities` the run's
    activities (no Strava stubs), `recent_activities` their rows in latest.json, `wellness` the
    records searched for freshness."""
    sessions = planned_sessions(planned, events, activities, today, recent_activities)
    decision = readiness_decision or {}
    sentence = readiness_sentence(decision)
    week = race_week_today(race_calendar)
    freshness = data_freshness(activities, wellness, today, lookback_days)
    alert_list = alerts or []
    return {
        "date": today.isoformat(),
        "answer": answer(today, sessions, sentence, week, freshness),
        "planned_sessions": sessions,
        "remaining_plan": remaining_plan(sessions),
        "readiness": {
            "recommendation": decision.get("recommendation"),
            "why": sentence,
            "reason_detail": decision.get("reason"),
            "missing_signals": decision.get("missing_signals") or [],
        },
        "race_week_today": week,
        "fitness": {key: fitness.get(key) for key in ("ctl", "atl", "tsb")},
        "alerts": {"count": len(alert_list), "worst": worst_alert(alert_list)},
        "next_key_race": next_key_race(race_calendar),
        "training_phase": training_phase(phase_detection),
        "data_freshness": freshness,
    }
