"""The output folder: read the previous run's files, update them all or none.

The rules this module keeps are in docs/files.md, "State rules"; tests/publish/test_publish_local.py
pins them.

An update of several files is one transaction:

1. stage   every new file as a hidden temporary file `.NAME.XXXX.tmp` in the folder (flushed and
           fsynced); a failure here removes the staged files and the folder is unchanged;
2. commit  write the journal `.s11sync-journal.json` (temporary file + atomic rename), listing
           target name → staged file: from this moment the update is decided;
3. apply   rename each staged file over its target (`os.replace`, atomic on POSIX and Windows),
           then delete the journal.

A run killed (or failing) between 2 and 3 leaves the journal: the next run, when it reads the
folder, completes the renames first, so the folder holds either every old file or every new one.
Staged files without a journal belong to an update that never committed: they are deleted. The
folder is locked (`flock` on the directory, where available) while it is updated or repaired, so
a concurrent run never deletes another run's staged files. Validation is the caller's job.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from s11sync.outputs.data_readme import DATA_README_FILES
from s11sync.snapshot import OUTPUT_FILES, STATE_FILES, STORED_FILES

log = logging.getLogger("s11sync.publish")

JOURNAL = ".s11sync-journal.json"
# every file a run writes: the five JSON files, the curve state (state/curves.json) and the
# folder's README with its charts
WRITTEN_FILES = OUTPUT_FILES + STATE_FILES + DATA_README_FILES
# what a written folder holds at its top level: those files, with `state` for the state subfolder
FOLDER_ENTRIES = tuple(sorted({name.split("/")[0] for name in WRITTEN_FILES}))


def _staged_name(name: str) -> str:
    """The temporary name of a file being written: in the folder itself, also for a file of a
    subfolder (state/curves.json → .state-curves.json.XXXX.tmp), so one listing finds every
    leftover and the rename is atomic (same file system)."""
    return name.replace("/", "-")


_STAGED = re.compile(
    r"^\.(?P<name>"
    + "|".join(re.escape(_staged_name(n)) for n in WRITTEN_FILES)
    + r")\.[^/]+\.tmp$"
)
_JOURNAL_TEMP = re.compile(r"^" + re.escape(JOURNAL) + r"\.[^/]+\.tmp$")

# Test seam: the rename of a staged file over its target (fault injection between renames).
RENAME = os.replace


def read_folder_state(folder: Path, names: tuple[str, ...] = STORED_FILES) -> dict[str, bytes]:
    """The output and state files present in `folder`, as stored (bytes). Missing folder → empty.
    `names` = WRITTEN_FILES also reads the README and charts (to tell whether they changed).

    An update interrupted by a previous run is completed (or its uncommitted leftovers removed)
    first, so what is returned is always one consistent set of files."""
    if _needs_repair(folder):
        with _locked(folder):
            recover_folder(folder)
    state: dict[str, bytes] = {}
    for name in names:
        try:
            state[name] = (folder / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            continue
    return state


def write_folder(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Write `files` (name -> bytes) into `folder` as one transaction, creating the folder;
    return the names written. On an error before the commit the folder is unchanged; after it,
    the next `read_folder_state` completes the update."""
    for name in files:
        if name in STATE_FILES:
            continue
        if not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"output file name must be a plain file name, not {name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        recover_folder(folder)
        if not files:
            return []
        staged: dict[str, str] = {}
        try:
            for name, data in files.items():
                staged[name] = _write_temp(folder, f".{_staged_name(name)}.", data).name
            _write_journal(folder, staged)
        except BaseException:
            for temp in staged.values():
                (folder / temp).unlink(missing_ok=True)
            raise
        _apply(folder, staged)
    return list(files)


