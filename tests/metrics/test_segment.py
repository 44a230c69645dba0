"""Segment figures on hand-worked streams: constant power, 30/30 intervals, 2 s and smart recording,
pauses, distance bounds on a variable speed, and the bounds a user can type."""

from __future__ import annotations

import pytest

from s11sync.metrics.segment import (
    Bound,
    BoundError,
    intensity_and_load,
    normalized_power,
    one_second_grid,
    parse_bound,
    segment_stats,
)


def streams(times, **channels) -> dict:
    return {"time": list(times), **{k: list(v) for k, v in channels.items()}}


def thirty_thirty(seconds: int, step: int = 1) -> tuple[list[int], list[int]]:
    """30 s at 300 W, 30 s at 100 W, repeated; one sample every `step` seconds."""
    times = list(range(0, seconds, step))
    return times, [300 if (t // 30) % 2 == 0 else 100 for t in times]


def brute_force_np(watts_per_second: list[float]) -> float:
    """The definition, written out: every complete 30 s window, mean, fourth power, mean, root."""
    windows = [sum(watts_per_second[i - 29 : i + 1]) / 30 for i in range(29, len(watts_per_second))]
    return (sum(w**4 for w in windows) / len(windows)) ** 0.25


T = lambda s: Bound("time", float(s), f"{s}s")  # noqa: E731
D = lambda m: Bound("distance", float(m), f"{m}m")  # noqa: E731


def test_a_constant_power_block_has_np_equal_to_its_average_and_the_textbook_if_and_tss():
    s = segment_stats(streams(range(600), watts=[200] * 600), T(0), T(600))
    assert (s.average_power_w, s.normalized_power_w, s.recorded_s, s.duration_s) == (
        200,
        200,
        600,
        600,
    )
    factor, tss = intensity_and_load(s.normalized_power_w, 250, s.recorded_s)
    # 600 s at IF 0.8: 600 × 200 × 0.8 / (250 × 3600) × 100 = 10.67
    assert factor == pytest.approx(0.8) and tss == pytest.approx(10.6667, abs=1e-4)


def test_thirty_thirty_intervals_have_np_above_average_matching_the_definition():
    times, watts = thirty_thirty(1200)
    s = segment_stats(streams(times, watts=watts), T(0), T(1200))
    assert s.average_power_w == 200
    assert s.normalized_power_w == pytest.approx(brute_force_np(watts))
    assert s.normalized_power_w > 215  # the 30 s windows swing between 100 and 300 W


def test_two_second_recording_gives_the_same_np_as_one_second_recording():
    one_times, one_watts = thirty_thirty(1200)
    one_s = segment_stats(streams(one_times, watts=one_watts), T(0), T(1198))
    times, watts = thirty_thirty(1200, step=2)  # last sample at 1198 s
    two_s = segment_stats(streams(times, watts=watts), T(0), T(1198))
    assert two_s.recorded_s == 1198 and two_s.warnings == []
    assert two_s.normalized_power_w == pytest.approx(one_s.normalized_power_w)
    # a 30-sample window (60 s at 2 s recording) would average every window to 200 W
    sample_windows = [sum(watts[i - 29 : i + 1]) / 30 for i in range(29, len(watts))]
    assert (
        (sum(w**4 for w in sample_windows) / len(sample_windows)) ** 0.25
        < 205
        < two_s.normalized_power_w
    )


def test_smart_recording_gaps_up_to_five_seconds_hold_the_previous_sample():
    times = [0, 1, 4, 9, 10, 12, 17, 20]
    grid = one_second_grid(times, [100, 200, 300, 400, 500, 600, 700, 800], 0, 21)
    assert grid == [
        100,
        200,
        200,
        200,
        300,
        300,
        300,
        300,
        300,
        400,
        500,
        500,
        600,
        600,
        600,
        600,
        600,
        700,
        700,
        700,
        800,
    ]


def test_a_pause_is_no_data_and_no_window_spans_it():
    times = list(range(300)) + list(range(400, 700))
    s = segment_stats(streams(times, watts=[200] * 600), T(0), T(700))
    assert (s.duration_s, s.recorded_s) == (700, 600)
    assert (
        s.average_power_w == 200 and s.normalized_power_w == 200
    )  # zeros in the pause would lower both


def test_a_gap_of_six_seconds_is_a_pause():
    grid = one_second_grid([0, 6], [100, 200], 0, 7)
    assert grid == [100, None, None, None, None, None, 200]


def test_missing_power_values_break_windows_but_not_the_other_channels():
    watts = [200] * 100 + [None] * 10 + [200] * 100
    s = segment_stats(streams(range(210), watts=watts, heartrate=[140] * 210), T(0), T(210))
    assert s.normalized_power_w == 200 and s.average_hr_bpm == 140 and s.recorded_s == 210


def test_an_activity_without_power_has_null_power_and_everything_else():
    s = segment_stats(
        streams(
            range(100),
            heartrate=[150] * 100,
            cadence=[80] * 100,
            distance=[3.0 * t for t in range(100)],
        ),
        T(10),
        T(60),
    )
    assert s.average_power_w is None and s.normalized_power_w is None
    assert (s.average_hr_bpm, s.average_cadence_rpm, s.distance_m, s.average_speed_mps) == (
        150,
        80,
        150.0,
        3.0,
    )
    assert intensity_and_load(s.normalized_power_w, 250, s.recorded_s) == (None, None)


def test_less_than_thirty_seconds_of_power_has_no_np_but_an_average():
    s = segment_stats(streams(range(29), watts=[250] * 29), T(0), T(29))
    assert s.average_power_w == 250 and s.normalized_power_w is None


def test_distance_bounds_on_a_variable_speed_find_the_moments_the_distances_were_reached():
    # 5 m/s for 500 s (2500 m), then 10 m/s: 2 km is reached at 400 s, 5 km at 750 s
    times = list(range(1000))
    dist = [5.0 * t if t <= 500 else 2500 + 10.0 * (t - 500) for t in times]
    s = segment_stats(
        streams(times, distance=dist, watts=[150 if t < 500 else 300 for t in times]),
        D(2000),
        D(5000),
    )
    assert (s.start_s, s.end_s, s.start_m, s.end_m, s.distance_m) == (400, 750, 2000, 5000, 3000)
    assert s.recorded_s == 350
    assert s.average_speed_mps == pytest.approx(3000 / 350)
    assert s.average_power_w == pytest.approx((100 * 150 + 250 * 300) / 350)


def test_elevation_gain_sums_the_rises_inside_the_range():
    alt = [100, 101, 103, 102, 105, 104, 110]
    s = segment_stats(streams(range(7), altitude=alt), T(1), T(6))
    # samples 1..6: +2, -1, +3, -1, +6
    assert s.elevation_gain_m == 11


def test_a_range_partly_outside_the_activity_is_clipped_with_a_warning():
    s = segment_stats(streams(range(100), watts=[100] * 100), T(50), T(500))
    assert (s.start_s, s.end_s, s.recorded_s) == (50, 100, 50)
    assert len(s.warnings) == 1 and "clipped" in s.warnings[0]


@pytest.mark.parametrize(
    "lo, hi, message",
    [
        (T(200), T(300), "wholly outside"),
        (T(50), T(20), "not before"),
        (D(100), D(200), "no distance stream"),
    ],
)
def test_impossible_ranges_are_refused(lo, hi, message):
    with pytest.raises(BoundError, match=message):
        segment_stats(streams(range(100), watts=[100] * 100), lo, hi)


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("3km", "distance", 3000),
        ("500m", "distance", 500),
        ("2.5mi", "distance", 4023.36),
        ("800yd", "distance", 731.52),
        ("0:10:00", "time", 600),
        ("1:02:03", "time", 3723),
        ("10:00", "time", 600),
        ("600s", "time", 600),
        ("3 KM", "distance", 3000),
    ],
)
def test_bounds_are_read_as_distances_or_elapsed_times(text, kind, value):
    bound = parse_bound(text)
    assert bound.kind == kind and bound.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["3", "abc", "0:61", "1:60:00", "-3km", ""])
def test_unreadable_bounds_are_refused(text):
    with pytest.raises(BoundError):
        parse_bound(text)


def test_np_of_an_empty_grid_is_none():
    assert normalized_power([]) is None and normalized_power([None] * 40) is None
