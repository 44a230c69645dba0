"""The data folder's README.md and its two charts: pure, no I/O, no clock.

docs/files.md, "The data folder's README and charts", says what they are for.

    data_readme_files(documents) -> {"README.md": bytes, "fitness.svg": bytes, "weekly-load.svg": bytes}

Written for two readers: the athlete opening the data repository on a phone (a freshness line,
today's answer in words, the key numbers, two pictures) and an AI coach reading it through a
connector (which file answers what, and where to start: latest.json → READ_THIS_FIRST, `today`,
then the schemas). Everything comes from the documents of the run; nothing changes from run to
run unless the data does (no run timestamp), so an unchanged day commits nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from s11sync.numbers import finite_number
from s11sync.outputs.charts import fitness_svg, project_fitness, weekly_load_svg

README_NAME = "README.md"
FITNESS_CHART = "fitness.svg"
WEEKLY_CHART = "weekly-load.svg"
DATA_README_FILES = (README_NAME, FITNESS_CHART, WEEKLY_CHART)
PROJECTION_MAX_DAYS = 60  # beyond this the planned calendar is too thin to project from

FILES = (
    (
        "latest.json",
        "Start here. Today's answer (`today`), current fitness, readiness, alerts, the "
        "last 7 days, recent activities, wellness, the planned workouts and the race calendar.",
    ),
    (
        "history.json",
        "The long view: 90 daily rows, 180 days of calendar weeks, months for up to 3 "
        "years, the FTP timeline and data gaps. Use it for trends and comparisons.",
    ),
    (
        "intervals.json",
        "Interval-by-interval detail of recent structured sessions (what was done in each rep).",
    ),
    ("routes.json", "Terrain of planned events and recent outdoor sessions (climbs, elevation)."),
    ("ftp_history.json", "Every FTP change by date (indoor and outdoor), kept across runs."),
    (
        FITNESS_CHART,
        "Chart: fitness, fatigue and form over 90 days, with the projection to the next race.",
    ),
    (WEEKLY_CHART, "Chart: weekly training load by sport over 12 calendar weeks."),
    (
        "state/",
        "s11sync's own bookkeeping (curves stored for the next run): not training data, skip it.",
    ),
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _n(value: Any, digits: int = 1) -> str:
    number = finite_number(value)  # a bool, text, NaN or inf is shown as missing
    return "–" if number is None else f"{number:.{digits}f}"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _md(text: Any) -> str:
    """Plain text safe inside a Markdown line or table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def next_race(latest: Mapping[str, Any]) -> dict[str, Any] | None:
    """The next A/B race of the `today` block, else the race calendar's next race."""
    race = _dict(latest.get("today")).get("next_key_race")
    if not isinstance(race, dict):
        race = _dict(latest.get("race_calendar")).get("next_race")
    return race if isinstance(race, dict) and _day(race.get("date")) else None


def projection(latest: Mapping[str, Any]) -> list[Any]:
    """CTL/ATL/TSB projected from today to the next race with the planned loads (empty if none)."""
    today_block = _dict(latest.get("today"))
    today = _day(today_block.get("date"))
    fitness = _dict(today_block.get("fitness"))
    race = next_race(latest)
    ctl, atl = fitness.get("ctl"), fitness.get("atl")
    if (
        today is None
        or race is None
        or not isinstance(ctl, (int, float))
        or not isinstance(atl, (int, float))
    ):
        return []
    until = _day(race.get("date"))
    if until is None or not 0 < (until - today).days <= PROJECTION_MAX_DAYS:
        return []
    loads: dict[date, float] = {}
    for entry in _list(latest.get("planned_workouts")):
        day = _day(_dict(entry).get("date"))
        tss = _dict(entry).get("planned_tss")
        if (
            day is not None
            and today < day <= until
            and isinstance(tss, (int, float))
            and not isinstance(tss, bool)
        ):
            loads[day] = loads.get(day, 0.0) + float(tss)
    return project_fitness(float(ctl), float(atl), today, loads, until)


def _freshness(today: Mapping[str, Any]) -> str:
    fresh = _dict(today.get("data_freshness"))
    parts = [f"Data as of **{today.get('date') or 'unknown'}**"]
    if fresh.get("newest_activity_date"):
        parts.append(f"newest activity {fresh['newest_activity_date']}")
    if fresh.get("newest_wellness_date"):
        parts.append(f"newest wellness {fresh['newest_wellness_date']}")
    line = " · ".join(parts)
    if fresh.get("note"):
        line += f". {'⚠️ ' if fresh.get('stale') else ''}{_md(fresh['note'])}"
    return line


