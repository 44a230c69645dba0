"""Settings: resolved once, in one direction: CLI > environment > config file > defaults.

Nothing below this module reads `os.environ`. Empty environment variables count as unset
(GitHub Actions passes unset secrets as empty strings). Every invalid value raises ConfigError
naming the setting and what is allowed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from s11sync.errors import ConfigError
from s11sync.redact import register_settings
from s11sync.sports import FAMILIES

DEFAULT_API_BASE = "https://intervals.icu/api/v1"
DEFAULT_GITHUB_API_URL = "https://api.github.com"
DEFAULT_DAYS = 7
MAX_DAYS = 365
DEFAULT_WEEK_START = "mon"
DEFAULT_CONFIG_FILE = ".sync_config.json"
DEFAULT_WORKERS = 4
DEFAULT_REQUESTS_PER_SECOND = 10.0
DEFAULT_TIMEOUT_S = 30.0
# The history windows (three years of activities and wellness in one answer each) are large: their
# read timeout is longer than an ordinary request's.
DEFAULT_HISTORY_TIMEOUT_S = 120.0
DEFAULT_BURST = 10  # requests the service lets through at once before its per-second rate applies
MAX_TIMEOUT_S = 1800.0
MAX_REQUESTS_PER_SECOND = 1000.0  # 0 = no client-side limit (a loopback emulator)
MAX_BURST = 100
# One deadline bounds a whole run (every request, retry and wait). 420 s = 7 minutes leaves the
# 10-minute job of the workflows 3 minutes for checkout, installing s11sync and publishing.
DEFAULT_DEADLINE_S = 420.0
MIN_DEADLINE_S = 1.0
MAX_DEADLINE_S = 6 * 3600.0  # GitHub's longest job

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONE_BASES = ("power", "hr")
HEMISPHERES = ("north", "south")
ARCHIVE_MODES = ("off", "daily")
PUBLISH_MODES = ("github",)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, validated. Secrets are excluded from repr."""

    athlete_id: str | None = None
    intervals_key: str | None = field(default=None, repr=False)
    api_base: str = DEFAULT_API_BASE
    days: int = DEFAULT_DAYS
    output: Path | None = None
    week_start: str = DEFAULT_WEEK_START
    zone_preference: dict[str, str] = field(default_factory=dict)
    hemisphere: str = "north"
    today: date | None = None
    anonymize: bool = True
    full_history: bool = False
    debug: bool = False
    quiet: bool = False
    # publishing
    publish: str | None = None
    data_repo: str | None = None
    data_repo_token: str | None = field(default=None, repr=False)
    github_api_url: str = DEFAULT_GITHUB_API_URL
    branch: str | None = None
    # folder of the data repository the files are committed to: "data" (no slashes at the ends) or
    # "" for the root; resolved in resolve_settings (see default_data_path)
    data_path: str = ""
    archive: str = "off"
    allow_public_data_repo: bool = False
    dry_run: bool = False
    save_snapshot: Path | None = None  # --save-snapshot FILE: the run's raw data for replay
    public_log: bool = False
    step_summary: Path | None = None  # $GITHUB_STEP_SUMMARY: Markdown job summary is appended here
    # transport
    workers: int = DEFAULT_WORKERS
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    request_burst: int = DEFAULT_BURST
    timeout_s: float = DEFAULT_TIMEOUT_S
    history_timeout_s: float = DEFAULT_HISTORY_TIMEOUT_S
    deadline_s: float = DEFAULT_DEADLINE_S

    @property
    def week_start_index(self) -> int:
        """0 = Monday … 6 = Sunday (datetime.weekday convention)."""
        return WEEKDAYS.index(self.week_start)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# setting name -> (environment variable, config-file key)
_SOURCES: dict[str, tuple[str | None, str | None]] = {
    "athlete_id": ("ATHLETE_ID", "athlete_id"),
    "intervals_key": ("INTERVALS_KEY", "intervals_key"),
    "api_base": ("INTERVALS_API_BASE", "api_base"),
    "days": ("S11SYNC_DAYS", "days"),
    "week_start": ("WEEK_START", "week_start"),
    "zone_preference": ("ZONE_PREFERENCE", "zone_preference"),
    "hemisphere": ("HEMISPHERE", "hemisphere"),
    "today": ("S11SYNC_TODAY", None),
    "data_repo": ("DATA_REPO", "github_repo"),
    "data_repo_token": ("DATA_REPO_TOKEN", "github_token"),
    "github_api_url": ("GITHUB_API_URL", None),
    "branch": ("DATA_REPO_BRANCH", "branch"),
    "data_path": ("DATA_PATH", "data_path"),
    "archive": ("S11SYNC_ARCHIVE", "archive"),
    "deadline_s": ("S11SYNC_DEADLINE", "deadline"),
    "timeout_s": ("S11SYNC_TIMEOUT", "timeout"),
    "history_timeout_s": ("S11SYNC_HISTORY_TIMEOUT", "history_timeout"),
    "requests_per_second": ("S11SYNC_RATE", "requests_per_second"),
    "request_burst": ("S11SYNC_BURST", "burst"),
}
# flags whose name is not the setting's
_FLAGS = {
    "deadline_s": "--deadline",
    "timeout_s": "--timeout",
    "history_timeout_s": "--history-timeout",
    "requests_per_second": "--rate",
    "request_burst": "--burst",
}


