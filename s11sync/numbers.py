"""The one home of the small number rules every metric and builder shares.

API values arrive as `Any` (JSON): a usable number is an int or float that is finite. Booleans are
never numbers (JSON `true` is not 1), numeric strings are not numbers (the API sends numbers as
numbers), and NaN, ±inf and integers too large for a float are missing values.

Means add left to right with plain `sum` and divide by the count, so a result is the same float
on every run; rounding is Python's `round()` (ties to even), never re-implemented.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any


def finite_number(value: Any) -> int | float | None:
    """The value itself when it is a finite int/float (not a bool), else None.

    An int stays an int, so a JSON `5` is written back as `5`, not `5.0`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return value if math.isfinite(value) else None
    except OverflowError:  # an int too large to be a float
        return None


def finite(value: Any) -> float | None:
    """`finite_number` as a float: the form metrics compute with."""
    number = finite_number(value)
    return None if number is None else float(number)


def finite_numbers(values: Iterable[Any]) -> list[int | float]:
    """The finite numbers of `values`, order kept (everything else is dropped)."""
    return [n for n in (finite_number(v) for v in values) if n is not None]


def non_negative_or_zero(value: Any) -> int | float:
    """An amount that can only add (seconds, metres, load): a finite number ≥ 0, else 0.

    Null, text, a negative or a non-finite value counts as nothing rather than as missing."""
    number = finite_number(value)
    return number if number is not None and number >= 0 else 0


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean of a non-empty sequence (the caller has checked there are values)."""
    return sum(values) / len(values)


def mean_or_none(values: Sequence[float]) -> float | None:
    """Arithmetic mean, or None when there are no values."""
    return mean(values) if values else None


def mean_present(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None, or None when none is."""
    return mean_or_none([v for v in values if v is not None])


def pair_mean(a: float | None, b: float | None) -> float | None:
    """(a + b) / 2, or None when either is missing (a half-known pair has no mean)."""
    return None if a is None or b is None else (a + b) / 2


def rnd(value: float | None, digits: int = 0):
    """Python round(); 0 digits gives an int. None (or NaN/inf) stays None."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if digits == 0:
        return int(round(value))
    return round(float(value), digits)


def rounded_mean(values: Sequence[float], digits: int = 0):
    """`rnd` of the mean; None when there are no values."""
    return rnd(mean_or_none(values), digits)


def round_denoised(value: float, digits: int) -> float:
    """round() after dropping float noise below 1e-6, so one total added up in two different
    orders (a stored base plus a window, or all at once) rounds alike at a .5 boundary."""
    return round(round(value, 6), digits)
