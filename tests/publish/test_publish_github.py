"""GitHubPublisher against the loopback emulator; every assertion about commits reads the real bare
repository with git."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from publish_helpers import NAME, OWNER, REPO, TOKEN, changed_paths, commits, dumps, git, make_files

from s11sync.demo.github.git_store import GitStore
from s11sync.demo.github.server import GitHubEmulator
from s11sync.errors import PublishError
from s11sync.publish.github import MAX_RETRIES, GitHubPublisher
from s11sync.snapshot import OUTPUT_FILES

TODAY = date(2026, 11, 22)


# -- one commit per run ---------------------------------------------------------------------------


def test_first_run_commits_all_five_files_in_one_commit(publisher, bare, clone):
    files = make_files()
    initial = commits(bare)
    result = publisher().publish(files, today=TODAY)

    assert result.committed
    assert commits(bare) == [result.commit_sha, *initial]
    checkout = clone(bare)
    assert {p.name for p in checkout.iterdir() if p.name != ".git"} == {*OUTPUT_FILES, "README.md"}
    for name, data in files.items():
        assert (checkout / name).read_bytes() == data
    assert (
        git(bare, "log", "-1", "--format=%s") == "sync 2026-11-22: first publish "
        "(latest.json, history.json, intervals.json, routes.json, ftp_history.json)\n"
    )
    assert git(bare, "log", "-1", "--format=%P").strip() == initial[0]  # on the README commit


def test_second_run_with_the_same_data_makes_no_commit(publisher, bare):
    publisher().publish(make_files(), today=TODAY)
    head = commits(bare)

    result = publisher().publish(make_files(), today=TODAY)

    assert not result.committed and result.commit_sha is None
    assert result.changed == []
    assert result.message.startswith("unchanged")
    assert commits(bare) == head


def test_a_data_change_makes_one_commit_touching_only_the_changed_files(publisher, bare):
    publisher().publish(make_files(), today=TODAY)

    changed = make_files(
        stamp="2026-11-22T07:30:00+00:00", activities=("i101", "i102", "i103"), ftp=255
    )
    result = publisher().publish(changed, today=TODAY)

    assert result.committed
    assert len(commits(bare)) == 3  # README, first publish, this one
    assert changed_paths(bare, result.commit_sha) == ["ftp_history.json", "latest.json"]
    assert sorted(result.changed) == ["ftp_history.json", "latest.json"]
    stat = git(bare, "show", "--stat", "--format=%s", result.commit_sha)
    assert stat.startswith("sync 2026-11-22: 1 new activity (latest.json, ftp_history.json)")
    assert "2 files changed" in stat


def test_only_volatile_fields_changed_makes_no_commit(publisher, bare):
    publisher().publish(make_files(stamp="2026-11-22T07:00:00+00:00"), today=TODAY)

    result = publisher().publish(make_files(stamp="2026-11-22T07:30:00+00:00"), today=TODAY)

    assert not result.committed
    assert len(commits(bare)) == 2  # README, first publish
    # the stored copies keep their old timestamps: the data has not changed since then
    assert b"07:00:00" in GitStore(bare).read_blob(
        git(bare, "rev-parse", "main:latest.json").strip()
    )


def test_a_new_history_generated_at_is_committed_because_it_decides_the_next_regeneration(
    publisher, bare
):
    publisher().publish(make_files(), today=TODAY)

    result = publisher().publish(
        make_files(history_generated="2026-11-23T06:00:00+00:00"), today=date(2026, 11, 23)
    )

    assert result.committed and result.changed == ["history.json"]


def test_wellness_change_is_named_in_the_commit_message(publisher, bare):
    publisher().publish(make_files(), today=TODAY)

    result = publisher().publish(make_files(hrv=55.0), today=TODAY)

    assert (
        git(bare, "log", "-1", "--format=%s").strip()
        == "sync 2026-11-22: wellness updated (latest.json)"
    )
    assert result.message.endswith("sync 2026-11-22: wellness updated (latest.json)")


def test_read_state_returns_what_was_published(publisher, bare):
    files = make_files()
    publisher().publish(files, today=TODAY)

    assert publisher().read_state() == files


def test_read_state_of_an_empty_repository_is_empty(publisher, emulator):
    emulator.create_repo(OWNER, "empty")  # no README: no commit, no branch
    assert publisher(repo=f"{OWNER}/empty").read_state() == {}


def test_read_state_of_a_repository_with_only_a_readme_is_empty(publisher, bare):
    assert publisher().read_state() == {}


def test_read_state_makes_one_tree_read_and_one_blob_read_per_file(publisher, bare, emulator):
    publisher().publish(make_files(), today=TODAY)
    emulator.reset_counts()

    reader = publisher()
    reader.read_state()

    counts = emulator.request_counts
    assert counts["GET /repos/{owner}/{repo}/git/trees/{sha}"] == 1
    assert counts["GET /repos/{owner}/{repo}/git/blobs/{sha}"] == 5
    assert reader.api_requests == emulator.total_requests() == 9


def test_an_unchanged_run_downloads_only_files_whose_bytes_differ(publisher, bare, emulator):
    publisher().publish(make_files(), today=TODAY)
    emulator.reset_counts()

    result = publisher().publish(make_files(stamp="2026-11-22T08:00:00+00:00"), today=TODAY)

    # latest, intervals and routes differ in their timestamps; history and ftp_history are identical
    assert emulator.request_counts["GET /repos/{owner}/{repo}/git/blobs/{sha}"] == 3
    assert result.api_requests == emulator.total_requests() == 7
    assert not any(key.startswith(("POST", "PATCH")) for key in emulator.request_counts)


def test_api_requests_match_what_the_server_saw(publisher, bare, emulator):
    result = publisher().publish(make_files(), today=TODAY)
    assert result.api_requests == emulator.total_requests()
    emulator.reset_counts()
    result = publisher().publish(make_files(ftp=260), today=TODAY)
    # repo, ref, commit, tree, 1 blob read; 1 blob, tree, commit, ref update
    assert result.api_requests == emulator.total_requests() == 9


def test_publishing_to_a_new_branch_of_a_non_empty_repository(emulator, bare, publisher):
    GitStore(bare).commit_files("main", {"README.md": b"# data\n"}, "init")

    result = publisher(branch="data").publish(make_files(), today=TODAY)

    assert result.committed
    assert commits(bare, "data") == [result.commit_sha]
    assert commits(bare, "main") != commits(bare, "data")


def test_dry_run_reports_the_plan_and_writes_nothing(publisher, bare, emulator):
    result = publisher().publish(make_files(), today=TODAY, dry_run=True)

    assert not result.committed
    assert result.message.startswith("dry run: would commit latest.json (")
    assert result.files["latest.json"] == {
        "bytes": len(make_files()["latest.json"]),
        "changed": True,
    }
    assert len(commits(bare)) == 1  # the README commit only
    assert not any(key.startswith(("POST", "PATCH")) for key in emulator.request_counts)


# -- concurrent writers ---------------------------------------------------------------------------


def _other_writer(files: dict[str, bytes | None], message: str = "edit by hand"):
    def commit(emu: GitHubEmulator) -> None:
        emu.store(OWNER, NAME).commit_files("main", files, message)

    return commit


def test_a_concurrent_commit_is_preserved_and_ours_is_rebuilt_on_top(
    publisher, bare, emulator, clone
):
    publisher().publish(make_files(), today=TODAY)
    emulator.add_hook("PATCH", r"/git/refs/heads/main$", _other_writer({"README.md": b"# mine\n"}))

    result = publisher().publish(make_files(ftp=270), today=TODAY)

    assert result.committed and result.attempts == 2
    history = commits(bare)
    assert len(history) == 4 and history[0] == result.commit_sha
    assert git(bare, "log", "-1", "--format=%s", history[1]).strip() == "edit by hand"
    assert git(bare, "log", "-1", "--format=%P", result.commit_sha).strip() == history[1]
    checkout = clone(bare)
    assert (checkout / "README.md").read_text() == "# mine\n"
    assert json.loads((checkout / "ftp_history.json").read_text()) == {
        "cycling": {"2026-11-01": 270}
    }
    assert changed_paths(bare, result.commit_sha) == ["ftp_history.json"]


def test_a_concurrent_run_that_published_the_same_data_leaves_nothing_to_commit(
    publisher, bare, emulator
):
    publisher().publish(make_files(), today=TODAY)
    same = make_files(ftp=270)
    emulator.add_hook("PATCH", r"/git/refs/heads/", _other_writer(dict(same), "other run"))

    result = publisher().publish(same, today=TODAY)

    assert not result.committed and result.attempts == 2
    assert git(bare, "log", "-1", "--format=%s").strip() == "other run"


def test_a_ref_that_keeps_moving_fails_after_the_retries_without_forcing(publisher, bare, emulator):
    publisher().publish(make_files(), today=TODAY)
    emulator.reset_counts()
    counter = iter(range(100))

    def writer(emu: GitHubEmulator) -> None:
        emu.store(OWNER, NAME).commit_files("main", {"notes.txt": b"%d" % next(counter)}, "other")

    emulator.add_hook("PATCH", r"/git/refs/heads/main$", writer, times=100)

    with pytest.raises(PublishError, match="kept moving") as info:
        publisher().publish(make_files(ftp=280), today=TODAY)

    assert info.value.status == 422
    assert emulator.request_counts["PATCH /repos/{owner}/{repo}/git/refs/{ref}"] == MAX_RETRIES + 1
    subjects = git(bare, "log", "--format=%s").split("\n")
    # newest first: the others' commits, then our first publish, the README commit, ""
    assert subjects.count("other") == MAX_RETRIES + 1 and not any(
        "sync" in s for s in subjects[:-3]
    )


# -- failures leave the branch unchanged ----------------------------------------------------------


def test_a_failure_before_the_ref_update_leaves_the_branch_unchanged(publisher, bare, emulator):
    publisher().publish(make_files(), today=TODAY)
    head = commits(bare)
    emulator.add_fault("PATCH", r"/git/refs/heads/main$", 500)

    with pytest.raises(PublishError, match="GitHub is unavailable") as info:
        publisher().publish(make_files(ftp=290), today=TODAY)

    assert info.value.status == 500
    assert emulator.request_counts["POST /repos/{owner}/{repo}/git/blobs"] == 6  # 5 + 1: uploaded
    assert commits(bare) == head
    # the next run publishes normally
    assert publisher().publish(make_files(ftp=290), today=TODAY).committed


def test_a_failure_creating_a_new_branch_leaves_no_branch(publisher, bare, emulator):
    before = git(bare, "for-each-ref")
    emulator.add_fault("POST", r"/git/refs$", 502)

    with pytest.raises(PublishError, match="nothing was committed"):
        publisher(branch="data").publish(make_files(), today=TODAY)

    assert commits(bare, "data") == []
    assert git(bare, "for-each-ref") == before  # main untouched, no data branch


# -- errors name the setting to fix ---------------------------------------------------------------


def test_a_wrong_token_names_data_repo_token(publisher, bare):
    with pytest.raises(PublishError) as info:
        publisher(token="ghp_wrong123").publish(make_files(), today=TODAY)
    assert info.value.status == 401
    assert "DATA_REPO_TOKEN" in str(info.value) and "GITHUB_TOKEN" in str(info.value)
    assert "ghp_wrong123" not in str(info.value)  # never the token itself


def test_a_read_only_token_names_contents_write(publisher, bare, emulator):
    emulator.set_token_permissions("read-only", push=False)

    with pytest.raises(PublishError) as info:
        publisher(token="read-only").publish(make_files(), today=TODAY)

    assert info.value.status == 403
    message = str(info.value)
    assert "Contents: Read and write" in message and "permissions: contents: write" in message
    assert len(commits(bare)) == 1  # the README commit only


def test_github_token_without_write_permission_says_so(publisher, bare, emulator):
    emulator.set_token_permissions("ghs_app", push=False, installation=True)

    with pytest.raises(PublishError, match="Resource not accessible by integration") as info:
        publisher(token="ghs_app").publish(make_files(), today=TODAY)

    assert "GITHUB_TOKEN" in str(info.value)


def test_a_wrong_repository_name_names_data_repo(publisher, bare):
    with pytest.raises(PublishError) as info:
        publisher(repo=f"{OWNER}/no-such-repo").publish(make_files(), today=TODAY)
    assert info.value.status == 404
    assert "Check DATA_REPO (owner/name)" in str(info.value)


def test_a_token_that_cannot_see_the_repository_is_a_404_naming_repository_access(
    publisher, bare, emulator
):
    emulator.set_token_permissions("other-repo-only", push=True, repos=["athlete/other"])

    with pytest.raises(PublishError, match="Repository access") as info:
        publisher(token="other-repo-only").read_state()
    assert info.value.status == 404


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, "Bad credentials", "DATA_REPO_TOKEN"),
        (403, "Resource not accessible by personal access token", "Contents: Read and write"),
        (403, "API rate limit exceeded for user ID 1.", "rate limit"),
        (404, "Not Found", "DATA_REPO"),
        (409, "Git Repository is empty.", "empty"),
        (422, "Validation Failed", "rejected the request"),
        (500, "Server Error", "unavailable"),
        (503, "Service Unavailable", "unavailable"),
    ],
)
def test_every_status_maps_to_a_publish_error_with_a_fix(
    publisher, bare, emulator, status, body, expected
):
    emulator.add_fault("GET", r"^/repos/athlete/training-data$", status, message=body)

    with pytest.raises(PublishError, match=expected) as info:
        publisher().publish(make_files(), today=TODAY)

    assert info.value.status == status
    assert info.value.__cause__ is not None  # translated with `raise … from exc`


def test_an_unreachable_server_is_a_publish_error(bare):
    publisher = GitHubPublisher(REPO, TOKEN, api_url="http://127.0.0.1:9", timeout=2)
    with pytest.raises(PublishError, match="could not reach GitHub"):
        publisher.read_state()


def test_an_empty_repository_asks_for_a_first_commit(publisher, emulator):
    empty = emulator.create_repo(OWNER, "empty")  # created without *Add a README file*

    with pytest.raises(PublishError, match="Add a first commit") as info:
        publisher(repo=f"{OWNER}/empty").publish(make_files(), today=TODAY)

    assert info.value.status == 409 and "is empty" in str(info.value)
    assert commits(empty) == [] and git(empty, "for-each-ref") == ""
    # refused at the first write: nothing was stored before it
    assert emulator.request_log[-1][0] == "POST" and emulator.request_log[-1][2] == 409


def test_public_log_keeps_the_repository_name_out_of_messages(publisher, bare, emulator):
    result = publisher(public_log=True).publish(make_files(), today=TODAY)
    assert REPO not in result.message and OWNER not in result.message
    emulator.set_token_permissions("ro", push=False)
    with pytest.raises(PublishError) as info:
        publisher(token="ro", public_log=True).publish(make_files(ftp=1), today=TODAY)
    assert OWNER not in str(info.value)


# -- public repository guard ----------------------------------------------------------------------


def test_a_public_repository_is_refused_with_the_fix(publisher, emulator, bare):
    emulator.set_private(OWNER, NAME, False)

    with pytest.raises(PublishError) as info:
        publisher().publish(make_files(), today=TODAY)

    message = str(info.value)
    assert "world-readable" in message and "health" in message
    assert "private" in message and "DATA_REPO" in message and "--allow-public-data-repo" in message
    assert len(commits(bare)) == 1  # the README commit only
    assert not any(key.startswith("POST") for key in emulator.request_counts)


def test_a_public_repository_is_allowed_with_the_flag(publisher, emulator, bare):
    emulator.set_private(OWNER, NAME, False)

    result = publisher(allow_public=True).publish(make_files(), today=TODAY)

    assert result.committed and len(commits(bare)) == 2


# -- archive --------------------------------------------------------------------------------------


def _archive_paths(bare: Path) -> list[str]:
    out = git(bare, "ls-tree", "-r", "--name-only", "main")
    return [line for line in out.splitlines() if line.startswith("archive/")]


def test_archive_daily_adds_one_snapshot_per_day_however_often_data_changes(publisher, bare):
    first = make_files(activities=("i1",))
    publisher(archive="daily").publish(first, today=TODAY)
    for n in range(2, 5):
        files = make_files(
            stamp=f"2026-11-22T0{n}:00:00+00:00", activities=tuple(f"i{k}" for k in range(1, n + 1))
        )
        assert publisher(archive="daily").publish(files, today=TODAY).committed

    assert _archive_paths(bare) == ["archive/2026-11/2026-11-22.json"]
    snapshot = git(bare, "show", "main:archive/2026-11/2026-11-22.json").encode()
    assert snapshot == first["latest.json"]  # created by the first run, never rewritten
    assert len(commits(bare)) == 5  # README + 4 runs

    next_day = make_files(stamp="2026-11-23T07:00:00+00:00", activities=("i1", "i9"))
    result = publisher(archive="daily").publish(next_day, today=date(2026, 11, 23))
    assert "archive/2026-11/2026-11-23.json" in result.changed
    assert _archive_paths(bare) == [
        "archive/2026-11/2026-11-22.json",
        "archive/2026-11/2026-11-23.json",
    ]
    assert changed_paths(bare, result.commit_sha) == [
        "archive/2026-11/2026-11-23.json",
        "latest.json",
    ]


def test_archive_snapshot_rides_along_only_with_a_commit(publisher, bare):
    publisher().publish(make_files(), today=TODAY)  # archive off

    unchanged = publisher(archive="daily").publish(make_files(), today=date(2026, 11, 23))
    assert not unchanged.committed and _archive_paths(bare) == []

    result = publisher(archive="daily").publish(make_files(ftp=251), today=date(2026, 11, 23))
    # latest.json did not change: the snapshot is the published latest.json, with no new blob
    assert changed_paths(bare, result.commit_sha) == [
        "archive/2026-11/2026-11-23.json",
        "ftp_history.json",
    ]
    assert git(bare, "rev-parse", "main:archive/2026-11/2026-11-23.json") == git(
        bare, "rev-parse", "main:latest.json"
    )


def test_archive_off_never_writes_an_archive(publisher, bare):
    publisher().publish(make_files(), today=TODAY)
    publisher().publish(make_files(ftp=1), today=TODAY)
    assert _archive_paths(bare) == []


# -- doctor check ---------------------------------------------------------------------------------


def test_check_reports_repository_branch_and_push(publisher, bare):
    assert publisher().check() == {
        "repo": REPO,
        "private": True,
        "default_branch": "main",
        "branch": "main",
        "branch_exists": True,
        "can_push": True,
    }


def test_check_refuses_a_read_only_token_and_a_public_repository(publisher, bare, emulator):
    emulator.set_token_permissions("ro", push=False)
    with pytest.raises(PublishError, match="cannot write"):
        publisher(token="ro").check()
    emulator.set_private(OWNER, NAME, False)
    with pytest.raises(PublishError, match="world-readable"):
        publisher().check()


def test_check_refuses_an_empty_repository_with_the_fix(publisher, emulator):
    emulator.create_repo(OWNER, "empty")  # created without *Add a README file*

    with pytest.raises(PublishError, match="Add a first commit") as info:
        publisher(repo=f"{OWNER}/empty").check()

    assert info.value.status == 409 and f"{OWNER}/empty is empty" in str(info.value)


def test_check_cannot_know_push_for_app_tokens(publisher, bare, emulator):
    emulator.set_token_permissions("ghs_x", push=True, installation=True)
    assert publisher(token="ghs_x").check()["can_push"] is None


# -- demo persistence -----------------------------------------------------------------------------


def test_a_second_demo_publish_finds_nothing_to_commit(tmp_path):
    results = []
    for _ in range(2):
        with GitHubEmulator.for_demo(tmp_path) as emu:
            pub = GitHubPublisher("demo-athlete/training-data", "demo-token", api_url=emu.api_url)
            results.append(pub.publish(make_files(), today=TODAY))
    assert [r.committed for r in results] == [True, False]
    assert (tmp_path / "github" / "demo-athlete" / "training-data.git" / "HEAD").exists()


def test_binary_and_non_ascii_bytes_round_trip_exactly(publisher, bare):
    files = {"latest.json": dumps({"name": "Tur på Ålesund 🚴", "metadata": {}})}
    publisher().publish(files, today=TODAY)
    assert publisher().read_state() == files


def test_publishing_without_a_token_asks_for_one(publisher, emulator, bare):
    emulator.set_private(OWNER, NAME, False)
    with pytest.raises(PublishError, match="requires a token") as info:
        publisher(token=None, allow_public=True).publish(make_files(), today=TODAY)
    assert info.value.status == 401 and "DATA_REPO_TOKEN" in str(info.value)


def test_a_branch_created_by_another_run_meanwhile_is_built_upon(publisher, bare, emulator):
    def other_run(emu: GitHubEmulator) -> None:
        emu.store(OWNER, NAME).commit_files("data", {"notes.md": b"first\n"}, "other")

    emulator.add_hook("POST", r"/git/refs$", other_run)

    with publisher(branch="data") as pub:
        result = pub.publish(make_files(), today=TODAY)

    assert result.committed and result.attempts == 2
    assert git(bare, "log", "--format=%s", "data").splitlines() == [
        "sync 2026-11-22: first publish (latest.json, history.json, intervals.json, routes.json, "
        "ftp_history.json)",
        "other",
    ]
