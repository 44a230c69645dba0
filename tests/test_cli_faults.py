"""Every OS error and bad value ends in one line that names the cause and
the fix, with exit 2 (usage/configuration) or 1 (run failure), and the previous files untouched.

What can be checked before fetching is checked before fetching: those cases also assert that the
Intervals.icu emulator saw no request.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sync_args import isolate, sync_argv

from s11sync import pipeline
from s11sync.cli import main
from s11sync.config import resolve_settings
from s11sync.demo.github.server import GitHubEmulator
from s11sync.errors import ConfigError
from s11sync.publish import local
from s11sync.publish.local import FOLDER_ENTRIES
from s11sync.snapshot import OUTPUT_FILES

TODAY = "2026-11-25"
TOKEN = "ghp_faults_token"
ENV_NAMES = (
    "ATHLETE_ID",
    "INTERVALS_KEY",
    "INTERVALS_API_BASE",
    "S11SYNC_DAYS",
    "WEEK_START",
    "ZONE_PREFERENCE",
    "HEMISPHERE",
    "S11SYNC_TODAY",
    "DATA_REPO",
    "DATA_REPO_TOKEN",
    "GITHUB_API_URL",
    "DATA_REPO_BRANCH",
    "S11SYNC_ARCHIVE",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GITHUB_STEP_SUMMARY",
    "S11SYNC_PUBLIC_LOG",
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path, *ENV_NAMES)


@pytest.fixture(scope="module")
def previous_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("previous") / "data"
    assert main(["demo", "--output", str(folder), "--today", TODAY, "--quiet"]) == 0
    return folder


@pytest.fixture
def folder(previous_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(previous_run, copy)
    return copy


def snapshot_of(path: Path) -> dict[str, bytes]:
    """Every file under `path` (relative name -> bytes)."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def sync(emu, *args: str) -> int:
    return main(sync_argv(emu, None, "--today", TODAY, "--quiet", *args))


