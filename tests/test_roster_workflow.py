"""coach.yml: the roster job's matrix and the hardening of the per-athlete jobs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def _load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def _uses(workflow: dict) -> set[str]:
    return {s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s}


def test_the_matrix_is_one_isolated_job_per_athlete():
    coach = _load("coach.yml")
    assert coach["permissions"] == {}
    sync = coach["jobs"]["sync"]
    assert sync["needs"] == "roster"
    assert sync["strategy"]["fail-fast"] is False
    assert sync["strategy"]["matrix"] == "${{ fromJSON(needs.roster.outputs.matrix) }}"
    assert (
        "matrix.name" in sync["concurrency"]["group"]
        and sync["concurrency"]["cancel-in-progress"] is False
    )
    step = next(s for s in sync["steps"] if s.get("name") == "Sync")
    assert step["env"]["ATHLETE_KEY"] == "${{ secrets[matrix.key_secret] }}"
    assert "${{" not in step["run"]  # matrix values reach the script through env only
    assert '--athlete "$ATHLETE_NAME"' in step["run"] and "--roster athletes.yml" in step["run"]


def test_hardened_like_sync_yml():
    coach, sync = _load("coach.yml"), _load("sync.yml")
    assert _uses(coach) <= _uses(sync)  # the same actions, pinned to the same commits
    install = next(
        s for s in sync["jobs"]["sync"]["steps"] if s.get("name", "").startswith("Install")
    )["run"]
    for job in coach["jobs"].values():
        steps = job["steps"]
        assert any(s.get("run") == install for s in steps)
        for s in steps:
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False
        assert all("write" not in str(v) for v in job["permissions"].values())


def test_the_roster_step_prints_the_matrix_of_the_roster(tmp_path):
    step = next(s for s in _load("coach.yml")["jobs"]["roster"]["steps"] if s.get("id") == "roster")
    shutil.copy(ROOT / "athletes.example.yml", tmp_path / "athletes.yml")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(out),
        "INPUT_ATHLETE": "",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True, timeout=60)
    name, _, value = out.read_text().strip().partition("=")
    matrix = json.loads(value)["include"]
    assert name == "matrix" and [m["name"] for m in matrix] == ["anna", "ben", "cleo"]
    assert matrix[2] == {
        "name": "cleo",
        "athlete_id": "i345678",
        "key_secret": "CLEO_INTERVALS_KEY",
        "data_repo": "coach/cleo-data",
        "folder": "",
    }
    env["INPUT_ATHLETE"] = "zoe"  # an unknown athlete fails the roster job: no matrix at all
    bad = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        timeout=60,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and bad.stderr.startswith(
        "::error::--athlete 'zoe' is not in the roster"
    )
