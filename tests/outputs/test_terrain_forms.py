"""Terrain in full only for the display window (docs/differences.md, "Half the tokens"): the full
terrain summary only for sessions of the display window, the short form
(counts and the biggest climb) for older ones; the short form is what the next run copies forward."""

from __future__ import annotations

import copy

from latest_dataset import make_snapshot

from s11sync.outputs.activity_terrain import activity_terrain
from s11sync.sports import is_outdoor
from s11sync.terrain import refresh_display, short_summary

CLIMB_A = {
    "position_km": 0.0,
    "distance_km": 0.6,
    "elevation_m": 120,
    "avg_gradient_pct": 19.9,
    "start_coords": [45.0, 6.0],
    "end_coords": [45.01, 6.0],
    "max_gradient_pct": 25.2,
    "category": "Cat 4",
}
CLIMB_B = {
    **CLIMB_A,
    "position_km": 2.4,
    "distance_km": 2.4,
    "elevation_m": 274,
    "category": "Cat 3",
}
DESCENT = {"position_km": 0.8, "distance_km": 1.6, "elevation_m": -211, "avg_gradient_pct": -13.1}
FULL = {
    "source": "activity_streams",
    "total_distance_km": 8.5,
    "total_elevation_m": 585,
    "elevation_per_km": 68.8,
    "course_character": "mountain",
    "max_grade_pct": 44.0,
    "grade_distribution": {
        "flat_pct": 4.8,
        "gentle_pct": 7.6,
        "moderate_pct": 11.9,
        "steep_pct": 75.7,
    },
    "start_coords": [45.0, 6.0],
    "climbs": [CLIMB_A, CLIMB_B],
    "descents": [DESCENT],
}


def test_short_form_counts_segments_and_keeps_the_biggest_climb_without_coordinates():
    short = short_summary(copy.deepcopy(FULL))
    assert short == {
        "source": "activity_streams",
        "total_distance_km": 8.5,
        "total_elevation_m": 585,
        "elevation_per_km": 68.8,
        "course_character": "mountain",
        "max_grade_pct": 44.0,
        "detail": "short",
        "climb_count": 2,
        "descent_count": 1,
        "biggest_climb": {
            k: v for k, v in CLIMB_B.items() if k not in ("start_coords", "end_coords")
        },
        "start_coords": [45.0, 6.0],
    }
    assert short_summary(short) is short  # already short: unchanged (copy-forward)
    assert short_summary({"error": "x"}) == {"error": "x"}
    no_climb = short_summary({**FULL, "climbs": [], "descents": []})
    assert no_climb["climb_count"] == 0 and "biggest_climb" not in no_climb
    imperial = refresh_display(short, imperial=True)
    assert imperial["biggest_climb"]["display"]["elevation"] == {"value": 899, "unit": "ft"}


def test_window_sessions_keep_the_full_summary_older_ones_get_the_short_form():
    snap = make_snapshot(days=2)  # today 2026-03-18: the window is 03-17 … 03-18
    outdoor = [a for a in snap.activities if a.get("id") and is_outdoor(a)]
    inside = [a for a in outdoor if a["start_date_local"][:10] >= "2026-03-17"]
    older = [a for a in outdoor if a["start_date_local"][:10] < "2026-03-17"]
    assert inside and older, "the dataset needs outdoor sessions on both sides of the window"
    previous = {
        "recent_activities": [
            {"id": a["id"], "terrain_summary": copy.deepcopy(FULL)} for a in outdoor
        ]
    }
    out = activity_terrain(snap, previous, anonymize=False)
    for a in inside:
        assert out[str(a["id"])]["terrain_summary"]["climbs"][1]["elevation_m"] == 274
    for a in older:
        summary = out[str(a["id"])]["terrain_summary"]
        assert summary["detail"] == "short" and summary["biggest_climb"]["elevation_m"] == 274
        assert "climbs" not in summary and "grade_distribution" not in summary
    # the next run copies the short form forward as it is (no refetch, no loss of what remains)
    again = activity_terrain(
        snap,
        {
            "recent_activities": [
                {"id": a["id"], "terrain_summary": out[str(a["id"])]["terrain_summary"]}
                for a in older
            ]
        },
        anonymize=True,
    )
    for a in older:
        assert again[str(a["id"])]["terrain_summary"]["climb_count"] == 2
        assert "start_coords" not in again[str(a["id"])]["terrain_summary"]
