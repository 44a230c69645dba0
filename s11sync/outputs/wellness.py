"""wellness_data and current_status.current_metrics (tests/outputs/test_latest.py)."""

from __future__ import annotations

from typing import Any

from s11sync.fmt import fmt_dur_min
from s11sync.numbers import rnd
from s11sync.scales import current_labels
from s11sync.units import to_display

# output key -> wellness record field, the tail both wellness_data rows and current_metrics end
# with (fatigue … readiness)
SHARED_TAIL: tuple[tuple[str, str], ...] = (
    ("fatigue", "fatigue"),
    ("soreness", "soreness"),
    ("stress", "stress"),
    ("mood", "mood"),
    ("motivation", "motivation"),
    ("injury", "injury"),
    ("hydration", "hydration"),
    ("spO2", "spO2"),
    ("blood_glucose", "bloodGlucose"),
    ("systolic", "systolic"),
    ("diastolic", "diastolic"),
    ("baevsky_si", "baevskySI"),
    ("lactate", "lactate"),
    ("respiration", "respiration"),
    ("body_fat_pct", "bodyFat"),
    ("abdomen_cm", "abdomen"),
    ("steps", "steps"),
    ("hydration_volume_l", "hydrationVolume"),
    ("kcal_consumed", "kcalConsumed"),
    ("carbohydrates_g", "carbohydrates"),
    ("protein_g", "protein"),
    ("fat_g", "fatTotal"),
    ("menstrual_phase", "menstrualPhase"),
    ("menstrual_phase_predicted", "menstrualPhasePredicted"),
    ("readiness", "readiness"),
)


def _sleep(record: dict[str, Any]) -> tuple[float | None, str | None]:
    secs = record.get("sleepSecs")
    if not secs:
        return None, None
    return rnd(secs / 3600, 2), fmt_dur_min(secs)


def _tail(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(field) for key, field in SHARED_TAIL}


def wellness_row(record: dict[str, Any], units: dict[str, str]) -> dict[str, Any]:
    """One wellness_data row, keys in a fixed order."""
    sleep_hours, sleep_formatted = _sleep(record)
    weight = record.get("weight")
    row = {
        "date": record.get("id"),
        "weight_kg": weight,
        "display": {"weight": to_display(weight, "weight", units)},
        "resting_hr": record.get("restingHR"),
        "hrv_rmssd": record.get("hrv"),
        "hrv_sdnn": record.get("hrvSDNN"),
        "sleep_hours": sleep_hours,
        "sleep_formatted": sleep_formatted,
        "sleep_quality": record.get("sleepQuality"),
        "sleep_score": record.get("sleepScore"),
        "mental_energy": record.get("mentalEnergy"),
        "avg_sleeping_hr": record.get("avgSleepingHR"),
        "vo2max": record.get("vo2max"),
    }
    row.update(_tail(record))
    return row


def build_wellness_data(
    records: list[dict[str, Any]], units: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows for the display-window records, ascending by date."""
    return [wellness_row(r, units) for r in sorted(records, key=lambda r: r.get("id") or "")]


def current_weight(
    records: list[dict[str, Any]], athlete: dict[str, Any] | None
) -> tuple[Any, str | None, str | None]:
    """(kg, source, date): the newest weigh-in among `records` ("wellness", its date), else the
    profile weight ("profile", no date), else (None, None, None)."""
    weighed = [r for r in records if isinstance(r, dict) and r.get("weight") and r.get("id")]
    if weighed:
        newest = max(weighed, key=lambda r: str(r["id"]))
        return newest["weight"], "wellness", str(newest["id"])[:10]
    profile = (athlete or {}).get("icu_weight") or None
    return profile, ("profile" if profile is not None else None), None


def build_current_metrics(
    records: list[dict[str, Any]],
    athlete: dict[str, Any] | None,
    units: dict[str, str],
    weight_records: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """From the newest display-window record `L`, with athlete weight/RHR fallbacks.

    Weight: the newest weigh-in of `weight_records` (default `records`; latest.json
    passes 28 days), with `weight_source` and `weight_date`; the profile weight only when there is
    no weigh-in, then with `weight_source: "profile"` and no date. The original script showed the
    profile weight under `L`'s date whenever `L` itself had no weight.
    """
    ordered = sorted(records, key=lambda r: r.get("id") or "")
    latest = ordered[-1] if ordered else {}
    athlete = athlete or {}
    weight, weight_source, weight_date = current_weight(
        weight_records if weight_records is not None else records, athlete
    )
    resting = (
        latest.get("restingHR")
        if latest.get("restingHR")
        else athlete.get("icu_resting_hr") or None
    )
    # say when the resting HR is the profile setting, not a reading of `date`
    resting_source = (
        "wellness" if latest.get("restingHR") else "profile" if resting is not None else None
    )
    sleep_hours, sleep_formatted = _sleep(latest)
    out = {
        "date": latest.get("id"),
        "weight_kg": weight,
        "weight_source": weight_source,
        "weight_date": weight_date,
        "display": {"weight": to_display(weight, "weight", units)},
        "resting_hr": resting,
        "resting_hr_source": resting_source,
        "hrv": latest.get("hrv"),
        "sleep_quality": latest.get("sleepQuality"),
        "scale_labels": {},
        "sleep_hours": sleep_hours,
        "sleep_formatted": sleep_formatted,
        "sleep_score": latest.get("sleepScore"),
    }
    out.update(_tail(latest))
    # the 1-4 scales run 1 = best; a label beside the numbers says which end is which
    out["scale_labels"] = current_labels(out)
    return out
