"""State: replayed or shifted days, untrusted ftp_history.json, interrupted folder
updates, the demo's publish, a concurrent writer in the data repo and duplicate activities.

Every case runs the real sync (the CLI or `pipeline.run_sync`) against the loopback emulators and
asserts the exit code, a message that names the cause and the fix, and that previous files are
byte-identical or legitimately updated.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sync_args import isolate

from s11sync import pipeline
from s11sync.cli import main
from s11sync.config import resolve_settings
from s11sync.demo.github.server import GitHubEmulator
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy
from s11sync.publish import local
from s11sync.publish.local import FOLDER_ENTRIES
from s11sync.publish.plan import meaningful_equal
from s11sync.snapshot import OUTPUT_FILES
from s11sync.validate import validate_paths

TODAY = date(2026, 11, 25)  # the demo's default date; the session emulator serves it
REPO_OWNER, REPO_NAME, TOKEN = "athlete", "training-data", "gh-token-for-tests"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def demo(folder: Path, day: date | str, *extra: str) -> int:
    return main(["demo", "--output", str(folder), "--today", str(day), *extra])


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder a plain `s11sync demo --today 2026-11-25` left."""
    folder = tmp_path_factory.mktemp("demo") / "out"
    assert main(["demo", "--output", str(folder), "--today", TODAY.isoformat(), "--quiet"]) == 0
    return folder


