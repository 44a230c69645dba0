"""FTP change log (`ftp_history.json`; docs/files.md, "`ftp_history.json`") and the Benchmark
Index (docs/metrics.md, "Benchmark Index"; tests/metrics/test_ftp_history.py).

The file is a change log: each date key is the first day a sync saw that FTP value; entries are
never deleted. The Benchmark Index compares the current FTP with the value of 8 weeks ago:
the entry nearest to today−56 within ±7 days (tie → later date), else the value in force before
that window (a stable FTP records no change, so without this fall-back the index would stay
null for good), else null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from s11sync.metrics.seasonal import seasonal_context, seasonal_expected
from s11sync.metrics.thresholds import cycling_ftp, thresholds_by_sport
from s11sync.numbers import finite_number

SCHEMA_VERSION = 1
SERIES = ("indoor", "outdoor")
BENCHMARK_WEEKS = 8
WINDOW_DAYS = 7
DATE_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _ftp_value(value: Any) -> int | None:
    """A positive finite FTP as an int, else None (0 means 'not set')."""
    number = finite_number(value)
    return round(number) if number is not None and number > 0 else None


def current_ftps(athlete: Mapping[str, Any] | None) -> dict[str, int | None]:
    """{"indoor", "outdoor"} FTP of the cycling entry of `thresholds.sports`.

    Uses the same resolver as `current_status.thresholds` (docs/metrics.md, "Thresholds"), so the
    history and the current status never disagree on which settings block is cycling; 0 is unset.
    """
    outdoor, indoor = cycling_ftp(thresholds_by_sport(dict(athlete or {})))
    return {"indoor": _ftp_value(indoor), "outdoor": _ftp_value(outdoor)}


def load_series(previous: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Both series of a stored file; a legacy flat {date: ftp} mapping is the outdoor series."""
    if not isinstance(previous, Mapping):
        return {"indoor": {}, "outdoor": {}}
    if "indoor" not in previous and "outdoor" not in previous:
        flat = {k: v for k, v in previous.items() if k != "schema_version"}
        return {"indoor": {}, "outdoor": dict(flat)}
    out: dict[str, dict[str, Any]] = {}
    for name in SERIES:
        series = previous.get(name)
        out[name] = dict(series) if isinstance(series, Mapping) else {}
    return out


def _problem_value(value: Any) -> str | None:
    """Why a stored FTP value is not trusted, or None for a positive whole number of watts."""
    if isinstance(value, bool) or not isinstance(value, int):
        kind = (
            "a string"
            if isinstance(value, str)
            else "a decimal number"
            if isinstance(value, float)
            else "null"
            if value is None
            else f"a {type(value).__name__}"
        )
        return f"is {kind}, not a whole number of watts"
    return None if value > 0 else "is not a positive number of watts"


def _problem_key(key: str, today: date) -> str | None:
    if not DATE_KEY.match(key):
        return "is not a date (YYYY-MM-DD)"
    try:
        day = date.fromisoformat(key)
    except ValueError:
        return "is not a calendar date"
    if day > today:
        return f"lies after today ({today.isoformat()})"
    return None


def _entry(series: str, key: Any, value: Any) -> str:
    return f"{series}[{json.dumps(key, ensure_ascii=False)}] = {json.dumps(value, ensure_ascii=False)[:40]}"


def trusted_ftp_history(
    stored: Any, present: bool, today: date
) -> tuple[dict[str, Any], list[str]]:
    """(the stored file's trusted entries as a document, the offending parts of the file).

    Trusted: a YYYY-MM-DD key no later than `today` with a positive whole number of watts, in an
    `indoor`/`outdoor` object (or a legacy flat {date: ftp} mapping, the outdoor series). Any
    other content — a string, a decimal, a bad date key, a future entry, a series that is not an
    object, an unknown key, another schema_version, a file that is not a JSON object — is an
    offence: the run uses the trusted entries in memory and must leave the file as it is."""
    problems: list[str] = []
    series: dict[str, dict[str, int]] = {"indoor": {}, "outdoor": {}}
    if not isinstance(stored, Mapping):
        if present:
            problems.append("the file is not a JSON object (unreadable or hand-edited)")
        return _document(series), problems
    legacy = "indoor" not in stored and "outdoor" not in stored
    if legacy:
        raw: dict[str, Any] = {
            "outdoor": {k: v for k, v in stored.items() if k != "schema_version"}
        }
    else:
        raw = {name: stored.get(name, {}) for name in SERIES}
        for key in stored:
            if key not in (*SERIES, "schema_version"):
                problems.append(f"unknown key {json.dumps(key, ensure_ascii=False)}")
    if "schema_version" in stored and stored["schema_version"] != SCHEMA_VERSION:
        problems.append(
            f"schema_version = {json.dumps(stored['schema_version'])[:20]} (expected "
            f"{SCHEMA_VERSION})"
        )
    for name, entries in raw.items():
        if not isinstance(entries, Mapping):
            problems.append(f"{name} is not an object of date: FTP entries")
            continue
        for key, value in entries.items():
            why = _problem_key(str(key), today) or _problem_value(value)
            if why is None:
                series[name][str(key)] = value
            else:
                problems.append(f"{_entry(name, key, value)} {why}")
    return _document(series), problems


def _document(series: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "indoor": dict(sorted(series["indoor"].items(), key=lambda kv: str(kv[0]))),
        "outdoor": dict(sorted(series["outdoor"].items(), key=lambda kv: str(kv[0]))),
        "schema_version": SCHEMA_VERSION,
    }


