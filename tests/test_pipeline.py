"""Failed runs leave the output folder exactly as it was.

A previous run's five files are written once per module (with `--today` one day earlier than the
emulator's, so a new run would change every file). Each test copies that folder, makes a run fail
in a different place — the key refused, a 500 on the activities call, a builder producing a
document that fails its schema — and compares a SHA-256 of every file, hidden ones included,
before and after.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sync_args import isolate

from s11sync import pipeline
from s11sync.build import build_documents, dumps
from s11sync.cli import main
from s11sync.config import resolve_settings
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy
from s11sync.publish.local import FOLDER_ENTRIES, WRITTEN_FILES
from s11sync.snapshot import OUTPUT_FILES

PREVIOUS_TODAY = "2026-11-24"  # the emulator serves 2026-11-25: a new run changes these files
# routes.json is not listed: both days see the same route, so only its volatile `generated_at`
# differs and the file is not rewritten (docs/files.md, "Volatile keys")
CHANGED_BY_A_NEW_DAY = ["history.json", "intervals.json", "latest.json"]
WRONG_KEY = "wrong-key-Pq72-must-not-appear"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or config file from the machine; no rate limit (the emulator is local)."""
    isolate(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def previous_run(tmp_path_factory: pytest.TempPathFactory, intervals_emulator) -> Path:
    """The folder a previous successful run left: the five files, nothing else."""
    emu = intervals_emulator
    folder = tmp_path_factory.mktemp("previous") / "out"
    settings = resolve_settings(
        {
            "athlete_id": emu.athlete_id,
            "intervals_key": emu.api_key,
            "api_base": emu.base_url,
            "output": str(folder),
            "today": PREVIOUS_TODAY,
            "quiet": True,
        },
        env={},
        config_file=folder / "no-config.json",
    )
    client = IntervalsClient(
        emu.base_url,
        emu.athlete_id,
        emu.api_key,
        limiter=RateLimiter(0),
        policy=RetryPolicy(sleep=lambda _s: None),
    )
    result = pipeline.run_sync(settings, datetime.now(timezone.utc), client=client)
    assert sorted(result.written) == sorted(WRITTEN_FILES)
    return folder


@pytest.fixture
def output(previous_run: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    shutil.copytree(previous_run, folder)
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` (temporary and hidden files too) → SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def sync_args(emu, folder: Path, *, key: str | None = None) -> list[str]:
    return [
        "sync",
        "--api-base",
        emu.base_url,
        "--athlete-id",
        emu.athlete_id,
        "--intervals-key",
        key or emu.api_key,
        "--output",
        str(folder),
        "--today",
        "2026-11-25",
        "--quiet",
    ]


def test_the_previous_run_holds_no_secret(previous_run: Path, intervals_emulator):
    athlete = intervals_emulator.data.athlete
    for name in OUTPUT_FILES:
        text = (previous_run / name).read_text(encoding="utf-8")
        assert intervals_emulator.api_key not in text
        assert athlete["icu_api_key"] not in text
        assert athlete["icu_friend_invite_token"] not in text


def test_a_refused_key_exits_1_and_leaves_the_folder_byte_for_byte(
    intervals_emulator, output, capsys
):
    before = fingerprint(output)

    code = main(sync_args(intervals_emulator, output, key=WRONG_KEY))

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Error: Intervals.icu refused the API key (401)")
    assert "Traceback" not in err and WRONG_KEY not in err
    assert fingerprint(output) == before


def test_a_500_on_the_activities_call_exits_1_and_leaves_the_folder(
    intervals_emulator, output, monkeypatch, capsys
):
    waits: list[float] = []
    monkeypatch.setattr(
        pipeline, "RetryPolicy", functools.partial(RetryPolicy, sleep=lambda _s: None, waits=waits)
    )
    intervals_emulator.add_fault(r"/athlete/[^/]+/activities$", status=500, times=50)
    before = fingerprint(output)

    code = main(sync_args(intervals_emulator, output))

    err = capsys.readouterr().err
    assert code == 1
    assert "answered 500 on /athlete/{id}/activities after 5 attempt(s)" in err
    assert len(waits) == 4  # retried with backoff, then gave up
    assert fingerprint(output) == before


def test_a_document_failing_its_schema_blocks_every_file(
    intervals_emulator, output, monkeypatch, capsys
):
    built: dict[str, bytes] = {}

    def broken(snap, previous, settings):
        documents = build_documents(snap, previous, settings)
        built.update({name: dumps(name, doc) for name, doc in documents.items()})
        documents["latest.json"]["metadata"] = "not an object"
        return documents

    monkeypatch.setattr(pipeline, "build_documents", broken)
    before = fingerprint(output)

    code = main(sync_args(intervals_emulator, output))

    err = capsys.readouterr().err
    assert code == 1
    assert "latest.json $.metadata" in err
    # the other documents were valid and new: writing any of them would show
    assert [n for n in CHANGED_BY_A_NEW_DAY if built[n] == (output / n).read_bytes()] == []
    assert fingerprint(output) == before


def test_a_failed_run_into_a_new_folder_creates_nothing(intervals_emulator, tmp_path):
    folder = tmp_path / "fresh"

    assert main(sync_args(intervals_emulator, folder, key=WRONG_KEY)) == 1

    assert not folder.exists()


def test_a_successful_run_replaces_the_files_and_leaves_no_temporary_file(
    intervals_emulator, output
):
    before = fingerprint(output)

    assert main(sync_args(intervals_emulator, output)) == 0

    after = fingerprint(output)
    assert sorted(after) == sorted(WRITTEN_FILES)
    assert [n for n in CHANGED_BY_A_NEW_DAY if after[n] == before[n]] == []
    assert after["routes.json"] == before["routes.json"]  # only generated_at would change
    latest = json.loads((output / "latest.json").read_text(encoding="utf-8"))
    assert latest["metadata"]["last_updated"].startswith("2026-11-25")


def test_failing_optional_per_activity_calls_do_not_fail_the_run(
    intervals_emulator, tmp_path, monkeypatch, capsys
):
    waits: list[float] = []
    monkeypatch.setattr(
        pipeline, "RetryPolicy", functools.partial(RetryPolicy, sleep=lambda _s: None, waits=waits)
    )
    intervals_emulator.add_fault(r"^/api/v1/activity/", status=503, times=100_000)
    folder = tmp_path / "out"

    assert main(sync_args(intervals_emulator, folder)) == 0

    assert sorted(p.name for p in folder.iterdir()) == list(FOLDER_ENTRIES)
    assert waits, "the per-activity calls were retried before giving up"
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 0


def test_an_unreadable_ftp_history_is_left_untouched_and_the_rest_is_written(tmp_path):
    # never overwrite an FTP history we could not read (docs/files.md, "What is never lost") (it may
    # be repairable)
    from s11sync.cli import main

    out = tmp_path / "out"
    out.mkdir()
    corrupt = b'{"indoor": {"2026-01-01": 250}, "outdoor": '
    (out / "ftp_history.json").write_bytes(corrupt)
    assert main(["demo", "--output", str(out), "--today", "2026-11-25", "--quiet"]) == 0
    assert (out / "ftp_history.json").read_bytes() == corrupt
    assert (out / "latest.json").exists() and (out / "history.json").exists()


def test_the_validation_gate_makes_demo_exit_1_and_keeps_the_folder(tmp_path, monkeypatch, capsys):
    # a builder producing an invalid document → `s11sync demo --output DIR` exits 1 and
    # DIR keeps its previous contents byte for byte
    from s11sync.cli import main

    out = tmp_path / "demo"
    assert main(["demo", "--output", str(out), "--today", "2026-11-24", "--quiet"]) == 0
    before = fingerprint(out)

    def broken(snap, previous, settings):
        documents = build_documents(snap, previous, settings)
        documents["history.json"]["daily_90d"] = -1  # wrong type
        return documents

    monkeypatch.setattr(pipeline, "build_documents", broken)
    assert main(["demo", "--output", str(out), "--today", "2026-11-25", "--quiet"]) == 1
    assert "history.json $.daily_90d" in capsys.readouterr().err
    assert fingerprint(out) == before


def test_a_warm_run_validates_only_the_files_it_writes(intervals_emulator, tmp_path, monkeypatch):
    # a file equal to the stored one (volatile keys aside) is not rewritten, so it is not
    # validated again; every file that is written is validated first
    import s11sync.validate as validate

    folder = tmp_path / "warm"
    assert main(sync_args(intervals_emulator, folder)) == 0
    seen: list[list[str]] = []
    real = validate.validate_documents
    monkeypatch.setattr(
        validate, "validate_documents", lambda docs: (seen.append(sorted(docs)), real(docs))
    )
    before = fingerprint(folder)

    assert main(sync_args(intervals_emulator, folder)) == 0

    changed = sorted(
        name for name, digest in fingerprint(folder).items() if before.get(name) != digest
    )
    assert seen == [changed]
    assert "latest.json" not in changed  # the same day's data: nothing to validate there


def test_an_invalid_document_that_would_be_written_is_still_refused(
    intervals_emulator, tmp_path, monkeypatch, capsys
):
    folder = tmp_path / "warm"
    assert main(sync_args(intervals_emulator, folder)) == 0

    def broken(snap, previous, settings):
        documents = build_documents(snap, previous, settings)
        documents["routes.json"]["events"] = "not a list"
        return documents

    monkeypatch.setattr(pipeline, "build_documents", broken)
    before = fingerprint(folder)
    assert main(sync_args(intervals_emulator, folder)) == 1
    assert "routes.json" in capsys.readouterr().err
    assert fingerprint(folder) == before
