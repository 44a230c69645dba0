"""One part of one activity: averages, normalized power, IF and TSS between two times or distances.

Pure: the activity's streams (as the API returns them) and two bounds in, a `SegmentStats` out.

Everything is computed on a 1-second grid of elapsed time. A sample holds its value until the next
sample when the next one comes at most `MAX_HOLD_S` seconds later (1 s, 2 s and "smart" recording);
a longer gap is a pause: the seconds after the sample's own second carry no data, never zeros.
Normalized power is the fourth root of the mean fourth power of the 30-second rolling means, taken
over complete windows only: a window that would span a pause or a missing power value is skipped.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from s11sync.numbers import finite, mean_present

MAX_HOLD_S = 5
NP_WINDOW_S = 30

_DISTANCE_UNITS = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144}
_DISTANCE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|km|mi|yd)$", re.IGNORECASE)
_CLOCK_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_SECONDS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*s$", re.IGNORECASE)


class BoundError(ValueError):
    """A bound the user typed cannot be read (the CLI turns it into a usage error)."""


@dataclass(frozen=True)
class Bound:
    """A point of the activity: `kind` "time" (elapsed seconds) or "distance" (metres)."""

    kind: str
    value: float
    text: str


def parse_bound(text: str) -> Bound:
    """`3km`, `500m`, `2.5mi`, `800yd` → distance; `0:10:00`, `10:00`, `600s` → elapsed time."""
    raw = text.strip()
    if m := _DISTANCE_RE.match(raw):
        return Bound("distance", float(m.group(1)) * _DISTANCE_UNITS[m.group(2).lower()], raw)
    if m := _CLOCK_RE.match(raw):
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if seconds >= 60 or (m.group(1) is not None and minutes >= 60):
            raise BoundError(
                f"{text!r} is not a time: write H:MM:SS or MM:SS with minutes and seconds below 60"
            )
        return Bound("time", float(hours * 3600 + minutes * 60 + seconds), raw)
    if m := _SECONDS_RE.match(raw):
        return Bound("time", float(m.group(1)), raw)
    raise BoundError(
        f"{text!r} is neither a distance (3km, 500m, 2.5mi, 800yd) nor an elapsed time "
        "(0:10:00, 10:00, 600s)"
    )


@dataclass
class SegmentStats:
    """What `segment_stats` found. Averages are None when the stream is missing or empty there."""

    start_s: float
    end_s: float
    start_m: float | None
    end_m: float | None
    duration_s: float
    recorded_s: int
    distance_m: float | None
    elevation_gain_m: float | None
    average_power_w: float | None
    normalized_power_w: float | None
    average_hr_bpm: float | None
    average_cadence_rpm: float | None
    average_speed_mps: float | None
    warnings: list[str] = field(default_factory=list)


def stream_map(streams: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """The API's list of stream objects → {type: data}."""
    out: dict[str, list[Any]] = {}
    for stream in streams:
        if (
            isinstance(stream, dict)
            and isinstance(stream.get("type"), str)
            and isinstance(stream.get("data"), list)
        ):
            out[stream["type"]] = stream["data"]
    return out


def one_second_grid(
    times: Sequence[float], values: Sequence[Any], start: int, end: int
) -> list[float | None]:
    """Values on the seconds start … end-1 (sample-and-hold across gaps of at most MAX_HOLD_S)."""
    grid: list[float | None] = [None] * max(0, end - start)
    for i, t in enumerate(times):
        nxt = times[i + 1] if i + 1 < len(times) else t + 1
        until = nxt if nxt - t <= MAX_HOLD_S else t + 1
        value = finite(values[i]) if i < len(values) else None
        if value is None:
            continue
        first, last = max(math.ceil(t), start), min(math.ceil(until), end)
        for second in range(first, last):
            grid[second - start] = value
    return grid


def normalized_power(watts: Sequence[float | None]) -> float | None:
    """NP over complete 30-second windows of a 1-second grid (None = no data breaks a window)."""
    fourth_powers: list[float] = []
    run_sum, run_len = 0.0, 0
    for i, value in enumerate(watts):
        if value is None:
            run_sum, run_len = 0.0, 0
            continue
        run_sum += value
        run_len += 1
        if run_len > NP_WINDOW_S:
            run_sum -= watts[i - NP_WINDOW_S]  # type: ignore[operator]
            run_len = NP_WINDOW_S
        if run_len == NP_WINDOW_S:
            fourth_powers.append((run_sum / NP_WINDOW_S) ** 4)
    if not fourth_powers:
        return None
    return (sum(fourth_powers) / len(fourth_powers)) ** 0.25


