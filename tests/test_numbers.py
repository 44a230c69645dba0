"""The one numbers module (s11sync/numbers.py): what counts as a number, means and rounding."""

from __future__ import annotations

import math

import pytest

from s11sync.numbers import (
    finite,
    finite_number,
    finite_numbers,
    mean,
    mean_or_none,
    mean_present,
    non_negative_or_zero,
    pair_mean,
    rnd,
    round_denoised,
    rounded_mean,
)

HUGE = 10**400  # a JSON integer no float can hold
NOT_NUMBERS = [None, True, False, "5", "5.0", "nan", float("nan"), float("inf"), -math.inf, HUGE]


@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
def test_anything_but_a_finite_int_or_float_is_missing(value):
    assert finite_number(value) is None
    assert finite(value) is None
    assert non_negative_or_zero(value) == 0


def test_finite_number_keeps_an_int_an_int_and_finite_gives_a_float():
    assert finite_number(5) == 5 and type(finite_number(5)) is int
    assert finite_number(-2.5) == -2.5
    assert finite(5) == 5.0 and type(finite(5)) is float
    assert finite(0) == 0.0  # zero is a value, not a missing one


def test_finite_numbers_drops_the_rest_in_order():
    assert finite_numbers([3, None, "4", 1.5, float("nan"), True, 0]) == [3, 1.5, 0]


def test_non_negative_or_zero_counts_negatives_as_nothing():
    assert non_negative_or_zero(-3) == 0
    assert non_negative_or_zero(12) == 12 and type(non_negative_or_zero(12)) is int
    assert non_negative_or_zero(0.5) == 0.5


def test_means():
    assert mean([1, 2, 4]) == 7 / 3
    with pytest.raises(ZeroDivisionError):
        mean([])
    assert mean_or_none([]) is None
    assert mean_or_none([2.0, 3.0]) == 2.5
    assert mean_present([None, 2.0, None, 4.0]) == 3.0
    assert mean_present([None, None]) is None
    assert pair_mean(1.0, 2.0) == 1.5
    assert pair_mean(1.0, None) is None and pair_mean(None, 2.0) is None


def test_mean_adds_left_to_right_like_plain_sum():
    values = [0.1] * 10 + [1e16, -1e16]
    assert mean(values) == sum(values) / len(values)  # not math.fsum's exact result
    assert mean(values) != math.fsum(values) / len(values)


def test_rnd_is_pythons_round_half_to_even():
    assert rnd(2.5) == 2 and type(rnd(2.5)) is int
    assert rnd(3.5) == 4
    assert rnd(0.125, 2) == 0.12
    assert rnd(7, 1) == 7.0 and type(rnd(7, 1)) is float
    assert rnd(None) is None
    assert rnd(float("nan"), 1) is None and rnd(float("inf")) is None


def test_rounded_mean():
    assert rounded_mean([1, 2]) == 2  # 1.5 → 2 (even)
    assert rounded_mean([2, 3]) == 2  # 2.5 → 2 (even)
    assert rounded_mean([1.0, 1.25], 1) == 1.1  # 1.125 → 1.1
    assert rounded_mean([], 1) is None


def test_round_denoised_rounds_one_total_alike_whatever_the_order_it_was_added_in():
    base_first, window_first = (0.1 + 0.1) + 0.25, 0.1 + (0.1 + 0.25)
    assert round(base_first, 1) != round(window_first, 1)  # 0.45 vs 0.44999999999999996
    assert round_denoised(base_first, 1) == round_denoised(window_first, 1) == 0.5
    assert round_denoised(2.5, 0) == 2.0  # still ties to even
