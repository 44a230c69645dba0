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


# -- error translation and checks before fetching (issue 14 §15) -------------------------------------


def _nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current.parent != current:
        current = current.parent
    return current


def _write_probe(folder: Path) -> None:
    """Create and remove an empty temporary file in `folder` (OSError when that is impossible)."""
    fd, temp = tempfile.mkstemp(prefix=".s11sync-probe.", suffix=".tmp", dir=folder)
    os.close(fd)
    Path(temp).unlink(missing_ok=True)


def check_output_folder(folder: Path, *, dry_run: bool = False) -> None:
    """Before fetching: `folder` is (or can become) a writable folder whose output file names are
    free for files. Raises ConfigError (exit 2) naming the problem and the fix."""
    from s11sync.errors import ConfigError

    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--output {folder} is a file, not a folder: give the folder the five files "
                          "go into (it is created if missing), or move that file away")
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise ConfigError(f"--output {folder} cannot be created because {existing} is a file: choose "
                          "another folder")
    for name in OUTPUT_FILES:
        if (folder / name).is_dir():
            raise ConfigError(f"{folder / name} is a folder, so {name} cannot be written: move or rename "
                              "that folder, then run again")
    if dry_run:
        return
    try:
        _write_probe(existing)
    except OSError as exc:
        raise ConfigError(f"cannot write to {existing} ({exc.strerror or exc}): choose a folder you can "
                          "write to with --output, or fix its permissions") from None


def read_folder_checked(folder: Path) -> dict[str, bytes]:
    """`read_folder_state`, with an unreadable previous file reported as a ConfigError."""
    from s11sync.errors import ConfigError

    try:
        return read_folder_state(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise ConfigError(f"cannot read the previous file {where} ({exc.strerror or exc}): fix its "
                          "permissions or move it away; nothing was written") from None


def write_error(folder: Path, exc: OSError) -> Exception:
    """The one-line OutputError (exit 1) for an OSError raised while writing `folder`."""
    import errno

    from s11sync.errors import OutputError

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"the disk is full: could not write to {folder} ({reason}); the previous "
                           "files are unchanged. Free some space and run again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"could not write to {folder} ({reason}); the previous files are unchanged. "
                           "Fix the folder's permissions or choose another --output.")
    return OutputError(f"could not write to {folder} ({reason}); check the folder and run again.")
