"""Coach mode: the roster file (`athletes.yml`) that names many athletes for one sync.

    athletes:
      - name: anna                 # short, safe as a folder and a job name
        athlete_id: i123456
        key_secret: INTERVALS_KEY  # the environment variable (secret) holding the key; the default
        data_repo: coach/anna-data # ... or instead:  folder: athletes/anna  (a folder of DATA_REPO)

YAML or JSON (JSON is YAML). `load_roster` reads and validates the whole file strictly: the first
problem is one `ConfigError` line naming the athlete and the fix (exit 2). Parsing is PyYAML's
`safe_load` (no tags, no objects). The run over a roster (`run_roster`) lives in
`s11sync.roster_run`; this module does no network I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from s11sync.errors import ConfigError

DEFAULT_KEY_SECRET = "INTERVALS_KEY"
# lower-case letters, digits, '-' and '_', starting with a letter or digit: a safe folder name,
# matrix job name and concurrency group on every platform
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ATHLETE_ID_RE = re.compile(r"^i?[0-9]{1,12}$")
SECRET_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
REPO_RE = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
FOLDER_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KEYS = ("name", "athlete_id", "key_secret", "data_repo", "folder")
MAX_ATHLETES = 256  # GitHub's matrix limit


@dataclass(frozen=True)
class Athlete:
    """One validated roster entry. Exactly one of `data_repo` and `folder` is set."""

    name: str
    athlete_id: str
    key_secret: str = DEFAULT_KEY_SECRET
    data_repo: str | None = None
    folder: str | None = None

    def matrix_entry(self) -> dict[str, str]:
        """What the workflow's matrix needs (no key: only the name of the secret)."""
        return {
            "name": self.name,
            "athlete_id": self.athlete_id,
            "key_secret": self.key_secret,
            "data_repo": self.data_repo or "",
            "folder": self.folder or "",
        }


def _bad(where: str, message: str) -> ConfigError:
    return ConfigError(f"roster {where}: {message}")


def _text(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _bad(where, f"{key} must be text, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _folder(value: str, where: str) -> str:
    path = value.strip("/") if not value.startswith("/") else value
    if value.startswith("/") or value.startswith("\\") or re.match(r"^[A-Za-z]:", value):
        raise _bad(
            where, f"folder {value!r} must be relative to the data repository, e.g. athletes/anna"
        )
    parts = PurePosixPath(path).parts
    if not parts or any(p in (".", "..") for p in parts):
        raise _bad(
            where,
            f"folder {value!r} must not contain '.' or '..': use a plain path such as athletes/anna",
        )
    for part in parts:
        if not FOLDER_PART_RE.match(part):
            raise _bad(
                where,
                f"folder {value!r}: each part may hold letters, digits, '.', '_' and '-' only",
            )
    return "/".join(parts)


def parse_athlete(entry: Any, index: int) -> Athlete:
    where = f"entry {index + 1}"
    if not isinstance(entry, dict):
        raise _bad(where, "each athlete is a mapping with name, athlete_id and data_repo or folder")
    name = _text(entry, "name", where)
    if name is None:
        raise _bad(where, "name is missing (a short lower-case name such as anna)")
    if not NAME_RE.match(name):
        raise _bad(
            where,
            f"name {name!r} must be 1-40 lower-case letters, digits, '-' or '_' "
            "(it becomes a folder and a job name)",
        )
    where = f"athlete {name!r}"
    unknown = sorted(str(k) for k in entry if k not in KEYS)
    if unknown:
        raise _bad(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(KEYS)}")
    athlete_id = _text(entry, "athlete_id", where)
    if athlete_id is None:
        raise _bad(
            where, "athlete_id is missing (i123456, from the athlete's Intervals.icu settings)"
        )
    if not ATHLETE_ID_RE.match(athlete_id) or athlete_id.strip("i").strip("0") == "":
        raise _bad(
            where, f"athlete_id {athlete_id!r} is not an Intervals.icu athlete id such as i123456"
        )
    key_secret = _text(entry, "key_secret", where) or DEFAULT_KEY_SECRET
    if not SECRET_RE.match(key_secret):
        raise _bad(
            where,
            f"key_secret {key_secret!r} must be the name of a secret/environment variable, "
            "e.g. INTERVALS_KEY (never the key itself)",
        )
    data_repo = _text(entry, "data_repo", where)
    folder = _text(entry, "folder", where)
    if (data_repo is None) == (folder is None):
        raise _bad(
            where, "give exactly one of data_repo (owner/name) or folder (a folder of DATA_REPO)"
        )
    if data_repo is not None and not REPO_RE.match(data_repo):
        raise _bad(where, f"data_repo {data_repo!r} must be owner/name")
    return Athlete(
        name, athlete_id, key_secret, data_repo, _folder(folder, where) if folder else None
    )


def parse_roster(doc: Any) -> list[Athlete]:
    """Validate a parsed roster document; raises ConfigError on the first problem."""
    if not isinstance(doc, dict) or "athletes" not in doc:
        raise ConfigError(
            "roster: the file must hold a mapping with an 'athletes' list "
            "(see athletes.example.yml)"
        )
    extra = sorted(str(k) for k in doc if k != "athletes")
    if extra:
        raise ConfigError(
            f"roster: unknown top-level key(s) {', '.join(extra)}; only 'athletes' is allowed"
        )
    entries = doc["athletes"]
    if not isinstance(entries, list) or not entries:
        raise ConfigError("roster: 'athletes' must be a non-empty list of athletes")
    if len(entries) > MAX_ATHLETES:
        raise ConfigError(
            f"roster: {len(entries)} athletes, more than the {MAX_ATHLETES} jobs a "
            "GitHub Actions matrix can run; split the roster"
        )
    athletes = [parse_athlete(entry, i) for i, entry in enumerate(entries)]
    seen: dict[str, int] = {}
    places: dict[tuple[str, str], str] = {}
    for athlete in athletes:
        if athlete.name in seen:
            raise ConfigError(
                f"roster: the name {athlete.name!r} is used twice; names must be unique"
            )
        seen[athlete.name] = 1
        place = (
            ("repo", athlete.data_repo) if athlete.data_repo else ("folder", athlete.folder or "")
        )
        if place in places:
            raise ConfigError(
                f"roster: athletes {places[place]!r} and {athlete.name!r} write to the same "
                f"{'data_repo' if place[0] == 'repo' else 'folder'} {place[1]!r}; give each its own"
            )
        places[place] = athlete.name
    folders = sorted(a.folder for a in athletes if a.folder)
    for a, b in zip(folders, folders[1:]):
        if b.startswith(a + "/"):
            raise ConfigError(
                f"roster: folder {b!r} lies inside folder {a!r}; give each athlete a separate folder"
            )
    return athletes


def load_roster(path: Path) -> list[Athlete]:
    """Read and validate a roster file (YAML or JSON)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"roster file {path} not found: create it (see athletes.example.yml)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the roster file {path} ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"roster file {path} is not valid YAML/JSON{at}: fix its syntax"
        ) from None
    try:
        return parse_roster(doc)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def select(athletes: list[Athlete], name: str | None) -> list[Athlete]:
    """All athletes, or the one named by --athlete."""
    if name is None:
        return athletes
    for athlete in athletes:
        if athlete.name == name:
            return [athlete]
    raise ConfigError(
        f"--athlete {name!r} is not in the roster; names: {', '.join(a.name for a in athletes)}"
    )
