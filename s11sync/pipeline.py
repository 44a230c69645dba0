"""The shell of a sync run, in three steps: gather → compute → apply.

    run_sync(settings, utc_now)
        gather:  previous files (output folder or data repo) + fetch_snapshot(client)  (I/O)
        compute: build_documents(snapshot, previous, settings)                          (pure)
        apply:   validate every document, then write the folder or commit to GitHub    (I/O)

Nothing is written unless every document validates; a failed run leaves previous files untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from s11sync.build import build_documents, dumps, prev_ftp_problems
from s11sync.config import Settings, require_credentials
from s11sync.curve_cache import curves_cache_document
from s11sync.errors import ConfigError
from s11sync.fetch import Progress, fetch_snapshot
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy
from s11sync.snapshot import CURVES_CACHE, OUTPUT_FILES, Previous, Snapshot

log = logging.getLogger("s11sync")


@dataclass
class RunResult:
    """What a run did, for the CLI summary and the Actions job summary."""

    output: Path | None
    files: dict[str, bytes]
    written: list[str] = field(default_factory=list)
    would_write: list[str] = field(default_factory=list)  # --dry-run: the files that would change
    publish: Any = None  # PublishResult with --publish github
    api_requests: int = 0
    duration_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    snapshot: Snapshot | None = None
    documents: dict[str, Any] = field(default_factory=dict)


def ftp_warnings(problems: list[str], where: str) -> list[str]:
    """One warning naming the file and its offending entries, and what to do about them."""
    if not problems:
        return []
    shown = "; ".join(problems[:3]) + (
        f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    )
    if all("lies after today" in problem for problem in problems):
        return [
            f"{where} has entries dated after this run's day ({shown}): written by a run with "
            "a later --today, a time zone that moved west, or a hand edit. It was left unchanged "
            "and this run used the entries up to today; it is updated again once today reaches "
            "those dates, or delete them to record FTP changes now."
        ]
    return [
        f"{where} is not valid ({shown}). It was left unchanged and this run used its valid "
        "entries only; correct or delete the offending entries (dates YYYY-MM-DD up to today, "
        "whole watts above 0) so that FTP changes are recorded again."
    ]


def with_local_state(repo: dict[str, bytes], local: dict[str, bytes]) -> dict[str, bytes]:
    """The data repo's files, plus local files the repo lacks; FTP change logs merged by date."""
    from s11sync.metrics.ftp_history import union_stored

    out = {**{k: v for k, v in local.items() if k not in repo}, **repo}
    name = "ftp_history.json"
    if name in repo and name in local and repo[name] != local[name]:
        out[name] = union_stored(repo[name], local[name])
    return out


def output_folder(settings: Settings) -> Path | None:
    """`--output DIR`. `DIR/latest.json` names latest.json and its folder gets the rest; any other
    path ending in `.json` that is not an existing folder looks like a file: a ConfigError."""
    if settings.output is None:
        return None
    out = settings.output
    if out.suffix.lower() == ".json" and not out.is_dir():
        if out.name == "latest.json":
            return out.parent
        raise ConfigError(
            f"--output {out} looks like a file name, but --output takes the folder the "
            f"five files are written to: use --output {out.parent}"
        )
    return out


def make_client(settings: Settings) -> IntervalsClient:
    require_credentials(settings)
    policy = RetryPolicy(deadline_s=settings.deadline_s)
    policy.start()  # the deadline counts from the start of the run
    return IntervalsClient(
        settings.api_base,
        settings.athlete_id or "",
        settings.intervals_key or "",
        timeout_s=settings.timeout_s,
        policy=policy,
        limiter=RateLimiter(settings.requests_per_second, burst=settings.request_burst),
        workers=settings.workers,
    )


def make_publisher(settings: Settings):
    from s11sync.publish.github import GitHubPublisher

    if not settings.data_repo:
        raise ConfigError("--publish github needs DATA_REPO (owner/name) or GITHUB_REPOSITORY")
    if not settings.data_repo_token:
        raise ConfigError(
            "--publish github needs DATA_REPO_TOKEN or GITHUB_TOKEN (a token that can "
            "write contents of DATA_REPO)"
        )
    return GitHubPublisher(
        settings.data_repo,
        settings.data_repo_token,
        api_url=settings.github_api_url,
        branch=settings.branch,
        allow_public=settings.allow_public_data_repo,
        archive=settings.archive,
        public_log=settings.public_log,
        data_path=settings.data_path,
    )


