"""One valid-HRV rule (10–250 ms rMSSD, s11sync/metrics/wellness_baselines.py) behind the HRV
baseline, latest.json's weekly_summary and the history rows."""

from __future__ import annotations

from datetime import date

import pytest

from s11sync.history.tiers import Period
from s11sync.metrics.wellness_baselines import HRV_MAX_MS, HRV_MIN_MS, hrv_baseline, valid_hrv
from s11sync.outputs.summary import build_weekly_summary

DAY = date(2026, 11, 23)
# the range edges count; just outside them, text, a bool, NaN and inf do not
RECORDS = [
    {"hrv": HRV_MIN_MS},
    {"hrv": HRV_MAX_MS},
    {"hrv": 9.9},
    {"hrv": 250.1},
    {"hrv": "55"},
    {"hrv": True},
    {"hrv": float("nan")},
    {"hrv": float("inf")},
    {"hrv": None, "hrvSDNN": 60},
]


def test_the_range_is_10_to_250_ms_inclusive():
    assert (HRV_MIN_MS, HRV_MAX_MS) == (10, 250)
    assert [valid_hrv(r) for r in RECORDS] == [10, 250, None, None, None, None, None, None, None]


@pytest.mark.parametrize(
    "average",
    [
        lambda records: hrv_baseline(records),
        lambda records: build_weekly_summary([], records)["avg_hrv"],
        lambda records: Period([DAY], [], records).avg_hrv(),
    ],
    ids=["baseline", "weekly_summary", "history"],
)
def test_every_hrv_average_uses_the_one_rule(average):
    assert average(RECORDS) == 130.0  # (10 + 250) / 2; a text "55" used to stop weekly_summary
    assert average([{"hrv": 9}, {"hrv": 251}]) is None


def test_the_weekly_resting_hr_uses_the_baselines_rule():
    # only readings above 0 count; a negative, text or NaN value is missing (a text "52" used to
    # stop weekly_summary, a negative one pulled the average down)
    records = [{"restingHR": 50}, {"restingHR": 52}, {"restingHR": -5}, {"restingHR": "52"}]
    records += [{"restingHR": float("nan")}, {"restingHR": 0}]
    assert build_weekly_summary([], records)["avg_resting_hr"] == 51.0
