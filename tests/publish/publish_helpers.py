"""Helpers shared by the publishing tests (sample documents, git inspection)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

OWNER, NAME = "athlete", "training-data"
REPO = f"{OWNER}/{NAME}"
TOKEN = "demo-token"


def dumps(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def make_files(
    *,
    stamp: str = "2026-11-22T07:00:00+00:00",
    activities: tuple[str, ...] = ("i101", "i102"),
    hrv: float = 61.0,
    history_generated: str = "2026-11-22T06:00:00+00:00",
    ftp: int = 250,
) -> dict[str, bytes]:
    """The five output files of one run. `stamp` is the run instant (the volatile keys)."""
    latest = {
        "metadata": {"athlete_id": "REDACTED", "last_updated": stamp, "version": "0.1.0"},
        "derived_metrics": {"acwr": 1.1, "calculation_timestamp": stamp},
        "recent_activities": [{"id": a, "type": "Ride", "name": "ride"} for a in activities],
        "wellness_data": [{"date": "2026-11-22", "hrv_rmssd": hrv}],
    }
    return {
        "latest.json": dumps(latest),
        "history.json": dumps({"generated_at": history_generated, "daily_90d": [1, 2, 3]}),
        "intervals.json": dumps({"generated_at": stamp, "activities": []}),
        "routes.json": dumps({"generated_at": stamp, "events": []}),
        "ftp_history.json": dumps({"cycling": {"2026-11-01": ftp}}),
    }


def git(repo: Path, *args: str) -> str:
    """Run git against a bare repository and return stdout."""
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def commits(repo: Path, branch: str = "main") -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(repo), "rev-list", branch],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.split() if out.returncode == 0 else []


def changed_paths(repo: Path, sha: str) -> list[str]:
    """Paths a commit touched, from `git show --stat --name-only`."""
    out = git(repo, "show", "--format=", "--name-only", sha)
    return sorted(line for line in out.splitlines() if line)
