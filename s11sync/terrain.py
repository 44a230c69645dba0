"""Terrain analysis shared by routes.json and activity terrain (docs/files.md, "routes.json").

Pure: trackpoints in, summary dict out. Where the original script was wrong
(docs/differences.md, "Files and publishing", the terrain fixes): missing elevations are
interpolated instead of counting as 0 m, a climb's max gradient is the steepest *uphill* grade (a
dip inside the climb cannot set it), and a short trailing chunk does not set `max_grade_pct`.
Pinned by tests/test_terrain.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from s11sync.units import to_display

EARTH_RADIUS_M = 6_371_000
SMOOTH_HALF_WINDOW_M = 25
CHUNK_M = 200
DIP_TOLERANCE_M = 50
START_GRADE = 1.0
TRIM_LOOKAHEAD_M = 2000
TRIM_GRADE = 2.5
MIN_SEGMENT_M = 500
MIN_SEGMENT_ELE_M = 50
MIN_SEGMENT_GRADE = 1.5


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def cumulative_distance(points: Sequence[dict]) -> list[float]:
    out = [0.0]
    for prev, cur in zip(points, points[1:]):
        out.append(out[-1] + haversine(prev["lat"], prev["lon"], cur["lat"], cur["lon"]))
    return out


def fill_elevation(cum: Sequence[float], ele: Sequence[float | None]) -> list[float]:
    """Fill missing elevations: linear over distance between the nearest known points on either side;
    leading and trailing gaps take the nearest known value. One pass each way (linear time)."""
    n = len(ele)
    after: list[int | None] = [None] * n
    nxt: int | None = None
    for i in range(n - 1, -1, -1):
        if ele[i] is not None:
            nxt = i
        after[i] = nxt
    out: list[float] = []
    before: int | None = None
    for i, e in enumerate(ele):
        if e is not None:
            out.append(float(e))
            before = i
            continue
        a = after[i]
        if before is None and a is None:
            raise ValueError("fill_elevation needs at least one known elevation")
        if before is None:
            out.append(float(ele[a]))  # type: ignore[arg-type,index]
        elif a is None:
            out.append(out[before])
        else:
            lo, hi = float(ele[before]), float(ele[a])  # type: ignore[arg-type]
            span = cum[a] - cum[before]
            frac = 0.0 if span == 0 else (cum[i] - cum[before]) / span
            out.append(lo + frac * (hi - lo))
    return out


def smooth(cum: Sequence[float], raw: Sequence[float]) -> list[float]:
    """Mean of raw values within ±25 m (exclusive) of each point: the smoothed elevation."""
    n = len(raw)
    out = []
    for i in range(n):
        lo = i
        while lo - 1 >= 0 and cum[i] - cum[lo - 1] < SMOOTH_HALF_WINDOW_M:
            lo -= 1
        hi = i
        while hi + 1 < n and cum[hi + 1] - cum[i] < SMOOTH_HALF_WINDOW_M:
            hi += 1
        out.append(sum(raw[lo : hi + 1]) / (hi - lo + 1) if lo < hi else float(raw[i]))
    return out


def chunks(cum: Sequence[float]) -> list[tuple[int, int]]:
    """(start, end) index pairs of consecutive ≥ 200 m chunks (the last may be shorter)."""
    out = []
    ci, last = 0, len(cum) - 1
    while ci < last:
        cj = next((j for j in range(ci + 1, last + 1) if cum[j] - cum[ci] >= CHUNK_M), last)
        out.append((ci, cj))
        ci = cj
    return out


def detect(cum: Sequence[float], sm: Sequence[float], ascending: bool) -> list[dict[str, Any]]:
    """Climb or descent segments, as index-based dicts (start, end, dist, ele, avg)."""
    if len(cum) < 2 or cum[-1] < CHUNK_M:
        return []
    parts = []
    for si, ei in chunks(cum):
        dist = cum[ei] - cum[si]
        ele = sm[ei] - sm[si]
        parts.append((si, ei, 0.0 if dist <= 10 else ele / dist * 100))
    sign = 1 if ascending else -1
    found = []
    i = 0
    while i < len(parts):
        if sign * parts[i][2] < START_GRADE:
            i += 1
            continue
        start_idx = parts[i][0]
        mark, mark_chunk = sm[start_idx], i
        for j in range(i, len(parts)):
            e = sm[parts[j][1]]
            if sign * (e - mark) > 0:
                mark, mark_chunk = e, j
            elif sign * (mark - e) > DIP_TOLERANCE_M:
                break
        end_idx = parts[mark_chunk][1]
        for k in range(i, mark_chunk):
            p = parts[k][0]
            a = next(
                (x for x in range(p, end_idx + 1) if cum[x] - cum[p] >= TRIM_LOOKAHEAD_M), None
            )
            if a is not None and sign * (sm[a] - sm[p]) / (cum[a] - cum[p]) * 100 >= TRIM_GRADE:
                start_idx = p
                break
        seg_dist = cum[end_idx] - cum[start_idx]
        seg_ele = sm[end_idx] - sm[start_idx]
        if seg_dist >= MIN_SEGMENT_M and abs(seg_ele) >= MIN_SEGMENT_ELE_M:
            avg = seg_ele / seg_dist * 100
            if sign * avg >= MIN_SEGMENT_GRADE:
                found.append(
                    {
                        "start": start_idx,
                        "end": end_idx,
                        "dist": seg_dist,
                        "ele": seg_ele,
                        "avg": avg,
                    }
                )
        i = mark_chunk + 1
    return found


def max_uphill_gradient(
    cum: Sequence[float], sm: Sequence[float], start: int, end: int
) -> float | None:
    """The steepest positive 200 m grade inside [start, end); None when none is positive.

    Signed on purpose: the original took the absolute grade, so a dip inside a climb set it."""
    best = 0.0
    for k in range(start, end):
        m = next((x for x in range(k, end + 1) if cum[x] - cum[k] >= CHUNK_M), None)
        if m is None:
            break
        best = max(best, (sm[m] - sm[k]) / (cum[m] - cum[k]) * 100)
    return round(best, 1) if best > 0 else None


def category(elevation_m: int) -> str | None:
    for threshold, label in (
        (1000, "HC"),
        (650, "Cat 1"),
        (400, "Cat 2"),
        (200, "Cat 3"),
        (100, "Cat 4"),
    ):
        if elevation_m >= threshold:
            return label
    return None


def grade_distribution(cum: Sequence[float], sm: Sequence[float]) -> tuple[dict[str, float], float]:
    """(%-of-distance buckets, max_grade_pct) over 200 m chunks.

    A trailing chunk shorter than 200 m counts toward the buckets but not toward the max grade: a
    few metres at the end would otherwise produce an absurd gradient."""
    total = cum[-1] if cum else 0.0
    if total < CHUNK_M:
        return {"flat_pct": 100.0, "gentle_pct": 0.0, "moderate_pct": 0.0, "steep_pct": 0.0}, 0.0
    buckets = [0.0, 0.0, 0.0, 0.0]
    max_g = 0.0
    for si, ei in chunks(cum):
        dist = cum[ei] - cum[si]
        if dist <= 0:
            break
        g = abs((sm[ei] - sm[si]) / dist * 100)
        buckets[0 if g < 1 else 1 if g < 3 else 2 if g < 6 else 3] += dist
        if dist >= CHUNK_M:
            max_g = max(max_g, g)
    names = ("flat_pct", "gentle_pct", "moderate_pct", "steep_pct")
    return {n: round(b / total * 100, 1) for n, b in zip(names, buckets)}, round(max_g, 1)


def course_character(elevation_per_km: float, climbs: list[dict]) -> str:
    if elevation_per_km >= 30:
        return "mountain"
    character = (
        "hilly" if elevation_per_km >= 20 else "rolling" if elevation_per_km >= 5 else "flat"
    )
    if character in ("flat", "rolling") and any(
        c.get("category") in ("HC", "Cat 1", "Cat 2") for c in climbs
    ):
        character = "hilly"
    return character


def display(kind: str, value: float | None, imperial: bool) -> dict | None:
    """A `display` block in the athlete's units, through the one conversion module (units.py)."""
    units = {"distance": "imperial" if imperial else "metric"}
    return to_display(value, "elevation_per_distance" if kind == "per_km" else kind, units)


