"""One-line summaries of planned workouts from `workout_doc.steps` (outputs-latest §15).

`4×9m56s @259W / 5m rec`. Pattern A reads explicit repeat blocks; Pattern B finds flat alternating
work/rest steps. Both are pure and never raise: any surprise in the doc counts as "no match".
"""

from __future__ import annotations

from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.units import pace_string, pace_unit_for

TIMES = "\u00d7"  # ×
SEPARATOR = " | "
TRAINING_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C")
STAT_KEYS = ("attempted", "success", "patternA", "patternB", "bail_no_workout_doc", "bail_no_match")


class _NoMatch(Exception):
    """An unrenderable repeat block: the whole summary is null (§15.6 decision 3)."""


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _duration(step: dict) -> int | None:
    """Whole seconds of a step with a non-zero numeric duration, else None."""
    value = _num(step.get("duration"))
    if value is None or int(value) == 0:
        return None
    return int(value)


def _target_value(step: dict, key: str) -> float | None:
    target = step.get(key)
    if isinstance(target, dict):
        return _num(target.get("value"))
    return None


def _watts(step: dict) -> int | None:
    """Watts for the alternating detectors: resolved `_power.value`, else `power` in `w`."""
    value = _target_value(step, "_power")
    if value is None:
        power = step.get("power")
        if isinstance(power, dict) and power.get("units") == "w":
            value = _num(power.get("value"))
    return None if value is None else round(value)


