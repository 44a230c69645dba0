"""Half the tokens, nothing lost (docs/differences.md, "Half the tokens"): the demo athlete's
latest.json (default --days 7, today 2026-11-25) is at most 80,000 bytes as written, the `today`
block sits in its first tenth, and every leaf of the file as main wrote it before
(tests/fixtures/latest.before-issue16-3.json, the same sync) maps to the same path and value in the
new file or to one of the documented rules below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sync_args import isolate

from s11sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "fixtures" / "latest.before-issue16-3.json"
WINDOW_START = "2026-11-19"  # --days 7 ending 2026-11-25
# display key -> the raw sibling whose value (in the same unit) it repeated
DISPLAY_RAW = {
    "distance": "distance_km",
    "total_distance": "total_distance_km",
    "position": "position_km",
    "elevation": "elevation_m",
    "total_elevation": "total_elevation_m",
    "elevation_per_distance": "elevation_per_km",
    "weight": "weight_kg",
    "weight_latest": "weight_latest_kg",
    "weight_7d_avg": "weight_7d_avg_kg",
    "weight_28d_slope_per_week": "weight_28d_slope_kg_per_week",
    "avg_speed": "avg_speed",
    "max_speed": "max_speed",
    "avg_temp": "avg_temp",
    "wind_speed": "wind_speed",
}
SAME_UNIT = {"km", "m", "m/km", "kg", "kg/week", "km/h", "°C", "m/s"}
MISSING = object()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("tokens") / "out"
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, folder.parent)
        # exactly the command of the done-when (its own emulator, defaults otherwise)
        assert main(["demo", "--output", str(folder), "--today", "2026-11-25", "--quiet"]) == 0
    return (folder / "latest.json").read_bytes()


def leaves(value: Any, path: tuple = ()):
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def at(doc: Any, path: tuple) -> Any:
    for step in path:
        if isinstance(doc, dict) and step in doc:
            doc = doc[step]
        elif isinstance(doc, list) and isinstance(step, int) and step < len(doc):
            doc = doc[step]
        else:
            return MISSING
    return doc


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rule_for_display(path: tuple, old: dict, new: dict) -> str | None:
    i = len(path) - 1 - path[::-1].index("display")
    parent_path, key = path[:i], path[i + 1]
    old_parent, companion = at(old, parent_path), at(old, (*parent_path, "display", key))
    if companion is None:
        return "display companion of a null value dropped"
    raw_key = DISPLAY_RAW.get(key)
    if (
        raw_key
        and companion["unit"] in SAME_UNIT
        and raw_key in old_parent
        and at(new, (*parent_path, raw_key)) == old_parent[raw_key]
    ):
        return "display companion dropped: it repeated its raw value in the same unit"
    return None


def rule_for(path: tuple, value: Any, old: dict, new: dict, docs: str) -> str | None:
    """The documented rule that accounts for an old leaf missing or changed in the new file."""
    if len(path) >= 4 and path[0] == "recent_activities" and path[2] == "terrain_summary":
        old_summary, new_summary = at(old, path[:3]), at(new, path[:3])
        if new_summary.get("detail") != "short" or path[3] not in (
            "climbs",
            "descents",
            "grade_distribution",
        ):
            return rule_for_display(path, old, new) if "display" in path else None
        climbs = old_summary["climbs"]
        biggest = max(climbs, key=lambda c: c["elevation_m"]) if climbs else None
        expected_biggest = (
            {k: v for k, v in biggest.items() if k not in ("display", "start_coords", "end_coords")}
            if biggest
            else MISSING
        )
        if (
            at(old, (path[0], path[1], "date"))[:10] < WINDOW_START
            and new_summary["climb_count"] == len(climbs)
            and new_summary["descent_count"] == len(old_summary["descents"])
            and new_summary.get("biggest_climb", MISSING) == expected_biggest
        ):
            return "terrain of a session before the display window in short form"
        return None
    if "display" in path:
        return rule_for_display(path, old, new)
    if (
        len(path) == 3
        and path[0] in ("recent_activities", "wellness_data")
        and value is None
        and at(new, path[:2]) is not MISSING
        and path[2] not in at(new, path[:2])
    ):
        return "unknown (null) field left out: absent = unknown"
    if path[0] == "READ_THIS_FIRST" and isinstance(value, str) and flat(value) in docs:
        return "READ_THIS_FIRST note shortened; the full text is in docs/files.md"
    return None


def test_latest_json_is_at_most_80000_bytes_with_today_in_the_first_tenth(written):
    assert len(written) <= 80_000, f"latest.json is {len(written)} bytes"
    doc = json.loads(written)
    assert list(doc)[:2] == ["READ_THIS_FIRST", "today"]
    assert written.index(b'"today": {') < len(written) / 10
    # the file before these size rules was more than twice the size
    assert len(written) * 2 < len(
        json.dumps(
            json.loads(BEFORE.read_text(encoding="utf-8")), indent=2, ensure_ascii=False
        ).encode()
    )


def test_every_value_of_the_old_file_maps_to_the_new_file_or_a_documented_rule(written):
    old = json.loads(BEFORE.read_text(encoding="utf-8"))
    new = json.loads(written)
    docs = flat((ROOT / "docs" / "files.md").read_text(encoding="utf-8"))
    unexplained, rules = [], {}
    for path, value in leaves(old):
        if at(new, path) == value:
            continue
        rule = rule_for(path, value, old, new, docs)
        if rule is None:
            unexplained.append((path, value, at(new, path)))
        else:
            rules[rule] = rules.get(rule, 0) + 1
    assert not unexplained, unexplained[:20]
    # each rule is exercised by the demo (a rule never used would hide a typo in this test)
    assert set(rules) == {
        "display companion of a null value dropped",
        "display companion dropped: it repeated its raw value in the same unit",
        "unknown (null) field left out: absent = unknown",
        "terrain of a session before the display window in short form",
        "READ_THIS_FIRST note shortened; the full text is in docs/files.md",
    }, rules
