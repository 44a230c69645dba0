"""Per-sport thresholds from the athlete's `sportSettings`, and the Ride power-model inputs read
from today's wellness `sportInfo`.

A settings block applies to every activity type in its `types` list, so a block is a candidate for
the family of each of those types (`s11sync.sports.family_of`, which places every type the API
sends): a Ride block whose `types` also list Cyclocross is a cycling block, and a Swim block that
lists OpenWaterSwim gives the swim pace. Tests: tests/test_sports.py (blocks in the shape live
accounts send) and tests/metrics/test_thresholds.py (selection and tie-break).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from s11sync.numbers import finite
from s11sync.sports import family_of
from s11sync.units import pace_unit_for, to_display

# Fields that count towards "most non-null fields"; pace_units is a display preference and does not.
SCORED_FIELDS = ("lthr", "max_hr", "threshold_pace", "ftp", "ftp_indoor")


def _truthy_or_none(value: Any) -> Any:
    """The original's `x if x else None` for FTP and pace: 0 means unset."""
    return value if value else None


def _candidate(settings: dict[str, Any]) -> dict[str, Any]:
    pace = _truthy_or_none(settings.get("threshold_pace"))
    pace_units = settings.get("pace_units") if pace is not None else None
    return {
        "lthr": settings.get("lthr"),
        "max_hr": settings.get("max_hr"),
        "threshold_pace": pace,
        "pace_units": pace_units,
        "ftp": _truthy_or_none(settings.get("ftp")),
        "ftp_indoor": _truthy_or_none(settings.get("indoor_ftp")),
    }


def _score(candidate: dict[str, Any]) -> int:
    return sum(1 for key in SCORED_FIELDS if candidate[key] is not None)


def thresholds_by_sport(athlete: dict[str, Any] | None) -> dict[str, Any]:
    """`current_status.thresholds.sports`: one candidate per family, keyed by family.

    Per family the settings entry with the most non-null scored fields wins; on a tie the one whose
    type name sorts first. Families keep the order in which they first appear. Each entry ends with
    `display.threshold_pace` (pace string in the unit named by `pace_units`, null without a pace).
    """
    settings_list = (athlete or {}).get("sportSettings")
    if not isinstance(settings_list, list):
        return {}
    best: dict[str, tuple[int, str, dict[str, Any]]] = {}
    for settings in settings_list:
        if not isinstance(settings, dict) or not isinstance(settings.get("types"), list):
            continue
        candidate = _candidate(settings)
        score = _score(candidate)
        for sport_type in settings["types"]:
            if not isinstance(sport_type, str):
                continue
            family = family_of(sport_type)
            kept = best.get(family)
            if kept is None or score > kept[0] or (score == kept[0] and sport_type < kept[1]):
                best[family] = (score, sport_type, candidate)
    out: dict[str, Any] = {}
    for family, (_, _, candidate) in best.items():
        pace = candidate["threshold_pace"]
        display = to_display(pace, "pace", pace_unit=pace_unit_for(candidate["pace_units"]))
        out[family] = {**candidate, "display": {"threshold_pace": display}}
    return out


def cycling_ftp(thresholds: dict[str, Any]) -> tuple[Any, Any]:
    """(outdoor `ftp`, `ftp_indoor`) of the cycling entry; (None, None) without one."""
    cycling = thresholds.get("cycling") or {}
    return cycling.get("ftp"), cycling.get("ftp_indoor")


def ride_power_model(wellness: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """`eftp` (W, 1 dp) and `w_prime` (J, int) from today's wellness `sportInfo` Ride entry.

    First entry with `type == "Ride"`; a null/0 value (or no record, no entry) gives None.
    """
    key = today.isoformat()
    record = next(
        (
            w
            for w in wellness
            if isinstance(w, dict) and isinstance(w.get("id"), str) and w["id"][:10] == key
        ),
        None,
    )
    sport_info = (record or {}).get("sportInfo")
    entry = next(
        (s for s in sport_info or [] if isinstance(s, dict) and s.get("type") == "Ride"), None
    )
    if entry is None:
        return {"eftp": None, "w_prime": None}
    eftp, w_prime = _positive(entry.get("eftp")), _positive(entry.get("wPrime"))
    return {
        "eftp": round(eftp, 1) if eftp is not None else None,
        "w_prime": round(w_prime) if w_prime is not None else None,
    }


def _positive(value: Any) -> float | None:
    """A finite number > 0 as float, else None (the reference's truthiness test on a number)."""
    checked = finite(value)
    return checked if checked is not None and checked > 0 else None
