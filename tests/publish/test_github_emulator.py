"""The GitHub emulator speaks GitHub's wire format (raw HTTP, no PyGithub)."""

from __future__ import annotations

import base64

import pytest
import requests
from publish_helpers import NAME, OWNER, TOKEN, git

from s11sync.demo.github.git_store import GitStore

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
        json={"ref": "refs/heads/topic", "sha": commit["sha"]},
    )
    assert ref.status_code == 201

    assert git(bare, "show", "topic:a/b/c.txt") == "hello\n"
    assert git(bare, "show", "topic:top.txt") == "inline"
    listing = requests.get(
        _url(emulator, f"/git/trees/{tree.json()['sha']}?recursive=1"), headers=AUTH, timeout=5
    ).json()
    assert {e["path"] for e in listing["tree"]} == {"a", "a/b", "a/b/c.txt", "top.txt"}
    again = requests.post(
        _url(emulator, "/git/refs"),
        headers=AUTH,
        timeout=5,
        json={"ref": "refs/heads/topic", "sha": commit["sha"]},
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


# -- as strict as GitHub ----------------------------------------------------------------------------


def _post(emulator, tail: str, body: dict, repo: str = NAME) -> requests.Response:
    return requests.post(
        f"{emulator.api_url}/repos/{OWNER}/{repo}{tail}", headers=AUTH, json=body, timeout=5
    )


def test_git_data_writes_to_an_empty_repository_are_refused_with_409(emulator):
    empty = emulator.create_repo(OWNER, "empty")
    store = GitStore(empty)
    tree = store.write_tree(
        None, [{"path": "x", "mode": "100644", "type": "blob", "sha": store.write_blob(b"x")}]
    )
    commit = store.write_commit(tree, [], "m")
    writes = {
        "/git/blobs": {"content": "x", "encoding": "utf-8"},
        "/git/trees": {
            "tree": [{"path": "a.txt", "mode": "100644", "type": "blob", "content": "a"}]
        },
        "/git/commits": {"message": "m", "tree": tree, "parents": []},
        "/git/refs": {"ref": "refs/heads/main", "sha": commit},
    }
    for tail, body in writes.items():
        r = _post(emulator, tail, body, repo="empty")
        assert r.status_code == 409, tail
        assert r.json()["message"] == "Git Repository is empty."
    base = f"{emulator.api_url}/repos/{OWNER}/empty"
    answers = [
        requests.patch(
            f"{base}/git/refs/heads/main", headers=AUTH, json={"sha": commit}, timeout=5
        ),
        *(
            requests.get(f"{base}/git/{kind}/{sha}", headers=AUTH, timeout=5)
            for kind, sha in (("commits", commit), ("trees", tree), ("blobs", commit))
        ),
        requests.get(f"{base}/git/ref/heads/main", headers=AUTH, timeout=5),
    ]
    assert [(r.status_code, r.json()["message"]) for r in answers] == [
        (409, "Git Repository is empty.")
    ] * 5
    assert git(empty, "for-each-ref") == ""

    emulator.reject_git_data_on_empty_repo = False  # the old leniency, on request only
    assert _post(emulator, "/git/blobs", writes["/git/blobs"], repo="empty").status_code == 201


def test_auto_init_gives_a_first_commit_that_makes_the_repository_writable(emulator):
    bare = emulator.create_repo(OWNER, "readme", auto_init=True)
    assert git(bare, "log", "--format=%s", "main").splitlines() == ["Initial commit"]
    assert git(bare, "show", "main:README.md") == "# readme\n"
    assert _post(emulator, "/git/blobs", {"content": "x"}, repo="readme").status_code == 201
    emulator.create_repo(OWNER, "readme", auto_init=True)  # reused: no second initial commit
    assert len(git(bare, "rev-list", "main").split()) == 1


@pytest.mark.parametrize(
    "entry, says",
    [
        ({"path": "/latest.json"}, "malformed path"),
        ({"path": "a//b.json"}, "malformed path"),
        ({"path": "a/"}, "malformed path"),
        ({"path": "../escape.json"}, "malformed path"),
        ({"path": "a/../b.json"}, "malformed path"),
        ({"path": "./a.json"}, "malformed path"),
        ({"path": ""}, "malformed path"),
        ({"path": "a.json", "mode": "100664"}, "tree.mode"),
        ({"path": "a.json", "mode": "644"}, "tree.mode"),
        ({"path": "a.json", "mode": 100644}, "tree.mode"),
        ({"path": "a.json", "mode": "040000", "type": "blob"}, "tree.type"),
    ],
)
def test_malformed_tree_entries_are_refused_with_422(emulator, bare, entry, says):
    before = git(bare, "count-objects")
    body = {"tree": [{"mode": "100644", "type": "blob", "content": "x", **entry}]}

    r = _post(emulator, "/git/trees", body)

    assert r.status_code == 422 and says in r.json()["message"]
    assert set(r.json()) == {"message", "documentation_url", "status"}
    assert git(bare, "count-objects") == before  # nothing stored


def test_well_formed_tree_entries_are_stored(emulator, bare):
    blob = _post(emulator, "/git/blobs", {"content": "#!/bin/sh\n"}).json()["sha"]
    r = _post(
        emulator,
        "/git/trees",
        {
            "tree": [
                {"path": "bin/run.sh", "mode": "100755", "type": "blob", "sha": blob},
                {"path": "link", "mode": "120000", "type": "blob", "content": "bin/run.sh"},
                {"path": "dir/.hidden..name", "mode": "100644", "type": "blob", "content": "x"},
            ]
        },
    )
    assert r.status_code == 201
    assert {e["path"]: e["mode"] for e in r.json()["tree"]} == {
        "bin": "040000",
        "dir": "040000",
        "link": "120000",
    }
