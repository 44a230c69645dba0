"""The raw-data snapshot between fetching and computing.

A `Snapshot` holds API JSON exactly as Intervals.icu returned it (plus which optional calls failed),
so a run can be dumped, replayed and tested without HTTP. `Previous` holds the files of the previous
run (read back from the output folder or the data repo). Both are plain data; no methods do I/O
except the explicit dump/load helpers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any


@dataclass
class Snapshot:
    """Everything fetched from Intervals.icu for one run. All values are raw API JSON.

    `today` (T below) is the athlete-local date of the run, `now` the run instant (ISO-8601 with
    offset); D is `--days`.
    Optional calls that failed are recorded in `failed` (call name -> short reason) and their field
    keeps its empty default; consumers turn that into null/absent, never zero.
    """

    today: date
    now: datetime
    days: int
    athlete: dict[str, Any]
    activities: list[dict[str, Any]]  # T-(max(28,D)-1) … T, API order (newest first)
    wellness: list[dict[str, Any]]  # same window, one record per day present
    events: list[dict[str, Any]]  # T-max(D-1,14) … T+90, resolve=true
    health_events: list[dict[str, Any]] | None = None  # SICK/INJURED T-365 … T+90; None = failed
    # curves: response objects of /power-curves and /hr-curves keyed by a request label,
    # e.g. "power:Ride" -> {"list": [...], "activities": {...}}; missing key = not fetched / failed
    power_curves: dict[str, Any] = field(default_factory=dict)
    hr_curves: dict[str, Any] = field(default_factory=dict)
    # per activity id
    activity_intervals: dict[str, Any] = field(
        default_factory=dict
    )  # the activity with intervals=true
    activity_streams: dict[str, Any] = field(
        default_factory=dict
    )  # all streams (list of stream objects)
    terrain_streams: dict[str, Any] = field(default_factory=dict)  # latlng/altitude streams
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # chat messages
    fetch_outcomes: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # per activity/endpoint outcome
    attachments: dict[str, Any] = field(
        default_factory=dict
    )  # route attachment id -> {"text"|"error"}
    # three-year history fetch (None = not fetched this run; history reused or fetch failed)
    history_activities: list[dict[str, Any]] | None = None
    history_wellness: list[dict[str, Any]] | None = None
    failed: dict[str, str] = field(default_factory=dict)
    api_requests: int = 0
    warnings: list[str] = field(default_factory=list)  # data problems the run report shows

    def to_json(self) -> str:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["now"] = self.now.isoformat()
        return json.dumps(data, indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["today"] = date.fromisoformat(data["today"])
        data["now"] = datetime.fromisoformat(data["now"])
        return cls(**data)

    def dump(self, path: Path) -> None:
        path.write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Snapshot:
        return cls.from_json(path.read_text(encoding="utf-8"))


OUTPUT_FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")
# state kept beside the five files for the next run only, in a subfolder so that the data folder's
# *.json are the five files coaches read (s11sync/curve_cache.py)
CURVES_CACHE = "state/curves.json"
STATE_FILES = (CURVES_CACHE,)
STORED_FILES = OUTPUT_FILES + STATE_FILES  # what a run reads back from the folder or data repo
_PREVIOUS_FIELDS = {CURVES_CACHE: "curves_cache"}


@dataclass
class Previous:
    """The previous run's files, parsed (None = absent). Read from the output folder or data repo."""

    latest: dict[str, Any] | None = None
    history: dict[str, Any] | None = None
    intervals: dict[str, Any] | None = None
    routes: dict[str, Any] | None = None
    ftp_history: dict[str, Any] | None = None
    curves_cache: dict[str, Any] | None = None
    raw: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes as stored

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> Previous:
        """Parse stored files. A file that is not valid JSON is kept in `raw` but not parsed:
        it will be replaced, never merged."""
        parsed: dict[str, Any] = {}
        for name in STORED_FILES:
            blob = files.get(name)
            if blob is None:
                continue
            try:
                value = json.loads(blob.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(value, dict):
                parsed[_PREVIOUS_FIELDS.get(name, name.removesuffix(".json"))] = value
        return cls(**parsed, raw=dict(files))