def _today_lines(today: Mapping[str, Any]) -> list[str]:
    lines = []
    if today.get("answer"):
        lines.append(f"**{_md(today['answer'])}**")
        lines.append("")
    sessions = [s for s in _list(today.get("planned_sessions")) if isinstance(s, dict)]
    for s in sessions:
        what = s.get("name") or s.get("category") or "session"
        bits = [
            b for b in (s.get("sport_type"), s.get("summary"), s.get("duration_formatted")) if b
        ]
        if isinstance(s.get("planned_tss"), (int, float)):
            bits.append(f"{s['planned_tss']:g} TSS planned")
        done = _dict(s.get("completed_activity"))
        status = (
            f"done ({_md(done.get('name') or done.get('type') or 'activity')}"
            f"{', ' + str(done['tss']) + ' TSS' if done.get('tss') is not None else ''})"
            if s.get("done")
            else "not done yet"
        )
        lines.append(f"- {_md(what)}: {_md(', '.join(str(b) for b in bits))} — {status}")
    if sessions:
        lines.append("")
    if today.get("remaining_plan"):
        lines.append(f"Remaining today: {_md(today['remaining_plan'])}")
    readiness = _dict(today.get("readiness"))
    if readiness.get("recommendation"):
        why = f" — {_md(readiness['why'])}" if readiness.get("why") else ""
        lines.append(f"Readiness: **{_md(readiness['recommendation'])}**{why}")
        missing = readiness.get("missing_signals") or []
        if missing:
            lines.append(f"Signals missing: {_md(', '.join(str(m) for m in missing))}")
    alerts = _dict(today.get("alerts"))
    worst = _dict(alerts.get("worst"))
    if alerts.get("count"):
        lines.append(
            f"Alerts: {alerts['count']} (worst: {_md(worst.get('metric'))}, "
            f"{_md(worst.get('severity'))})"
        )
    else:
        lines.append("Alerts: none")
    race = _dict(today.get("next_key_race"))
    if race.get("name"):
        lines.append(
            f"Next key race: {_md(race['name'])} ({_md(race.get('category') or '')}, "
            f"{_md(race.get('type') or '')}) on {race.get('date')}, in {race.get('days_until')} days"
        )
    phase = _dict(today.get("training_phase"))
    if phase.get("phase"):
        lines.append(
            f"Training phase: {_md(phase['phase'])} (confidence {_md(phase.get('confidence') or 'unknown')})"
        )
    return _joined(lines)


def _joined(lines: list[str]) -> list[str]:
    """Consecutive short lines as one paragraph with Markdown line breaks; blank lines kept."""
    out: list[str] = []
    for line in lines:
        if (
            line
            and out
            and out[-1]
            and not line.startswith("- ")
            and not out[-1].startswith(("- ", "**"))
        ):
            out[-1] += "  "
        out.append(line)
    return out


def _threshold_rows(latest: Mapping[str, Any]) -> list[tuple[str, str]]:
    thresholds = _dict(_dict(latest.get("current_status")).get("thresholds"))
    sports = _dict(thresholds.get("sports"))
    rows = []
    cycling = _dict(sports.get("cycling"))
    if cycling.get("ftp") is not None:
        indoor = (
            f" (indoor {cycling['ftp_indoor']} W)" if cycling.get("ftp_indoor") is not None else ""
        )
        rows.append(("FTP", f"{cycling['ftp']} W{indoor}"))
    if thresholds.get("eftp") is not None:
        rows.append(("eFTP (estimated)", f"{_n(thresholds['eftp'], 0)} W"))
    for sport in ("run", "swim"):
        shown = _dict(_dict(_dict(sports.get(sport)).get("display")).get("threshold_pace"))
        if shown.get("value"):
            rows.append(
                (
                    f"{sport.capitalize()} threshold pace",
                    f"{shown['value']} {shown.get('unit') or ''}".strip(),
                )
            )
    return rows