def merge_ftp_histories(base: Any, ours: Mapping[str, Any], theirs: Any) -> dict[str, Any]:
    """Union by date of two change logs written from the same `base` (another writer's copy
    `theirs` and this run's `ours`); where both hold a date with different values, the side that
    changed it since `base` wins, and ours when both did. Only well-formed entries are merged."""
    old, mine, other = load_series(base), load_series(ours), load_series(theirs)
    merged: dict[str, dict[str, Any]] = {}
    for name in SERIES:
        out = {
            k: v
            for k, v in other[name].items()
            if _problem_value(v) is None and DATE_KEY.match(str(k))
        }
        for key, value in mine[name].items():
            if key in out and out[key] != value and old[name].get(key) == value:
                continue  # they changed this date since base and we did not: keep theirs
            out[key] = value
        merged[name] = out
    return _document(merged)


def ftp_bytes(doc: Mapping[str, Any]) -> bytes:
    """The file as s11sync writes it: sorted keys, indent 2, trailing newline."""
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def union_stored(primary: bytes, other: bytes) -> bytes:
    """Two stored copies of the file (the data repo's, the local folder's) merged by date, the
    primary's value winning a same-date conflict. When either copy holds anything untrusted the
    primary is returned as it is, so its problems are reported and it is not rewritten."""
    docs = []
    for blob in (primary, other):
        try:
            doc = json.loads(blob.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return primary
        if trusted_ftp_history(doc, True, date.max)[1]:
            return primary
        docs.append(doc)
    return ftp_bytes(merge_ftp_histories(docs[1], docs[0], docs[1]))


def _dated(series: Mapping[str, Any]) -> list[tuple[date, int]]:
    """Entries with an ISO date key and a positive value, ascending by date."""
    out = []
    for key, value in series.items():
        ftp = _ftp_value(value)
        try:
            day = date.fromisoformat(str(key)[:10])
        except ValueError:
            continue
        if ftp is not None:
            out.append((day, ftp))
    return sorted(out)


def update_ftp_history(previous: dict | None, athlete: dict, today: date) -> dict:
    """The `ftp_history.json` document after today's sync.

    For each series with a current FTP: add `today: value` when the series is empty or the value
    at its latest date differs (a second change today overwrites today's entry). Nothing is ever
    removed; dates come out ascending (the file is written with sorted keys anyway).
    """
    series = load_series(previous)
    current = current_ftps(athlete)
    for name in SERIES:
        value = current[name]
        if value is None:
            continue
        entries = series[name]
        if entries:
            latest_key = max(entries, key=str)
            if entries[latest_key] == value:
                continue
        entries[today.isoformat()] = value
    return _document(series)


def ftp_8_weeks_ago(series: Mapping[str, Any], today: date) -> tuple[int | None, str | None]:
    """(prior FTP, None) or (None, reason) for the Benchmark Index lookup.

    Candidates lie in [today−63, today−49]; nearest to today−56 wins, the later date on a tie.
    Without a candidate the latest entry before the window is the value in force.
    """
    entries = _dated(series)
    if not entries:
        return None, "no_ftp_history"
    target = today - timedelta(weeks=BENCHMARK_WEEKS)
    low, high = target - timedelta(days=WINDOW_DAYS), target + timedelta(days=WINDOW_DAYS)
    candidates = [
        (abs((day - target).days), -day.toordinal(), ftp)
        for day, ftp in entries
        if low <= day <= high
    ]
    if candidates:
        return min(candidates)[2], None
    before = [ftp for day, ftp in entries if day < low]
    if before:
        return before[-1], None
    return None, "insufficient_history"


def _percentage(index: float) -> str:
    return f"{index * 100:+.1f}%"


def benchmark_block(
    series: Mapping[str, Any], current: int | None, today: date, season: str | None
) -> tuple[dict[str, Any], str | None]:
    """(`benchmark_indoor|outdoor` block, reason when `benchmark_index` is null)."""
    prior, reason = ftp_8_weeks_ago(series, today)
    index = None
    if current is None:
        reason = "not_applicable"
    elif prior is not None:
        index = round(current / prior - 1, 3)
    return {
        "current_ftp": current,
        "ftp_8_weeks_ago": prior,
        "benchmark_index": index,
        "benchmark_percentage": _percentage(index) if index is not None else None,
        "seasonal_expected": seasonal_expected(index, season),
    }, (reason if index is None else None)


def benchmarks(
    ftp_history: Mapping[str, Any] | None,
    athlete: Mapping[str, Any] | None,
    today: date,
    hemisphere: str,
) -> tuple[dict[str, Any], dict[str, str]]:
    """({"benchmark_indoor", "benchmark_outdoor"}, {unavailable path: reason code})."""
    series = load_series(ftp_history)
    current = current_ftps(athlete)
    season = seasonal_context(today, hemisphere)
    blocks: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for name in SERIES:
        block, reason = benchmark_block(series[name], current[name], today, season)
        blocks[f"benchmark_{name}"] = block
        if reason is not None:
            reasons[f"benchmark_{name}.benchmark_index"] = reason
    return blocks, reasons


def ftp_history_days(ftp_history: Mapping[str, Any] | None, today: date) -> dict[str, int]:
    """`data_quality.ftp_history_days`: today − oldest entry date per series, 0 when empty (D19)."""
    series = load_series(ftp_history)
    out = {}
    for name in SERIES:
        entries = _dated(series[name])
        out[name] = max(0, (today - entries[0][0]).days) if entries else 0
    return out
