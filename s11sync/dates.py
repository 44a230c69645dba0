"""Reading API dates and timestamps: one tolerant parser each, shared by every module.

API dates come as `YYYY-MM-DD` or with a time part (`start_date_local`, event dates); the date is
the first 10 characters. Timestamps we write carry an offset; a naive one counts as UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any


def parse_day(value: Any) -> date | None:
    """Date part of an API date or date-time string; None if missing or unparsable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_timestamp(value: Any) -> datetime | None:
    """ISO-8601 timestamp, aware (a naive value or a trailing Z counts as UTC); None if unparsable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