def summary_display(summary: dict, imperial: bool) -> dict:
    return {
        "total_distance": display("distance", summary.get("total_distance_km"), imperial),
        "total_elevation": display("elevation", summary.get("total_elevation_m"), imperial),
        "elevation_per_distance": display("per_km", summary.get("elevation_per_km"), imperial),
    }


def segment_display(segment: dict, imperial: bool) -> dict:
    return {
        "position": display("distance", segment.get("position_km"), imperial),
        "distance": display("distance", segment.get("distance_km"), imperial),
        "elevation": display("elevation", segment.get("elevation_m"), imperial),
    }


def refresh_display(summary: dict, imperial: bool) -> dict:
    """Rebuild only the display sub-objects of a cached summary (copy-forward): the canonical
    numbers are never touched, so a unit-preference change needs no new stream fetch."""
    if not isinstance(summary, dict) or "error" in summary:
        return summary
    out = dict(summary)
    out["display"] = summary_display(out, imperial)
    for key in ("climbs", "descents"):
        if isinstance(out.get(key), list):
            out[key] = [{**s, "display": segment_display(s, imperial)} for s in out[key]]
    if isinstance(out.get("biggest_climb"), dict):
        out["biggest_climb"] = {
            **out["biggest_climb"],
            "display": segment_display(out["biggest_climb"], imperial),
        }
    return out


SHORT_KEYS = (
    "source",
    "total_distance_km",
    "total_elevation_m",
    "elevation_per_km",
    "course_character",
    "max_grade_pct",
)


