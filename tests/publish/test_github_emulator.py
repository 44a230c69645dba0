"""The GitHub emulator speaks GitHub's wire format (raw HTTP, no PyGithub)."""

from __future__ import annotations

import base64

import requests
from publish_helpers import NAME, OWNER, TOKEN, git

from s11sync.demo.git_store import GitStore

AUTH = {"Authorization": f"token {TOKEN}"}


def _url(emulator, tail: str = "") -> str:
    return f"{emulator.api_url}/repos/{OWNER}/{NAME}{tail}"


def test_errors_carry_githubs_json_body_and_rate_limit_headers(emulator, bare):
    bad = requests.get(_url(emulator), headers={"Authorization": "token nope"}, timeout=5)
    assert bad.status_code == 401
    assert bad.json()["message"] == "Bad credentials"
    assert bad.json()["documentation_url"].startswith("https://docs.github.com/")
    assert int(bad.headers["X-RateLimit-Remaining"]) < int(bad.headers["X-RateLimit-Limit"])

    anonymous = requests.get(_url(emulator), timeout=5)  # private repository: hidden
    assert anonymous.status_code == 404 and anonymous.json()["message"] == "Not Found"

    hidden = requests.post(_url(emulator, "/git/blobs"), json={"content": "x"}, timeout=5)
    assert hidden.status_code == 404
    emulator.set_private(OWNER, NAME, False)
    write = requests.post(_url(emulator, "/git/blobs"), json={"content": "x"}, timeout=5)
    assert write.status_code == 401 and write.json()["message"] == "Requires authentication"


def test_repository_json_has_privacy_branch_and_permissions(emulator, bare):
    data = requests.get(_url(emulator), headers=AUTH, timeout=5).json()
    assert data["private"] is True and data["default_branch"] == "main"
    assert data["permissions"]["push"] is True
    assert data["url"] == _url(emulator)


def test_git_data_round_trip_builds_real_nested_git_objects(emulator, bare):
    blob = requests.post(
        _url(emulator, "/git/blobs"),
        headers=AUTH,
        timeout=5,
        json={"content": base64.b64encode(b"hello\n").decode(), "encoding": "base64"},
    ).json()
    tree = requests.post(
        _url(emulator, "/git/trees"),
        headers=AUTH,
        timeout=5,
        json={
            "tree": [
                {"path": "a/b/c.txt", "mode": "100644", "type": "blob", "sha": blob["sha"]},
                {"path": "top.txt", "mode": "100644", "type": "blob", "content": "inline"},
            ]
        },
    )
    assert tree.status_code == 201
    commit = requests.post(
        _url(emulator, "/git/commits"),
        headers=AUTH,
        timeout=5,
        json={"message": "m", "tree": tree.json()["sha"], "parents": []},
    ).json()
    ref = requests.post(
        _url(emulator, "/git/refs"),
        headers=AUTH,
        timeout=5,
        json={"ref": "refs/heads/main", "sha": commit["sha"]},
    )
    assert ref.status_code == 201

    assert git(bare, "show", "main:a/b/c.txt") == "hello\n"
    assert git(bare, "show", "main:top.txt") == "inline"
    listing = requests.get(
        _url(emulator, f"/git/trees/{tree.json()['sha']}?recursive=1"), headers=AUTH, timeout=5
    ).json()
    assert {e["path"] for e in listing["tree"]} == {"a", "a/b", "a/b/c.txt", "top.txt"}
    again = requests.post(
        _url(emulator, "/git/refs"),
        headers=AUTH,
        timeout=5,
        json={"ref": "refs/heads/main", "sha": commit["sha"]},
    )
    assert again.status_code == 422 and again.json()["message"] == "Reference already exists"


def test_a_non_fast_forward_update_is_refused(emulator, bare):
    store = GitStore(bare)
    first = store.commit_files("main", {"x": b"1"}, "one")
    store.commit_files("main", {"x": b"2"}, "two")
    sideways = store.write_commit(store.tree_of(first), [first], "side")

    patch = requests.patch(
        _url(emulator, "/git/refs/heads/main"),
        headers=AUTH,
        timeout=5,
        json={"sha": sideways, "force": False},
    )

    assert patch.status_code == 422
    assert patch.json()["message"] == "Update is not a fast forward"
    assert git(bare, "log", "-1", "--format=%s", "main").strip() == "two"


def test_faults_and_hooks_fire_the_requested_number_of_times(emulator, bare):
    seen = []
    emulator.add_fault("GET", r"^/repos/athlete/training-data$", 503, times=2)
    emulator.add_hook("GET", r"^/repos/", lambda emu: seen.append(1), times=1)
    statuses = [requests.get(_url(emulator), headers=AUTH, timeout=5).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert seen == [1]
    assert emulator.request_counts["GET /repos/{owner}/{repo}"] == 3


def test_read_only_tokens_may_read_but_not_write(emulator, bare):
    emulator.set_token_permissions("ro", push=False)
    headers = {"Authorization": "Bearer ro"}
    assert (
        requests.get(_url(emulator), headers=headers, timeout=5).json()["permissions"]["push"]
        is False
    )
    refused = requests.post(
        _url(emulator, "/git/blobs"),
        headers=headers,
        timeout=5,
        json={"content": "x", "encoding": "utf-8"},
    )
    assert refused.status_code == 403
    assert refused.json()["message"] == "Resource not accessible by personal access token"


def test_repositories_persist_with_their_flags(emulator, bare, tmp_path):
    emulator.set_private(OWNER, NAME, False)
    again = emulator.create_repo(OWNER, NAME)  # reused, not reset
    assert again == bare and GitStore(again).private is False


def test_pygithub_reads_branches_and_rate_limits_from_the_emulator(emulator, bare):
    from github import Auth, Github

    GitStore(bare).commit_files("main", {"x": b"1"}, "m")
    gh = Github(base_url=emulator.api_url, auth=Auth.Token(TOKEN), retry=None)
    try:
        repo = gh.get_repo(f"{OWNER}/{NAME}")
        branch = repo.get_branch("main")
        assert branch.commit.sha == git(bare, "rev-parse", "main").strip()
        remaining, limit = gh.rate_limiting
        assert limit == 5000 and remaining < limit
    finally:
        gh.close()
