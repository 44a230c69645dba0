"""The saved-run file of `--save-snapshot` and `s11sync replay`.

One JSON object holds everything the pure build needs to recompute a run without the network:

    {"format": "s11sync-snapshot", "format_version": 1, "s11sync_version": "…", "redacted": true,
     "settings": {days, week_start, zone_preference, hemisphere, anonymize},
     "previous": {"latest.json": "<text as stored>", …},      the files the run started from
     "snapshot": {…}}                                          the raw API data (Snapshot)

Never the API key or a token: every string is scrubbed of them before it is written, whatever the
anonymisation setting. With anonymisation on, names, free text and coordinates are redacted
(s11sync.redact). A file that cannot be read, is not a snapshot, or has a newer format version is
a `ConfigError` (exit 2) with a one-line message.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from s11sync import __version__
from s11sync.errors import ConfigError
from s11sync.snapshot import OUTPUT_FILES, Snapshot
from s11sync.snapshot_redact import redact_output, redact_snapshot, scrub_secrets

FORMAT = "s11sync-snapshot"
FORMAT_VERSION = 1
BUILD_SETTINGS = ("days", "week_start", "zone_preference", "hemisphere", "anonymize")


@dataclass
class SavedRun:
    """A run as saved: raw API data, the previous files and the settings the build reads."""

    snapshot: Snapshot
    previous: dict[str, bytes] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    redacted: bool = False
    s11sync_version: str = __version__


def _previous_text(name: str, blob: bytes, redact: bool) -> str:
    text = blob.decode("utf-8", "replace")
    if not redact:
        return text
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return text  # an unreadable file is kept as it is: that is the state being reported
    return (
        json.dumps(
            redact_output(doc), indent=2, ensure_ascii=False, sort_keys=name == "ftp_history.json"
        )
        + "\n"
    )


def saved_run_json(run: SavedRun, *, redact: bool, secrets: list[str | None]) -> str:
    """The file's text: redacted unless `redact` is False, never containing `secrets`."""
    snap = json.loads(run.snapshot.to_json())
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "s11sync_version": run.s11sync_version,
        "redacted": redact,
        "settings": {k: run.settings[k] for k in BUILD_SETTINGS if k in run.settings},
        "previous": {
            name: _previous_text(name, blob, redact) for name, blob in run.previous.items()
        },
        "snapshot": redact_snapshot(snap) if redact else snap,
    }
    return json.dumps(scrub_secrets(data, secrets), indent=1, ensure_ascii=False) + "\n"


def write_saved_run(path: Path, text: str) -> None:
    """Atomic write (temporary file in the same folder, then rename); OSError propagates."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def check_snapshot_target(path: Path) -> None:
    """Before fetching: the snapshot file can be created (ConfigError naming the fix otherwise)."""
    if path.is_dir():
        raise ConfigError(
            f"--save-snapshot {path} is a folder: give a file name, e.g. {path / 'snapshot.json'}"
        )
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(
            f"--save-snapshot {path}: the folder {parent} does not exist; create it or "
            "choose another path"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(
            f"--save-snapshot {path}: cannot write in {parent}; choose a folder you can write to"
        )


def _bad(path: Path, why: str) -> ConfigError:
    return ConfigError(f"{path} {why}")


def load_saved_run(path: Path) -> SavedRun:
    """Read a saved run; every problem is one ConfigError line saying what to do."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _bad(path, "does not exist: give the file written by --save-snapshot") from None
    except IsADirectoryError:
        raise _bad(path, "is a folder: give the file written by --save-snapshot") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise _bad(path, f"cannot be read ({reason}): check the file and its permissions") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(
            path,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}): it is not a "
            "complete snapshot; save it again with --save-snapshot",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _bad(path, "is not an s11sync snapshot: give the file written by --save-snapshot")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _bad(
            path, "has no valid format_version: save the snapshot again with --save-snapshot"
        )
    if version > FORMAT_VERSION:
        raise _bad(
            path,
            f"has snapshot format {version}, newer than this s11sync {__version__} reads "
            f"({FORMAT_VERSION}): upgrade s11sync (pip install -U s11sync)",
        )
    if version < 1:
        raise _bad(
            path, f"has an unknown snapshot format {version}: save it again with --save-snapshot"
        )
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _bad(
            path,
            f"is damaged ({type(exc).__name__}: {str(exc)[:80]}): save it again with "
            "--save-snapshot",
        ) from None


def _parse(data: dict[str, Any]) -> SavedRun:
    snap_data = data["snapshot"]
    if not isinstance(snap_data, dict):
        raise TypeError("snapshot is not an object")
    snapshot = Snapshot.from_json(json.dumps(snap_data))
    for name in ("athlete",):
        if not isinstance(getattr(snapshot, name), dict):
            raise TypeError(f"snapshot.{name} is not an object")
    for name in ("activities", "wellness", "events"):
        if not isinstance(getattr(snapshot, name), list):
            raise TypeError(f"snapshot.{name} is not a list")
    if (
        not isinstance(snapshot.today, date)
        or not isinstance(snapshot.now, datetime)
        or snapshot.now.tzinfo is None
    ):
        raise ValueError("snapshot.now needs a UTC offset")
    previous = data.get("previous") or {}
    if not isinstance(previous, dict):
        raise TypeError("previous is not an object")
    files = {
        name: str(text).encode("utf-8") for name, text in previous.items() if name in OUTPUT_FILES
    }
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise TypeError("settings is not an object")
    return SavedRun(
        snapshot=snapshot,
        previous=files,
        settings={k: settings[k] for k in BUILD_SETTINGS if k in settings},
        redacted=bool(data.get("redacted")),
        s11sync_version=str(data.get("s11sync_version") or ""),
    )
