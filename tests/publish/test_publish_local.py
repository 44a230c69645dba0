"""local.py: atomic writes into the output folder and reading the previous run back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from publish_helpers import make_files

from s11sync.publish import local
from s11sync.publish.local import read_folder_state, write_folder


def test_written_files_read_back_byte_for_byte(tmp_path: Path):
    files = make_files()
    folder = tmp_path / "out" / "nested"

    written = write_folder(folder, files)

    assert written == list(files)
    assert read_folder_state(folder) == files
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)  # no temp files left


def test_read_ignores_other_files_and_a_missing_folder(tmp_path: Path):
    assert read_folder_state(tmp_path / "absent") == {}
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "latest.json").write_bytes(b"{}")
    assert read_folder_state(tmp_path) == {"latest.json": b"{}"}


def test_a_failure_while_writing_temps_leaves_every_previous_file(tmp_path: Path, monkeypatch):
    before = make_files()
    write_folder(tmp_path, before)
    real = local._write_temp
    calls = []

    def failing(folder, name, data):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(folder, name, data)

    monkeypatch.setattr(local, "_write_temp", failing)

    with pytest.raises(OSError, match="No space"):
        write_folder(tmp_path, make_files(stamp="2026-11-23T00:00:00+00:00", ftp=1))

    assert read_folder_state(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)


def test_a_crash_inside_one_temp_write_removes_its_partial_temp(tmp_path: Path, monkeypatch):
    write_folder(tmp_path, {"latest.json": b'{"ok": true}'})

    def broken_fsync(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        write_folder(tmp_path, {"latest.json": b'{"ok": false}'})

    assert os.listdir(tmp_path) == ["latest.json"]
    assert (tmp_path / "latest.json").read_bytes() == b'{"ok": true}'


def test_a_failed_rename_is_completed_by_the_next_read(tmp_path: Path, monkeypatch):
    """A failure between the renames leaves the journal; the next read finishes the
    update, so the folder never stays a mix of old and new files."""
    before = make_files()
    write_folder(tmp_path, before)
    after = make_files(stamp="2026-11-23T00:00:00+00:00", ftp=1)
    real = local.RENAME
    count = []

    def flaky(src, dst):
        count.append(dst)
        if len(count) == 2:
            raise OSError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(local, "RENAME", flaky)
    with pytest.raises(OSError):
        write_folder(tmp_path, after)
    monkeypatch.setattr(local, "RENAME", real)

    assert (tmp_path / local.JOURNAL).exists()  # committed but not applied: a mix on disk
    assert read_folder_state(tmp_path) == after
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(after)


@pytest.mark.parametrize("name", ["../escape.json", "sub/latest.json", ""])
def test_names_must_be_plain_file_names(tmp_path: Path, name: str):
    with pytest.raises(ValueError):
        write_folder(tmp_path, {name: b"{}"})


def test_concurrent_writers_leave_one_writers_complete_set_and_no_leftovers(tmp_path):
    """Runs that write one folder at the same time are serialised: the folder ends holding one
    run's five files, never a mix, and no staged or journal file is left behind."""
    import threading

    from s11sync.publish.local import read_folder_state, write_folder
    from s11sync.snapshot import OUTPUT_FILES

    folder = tmp_path / "out"
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def run(tag: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                write_folder(
                    folder, {name: f"{tag}:{name}".encode() * 2000 for name in OUTPUT_FILES}
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(tag,)) for tag in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    state = read_folder_state(folder)
    tags = {data.split(b":", 1)[0] for data in state.values()}
    assert set(state) == set(OUTPUT_FILES) and len(tags) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUT_FILES)
