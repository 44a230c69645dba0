"""One-line summaries of planned workouts from `workout_doc.steps`.

Pinned by tests/outputs/test_workout_doc.py and tests/outputs/test_workout_doc_real_shapes.py.

Every doc with at least one renderable step gets a summary; an empty `steps` list stays null.

- A plain step is `<amount>[ ramp][ <target>]`: the amount is the distance when the step has one
  (`300m`, `1.5km`), else its duration (`9m56s`); the target follows workout_targets (`@259W`,
  `@88–92% FTP`, `Z2 @134–180W`, `Z2 HR`, `@1:25/100m`).
- A repeat block of any size is `N×<body>`. Its recoveries are the steps marked
  `intensity: rest/recovery`, untargeted steps beside targeted ones, and steps clearly easier than
  the block's hardest step (target ≤ 80 % of it on the same scale, or two or more zones lower)
  and easy in itself (≤ 75 % FTP when its share of FTP is known; ≤ Z2 for a zone target);
  a recovery is written `<amount> rec`. One work step: `4×9m56s @259W / 5m rec`; several:
  `4×(2m @270W + 1m @315W)`, trailing recoveries after ` / `.
- Longer blocks of n × (work, rec) (± a set recovery) read as `2 sets × 6×30s @380W / 15s rec`
  (Pattern A); flat alternating work/rec steps in watts fold into `4×30s @400W / 30s rec`
  (Pattern B) when each rest is at most 80 % of its work.
- Top-level parts are joined with ` | `; only consecutive identical steps merge into `k × part`.
"""

from __future__ import annotations

from typing import Any

from s11sync.fmt import fmt_dur
from s11sync.numbers import finite_number
from s11sync.outputs.workout_targets import (
    PREFERRED_KIND,
    REC_RATIO,
    DocContext,
    recovery_flags,
    target_text,
)
from s11sync.units import pace_unit_for

TIMES = "\u00d7"  # ×
SEPARATOR = " | "
TRAINING_CATEGORIES = ("WORKOUT", "RACE_A", "RACE_B", "RACE_C")
STAT_KEYS = ("attempted", "success", "patternA", "patternB", "bail_no_workout_doc", "bail_no_match")
DEFAULT_PACE_UNIT = {"Swim": "/100m", "OpenWaterSwim": "/100m", "Rowing": "/500m"}


def _duration(step: dict) -> int | None:
    """Whole seconds of a step with a positive numeric duration, else None."""
    value = finite_number(step.get("duration"))
    if value is None or int(value) <= 0:
        return None
    return int(value)


def _distance_text(metres: float) -> str:
    if metres < 1000:
        return f"{round(metres)}m"
    km = round(metres / 1000, 2)
    return f"{km:g}km"


def _amount(step: dict) -> str | None:
    """The step's size: its distance when it has one (a distance step's duration is only the
    platform's estimate), else its duration; 'lap' for an untimed lap-press step."""
    distance = finite_number(step.get("distance"))
    if distance is not None and distance > 0:
        return _distance_text(distance)
    duration = _duration(step)
    if duration is not None:
        return fmt_dur(duration)
    if step.get("until_lap_press") is True:
        return "lap"
    return None


def _watts(step: dict) -> int | None:
    """Watts for the alternating detectors: resolved `_power.value`, else `power` in `w`."""
    value = None
    resolved = step.get("_power")
    if isinstance(resolved, dict):
        value = finite_number(resolved.get("value"))
    if value is None:
        power = step.get("power")
        if isinstance(power, dict) and str(power.get("units", "")).lower() == "w":
            value = finite_number(power.get("value"))
    return None if value is None else round(value)


def _flat(step: Any, ctx: DocContext) -> str:
    """'<amount>[ ramp|free ride|all-out][ target]'; '' when the step has no amount."""
    if not isinstance(step, dict):
        return ""
    amount = _amount(step)
    if amount is None:
        return ""
    words = [amount]
    for flag, word in (("ramp", "ramp"), ("freeride", "free ride"), ("maxeffort", "all-out")):
        if step.get(flag) is True:
            words.append(word)
    target = target_text(step, ctx)
    if target:
        words.append(target)
    return " ".join(words)


def _is_repeat(step: dict) -> bool:
    return step.get("reps") is not None and isinstance(step.get("steps"), list)


def _join(parts: list[tuple[str, Any]]) -> str | None:
    """Parts joined by ' | '; a run of k ≥ 2 identical steps (same step, same text) → 'k × part'."""
    if not parts:
        return None
    merged: list[str] = []
    i = 0
    while i < len(parts):
        k = 1
        while i + k < len(parts) and parts[i + k] == parts[i]:
            k += 1
        text = parts[i][0]
        merged.append(f"{k} {TIMES} {text}" if k >= 2 else text)
        i += k
    return SEPARATOR.join(merged)


def _gap_ok(work_w: int, rest_w: int) -> bool:
    """The rest is clearly easier than the work (the repeat-block recovery rule, in watts)."""
    return work_w > 0 and rest_w <= REC_RATIO * work_w