def _save_snapshot(settings: Settings, snap: Snapshot, stored: dict[str, bytes]) -> None:
    """--save-snapshot: written right after the fetch, so a run that then fails can be reported."""
    from s11sync.snapshot_file import SavedRun, saved_run_json, write_saved_run

    path = settings.save_snapshot
    assert path is not None
    recorded = {
        "days": settings.days,
        "week_start": settings.week_start,
        "zone_preference": settings.zone_preference,
        "hemisphere": settings.hemisphere,
        "anonymize": settings.anonymize,
    }
    text = saved_run_json(
        SavedRun(snap, dict(stored), recorded),
        redact=settings.anonymize,
        secrets=[settings.intervals_key, settings.data_repo_token],
    )
    try:
        write_saved_run(path, text)
    except OSError as exc:
        from s11sync.errors import OutputError

        raise OutputError(
            f"could not write the snapshot {path} ({exc.strerror or exc}); nothing else "
            "was written. Choose another --save-snapshot path."
        ) from None
    log.info("snapshot saved to %s", path)


def run_sync(
    settings: Settings,
    utc_now: datetime,
    *,
    client: IntervalsClient | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """One athlete's run: gather, compute, apply."""
    started = time.monotonic()
    folder = output_folder(settings)
    if settings.publish is None and folder is None:
        raise ConfigError("say where the files go: --output DIR (local folder) or --publish github")
    if settings.archive != "off" and settings.publish is None:
        raise ConfigError(
            "--archive keeps daily snapshots in the data repo, so it needs --publish github; "
            "drop --archive (or S11SYNC_ARCHIVE) for a local folder"
        )
    from s11sync.publish.local import check_output_folder, read_folder_checked

    # checks that need no API call come first, so a bad target costs no fetch
    if folder is not None:
        check_output_folder(folder, dry_run=settings.dry_run)
    if settings.save_snapshot is not None:
        from s11sync.snapshot_file import check_snapshot_target

        check_snapshot_target(settings.save_snapshot)
    client = client or make_client(settings)
    publisher = None
    if settings.publish == "github":  # (called without the prefix when there is none: a test seam)
        publisher = make_publisher(settings)
    if publisher is not None:
        publisher.precheck()

    # 1. gather: previous state first (so nothing is lost), then the API
    local = read_folder_checked(folder) if folder is not None else {}
    stored = publisher.read_state() if publisher else local
    if publisher is not None and local:
        # the local copies fill in what the data repo does not have yet (a new repo, a failed
        # publish): publishing never shrinks state; the FTP change logs are merged by date
        stored = with_local_state(stored, local)
    previous = Previous.from_files(stored)
    snap = fetch_snapshot(
        client, settings, previous, utc_now, Progress(progress or (lambda _l: None))
    )
    if settings.save_snapshot is not None:
        _save_snapshot(settings, snap, stored)

    result = build_and_apply(snap, previous, settings, folder, publisher=publisher, local=local)
    result.api_requests = client.requests_made
    result.duration_s = time.monotonic() - started
    return result


def build_and_apply(
    snap: Snapshot,
    previous: Previous,
    settings: Settings,
    folder: Path | None,
    *,
    publisher: Any = None,
    local: dict[str, bytes] | None = None,
) -> RunResult:
    """Steps 2 and 3 of a run, shared by sync and replay: build (pure), validate every document,
    then write the folder (only meaningfully changed files) and/or publish."""
    from s11sync.publish.local import read_folder_checked, write_error, write_folder
    from s11sync.publish.plan import plan_changes

    # 2. compute (pure)
    documents = build_documents(snap, previous, settings)

    # 3. apply: validate what will be written (every file when publishing), then write or publish
    from s11sync.validate import validate_documents

    files = {name: dumps(name, doc) for name, doc in documents.items() if name in OUTPUT_FILES}
    # the curve state for the next run (s11sync/curve_cache.py): absent when a curve call failed
    state = {}
    curves_state = curves_cache_document(snap)
    if curves_state is not None:
        state[CURVES_CACHE] = curves_state
        files[CURVES_CACHE] = dumps(CURVES_CACHE, curves_state)
    current: dict[str, bytes] | None = None
    if folder is not None and publisher is None:
        # a file equal to the stored one (volatile keys aside) is not rewritten: validating it is
        # wasted work on the many runs that change nothing; the rest is validated
        current = local if local is not None else read_folder_checked(folder)
        every = {**documents, **state}
        validate_documents({name: every[name] for name in plan_changes(files, current)})
    else:
        validate_documents({**documents, **state})
    # the data folder's README.md and its two charts: built from the same documents, with nothing
    # per-run inside, so an unchanged day changes none of them
    from s11sync.outputs.data_readme import data_readme_files

    files.update(data_readme_files(documents))
    result = RunResult(output=folder, files=files, snapshot=snap, documents=documents)
    result.warnings.extend(snap.warnings)
    if "history" in snap.failed:
        result.warnings.append("history.json could not be refreshed; the previous file was kept")
    if "deadline" in snap.failed:
        result.warnings.append(
            snap.failed["deadline"] + " (raise --deadline / S11SYNC_DEADLINE if this happens often)"
        )
    stubs = ((documents.get("latest.json") or {}).get("metadata") or {}).get(
        "data_availability"
    ) or {}
    if stubs.get("strava_stubs"):
        result.warnings.append(
            f"{stubs['strava_stubs']} Strava-imported activities are hidden by the API"
        )
    where = str((folder or Path()) / "ftp_history.json")
    if publisher is not None:
        describe = getattr(publisher, "describe", None)
        where = (
            describe("ftp_history.json") if describe else "ftp_history.json in the data repository"
        )
    for warning in ftp_warnings(prev_ftp_problems(previous, snap.today), where):
        result.warnings.append(warning)
    # the local copies are written first, so the cache works even when publishing fails; a file
    # whose content only differs in its volatile keys is not rewritten
    if folder is not None:
        if current is None:
            current = local if local is not None else read_folder_checked(folder)
        current = {**_extra_files(folder), **current}
        local_problems = (
            prev_ftp_problems(Previous.from_files(current), snap.today) if publisher else []
        )
        changed = plan_changes(files, current)
        if local_problems and "ftp_history.json" in changed:  # never rewrite an untrusted file
            changed.remove("ftp_history.json")
            result.warnings.extend(ftp_warnings(local_problems, str(folder / "ftp_history.json")))
        if settings.dry_run:
            result.would_write = changed
        else:
            try:
                result.written = write_folder(folder, {name: files[name] for name in changed})
            except OSError as exc:
                raise write_error(folder, exc) from exc
    if publisher is not None:
        result.publish = publisher.publish(files, today=snap.today, dry_run=settings.dry_run)
        result.warnings.extend(getattr(result.publish, "warnings", None) or [])
    return result


def _extra_files(folder: Path) -> dict[str, bytes]:
    """The README and charts already in `folder` (not state: only to tell whether they changed).
    An unreadable one counts as absent, so it is rewritten."""
    from s11sync.outputs.data_readme import DATA_README_FILES
    from s11sync.publish.local import read_folder_state

    try:
        return read_folder_state(folder, DATA_README_FILES)
    except OSError:
        return {}


def run_replay(path: Path, settings: Settings, *, today: date | None = None) -> RunResult:
    """`s11sync replay FILE --output DIR`: rebuild the files of a saved run without the network.

    The build reads the settings and the previous files saved with the run; `settings` gives the
    output folder, --dry-run and --quiet. `today` re-pins the run's day (noon, athlete-local)."""
    from s11sync.config import resolve_settings
    from s11sync.publish.local import check_output_folder
    from s11sync.snapshot_file import load_saved_run

    started = time.monotonic()
    folder = output_folder(settings)
    if folder is None:
        raise ConfigError("say where the rebuilt files go: s11sync replay FILE --output DIR")
    check_output_folder(folder, dry_run=settings.dry_run)
    saved = load_saved_run(path)
    try:
        recorded = resolve_settings(saved.settings, env={}, read_config_file=False)
    except ConfigError as exc:
        raise ConfigError(
            f"{path} holds an invalid setting ({exc}): save the snapshot again"
        ) from None
    build_settings = recorded.with_(
        output=settings.output, dry_run=settings.dry_run, quiet=settings.quiet
    )
    snap = saved.snapshot
    if today is not None:
        snap = replace(
            snap, today=today, now=datetime.combine(today, dt_time(12, 0), tzinfo=snap.now.tzinfo)
        )
    result = build_and_apply(snap, Previous.from_files(saved.previous), build_settings, folder)
    if saved.redacted:
        result.warnings.append(
            "this snapshot was redacted: names, notes and coordinates were removed, "
            "so terrain from GPS and route files is not reproduced"
        )
    result.duration_s = time.monotonic() - started
    return result