@pytest.fixture
def folder(demo_folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(demo_folder, target)
    return target


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def read(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def detail(folder: Path) -> dict[str, tuple[bool, bool]]:
    """intervals.json: activity id → (has segments, has a DFA block)."""
    return {
        str(e["activity_id"]): (bool(e.get("intervals")), "dfa" in e)
        for e in read(folder, "intervals.json")["activities"]
    }


def consistent(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert names == list(FOLDER_ENTRIES), names  # no journal, no staged or temporary file
    lines, ok = validate_paths([folder])
    assert ok, lines


# ---- 6. replayed or shifted days -------------------------------------------------------------


def test_an_earlier_today_runs_and_the_later_day_keeps_every_interval_and_dfa_detail(
    folder: Path, capsys
):
    before = detail(folder)
    ftp_before = (folder / "ftp_history.json").read_bytes()
    assert sum(dfa for _, dfa in before.values()) > 0

    earlier = TODAY - timedelta(days=14)
    assert demo(folder, earlier) == 0
    out = capsys.readouterr().out
    assert "history.json was generated at 2026-11-25" in out and "regenerated" in out
    assert (
        "intervals.json was generated at 2026-11-25" in out and "no interval or DFA detail" in out
    )
    assert "ftp_history.json has entries dated after this run's day" in out and "--today" in out
    latest = read(folder, "latest.json")
    assert latest["history"]["age_days"] == 0
    assert read(folder, "history.json")["generated_at"].startswith(earlier.isoformat())
    assert (folder / "ftp_history.json").read_bytes() == ftp_before  # never rewritten into the past
    later = {
        k
        for k, e in before.items()
        if e
        and k
        in {
            str(a["activity_id"])
            for a in read(folder, "intervals.json")["activities"]
            if a["date"] > earlier.isoformat()
        }
    }
    assert later, "the activities after the replayed day are kept"
    consistent(folder)

    assert demo(folder, TODAY, "--quiet") == 0
    assert detail(folder) == before  # nothing lost on the way
    assert read(folder, "latest.json")["history"]["age_days"] == 0
    consistent(folder)


def test_a_run_with_a_later_today_does_not_block_the_normal_runs_after_it(folder: Path, capsys):
    before = detail(folder)
    assert demo(folder, "2030-01-01", "--quiet") == 0
    ftp_after_2030 = (folder / "ftp_history.json").read_bytes()

    assert demo(folder, TODAY) == 0  # no --full-history needed
    out = capsys.readouterr().out
    assert "history.json was generated at 2030-01-01" in out and "regenerated" in out
    assert read(folder, "history.json")["generated_at"].startswith(TODAY.isoformat())
    assert read(folder, "latest.json")["history"]["age_days"] == 0
    after = detail(folder)
    assert before.items() <= after.items()  # the last 14 days were scanned again: nothing lost
    dates = {str(e["activity_id"]): e["date"] for e in read(folder, "intervals.json")["activities"]}
    assert all(dates[k] > TODAY.isoformat() for k in set(after) - set(before))  # kept for their day
    if "2030-01-01" in ftp_after_2030.decode():
        assert "lies after today (2026-11-25)" in out
        assert (folder / "ftp_history.json").read_bytes() == ftp_after_2030
    consistent(folder)


def test_a_future_dated_history_file_is_regenerated_with_a_warning(folder: Path, capsys):
    doc = read(folder, "history.json")
    doc["generated_at"] = "2027-03-01T08:00:00+01:00"
    (folder / "history.json").write_text(json.dumps(doc), encoding="utf-8")

    assert demo(folder, TODAY) == 0
    out = capsys.readouterr().out
    assert "history.json was generated at 2027-03-01T08:00:00+01:00, after this run" in out
    assert read(folder, "history.json")["generated_at"].startswith(TODAY.isoformat())
    assert read(folder, "latest.json")["history"]["age_days"] == 0
    consistent(folder)


def _settings(emu, folder: Path, **extra: Any):
    return resolve_settings(
        {
            "athlete_id": emu.athlete_id,
            "intervals_key": emu.api_key,
            "api_base": emu.base_url,
            "output": str(folder),
            "quiet": True,
            **extra,
        },
        env={},
        config_file=folder.parent / "no-config.json",
    )


def _client(emu) -> IntervalsClient:
    return IntervalsClient(
        emu.base_url,
        emu.athlete_id,
        emu.api_key,
        limiter=RateLimiter(0),
        policy=RetryPolicy(sleep=lambda _s: None),
    )


def test_the_time_zone_moving_west_across_midnight_does_not_block_the_folder(
    intervals_emulator, tmp_path: Path
):
    emu = intervals_emulator
    athlete = emu.data.athlete
    folder = tmp_path / "tz"
    original = athlete["timezone"]
    try:
        athlete["timezone"] = "Europe/Paris"  # 00:30 on the 25th
        first = pipeline.run_sync(
            _settings(emu, folder),
            datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc),
            client=_client(emu),
        )
        assert first.snapshot is not None and first.snapshot.today == TODAY
        before = detail(folder)
        ftp_before = (folder / "ftp_history.json").read_bytes()
        athlete["timezone"] = "America/New_York"  # 15 minutes later: 18:45 on the 24th
        second = pipeline.run_sync(
            _settings(emu, folder),
            datetime(2026, 11, 24, 23, 45, tzinfo=timezone.utc),
            client=_client(emu),
        )
    finally:
        athlete["timezone"] = original
    assert second.snapshot is not None and second.snapshot.today == TODAY - timedelta(days=1)
    assert read(folder, "latest.json")["history"]["age_days"] == 0
    assert any("lies after today (2026-11-24)" in w for w in second.warnings)
    assert (folder / "ftp_history.json").read_bytes() == ftp_before
    kept = detail(folder)
    assert {k: v for k, v in before.items() if k in kept} == {
        k: kept[k] for k in before if k in kept
    }
    assert set(before) <= set(kept)  # activities of the 25th keep their detail
    consistent(folder)


# ---- 7. an untrusted ftp_history.json ----------------------------------------------------------

BAD_FTP = {
    "string value": (
        {"indoor": {"2026-01-05": "250"}, "outdoor": {"2026-01-05": 260}},
        'indoor["2026-01-05"] = "250" is a string',
    ),
    "float value": ({"indoor": {"2026-01-05": 250.5}, "outdoor": {}}, "250.5 is a decimal number"),
    "bad date key": (
        {"indoor": {"2026-13-40": 250}, "outdoor": {"2026-01-05": 260}},
        'indoor["2026-13-40"] = 250 is not a calendar date',
    ),
    "free text key": (
        {"indoor": {"last spring": 250}, "outdoor": {}},
        "is not a date (YYYY-MM-DD)",
    ),
    "future entry": (
        {"indoor": {"2026-01-05": 250, "2027-02-01": 255}, "outdoor": {}},
        'indoor["2027-02-01"] = 255 lies after today (2026-11-25)',
    ),
    "series not an object": (
        {"indoor": [250], "outdoor": {"2026-01-05": 260}},
        "indoor is not an object",
    ),
    "unknown key": (
        {"indoor": {}, "outdoor": {"2026-01-05": 260}, "cycling": {}},
        'unknown key "cycling"',
    ),
    "zero": ({"indoor": {"2026-01-05": 0}, "outdoor": {}}, "is not a positive number of watts"),
}


@pytest.mark.parametrize("case", sorted(BAD_FTP))
def test_an_untrusted_ftp_history_is_used_for_its_valid_entries_and_never_rewritten(
    intervals_emulator, folder: Path, capsys, case: str
):
    doc, offence = BAD_FTP[case]
    path = folder / "ftp_history.json"
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    stored = path.read_bytes()
    emu = intervals_emulator
    args = [
        "sync",
        "--api-base",
        emu.base_url,
        "--athlete-id",
        emu.athlete_id,
        "--intervals-key",
        emu.api_key,
        "--output",
        str(folder),
        "--today",
        TODAY.isoformat(),
    ]

    for _ in range(2):  # every run: exit 0, a warning, the file byte for byte
        assert main(args) == 0
        out = capsys.readouterr().out
        assert f"warning: {path}" in out and offence in out
        assert "left unchanged" in out and ("correct or delete" in out or "delete them" in out)
        assert path.read_bytes() == stored
    latest = read(folder, "latest.json")
    if case == "string value":  # the valid outdoor entry is used
        assert (
            latest["derived_metrics"]["data_quality"]["ftp_history_days"]["outdoor"]
            == (TODAY - date(2026, 1, 5)).days
        )
    assert validate_paths([folder / name for name in OUTPUT_FILES if name != "ftp_history.json"])[1]

    # valid again → updated again
    path.write_text(
        json.dumps({"indoor": {"2026-01-05": 250}, "outdoor": {}, "schema_version": 1}),
        encoding="utf-8",
    )
    assert main(args) == 0
    assert "warning: " + str(path) not in capsys.readouterr().out
    assert read(folder, "ftp_history.json")["indoor"]["2026-01-05"] == 250
    consistent(folder)


def test_a_legacy_flat_ftp_history_is_migrated_not_refused(intervals_emulator, folder: Path):
    (folder / "ftp_history.json").write_text('{"2026-01-05": 262}', encoding="utf-8")
    emu = intervals_emulator
    result = pipeline.run_sync(
        _settings(emu, folder, today=TODAY.isoformat()),
        datetime.now(timezone.utc),
        client=_client(emu),
    )
    assert not [w for w in result.warnings if "ftp_history" in w]
    assert read(folder, "ftp_history.json")["outdoor"]["2026-01-05"] == 262


# ---- 8. all-or-nothing folder updates ----------------------------------------------------------

KILL_CHILD = """
import os, signal, sys
from pathlib import Path
from s11sync.publish import local
folder, stage = Path(sys.argv[1]), sys.argv[2]
files = {p.name: p.read_bytes() for p in Path(sys.argv[3]).iterdir() if p.is_file()}
real_rename, real_temp, renamed, staged = local.RENAME, local._write_temp, [], []
def rename(src, dst):
    real_rename(src, dst)
    renamed.append(dst)
    if stage == "rename" and len(renamed) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
def temp(folder, prefix, data):
    path = real_temp(folder, prefix, data)
    staged.append(path)
    if stage == "stage" and len(staged) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return path
local.RENAME, local._write_temp = rename, temp
local.write_folder(folder, files)
"""


def _kill_during_write(folder: Path, new: Path, stage: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILL_CHILD, str(folder), stage, str(new)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.fixture
def newer_files(folder: Path, tmp_path: Path) -> Path:
    """What a run one day later writes (every file differs from `folder`'s)."""
    target = tmp_path / "newer"
    shutil.copytree(folder, target)
    assert demo(target, TODAY + timedelta(days=1), "--quiet") == 0
    return target


def test_a_kill_between_renames_is_completed_by_the_next_run(
    folder: Path, newer_files: Path, capsys, caplog
):
    new = {name: (newer_files / name).read_bytes() for name in OUTPUT_FILES}
    old = {name: (folder / name).read_bytes() for name in OUTPUT_FILES}
    _kill_during_write(folder, newer_files, "rename")
    on_disk = {name: (folder / name).read_bytes() for name in OUTPUT_FILES}
    assert (folder / local.JOURNAL).exists()
    # killed after the second rename: a mix of new and old files on disk
    assert any(on_disk[n] == new[n] != old[n] for n in OUTPUT_FILES)
    assert any(on_disk[n] == old[n] != new[n] for n in OUTPUT_FILES)

    # the next reader completes the update
    assert local.read_folder_state(folder, OUTPUT_FILES) == new
    assert "completed an interrupted update" in caplog.text
    consistent(folder)
    assert demo(folder, TODAY + timedelta(days=1), "--quiet") == 0
    consistent(folder)


def test_a_kill_while_staging_leaves_the_old_files_and_the_next_run_cleans_up(
    folder: Path, newer_files: Path, caplog
):
    old = fingerprint(folder)
    _kill_during_write(folder, newer_files, "stage")
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert leftovers and not (folder / local.JOURNAL).exists()
    assert {k: v for k, v in fingerprint(folder).items() if not k.endswith(".tmp")} == old

    assert demo(folder, TODAY, "--quiet") == 0
    assert "leftover temporary file" in caplog.text
    consistent(folder)


def test_a_failed_rename_in_a_run_is_completed_by_the_next_run(folder: Path, monkeypatch, capsys):
    real, calls = local.RENAME, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(local, "RENAME", failing)
    assert demo(folder, TODAY + timedelta(days=1), "--quiet") == 1
    assert "Input/output error" in capsys.readouterr().err
    assert (folder / local.JOURNAL).exists()
    monkeypatch.setattr(local, "RENAME", real)

    assert demo(folder, TODAY + timedelta(days=1), "--quiet") == 0
    consistent(folder)
    assert read(folder, "latest.json")["metadata"]["last_updated"].startswith("2026-11-26")


# ---- 9. the demo's publish never shrinks local state ---------------------------------------------


def test_demo_publish_on_a_plain_demo_folder_keeps_every_ftp_entry(folder: Path):
    before = read(folder, "ftp_history.json")
    count = sum(len(before[s]) for s in ("indoor", "outdoor"))
    assert count >= 9

    assert demo(folder, TODAY, "--publish", "--quiet") == 0

    after = read(folder, "ftp_history.json")
    for series in ("indoor", "outdoor"):
        assert before[series].items() <= after[series].items()
    bare = folder / "github" / "demo-athlete" / "training-data.git"
    published = subprocess.run(
        ["git", "--git-dir", str(bare), "show", "HEAD:ftp_history.json"],
        capture_output=True,
        check=True,
    ).stdout
    assert json.loads(published) == after


# ---- 10. a concurrent edit of ftp_history.json in the data repo ---------------------------------


def test_a_concurrent_ftp_history_edit_is_merged_not_reverted(intervals_emulator, tmp_path: Path):
    emu = intervals_emulator
    with GitHubEmulator(tmp_path / "github", token=TOKEN) as gh:
        bare = gh.create_repo(REPO_OWNER, REPO_NAME, private=True)
        gh.store(REPO_OWNER, REPO_NAME).commit_files("main", {"README.md": b"# data\n"}, "init")
        settings = _settings(emu, tmp_path / "out", today="2026-11-24").with_(
            publish="github",
            data_repo=f"{REPO_OWNER}/{REPO_NAME}",
            data_repo_token=TOKEN,
            github_api_url=gh.api_url,
            output=None,
        )
        pipeline.run_sync(settings, datetime.now(timezone.utc), client=_client(emu))
        show = ["git", "--git-dir", str(bare), "show", "main:ftp_history.json"]
        theirs = json.loads(subprocess.run(show, capture_output=True, check=True).stdout)
        theirs["outdoor"]["2026-11-20"] = 300  # another writer's entry, committed mid-run
        other = (json.dumps(theirs, indent=2, sort_keys=True) + "\n").encode()

        def writer(emulator: GitHubEmulator) -> None:
            emulator.store(REPO_OWNER, REPO_NAME).commit_files(
                "main", {"ftp_history.json": other}, "hand edit"
            )

        gh.add_hook("PATCH", r"/git/refs/heads/main$", writer)
        result = pipeline.run_sync(
            settings.with_(today=TODAY), datetime.now(timezone.utc), client=_client(emu)
        )
        assert result.publish is not None and result.publish.committed
        merged = json.loads(subprocess.run(show, capture_output=True, check=True).stdout)
    assert merged["outdoor"]["2026-11-20"] == 300
    for series in ("indoor", "outdoor"):
        assert theirs[series].items() <= merged[series].items()


def test_an_untrusted_ftp_history_in_the_data_repo_stays_byte_identical(
    intervals_emulator, tmp_path: Path
):
    emu = intervals_emulator
    bad = b'{"indoor": {"2026-01-05": "250"}, "outdoor": {}, "schema_version": 1}\n'
    with GitHubEmulator(tmp_path / "github", token=TOKEN) as gh:
        bare = gh.create_repo(REPO_OWNER, REPO_NAME, private=True)
        gh.store(REPO_OWNER, REPO_NAME).commit_files("main", {"ftp_history.json": bad}, "hand edit")
        settings = _settings(emu, tmp_path / "out", today=TODAY.isoformat()).with_(
            publish="github",
            data_repo=f"{REPO_OWNER}/{REPO_NAME}",
            data_repo_token=TOKEN,
            github_api_url=gh.api_url,
        )
        result = pipeline.run_sync(settings, datetime.now(timezone.utc), client=_client(emu))
        stored = subprocess.run(
            ["git", "--git-dir", str(bare), "show", "main:ftp_history.json"],
            capture_output=True,
            check=True,
        ).stdout
    assert stored == bad
    assert result.publish is not None and result.publish.committed
    assert "ftp_history.json" not in result.publish.changed
    assert not (tmp_path / "out" / "ftp_history.json").exists()
    assert any(
        w.startswith(f"{REPO_OWNER}/{REPO_NAME}:ftp_history.json is not valid")
        and 'indoor["2026-01-05"] = "250"' in w
        for w in result.warnings
    )


# ---- 11. duplicate activities --------------------------------------------------------------------


def test_duplicate_activities_count_once_with_a_warning(intervals_emulator, tmp_path: Path):
    emu = intervals_emulator
    settings = {"today": TODAY.isoformat()}
    emu.reset_counts()
    clean = pipeline.run_sync(
        _settings(emu, tmp_path / "clean", **settings),
        datetime.now(timezone.utc),
        client=_client(emu),
    )
    clean_counts = dict(emu.request_counts)
    emu.reset_counts()
    emu.activity_copies = 3
    try:
        doubled = pipeline.run_sync(
            _settings(emu, tmp_path / "dup", **settings),
            datetime.now(timezone.utc),
            client=_client(emu),
        )
    finally:
        emu.activity_copies = 1
    counts = dict(emu.request_counts)
    listed = len(clean.snapshot.activities) if clean.snapshot else 0
    assert doubled.snapshot is not None and len(doubled.snapshot.activities) == listed
    assert any(
        f"listed {listed} activities more than once ({2 * listed} extra copies)" in w
        and "counted once" in w
        for w in doubled.warnings
    )
    assert not any("more than once" in w for w in clean.warnings)
    for template in ("/activity/{id}", "/activity/{id}/streams", "/activity/{id}/messages"):
        assert counts.get(template, 0) == clean_counts.get(template, 0), template
    for name in OUTPUT_FILES:
        assert meaningful_equal(name, clean.files[name], doubled.files[name]), name