def _plain(value: float) -> str:
    """92 → '92', 92.0 → '92', 92.5 → '92.5'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _target_text(step: dict, pace_unit: str) -> str:
    """Target suffix per §15.6 decision 2, or '' for duration only."""
    resolved = _target_value(step, "_power")
    if resolved is not None:
        return f" @{round(resolved)}W"
    power = step.get("power")
    if isinstance(power, dict) and _num(power.get("value")) is not None:
        if power.get("units") == "w":
            return f" @{round(power['value'])}W"
        if power.get("units") == "%ftp":
            return f" @{_plain(power['value'])}%FTP"
    resolved = _target_value(step, "_hr")
    if resolved is not None:
        return f" @{round(resolved)}bpm"
    hr = step.get("hr")
    if isinstance(hr, dict) and _num(hr.get("value")) is not None:
        if hr.get("units") == "%lthr":
            return f" @{_plain(hr['value'])}%LTHR"
        if hr.get("units") == "%hr":
            return f" @{_plain(hr['value'])}%HR"
    resolved = _target_value(step, "_pace")
    if resolved is not None:
        text = pace_string(resolved, pace_unit)
        if text is not None:
            return f" @{text}{pace_unit}"
    return ""


def _flat(step: Any, pace_unit: str) -> str:
    """'{dur}' plus target; '' when the step has no valid duration."""
    if not isinstance(step, dict):
        return ""
    duration = _duration(step)
    if duration is None:
        return ""
    return fmt_dur(duration) + _target_text(step, pace_unit)


def _is_repeat(step: dict) -> bool:
    return step.get("reps") is not None and isinstance(step.get("steps"), list)


def _merge(parts: list[str]) -> str | None:
    """None unless some part has × or 'sets'; runs of k ≥ 2 identical parts become 'k × part'."""
    if not any(TIMES in p or "sets" in p for p in parts):
        return None
    merged: list[str] = []
    i = 0
    while i < len(parts):
        k = 1
        while i + k < len(parts) and parts[i + k] == parts[i]:
            k += 1
        merged.append(f"{k} {TIMES} {parts[i]}" if k >= 2 else parts[i])
        i += k
    return SEPARATOR.join(merged)


def _gap_ok(work_w: int, rest_w: int) -> bool:
    return work_w > rest_w and work_w - rest_w >= max(10, 0.05 * work_w)


def _nested_alternating(nested: list, outer_reps: Any) -> str | None:
    """§15.4: a repeat block of ≥ 3 steps holding n × (work, rest), optionally a set recovery."""
    if not all(isinstance(s, dict) for s in nested):
        return None
    candidates = list(nested)
    set_rec: int | None = None
    if len(candidates) >= 5:
        w0, w1 = _watts(candidates[0]), _watts(candidates[1])
        d0, d1 = _duration(candidates[0]), _duration(candidates[1])
        if (
            w0 is not None and w1 is not None and d0 is not None and d1 is not None
            and w0 <= w1 and d0 > d1
        ):
            set_rec = d0
            candidates = candidates[1:]
    if len(candidates) < 6:
        return None
    pairs = []
    for k in range(0, len(candidates) - 1, 2):
        work, rest = candidates[k], candidates[k + 1]
        ww, wr, dw, dr = _watts(work), _watts(rest), _duration(work), _duration(rest)
        if ww is None or wr is None or dw is None or dr is None or not _gap_ok(ww, wr):
            return None
        pairs.append((dw, ww, dr, wr))
    first_dw, first_ww, first_dr, first_wr = pairs[0]
    trailing = 0
    if len(candidates) % 2 == 1:
        last = candidates[-1]
        lw, ld = _watts(last), _duration(last)
        if ld == first_dw and lw is not None and abs(lw - first_ww) <= 2:
            trailing = 1
    if len(pairs) + trailing < 3:
        return None
    for index, (dw, ww, dr, wr) in enumerate(pairs):
        if dw != first_dw or abs(ww - first_ww) > 2 or abs(wr - first_wr) > 2:
            return None
        if dr != first_dr and index != len(pairs) - 1:
            return None
    inner = (
        f"{len(pairs) + trailing}{TIMES}{fmt_dur(first_dw)} @{first_ww}W / {fmt_dur(first_dr)} rec"
    )
    text = f"{outer_reps} sets {TIMES} {inner}" if _num(outer_reps) and outer_reps > 1 else inner
    if set_rec is not None:
        text += f" ({fmt_dur(set_rec)} set rec)"
    return text


def _repeat_text(block: dict, pace_unit: str) -> str:
    """Render one repeat block (Pattern A); raise _NoMatch when it cannot be rendered."""
    reps, nested = block.get("reps"), block["steps"]
    text = ""
    if len(nested) == 2:
        work, rest = nested
        work_text = _flat(work, pace_unit)
        if work_text:
            rest_d = _duration(rest) if isinstance(rest, dict) else None
            text = f"{reps}{TIMES}{work_text}"
            if rest_d is not None:
                text += f" / {fmt_dur(rest_d)} rec"
    elif len(nested) >= 3:
        text = _nested_alternating(nested, reps) or ""
    elif len(nested) == 1:
        step_text = _flat(nested[0], pace_unit)
        if step_text:
            text = f"{reps}{TIMES}{step_text}"
    if not text:
        raise _NoMatch
    return text


def pattern_a(steps: list, pace_unit: str = "/km") -> str | None:
    """Explicit repeats (§15.3 with the §15.6 decisions)."""
    parts = []
    for step in steps:
        if not isinstance(step, dict):
            continue
        text = _repeat_text(step, pace_unit) if _is_repeat(step) else _flat(step, pace_unit)
        if text:
            parts.append(text)
    return _merge(parts)


def _matches_work(d: int | None, w: int | None, ref_d: int, ref_w: int) -> bool:
    return d is not None and w is not None and abs(d - ref_d) <= 1 and abs(w - ref_w) <= 2


def pattern_b(steps: list, pace_unit: str = "/km") -> str | None:
    """Flat alternating work/rest steps (§15.5, advancing 2 × pairs + trailing)."""
    if len(steps) < 6 or not all(isinstance(s, dict) for s in steps):
        return None
    if any(s.get("reps") for s in steps):
        return None
    durs = [_duration(s) for s in steps]
    watts = [_watts(s) for s in steps]
    n = len(steps)
    parts: list[str] = []
    i = 0
    while i < n:
        block = _flat_block(durs, watts, i)
        if block is not None:
            text, advance = block
            parts.append(text)
            i += advance
            continue
        text = _flat(steps[i], pace_unit)
        if text:
            parts.append(text)
        i += 1
    if not any(TIMES in p for p in parts):
        return None
    return _merge(parts)


def _flat_block(durs: list, watts: list, i: int) -> tuple[str, int] | None:
    """Try an alternating block starting at step i: (text, steps consumed) or None."""
    n = len(durs)
    if i + 1 >= n or None in (durs[i], watts[i], durs[i + 1], watts[i + 1]):
        return None
    ref_dw, ref_ww, ref_dr, ref_wr = durs[i], watts[i], durs[i + 1], watts[i + 1]
    if not _gap_ok(ref_ww, ref_wr):
        return None
    pairs = 1
    j = i + 2
    while j + 1 < n:
        dw, ww, dr, wr = durs[j], watts[j], durs[j + 1], watts[j + 1]
        if None in (dw, ww, dr, wr):
            break
        if abs(dw - ref_dw) > 1 or abs(ww - ref_ww) > 2 or abs(wr - ref_wr) > 2:
            break
        if abs(dr - ref_dr) > 2:
            if dr >= 1.5 * ref_dr:  # a set break: count the pair and stop
                pairs += 1
                j += 2
                break
            if j + 3 < n and _matches_work(durs[j + 2], watts[j + 2], ref_dw, ref_ww):
                break
            pairs += 1  # tail exception
            j += 2
            break
        pairs += 1
        j += 2
    trailing = 1 if j < n and _matches_work(durs[j], watts[j], ref_dw, ref_ww) else 0
    count = pairs + trailing
    if count < 3:
        return None
    text = f"{count}{TIMES}{fmt_dur(ref_dw)} @{ref_ww}W / {fmt_dur(ref_dr)} rec"
    return text, 2 * pairs + trailing


def new_stats() -> dict[str, int]:
    return {key: 0 for key in STAT_KEYS}


def summarise_event(event: dict[str, Any], stats: dict[str, int]) -> str | None:
    """Summary line of one event, updating the §16 counters. Never raises."""
    doc = event.get("workout_doc")
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if isinstance(doc, dict) and isinstance(steps, list) and steps:
        stats["attempted"] += 1
        pace_unit = pace_unit_for(doc.get("pace_units"))
        for name, pattern in (("patternA", pattern_a), ("patternB", pattern_b)):
            try:
                summary = pattern(steps, pace_unit)
            except _NoMatch:
                break
            except Exception:  # noqa: BLE001 - any surprise in a loose payload is "no match"
                summary = None
            if summary is not None:
                stats[name] += 1
                stats["success"] += 1
                return summary
        stats["bail_no_match"] += 1
        return None
    description = event.get("description")
    if (
        isinstance(description, str)
        and description.strip()
        and event.get("category") in TRAINING_CATEGORIES
    ):
        stats["bail_no_workout_doc"] += 1
    return None