def parse_zone_preference(value: Any, source: str = "ZONE_PREFERENCE") -> dict[str, str]:
    """`run:hr,cycling:power` or {"run": "hr"} → {"run": "hr", "cycling": "power"}."""
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, str):
        pairs = []
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if ":" not in part:
                raise ConfigError(
                    f"{source}: {part!r} is not 'sport:basis'. Example: run:hr,cycling:power"
                )
            sport, basis = part.split(":", 1)
            pairs.append((sport, basis))
    else:
        raise ConfigError(f"{source} must be a string like 'run:hr,cycling:power' or an object")
    out: dict[str, str] = {}
    for sport, basis in pairs:
        sport = str(sport).strip().lower()
        basis = str(basis).strip().lower()
        if sport not in FAMILIES:
            raise ConfigError(
                f"{source}: unknown sport {sport!r}. Allowed sport families: {', '.join(FAMILIES)}"
            )
        if basis not in ZONE_BASES:
            raise ConfigError(
                f"{source}: basis for {sport!r} must be 'power' or 'hr', not {basis!r}"
            )
        out[sport] = basis
    return out


def load_config_file(path: Path) -> dict[str, Any]:
    """Read the original script's `.sync_config.json` (same keys; unknown keys ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}): fix or delete it"
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a JSON object")
    return data


def _pick(name: str, cli: Mapping[str, Any], env: Mapping[str, str], cfg: Mapping[str, Any]):
    """First non-None of CLI, environment (non-empty), config file. Returns (value, source label)."""
    if cli.get(name) is not None:
        return cli[name], _FLAGS.get(name, "--" + name.replace("_", "-"))
    env_name, cfg_key = _SOURCES.get(name, (None, None))
    if env_name is not None:
        raw = env.get(env_name)
        if raw is not None and raw.strip() != "":
            return raw.strip(), env_name
    if cfg_key is not None and cfg.get(cfg_key) not in (None, ""):
        return cfg[cfg_key], f"{cfg_key} in the config file"
    return None, name


def _parse_int(value: Any, label: str, lo: int, hi: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{label} must be a whole number from {lo} to {hi}, not {value!r}"
        ) from None
    if not lo <= number <= hi:
        raise ConfigError(f"{label} must be from {lo} to {hi}, not {number}")
    return number


def _parse_seconds(value: Any, label: str, lo: float, hi: float) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = float("nan")
    if not lo <= number <= hi:  # also rejects nan and inf
        raise ConfigError(
            f"{label} must be a number of seconds from {lo:g} to {hi:g}, not {value!r}"
        )
    return number


def _parse_rate(value: Any, label: str) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = float("nan")
    if not 0 <= number <= MAX_REQUESTS_PER_SECOND:  # also rejects nan and inf
        raise ConfigError(
            f"{label} must be a number of requests per second from 0 (no limit) to "
            f"{MAX_REQUESTS_PER_SECOND:g}, not {value!r}"
        )
    return number


def _parse_choice(value: Any, label: str, allowed: tuple[str, ...]) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        raise ConfigError(f"{label} must be one of {', '.join(allowed)}; got {value!r}")
    return text


def _parse_date(value: Any, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"{label} must be a date YYYY-MM-DD, not {value!r}") from None


TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


def parse_bool(value: Any, label: str) -> bool:
    """true/false, 1/0, yes/no (any case); anything else is a ConfigError naming the setting."""
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ConfigError(f"{label} must be true or false (1/0 and yes/no work too), not {value!r}")


_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_PATH_PART_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
DEFAULT_SHARED_DATA_PATH = "data"


def parse_data_path(value: Any, label: str) -> str:
    """`data`, `data/`, `/training/2026/` → the folder without slashes at the ends; `""`, `.` or `/`
    → "" (the root). Parts are letters, digits, `_`, `.` and `-`; `..` and `.git` are refused."""
    text = str(value).strip().strip("/")
    if text in ("", "."):
        return ""
    parts = text.split("/")
    for part in parts:
        if not _PATH_PART_RE.match(part) or part in (".", "..") or part.lower() == ".git":
            raise ConfigError(
                f"{label} must be a folder like data or training/data (letters, digits, "
                f"_ . -, parts separated by /; empty or / for the root), not {value!r}"
            )
    return "/".join(parts)


def default_data_path(data_repo: str | None, workflow_repo: str | None) -> str:
    """`data` when the data repository is the repository that runs the workflow (code and data
    share it, so the data gets a folder of its own); the root for a separate data repository."""
    if data_repo and workflow_repo and data_repo.lower() == workflow_repo.strip().lower():
        return DEFAULT_SHARED_DATA_PATH
    return ""


def resolve_settings(
    cli: Mapping[str, Any],
    env: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    *,
    read_config_file: bool = True,
) -> Settings:
    """Resolve every setting once. `cli` holds parsed flags (None = not given).
    `read_config_file=False` ignores any config file (replay: the settings come from the file)."""
    env = os.environ if env is None else env
    cfg_path = config_file
    if cfg_path is None:
        given = cli.get("config")
        cfg_path = Path(given) if given else Path(DEFAULT_CONFIG_FILE)
        if given and not cfg_path.exists():
            raise ConfigError(f"--config {cfg_path}: no such file")
    cfg = load_config_file(cfg_path) if read_config_file else {}

    values: dict[str, Any] = {}
    for name in _SOURCES:
        value, label = _pick(name, cli, env, cfg)
        if value is None:
            continue
        if name == "days":
            value = _parse_int(value, label, 1, MAX_DAYS)
        elif name == "week_start":
            value = _parse_choice(value, label, WEEKDAYS)
        elif name == "zone_preference":
            value = parse_zone_preference(value, label)
        elif name == "hemisphere":
            value = _parse_choice(value, label, HEMISPHERES)
        elif name == "archive":
            value = _parse_choice(value, label, ARCHIVE_MODES)
        elif name == "today":
            value = _parse_date(value, label)
        elif name == "deadline_s":
            value = _parse_seconds(value, label, MIN_DEADLINE_S, MAX_DEADLINE_S)
        elif name in ("timeout_s", "history_timeout_s"):
            value = _parse_seconds(value, label, 1.0, MAX_TIMEOUT_S)
        elif name == "requests_per_second":
            value = _parse_rate(value, label)
        elif name == "request_burst":
            value = _parse_int(value, label, 1, MAX_BURST)
        elif name == "data_path":
            value = parse_data_path(value, label)
        elif name == "data_repo":
            value = str(value).strip()
            if not _REPO_RE.match(value):
                raise ConfigError(f"{label} must look like owner/name, not {value!r}")
        elif name in ("api_base", "github_api_url"):
            value = str(value).strip().rstrip("/")
            if not value.startswith(("http://", "https://")):
                raise ConfigError(f"{label} must be an http(s) URL, not {value!r}")
        else:
            value = str(value).strip()
        values[name] = value

    # DATA_REPO defaults to the repository the workflow runs in; the token to GITHUB_TOKEN.
    if "data_repo" not in values and env.get("GITHUB_REPOSITORY", "").strip():
        values["data_repo"] = env["GITHUB_REPOSITORY"].strip()
    if "data_repo_token" not in values and env.get("GITHUB_TOKEN", "").strip():
        values["data_repo_token"] = env["GITHUB_TOKEN"].strip()
    if "data_path" not in values:
        values["data_path"] = default_data_path(
            values.get("data_repo"), env.get("GITHUB_REPOSITORY")
        )

    for flag in (
        "anonymize",
        "full_history",
        "debug",
        "quiet",
        "allow_public_data_repo",
        "dry_run",
    ):
        if cli.get(flag) is not None:
            values[flag] = bool(cli[flag])
    if cli.get("publish") is not None:
        values["publish"] = _parse_choice(cli["publish"], "--publish", PUBLISH_MODES)
    if cli.get("output") is not None:
        values["output"] = Path(cli["output"])
    if cli.get("save_snapshot") is not None:
        values["save_snapshot"] = Path(cli["save_snapshot"])
    if cli.get("workers") is not None:
        values["workers"] = _parse_int(cli["workers"], "--workers", 1, 16)
    if env.get("S11SYNC_PUBLIC_LOG", "").strip():
        values["public_log"] = parse_bool(env["S11SYNC_PUBLIC_LOG"], "S11SYNC_PUBLIC_LOG")
    if env.get("GITHUB_STEP_SUMMARY", "").strip():
        values["step_summary"] = Path(env["GITHUB_STEP_SUMMARY"].strip())
    settings = Settings(**values)
    register_settings(settings)  # from now on the key and tokens are masked in every message
    return settings


def require_credentials(settings: Settings) -> None:
    """Raise ConfigError unless the Intervals.icu athlete id and key are set."""
    missing = [
        label
        for label, value in (
            ("ATHLETE_ID (--athlete-id)", settings.athlete_id),
            ("INTERVALS_KEY (--intervals-key)", settings.intervals_key),
        )
        if not value
    ]
    if missing:
        raise ConfigError(
            "missing " + " and ".join(missing) + ". Find both in Intervals.icu → Settings → "
            "Developer Settings (the athlete id looks like i123456). To try s11sync without an "
            "account run: s11sync demo"
        )
