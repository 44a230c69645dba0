"""Audit of the side files (routes, FTP history, history) and the publishing rules.

Each test pins one discrepancy that was found and fixed; the rule is stated in the test.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sync_args import isolate

from s11sync import pipeline
from s11sync.config import resolve_settings
from s11sync.errors import PublishError
from s11sync.fetch import Progress, _fetch_history
from s11sync.fetch_plan import DetailInputs, plan_details, plan_lists
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy
from s11sync.outputs.routes import build_routes
from s11sync.publish.local import FOLDER_ENTRIES, WRITTEN_FILES
from s11sync.snapshot import OUTPUT_FILES, Snapshot
from s11sync.validate import validate_documents

TODAY = "2026-11-25"  # the session emulator's day (tests/conftest.py)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def _settings(emu, folder: Path, **extra: Any):
    values = {
        "athlete_id": emu.athlete_id,
        "intervals_key": emu.api_key,
        "api_base": emu.base_url,
        "output": str(folder),
        "today": TODAY,
        "quiet": True,
        **extra,
    }
    return resolve_settings(values, env={}, config_file=folder.parent / "no-config.json")


def _client(emu) -> IntervalsClient:
    return IntervalsClient(
        emu.base_url,
        emu.athlete_id,
        emu.api_key,
        limiter=RateLimiter(0),
        policy=RetryPolicy(sleep=lambda _s: None),
    )


def _run(emu, folder: Path, **extra: Any) -> pipeline.RunResult:
    return pipeline.run_sync(
        _settings(emu, folder, **extra), datetime.now(timezone.utc), client=_client(emu)
    )


def test_local_files_that_changed_only_in_volatile_keys_are_not_rewritten(
    intervals_emulator, tmp_path
):
    # Before writing, the new content is compared with the existing file without its volatile keys;
    # if they are equal, the file is not rewritten (docs/files.md, "Volatile keys"). A second run of
    # the same (pinned) day produces the same data; only the per-run stamps we plant below differ:
    # intervals.json / routes.json `generated_at`, latest.json `metadata.last_updated` (same date,
    # another hour, so the chat-note schedule is unaffected). ftp_history.json and history.json are
    # byte-identical, so they must not be rewritten either.
    folder = tmp_path / "out"
    first = _run(intervals_emulator, folder)
    assert sorted(first.written) == sorted(WRITTEN_FILES)  # a new folder gets every file
    planted = "2026-11-25T09:30:00+01:00"
    for name, path in (
        ("intervals.json", ("generated_at",)),
        ("routes.json", ("generated_at",)),
        ("latest.json", ("metadata", "last_updated")),
    ):
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        node = doc
        for key in path[:-1]:
            node = node[key]
        assert node[path[-1]] != planted
        node[path[-1]] = planted
        (folder / name).write_text(
            json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    before = {name: (folder / name).read_bytes() for name in OUTPUT_FILES}

    second = _run(intervals_emulator, folder)

    assert second.written == []
    assert {name: (folder / name).read_bytes() for name in OUTPUT_FILES} == before


class _FailingPublisher:
    """Reads an empty data repo, then fails to publish (e.g. GitHub is down)."""

    def precheck(self) -> None:  # the repository exists, is private and has a commit
        return None

    def read_state(self) -> dict[str, bytes]:
        return {}

    def publish(self, files, *, today, dry_run=False):
        raise PublishError("GitHub is unavailable (503); nothing was committed.", status=503)


def test_local_copies_are_written_before_publishing(intervals_emulator, tmp_path, monkeypatch):
    # The local copies are written first, so the cache works even when publishing fails.
    # Publishing to GitHub raises here; the five files must already be in the output folder.
    monkeypatch.setattr(pipeline, "make_publisher", lambda _settings: _FailingPublisher())
    folder = tmp_path / "out"

    with pytest.raises(PublishError):
        _run(intervals_emulator, folder, publish="github")

    assert sorted(p.name for p in folder.iterdir()) == list(FOLDER_ENTRIES)


def test_unreadable_ftp_history_means_an_empty_history_in_memory(intervals_emulator, tmp_path):
    # An FTP history that exists but cannot be read is left untouched: the update is skipped, a
    # warning logged, and the run works in memory on an empty history. With an empty history the
    # Benchmark Index has no entry at all → reason `no_ftp_history`. (Applying today's update in
    # memory instead gives one entry dated today, which is not 8 weeks old → `insufficient_history`.)
    folder = tmp_path / "out"
    folder.mkdir()
    corrupt = b'{"indoor": {"2026-01-01": 250}, "outdoor": '
    (folder / "ftp_history.json").write_bytes(corrupt)

    result = _run(intervals_emulator, folder)

    assert (folder / "ftp_history.json").read_bytes() == corrupt
    assert "ftp_history.json" not in result.written
    latest = json.loads((folder / "latest.json").read_text(encoding="utf-8"))
    unavailable = latest["derived_metrics"]["unavailable"]
    assert unavailable["benchmark_indoor.benchmark_index"] == "no_ftp_history"
    assert unavailable["benchmark_outdoor.benchmark_index"] == "no_ftp_history"
    assert any("ftp_history.json" in w for w in result.warnings)


def test_routes_event_with_a_null_name_is_unnamed_and_valid():
    # event_name is a string, "Unnamed" when missing, and a field present but null must not
    # break the run. Before: `event.get("name", "Unnamed")` gave None, the routes
    # document failed its schema and the validation gate stopped the whole sync.
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    event = {
        "id": 7001,
        "name": None,
        "start_date_local": "2026-12-06T09:15:00",
        "category": "RACE_A",
        "attachments": [
            {"id": "att-1", "filename": "course.fit", "url": "https://example.test/course.fit"}
        ],
    }
    snap = Snapshot(
        today=date(2026, 11, 25),
        now=now,
        days=7,
        athlete={},
        activities=[],
        wellness=[],
        events=[event],
    )

    doc, with_terrain = build_routes(snap, None)

    entry = doc["events"][0]
    assert entry["event_name"] == "Unnamed"
    assert entry["terrain_summary"] == {"error": "FIT format not yet supported"}  # never downloaded
    assert entry["start_time"] == "09:15"
    assert with_terrain == set()
    validate_documents({"routes.json": doc})


class _RecordingClient:
    """Stands in for IntervalsClient in the history fetch: records each chunk call's timeout."""

    def __init__(self) -> None:
        self.timeouts: list[Any] = []

    def activities(self, oldest, newest, fields=None, timeout_s=None):
        self.timeouts.append(timeout_s)
        return []

    def wellness(self, oldest, newest, fields=None, timeout_s=None):
        self.timeouts.append(timeout_s)
        return []

    def map_bounded(self, fn, items):
        return [(item, fn(item), None) for item in items]


