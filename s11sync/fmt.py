"""Duration formatting shared by every builder (numbers and rounding: s11sync.numbers).

Duration strings are built from whole seconds, with no zero padding (`8h`, not `8h00m`), so a quoted
duration carries no rounding error of the decimal hours beside it.
"""

from __future__ import annotations

__all__ = ["fmt_dur", "fmt_dur_min"]


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
