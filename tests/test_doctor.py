"""`s11sync doctor`: checks a configuration against both emulators without writing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from s11sync.config import resolve_settings
from s11sync.demo.github.server import GitHubEmulator
from s11sync.doctor import run_doctor

TOKEN = "ghp_doctor"


@pytest.fixture()
def github(tmp_path: Path):
    with GitHubEmulator(tmp_path / "gh", token=TOKEN) as gh:
        yield gh


def doctor(intervals_emulator, github, **overrides) -> tuple[int, list[str]]:
    values = {
        "athlete_id": intervals_emulator.athlete_id,
        "intervals_key": intervals_emulator.api_key,
        "api_base": intervals_emulator.base_url,
    }
    env = {"DATA_REPO": "me/data", "DATA_REPO_TOKEN": TOKEN, "GITHUB_API_URL": github.api_url}
    values.update({k: v for k, v in overrides.items() if k in ("athlete_id", "intervals_key")})
    env.update({k: v for k, v in overrides.items() if k.isupper()})
    lines: list[str] = []
    code = run_doctor(
        resolve_settings(values, env=env, config_file=Path("/nonexistent")), out=lines.append
    )
    return code, lines


def test_a_good_configuration_passes_every_check_and_writes_nothing(intervals_emulator, github):
    bare = github.create_repo("me", "data", private=True, auto_init=True)
    refs_before = sorted(p.name for p in (bare / "refs" / "heads").iterdir())
    code, lines = doctor(intervals_emulator, github)
    assert code == 0, lines
    assert (
        lines[0].startswith("ok   Intervals.icu accepted the key")
        and intervals_emulator.athlete_id in lines[0]
    )
    assert lines[1].startswith("ok   data repo me/data reachable, private")
    assert sorted(p.name for p in (bare / "refs" / "heads").iterdir()) == refs_before


def test_an_empty_data_repo_fails_with_the_fix(intervals_emulator, github):
    github.create_repo("me", "data", private=True)  # no README: GitHub refuses every write
    code, lines = doctor(intervals_emulator, github)
    assert code == 1
    assert lines[1].startswith("FAIL data repo") and "me/data is empty" in lines[1]
    assert "Add a first commit" in lines[1]


def test_a_refused_key_and_a_public_repo_are_both_reported(intervals_emulator, github):
    github.create_repo("me", "data", private=False)
    code, lines = doctor(intervals_emulator, github, intervals_key="wrong-key")
    assert code == 1
    assert lines[0].startswith("FAIL Intervals.icu") and "Developer Settings" in lines[0]
    assert lines[1].startswith("FAIL data repo") and "public" in lines[1]
    assert all("wrong-key" not in line for line in lines)


def test_a_read_only_token_is_told_which_permission_to_add(intervals_emulator, github):
    github.create_repo("me", "data", private=True, auto_init=True)
    github.set_token_permissions(TOKEN, push=False)
    code, lines = doctor(intervals_emulator, github)
    assert code == 1
    assert "Contents: Read and write" in lines[1]


def test_an_unknown_repo_names_the_setting(intervals_emulator, github):
    code, lines = doctor(intervals_emulator, github, DATA_REPO="me/missing")
    assert code == 1 and "DATA_REPO" in lines[1]


def test_without_a_data_repo_the_repo_check_is_skipped(intervals_emulator, github):
    lines: list[str] = []
    settings = resolve_settings(
        {
            "athlete_id": intervals_emulator.athlete_id,
            "intervals_key": intervals_emulator.api_key,
            "api_base": intervals_emulator.base_url,
        },
        env={},
        config_file=Path("/nonexistent"),
    )
    assert run_doctor(settings, out=lines.append) == 0
    assert lines[1].startswith("skip data repo")
