"""The workflow's own `run:` commands, extracted from sync.yml (not copied), executed against the
Intervals.icu and GitHub emulators: the workflow and the code cannot drift apart."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from s11sync.demo.github_server import GitHubEmulator
from s11sync.demo.server import IntervalsEmulator

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
TOKEN = "ghs_workflow_token"


def steps() -> dict[str, dict]:
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "sync.yml").read_text())
    return {s.get("name", s.get("uses", "")): s for s in wf["jobs"]["sync"]["steps"]}


def evaluate(expression: str, context: dict) -> str:
    """The few GitHub expressions the workflow uses; an unknown one fails the test (no drift)."""
    inner = expression.strip()[3:-2].strip()
    m = re.fullmatch(r"secrets\.(\w+)", inner)
    if m:
        return context["secrets"].get(m.group(1), "")
    m = re.fullmatch(r"inputs\.(\w+)", inner)
    if m:
        return context["inputs"].get(m.group(1), "")
    if inner == "github.token":
        return context["token"]
    if inner == "github.event.repository.private && 'false' || 'true'":
        return "false" if context["private"] else "true"
    raise AssertionError(f"the test does not know the workflow expression {expression!r}")


def step_env(step: dict, context: dict) -> dict[str, str]:
    return {k: evaluate(v, context) if isinstance(v, str) and v.startswith("${{") else str(v)
            for k, v in (step.get("env") or {}).items()}


@pytest.fixture()
def world(tmp_path):
    with IntervalsEmulator(today=__import__("datetime").date.fromisoformat(TODAY)) as api, \
            GitHubEmulator(tmp_path / "gh", token=TOKEN) as gh:
        yield api, gh, tmp_path


def run_step(step: dict, context: dict, runner_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**runner_env, **step_env(step, context)}
    return subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True, env=env,
                          timeout=300)


def runner_environment(api: IntervalsEmulator, gh: GitHubEmulator, tmp_path: Path, repo: str) -> dict[str, str]:
    """What a GitHub-hosted runner provides, pointed at the emulators (never the network)."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "GITHUB_REPOSITORY": repo,
        "GITHUB_API_URL": gh.api_url,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "INTERVALS_API_BASE": api.base_url,
        "S11SYNC_TODAY": TODAY,
    }


def test_template_setup_commits_to_its_own_repo_and_a_second_run_makes_no_commit(world):
    api, gh, tmp_path = world
    bare = gh.create_repo("athlete", "coach-data", private=True, auto_init=True)  # template files
    context = {"secrets": {"ATHLETE_ID": api.athlete_id, "INTERVALS_KEY": api.api_key},
               "inputs": {}, "token": TOKEN, "private": True}
    runner = runner_environment(api, gh, tmp_path, "athlete/coach-data")
    s = steps()
    assert run_step(s["Check configuration"], context, runner).returncode == 0
    first = run_step(s["Sync"], context, runner)
    assert first.returncode == 0, first.stderr
    log = subprocess.run(["git", "--git-dir", str(bare), "log", "--format=%s"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert len(log) == 2  # the repository's first commit, then the sync
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(bare), str(clone)], check=True)
    for name in ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"):
        json.loads((clone / name).read_text())
    summary = (tmp_path / "summary.md").read_text()
    assert "latest.json" in summary and "CTL" in summary  # private repo: key figures shown
    second = run_step(s["Sync"], context, runner)
    assert second.returncode == 0, second.stderr
    assert len(subprocess.run(["git", "--git-dir", str(bare), "log", "--format=%s"], capture_output=True,
                              text=True, check=True).stdout.splitlines()) == 2
    assert "no commit" in second.stdout


def test_manual_dry_run_input_commits_nothing(world):
    api, gh, tmp_path = world
    bare = gh.create_repo("athlete", "coach-data", private=True, auto_init=True)
    before = subprocess.run(["git", "--git-dir", str(bare), "rev-list", "--all"], capture_output=True,
                            text=True).stdout
    context = {"secrets": {"ATHLETE_ID": api.athlete_id, "INTERVALS_KEY": api.api_key},
               "inputs": {"days": "14", "full_history": "true", "dry_run": "true"}, "token": TOKEN,
               "private": True}
    result = run_step(steps()["Sync"], context, runner_environment(api, gh, tmp_path, "athlete/coach-data"))
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stdout
    log = subprocess.run(["git", "--git-dir", str(bare), "rev-list", "--all"], capture_output=True, text=True)
    assert log.stdout == before and len(before.split()) == 1


def test_public_fork_publishes_to_the_private_data_repo_and_prints_no_personal_data(world):
    api, gh, tmp_path = world
    gh.create_repo("athlete", "s11sync", private=False)          # the public fork
    bare = gh.create_repo("athlete", "training-data", private=True, auto_init=True)
    context = {"secrets": {"ATHLETE_ID": api.athlete_id, "INTERVALS_KEY": api.api_key,
                           "DATA_REPO": "athlete/training-data", "DATA_REPO_TOKEN": TOKEN},
               "inputs": {}, "token": "ghs_fork_token_without_access", "private": False}
    runner = runner_environment(api, gh, tmp_path, "athlete/s11sync")
    result = run_step(steps()["Sync"], context, runner)
    assert result.returncode == 0, result.stderr
    assert subprocess.run(["git", "--git-dir", str(bare), "rev-list", "--count", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip() == "2"

    latest = json.loads(subprocess.run(["git", "--git-dir", str(bare), "show", "HEAD:latest.json"],
                                       capture_output=True, text=True, check=True).stdout)
    fitness = latest["current_status"]["fitness"]
    personal = [str(fitness["ctl"]), str(fitness["atl"]), str(fitness["tsb"])]
    personal += [a["name"] for a in latest["recent_activities"] if len(a["name"]) > 3]
    personal += [a["date"][:10] for a in latest["recent_activities"]]
    personal += [str(api.data.athlete.get(k)) for k in ("name", "city") if api.data.athlete.get(k)]
    log = result.stdout + result.stderr + (tmp_path / "summary.md").read_text()
    leaked = sorted({p for p in personal if p and p in log})
    assert leaked == [], f"personal data in a public log: {leaked}"
    assert api.api_key not in log and TOKEN not in log


def test_missing_data_repo_token_in_the_fork_setup_fails_early(world):
    api, gh, tmp_path = world
    context = {"secrets": {"ATHLETE_ID": "i1", "INTERVALS_KEY": "k", "DATA_REPO": "a/b"}, "inputs": {},
               "token": TOKEN, "private": False}
    result = run_step(steps()["Check configuration"], context, runner_environment(api, gh, tmp_path, "a/s"))
    assert result.returncode == 1 and "DATA_REPO_TOKEN" in result.stdout
