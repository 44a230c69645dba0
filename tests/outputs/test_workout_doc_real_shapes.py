"""workout_summary on the workout_doc shapes live Intervals.icu accounts send.

Payloads are hand-written in the shapes live accounts send: targets as
`{value|start,end, units}`, resolved `_power/_hr/_pace` siblings without `units` (zone targets
resolve to `start`/`end` only), repeat blocks with `reps`, `text`, `distance: 0` and a total
`duration`, distance steps with the platform's duration estimate.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.metrics.phase_features import is_hard_session
from s11sync.outputs.workout_doc import new_stats, summarise_event


def summary(steps, sport="Ride", **doc_keys):
    stats = new_stats()
    doc = {"steps": steps, "duration": 0, "distance": 0, "options": {}, "locales": [], **doc_keys}
    event = {"category": "WORKOUT", "type": sport, "workout_doc": doc}
    return summarise_event(event, stats), stats


def block(reps, steps, text=None):
    duration = reps * sum(s.get("duration", 0) for s in steps)
    return {
        "reps": reps,
        "text": text or f"{reps}x",
        "distance": 0,
        "duration": duration,
        "steps": steps,
    }


# ------------------------------------------------------------------ over/unders


def test_over_unders_are_all_work_not_work_and_recovery():
    # the exact payload: the second step is harder, so it cannot be a recovery
    over_under = {
        "reps": 4,
        "steps": [
            {"duration": 120, "power": {"units": "w", "value": 270}},
            {"duration": 60, "power": {"units": "w", "value": 315}},
        ],
    }
    text, stats = summary([over_under])
    assert text == "4×(2m @270W + 1m @315W)"
    assert stats["patternA"] == 1


def test_resolved_over_unders_in_percent_ftp_are_all_work():
    steps = [
        {
            "duration": 600,
            "warmup": True,
            "power": {"value": 60, "units": "%ftp"},
            "_power": {"value": 150.0, "start": 150.0, "end": 150.0},
        },
        block(
            3,
            [
                {
                    "duration": 180,
                    "power": {"value": 95, "units": "%ftp"},
                    "_power": {"value": 237.5, "start": 237.5, "end": 237.5},
                },
                {
                    "duration": 60,
                    "power": {"value": 105, "units": "%ftp"},
                    "_power": {"value": 262.5, "start": 262.5, "end": 262.5},
                },
            ],
        ),
    ]
    text, _ = summary(steps, ftp=250, target="POWER")
    assert text == "10m @150W | 3×(3m @238W + 1m @262W)"


def test_a_step_at_80_percent_of_the_work_is_a_recovery_and_81_percent_is_work():
    def two(rest_w):
        return [
            block(
                5,
                [
                    {"duration": 180, "power": {"units": "w", "value": 300}},
                    {"duration": 120, "power": {"units": "w", "value": rest_w}},
                ],
            )
        ]

    assert summary(two(240))[0] == "5×3m @300W / 2m rec"
    assert summary(two(243))[0] == "5×(3m @300W + 2m @243W)"


def test_flat_alternating_over_unders_are_not_folded_into_work_and_rest():
    under = {"duration": 120, "power": {"units": "w", "value": 270}}
    over = {"duration": 60, "power": {"units": "w", "value": 315}}
    text, stats = summary([under, over] * 4)
    assert "rec" not in text
    assert text == " | ".join(["2m @270W", "1m @315W"] * 4)
    assert stats["patternB"] == 0


# ------------------------------------------------------------------ zone targets


def test_power_zone_with_resolved_start_end_only_shows_the_zone_and_range():
    steps = [
        {
            "duration": 1800,
            "power": {"value": 2, "units": "power_zone"},
            "_power": {"start": 134.0, "end": 180.0},
        }
    ]
    assert summary(steps, ftp=240, target="POWER")[0] == "30m Z2 @134–180W"


def test_zone_ranges_and_unresolved_zones_show_as_zones():
    steps = [
        {"duration": 600, "power": {"start": 3, "end": 4, "units": "power_zone"}},
        {"duration": 2400, "hr": {"value": 2, "units": "hr_zone"}},
        {
            "duration": 300,
            "cooldown": True,
            "hr": {"start": 1, "end": 2, "units": "hr_zone"},
            "_hr": {"start": 96.0, "end": 142.0},
        },
    ]
    assert summary(steps)[0] == "10m Z3–Z4 | 40m Z2 HR | 5m Z1–Z2 HR @96–142bpm"


def test_pace_zone_target_with_resolved_pace():
    steps = [
        {
            "duration": 1200,
            "pace": {"value": 2, "units": "pace_zone"},
            "_pace": {"start": 3.0, "end": 3.333},
        }
    ]
    assert summary(steps, sport="Run", pace_units="MINS_KM")[0] == "20m Z2 pace @5:33–5:00/km"


def test_distinct_zone_steps_are_not_merged_into_a_fake_repeat():
    steps = [
        {
            "duration": 600,
            "power": {"value": 2, "units": "power_zone"},
            "_power": {"start": 134.0, "end": 180.0},
        },
        {
            "duration": 600,
            "power": {"value": 3, "units": "power_zone"},
            "_power": {"start": 182.0, "end": 216.0},
        },
        block(
            3,
            [
                {
                    "duration": 300,
                    "power": {"value": 5, "units": "power_zone"},
                    "_power": {"start": 254.0, "end": 288.0},
                },
                {
                    "duration": 300,
                    "power": {"value": 1, "units": "power_zone"},
                    "_power": {"start": 0.0, "end": 132.0},
                },
            ],
        ),
    ]
    text, _ = summary(steps, ftp=240)
    assert text == "10m Z2 @134–180W | 10m Z3 @182–216W | 3×5m Z5 @254–288W / 5m rec"
    assert "2 × 10m" not in text


def test_only_identical_steps_merge():
    z2 = {"duration": 600, "power": {"value": 2, "units": "power_zone"}}
    text, _ = summary(
        [z2, dict(z2), block(2, [{"duration": 60, "power": {"value": 6, "units": "power_zone"}}])]
    )
    assert text == "2 × 10m Z2 | 2×1m Z6"


def test_zone_numbers_and_percentages_are_never_watts():
    steps = [
        {"duration": 600, "power": {"value": 2, "units": "power_zone"}},
        {"duration": 600, "power": {"value": 95, "units": "%ftp"}},
    ]
    text, _ = summary(steps)
    assert text == "10m Z2 | 10m @95% FTP"
    assert "2W" not in text and "95W" not in text


def test_unknown_units_are_shown_as_written_never_as_watts():
    steps = [
        {"duration": 600, "power": {"value": 95, "units": "%MMP"}},
        {"duration": 600, "pace": {"value": 4.5, "units": "MINS_KM"}},
    ]
    assert summary(steps, sport="Run")[0] == "10m @95% MMP | 10m @4.5 MINS_KM"


# ------------------------------------------------------------------ ranges


def test_a_watt_range_without_resolved_power_keeps_its_range():
    steps = [
        block(
            3,
            [
                {"duration": 720, "power": {"units": "w", "start": 302, "end": 314}},
                {"duration": 300, "power": {"units": "w", "value": 150}},
            ],
        )
    ]
    assert summary(steps)[0] == "3×12m @302–314W / 5m rec"


def test_percent_ftp_range_is_converted_with_the_doc_ftp_else_shown_as_percent():
    steady = [{"duration": 12600, "power": {"start": 64, "end": 72, "units": "%ftp"}}]
    assert summary(steady)[0] == "3h30m @64–72% FTP"
    assert summary(steady, ftp=250)[0] == "3h30m @160–180W"


def test_a_resolved_range_shows_start_and_end():
    steps = [
        {
            "duration": 900,
            "ramp": True,
            "power": {"start": 50, "end": 75, "units": "%ftp"},
            "_power": {"value": 162.5, "start": 130.0, "end": 195.0},
        }
    ]
    assert summary(steps, ftp=260)[0] == "15m ramp @130–195W"


# ------------------------------------------------------------------ repeat blocks of 3-5 steps


def test_an_opener_settle_recovery_block_gets_a_summary():
    steps = [
        block(
            3,
            [
                {"text": "opener", "duration": 30, "power": {"units": "w", "value": 400}},
                {"text": "settle", "duration": 270, "power": {"units": "w", "value": 340}},
                {"duration": 120, "power": {"units": "w", "value": 120}},
            ],
        )
    ]
    assert summary(steps)[0] == "3×(30s @400W + 4m30s @340W) / 2m rec"


def test_a_settle_step_above_75_percent_ftp_is_work_not_recovery():
    # 90 % FTP is 60 % of the 150 % opener, but it is no recovery
    steps = [
        block(
            3,
            [
                {"duration": 30, "power": {"value": 150, "units": "%ftp"}},
                {"duration": 270, "power": {"value": 90, "units": "%ftp"}},
                {"duration": 120, "power": {"value": 50, "units": "%ftp"}},
            ],
        )
    ]
    assert summary(steps)[0] == "3×(30s @150% FTP + 4m30s @90% FTP) / 2m rec"
    resolved = [
        block(
            3,
            [
                {"duration": 30, "_power": {"value": 375.0}},
                {"duration": 270, "_power": {"value": 225.0}},
                {"duration": 120, "_power": {"value": 125.0}},
            ],
        )
    ]
    assert summary(resolved, ftp=250)[0] == "3×(30s @375W + 4m30s @225W) / 2m rec"


def test_a_zone_recovery_is_two_zones_lower_and_at_most_z2():
    def zones(work, rest):
        return [
            block(
                4,
                [
                    {"duration": 240, "power": {"value": work, "units": "power_zone"}},
                    {"duration": 120, "power": {"value": rest, "units": "power_zone"}},
                ],
            )
        ]

    assert summary(zones(4, 2))[0] == "4×4m Z4 / 2m rec"
    assert summary(zones(4, 3))[0] == "4×(4m Z4 + 2m Z3)"
    assert summary(zones(5, 3))[0] == "4×(4m Z5 + 2m Z3)"


def test_a_five_step_over_under_set_gets_a_summary():
    under = {"duration": 120, "power": {"value": 92, "units": "%ftp"}}
    over = {"duration": 60, "power": {"value": 108, "units": "%ftp"}}
    rest = {"duration": 300, "power": {"value": 50, "units": "%ftp"}}
    text, stats = summary([block(2, [under, over, under, over, rest])])
    assert text == "2×(2m @92% FTP + 1m @108% FTP + 2m @92% FTP + 1m @108% FTP) / 5m rec"
    assert stats["success"] == 1


def test_a_four_step_block_with_two_recoveries():
    steps = [
        block(
            4,
            [
                {"duration": 60, "_power": {"value": 300.0}},
                {"duration": 60, "_power": {"value": 200.0}},
                {"duration": 120, "_power": {"value": 120.0}},
                {"duration": 60, "_power": {"value": 300.0}},
            ],
        )
    ]
    assert summary(steps)[0] == "4×(1m @300W + 1m rec + 2m rec + 1m @300W)"


# ------------------------------------------------------------------ distance steps


def test_distance_swim_steps_are_shown_by_distance_and_pace():
    steps = [
        {
            "text": "easy",
            "warmup": True,
            "intensity": "warmup",
            "distance": 400,
            "duration": 330,
            "pace": {"start": 75, "end": 82, "units": "%pace"},
        },
        block(
            4,
            [
                {
                    "distance": 300,
                    "duration": 310,
                    "pace": {"value": 97, "units": "%pace"},
                    "_pace": {"value": 1.0, "start": 0.975, "end": 1.025},
                },
                {"text": "wall rest", "duration": 20, "intensity": "rest"},
            ],
        ),
        block(4, [{"distance": 300, "duration": 310, "_pace": {"value": 1.0}}]),
    ]
    text, _ = summary(steps, sport="Swim", pace_units="SECS_100M", threshold_pace=1.2)
    assert text == ("400m @1:51–1:42/100m | 4×300m @1:40/100m / 20s rec | 4×300m @1:40/100m")
    assert "5m10s" not in text


def test_track_reps_in_km_and_percent_pace_without_threshold():
    steps = [
        block(
            5,
            [
                {"distance": 1000, "duration": 225, "pace": {"value": 105, "units": "%pace"}},
                {"duration": 90},
            ],
        )
    ]
    assert summary(steps, sport="Run")[0] == "5×1km @105% pace / 1m30s rec"


# ------------------------------------------------------------------ steady workouts


def test_steady_workouts_get_a_summary():
    assert (
        summary([{"duration": 2700, "hr": {"value": 2, "units": "hr_zone"}}], sport="Run")[0]
        == "45m Z2 HR"
    )
    assert summary([{"duration": 3600, "_power": {"value": 180.0}}])[0] == "1h @180W"


def test_an_empty_steps_list_stays_null():
    text, stats = summary([])
    assert text is None
    assert stats["attempted"] == 0


def test_steps_without_durations_fall_back_to_the_doc_total():
    text, stats = summary([{"text": "free"}], duration=3600)
    assert (text, stats["success"]) == ("1h", 1)


# ------------------------------------------------------------------ phase features


def test_steady_and_merged_identical_steps_are_not_hard_sessions_but_repeats_are():
    def hard(text):
        return is_hard_session({"workout_summary": text, "name": "Ride", "type": "WORKOUT"})

    assert not hard("3h30m @64–72% FTP")
    assert not hard("2 × 1h @150W")
    assert hard("4×(2m @270W + 1m @315W)")
    assert hard("2 × 5×10s @700W / 3m rec")
    assert hard("2 sets × 6×30s @380W / 15s rec")


# ------------------------------------------------------------------ property


_units = {
    "power": st.sampled_from(["%ftp", "w", "power_zone", "%mmp"]),
    "hr": st.sampled_from(["%lthr", "%hr", "hr_zone", "bpm"]),
    "pace": st.sampled_from(["%pace", "pace_zone", "MINS_KM"]),
}


def _target(kind):
    number = st.integers(1, 400)
    fixed = st.fixed_dictionaries({"value": number, "units": _units[kind]})
    ranged = st.fixed_dictionaries({"start": number, "end": number, "units": _units[kind]})
    return st.one_of(fixed, ranged)


_resolved = st.one_of(
    st.fixed_dictionaries(
        {"value": st.floats(1, 500), "start": st.floats(1, 500), "end": st.floats(1, 500)}
    ),
    st.fixed_dictionaries({"start": st.floats(1, 500), "end": st.floats(1, 500)}),
)
_amount = st.one_of(
    st.fixed_dictionaries({"duration": st.integers(1, 20000)}),
    st.fixed_dictionaries({"distance": st.integers(25, 20000), "duration": st.integers(1, 9000)}),
)
_plain_step = st.builds(
    lambda amount, extra: {**amount, **extra},
    _amount,
    st.fixed_dictionaries(
        {},
        optional={
            "power": _target("power"),
            "_power": _resolved,
            "hr": _target("hr"),
            "_hr": _resolved,
            "pace": _target("pace"),
            "_pace": _resolved,
            "cadence": st.fixed_dictionaries(
                {"value": st.integers(60, 110), "units": st.just("rpm")}
            ),
            "ramp": st.just(True),
            "warmup": st.just(True),
            "cooldown": st.just(True),
            "intensity": st.sampled_from(["warmup", "active", "rest", "cooldown"]),
            "text": st.text(max_size=8),
        },
    ),
)
_step = st.one_of(
    _plain_step,
    st.builds(
        lambda reps, steps: block(reps, steps),
        st.integers(1, 12),
        st.lists(_plain_step, min_size=1, max_size=8),
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_step, min_size=1, max_size=10),
    st.sampled_from(["Ride", "Run", "Swim", "Rowing", "WeightTraining"]),
    st.fixed_dictionaries(
        {},
        optional={
            "ftp": st.integers(100, 400),
            "lthr": st.integers(120, 190),
            "threshold_pace": st.floats(0.8, 6.0),
            "target": st.sampled_from(["POWER", "HR", "PACE", "AUTO"]),
            "pace_units": st.sampled_from(["MINS_KM", "MINS_MILE", "SECS_100M", "SECS_500M"]),
        },
    ),
)
def test_any_non_empty_doc_in_the_real_shape_gets_a_summary(steps, sport, doc_keys):
    text, stats = summary(steps, sport=sport, **doc_keys)
    assert isinstance(text, str) and text.strip()
    assert stats["success"] == stats["attempted"] == 1
    assert "None" not in text
