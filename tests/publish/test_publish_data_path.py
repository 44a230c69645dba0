"""The data path: in a repository that also holds code, every output file goes under
`data/`, the project's own files are never touched, and output files an earlier version committed
at the root are moved into the folder in one commit. Real HTTP against the GitHub emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from publish_helpers import NAME, OWNER, changed_paths, commits, git, make_files

from s11sync.config import default_data_path, parse_data_path, resolve_settings
from s11sync.demo.github.git_store import GitStore
from s11sync.errors import ConfigError

TODAY = __import__("datetime").date(2026, 11, 22)
CODE = {
    "README.md": b"# s11sync template\n",
    "s11sync/__init__.py": b"__version__ = '0'\n",
    "pyproject.toml": b"[project]\nname = 's11sync'\n",
    ".github/workflows/sync.yml": b"on: schedule\n",
}


def _tree(bare: Path) -> dict[str, str]:
    """path -> blob sha of the branch head."""
    out = git(bare, "ls-tree", "-r", "main")
    return {line.split("\t", 1)[1]: line.split()[2] for line in out.splitlines()}


@pytest.fixture
def code_repo(bare: Path) -> Path:
    GitStore(bare, f"{OWNER}/{NAME}").commit_files("main", dict(CODE), "the project's code")
    return bare


def test_publishing_puts_everything_under_data_and_never_touches_the_code(publisher, code_repo):
    before = _tree(code_repo)
    files = make_files()
    result = publisher(data_path="data").publish(files, today=TODAY)
    assert result.committed
    after = _tree(code_repo)
    for path in CODE:
        assert after[path] == before[path]
    assert sorted(changed_paths(code_repo, result.commit_sha)) == sorted(f"data/{n}" for n in files)
    assert not any(name in after for name in files)  # nothing at the root
    # a second run with the same data commits nothing; read_state finds the folder's files
    second = publisher(data_path="data")
    assert second.read_state() == files
    assert not second.publish(make_files(stamp="2026-11-22T08:00:00+00:00"), today=TODAY).committed


def test_root_files_of_an_earlier_version_are_read_back_and_moved_in_one_commit(
    publisher, code_repo
):
    old = make_files(activities=("i101",))
    publisher().publish(old, today=TODAY)  # an earlier version: files at the root
    n_commits = len(commits(code_repo))
    pub = publisher(data_path="data")
    assert pub.read_state() == old  # the state is read back from the old place
    new = make_files(activities=("i101", "i102"))
    del new["routes.json"]  # a file this run does not rebuild is carried over unchanged
    result = pub.publish(new, today=TODAY)
    assert result.committed and len(commits(code_repo)) == n_commits + 1
    after = _tree(code_repo)
    assert not any(name in after for name in old)
    assert after["data/routes.json"] == _blob_sha(old["routes.json"])
    for name in new:
        assert git(code_repo, "show", f"main:data/{name}").encode() == new[name]
    assert after["README.md"] == _blob_sha(CODE["README.md"])
    assert "moved from the root to data/" in git(code_repo, "log", "-1", "--format=%s", "main")
    # moved once: the next identical run commits nothing
    assert not publisher(data_path="data").publish(new, today=TODAY).committed


def test_archive_snapshots_go_under_the_data_folder(publisher, code_repo):
    publisher(data_path="data", archive="daily").publish(make_files(), today=TODAY)
    assert "data/archive/2026-11/2026-11-22.json" in _tree(code_repo)


def _blob_sha(data: bytes) -> str:
    from s11sync.publish.github import git_blob_sha

    return git_blob_sha(data)


def test_default_is_data_when_the_data_repo_runs_the_workflow():
    assert default_data_path("me/s11sync", "me/s11sync") == "data"
    assert default_data_path("me/S11sync", "ME/s11sync") == "data"
    assert default_data_path("me/training-data", "me/s11sync") == ""
    assert default_data_path("me/training-data", None) == ""
    env = {"GITHUB_REPOSITORY": "me/s11sync"}
    nowhere = Path("/nonexistent/.sync_config.json")
    assert resolve_settings({}, env=env, config_file=nowhere).data_path == "data"
    assert (
        resolve_settings({}, env={**env, "DATA_REPO": "me/data"}, config_file=nowhere).data_path
        == ""
    )
    assert resolve_settings({}, env={**env, "DATA_PATH": "/"}, config_file=nowhere).data_path == ""
    assert (
        resolve_settings({"data_path": "coach/"}, env=env, config_file=nowhere).data_path == "coach"
    )


def test_data_path_from_the_config_file(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"data_path": "training/data"}')
    assert resolve_settings({}, env={}, config_file=cfg).data_path == "training/data"


@pytest.mark.parametrize("bad", ["../up", "a/../b", "a//b", "a b", ".git", "data\\x"])
def test_a_bad_data_path_is_a_config_error_naming_the_setting(bad):
    with pytest.raises(ConfigError, match="DATA_PATH"):
        parse_data_path(bad, "DATA_PATH")