def _nested_alternating(nested: list, outer_reps: Any) -> str | None:
    """Pattern A: a repeat block of ≥ 6 steps holding n × (work, rest), maybe a set recovery."""
    if not all(isinstance(s, dict) for s in nested):
        return None
    candidates = list(nested)
    set_rec: int | None = None
    if len(candidates) >= 5:
        w0, w1 = _watts(candidates[0]), _watts(candidates[1])
        d0, d1 = _duration(candidates[0]), _duration(candidates[1])
        if (
            w0 is not None
            and w1 is not None
            and d0 is not None
            and d1 is not None
            and w0 <= w1
            and d0 > d1
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
        else:
            return None
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
    reps = finite_number(outer_reps)
    text = f"{int(reps)} sets {TIMES} {inner}" if reps is not None and reps > 1 else inner
    if set_rec is not None:
        text += f" ({fmt_dur(set_rec)} set rec)"
    return text


def _reps_prefix(reps: Any) -> str:
    value = finite_number(reps)
    if value is None or value <= 0 or not float(value).is_integer():
        return ""
    return f"{int(value)}{TIMES}"


def _repeat_text(block: dict, ctx: DocContext) -> str:
    """One repeat block of any size; '' when none of its steps has an amount."""
    reps = block.get("reps")
    children = [c for c in block["steps"] if isinstance(c, dict)]
    if len(children) >= 6:
        text = _nested_alternating(children, reps)
        if text:
            return text
    parts: list[tuple[str, bool]] = []
    for child, rec in zip(children, recovery_flags(children, ctx)):
        amount = _amount(child)
        if amount is not None:
            parts.append((f"{amount} rec" if rec else _flat(child, ctx), rec))
    if not parts:
        return ""
    split = len(parts)
    while split > 0 and parts[split - 1][1]:
        split -= 1
    head, tail = (parts[:split], parts[split:]) if split else (parts, [])
    body = head[0][0] if len(head) == 1 else "(" + " + ".join(t for t, _ in head) + ")"
    text = _reps_prefix(reps) + body
    if tail:
        text += " / " + " + ".join(t for t, _ in tail)
    return text


def pattern_a(steps: list, ctx: DocContext) -> str | None:
    """The steps as written: repeat blocks and plain steps, identical neighbours merged."""
    parts: list[tuple[str, Any]] = []
    for step in steps:
        if not isinstance(step, dict):
            continue
        text = _repeat_text(step, ctx) if _is_repeat(step) else _flat(step, ctx)
        if text:
            parts.append((text, step))
    return _join(parts)


def _matches_work(d: int | None, w: int | None, ref_d: int, ref_w: int) -> bool:
    return d is not None and w is not None and abs(d - ref_d) <= 1 and abs(w - ref_w) <= 2


def pattern_b(steps: list, ctx: DocContext) -> str | None:
    """Pattern B: flat alternating work/rest steps; each block found consumes its pairs (and a
    trailing set break), other steps are written one by one."""
    if len(steps) < 6 or not all(isinstance(s, dict) for s in steps):
        return None
    if any(s.get("reps") for s in steps):
        return None
    durs = [_duration(s) for s in steps]
    watts = [_watts(s) for s in steps]
    n = len(steps)
    parts: list[tuple[str, Any]] = []
    found = False
    i = 0
    while i < n:
        block = _flat_block(durs, watts, i)
        if block is not None:
            text, advance = block
            parts.append((text, steps[i : i + advance]))
            found = True
            i += advance
            continue
        text = _flat(steps[i], ctx)
        if text:
            parts.append((text, steps[i]))
        i += 1
    return _join(parts) if found else None


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


def doc_context(doc: dict[str, Any], sport: Any) -> DocContext:
    """Thresholds and display units a resolved doc carries (the event's sport picks the default
    pace unit)."""
    default = DEFAULT_PACE_UNIT.get(sport, "/km") if isinstance(sport, str) else "/km"
    pace_units = doc.get("pace_units")
    target = doc.get("target")
    return DocContext(
        ftp=finite_number(doc.get("ftp")),
        lthr=finite_number(doc.get("lthr")),
        threshold_pace=finite_number(doc.get("threshold_pace")),
        pace_unit=pace_unit_for(pace_units if isinstance(pace_units, str) else None, default),
        preferred=PREFERRED_KIND.get(target) if isinstance(target, str) else None,
    )


def new_stats() -> dict[str, int]:
    return {key: 0 for key in STAT_KEYS}


def _summarise(doc: dict[str, Any], steps: list, sport: Any) -> tuple[str | None, str]:
    ctx = doc_context(doc, sport)
    summary = pattern_b(steps, ctx)
    if summary is not None:
        return summary, "patternB"
    summary = pattern_a(steps, ctx)
    if summary is None:
        # no step has an amount: the doc's own total still describes the workout
        total = finite_number(doc.get("duration"))
        if total is not None and total > 0:
            summary = fmt_dur(total)
    return summary, "patternA"


def summarise_event(event: dict[str, Any], stats: dict[str, int]) -> str | None:
    """Summary line of one event, updating the `workout_summary_stats` counters. Never raises."""
    doc = event.get("workout_doc")
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if isinstance(doc, dict) and isinstance(steps, list) and steps:
        stats["attempted"] += 1
        try:
            summary, pattern = _summarise(doc, steps, event.get("type"))
        except Exception:  # noqa: BLE001 - any surprise in a loose payload is "no match"
            summary, pattern = None, ""
        if summary is None:
            stats["bail_no_match"] += 1
            return None
        stats[pattern] += 1
        stats["success"] += 1
        return summary
    description = event.get("description")
    if (
        isinstance(description, str)
        and description.strip()
        and event.get("category") in TRAINING_CATEGORIES
    ):
        stats["bail_no_workout_doc"] += 1
    return None
