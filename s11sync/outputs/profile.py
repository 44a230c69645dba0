"""athlete_profile and athlete_notes, with anonymisation (README.md, "Outputs", Privacy).

Built from an allow-list of athlete fields: the raw record holds `icu_api_key` and
`icu_friend_invite_token`, which must never reach any output.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from s11sync.dates import parse_day
from s11sync.units import athlete_units, to_display


def complete_years(start: date | None, today: date) -> int | None:
    """Whole years from `start` to `today` (birthday rule), None when unknown or in the future."""
    if start is None:
        return None
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return years if years >= 0 else None


def _trimmed(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def build_profile(
    athlete: dict[str, Any] | None, today: date, *, anonymize: bool
) -> dict[str, Any]:
    athlete = athlete or {}
    units = athlete_units(athlete)
    dob_text = athlete.get("icu_date_of_birth")
    dob = parse_day(dob_text)
    activated = athlete.get("icu_activated")
    activated_day = activated[:10] if isinstance(activated, str) and activated else None
    parts = [p for p in (_trimmed(athlete.get(k)) for k in ("city", "state", "country")) if p]
    location = ", ".join(parts) if parts else None
    if anonymize:
        location = _trimmed(athlete.get("country"))
    height = athlete.get("height")
    return {
        "date_of_birth": None if anonymize else (dob.isoformat() if dob else None),
        "age": complete_years(dob, today),
        "height_m": height,
        "display": {"height": to_display(height, "height", units)},
        "display_preferences": units,
        "sex": athlete.get("sex"),
        "location": location,
        "timezone": athlete.get("timezone"),
        "platform_activated": None if anonymize else activated_day,
        "years_on_platform": complete_years(parse_day(activated_day), today),
    }


def build_notes(athlete: dict[str, Any] | None) -> str | None:
    """`icu_notes` unchanged, else null. The OpenAPI description lacks the field; the live service
    serves it, so it is read when present."""
    notes = (athlete or {}).get("icu_notes")
    return notes if isinstance(notes, str) else None
