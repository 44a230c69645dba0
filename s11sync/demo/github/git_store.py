"""A bare git repository driven by git plumbing commands: the storage behind the GitHub emulator.

Every object the emulator hands out is a real git object (`git hash-object -w`, `git mktree`,
`git commit-tree`), and refs move with compare-and-swap `git update-ref`, so tests can `git clone`
the repository and inspect exactly what a GitHub server would hold.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ZERO_SHA = "0" * 40
_SHA_RE = re.compile(r"^[0-9a-f]{40}$")


class GitStoreError(Exception):
    """A git command failed, or an object is missing or of the wrong type."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    when: datetime

    def git_date(self) -> str:
        return f"@{int(self.when.timestamp())} +0000"


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    type: str  # blob | tree | commit
    sha: str
    size: int | None = None


_DEFAULT_PERSON = ("s11sync emulator", "emulator@s11sync.invalid")


def _parse_person(text: str) -> Person:
    match = re.match(r"^(.*) <(.*)> (\d+) ([+-]\d{4})$", text)
    if not match:
        raise GitStoreError(f"unparseable identity line {text!r}")
    when = datetime.fromtimestamp(int(match.group(3)), tz=timezone.utc)
    return Person(match.group(1), match.group(2), when)


class GitStore:
    """One bare repository at `path`. Metadata (private flag) lives in the repo's git config."""

    def __init__(self, path: Path, full_name: str = ""):
        self.path = Path(path)
        self.full_name = full_name  # "owner/name" when served by the emulator

    # -- creation and metadata ------------------------------------------------------------------

    @classmethod
    def init(cls, path: Path, *, default_branch: str = "main", private: bool = True) -> GitStore:
        """Create a bare repository at `path`, or open the one already there."""
        store = cls(path)
        if not (store.path / "HEAD").exists():
            store.path.mkdir(parents=True, exist_ok=True)
            store._git("init", "--bare", "--quiet", f"--initial-branch={default_branch}")
            store._git("config", "s11sync.private", "true" if private else "false")
        return store

    @property
    def private(self) -> bool:
        return self._git("config", "--get", "s11sync.private", check=False).strip() != "false"

    @private.setter
    def private(self, value: bool) -> None:
        self._git("config", "s11sync.private", "true" if value else "false")

    @property
    def default_branch(self) -> str:
        ref = self._git("symbolic-ref", "HEAD").strip()
        return ref.removeprefix("refs/heads/")

    def size_bytes(self) -> int:
        """Bytes on disk of the whole bare repository."""
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    # -- low level --------------------------------------------------------------------------------

    def _proc(
        self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "GIT_DIR": str(self.path), **(env or {})}
        for name in ("GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
            full_env.pop(name, None)
        return subprocess.run(
            ["git", *args], input=data, capture_output=True, env=full_env, check=False
        )

    def _run(
        self,
        *args: str,
        data: bytes | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> bytes:
        proc = self._proc(*args, data=data, env=env)
        if check and proc.returncode != 0:
            raise GitStoreError(
                f"git {' '.join(args)} failed: {proc.stderr.decode('utf-8', 'replace').strip()}"
            )
        return proc.stdout

    def _git(self, *args: str, check: bool = True) -> str:
        return self._run(*args, check=check).decode("utf-8")

    # -- reading ----------------------------------------------------------------------------------

    def object_type(self, sha: str) -> str | None:
        if not _SHA_RE.match(sha):
            return None
        out = self._git("cat-file", "-t", sha, check=False).strip()
        return out or None

    def has_refs(self) -> bool:
        return bool(self._git("for-each-ref", "--count=1", "refs/").strip())

    def head(self, branch: str) -> str | None:
        out = self._git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)
        return out.strip() or None

    def read_commit(self, sha: str) -> dict:
        """{tree, parents, author: Person, committer: Person, message}."""
        if self.object_type(sha) != "commit":
            raise GitStoreError(f"no commit {sha}")
        raw = self._run("cat-file", "commit", sha).decode("utf-8")
        header, _, message = raw.partition("\n\n")
        result: dict = {"parents": [], "message": message}
        for line in header.splitlines():
            key, _, value = line.partition(" ")
            if key == "tree":
                result["tree"] = value
            elif key == "parent":
                result["parents"].append(value)
            elif key in ("author", "committer"):
                result[key] = _parse_person(value)
        return result

    def read_tree(self, sha: str, *, recursive: bool = False) -> list[TreeEntry]:
        """Entries of a tree (or a commit's tree); recursive also lists sub-trees' contents."""
        args = ["ls-tree", "-z", "-l"]
        if recursive:
            args += ["-r", "-t"]
        out = self._run(*args, sha).decode("utf-8")
        entries = []
        for record in filter(None, out.split("\0")):
            meta, _, path = record.partition("\t")
            mode, kind, obj, size = meta.split()
            entries.append(TreeEntry(path, mode, kind, obj, None if size == "-" else int(size)))
        return entries

    def read_blob(self, sha: str) -> bytes:
        if self.object_type(sha) != "blob":
            raise GitStoreError(f"no blob {sha}")
        return self._run("cat-file", "blob", sha)

    def tree_of(self, sha: str) -> str:
        """The tree sha of a tree or commit sha."""
        return self._git("rev-parse", "--verify", f"{sha}^{{tree}}").strip()

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self._proc("merge-base", "--is-ancestor", older, newer).returncode == 0

    # -- writing ----------------------------------------------------------------------------------

    def write_blob(self, data: bytes) -> str:
        return self._run("hash-object", "-w", "--stdin", data=data).decode().strip()

    def _mktree(self, entries: dict[str, tuple[str, str, str]]) -> str:
        """entries: name -> (mode, type, sha) of one directory level."""
        lines = "".join(
            f"{mode} {kind} {sha}\t{name}\0" for name, (mode, kind, sha) in sorted(entries.items())
        )
        return self._run("mktree", "-z", data=lines.encode("utf-8")).decode().strip()

    def write_tree(self, base_tree: str | None, changes: list[dict]) -> str:
        """Apply GitHub-style tree entries to `base_tree` (or an empty tree); store the result.

        Each change is {path, mode, type, sha} (sha None deletes the path) or {path, mode, type,
        content} (content is stored as a new blob). Paths with slashes create nested trees."""
        flat: dict[str, tuple[str, str, str]] = {}
        if base_tree is not None:
            for entry in self.read_tree(base_tree, recursive=True):
                if entry.type != "tree":
                    flat[entry.path] = (entry.mode, entry.type, entry.sha)
        for change in changes:
            path = str(change["path"])  # validated by the emulator (no leading or double /)
            sha: str | None
            if "content" in change and change["content"] is not None:
                sha = self.write_blob(str(change["content"]).encode("utf-8"))
            else:
                sha = change.get("sha")
            if sha is None:
                flat = {p: v for p, v in flat.items() if p != path and not p.startswith(path + "/")}
                continue
            if change.get("type") == "tree":
                flat = {p: v for p, v in flat.items() if not p.startswith(path + "/")}
                for entry in self.read_tree(sha, recursive=True):
                    if entry.type != "tree":
                        flat[f"{path}/{entry.path}"] = (entry.mode, entry.type, entry.sha)
                continue
            flat[path] = (str(change.get("mode", "100644")), str(change.get("type", "blob")), sha)
        return self._build(flat)

    def _build(self, flat: dict[str, tuple[str, str, str]]) -> str:
        here: dict[str, tuple[str, str, str]] = {}
        below: dict[str, dict[str, tuple[str, str, str]]] = {}
        for path, value in flat.items():
            first, sep, rest = path.partition("/")
            if sep:
                below.setdefault(first, {})[rest] = value
            else:
                here[first] = value
        for name, sub in below.items():
            here[name] = ("040000", "tree", self._build(sub))
        return self._mktree(here)

    def write_commit(
        self,
        tree: str,
        parents: list[str],
        message: str,
        author: Person | None = None,
        committer: Person | None = None,
    ) -> str:
        now = datetime.now(timezone.utc)
        author = author or Person(*_DEFAULT_PERSON, now)
        committer = committer or author
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        env = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_AUTHOR_DATE": author.git_date(),
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
            "GIT_COMMITTER_DATE": committer.git_date(),
        }
        args += ["-F", "-"]
        return self._run(*args, data=message.encode("utf-8"), env=env).decode().strip()

    def update_ref(self, branch: str, new: str, old: str | None) -> bool:
        """Compare-and-swap refs/heads/<branch> from `old` (None = must not exist) to `new`."""
        ref = f"refs/heads/{branch}"
        return self._proc("update-ref", ref, new, old or ZERO_SHA).returncode == 0

    def commit_files(self, branch: str, files: dict[str, bytes | None], message: str) -> str:
        """Commit `files` (path -> bytes, None deletes) on `branch`, as another writer would."""
        parent = self.head(branch)
        changes = []
        for path, data in files.items():
            sha = None if data is None else self.write_blob(data)
            changes.append({"path": path, "mode": "100644", "type": "blob", "sha": sha})
        tree = self.write_tree(self.tree_of(parent) if parent else None, changes)
        sha = self.write_commit(tree, [parent] if parent else [], message)
        if not self.update_ref(branch, sha, parent):
            raise GitStoreError(f"refs/heads/{branch} moved while committing")
        return sha