def recover_folder(folder: Path) -> list[str]:
    """Complete a committed update, remove what an uncommitted one left; return what was done."""
    done: list[str] = []
    journal = folder / JOURNAL
    if journal.is_file():
        staged = _read_journal(journal)
        if staged is None:
            journal.unlink(missing_ok=True)
            done.append(f"removed an unreadable update journal {journal}")
        else:
            renamed = _apply(folder, staged)
            done.append(
                f"completed an interrupted update of {folder}: {', '.join(renamed) or 'nothing left'}"
            )
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        names = []
    leftovers = [n for n in names if _STAGED.match(n) or _JOURNAL_TEMP.match(n)]
    for name in leftovers:
        (folder / name).unlink(missing_ok=True)
    if leftovers:
        done.append(
            f"removed {len(leftovers)} leftover temporary file(s) of an unfinished update in {folder}"
        )
    for line in done:
        log.warning("%s", line)
    return done


# ---- internals ----------------------------------------------------------------------------------


def _needs_repair(folder: Path) -> bool:
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return any(n == JOURNAL or _STAGED.match(n) or _JOURNAL_TEMP.match(n) for n in names)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Exclusive advisory lock on the folder itself (no lock file is left behind)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, updates still atomic
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_temp(folder: Path, prefix: str, data: bytes) -> Path:
    fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
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


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _write_journal(folder: Path, staged: dict[str, str]) -> None:
    """The commit point: the journal appears atomically, complete, or not at all."""
    data = json.dumps({"version": 1, "files": staged}, indent=1).encode("utf-8")
    temp = _write_temp(folder, JOURNAL + ".", data)
    try:
        os.replace(temp, folder / JOURNAL)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _read_journal(path: Path) -> dict[str, str] | None:
    """name -> staged file name, or None when the journal is not one s11sync wrote."""
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        return None
    out: dict[str, str] = {}
    for name, temp in files.items():
        match = _STAGED.match(temp) if isinstance(temp, str) else None
        if name not in WRITTEN_FILES or match is None or match.group("name") != _staged_name(name):
            return None
        out[name] = temp
    return out


def _apply(folder: Path, staged: dict[str, str]) -> list[str]:
    """Rename every staged file that is still there over its target, then drop the journal."""
    renamed: list[str] = []
    for name, temp in staged.items():
        if (folder / temp).exists():
            (folder / name).parent.mkdir(exist_ok=True)
            RENAME(folder / temp, folder / name)
            renamed.append(name)
    _fsync_dir(folder)
    (folder / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(folder)
    return renamed


# -- error translation and checks before fetching --------------------------------------------------


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
        raise ConfigError(
            f"--output {folder} is a file, not a folder: give the folder the five files "
            "go into (it is created if missing), or move that file away"
        )
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        raise ConfigError(
            f"--output {folder} cannot be created because {existing} is a file: choose "
            "another folder"
        )
    for name in OUTPUT_FILES:
        if (folder / name).is_dir():
            raise ConfigError(
                f"{folder / name} is a folder, so {name} cannot be written: move or rename "
                "that folder, then run again"
            )
    if dry_run:
        return
    try:
        _write_probe(existing)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to {existing} ({exc.strerror or exc}): choose a folder you can "
            "write to with --output, or fix its permissions"
        ) from None


def read_folder_checked(folder: Path) -> dict[str, bytes]:
    """`read_folder_state`, with an unreadable previous file reported as a ConfigError."""
    from s11sync.errors import ConfigError

    try:
        return read_folder_state(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise ConfigError(
            f"cannot read the previous file {where} ({exc.strerror or exc}): fix its "
            "permissions or move it away; nothing was written"
        ) from None


def write_error(folder: Path, exc: OSError) -> Exception:
    """The one-line OutputError (exit 1) for an OSError raised while writing `folder`."""
    import errno

    from s11sync.errors import OutputError

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            f"the disk is full: could not write to {folder} ({reason}); the previous "
            "files are unchanged. Free some space and run again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"could not write to {folder} ({reason}); the previous files are unchanged. "
            "Fix the folder's permissions or choose another --output."
        )
    return OutputError(f"could not write to {folder} ({reason}); check the folder and run again.")
