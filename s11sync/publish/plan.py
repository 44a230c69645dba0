"""What a run would change: pure functions, no I/O (docs/files.md, "Volatile keys").

A file "changed" when its content differs from the stored copy after removing its *volatile keys*:
per-run timestamps that change on every run even when the data does not. A file that changed only in
those keys is neither rewritten nor committed, so consumers may see a `last_updated` older than the
last run; that is accurate, because the data has not changed since then.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

# File name -> paths (tuples of object keys) removed before comparing; docs/files.md lists the
# same keys under "Volatile keys".
# history.json has none on purpose: it is regenerated at most once a day and its `generated_at`
# decides when the next regeneration is due, so a new `generated_at` must be stored.
VOLATILE_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "latest.json": (("metadata", "last_updated"), ("derived_metrics", "calculation_timestamp")),
    "intervals.json": (("generated_at",),),
    "routes.json": (("generated_at",),),
    "history.json": (),
    "ftp_history.json": (),
}

ARCHIVE_DIR = "archive"


def _without(doc: Any, paths: tuple[tuple[str, ...], ...]) -> Any:
    """A copy of `doc` with each key path removed (missing paths are ignored)."""
    if not paths or not isinstance(doc, dict):
        return doc
    out = dict(doc)
    for path in paths:
        node = out
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                break
            node[key] = child = dict(child)  # copy on the way down; the input stays intact
            node = child
        else:
            node.pop(path[-1], None)
    return out


def _canonical(name: str, blob: bytes) -> str | None:
    """Key-order-independent JSON text without volatile keys; None if `blob` is not JSON.

    Serialising (rather than comparing parsed values) keeps `1`, `1.0` and `true` distinct."""
    try:
        doc = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    stripped = _without(doc, VOLATILE_KEYS.get(name, ()))
    return json.dumps(stripped, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def meaningful_equal(name: str, old: bytes | None, new: bytes) -> bool:
    """True when `new` holds the same data as `old` once volatile keys are removed.

    An absent old file is never equal. Bytes that are not JSON compare byte for byte."""
    if old is None:
        return False
    if old == new:
        return True
    old_c, new_c = _canonical(name, old), _canonical(name, new)
    if old_c is None or new_c is None:
        return False
    return old_c == new_c


def plan_changes(new: Mapping[str, bytes], old: Mapping[str, bytes]) -> list[str]:
    """Names in `new` whose meaningful content differs from `old`, in the order of `new`."""
    return [name for name, blob in new.items() if not meaningful_equal(name, old.get(name), blob)]


def archive_path(today: date) -> str:
    """Where the daily snapshot of latest.json goes: archive/YYYY-MM/YYYY-MM-DD.json."""
    return f"{ARCHIVE_DIR}/{today:%Y-%m}/{today.isoformat()}.json"


def _activity_ids(latest: Any) -> set[str]:
    if not isinstance(latest, dict):
        return set()
    rows = latest.get("recent_activities")
    if not isinstance(rows, list):
        return set()
    return {str(row["id"]) for row in rows if isinstance(row, dict) and row.get("id") is not None}


def _section(doc: Any, key: str) -> Any:
    return doc.get(key) if isinstance(doc, dict) else None


def _plural(count: int, word: str, plural: str) -> str:
    return f"{count} {word if count == 1 else plural}"


def commit_message(
    today: date,
    changed: list[str],
    new_docs: Mapping[str, Any],
    old_docs: Mapping[str, Any],
    *,
    moved_to: str | None = None,
) -> str:
    """One line saying what changed, e.g. `sync 2026-11-22: 2 new activities, wellness updated
    (latest.json, history.json)`.

    `new_docs`/`old_docs` map file names to parsed documents (absent = not known). New activities
    are ids in latest.json `recent_activities` that the old latest.json did not list.
    """
    head = f"sync {today.isoformat()}"
    if moved_to:
        head += f" (output files moved from the root to {moved_to}/)"
    files = [name for name in changed if not name.startswith(ARCHIVE_DIR + "/")]
    archived = len(files) != len(changed)
    if not changed:
        return f"{head}: unchanged"
    if not old_docs:
        summary = ["first publish"]
    else:
        summary = []
        new_latest, old_latest = new_docs.get("latest.json"), old_docs.get("latest.json")
        if "latest.json" in files:
            added = _activity_ids(new_latest) - _activity_ids(old_latest)
            if added:
                summary.append(_plural(len(added), "new activity", "new activities"))
            if _section(new_latest, "wellness_data") != _section(old_latest, "wellness_data"):
                summary.append("wellness updated")
            if _section(new_latest, "planned_workouts") != _section(old_latest, "planned_workouts"):
                summary.append("plan updated")
        if not summary:
            summary.append("data updated" if files else "archive")
    text = f"{head}: {', '.join(summary)}"
    listed = files + (["archive snapshot"] if archived else [])
    return f"{text} ({', '.join(listed)})"