def _key_numbers(latest: Mapping[str, Any]) -> list[str]:
    fitness = _dict(_dict(latest.get("today")).get("fitness"))
    week = _dict(latest.get("weekly_summary"))
    derived = _dict(latest.get("derived_metrics"))
    rows = [
        ("Fitness (CTL)", _n(fitness.get("ctl"))),
        ("Fatigue (ATL)", _n(fitness.get("atl"))),
        ("Form (TSB)", _n(fitness.get("tsb"))),
    ]
    if derived.get("acwr") is not None:
        label = (
            f" ({_md(derived['acwr_interpretation'])})"
            if derived.get("acwr_interpretation")
            else ""
        )
        rows.append(("Acute:chronic load (ACWR)", f"{_n(derived['acwr'], 2)}{label}"))
    if week:
        total = week.get("total_training_formatted") or f"{_n(week.get('total_training_hours'))} h"
        rows.append(
            (
                "Last 7 days (rolling)",
                f"{total}, {week.get('total_tss', '–')} TSS, "
                f"{week.get('activities_count', '–')} activities",
            )
        )
        by_type = _dict(_dict(latest.get("summary")).get("by_activity_type"))
        if by_type:
            parts = [
                f"{_md(name)} {_dict(v).get('count', '–')}× {_n(_dict(v).get('duration_decimal_hours'))} h "
                f"{_dict(v).get('tss', '–')} TSS"
                for name, v in by_type.items()
            ]
            rows.append(("Last 7 days by activity type", " · ".join(parts)))
        if week.get("avg_hrv") is not None or week.get("avg_resting_hr") is not None:
            rows.append(
                (
                    "HRV / resting HR, 7-day average",
                    f"{_n(week.get('avg_hrv'))} ms / {_n(week.get('avg_resting_hr'))} bpm",
                )
            )
    rows.extend(_threshold_rows(latest))
    return ["| | |", "|---|---|", *(f"| {_md(k)} | {_md(v)} |" for k, v in rows)]


def build_data_readme(latest: Mapping[str, Any], has_projection: bool = False) -> str:
    """The README.md text of the data folder."""
    today = _dict(latest.get("today"))
    out = ["# Training data", "", _freshness(today), "", "## Today", ""]
    out += _today_lines(today)
    out += ["", "## Key numbers", ""] + _key_numbers(latest)
    caption = "CTL, ATL and TSB over 90 days" + (
        ", dashed: projected from the planned sessions to the next race" if has_projection else ""
    )
    out += [
        "",
        "## Charts",
        "",
        f"![{caption}]({FITNESS_CHART})",
        "",
        f"![Weekly training load (TSS) by sport, 12 calendar weeks]({WEEKLY_CHART})",
        "",
    ]
    out += ["## Files", "", "| File | What it is for |", "|---|---|"]
    out += [f"| [{name}]({name}) | {text} |" for name, text in FILES]
    out += [
        "",
        "## For an AI coach reading this folder",
        "",
        "1. Read `latest.json` → `READ_THIS_FIRST` (how to read the file: units, periods, what not to "
        "recompute), then `latest.json` → `today`: it answers *what should I do today and why*.",
        "2. Go deeper only where a question needs it: `latest.json` for the current state and the last "
        "days, `history.json` for trends, `intervals.json` for the reps of a session, `routes.json` for "
        "terrain, `ftp_history.json` for FTP over time.",
        "3. Every field is defined by the JSON Schemas of the s11sync project (`schemas/*.schema.json`; "
        "`s11sync schema latest` prints one) and explained in its field guide (docs/fields.md of s11sync). Trust the "
        "precomputed totals; do not add up activities yourself.",
        "",
        "This README and the charts are rewritten by each sync; edit nothing here by hand.",
        "",
    ]
    return "\n".join(out)


def data_readme_files(documents: Mapping[str, Any]) -> dict[str, bytes]:
    """README.md and the two charts, from the run's latest.json and history.json documents."""
    latest = _dict(documents.get("latest.json"))
    history = _dict(documents.get("history.json"))
    projected = projection(latest)
    race = next_race(latest)
    race_day = _day(race.get("date")) if race else None
    race_mark = (str(race.get("name") or "race"), race_day) if race and race_day else None
    fitness = fitness_svg(_list(history.get("daily_90d")), projected, race_mark)
    weekly = weekly_load_svg(
        _list(history.get("weekly_180d")), today=_day(_dict(latest.get("today")).get("date"))
    )
    readme = build_data_readme(latest, has_projection=len(projected) > 1)
    return {
        README_NAME: readme.encode("utf-8"),
        FITNESS_CHART: fitness.encode("utf-8"),
        WEEKLY_CHART: weekly.encode("utf-8"),
    }
