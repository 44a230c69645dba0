"""The SVG charts of the data folder: valid SVG, deterministic bytes, the projection arithmetic,
the empty case and the week in progress (docs/files.md, "The data folder's README and charts").
Small hand-made inputs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from s11sync.outputs.charts import (
    fitness_svg,
    history_points,
    project_fitness,
    weekly_load_svg,
)

NS = "{http://www.w3.org/2000/svg}"
START = date(2026, 8, 1)


def daily(n: int = 100) -> list[dict]:
    rows = []
    for i in range(n):
        ctl, atl = 50 + i * 0.2, 55 + (i % 7) * 3
        rows.append(
            {
                "date": (START + timedelta(days=i)).isoformat(),
                "ctl": ctl,
                "atl": atl,
                "tsb": round(ctl - atl, 2),
            }
        )
    return rows


def weekly(n: int = 14) -> list[dict]:
    monday = date(2026, 8, 3)
    return [
        {
            "week_start": (monday + timedelta(weeks=i)).isoformat(),
            "sport_tss_breakdown": {"cycling": 300 + i, "run": 50, "swim": 0},
        }
        for i in range(n)
    ]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def test_fitness_chart_is_svg_with_three_lines_over_the_last_90_days():
    root = parse(fitness_svg(daily()))
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 3
    assert all(len(line.get("points", "").split()) == 90 for line in lines)
    assert "2026-08-11 to 2026-11-08" in (root.findtext(f"{NS}desc") or "")


def test_same_data_gives_identical_bytes_and_other_data_does_not():
    assert fitness_svg(daily()) == fitness_svg(daily())
    assert weekly_load_svg(weekly()) == weekly_load_svg(weekly())
    changed = daily()
    changed[-1]["ctl"] += 5
    assert fitness_svg(changed) != fitness_svg(daily())


def test_projection_follows_the_exponential_averages_and_rests_on_unplanned_days():
    today = date(2026, 11, 20)
    loads = {today + timedelta(days=1): 100.0}
    points = project_fitness(60.0, 80.0, today, loads, today + timedelta(days=2))
    assert [p.day for p in points] == [today + timedelta(days=i) for i in range(3)]
    ctl1, atl1 = 60 + (100 - 60) / 42, 80 + (100 - 80) / 7
    assert (points[1].ctl, points[1].atl) == (ctl1, atl1)
    assert points[2].ctl == ctl1 - ctl1 / 42 and points[2].atl == atl1 - atl1 / 7
    assert all(p.tsb == p.ctl - p.atl for p in points)


def test_projection_is_dashed_and_the_race_is_marked():
    rows = daily()
    last = date.fromisoformat(rows[-1]["date"])
    race_day = last + timedelta(days=5)
    ahead = project_fitness(rows[-1]["ctl"], rows[-1]["atl"], last, {}, race_day)
    root = parse(fitness_svg(rows, ahead, ("Valley TT", race_day)))
    dashed = [p for p in root.findall(f"{NS}polyline") if p.get("stroke-dasharray")]
    assert len(dashed) == 3 and all(len(p.get("points", "").split()) == 6 for p in dashed)
    assert any("Valley TT 2026-" in (t.text or "") for t in root.findall(f"{NS}text"))


def test_rows_without_values_are_skipped_and_no_rows_give_a_placeholder():
    rows = daily(3) + [{"date": "2026-09-01", "ctl": None, "atl": 1, "tsb": 1}, {"date": "bad"}]
    assert len(history_points(rows)) == 3
    for svg in (fitness_svg([]), weekly_load_svg([])):
        root = parse(svg)
        assert not root.findall(f"{NS}polyline") and not root.findall(f"{NS}rect")[1:]
        assert "yet" in "".join(t.text or "" for t in root.findall(f"{NS}text"))


def test_weekly_chart_stacks_12_weeks_by_sport_and_marks_the_week_in_progress():
    rows = weekly()
    today = date.fromisoformat(rows[-1]["week_start"]) + timedelta(days=2)
    root = parse(weekly_load_svg(rows, today=today))
    bars = [r for r in root.findall(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(bars) == 12 * 2  # swim 0 TSS draws nothing
    texts = [t.text or "" for t in root.findall(f"{NS}text")]
    assert str(300 + 13 + 50) in texts  # the newest week's total
    assert str(300 + 1 + 50) not in texts  # week 2 of 14 is outside the 12 shown
    assert "* week in progress" in texts and sum(t.endswith("*") for t in texts) == 1
    assert "-0.0" not in weekly_load_svg(rows)
