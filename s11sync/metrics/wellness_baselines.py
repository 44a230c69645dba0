"""HRV / resting-HR baselines, Recovery Index (docs/metrics.md, "Wellness baselines" and
"Recovery Index") and the helpers the alerts use.

Valid HRV: rMSSD (`hrv`) with 10 ≤ hrv ≤ 250 ms; `hrvSDNN` never stands in for it. Usable RHR:
`restingHR` non-null and > 0. Wellness lists are sorted ascending by their `id` date first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from s11sync.numbers import finite_number, rounded_mean
from s11sync.windows import wellness_day

HRV_MIN_MS = 10
HRV_MAX_MS = 250
HRV_LOW_FACTOR = 0.8
RHR_HIGH_MARGIN_BPM = 5
DELOAD_DEFICIT_PCT = 20


def valid_hrv(record: Mapping[str, Any]) -> float | None:
    """The record's rMSSD when 10 ≤ hrv ≤ 250 (inclusive), else None."""
    hrv = finite_number(record.get("hrv"))
    if hrv is None or not HRV_MIN_MS <= hrv <= HRV_MAX_MS:
        return None
    return hrv


def usable_rhr(record: Mapping[str, Any]) -> float | None:
    """The record's resting HR when > 0, else None (a 0 reading is missing)."""
    rhr = finite_number(record.get("restingHR"))
    if rhr is None or rhr <= 0:
        return None
    return rhr


def hrv_baseline(records: Sequence[Mapping[str, Any]]) -> float | None:
    """Mean of the valid HRV values, 1 dp; None when there is none (one value is enough)."""
    return rounded_mean([v for v in map(valid_hrv, records) if v is not None], 1)


def rhr_baseline(records: Sequence[Mapping[str, Any]]) -> float | None:
    """Mean of the usable resting HR values, 1 dp; None when there is none."""
    return rounded_mean([v for v in map(usable_rhr, records) if v is not None], 1)


def recovery_index(
    hrv: float | None, rhr: float | None, hrv_base: float | None, rhr_base: float | None
) -> float | None:
    """(hrv ÷ hrv baseline) ÷ (rhr ÷ rhr baseline), 2 dp; None when any input is null or 0."""
    if not hrv or not rhr or not hrv_base or not rhr_base:
        return None
    return round((hrv / hrv_base) / (rhr / rhr_base), 2)


def wellness_block(
    wl7: Sequence[Mapping[str, Any]], wl28: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Baseline and Recovery Index fields in emission order.

    `wl7`/`wl28` must be sorted ascending (`sorted_wellness`).

    "Latest" is the last record of WL7 whatever its date; "yesterday" is the record dated exactly
    one day before it (not simply the previous record, which after a gap is not yesterday), both
    against the same today-inclusive 7-day baselines.
    """
    hrv7, rhr7 = hrv_baseline(wl7), rhr_baseline(wl7)
    latest = wl7[-1] if wl7 else None
    latest_hrv = valid_hrv(latest) if latest is not None else None
    latest_rhr = usable_rhr(latest) if latest is not None else None
    ri_yesterday = None
    if latest is not None:
        day = wellness_day(latest)
        wanted = day - timedelta(days=1) if day is not None else None
        previous = [r for r in wl7 if wanted is not None and wellness_day(r) == wanted]
        if previous:
            ri_yesterday = recovery_index(
                valid_hrv(previous[-1]), usable_rhr(previous[-1]), hrv7, rhr7
            )
    return {
        "recovery_index": recovery_index(latest_hrv, latest_rhr, hrv7, rhr7),
        "recovery_index_yesterday": ri_yesterday,
        "hrv_baseline_7d": hrv7,
        "rhr_baseline_7d": rhr7,
        "hrv_baseline_28d": hrv_baseline(wl28),
        "rhr_baseline_28d": rhr_baseline(wl28),
        "latest_hrv": latest_hrv,
        "latest_rhr": latest_rhr,
    }


# -- helpers for the alerts part -----------------------------------------------


def deload_context(tss_7d: float | None, tss_28d: float | None) -> str | None:
    """A 'deload pattern detected (…)' string when the 7-day load is ≥ 20 % under a 28-day week.

    Reads the emitted (rounded) totals: avg = S28 / 4, deficit = (avg − S7) / avg × 100.
    """
    if tss_7d is None or not tss_28d:
        return None
    avg = tss_28d / 4
    deficit = (avg - tss_7d) / avg * 100
    if deficit < DELOAD_DEFICIT_PCT:
        return None
    return (
        f"deload pattern detected (7-day load {round(tss_7d)} is {round(deficit)}% below "
        f"the 28-day weekly average {round(avg)})"
    )


def hrv_low_days(wl7: Sequence[Mapping[str, Any]], baseline: float | None) -> int:
    """Consecutive newest records with valid HRV ≤ 0.8 × baseline (the alert's own boundary,
    so a firing HRV alert always has persistence ≥ 1)."""
    if not baseline:
        return 0
    count = 0
    for record in reversed(wl7):
        hrv = valid_hrv(record)
        if hrv is None or not hrv <= HRV_LOW_FACTOR * baseline:
            break
        count += 1
    return count


def rhr_high_days(wl7: Sequence[Mapping[str, Any]], baseline: float | None) -> int:
    """Consecutive newest records with resting HR ≥ baseline + 5 bpm."""
    if baseline is None:
        return 0
    count = 0
    for record in reversed(wl7):
        rhr = usable_rhr(record)
        if rhr is None or not rhr >= baseline + RHR_HIGH_MARGIN_BPM:
            break
        count += 1
    return count
