"""Fixtures for publishing tests: a loopback GitHub emulator over real bare git repositories."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from publish_helpers import NAME, OWNER, REPO, TOKEN

from s11sync.demo.github.server import GitHubEmulator
from s11sync.publish.github import GitHubPublisher


@pytest.fixture
def emulator(tmp_path: Path):
    with GitHubEmulator(tmp_path / "github", token=TOKEN) as emu:
        yield emu


@pytest.fixture
def bare(emulator: GitHubEmulator) -> Path:
    """The data repository as the README tells users to create it: private, with *Add a README
    file* (one "Initial commit"); GitHub's Git Data API cannot write to an empty repository."""
    return emulator.create_repo(OWNER, NAME, auto_init=True)


@pytest.fixture
def publisher(emulator: GitHubEmulator, bare: Path) -> Callable[..., GitHubPublisher]:
    def make(repo: str = REPO, token: str | None = TOKEN, **kw: Any) -> GitHubPublisher:
        return GitHubPublisher(repo, token, api_url=emulator.api_url, **kw)

    return make


@pytest.fixture
def clone(tmp_path: Path) -> Callable[[Path], Path]:
    def do(bare_repo: Path, branch: str = "main") -> Path:
        target = tmp_path / f"clone-{len(list(tmp_path.glob('clone-*')))}"
        subprocess.run(
            ["git", "clone", "--quiet", "--branch", branch, str(bare_repo), str(target)],
            check=True,
            capture_output=True,
        )
        return target

    return do
