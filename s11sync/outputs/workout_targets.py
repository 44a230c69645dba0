"""Target text and comparable intensity of one `workout_doc` step.

The step shapes below are the ones the live service serves; they are pinned by
tests/outputs/test_workout_doc_real_shapes.py.

A step carries targets as the author wrote them (`power`/`hr`/`pace`: `{value|start,end, units}`)
and, with `resolve=true`, resolved siblings (`_power` W, `_hr` bpm, `_pace` m/s; `value` and/or
`start`/`end`, never `units`; zone targets resolve to `start`/`end` only).

Rendering rules (one target per step, the doc's `target` kind first, else power, HR, pace):
- zones stay zones: `Z2`, `Z3–Z4` (`Z2 HR`, `Z2 pace` for HR/pace), followed by the resolved range
  when the step has one (`Z2 @134–180W`);
- a fixed target shows the resolved value, else converts the authored value (`w` as is, `%ftp`
  with the doc's `ftp`, `%lthr` with `lthr`, `%pace` with `threshold_pace`), else shows it as a
  percentage (`@95% FTP`, `@95% LTHR`, `@80% max HR`, `@95% pace`);
- a range shows the resolved `start–end`, else the converted or authored range the same way;
- a percentage or zone number is never printed as watts, bpm or pace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from s11sync.numbers import finite_number
from s11sync.units import pace_string

DASH = "\u2013"  # –
KINDS = ("power", "hr", "pace")
PREFERRED_KIND = {"POWER": "power", "HR": "hr", "PACE": "pace"}

# A step is "clearly easier" than the hardest step of its repeat block when its target is at
# most REC_RATIO of the hardest one's (same scale), or two or more zones lower; and it is easy in
# itself: at most REC_MAX_FTP_SHARE of FTP when that share is known, at most Z2 for a zone.
REC_RATIO = 0.8
REC_ZONE_GAP = 2
REC_MAX_FTP_SHARE = 0.75
REC_MAX_ZONE = 2
ZONE_SCALES = ("power_zone", "hr_zone", "pace_zone")
# Scales compared in this order: what the author wrote first, then resolved absolute values.
SCALE_ORDER = (
    "%ftp",
    "power_zone",
    "W",
    "%lthr",
    "%hr",
    "hr_zone",
    "bpm",
    "%pace",
    "pace_zone",
    "m/s",
)
REST_INTENSITIES = ("rest", "recovery")


@dataclass(frozen=True)
class DocContext:
    """Doc-level values a step target may need (present on resolved docs)."""

    ftp: float | None = None
    lthr: float | None = None
    threshold_pace: float | None = None  # m/s
    pace_unit: str = "/km"
    preferred: str | None = None  # "power" / "hr" / "pace"


def _plain(value: float) -> str:
    """92 → '92', 92.0 → '92', 92.5 → '92.5'."""
    rounded = round(value, 1)
    if float(rounded).is_integer():
        return str(int(rounded))
    return str(rounded)


def _band(target: Any) -> tuple[float | None, float | None, float | None]:
    """(value, start, end) of a target object; all None when it is not one."""
    if not isinstance(target, dict):
        return None, None, None
    start, end = finite_number(target.get("start")), finite_number(target.get("end"))
    if start is None or end is None:
        start = end = None
    return finite_number(target.get("value")), start, end


def _mid(target: Any) -> float | None:
    value, start, end = _band(target)
    if value is not None:
        return value
    if start is not None and end is not None:
        return (start + end) / 2
    return None


def _units(target: Any) -> str:
    if isinstance(target, dict) and isinstance(target.get("units"), str):
        return target["units"].strip().lower()
    return ""


def _pair(lo: str, hi: str) -> str:
    return lo if lo == hi else f"{lo}{DASH}{hi}"


def _zone_text(value: float | None, start: float | None, end: float | None) -> str:
    if value is not None:
        return f"Z{_plain(value)}"
    return _pair(f"Z{_plain(start or 0)}", f"Z{_plain(end or 0)}")


# ------------------------------------------------------------------ absolute formatting per kind


def _abs_text(kind: str, value: float, ctx: DocContext) -> str | None:
    """An absolute value in the kind's display unit (W, bpm, pace per unit)."""
    if kind == "power":
        return f"{round(value)}W"
    if kind == "hr":
        return f"{round(value)}bpm"
    text = pace_string(value, ctx.pace_unit)
    return None if text is None else f"{text}{ctx.pace_unit}"


