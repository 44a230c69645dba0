"""The output folder: read the previous run's files, write the new ones atomically (D-P1, §0).

Each file is written to a temporary file in the same folder and then renamed over the target with
`os.replace`, which is atomic on POSIX and Windows. With several files, every temporary file is
written (and flushed to disk) before the first rename, so a failure while writing leaves the folder
exactly as it was. Validation is the caller's job: this module only guarantees that a reader never
sees a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from s11sync.snapshot import OUTPUT_FILES


def read_folder_state(folder: Path) -> dict[str, bytes]:
    """The output files present in `folder`, as stored (bytes). Missing folder → empty dict."""
    state: dict[str, bytes] = {}
    for name in OUTPUT_FILES:
        try:
            state[name] = (folder / name).read_bytes()
        except FileNotFoundError:
            continue
    return state


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            # mkstemp creates 0600; give the file the mode a plain open() would (0666 & ~umask)
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_folder(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Write `files` (name -> bytes) into `folder`, creating it; return the names written.

    All temporary files are written first, then all are renamed. If writing any temporary file
    fails, the temporary files are removed, the folder is unchanged and the error propagates.
    """
    for name in files:
        if not name or Path(name).name != name:
            raise ValueError(f"output file name must be a plain file name, not {name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[Path, str]] = []
    try:
        for name, data in files.items():
            temps.append((_write_temp(folder, name, data), name))
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        raise
    written: list[str] = []
    try:
        for temp, name in temps:
            os.replace(temp, folder / name)
            written.append(name)
    finally:
        for temp, _ in temps[len(written) :]:
            temp.unlink(missing_ok=True)
    return written
