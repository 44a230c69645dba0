"""Small number/duration formatting helpers shared by every builder.

Rounding is Python's round() (half-to-even on the binary value) everywhere. Duration strings are
built from whole seconds, with no zero padding (`8h`, not `8h00m`), so a quoted duration carries no
rounding error of the decimal hours beside it.
"""

from __future__ import annotations

import math


def rnd(value: float | None, digits: int = 0):
    """Python round(); r0 gives an int. None (or NaN/inf) stays None."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if digits == 0:
        return int(round(value))
    return round(float(value), digits)


def fmt_dur(seconds: float | None) -> str:
    """Whole seconds → '1h2m5s' (zero parts skipped, no padding); <= 0 → '0s'."""
    s = int(seconds or 0)
    if s <= 0:
        return "0s"
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    out = ""
    if h:
        out += f"{h}h"
    if m:
        out += f"{m}m"
    if sec:
        out += f"{sec}s"
    return out


def fmt_dur_min(seconds: float | None) -> str:
    """Like fmt_dur but whole minutes only (27930 → '7h45m')."""
    s = int(seconds or 0)
    return fmt_dur((s // 60) * 60)
