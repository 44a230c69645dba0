"""Worked examples E1–E12 of the workout_doc summary (s11sync's rendering) and the duration
strings (`1h30m`, `45m`, `30s`).

Three of them differ from the original's rendering (docs/differences.md, "Files and publishing"): a
steady workout has a summary (E2), `% FTP` is written with a space (E6), and a 3-step repeat block
renders instead of nulling the summary (E8)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.fmt import fmt_dur, fmt_dur_min
from s11sync.outputs.workout_doc import new_stats, summarise_event


def S(d, w):
    return {"duration": d, "_power": {"value": w}}


def H(d, b):
    return {"duration": d, "_hr": {"value": b}}


def P(d, pct):
    return {"duration": d, "power": {"value": pct, "units": "%ftp"}}


def R(n, steps):
    return {"reps": n, "steps": steps}


def run(steps, category="WORKOUT", description=""):
    stats = new_stats()
    event = {"category": category, "description": description, "workout_doc": {"steps": steps}}
    return summarise_event(event, stats), stats


def counters(stats):
    return {k: v for k, v in stats.items() if v}


def test_e1_warmup_repeat_block_cooldown():
    text, stats = run([S(600, 150), R(4, [S(596, 259), S(300, 130)]), S(600, 140)])
    assert text == "10m @150W | 4×9m56s @259W / 5m rec | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternA": 1}


def test_e2_one_steady_step_has_a_summary():
    text, stats = run([S(7200, 160)])
    assert text == "2h @160W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternA": 1}


def test_e3_flat_alternating_keeps_the_cooldown_after_a_trailing_rep():
    steps = [S(600, 150)] + [S(30, 400), S(30, 120)] * 3 + [S(30, 400), S(600, 140)]
    text, stats = run(steps)
    assert text == "10m @150W | 4×30s @400W / 30s rec | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternB": 1}


def test_e4_sets_with_a_set_recovery():
    block = R(2, [S(300, 150)] + [S(30, 380), S(15, 140)] * 6)
    text, stats = run([S(900, 160), block, S(600, 140)])
    assert text == "15m @160W | 2 sets × 6×30s @380W / 15s rec (5m set rec) | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternA": 1}


def test_e5_identical_consecutive_blocks_are_merged():
    block = R(5, [S(10, 700), S(180, 150)])
    text, stats = run([S(600, 150), block, dict(block), S(600, 140)])
    assert text == "10m @150W | 2 × 5×10s @700W / 3m rec | 10m @140W"
    assert stats["patternA"] == 1


def test_e6_percent_ftp_targets_are_not_printed_as_watts():
    text, stats = run([P(600, 55), R(3, [P(720, 92), P(300, 55)]), P(600, 50)])
    assert text == "10m @55% FTP | 3×12m @92% FTP / 5m rec | 10m @50% FTP"
    assert stats["patternA"] == 1


def test_e7_heart_rate_targets_and_a_rest_without_target():
    text, stats = run([H(600, 120), R(5, [H(180, 165), {"duration": 120}])])
    assert text == "10m @120bpm | 5×3m @165bpm / 2m rec"
    assert stats["patternA"] == 1


def test_e8_a_three_step_block_renders_with_its_recoveries():
    steps = [
        S(600, 150),
        R(3, [S(60, 300), S(60, 200), S(120, 120)]),
        R(4, [S(240, 300), S(180, 120)]),
        S(600, 140),
    ]
    text, stats = run(steps)
    # 200 W and 120 W are at most 80 % of 300 W: both are recoveries
    assert text == "10m @150W | 3×1m @300W / 1m rec + 2m rec | 4×4m @300W / 3m rec | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternA": 1}


def test_e9_a_one_step_repeat_block_renders():
    text, stats = run([S(600, 150), R(3, [S(60, 300)]), S(600, 140)])
    assert text == "10m @150W | 3×1m @300W | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternA": 1}


def test_e10_nested_alternating_with_a_trailing_rep():
    text, stats = run([R(1, [S(40, 350), S(20, 150)] * 5 + [S(40, 350)])])
    assert text == "6×40s @350W / 20s rec"
    assert stats["patternA"] == 1


def test_e11_watts_round_half_to_even():
    # 150.4 → 150; 259.5 → 260 (half-to-even); 120.5 is a rest (no watts shown)
    text, _ = run([S(600, 150.4), R(2, [S(1200, 259.5), S(300, 120.5)])])
    assert text == "10m @150W | 2×20m @260W / 5m rec"


def test_e12_a_long_set_break_is_absorbed_as_the_tail_pair():
    steps = [S(600, 150)] + [S(60, 350), S(60, 150)] * 3 + [S(60, 350), S(300, 150), S(600, 140)]
    text, stats = run(steps)
    assert text == "10m @150W | 4×1m @350W / 1m rec | 10m @140W"
    assert counters(stats) == {"attempted": 1, "success": 1, "patternB": 1}


def test_workout_without_doc_but_with_description_counts_bail_no_workout_doc():
    stats = new_stats()
    assert summarise_event({"category": "WORKOUT", "description": "- 1h Z2"}, stats) is None
    assert counters(stats) == {"bail_no_workout_doc": 1}


def test_note_with_description_changes_no_counter():
    stats = new_stats()
    assert summarise_event({"category": "NOTE", "description": "rest week"}, stats) is None
    assert counters(stats) == {}


def test_resolved_pace_target_renders_per_doc_pace_units():
    # 1000 / 4.0 m/s = 250 s = 4:10 /km
    steps = [
        {"duration": 300, "_pace": {"value": 4.0}},
        R(3, [{"duration": 60, "_pace": {"value": 4.0}}]),
    ]
    stats = new_stats()
    event = {"category": "WORKOUT", "workout_doc": {"steps": steps, "pace_units": "MINS_KM"}}
    assert summarise_event(event, stats) == "5m @4:10/km | 3×1m @4:10/km"


def test_garbage_steps_never_raise():
    stats = new_stats()
    event = {"category": "WORKOUT", "workout_doc": {"steps": ["x", {"reps": 2, "steps": None}, 3]}}
    assert summarise_event(event, stats) is None
    assert stats["bail_no_match"] == 1


def test_a_repeat_block_whose_odd_last_step_is_not_a_rep_keeps_that_step():
    # before: the 7th step (a 5m cool-down inside the block) silently vanished from the summary
    text, _ = run([R(1, [S(40, 350), S(20, 150)] * 3 + [S(300, 140)])])
    assert "5m" in text


@pytest.mark.parametrize(
    "seconds,text",
    [
        (300, "5m"),
        (90, "1m30s"),
        (3600, "1h"),
        (3725, "1h2m5s"),
        (27930, "7h45m30s"),
        (596, "9m56s"),
        (0, "0s"),
        (-5, "0s"),
        (90.9, "1m30s"),
    ],
)
def test_fmt_dur_examples_of_section_1_4(seconds, text):
    assert fmt_dur(seconds) == text


def test_fmt_dur_min_drops_seconds():
    assert fmt_dur_min(27930) == "7h45m"


_target = st.one_of(
    st.none(),
    st.fixed_dictionaries({"value": st.one_of(st.none(), st.integers(0, 500), st.floats(0, 500))}),
    st.fixed_dictionaries({"start": st.integers(0, 300), "end": st.integers(0, 300)}),
    st.text(max_size=3),
)
_plain_step = st.fixed_dictionaries(
    {},
    optional={
        "duration": st.one_of(
            st.none(), st.integers(-5, 4000), st.floats(0, 4000), st.text(max_size=2)
        ),
        "_power": _target,
        "power": _target,
        "_hr": _target,
        "_pace": _target,
    },
)
_step = st.one_of(
    _plain_step,
    st.fixed_dictionaries(
        {
            "reps": st.one_of(st.none(), st.integers(0, 6)),
            "steps": st.lists(_plain_step, max_size=14),
        }
    ),
    st.integers(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_step, max_size=16))
def test_any_steps_give_a_string_or_none_and_consistent_counters(steps):
    text, stats = run(steps)
    assert text is None or (isinstance(text, str) and text)
    assert stats["attempted"] == stats["patternA"] + stats["patternB"] + stats["bail_no_match"]
    assert stats["success"] == stats["patternA"] + stats["patternB"]
