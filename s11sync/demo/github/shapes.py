"""The JSON bodies the GitHub emulator answers with, in the shapes of GitHub's OpenAPI description
(`full-repository`, `branch-with-protection`, `git-ref`, `git-commit`, `git-tree`, `blob`,
`short-blob`); tests/publish/test_github_openapi.py checks them against npm `@octokit/openapi`.

`api` is the emulator's base URL; it stands for both api.github.com and github.com.
"""

from __future__ import annotations

import base64
import zlib
from datetime import datetime, timezone
from typing import Any

from s11sync.demo.github.git_store import GitStore, TreeEntry
from s11sync.demo.github.wire import _person_json


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_json(api: str, login: str) -> dict[str, Any]:
    """A `simple-user`."""
    user = f"{api}/users/{login}"
    return {
        "login": login,
        "id": zlib.crc32(login.encode()),
        "node_id": f"U_{login}",
        "avatar_url": f"{api}/avatars/{login}",
        "gravatar_id": "",
        "url": user,
        "html_url": f"{api}/{login}",
        "followers_url": f"{user}/followers",
        "following_url": f"{user}/following{{/other_user}}",
        "gists_url": f"{user}/gists{{/gist_id}}",
        "starred_url": f"{user}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{user}/subscriptions",
        "organizations_url": f"{user}/orgs",
        "repos_url": f"{user}/repos",
        "events_url": f"{user}/events{{/privacy}}",
        "received_events_url": f"{user}/received_events",
        "type": "User",
        "site_admin": False,
    }


_URL_TEMPLATES = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def repo_json(api: str, store: GitStore, permissions: dict[str, bool] | None) -> dict[str, Any]:
    """A `full-repository`; `permissions` only for user tokens (app tokens get none)."""
    owner, name = store.full_name.split("/")
    url = f"{api}/repos/{store.full_name}"
    html = f"{api}/{store.full_name}"
    created = datetime.fromtimestamp((store.path / "HEAD").stat().st_mtime, timezone.utc)
    data: dict[str, Any] = {
        "id": zlib.crc32(store.full_name.encode()),
        "node_id": f"R_{owner}_{name}",
        "name": name,
        "full_name": store.full_name,
        "private": store.private,
        "visibility": "private" if store.private else "public",
        "owner": user_json(api, owner),
        "html_url": html,
        "description": None,
        "fork": False,
        "url": url,
        **{key: url + tail for key, tail in _URL_TEMPLATES.items()},
        "git_url": f"git:{html.split('://', 1)[-1]}.git",
        "ssh_url": f"git@127.0.0.1:{store.full_name}.git",
        "clone_url": f"{html}.git",
        "svn_url": html,
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "size": store.size_bytes() // 1024,
        "default_branch": store.default_branch,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "open_issues": 0,
        "open_issues_count": 0,
        "network_count": 0,
        "subscribers_count": 0,
        "has_issues": True,
        "has_projects": True,
        "has_wiki": True,
        "has_pages": False,
        "has_discussions": False,
        "has_downloads": True,
        "archived": False,
        "disabled": False,
        "is_template": False,
        "license": None,
        "topics": [],
        "created_at": _stamp(created),
        "updated_at": _stamp(datetime.now(timezone.utc)),
        "pushed_at": _stamp(datetime.now(timezone.utc)),
    }
    if permissions is not None:
        data["permissions"] = permissions
    return data


def ref_json(api: str, store: GitStore, branch: str, sha: str) -> dict[str, Any]:
    """A `git-ref`."""
    base = f"{api}/repos/{store.full_name}"
    return {
        "ref": f"refs/heads/{branch}",
        "node_id": f"REF_{sha[:12]}",
        "url": f"{base}/git/refs/heads/{branch}",
        "object": {"sha": sha, "type": "commit", "url": f"{base}/git/commits/{sha}"},
    }


def git_commit_json(api: str, store: GitStore, sha: str) -> dict[str, Any]:
    """A `git-commit` (the Git Data API's view of a commit)."""
    base = f"{api}/repos/{store.full_name}"
    info = store.read_commit(sha)
    return {
        "sha": sha,
        "node_id": f"C_{sha[:12]}",
        "url": f"{base}/git/commits/{sha}",
        "html_url": f"{api}/{store.full_name}/commit/{sha}",
        "author": _person_json(info["author"]),
        "committer": _person_json(info["committer"]),
        "message": info["message"].removesuffix("\n"),
        "tree": {"sha": info["tree"], "url": f"{base}/git/trees/{info['tree']}"},
        "parents": [
            {
                "sha": p,
                "url": f"{base}/git/commits/{p}",
                "html_url": f"{api}/{store.full_name}/commit/{p}",
            }
            for p in info["parents"]
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }


def branch_json(api: str, store: GitStore, branch: str, sha: str) -> dict[str, Any]:
    """A `branch-with-protection` of an unprotected branch; `commit` is a REST `commit`."""
    base = f"{api}/repos/{store.full_name}"
    git_commit = git_commit_json(api, store, sha)
    commit = {
        "sha": sha,
        "node_id": git_commit["node_id"],
        "url": f"{base}/commits/{sha}",
        "html_url": git_commit["html_url"],
        "comments_url": f"{base}/commits/{sha}/comments",
        "commit": {
            "url": git_commit["url"],
            "author": git_commit["author"],
            "committer": git_commit["committer"],
            "message": git_commit["message"],
            "comment_count": 0,
            "tree": git_commit["tree"],
            "verification": git_commit["verification"],
        },
        "author": None,  # git identities that are no GitHub account
        "committer": None,
        "parents": [
            {"sha": p["sha"], "url": f"{base}/commits/{p['sha']}", "html_url": p["html_url"]}
            for p in git_commit["parents"]
        ],
    }
    return {
        "name": branch,
        "commit": commit,
        "_links": {
            "self": f"{base}/branches/{branch}",
            "html": f"{api}/{store.full_name}/tree/{branch}",
        },
        "protected": False,
        "protection": {
            "enabled": False,
            "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
        },
        "protection_url": f"{base}/branches/{branch}/protection",
    }


def tree_json(api: str, store: GitStore, sha: str, entries: list[TreeEntry]) -> dict[str, Any]:
    """A `git-tree`."""
    base = f"{api}/repos/{store.full_name}"
    rows = []
    for entry in entries:
        row: dict[str, Any] = {
            "path": entry.path,
            "mode": entry.mode,
            "type": entry.type,
            "sha": entry.sha,
            "url": f"{base}/git/{entry.type}s/{entry.sha}",
        }
        if entry.size is not None:
            row["size"] = entry.size
        rows.append(row)
    return {"sha": sha, "url": f"{base}/git/trees/{sha}", "tree": rows, "truncated": False}


def blob_json(api: str, store: GitStore, sha: str) -> dict[str, Any]:
    """A `blob` (content base64, as GitHub sends it)."""
    data = store.read_blob(sha)
    return {
        "sha": sha,
        "node_id": f"B_{sha[:12]}",
        "size": len(data),
        "url": f"{api}/repos/{store.full_name}/git/blobs/{sha}",
        "content": base64.encodebytes(data).decode("ascii"),
        "encoding": "base64",
    }


def short_blob_json(api: str, store: GitStore, sha: str) -> dict[str, Any]:
    """A `short-blob` (the answer to a blob upload)."""
    return {"sha": sha, "url": f"{api}/repos/{store.full_name}/git/blobs/{sha}"}
