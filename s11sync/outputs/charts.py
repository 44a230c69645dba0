"""Two SVG charts for the data folder's README: pure functions, no I/O, no clock.

    fitness_svg(daily_rows, projection, race)   CTL/ATL/TSB over the last 90 days, the planned
                                                projection dashed, the next race marked
    weekly_load_svg(weekly_rows)                load (TSS) per calendar week, stacked by sport
    project_fitness(ctl, atl, today, loads, until)  CTL/ATL/TSB day by day from planned loads

Hand-written SVG rather than a charting library: two simple charts need ~200 lines, add no
dependency to the workflow's install, and the output is fully deterministic (fixed number
formatting, no ids, no timestamps), so unchanged data gives byte-identical files and no commit.
GitHub renders SVG images referenced from Markdown; the charts use no script, no external font
and no CSS that GitHub's image sanitiser would strip.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

from s11sync.numbers import finite

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 40, 58
CTL_DAYS, ATL_DAYS = 42, 7
FONT = 'font-family="sans-serif" font-size="11"'
COLORS = {"ctl": "#1f77b4", "atl": "#d62728", "tsb": "#2ca02c", "race": "#7f7f7f"}
SPORT_COLORS = {
    "cycling": "#1f77b4",
    "run": "#ff7f0e",
    "swim": "#17becf",
    "strength": "#9467bd",
    "walk": "#8c564b",
    "ski": "#bcbd22",
    "rowing": "#e377c2",
    "other": "#7f7f7f",
}
SPARE_COLORS = ("#2ca02c", "#d62728", "#aec7e8", "#ffbb78", "#98df8a")


@dataclass(frozen=True)
class FitnessPoint:
    day: date
    ctl: float
    atl: float
    tsb: float


def _num(value: float) -> str:
    """Coordinates with one decimal and no '-0.0': stable text for stable bytes."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def project_fitness(
    ctl: float, atl: float, today: date, loads: Mapping[date, float], until: date
) -> list[FitnessPoint]:
    """Today's CTL/ATL carried forward day by day to `until` with the planned daily loads
    (exponentially weighted, 42 and 7 days; TSB = CTL − ATL, as Intervals.icu shows it).
    Days without a planned session count as rest. Starts with today's point."""
    points = [FitnessPoint(today, ctl, atl, ctl - atl)]
    day = today
    while day < until:
        day += timedelta(days=1)
        load = loads.get(day, 0.0)
        ctl += (load - ctl) / CTL_DAYS
        atl += (load - atl) / ATL_DAYS
        points.append(FitnessPoint(day, ctl, atl, ctl - atl))
    return points


def history_points(daily_rows: Sequence[Mapping[str, Any]]) -> list[FitnessPoint]:
    """history.json daily rows with all three values, oldest first."""
    out = []
    for row in daily_rows:
        day = _date(row.get("date"))
        ctl, atl, tsb = finite(row.get("ctl")), finite(row.get("atl")), finite(row.get("tsb"))
        if day is not None and ctl is not None and atl is not None and tsb is not None:
            out.append(FitnessPoint(day, ctl, atl, tsb))
    return sorted(out, key=lambda p: p.day)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = max(span, 1.0) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def _frame(title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-family="sans-serif" font-size="14" font-weight="bold" fill="#222">'
        f"{escape(title)}</text>",
    ]


def _empty(title: str, message: str) -> str:
    parts = _frame(title, message)
    parts.append(
        f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" font-family="sans-serif" font-size="13" fill="#555" '
        f'text-anchor="middle">{escape(message)}</text>'
    )
    return "\n".join(parts + ["</svg>"]) + "\n"


def _y_axis(parts: list[str], lo: float, hi: float, step: float, y_of: Any) -> None:
    value = math.floor(lo / step) * step
    while value <= hi + 1e-9:
        y = y_of(value)
        stroke = "#999" if abs(value) < 1e-9 else "#e5e5e5"
        parts.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{_num(y + 4)}" {FONT} fill="#555" text-anchor="end">'
            f"{value:g}</text>"
        )
        value += step


def _legend(parts: list[str], items: Sequence[tuple[str, str, bool]]) -> None:
    x = LEFT
    y = HEIGHT - 14
    for label, color, dashed in items:
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{color}" '
            f'stroke-width="3"{dash}/>'
        )
        parts.append(f'<text x="{x + 23}" y="{y}" {FONT} fill="#333">{escape(label)}</text>')
        x += 30 + 7 * len(label)