def _abs_range(kind: str, lo: float, hi: float, ctx: DocContext) -> str | None:
    if kind == "pace":
        a, b = pace_string(lo, ctx.pace_unit), pace_string(hi, ctx.pace_unit)
        if a is None or b is None:
            return None
        return f"{_pair(a, b)}{ctx.pace_unit}"
    unit = "W" if kind == "power" else "bpm"
    return f"{_pair(str(round(lo)), str(round(hi)))}{unit}"


def _resolved_text(kind: str, resolved: Any, fixed: bool, ctx: DocContext) -> str | None:
    """Text of a resolved sibling: its value for a fixed target, else its range."""
    value, start, end = _band(resolved)
    if start is not None and end is not None and not (fixed and value is not None):
        return _abs_range(kind, start, end, ctx)
    if value is not None:
        return _abs_text(kind, value, ctx)
    return None


# Authored relative units: (kind, units) → (context attribute, label when not convertible)
_RELATIVE = {
    ("power", "%ftp"): ("ftp", "% FTP"),
    ("power", "%mmp"): (None, "% MMP"),
    ("hr", "%lthr"): ("lthr", "% LTHR"),
    ("hr", "%hr"): (None, "% max HR"),
    ("pace", "%pace"): ("threshold_pace", "% pace"),
}
_ABSOLUTE_UNITS = {"power": ("w", "watts"), "hr": ("bpm",), "pace": ()}
_ZONE_UNITS = {"power": "power_zone", "hr": "hr_zone", "pace": "pace_zone"}
_ZONE_SUFFIX = {"power": "", "hr": " HR", "pace": " pace"}


def _authored_text(kind: str, target: Any, ctx: DocContext) -> str | None:
    """Authored target text without a resolved sibling (converted when the doc allows)."""
    value, start, end = _band(target)
    if value is None and start is None:
        return None
    units = _units(target)
    if units in _ABSOLUTE_UNITS[kind]:
        if value is not None:
            return _abs_text(kind, value, ctx)
        return _abs_range(kind, start or 0, end or 0, ctx)
    relative = _RELATIVE.get((kind, units))
    if relative is not None:
        attr, label = relative
        base = finite_number(getattr(ctx, attr)) if attr else None
        if base is not None and base > 0:
            if value is not None:
                return _abs_text(kind, value / 100 * base, ctx)
            return _abs_range(kind, (start or 0) / 100 * base, (end or 0) / 100 * base, ctx)
        if value is not None:
            return f"{_plain(value)}{label}"
        return f"{_pair(_plain(start or 0), _plain(end or 0))}{label}"
    shown = _plain(value) if value is not None else _pair(_plain(start or 0), _plain(end or 0))
    raw_units = target.get("units") if isinstance(target.get("units"), str) else ""
    return f"{shown} {raw_units.strip()}".rstrip()


def kind_text(kind: str, step: dict, ctx: DocContext) -> str | None:
    """Target text of one kind ('power'/'hr'/'pace'), None when the step has none of it."""
    authored, resolved = step.get(kind), step.get(f"_{kind}")
    value, start, end = _band(authored)
    has_authored = value is not None or start is not None
    if has_authored and _units(authored) == _ZONE_UNITS[kind]:
        zone = _zone_text(value, start, end) + _ZONE_SUFFIX[kind]
        extra = _resolved_text(kind, resolved, False, ctx)
        return f"{zone} @{extra}" if extra else zone
    text = _resolved_text(kind, resolved, value is not None, ctx)
    if text is None and has_authored:
        text = _authored_text(kind, authored, ctx)
    return None if text is None else f"@{text}"


