"""When history.json is rebuilt, and how fresh the kept file is.

    history_due(previous, today, full_history, zone, now)   regenerate this run?
    generated_after(doc, now)                                 a file "from the future"?
    build_history_block(history_doc, today, tz, stale)        the `history` block of latest.json

history.json costs a three-year fetch, so it is rebuilt at most once per athlete-local day; every
other run keeps the previous file and latest.json says how old it is. Pure: `today` and `now` are
passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from s11sync.cache import script_hash
from s11sync.dates import parse_timestamp

NO_HISTORY_NOTE = (
    "No history.json is available: longitudinal analysis is limited to the current 28-day window."
)


def _generated_on(doc: Mapping[str, Any], zone: tzinfo | None = None) -> date | None:
    """The athlete-local date of `generated_at`: in `zone` (the athlete's) when given, else in the
    stamp's own offset (it is written in athlete-local time)."""
    stamp = parse_timestamp(doc.get("generated_at"))
    if stamp is None:
        return None
    return stamp.astimezone(zone).date() if zone is not None else stamp.date()


def generated_after(doc: Any, now: datetime | None) -> str | None:
    """The file's `generated_at` when it lies after `now` (a file "from the future": written by a
    run with a later `--today`, or before the clock or the athlete's time zone moved back)."""
    if not isinstance(doc, Mapping) or now is None:
        return None
    stamp = parse_timestamp(doc.get("generated_at"))
    if stamp is None or stamp.tzinfo is None or now.tzinfo is None or stamp <= now:
        return None
    return str(doc.get("generated_at"))


def history_due(
    previous: dict | None,
    today: date,
    full_history: bool,
    zone: tzinfo | None = None,
    now: datetime | None = None,
) -> bool:
    """Regenerate when forced, when the file is missing or unreadable, when the cache key
    changed, when its `generated_at`, in athlete-local time (`zone`), falls before today, or when
    it lies after this run's instant `now` (a file from the future is never kept)."""
    if full_history or not isinstance(previous, dict):
        return True
    if previous.get("script_hash") != script_hash():
        return True
    if generated_after(previous, now) is not None:
        return True
    generated = _generated_on(previous, zone)
    return generated is None or generated < today


def _local_date(stamp: Any, tz: tzinfo | None) -> date | None:
    """Athlete-local date of an ISO timestamp; a naive one is taken as local already."""
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(stamp[:10])
        except ValueError:
            return None
    if moment.tzinfo is not None and tz is not None:
        moment = moment.astimezone(tz)
    return moment.date()


def build_history_block(
    history_doc: dict[str, Any] | None, today: date, tz: tzinfo | None, stale: bool | None = None
) -> dict[str, Any]:
    """latest.json → history: whether history.json exists, how old it is in athlete-local days
    (`tz`), its months of data and the confidence they allow. `stale` forces the flag (this run's
    regeneration failed); otherwise the file is stale from one day old, or when its age is
    unknown."""
    if not isinstance(history_doc, dict):
        return {"available": False, "history_confidence": "low", "note": NO_HISTORY_NOTE}
    generated = history_doc.get("generated_at")
    generated_day = _local_date(generated, tz)
    # never negative: a file dated after today (replayed --today, zone moved west) is 0 days old
    age = max(0, (today - generated_day).days) if generated_day is not None else None
    data_range = history_doc.get("data_range")
    months = data_range.get("total_months") if isinstance(data_range, dict) else None
    # a whole number ≥ 0, as latest.json's schema requires (a boolean is not a count)
    months = months if isinstance(months, int) and not isinstance(months, bool) else 0
    months = max(0, months)
    return {
        "available": True,
        "last_generated": generated[:10] if isinstance(generated, str) and generated else None,
        "age_days": age,
        "total_months": months,
        "history_confidence": "high" if months >= 12 else "medium" if months >= 3 else "low",
        "stale": bool(stale) or age is None or age >= 1,
    }