def one_error_line(err: str) -> str:
    # run warnings (printed on stderr even with --quiet) come before the error, one line each
    err = "".join(
        line for line in err.splitlines(keepends=True) if not line.startswith("warning: ")
    )
    assert err.startswith("Error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


# ---- OS errors are one line, checked before fetching when possible -----------------------


def test_output_naming_an_existing_file(intervals_emulator, tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_bytes(b"mine\n")
    intervals_emulator.reset_counts()

    assert sync(intervals_emulator, "--output", str(target)) == 2

    err = one_error_line(capsys.readouterr().err)
    assert "is a file, not a folder" in err and "give the folder" in err
    assert target.read_bytes() == b"mine\n"
    assert intervals_emulator.total_requests() == 0


def test_output_inside_a_file(intervals_emulator, tmp_path, capsys):
    (tmp_path / "plain").write_bytes(b"x")
    intervals_emulator.reset_counts()

    assert sync(intervals_emulator, "--output", str(tmp_path / "plain" / "data")) == 2

    err = one_error_line(capsys.readouterr().err)
    assert "is a file" in err and "choose another folder" in err
    assert intervals_emulator.total_requests() == 0


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_an_unwritable_or_read_only_folder_is_found_before_fetching(
    intervals_emulator, folder, monkeypatch, capsys, code
):
    before = snapshot_of(folder)

    def refuse(*_a, **_k):
        raise OSError(code, os.strerror(code))

    # the tests run as root, which ignores file modes: the refusal is injected at the OS boundary
    monkeypatch.setattr(local.tempfile, "mkstemp", refuse)
    intervals_emulator.reset_counts()

    assert sync(intervals_emulator, "--output", str(folder)) == 2

    err = one_error_line(capsys.readouterr().err)
    assert f"cannot write to {folder}" in err and os.strerror(code) in err
    assert "choose a folder you can write to" in err
    assert snapshot_of(folder) == before
    assert intervals_emulator.total_requests() == 0


def test_a_full_disk_while_writing_is_a_run_failure_and_keeps_every_previous_file(
    intervals_emulator, folder, monkeypatch, capsys
):
    before = snapshot_of(folder)

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(local.os, "fsync", disk_full)

    assert sync(intervals_emulator, "--output", str(folder), "--today", "2026-11-26") == 1

    err = one_error_line(capsys.readouterr().err)
    assert "disk is full" in err and "Free some space" in err and "unchanged" in err
    assert snapshot_of(folder) == before  # no new file, no left-over temporary file


def test_an_output_file_that_is_a_folder(intervals_emulator, folder, capsys):
    (folder / "routes.json").unlink()
    (folder / "routes.json").mkdir()
    before = snapshot_of(folder)
    intervals_emulator.reset_counts()

    assert sync(intervals_emulator, "--output", str(folder)) == 2

    err = one_error_line(capsys.readouterr().err)
    assert f"{folder / 'routes.json'} is a folder" in err and "move or rename" in err
    assert snapshot_of(folder) == before and (folder / "routes.json").is_dir()
    assert intervals_emulator.total_requests() == 0


def _serve(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    return subprocess.run(
        [sys.executable, "-m", "s11sync", "demo", "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_demo_serve_on_a_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _serve("--port", str(port))

    assert done.returncode == 2
    err = one_error_line(done.stderr)
    assert f"port {port}" in err and "choose another --port" in err


@pytest.mark.parametrize("port", ["70000", "-1", "abc"])
def test_demo_serve_with_a_port_out_of_range(port, capsys):
    assert main(["demo", "serve", "--port", port]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert "--port must be" in err and "65535" in err


# ---- the data repo is checked before fetching -------------------------------------------


@pytest.fixture
def github(tmp_path: Path):
    with GitHubEmulator(tmp_path / "gh", token=TOKEN) as gh:
        yield gh


def publish(emu, gh: GitHubEmulator, repo: str, monkeypatch, *args: str) -> int:
    monkeypatch.setenv("DATA_REPO", repo)
    monkeypatch.setenv("DATA_REPO_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
    return sync(emu, "--publish", "github", *args)


def test_an_empty_data_repo_is_refused_before_fetching(
    intervals_emulator, github, monkeypatch, capsys
):
    bare = github.create_repo("me", "data", private=True)
    intervals_emulator.reset_counts()

    assert publish(intervals_emulator, github, "me/data", monkeypatch) == 1

    err = one_error_line(capsys.readouterr().err)
    assert "is empty" in err and "Add a README file" in err
    assert intervals_emulator.total_requests() == 0
    assert not list((bare / "refs" / "heads").iterdir())


def test_a_public_data_repo_is_refused_before_fetching(
    intervals_emulator, github, monkeypatch, capsys
):
    github.create_repo("me", "data", private=False)
    github.store("me", "data").commit_files("main", {"README.md": b"x\n"}, "Initial commit")
    intervals_emulator.reset_counts()

    assert publish(intervals_emulator, github, "me/data", monkeypatch) == 1

    err = one_error_line(capsys.readouterr().err)
    assert "is public" in err and "Change visibility" in err
    assert intervals_emulator.total_requests() == 0


def test_a_missing_data_repo_is_refused_before_fetching(
    intervals_emulator, github, monkeypatch, capsys
):
    intervals_emulator.reset_counts()

    assert publish(intervals_emulator, github, "me/missing", monkeypatch) == 1

    err = one_error_line(capsys.readouterr().err)
    assert "does not exist" in err and "Check DATA_REPO" in err
    assert intervals_emulator.total_requests() == 0


def test_a_data_repo_with_a_commit_passes_the_precheck_and_is_published(
    intervals_emulator, github, monkeypatch
):
    github.create_repo("me", "data", private=True)
    store = github.store("me", "data")
    store.commit_files("main", {"README.md": b"x\n"}, "Initial commit")

    assert publish(intervals_emulator, github, "me/data", monkeypatch) == 0
    assert store.read_blob(
        next(
            e.sha
            for e in store.read_tree(store.tree_of(store.head("main")))
            if e.path == "latest.json"
        )
    )


# ---- a consistent command line ----------------------------------------------------------


def test_schema_errors_are_printed_once(intervals_emulator, folder, monkeypatch, capsys):
    before = snapshot_of(folder)
    real_build = pipeline.build_documents

    def broken(*args, **kwargs):
        docs = real_build(*args, **kwargs)
        docs["latest.json"]["metadata"]["version"] = 3
        return docs

    monkeypatch.setattr(pipeline, "build_documents", broken)

    assert sync(intervals_emulator, "--output", str(folder)) == 1

    err = capsys.readouterr().err
    line = "latest.json $.metadata.version: 3 is not of type 'string'"
    assert err.count(line) == 1, err
    assert "nothing was written" in err and "please report it" in err
    assert snapshot_of(folder) == before


def test_dry_run_names_only_the_files_that_would_change(intervals_emulator, folder, capsys):
    before = snapshot_of(folder)

    assert (
        main(
            sync_argv(
                intervals_emulator, None, "--today", TODAY, "--output", str(folder), "--dry-run"
            )
        )
        == 0
    )
    out = capsys.readouterr().out
    assert snapshot_of(folder) == before
    line = next(x for x in out.splitlines() if x.startswith("dry run: would write"))
    would = [name for name in OUTPUT_FILES if name in line]

    assert sync(intervals_emulator, "--output", str(folder)) == 0
    changed = [name for name in OUTPUT_FILES if (folder / name).read_bytes() != before[name]]
    assert sorted(would) == sorted(changed)
    assert len(would) < len(OUTPUT_FILES)  # a same-day rerun leaves files unchanged


def test_doctor_and_sync_exit_alike_for_a_missing_setting(tmp_path, capsys):
    sync_code = main(["sync", "--output", str(tmp_path / "out")])
    doctor_code = main(["doctor"])

    out = capsys.readouterr()
    assert sync_code == doctor_code == 2
    assert "ATHLETE_ID" in out.err and "ATHLETE_ID" in out.out


def test_validate_errors_go_to_stderr_and_ok_lines_to_stdout(folder, capsys):
    (folder / "routes.json").write_text("{broken", encoding="utf-8")

    assert main(["validate", str(folder)]) == 1

    captured = capsys.readouterr()
    assert f"{folder / 'routes.json'}: not readable JSON" in captured.err
    assert "routes.json" not in captured.out
    assert f"{folder / 'latest.json'}: OK" in captured.out


@pytest.mark.parametrize("value", ["maybe", "2", "on"])
def test_public_log_accepts_only_true_or_false(
    intervals_emulator, folder, monkeypatch, capsys, value
):
    before = snapshot_of(folder)
    monkeypatch.setenv("S11SYNC_PUBLIC_LOG", value)
    intervals_emulator.reset_counts()

    assert sync(intervals_emulator, "--output", str(folder)) == 2

    err = one_error_line(capsys.readouterr().err)
    assert "S11SYNC_PUBLIC_LOG must be true or false" in err and repr(value) in err
    assert snapshot_of(folder) == before and intervals_emulator.total_requests() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("false", False),
        ("0", False),
        ("No", False),
    ],
)
def test_public_log_spellings(value, expected):
    settings = resolve_settings({}, env={"S11SYNC_PUBLIC_LOG": value}, read_config_file=False)
    assert settings.public_log is expected


def test_public_log_garbage_is_a_config_error():
    with pytest.raises(ConfigError, match="S11SYNC_PUBLIC_LOG"):
        resolve_settings({}, env={"S11SYNC_PUBLIC_LOG": "yep"}, read_config_file=False)


@pytest.mark.parametrize("command", ["sync", "demo"])
def test_archive_without_publish_is_rejected(intervals_emulator, folder, command, capsys):
    before = snapshot_of(folder)
    intervals_emulator.reset_counts()

    if command == "sync":
        code = sync(intervals_emulator, "--output", str(folder), "--archive", "daily")
    else:
        code = main(["demo", "--output", str(folder), "--archive", "daily", "--quiet"])

    assert code == 2
    err = one_error_line(capsys.readouterr().err)
    assert "--archive" in err and "add --publish" in err
    assert snapshot_of(folder) == before and intervals_emulator.total_requests() == 0


def test_archive_from_the_environment_without_publish_is_rejected(
    intervals_emulator, folder, monkeypatch, capsys
):
    monkeypatch.setenv("S11SYNC_ARCHIVE", "daily")
    before = snapshot_of(folder)

    assert sync(intervals_emulator, "--output", str(folder)) == 2

    assert "S11SYNC_ARCHIVE" in one_error_line(capsys.readouterr().err)
    assert snapshot_of(folder) == before


@pytest.mark.parametrize("command", ["sync", "demo"])
def test_an_output_that_looks_like_a_file_is_rejected(
    intervals_emulator, tmp_path, command, capsys
):
    target = tmp_path / "x" / "coach.json"
    intervals_emulator.reset_counts()

    if command == "sync":
        code = sync(intervals_emulator, "--output", str(target))
    else:
        code = main(["demo", "--output", str(target), "--quiet"])

    assert code == 2
    err = one_error_line(capsys.readouterr().err)
    assert "looks like a file name" in err and f"--output {tmp_path / 'x'}" in err
    assert not (tmp_path / "x").exists() and intervals_emulator.total_requests() == 0


def test_output_naming_latest_json_still_names_its_folder(intervals_emulator, tmp_path):
    assert sync(intervals_emulator, "--output", str(tmp_path / "x" / "latest.json")) == 0
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == list(FOLDER_ENTRIES)


def test_demo_output_naming_an_existing_file(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_bytes(b"mine\n")

    assert main(["demo", "--output", str(target), "--quiet"]) == 2

    assert "is a file, not a folder" in one_error_line(capsys.readouterr().err)
    assert target.read_bytes() == b"mine\n"


def test_an_os_error_no_step_translates_is_still_one_line(
    intervals_emulator, tmp_path, monkeypatch, capsys
):
    # $GITHUB_STEP_SUMMARY naming a folder: the job summary cannot be appended
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))

    assert sync(intervals_emulator, "--output", str(tmp_path / "out")) == 1

    err = one_error_line(capsys.readouterr().err)
    assert "Is a directory" in err and str(tmp_path) in err and "Check that path" in err