def fitness_svg(
    daily_rows: Sequence[Mapping[str, Any]],
    projection: Sequence[FitnessPoint] = (),
    race: tuple[str, date] | None = None,
) -> str:
    """CTL (fitness), ATL (fatigue) and TSB (form) per day, the projection dashed after today."""
    title = "Fitness (CTL), fatigue (ATL) and form (TSB), last 90 days"
    past = history_points(daily_rows)[-90:]
    if not past:
        return _empty(title, "No daily fitness values yet")
    ahead = [p for p in projection if p.day > past[-1].day]
    points = past + ahead
    first, last = points[0].day, points[-1].day
    if race is not None and race[1] > last and ahead:
        last = race[1]
    span_days = max((last - first).days, 1)
    values = [v for p in points for v in (p.ctl, p.atl, p.tsb)] + [0.0]
    step = _nice_step(max(values) - min(values))
    lo, hi = math.floor(min(values) / step) * step, math.ceil(max(values) / step) * step
    if hi <= lo:
        hi = lo + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + plot_w * (day - first).days / span_days

    def y_of(value: float) -> float:
        return TOP + plot_h * (hi - value) / (hi - lo)

    desc = (
        f"{first.isoformat()} to {past[-1].day.isoformat()}: CTL {past[-1].ctl:.1f}, "
        f"ATL {past[-1].atl:.1f}, TSB {past[-1].tsb:.1f} on the last day"
    )
    if ahead:
        desc += (
            f"; projected from the planned sessions to {ahead[-1].day.isoformat()}: CTL "
            f"{ahead[-1].ctl:.1f}, ATL {ahead[-1].atl:.1f}, TSB {ahead[-1].tsb:.1f}"
        )
    parts = _frame(title, desc)
    _y_axis(parts, lo, hi, step, y_of)
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            x = x_of(month)
            parts.append(
                f'<line x1="{_num(x)}" y1="{TOP}" x2="{_num(x)}" y2="{HEIGHT - BOTTOM}" stroke="#f0f0f0"/>'
            )
            parts.append(
                f'<text x="{_num(x)}" y="{HEIGHT - BOTTOM + 16}" {FONT} fill="#555" '
                f'text-anchor="middle">{month:%b %Y}</text>'
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for key in ("tsb", "atl", "ctl"):
        for series, dashed in ((past, False), ([past[-1], *ahead] if ahead else [], True)):
            if len(series) < 2:
                continue
            coords = " ".join(f"{_num(x_of(p.day))},{_num(y_of(getattr(p, key)))}" for p in series)
            dash = ' stroke-dasharray="5 4"' if dashed else ""
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{COLORS[key]}" '
                f'stroke-width="2"{dash}/>'
            )
    legend = [
        ("CTL fitness", COLORS["ctl"], False),
        ("ATL fatigue", COLORS["atl"], False),
        ("TSB form", COLORS["tsb"], False),
    ]
    if ahead:
        x = x_of(past[-1].day)
        parts.append(
            f'<line x1="{_num(x)}" y1="{TOP}" x2="{_num(x)}" y2="{HEIGHT - BOTTOM}" '
            'stroke="#bbb" stroke-dasharray="2 3"/>'
        )
        legend.append(("planned (projection)", "#555", True))
    if race is not None and first <= race[1] <= last:
        x = x_of(race[1])
        parts.append(
            f'<line x1="{_num(x)}" y1="{TOP}" x2="{_num(x)}" y2="{HEIGHT - BOTTOM}" '
            f'stroke="{COLORS["race"]}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{_num(x - 4)}" y="{TOP - 4}" {FONT} fill="#333" text-anchor="end">'
            f"{escape(race[0])} {race[1].isoformat()}</text>"
        )
    _legend(parts, legend)
    return "\n".join(parts + ["</svg>"]) + "\n"


def _sport_loads(row: Mapping[str, Any]) -> dict[str, float]:
    breakdown = row.get("sport_tss_breakdown")
    if not isinstance(breakdown, Mapping):
        return {}
    out = {}
    for sport, tss in breakdown.items():
        value = finite(tss)
        if value is not None and value > 0:
            out[str(sport)] = value
    return out


def weekly_load_svg(
    weekly_rows: Sequence[Mapping[str, Any]], weeks: int = 12, today: date | None = None
) -> str:
    """Training load (TSS) of the last `weeks` calendar weeks, one stacked bar per week; a week
    that contains `today` is marked as in progress (its total is partial)."""
    title = f"Weekly training load (TSS) by sport, last {weeks} calendar weeks"
    rows = sorted(
        (r for r in weekly_rows if _date(r.get("week_start")) is not None),
        key=lambda r: str(r.get("week_start")),
    )[-weeks:]
    if not rows:
        return _empty(title, "No weekly rows yet")
    loads = [_sport_loads(r) for r in rows]
    totals = [sum(load.values()) for load in loads]
    sports = sorted(
        {s for load in loads for s in load}, key=lambda s: (-sum(x.get(s, 0) for x in loads), s)
    )
    step = _nice_step(max(totals + [1.0]))
    hi = math.ceil(max(totals + [1.0]) / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h * (hi - value) / hi

    desc = "; ".join(
        f"week of {r['week_start']}: {round(t)} TSS" for r, t in zip(rows, totals, strict=True)
    )
    parts = _frame(title, desc)
    _y_axis(parts, 0.0, hi, step, y_of)
    slot = plot_w / len(rows)
    bar = slot * 0.7
    spare = iter(SPARE_COLORS * 4)
    colors = {s: SPORT_COLORS.get(s) or next(spare, "#7f7f7f") for s in sports}
    for index, (row, load, total) in enumerate(zip(rows, loads, totals, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        base = 0.0
        for sport in sports:
            value = load.get(sport, 0.0)
            if value <= 0:
                continue
            top = y_of(base + value)
            parts.append(
                f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(bar)}" '
                f'height="{_num(y_of(base) - top)}" fill="{colors[sport]}">'
                f"<title>{escape(sport)} {round(value)} TSS</title></rect>"
            )
            base += value
        center = x + bar / 2
        if total > 0:
            parts.append(
                f'<text x="{_num(center)}" y="{_num(y_of(total) - 4)}" {FONT} fill="#333" '
                f'text-anchor="middle">{round(total)}</text>'
            )
        start = _date(row.get("week_start"))
        assert start is not None
        partial = today is not None and start <= today < start + timedelta(days=7)
        parts.append(
            f'<text x="{_num(center)}" y="{HEIGHT - BOTTOM + 16}" {FONT} fill="#555" '
            f'text-anchor="middle">{start:%d %b}{"*" if partial else ""}</text>'
        )
        if partial:
            parts.append(
                f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" {FONT} fill="#555" '
                'text-anchor="end">* week in progress</text>'
            )
    _legend(parts, [(sport, colors[sport], False) for sport in sports])
    return "\n".join(parts + ["</svg>"]) + "\n"