def short_summary(summary: dict) -> dict:
    """The short form of an activity terrain summary, for sessions outside the display window:
    totals, course character and steepest grade; climbs and descents counted, the biggest climb
    (most metres gained, first on a tie) kept. A short or error summary is returned as it is.
    It keeps latest.json small (tests/outputs/test_terrain_forms.py)."""
    if (
        not isinstance(summary, dict)
        or "error" in summary
        or not isinstance(summary.get("climbs"), list)
    ):
        return summary
    out: dict[str, Any] = {key: summary[key] for key in SHORT_KEYS if key in summary}
    out["detail"] = "short"
    climbs = [c for c in summary["climbs"] if isinstance(c, dict)]
    out["climb_count"] = len(climbs)
    out["descent_count"] = len(summary.get("descents") or [])
    if climbs:
        biggest = max(climbs, key=lambda c: c.get("elevation_m") or 0)
        out["biggest_climb"] = {
            k: v for k, v in biggest.items() if k not in ("start_coords", "end_coords")
        }
    if "start_coords" in summary:
        out["start_coords"] = summary["start_coords"]
    if "display" in summary:
        out["display"] = summary["display"]
    return out


def _coords(p: dict) -> list[float]:
    return [round(p["lat"], 5), round(p["lon"], 5)]


def analyse(
    points: Sequence[dict],
    source: str,
    *,
    include_polyline: bool,
    imperial: bool,
    with_coords: bool = True,
) -> dict | None:
    """The full terrain summary (keys in a fixed order), or None for a path under 100 m."""
    cum = cumulative_distance(points)
    total_km = round(cum[-1] / 1000, 1)
    if all(p.get("ele") is None for p in points):
        summary = {
            "source": f"{source}_no_elevation",
            "total_distance_km": total_km,
            "total_elevation_m": 0,
            "elevation_per_km": 0.0,
            "course_character": "flat",
            "climbs": [],
            "descents": [],
        }
        summary["display"] = summary_display(summary, imperial)
        return summary
    if cum[-1] < 100:
        return None
    sm = smooth(cum, fill_elevation(cum, [p.get("ele") for p in points]))
    return summarise(
        cum,
        sm,
        points,
        source,
        include_polyline=include_polyline,
        imperial=imperial,
        with_coords=with_coords,
    )


def summarise(
    cum: Sequence[float],
    sm: Sequence[float],
    points: Sequence[dict] | None,
    source: str,
    *,
    include_polyline: bool,
    imperial: bool,
    with_coords: bool = True,
) -> dict:
    gain = round(sum(max(0.0, b - a) for a, b in zip(sm, sm[1:])))
    total_km = round(cum[-1] / 1000, 1)
    per_km = round(gain / total_km, 1) if total_km else 0.0

    def segment(seg: dict, climb: bool) -> dict:
        out: dict[str, Any] = {
            "position_km": round(cum[seg["start"]] / 1000, 1),
            "distance_km": round(seg["dist"] / 1000, 1),
            "elevation_m": round(abs(seg["ele"])) * (1 if climb else -1),
            "avg_gradient_pct": round(abs(seg["avg"]), 1) * (1 if climb else -1),
        }
        if with_coords and points is not None:
            out["start_coords"] = _coords(points[seg["start"]])
            out["end_coords"] = _coords(points[seg["end"]])
        out["display"] = segment_display(out, imperial)
        if climb:
            steepest = max_uphill_gradient(cum, sm, seg["start"], seg["end"])
            out["max_gradient_pct"] = steepest if steepest is not None else out["avg_gradient_pct"]
            out["category"] = category(out["elevation_m"])
        return out

    climbs = [segment(s, True) for s in detect(cum, sm, True)]
    climbs = [c for c in climbs if c["elevation_m"] >= 100 or c["avg_gradient_pct"] >= 3.0]
    descents = [segment(s, False) for s in detect(cum, sm, False)]
    descents = [
        d for d in descents if abs(d["elevation_m"]) >= 100 or abs(d["avg_gradient_pct"]) >= 3.0
    ]
    distribution, max_grade = grade_distribution(cum, sm)
    summary: dict[str, Any] = {
        "source": source,
        "total_distance_km": total_km,
        "total_elevation_m": gain,
        "elevation_per_km": per_km,
        "course_character": course_character(per_km, climbs),
        "max_grade_pct": max_grade,
        "grade_distribution": distribution,
    }
    if with_coords and points is not None:
        summary["start_coords"] = _coords(points[0])
    summary["climbs"] = climbs
    summary["descents"] = descents
    summary["display"] = summary_display(summary, imperial)
    if include_polyline and points is not None:
        summary["polyline"] = polyline(cum, sm, points)
    return summary


def polyline(cum: Sequence[float], sm: Sequence[float], points: Sequence[dict]) -> list[list]:
    """The simplified track: points every ≥ 500 m plus first and last, as [km, lat, lon, ele_m]."""
    out = []
    nxt = 0.0
    last = len(points) - 1
    for i, p in enumerate(points):
        if i == 0 or i == last or cum[i] >= nxt:
            out.append(
                [round(cum[i] / 1000, 1), round(p["lat"], 5), round(p["lon"], 5), round(sm[i])]
            )
            nxt = 500.0 if i == 0 else cum[i] + 500
    return out