def test_history_chunks_are_fetched_with_a_120_s_read_timeout(tmp_path):
    # The history fetches use a 120 s read timeout (30 s elsewhere); one window per endpoint (three
    # years at once) = 2 calls, each with 120 s.
    settings = resolve_settings(
        {
            "athlete_id": "i1",
            "intervals_key": "k",
            "output": str(tmp_path),
            "today": TODAY,
            "full_history": True,
            "quiet": True,
        },
        env={},
        config_file=tmp_path / "no-config.json",
    )
    snap = Snapshot(
        today=date(2026, 11, 25),
        now=datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=[],
        wellness=[],
        events=[],
    )
    client = _RecordingClient()

    lists = plan_lists(settings, snap.today)
    plan = plan_details(
        lists, DetailInputs(now=snap.now, activities=[], wellness=[], events=[]), settings
    )
    _fetch_history(client, snap, plan.history, Progress())  # type: ignore[arg-type]

    assert client.timeouts == [120.0] * 2
    # the history read timeout is a setting (--history-timeout / S11SYNC_HISTORY_TIMEOUT)
    client = _RecordingClient()
    slower = settings.with_(history_timeout_s=300.0)
    plan = plan_details(
        lists, DetailInputs(now=snap.now, activities=[], wellness=[], events=[]), slower
    )
    _fetch_history(client, snap, plan.history, Progress())  # type: ignore[arg-type]
    assert client.timeouts == [300.0] * 2
    assert snap.history_activities == [] and snap.history_wellness == []


def test_history_age_is_judged_on_the_athlete_local_date_of_generated_at():
    # history is regenerated when `generated_at`, read in athlete-local time, falls on an earlier
    # date than today. A file stamped 2026-11-25T23:30:00+00:00 was generated at 2026-11-26 00:30 in
    # Europe/Paris (UTC+1 in November): on the athlete's 2026-11-26 it is today's file, not due.
    # (Reading the date in the stamp's own offset gives 2026-11-25 < today → a second regeneration.)
    from zoneinfo import ZoneInfo

    from s11sync.cache import script_hash
    from s11sync.history.due import history_due

    doc = {"script_hash": script_hash(), "generated_at": "2026-11-25T23:30:00+00:00"}
    paris = ZoneInfo("Europe/Paris")
    assert history_due(doc, date(2026, 11, 26), False, paris) is False
    assert history_due(doc, date(2026, 11, 27), False, paris) is True
    # a naive stamp counts as UTC: 2026-11-25T23:30 UTC → 2026-11-26 in Paris
    naive = {**doc, "generated_at": "2026-11-25T23:30:00"}
    assert history_due(naive, date(2026, 11, 26), False, paris) is False
