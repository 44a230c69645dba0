"""Effort response: session IF against the expected RPE band (docs/metrics.md, "Effort
response")."""

from __future__ import annotations

import pytest

from s11sync.metrics.effort import effort_response


@pytest.mark.parametrize(
    ("intensity", "rpe", "expected"),
    [
        (78.0, 7, "negative"),  # 75–85 → [4, 6]; 7 > 6
        (92.5, 5, "positive"),  # 85–95 → [6, 8]; 5 < 6
        (100.0, 8, "neutral"),  # 95–105 → [8, 9]
        (75.0, 3, "positive"),  # 75 belongs to the 4–6 band (lower bound inclusive)
        (74.9, 1, "positive"),  # 65–75 → [2, 4]
        (85.0, 8, "neutral"),
        (85.0, 7, "neutral"),
        (100, 10, "negative"),
        (105.0, 9, "neutral"),  # ≥ 105 → [9, 10]
        (65.0, 4, "neutral"),  # exactly 65 is covered
        (64.9, 5, None),  # below IF 0.65: out of coverage
        (60.0, 3, None),
        (0, 3, None),
        (None, 5, None),
        (80, 0, None),
        (80, None, None),
    ],
)
def test_effort_response_table(intensity, rpe, expected):
    assert effort_response({"icu_intensity": intensity, "icu_rpe": rpe}) == expected


def test_effort_response_on_an_activity_without_the_fields():
    assert effort_response({"type": "Ride"}) is None
