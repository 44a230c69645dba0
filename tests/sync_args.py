"""The command line of a sync against the Intervals.icu emulator, and the clean environment it runs
in, shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from s11sync.config import _SOURCES

# every setting's environment variable, the pinned day (read by the CLI) and the GitHub Actions
# variables a run reads
ENV_NAMES = tuple(env for env, _ in _SOURCES.values() if env) + (
    "S11SYNC_TODAY",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GITHUB_STEP_SUMMARY",
    "S11SYNC_PUBLIC_LOG",
)


def sync_argv(emu, folder: Path | None, *extra: str) -> list[str]:
    """`s11sync sync` with the emulator's base URL and credentials, writing to `folder`."""
    argv = [
        "sync",
        "--api-base",
        emu.base_url,
        "--athlete-id",
        emu.athlete_id,
        "--intervals-key",
        emu.api_key,
    ]
    if folder is not None:
        argv += ["--output", str(folder)]
    return [*argv, *extra]


def isolate(mp: pytest.MonkeyPatch, cwd: Path, *extra_names: str) -> None:
    """No setting from the machine: no setting's environment variable (nor `extra_names`), a
    working directory without a config file, and no client-side rate limit (the emulator is local)."""
    for name in (*ENV_NAMES, *extra_names):
        mp.delenv(name, raising=False)
    mp.chdir(cwd)
    mp.setenv("S11SYNC_RATE", "0")
