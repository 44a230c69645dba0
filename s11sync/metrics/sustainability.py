"""Sustainability profile: per-family power/HR ceilings over 42 days, with the Coggan and CP/W′
models for cycling (docs/metrics.md, "Sustainability profile";
tests/metrics/test_sustainability.py).

Never null: without an active family it is `{note, window}`; consumers test the family keys and
their `anchors`. FTP falls back outdoor → indoor, never eFTP; the weight signal of
`current_status.weight` picks FTP and weight by other rules on purpose (docs/metrics.md, "Weight").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from s11sync.metrics.curves import (
    SUS_FAMILY_TYPES,
    SUS_WINDOW_DAYS,
    active_sustainability_families,
    curve_id,
    curve_label,
    curve_value,
    curves_by_id,
    sustainability_window,
)
from s11sync.metrics.thresholds import cycling_ftp
from s11sync.numbers import finite
from s11sync.windows import ACUTE_DAYS, EXTENDED_DAYS, in_window

SUS_ANCHORS: dict[str, dict[str, int]] = {
    "cycling": {
        "300s": 300,
        "600s": 600,
        "1200s": 1200,
        "1800s": 1800,
        "3600s": 3600,
        "5400s": 5400,
        "7200s": 7200,
    },
    "ski": {"60s": 60, "120s": 120, "300s": 300, "600s": 600, "1200s": 1200, "1800s": 1800},
    "rowing": {"60s": 60, "120s": 120, "300s": 300, "600s": 600, "1200s": 1200, "1800s": 1800},
}
# Coggan duration factors (fraction of FTP sustainable for d seconds).
COGGAN_FACTORS: dict[int, float] = {
    300: 1.06,
    600: 0.97,
    1200: 0.93,
    1800: 0.90,
    3600: 0.86,
    5400: 0.82,
    7200: 0.78,
}
MIN_OBSERVED_ANCHORS = 2
INDOOR_CYCLING_TYPE = "VirtualRide"

MODEL_TRUST_NOTE = (
    "CP/W' model (P = FTP + W'/t, FTP as CP proxy) is the primary reference up to 20 min; the "
    "Coggan duration factors are the reference from 60 min; 30 min is the crossover. "
    "model_divergence_pct = (actual - CP model) / CP model x 100; positive at short durations = "
    "strong anaerobic capacity or a stale W'. Indoor mean-maximal power is typically 3-5 % lower "
    "than outdoor."
)


def _positive(value: Any) -> Any:
    """The value as given when it is a number > 0, else None (the reference's truthiness test)."""
    checked = finite(value)
    return value if checked is not None and checked > 0 else None


def _dated(records: list[dict[str, Any]], today: date, days: int) -> list[dict[str, Any]]:
    """Wellness records of the last `days` days, oldest first (`s11sync.windows` rule)."""
    rows = in_window([r for r in records if isinstance(r, dict)], today, days, wellness=True)
    return sorted(rows, key=lambda r: r["id"][:10])


def sustainability_weight(
    wellness: list[dict[str, Any]], athlete: dict[str, Any] | None, today: date
) -> tuple[float | None, str | None]:
    """(weight_kg, weight_source): newest non-zero weight of the last 7 days, else of 28 days,
    else the athlete profile `icu_weight`; no staleness limit."""
    for days, source in ((ACUTE_DAYS, "wellness_recent"), (EXTENDED_DAYS, "wellness_extended")):
        for record in reversed(_dated(wellness, today, days)):
            weight = finite(record.get("weight"))
            if weight:
                return round(weight, 1), source
    profile = finite((athlete or {}).get("icu_weight"))
    if profile is not None:
        return round(profile, 1), "athlete_profile"
    return None, None


def ftp_staleness_days(ftp_history: dict[str, Any] | None, today: date) -> int | None:
    """Days since the newest date key of the FTP-history `indoor`/`outdoor` change log."""
    newest: date | None = None
    for series in ("indoor", "outdoor"):
        entries = (ftp_history or {}).get(series)
        for key in entries if isinstance(entries, dict) else ():
            try:
                day = date.fromisoformat(str(key)[:10])
            except ValueError:
                continue
            newest = day if newest is None or day > newest else newest
    return None if newest is None else (today - newest).days


def _wpkg(watts: Any, weight_kg: float | None) -> float | None:
    if watts is None or weight_kg is None or weight_kg <= 0:
        return None
    return round(watts / weight_kg, 2)


def _best(
    curves: list[tuple[str, dict[str, Any] | None]], secs: int, kind: str
) -> tuple[Any, str | None]:
    """Largest valid value over the family's curves; a tie keeps the earlier type."""
    best, best_type = None, None
    for sport_type, curve in curves:
        value = curve_value(curve, secs, kind)
        if value is not None and (best is None or value > best):
            best, best_type = value, sport_type
    return best, best_type


def _anchor(
    family: str,
    secs: int,
    power: list,
    hr: list,
    weight_kg: float | None,
    lthr: Any,
    ftp: Any,
    w_prime: Any,
) -> dict[str, Any]:
    watts, winner = _best(power, secs, "power")
    heart, _ = _best(hr, secs, "hr")
    actual_hr = round(heart) if heart is not None else None
    if watts is None:
        source = None
    elif family == "cycling":
        source = "observed_indoor" if winner == INDOOR_CYCLING_TYPE else "observed_outdoor"
    else:
        source = "observed"
    anchor: dict[str, Any] = {
        "actual_watts": watts,
        "actual_wpkg": _wpkg(watts, weight_kg),
        "actual_hr": actual_hr,
        "pct_lthr": round(actual_hr / lthr * 100, 1) if actual_hr is not None and lthr else None,
        "source": source,
    }
    if family != "cycling":
        return anchor
    coggan = round(ftp * COGGAN_FACTORS[secs]) if ftp else None
    cp_model = round(ftp + w_prime / secs) if ftp and w_prime else None
    divergence = None
    if watts is not None and cp_model:
        divergence = round((watts - cp_model) / cp_model * 100, 1)
    anchor.update(
        coggan_watts=coggan,
        coggan_wpkg=_wpkg(coggan, weight_kg),
        cp_model_watts=cp_model,
        cp_model_wpkg=_wpkg(cp_model, weight_kg),
        model_divergence_pct=divergence,
    )
    return anchor


def _family_block(
    family: str,
    sus_id: str,
    power_curves: dict[str, Any],
    hr_curves: dict[str, Any],
    weight_kg: float | None,
    thresholds: dict[str, Any],
    w_prime: Any,
    staleness: int | None,
) -> dict[str, Any]:
    types = SUS_FAMILY_TYPES[family]
    power = [
        (t, curves_by_id(power_curves.get(curve_label("power", t))).get(sus_id)) for t in types
    ]
    hr = [(t, curves_by_id(hr_curves.get(curve_label("hr", t))).get(sus_id)) for t in types]
    lthr = _positive((thresholds.get(family) or {}).get("lthr"))
    ftp = None
    if family == "cycling":
        outdoor, indoor = cycling_ftp(thresholds)
        ftp = _positive(outdoor) or _positive(indoor)
        w_prime = _positive(w_prime)
    anchors = {
        label: _anchor(family, secs, power, hr, weight_kg, lthr, ftp, w_prime)
        for label, secs in SUS_ANCHORS[family].items()
    }
    observed = sum(1 for a in anchors.values() if a["actual_watts"] is not None)
    coverage = round(observed / len(anchors), 2)
    if observed < MIN_OBSERVED_ANCHORS:
        return {
            "anchors": None,
            "coverage_ratio": coverage,
            "note": f"too few observed anchors ({observed}, need {MIN_OBSERVED_ANCHORS}+)",
        }
    block: dict[str, Any] = {"anchors": anchors, "coverage_ratio": coverage}
    if family == "cycling":
        block.update(
            ftp_used=ftp,
            w_prime_used=w_prime,
            ftp_staleness_days=staleness,
            model_trust_note=MODEL_TRUST_NOTE,
        )
    return block


def build_sustainability_profile(
    today: date,
    activities: list[dict[str, Any]],
    wellness: list[dict[str, Any]],
    athlete: dict[str, Any] | None,
    power_curves: dict[str, Any],
    hr_curves: dict[str, Any],
    thresholds: dict[str, Any],
    w_prime: Any,
    ftp_history: dict[str, Any] | None,
) -> dict[str, Any]:
    """`capability.sustainability_profile` (never null).

    `activities` is the run's activity list (families come from its 28-day slice), `thresholds` the
    `thresholds.sports` map, `w_prime` the power-model W′ (J), `ftp_history` the FTP change log.
    """
    start, end = sustainability_window(today)
    window = {"days": SUS_WINDOW_DAYS, "start": start.isoformat(), "end": end.isoformat()}
    families = active_sustainability_families(today, activities)
    if not families:
        return {"note": "no sustainability data available", "window": window}
    weight_kg, weight_source = sustainability_weight(wellness, athlete, today)
    profile: dict[str, Any] = {
        "window": window,
        "weight_kg": weight_kg,
        "weight_source": weight_source,
    }
    sus_id = curve_id(start, end)
    staleness = ftp_staleness_days(ftp_history, today)
    for family in families:
        profile[family] = _family_block(
            family,
            sus_id,
            power_curves or {},
            hr_curves or {},
            weight_kg,
            thresholds,
            w_prime,
            staleness,
        )
    return profile
