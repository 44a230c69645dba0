"""Publish the output files to the data repository as one commit per run (docs/files.md,
"Atomic writes, one commit"): a reader never sees a half-updated set of files.

Git Data API only, through PyGithub:

    GET  /repos/{repo}                       private? default branch? (public: refused unless allowed)
    GET  git/ref/heads/{branch} → commit → tree   what is published now (one tree read)
    GET  git/blobs/{sha}                     only for files whose bytes differ from ours
    POST git/blobs                           one per meaningfully changed file
    POST git/trees  (base_tree = head tree)  the new tree, plus the daily archive entry
    POST git/commits (parent = head)
    PATCH git/refs/heads/{branch} force=false   fast-forward only

With a data path (`data_path="data"`, the default when code and data share one repository) every
file is committed under that folder and nothing outside it is touched; output files an earlier
version committed at the root are read back as state and moved into the folder in the same commit
(the root copies are deleted in the new tree). The head tree is then read recursively.

If the ref moved between the read and the update (422 "Update is not a fast forward"), the head is
read again, the changes are recomputed against it and the commit is rebuilt on top, up to
`MAX_RETRIES` times. Nothing is ever forced, so another writer's commit is never dropped.
PyGithub exceptions are translated into `PublishError` in exactly one place, `_call`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import github
import requests
from github import Auth, Github, GithubException, InputGitTreeElement
from github.GitCommit import GitCommit
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.Repository import Repository

from s11sync import __version__
from s11sync.errors import PublishError
from s11sync.metrics.ftp_history import ftp_bytes, merge_ftp_histories, trusted_ftp_history
from s11sync.publish.plan import archive_path, commit_message, plan_changes
from s11sync.snapshot import OUTPUT_FILES, STATE_FILES, STORED_FILES

DEFAULT_TIMEOUT_S = 30
MAX_RETRIES = 3  # rebuilds after the ref moved; the first attempt is not counted
FILE_MODE = "100644"

T = TypeVar("T")


@dataclass
class PublishResult:
    """What a publish did. `files` maps each file to {"bytes": size, "changed": bool}."""

    committed: bool
    commit_sha: str | None
    commit_url: str | None
    changed: list[str]
    message: str
    api_requests: int
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    attempts: int = 1
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Head:
    """The branch as read at the start of an attempt (commit None = branch does not exist)."""

    commit: GitCommit | None
    tree: GitTree | None
    entries: dict[str, tuple[str, str]]  # path -> (type, sha)
    ref: GitRef | None = None  # completed, so updating it costs one request


def git_blob_sha(data: bytes) -> str:
    """The sha git (and GitHub) gives a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitHubPublisher:
    """Reads and writes the output files on one branch of one GitHub repository."""

    def __init__(
        self,
        repo: str,
        token: str | None,
        *,
        api_url: str,
        branch: str | None = None,
        allow_public: bool = False,
        archive: str = "off",
        public_log: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
        data_path: str = "",
    ):
        if archive not in ("off", "daily"):
            raise ValueError(f"archive must be 'off' or 'daily', not {archive!r}")
        self.repo_name = repo
        self.api_url = api_url.rstrip("/")
        self.branch = branch
        self.allow_public = allow_public
        self.archive = archive
        self.public_log = public_log
        self.data_path = data_path.strip("/")  # "" = the repository root
        self.has_token = bool(token)
        # No retries and no throttling: a fault surfaces at once and the scheduled run retries.
        self._gh = Github(
            base_url=self.api_url,
            auth=Auth.Token(token) if token else None,
            timeout=max(1, math.ceil(timeout)),  # PyGithub wants whole seconds
            user_agent=f"s11sync/{__version__}",
            retry=None,
            seconds_between_requests=0,
            seconds_between_writes=0,
        )
        self._repo: Repository | None = None
        self._blob_cache: dict[str, bytes] = {}
        self._base: dict[str, bytes] | None = None  # the files as read_state() found them
        self.api_requests = 0

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._gh.close()

    def __enter__(self) -> GitHubPublisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one translation boundary -------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[], T], *, absent: tuple[int, ...] = ()) -> T | None:
        """Run one API request; statuses in `absent` return None, every failure → PublishError."""
        self.api_requests += 1
        try:
            return fn()
        except GithubException as exc:
            if exc.status in absent:
                return None
            raise self._translate(what, exc) from exc
        except requests.Timeout as exc:
            raise PublishError(
                f"GitHub did not answer within the timeout while trying to {what}; nothing was "
                "committed and the next run tries again."
            ) from exc
        except requests.RequestException as exc:
            raise PublishError(
                f"could not reach GitHub at {self.api_url} to {what} ({type(exc).__name__}). "
                "Check the network and GITHUB_API_URL; nothing was committed."
            ) from exc

    @property
    def _where(self) -> str:
        return "the data repository" if self.public_log else self.repo_name

    def _translate(self, what: str, exc: GithubException) -> PublishError:
        status = exc.status
        data = exc.data if isinstance(exc.data, dict) else {}
        said = str(data.get("message") or "").strip()
        said_text = f" ({status} {said})" if said else f" ({status})"
        if isinstance(exc, github.RateLimitExceededException):
            text = (
                f"GitHub's API rate limit stopped the publish{said_text}; nothing was committed "
                "and the next scheduled run tries again."
            )
        elif status == 401 and not self.has_token:
            text = (
                f"GitHub requires a token to {what}{said_text}. Set DATA_REPO_TOKEN (a "
                "fine-grained token with Contents: Read and write on DATA_REPO), or run in "
                "GitHub Actions with GITHUB_TOKEN."
            )
        elif status == 401:
            text = (
                f"GitHub refused the token{said_text}: DATA_REPO_TOKEN (or GITHUB_TOKEN) is "
                "invalid or expired. Create a new fine-grained personal access token limited "
                f"to {self._where} with Repository permissions → Contents: Read and write, and "
                "store it as DATA_REPO_TOKEN."
            )
        elif status == 403:
            text = (
                f"GitHub refused to {what}{said_text}: the token may not write to "
                f"{self._where}. A fine-grained DATA_REPO_TOKEN needs Repository permissions → "
                "Contents: Read and write on that repository; with GITHUB_TOKEN give the "
                "workflow `permissions: contents: write` (and allow read and write under "
                "Settings → Actions → General → Workflow permissions)."
            )
        elif status == 404:
            text = (
                f"GitHub says {self._where} does not exist{said_text}. Check DATA_REPO "
                "(owner/name). If it is right, the token cannot see it: a fine-grained "
                "DATA_REPO_TOKEN must include this repository under Repository access."
            )
        elif status == 409 and "empty" in said.lower():
            text = (
                f"{self._where} is empty and GitHub's Git Data API cannot write to an empty "
                "repository. Add a first commit (e.g. create the repository with 'Add a "
                "README file'), then run again."
            )
        elif status >= 500:
            text = (
                f"GitHub is unavailable{said_text} while trying to {what}; nothing was "
                "committed and the next run tries again."
            )
        else:
            text = f"GitHub rejected the request to {what}{said_text}; nothing was committed."
        return PublishError(text, status=status)

    # -- reading ----------------------------------------------------------------------------------

    def _open(self) -> Repository:
        if self._repo is None:
            self._repo = self._call(
                "read the repository", lambda: self._gh.get_repo(self.repo_name)
            )
        assert self._repo is not None
        return self._repo

    def _guard_public(self, repo: Repository) -> None:
        if repo.private or self.allow_public:
            return
        raise PublishError(
            f"{self._where} is public: publishing would make your health data (wellness, HRV, "
            "sleep, weight, date of birth, routes and locations) world-readable. Make the "
            "repository private (Settings → General → Danger Zone → Change visibility), or set "
            "DATA_REPO to a separate private repository, or pass --allow-public-data-repo if "
            "you really want it public."
        )

    def describe(self, name: str) -> str:
        """Where a file lives, for messages (no repository name with the public-log setting)."""
        branch = f"@{self.branch}" if self.branch else ""
        name = self._path(name)
        return f"{name} in {self._where}" if self.public_log else f"{self.repo_name}{branch}:{name}"

    def _path(self, name: str) -> str:
        """The path of an output file (or archive entry) in the repository."""
        return f"{self.data_path}/{name}" if self.data_path else name

    def _legacy(self, head: _Head) -> list[str]:
        """Output files an earlier version committed at the root that the data folder lacks: they
        are state, and they move into the folder with the next commit."""
        if not self.data_path:
            return []
        return [
            name
            for name in OUTPUT_FILES
            if head.entries.get(name, ("", ""))[0] == "blob"
            and self._path(name) not in head.entries
        ]

    def _entry(self, head: _Head, name: str) -> tuple[str, str]:
        """(type, sha) of an output file: its place in the data folder, else its old root place."""
        found = head.entries.get(self._path(name))
        if found is None and name in self._legacy(head):
            found = head.entries.get(name)
        return found or ("", "")

    def _target_branch(self, repo: Repository) -> str:
        return self.branch or repo.default_branch

    def _read_head(self, repo: Repository, branch: str, *, recursive: bool) -> _Head:
        # one request (PyGithub objects are not lazy here); the ref is kept for the update
        ref = self._call(
            "read the branch", lambda: repo.get_git_ref(f"heads/{branch}"), absent=(404, 409)
        )
        if ref is None:  # 404: no such branch; 409: empty repository
            return _Head(None, None, {})
        # the files sit in a subfolder, or the curve state does (state/curves.json)
        recursive = recursive or bool(self.data_path) or bool(STATE_FILES)
        sha = ref.object.sha
        commit = self._call("read the head commit", lambda: repo.get_git_commit(sha))
        assert commit is not None
        tree_sha = commit.tree.sha
        tree = self._call("read the tree", lambda: repo.get_git_tree(tree_sha, recursive=recursive))
        assert tree is not None
        entries = {e.path: (e.type, e.sha) for e in tree.tree}
        return _Head(commit, tree, entries, ref)

    def _read_blob(self, repo: Repository, sha: str) -> bytes:
        if sha not in self._blob_cache:
            blob = self._call("read a file", lambda: repo.get_git_blob(sha))
            assert blob is not None
            if blob.encoding == "base64":
                self._blob_cache[sha] = base64.b64decode(blob.content)
            else:
                self._blob_cache[sha] = blob.content.encode("utf-8")
        return self._blob_cache[sha]

    def _stored(self, repo: Repository, head: _Head, ours: dict[str, bytes]) -> dict[str, bytes]:
        """Stored bytes of the files in `ours` (absent when not stored). A blob whose sha equals
        the sha of our bytes is identical and is not downloaded."""
        old: dict[str, bytes] = {}
        for name, data in ours.items():
            kind, sha = self._entry(head, name)
            if kind != "blob":
                continue
            old[name] = data if sha == git_blob_sha(data) else self._read_blob(repo, sha)
        return old

    def read_state(self) -> dict[str, bytes]:
        """The output files on the target branch (empty for an empty repository or branch)."""
        repo = self._open()
        head = self._read_head(repo, self._target_branch(repo), recursive=False)
        self._base = {
            name: self._read_blob(repo, self._entry(head, name)[1])
            for name in STORED_FILES
            if self._entry(head, name)[0] == "blob"
        }
        return dict(self._base)

    def precheck(self) -> None:
        """Before fetching, so a bad setting fails before any API call to Intervals.icu: the
        repository exists and is visible to the token, is private (or allowed public), and has a
        commit — GitHub's Git Data API cannot write to an empty repository. Raises PublishError
        with the fix; costs two requests."""
        repo = self._open()
        self._guard_public(repo)
        # 409 "Git Repository is empty." becomes the message that says how to add a first commit;
        # 404 (default branch missing in a repository that has commits) is not a problem here
        self._call(
            "read the default branch",
            lambda: repo.get_git_ref(f"heads/{repo.default_branch}"),
            absent=(404,),
        )

    def check(self) -> dict[str, Any]:
        """Repository visible, private (or allowed public), branch and push permission.

        Raises PublishError on the first problem. `can_push` is None when GitHub does not say
        (GITHUB_TOKEN and other app tokens get no `permissions` in the repository JSON)."""
        repo = self._open()
        self._guard_public(repo)
        branch = self._target_branch(repo)
        head = self._call(  # 409: an empty repository, which no run can write to (explained)
            "read the branch",
            lambda: repo.get_git_ref(f"heads/{branch}").object.sha,
            absent=(404,),
        )
        raw = repo.raw_data.get("permissions")
        can_push = bool(raw.get("push")) if isinstance(raw, dict) else None
        if can_push is False or not self.has_token:
            raise PublishError(
                f"the token cannot write to {self._where}: "
                + ("no DATA_REPO_TOKEN or GITHUB_TOKEN is set. " if not self.has_token else "")
                + "A fine-grained DATA_REPO_TOKEN needs Repository permissions → Contents: Read "
                "and write; with GITHUB_TOKEN give the workflow `permissions: contents: write`.",
                status=403,
            )
        return {
            "repo": repo.full_name,
            "private": repo.private,
            "default_branch": repo.default_branch,
            "branch": branch,
            "branch_exists": head is not None,
            "can_push": can_push,
        }

    # -- publishing -------------------------------------------------------------------------------

    def publish(
        self, files: dict[str, bytes], *, today: date, dry_run: bool = False
    ) -> PublishResult:
        """Commit the meaningfully changed `files` (name -> bytes) in one commit, or nothing."""
        start = self.api_requests
        repo = self._open()
        self._guard_public(repo)
        branch = self._target_branch(repo)
        attempts = 1
        while True:
            result = self._attempt(repo, branch, files, today, dry_run, attempts)
            if result is not None:
                result.api_requests = self.api_requests - start
                return result
            attempts += 1

    def _attempt(
        self,
        repo: Repository,
        branch: str,
        files: dict[str, bytes],
        today: date,
        dry_run: bool,
        attempts: int,
    ) -> PublishResult | None:
        """One read-plan-write round. None = the branch moved before the update: try again."""
        where = self._where if self.public_log else f"{self.repo_name}@{branch}"
        head = self._read_head(repo, branch, recursive=self.archive == "daily")
        old = self._stored(repo, head, files)
        files, notes = self._keep_their_ftp_entries(files, old)
        changed = plan_changes(files, old)
        moved = self._legacy(head)
        changed += [name for name in moved if name in files and name not in changed]
        sizes = {n: {"bytes": len(d), "changed": n in changed} for n, d in files.items()}
        extra = self._archive_entry(head, today, changed, files)
        paths = changed + ([archive_path(today)] if extra else [])
        if extra:
            sizes[archive_path(today)] = {"bytes": len(files["latest.json"]), "changed": True}
        outcome = PublishResult(False, None, None, paths, "", 0, sizes, attempts, notes)
        if not changed and not moved:
            outcome.message = (
                f"unchanged: nothing in {where} changed beyond per-run timestamps; no commit"
            )
            return outcome
        message = commit_message(
            today,
            paths,
            _parse_all(files),
            _parse_all(old),
            moved_to=self.data_path if moved else None,
        )
        if dry_run:
            listing = ", ".join(f"{p} ({sizes[p]['bytes']} bytes)" for p in paths)
            outcome.message = f"dry run: would commit {listing} to {where}: {message}"
            return outcome
        commit = self._write_commit(repo, head, files, changed, extra, message, moved)
        if not self._move_ref(repo, branch, head, commit.sha, attempts):
            return None
        outcome.committed, outcome.commit_sha, outcome.commit_url = (
            True,
            commit.sha,
            commit.html_url,
        )
        outcome.message = f"committed {len(paths)} file(s) to {where}: {message}"
        return outcome

    def _keep_their_ftp_entries(
        self, files: dict[str, bytes], old: dict[str, bytes]
    ) -> tuple[dict[str, bytes], list[str]]:
        """Another writer changed ftp_history.json after this run read it: commit the union by
        date of their entries and ours instead of reverting theirs; an untrusted copy of theirs
        is left as it is (docs/files.md, "What is never lost")."""
        name = "ftp_history.json"
        base = (self._base or {}).get(name)
        theirs = old.get(name)
        if (
            self._base is None
            or name not in files
            or theirs is None
            or theirs in (base, files[name])
        ):
            return files, []
        try:
            their_doc = json.loads(theirs.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            their_doc = None
        if their_doc is None or trusted_ftp_history(their_doc, True, date.max)[1]:
            rest = {k: v for k, v in files.items() if k != name}
            return rest, [
                f"{self.describe(name)} was changed by another writer into a file that is "
                "not valid; it was left as it is. Correct it so FTP changes are recorded again."
            ]
        base_doc = _parse_all({name: base}).get(name) if base is not None else None
        ours = json.loads(files[name].decode("utf-8"))
        merged = ftp_bytes(merge_ftp_histories(base_doc, ours, their_doc))
        return {**files, name: merged}, []

    def _archive_entry(
        self, head: _Head, today: date, changed: list[str], files: dict[str, bytes]
    ) -> tuple[str, str] | None:
        """(path, sha) of today's snapshot of latest.json, when due: archive on, something to
        commit, latest.json present, and no snapshot for today in the head tree yet: at most one
        per athlete-local day, never rewritten (docs/files.md, "What is never lost")."""
        if self.archive != "daily" or not changed or "latest.json" not in files:
            return None
        path = self._path(archive_path(today))
        if path in head.entries:
            return None
        if "latest.json" in changed or self._entry(head, "latest.json")[0] != "blob":
            return path, git_blob_sha(files["latest.json"])
        return path, self._entry(head, "latest.json")[1]  # the stored copy is what stays published

    def _write_commit(
        self,
        repo: Repository,
        head: _Head,
        files: dict[str, bytes],
        changed: list[str],
        extra: tuple[str, str] | None,
        message: str,
        moved: Sequence[str] = (),
    ) -> GitCommit:
        elements = []
        for name in changed:
            data = files[name]
            sha = git_blob_sha(data)
            if sha not in self._blob_cache:
                self._upload(repo, name, data, sha)
            elements.append(InputGitTreeElement(self._path(name), FILE_MODE, "blob", sha=sha))
        for name in moved:  # the old root copy goes; its content is in the data folder now
            if name not in files:  # not rebuilt by this run: carried over unchanged
                elements.append(
                    InputGitTreeElement(
                        self._path(name), FILE_MODE, "blob", sha=head.entries[name][1]
                    )
                )
            elements.append(InputGitTreeElement(name, FILE_MODE, "blob", sha=None))
        if extra:
            elements.append(InputGitTreeElement(extra[0], FILE_MODE, "blob", sha=extra[1]))
        base = head.tree
        tree = self._call(
            "create the tree",
            lambda: (
                repo.create_git_tree(elements, base) if base else repo.create_git_tree(elements)
            ),
        )
        assert tree is not None
        parents = [head.commit] if head.commit is not None else []
        commit = self._call(
            "create the commit", lambda: repo.create_git_commit(message, tree, parents)
        )
        assert commit is not None
        return commit

    def _upload(self, repo: Repository, name: str, data: bytes, sha: str) -> None:
        content = base64.b64encode(data).decode("ascii")
        blob = self._call("upload a file", lambda: repo.create_git_blob(content, "base64"))
        if blob is None or blob.sha != sha:
            raise PublishError(
                f"GitHub stored {name} with an unexpected checksum; nothing was committed. "
                "Check GITHUB_API_URL points at the GitHub REST API."
            )
        self._blob_cache[sha] = data

    def _move_ref(
        self, repo: Repository, branch: str, head: _Head, sha: str, attempts: int
    ) -> bool:
        """Fast-forward (or create) the branch. False = it moved meanwhile: rebuild and retry."""
        try:
            ref = head.ref
            if head.commit is None or ref is None:
                self._call(
                    "create the branch", lambda: repo.create_git_ref(f"refs/heads/{branch}", sha)
                )
            else:
                self._call("update the branch", lambda: ref.edit(sha, force=False))
            return True
        except PublishError as exc:
            cause = exc.__cause__
            said = ""
            if isinstance(cause, GithubException) and isinstance(cause.data, dict):
                said = str(cause.data.get("message") or "").lower()
            moved = exc.status == 422 and ("fast forward" in said or "already exists" in said)
            if not moved:
                raise
            if attempts > MAX_RETRIES:
                raise PublishError(
                    f"the branch {branch} of {self._where} kept moving while publishing (another "
                    f"writer); gave up after {attempts} attempts without forcing, so nothing was "
                    "overwritten. The next run publishes on top.",
                    status=422,
                ) from exc
            return False


def _parse_all(files: dict[str, bytes]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, data in files.items():
        try:
            out[name] = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
    return out
