"""`s11sync demo --publish` commits the data folder's README.md and two SVG charts; a second run
with the same data commits nothing; a later --today updates them in one commit."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from s11sync.cli import main
from s11sync.outputs.data_readme import DATA_README_FILES

DAY = date(2026, 11, 20)
SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "DATA_REPO",
        "DATA_PATH",
        "GITHUB_REPOSITORY",
        "S11SYNC_TODAY",
        "GITHUB_STEP_SUMMARY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("S11SYNC_RATE", "0")  # the emulator is local: no client-side rate limit


def git(bare: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(bare), *args], capture_output=True, text=True, check=True
    ).stdout


def test_demo_publish_commits_the_readme_and_two_charts_once_per_change(tmp_path: Path):
    out = tmp_path / "out"
    bare = out / "github" / "demo-athlete" / "training-data.git"
    assert (
        main(["demo", "--output", str(out), "--today", DAY.isoformat(), "--publish", "--quiet"])
        == 0
    )
    first = git(bare, "rev-parse", "main").strip()
    tree = git(bare, "ls-tree", "--name-only", "main").split()
    assert set(DATA_README_FILES) <= set(tree)
    readme = git(bare, "show", "main:README.md")
    assert (
        "latest.json` → `READ_THIS_FIRST" in readme
        and f"Data as of **{DAY.isoformat()}**" in readme
    )
    for chart in ("fitness.svg", "weekly-load.svg"):
        root = ET.fromstring(git(bare, "show", f"main:{chart}"))
        assert root.tag == SVG
        assert f"]({chart})" in readme
        assert (out / chart).read_text(encoding="utf-8") == git(bare, "show", f"main:{chart}")

    inodes = {name: (out / name).stat().st_ino for name in DATA_README_FILES}
    assert (
        main(["demo", "--output", str(out), "--today", DAY.isoformat(), "--publish", "--quiet"])
        == 0
    )
    assert git(bare, "rev-parse", "main").strip() == first  # same data: no commit
    assert {
        name: (out / name).stat().st_ino for name in DATA_README_FILES
    } == inodes  # nor a rewrite

    later = date(2026, 11, 21).isoformat()
    assert main(["demo", "--output", str(out), "--today", later, "--publish", "--quiet"]) == 0
    assert git(bare, "rev-list", "--count", f"{first}..main").strip() == "1"
    touched = git(bare, "show", "--format=", "--name-only", "main").split()
    assert {"README.md", "fitness.svg", "weekly-load.svg"} <= set(touched)
    assert f"Data as of **{later}**" in git(bare, "show", "main:README.md")