def cadence_text(step: dict) -> str:
    value, start, end = _band(step.get("cadence"))
    if value is not None:
        return f"{_plain(value)}rpm"
    if start is not None and end is not None:
        return f"{_pair(_plain(start), _plain(end))}rpm"
    return ""


def target_text(step: dict, ctx: DocContext) -> str:
    """The step's target suffix (without a leading space), '' when it has none."""
    order = list(KINDS)
    if ctx.preferred in order:
        order.remove(ctx.preferred)
        order.insert(0, ctx.preferred)
    parts = []
    for kind in order:
        text = kind_text(kind, step, ctx)
        if text:
            parts.append(text)
            break
    cadence = cadence_text(step)
    if cadence:
        parts.append(cadence)
    return " ".join(parts)


# ------------------------------------------------------------------ comparable intensity


def intensity(step: dict, ctx: DocContext) -> dict[str, float]:
    """The step's target on every scale it can be read on (scale → number)."""
    out: dict[str, float] = {}
    conversions = {
        "%ftp": ("W", ctx.ftp),
        "%lthr": ("bpm", ctx.lthr),
        "%pace": ("m/s", ctx.threshold_pace),
    }
    absolute = {"power": "W", "hr": "bpm", "pace": "m/s"}
    for kind in KINDS:
        authored = step.get(kind)
        mid = _mid(authored)
        units = _units(authored)
        if mid is not None and units:
            if units in _ABSOLUTE_UNITS[kind]:
                out[absolute[kind]] = mid
            else:
                out[units] = mid
                scale, base = conversions.get(units, ("", None))
                base = finite_number(base)
                if scale and base is not None and base > 0:
                    out.setdefault(scale, mid / 100 * base)
        resolved = _mid(step.get(f"_{kind}"))
        if resolved is not None:
            out[absolute[kind]] = resolved
    ftp = finite_number(ctx.ftp)
    if "%ftp" in out:
        out["ftp_share"] = out["%ftp"] / 100
    elif "W" in out and ftp is not None and ftp > 0:
        out["ftp_share"] = out["W"] / ftp
    return out


def _easy_in_itself(level: dict[str, float], scale: str) -> bool:
    if level.get("ftp_share", 0.0) > REC_MAX_FTP_SHARE:
        return False
    return not (scale in ZONE_SCALES and level[scale] > REC_MAX_ZONE)


def has_target(step: dict) -> bool:
    return any(
        _mid(step.get(kind)) is not None or _mid(step.get(f"_{kind}")) is not None for kind in KINDS
    )


def recovery_flags(children: list[dict], ctx: DocContext) -> list[bool]:
    """Which children of a repeat block are recoveries (the rule in the module docstring of
    workout_doc): marked rest, untargeted beside targeted steps, or clearly easier than the
    hardest step on the scale most children share and easy in itself (≤ 75 % FTP when known,
    ≤ Z2 for zones)."""
    levels = [intensity(c, ctx) for c in children]
    targeted = [bool(level) for level in levels]
    scale = None
    best = 0
    for candidate in SCALE_ORDER:
        count = sum(1 for level in levels if candidate in level)
        if count > best:
            scale, best = candidate, count
    top = max((level[scale] for level in levels if scale in level), default=None)
    flags = []
    for child, level in zip(children, levels):
        if child.get("intensity") in REST_INTENSITIES:
            flags.append(True)
        elif not level:
            flags.append(any(targeted))
        elif scale is None or top is None or scale not in level or best < 2:
            flags.append(False)
        elif not _easy_in_itself(level, scale):
            flags.append(False)
        elif scale in ZONE_SCALES:
            flags.append(top - level[scale] >= REC_ZONE_GAP)
        else:
            flags.append(top > 0 and level[scale] <= REC_RATIO * top)
    return flags
