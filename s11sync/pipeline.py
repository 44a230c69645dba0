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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from s11sync.build import build_documents, dumps, prev_ftp_problems
from s11sync.config import Settings, require_credentials
from s11sync.errors import ConfigError
from s11sync.fetch import Progress, fetch_snapshot
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy
from s11sync.snapshot import OUTPUT_FILES, Previous, Snapshot

log = logging.getLogger("s11sync")

# Test seam: replaced to make a builder produce a broken document (the validation gate test).
BUILD = build_documents


@dataclass
class RunResult:
    """What a run did, for the CLI summary and the Actions job summary."""

    output: Path | None
    files: dict[str, bytes]
    written: list[str] = field(default_factory=list)
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
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    if all("lies after today" in problem for problem in problems):
        return [f"{where} has entries dated after this run's day ({shown}): written by a run with "
                "a later --today, a time zone that moved west, or a hand edit. It was left unchanged "
                "and this run used the entries up to today; it is updated again once today reaches "
                "those dates, or delete them to record FTP changes now."]
    return [f"{where} is not valid ({shown}). It was left unchanged and this run used its valid "
            "entries only; correct or delete the offending entries (dates YYYY-MM-DD up to today, "
            "whole watts above 0) so that FTP changes are recorded again."]


def with_local_state(repo: dict[str, bytes], local: dict[str, bytes]) -> dict[str, bytes]:
    """The data repo's files, plus local files the repo lacks; FTP change logs merged by date."""
    from s11sync.metrics.ftp_history import union_stored

    out = {**{k: v for k, v in local.items() if k not in repo}, **repo}
    name = "ftp_history.json"
    if name in repo and name in local and repo[name] != local[name]:
        out[name] = union_stored(repo[name], local[name])
    return out


def output_folder(settings: Settings) -> Path | None:
    """`--output DIR`; an argument ending in .json names latest.json and its folder gets the rest."""
    if settings.output is None:
        return None
    if settings.output.suffix == ".json":
        return settings.output.parent
    return settings.output


def make_client(settings: Settings) -> IntervalsClient:
    require_credentials(settings)
    policy = RetryPolicy(run_budget_s=settings.run_budget_s)
    return IntervalsClient(
        settings.api_base, settings.athlete_id or "", settings.intervals_key or "",
        timeout_s=settings.timeout_s, policy=policy,
        limiter=RateLimiter(settings.requests_per_second), workers=settings.workers,
    )


def make_publisher(settings: Settings):
    from s11sync.publish.github import GitHubPublisher

    if not settings.data_repo:
        raise ConfigError("--publish github needs DATA_REPO (owner/name) or GITHUB_REPOSITORY")
    if not settings.data_repo_token:
        raise ConfigError("--publish github needs DATA_REPO_TOKEN or GITHUB_TOKEN (a token that can "
                          "write contents of DATA_REPO)")
    return GitHubPublisher(
        settings.data_repo, settings.data_repo_token, api_url=settings.github_api_url,
        branch=settings.branch, allow_public=settings.allow_public_data_repo,
        archive=settings.archive, public_log=settings.public_log,
    )


def run_sync(
    settings: Settings,
    utc_now: datetime,
    *,
    client: IntervalsClient | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    started = time.monotonic()
    folder = output_folder(settings)
    if settings.publish is None and folder is None:
        raise ConfigError("say where the files go: --output DIR (local folder) or --publish github")
    client = client or make_client(settings)
    publisher = make_publisher(settings) if settings.publish == "github" else None

    # 1. gather: previous state first (so nothing is lost), then the API
    from s11sync.publish.local import read_folder_state, write_folder
    from s11sync.publish.plan import plan_changes

    local = read_folder_state(folder) if folder is not None else {}
    stored = publisher.read_state() if publisher else local
    if publisher is not None and local:
        # the local copies fill in what the data repo does not have yet (a new repo, a failed
        # publish): publishing never shrinks state; the FTP change logs are merged by date
        stored = with_local_state(stored, local)
    previous = Previous.from_files(stored)
    snap = fetch_snapshot(client, settings, previous, utc_now, Progress(progress or (lambda _l: None)))

    # 2. compute (pure)
    documents = BUILD(snap, previous, settings)

    # 3. apply: validate everything, then write or publish
    from s11sync.validate import validate_documents

    validate_documents(documents)
    files = {name: dumps(name, doc) for name, doc in documents.items() if name in OUTPUT_FILES}
    result = RunResult(output=folder, files=files, snapshot=snap, documents=documents,
                       api_requests=client.requests_made)
    result.warnings.extend(snap.warnings)
    if "history" in snap.failed:
        result.warnings.append("history.json could not be refreshed; the previous file was kept")
    stubs = ((documents.get("latest.json") or {}).get("metadata") or {}).get("data_availability") or {}
    if stubs.get("strava_stubs"):
        result.warnings.append(f"{stubs['strava_stubs']} Strava-imported activities are hidden by the API")
    where = str((folder or Path()) / "ftp_history.json")
    if publisher is not None:
        describe = getattr(publisher, "describe", None)
        where = describe("ftp_history.json") if describe else "ftp_history.json in the data repository"
    for warning in ftp_warnings(prev_ftp_problems(previous, snap.today), where):
        result.warnings.append(warning)
    local_problems = prev_ftp_problems(Previous.from_files(local), snap.today) if publisher else []
    # D-P8: the local copies are written first, so the cache works even when publishing fails.
    # D-P2: a file whose content only differs in its volatile keys is not rewritten.
    if folder is not None and not settings.dry_run:
        on_disk = local
        changed = plan_changes(files, on_disk)
        if local_problems and "ftp_history.json" in changed:  # never rewrite an untrusted file
            changed.remove("ftp_history.json")
            result.warnings.extend(ftp_warnings(local_problems, str(folder / "ftp_history.json")))
        result.written = write_folder(folder, {name: files[name] for name in changed})
    if publisher is not None:
        result.publish = publisher.publish(files, today=snap.today, dry_run=settings.dry_run)
        result.warnings.extend(getattr(result.publish, "warnings", None) or [])
    result.duration_s = time.monotonic() - started
    return result