def _interpolate(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """y at x on a non-decreasing xs (linear between neighbours, clamped at the ends)."""
    i = bisect_right(xs, x)
    if i == 0:
        return ys[0]
    if i == len(xs):
        return ys[-1]
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 if x1 == x0 else y0 + (x - x0) / (x1 - x0) * (y1 - y0)


def _time_of_distance(times: Sequence[float], dist: Sequence[float], metres: float) -> float:
    """The first moment the distance stream reaches `metres` (linear between samples)."""
    i = bisect_right(dist, metres - 1e-9)
    if i == 0:
        return times[0]
    if i == len(dist):
        return times[-1]
    d0, d1, t0, t1 = dist[i - 1], dist[i], times[i - 1], times[i]
    return t0 if d1 == d0 else t0 + (metres - d0) / (d1 - d0) * (t1 - t0)


def _clean_series(
    times: Sequence[Any], values: Sequence[Any] | None
) -> tuple[list[float], list[float]]:
    """(times, values) of the samples where both are numbers, values made non-decreasing."""
    ts: list[float] = []
    vs: list[float] = []
    for t, v in zip(times, values or []):
        tn, vn = finite(t), finite(v)
        if tn is None or vn is None:
            continue
        ts.append(tn)
        vs.append(max(vn, vs[-1]) if vs else vn)
    return ts, vs


def resolve_range(
    streams: dict[str, list[Any]], lo: Bound, hi: Bound
) -> tuple[int, int, list[str]]:
    """Both bounds as elapsed seconds, clipped to the activity. Raises BoundError when the range is
    empty, reversed or wholly outside the activity."""
    times = [t for t in (finite(x) for x in streams.get("time") or []) if t is not None]
    if not times:
        raise BoundError("the activity has no time stream, so no part of it can be selected")
    t_first, t_last = times[0], times[-1] + 1
    dist_t, dist_v = _clean_series(streams.get("time") or [], streams.get("distance"))
    warnings: list[str] = []

    def seconds(bound: Bound) -> float:
        if bound.kind == "time":
            return bound.value
        if not dist_v:
            raise BoundError(
                f"{bound.text} is a distance but the activity has no distance stream; use times"
            )
        total = dist_v[-1]
        if bound.value > total:
            return t_last + (bound.value - total)  # beyond the end: clipped below
        return _time_of_distance(dist_t, dist_v, bound.value)

    start, end = seconds(lo), seconds(hi)
    if start >= end:
        raise BoundError(f"--from {lo.text} is not before --to {hi.text}")
    if end <= t_first or start >= t_last:
        raise BoundError(
            f"{lo.text} … {hi.text} lies wholly outside the activity "
            f"({_describe_extent(t_first, t_last, dist_v)})"
        )
    if start < t_first or end > t_last:
        warnings.append(
            f"the range {lo.text} … {hi.text} reaches past the activity "
            f"({_describe_extent(t_first, t_last, dist_v)}); it was clipped to the activity"
        )
    # the grid has 1-second resolution: bounds are whole seconds
    first, last = round(max(start, t_first)), round(min(end, t_last))
    if first >= last:
        raise BoundError(f"{lo.text} … {hi.text} is shorter than one second")
    return first, last, warnings


def _describe_extent(t_first: float, t_last: float, dist: Sequence[float]) -> str:
    total = int(t_last - t_first)
    hours, rem = divmod(total, 3600)
    text = f"elapsed 0:00:00 … {hours}:{rem // 60:02d}:{rem % 60:02d}"
    if dist:
        text += f", distance 0 … {dist[-1] / 1000:.2f} km"
    return text


def segment_stats(streams: dict[str, list[Any]], lo: Bound, hi: Bound) -> SegmentStats:
    """Every figure of the part of the activity between `lo` and `hi`."""
    start_s, end_s, warnings = resolve_range(streams, lo, hi)
    raw_times = streams.get("time") or []
    times = [finite(t) for t in raw_times]
    pairs = [(t, i) for i, t in enumerate(times) if t is not None]
    ts = [t for t, _ in pairs]
    first, last = start_s, end_s

    def grid(name: str) -> list[float | None] | None:
        data = streams.get(name)
        if not data:
            return None
        return one_second_grid(
            ts, [data[i] if i < len(data) else None for _, i in pairs], first, last
        )

    presence = one_second_grid(ts, [1.0] * len(ts), first, last)
    recorded = sum(1 for v in presence if v is not None)
    watts, hr, cadence = grid("watts"), grid("heartrate"), grid("cadence")

    dist_t, dist_v = _clean_series(raw_times, streams.get("distance"))
    start_m = end_m = distance = None
    if dist_v:
        start_m, end_m = _interpolate(dist_t, dist_v, start_s), _interpolate(dist_t, dist_v, end_s)
        distance = end_m - start_m

    gain = None
    altitude = streams.get("altitude")
    if altitude:
        inside = [
            finite(altitude[i]) for t, i in pairs if start_s <= t <= end_s and i < len(altitude)
        ]
        heights = [h for h in inside if h is not None]
        if len(heights) >= 2:
            gain = sum(max(0.0, b - a) for a, b in zip(heights, heights[1:]))

    return SegmentStats(
        start_s=start_s,
        end_s=end_s,
        start_m=start_m,
        end_m=end_m,
        duration_s=end_s - start_s,
        recorded_s=recorded,
        distance_m=distance,
        elevation_gain_m=gain,
        average_power_w=mean_present(watts) if watts else None,
        normalized_power_w=normalized_power(watts) if watts else None,
        average_hr_bpm=mean_present(hr) if hr else None,
        average_cadence_rpm=mean_present(cadence) if cadence else None,
        average_speed_mps=distance / recorded if distance is not None and recorded else None,
        warnings=warnings,
    )


def intensity_and_load(
    np_w: float | None, ftp_w: float | None, recorded_s: int
) -> tuple[float | None, float | None]:
    """(IF, TSS) from normalized power and the FTP in force; None without either."""
    if np_w is None or not ftp_w or ftp_w <= 0:
        return None, None
    factor = np_w / ftp_w
    return factor, recorded_s * np_w * factor / (ftp_w * 3600) * 100
