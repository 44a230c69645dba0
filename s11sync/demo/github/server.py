"""A loopback GitHub REST emulator for the publishing flow, backed by real bare git repositories.

It serves exactly the endpoints PyGithub calls when s11sync publishes (repository, branch, git refs,
commits, trees and blobs), with GitHub's status codes, JSON error bodies (`message`,
`documentation_url`) and rate-limit headers, so PyGithub raises the same exception classes it raises
against api.github.com. Repositories live at `repos_root/<owner>/<name>.git`; clone them with git to
inspect the commits.

As on GitHub, a repository created without `auto_init` is empty and the Git Data API refuses blob,
tree, commit and ref writes to it with 409 "Git Repository is empty." (`reject_git_data_on_empty_repo`
turns this off for tests that need the old leniency); tree entries whose path has a leading `/`, an
empty, `.` or `..` segment, or whose mode or type is not one git allows get 422.

Used by the tests, the benchmark and `s11sync demo` (which keeps its repositories under the output
folder, so a second demo run finds nothing to commit). Not a general GitHub server.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from s11sync.demo.github import shapes
from s11sync.demo.github.git_store import GitStore, GitStoreError
from s11sync.demo.github.wire import ApiError, _default_message, _person_from, _token_from
from s11sync.demo.loopback import LOOPBACK_HOST, LoopbackHandler, LoopbackServer

RATE_LIMIT = 5000
DEMO_REPO = "demo-athlete/training-data"
DEMO_TOKEN = "demo-token"
_NAME = r"[A-Za-z0-9_.-]+"
_TREE_MODES = {
    "100644": "blob",
    "100755": "blob",
    "120000": "blob",
    "040000": "tree",
    "160000": "commit",
}


@dataclass
class TokenGrant:
    push: bool = True
    repos: set[str] | None = None  # full names the token may see; None = every repository
    installation: bool = False  # a GITHUB_TOKEN-like app token: no `permissions` in repo JSON


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern
    times: int
    status: int | None = None
    message: str | None = None
    callback: Callable[[GitHubEmulator], None] | None = None


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    token: str | None
    grant: TokenGrant | None = field(default=None)


class _Handler(LoopbackHandler):
    emulator: GitHubEmulator
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stalls)
    server_version = "s11sync-github-emulator"

    def _serve(self) -> None:
        emulator = self.emulator
        emulator.wait_latency()
        status, payload = emulator._handle(self.command, self.path, self.headers, self.read_body())
        emulator.request_log.append((self.command, self.path, status))
        self.send_json(status, payload, "application/json; charset=utf-8", emulator._rate_headers())

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve


class GitHubEmulator(LoopbackServer):
    """Threaded loopback server. Use as a context manager or call start()/stop()."""

    handler = _Handler
    thread_name = "github-emulator"

    def __init__(
        self,
        repos_root: Path,
        *,
        token: str = "demo-token",
        host: str = LOOPBACK_HOST,
        port: int = 0,
        latency_s: float = 0.0,
    ):
        super().__init__(host=host, port=port, latency_s=latency_s)
        self.repos_root = Path(repos_root)
        self.tokens: dict[str, TokenGrant] = {token: TokenGrant()}
        self.request_log: list[tuple[str, str, int]] = []
        self.record_responses = False  # True: keep (method, route, status, body) in `responses`
        self.responses: list[tuple[str, str, int, Any]] = []
        self.reject_git_data_on_empty_repo = True  # GitHub's 409 for Git Data writes to empty repos
        self._faults: list[_Fault] = []
        self._used = 0
        self._routes = self._build_routes()

    @property
    def api_url(self) -> str:
        return self.root

    @classmethod
    def for_demo(
        cls, output_dir: Path, repo: str = DEMO_REPO, token: str = DEMO_TOKEN
    ) -> GitHubEmulator:
        """An (unstarted) emulator keeping its repositories in `output_dir`/github, with the demo
        data repository created, so a second demo run sees the first run's commit."""
        emulator = cls(Path(output_dir) / "github", token=token)
        owner, name = repo.split("/", 1)
        emulator.create_repo(owner, name, private=True, auto_init=True)
        return emulator

    # -- test controls ----------------------------------------------------------------------------

    def create_repo(
        self,
        owner: str,
        name: str,
        *,
        private: bool = True,
        default_branch: str = "main",
        auto_init: bool = False,
    ) -> Path:
        """A bare repository at repos_root/owner/name.git (reused, flags kept, if it exists).

        `auto_init` (GitHub's name) gives a new repository a first commit with a README.md, as
        the website's *Add a README file* does; without it the repository is empty."""
        path = self.repos_root / owner / f"{name}.git"
        store = GitStore.init(path, default_branch=default_branch, private=private)
        if auto_init and not store.has_refs():
            store.commit_files(
                default_branch, {"README.md": f"# {name}\n".encode()}, "Initial commit"
            )
        return path

    def store(self, owner: str, name: str) -> GitStore:
        path = self.repos_root / owner / f"{name}.git"
        if not (path / "HEAD").exists():
            raise KeyError(f"{owner}/{name}")
        return GitStore(path, f"{owner}/{name}")

    def set_private(self, owner: str, name: str, private: bool) -> None:
        self.store(owner, name).private = private

    def set_token_permissions(
        self, token: str, *, push: bool, repos: list[str] | None = None, installation: bool = False
    ) -> None:
        """Register `token`. push=False → 403 on every write; repos limits what it can see."""
        self.tokens[token] = TokenGrant(push, None if repos is None else set(repos), installation)

    def add_fault(
        self, method: str, path_regex: str, status: int, times: int = 1, message: str | None = None
    ) -> None:
        """The next `times` requests matching method and path get `status` with a GitHub body."""
        self._faults.append(_Fault(method.upper(), re.compile(path_regex), times, status, message))

    def add_hook(
        self,
        method: str,
        path_regex: str,
        callback: Callable[[GitHubEmulator], None],
        times: int = 1,
    ) -> None:
        """Run `callback(emulator)` before the next `times` matching requests are handled
        (e.g. another writer committing just before our ref update)."""
        self._faults.append(
            _Fault(method.upper(), re.compile(path_regex), times, callback=callback)
        )

    def reset_counts(self) -> None:
        with self._lock:
            super().reset_counts()
            self.request_log.clear()

    # -- dispatch ---------------------------------------------------------------------------------

    def _build_routes(self) -> list[tuple[str, re.Pattern, str, Callable]]:
        repo = rf"^/repos/(?P<owner>{_NAME})/(?P<repo>{_NAME})"
        table: list[tuple[str, str, str, Callable]] = [
            ("GET", "", "/repos/{owner}/{repo}", self._get_repo),
            (
                "GET",
                r"/branches/(?P<branch>.+)",
                "/repos/{owner}/{repo}/branches/{branch}",
                self._get_branch,
            ),
            (
                "GET",
                r"/git/refs?/(?P<ref>heads/.+)",
                "/repos/{owner}/{repo}/git/ref/{ref}",
                self._get_ref,
            ),
            (
                "PATCH",
                r"/git/refs/(?P<ref>heads/.+)",
                "/repos/{owner}/{repo}/git/refs/{ref}",
                self._patch_ref,
            ),
            ("POST", r"/git/refs", "/repos/{owner}/{repo}/git/refs", self._post_ref),
            (
                "GET",
                r"/git/commits/(?P<sha>[^/]+)",
                "/repos/{owner}/{repo}/git/commits/{sha}",
                self._get_commit,
            ),
            ("POST", r"/git/commits", "/repos/{owner}/{repo}/git/commits", self._post_commit),
            (
                "GET",
                r"/git/trees/(?P<sha>[^/]+)",
                "/repos/{owner}/{repo}/git/trees/{sha}",
                self._get_tree,
            ),
            ("POST", r"/git/trees", "/repos/{owner}/{repo}/git/trees", self._post_tree),
            (
                "GET",
                r"/git/blobs/(?P<sha>[^/]+)",
                "/repos/{owner}/{repo}/git/blobs/{sha}",
                self._get_blob,
            ),
            ("POST", r"/git/blobs", "/repos/{owner}/{repo}/git/blobs", self._post_blob),
        ]
        return [(m, re.compile(repo + tail + "$"), label, fn) for m, tail, label, fn in table]

    def _handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        label, (status, payload) = self._answer(method, raw_path, headers, body)
        if self.record_responses:
            with self._lock:
                self.responses.append((method, label, status, payload))
        return status, payload

    def _answer(
        self, method: str, raw_path: str, headers: Any, body: bytes
    ) -> tuple[str, tuple[int, Any]]:
        """(route label, (status, body)); the label is "(unknown)" for unknown routes."""
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        route = None
        for route_method, pattern, label, fn in self._routes:
            match = pattern.match(path)
            if match and route_method == method:
                route = (match, fn, label)
                break
        label = route[2] if route else "(unknown)"
        self.count(f"{method} {label}")
        for fault in list(self._faults):
            if fault.method == method and fault.times > 0 and fault.pattern.search(path):
                fault.times -= 1
                if fault.callback is not None:
                    fault.callback(self)
                    continue
                status = int(fault.status or 500)
                return label, (
                    status,
                    ApiError(status, fault.message or _default_message(status)).body,
                )
        if route is None:
            return label, (404, ApiError(404, "Not Found").body)
        match, fn, _ = route
        try:
            token = _token_from(headers.get("Authorization"))
            grant = None
            if token is not None:
                grant = self.tokens.get(token)
                if grant is None:
                    raise ApiError(401, "Bad credentials")
            try:
                parsed = json.loads(body) if body else None
            except json.JSONDecodeError:
                raise ApiError(400, "Problems parsing JSON") from None
            req = _Request(method, path, parse_qs(parts.query), parsed, token, grant)
            args = match.groupdict()
            store = self._authorize(req, args.pop("owner"), args.pop("repo"))
            with self._lock:
                return label, fn(req, store, **args)
        except ApiError as exc:
            return label, (exc.status, exc.body)
        except GitStoreError:
            return label, (422, ApiError(422, "Object does not exist or is not valid").body)

    def _authorize(self, req: _Request, owner: str, name: str) -> GitStore:
        try:
            store = self.store(owner, name)
        except KeyError:
            raise ApiError(404, "Not Found") from None
        full = f"{owner}/{name}"
        grant = req.grant
        visible = not store.private or (
            grant is not None and (grant.repos is None or full in grant.repos)
        )
        if not visible:
            raise ApiError(404, "Not Found")
        if req.method != "GET":
            if grant is None:
                raise ApiError(401, "Requires authentication")
            if not grant.push or (grant.repos is not None and full not in grant.repos):
                who = "integration" if grant.installation else "personal access token"
                raise ApiError(403, f"Resource not accessible by {who}")
        return store

    # -- endpoints --------------------------------------------------------------------------------

    def _get_repo(self, req: _Request, store: GitStore) -> tuple[int, Any]:
        grant = req.grant
        permissions = None
        if grant is not None and not grant.installation:
            push = grant.push
            permissions = {
                "admin": push,
                "maintain": push,
                "push": push,
                "triage": push,
                "pull": True,
            }
        return 200, shapes.repo_json(self.api_url, store, permissions)

    def _empty_check(self, store: GitStore) -> None:
        if not store.has_refs():
            raise ApiError(
                409,
                "Git Repository is empty.",
                "https://docs.github.com/rest/git/refs#get-a-reference",
            )

    def _strict_empty_check(self, store: GitStore) -> None:
        """409 for Git Data calls on an empty repository, unless that leniency was asked for."""
        if self.reject_git_data_on_empty_repo:
            self._empty_check(store)

    def _get_branch(self, req: _Request, store: GitStore, branch: str) -> tuple[int, Any]:
        sha = store.head(branch)
        if sha is None:
            raise ApiError(
                404,
                "Branch not found",
                "https://docs.github.com/rest/branches/branches#get-a-branch",
            )
        return 200, shapes.branch_json(self.api_url, store, branch, sha)

    def _get_ref(self, req: _Request, store: GitStore, ref: str) -> tuple[int, Any]:
        self._empty_check(store)
        branch = ref.removeprefix("heads/")
        sha = store.head(branch)
        if sha is None:
            raise ApiError(
                404, "Not Found", "https://docs.github.com/rest/git/refs#get-a-reference"
            )
        return 200, shapes.ref_json(self.api_url, store, branch, sha)

    def _patch_ref(self, req: _Request, store: GitStore, ref: str) -> tuple[int, Any]:
        self._strict_empty_check(store)
        body = req.body or {}
        branch = ref.removeprefix("heads/")
        new = str(body.get("sha", ""))
        current = store.head(branch)
        if current is None:
            raise ApiError(422, "Reference does not exist")
        if store.object_type(new) != "commit":
            raise ApiError(422, "Object does not exist")
        if not body.get("force") and not store.is_ancestor(current, new):
            raise ApiError(
                422,
                "Update is not a fast forward",
                "https://docs.github.com/rest/git/refs#update-a-reference",
            )
        if not store.update_ref(branch, new, current):
            raise ApiError(422, "Reference cannot be updated")
        return 200, shapes.ref_json(self.api_url, store, branch, new)

    def _post_ref(self, req: _Request, store: GitStore) -> tuple[int, Any]:
        body = req.body or {}
        self._strict_empty_check(store)
        ref, sha = str(body.get("ref", "")), str(body.get("sha", ""))
        if not ref.startswith("refs/heads/") or ref.count("/") < 2:
            raise ApiError(
                422, "Reference name must start with 'refs/' and have at least two slashes."
            )
        if store.object_type(sha) != "commit":
            raise ApiError(422, "Object does not exist")
        branch = ref.removeprefix("refs/heads/")
        if not store.update_ref(branch, sha, None):
            raise ApiError(422, "Reference already exists")
        return 201, shapes.ref_json(self.api_url, store, branch, sha)

    def _get_commit(self, req: _Request, store: GitStore, sha: str) -> tuple[int, Any]:
        self._strict_empty_check(store)
        if store.object_type(sha) != "commit":
            raise ApiError(404, "Not Found")
        return 200, shapes.git_commit_json(self.api_url, store, sha)

    def _post_commit(self, req: _Request, store: GitStore) -> tuple[int, Any]:
        self._strict_empty_check(store)
        body = req.body or {}
        tree = str(body.get("tree", ""))
        parents = [str(p) for p in body.get("parents") or []]
        if store.object_type(tree) != "tree":
            raise ApiError(422, "Tree SHA does not exist")
        for parent in parents:
            if store.object_type(parent) != "commit":
                raise ApiError(422, "Parent SHA does not exist or is not a commit object")
        message = body.get("message")
        if not isinstance(message, str):
            raise ApiError(422, 'Invalid request.\n\n"message" wasn\'t supplied.')
        author = _person_from(body.get("author"))
        committer = _person_from(body.get("committer")) or author
        sha = store.write_commit(tree, parents, message, author, committer)
        return 201, shapes.git_commit_json(self.api_url, store, sha)

    def _get_tree(self, req: _Request, store: GitStore, sha: str) -> tuple[int, Any]:
        self._strict_empty_check(store)
        kind = store.object_type(sha)
        if kind not in ("tree", "commit"):
            raise ApiError(404, "Not Found")
        recursive = req.query.get("recursive", ["0"])[0] not in ("0", "false", "")
        tree_sha = store.tree_of(sha)
        return 200, shapes.tree_json(
            self.api_url, store, tree_sha, store.read_tree(tree_sha, recursive=recursive)
        )

    def _post_tree(self, req: _Request, store: GitStore) -> tuple[int, Any]:
        self._strict_empty_check(store)
        body = req.body or {}
        base = body.get("base_tree")
        if base is not None and store.object_type(str(base)) != "tree":
            raise ApiError(422, "base_tree is not a valid tree oid")
        entries = body.get("tree")
        if not isinstance(entries, list):
            raise ApiError(422, "Invalid tree info")
        for entry in entries:
            _check_tree_entry(entry)
            sha = entry.get("sha")
            if sha is not None and store.object_type(str(sha)) != entry.get("type", "blob"):
                raise ApiError(422, "Invalid tree info")
        sha = store.write_tree(base, entries)
        return 201, shapes.tree_json(self.api_url, store, sha, store.read_tree(sha))

    def _get_blob(self, req: _Request, store: GitStore, sha: str) -> tuple[int, Any]:
        self._strict_empty_check(store)
        if store.object_type(sha) != "blob":
            raise ApiError(404, "Not Found")
        return 200, shapes.blob_json(self.api_url, store, sha)

    def _post_blob(self, req: _Request, store: GitStore) -> tuple[int, Any]:
        self._strict_empty_check(store)
        body = req.body or {}
        content, encoding = body.get("content"), body.get("encoding", "utf-8")
        if not isinstance(content, str):
            raise ApiError(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
        if encoding == "base64":
            data = base64.b64decode(content)
        elif encoding in ("utf-8", "utf8"):
            data = content.encode("utf-8")
        else:
            raise ApiError(422, f"encoding must be utf-8 or base64, not {encoding}")
        sha = store.write_blob(data)
        return 201, shapes.short_blob_json(self.api_url, store, sha)

    def _rate_headers(self) -> dict[str, str]:
        with self._lock:
            self._used += 1
            used = self._used
        return {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(max(RATE_LIMIT - used, 0)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": "core",
        }


def _check_tree_entry(entry: Any) -> None:
    """422 for a tree entry git would not store: a malformed path, an unknown mode or type."""
    if not isinstance(entry, dict):
        raise ApiError(422, "Invalid tree info")
    path = entry.get("path")
    if (
        not isinstance(path, str)
        or not path
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise ApiError(422, f"tree.path contains a malformed path component: {path!r}")
    mode, kind = entry.get("mode"), entry.get("type", "blob")
    if mode not in _TREE_MODES:
        raise ApiError(422, f"tree.mode {mode!r} is not one of {', '.join(sorted(_TREE_MODES))}")
    if kind != _TREE_MODES[mode]:
        raise ApiError(422, f"tree.type {kind!r} does not match mode {mode}")
