"""Every response of the GitHub emulator matches GitHub's published OpenAPI description.

The description is npm `@octokit/openapi` (pinned in tests/workflows/package.json, installed by
`npm ci --prefix tests/workflows`, which `.ci/run` and the README's test command run). It is
OpenAPI 3.0: `nullable` is turned into a JSON-Schema `null` type and `$ref`s resolve inside the
converted `components`, checked with jsonschema (Draft 2020-12). The spec is 13 MB: it is loaded and
converted once per session.

A scenario drives every route the emulator serves through its success and error answers: the
publisher's own PyGithub calls (first publish, update, new branch, read back, check) and raw
requests for the failures. Each recorded answer is checked against the operation's response for
that status; a status the operation does not document fails, except the ones GitHub answers on any
route (401 bad credentials, 403 no permission, 5xx), which are checked as GitHub's `basic-error`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator
from publish_helpers import NAME, OWNER, REPO, TOKEN, make_files

from s11sync.demo.github.git_store import GitStore
from s11sync.demo.github.server import GitHubEmulator
from s11sync.errors import PublishError
from s11sync.publish.github import GitHubPublisher

SPEC = (
    Path(__file__).resolve().parents[1]
    / "workflows"
    / "node_modules"
    / "@octokit"
    / "openapi"
    / "generated"
    / "api.github.com.json"
)
TODAY = date(2026, 11, 22)
AUTH = {"Authorization": f"token {TOKEN}"}
GENERIC = {401, 403, 500, 502, 503}  # answered on any route, not listed per operation

# emulator route label (s11sync/demo/github/server.py) -> GitHub OpenAPI path
OPERATIONS = {
    "GET /repos/{owner}/{repo}": "/repos/{owner}/{repo}",
    "GET /repos/{owner}/{repo}/branches/{branch}": "/repos/{owner}/{repo}/branches/{branch}",
    "GET /repos/{owner}/{repo}/git/ref/{ref}": "/repos/{owner}/{repo}/git/ref/{ref}",
    "PATCH /repos/{owner}/{repo}/git/refs/{ref}": "/repos/{owner}/{repo}/git/refs/{ref}",
    "POST /repos/{owner}/{repo}/git/refs": "/repos/{owner}/{repo}/git/refs",
    "GET /repos/{owner}/{repo}/git/commits/{sha}": "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    "POST /repos/{owner}/{repo}/git/commits": "/repos/{owner}/{repo}/git/commits",
    "GET /repos/{owner}/{repo}/git/trees/{sha}": "/repos/{owner}/{repo}/git/trees/{tree_sha}",
    "POST /repos/{owner}/{repo}/git/trees": "/repos/{owner}/{repo}/git/trees",
    "GET /repos/{owner}/{repo}/git/blobs/{sha}": "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    "POST /repos/{owner}/{repo}/git/blobs": "/repos/{owner}/{repo}/git/blobs",
}


# ---------------------------------------------------------------- OpenAPI 3.0 -> JSON Schema


def to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12: `nullable: true` admits null; examples,
    discriminators and other annotations dropped."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("nullable", "example", "examples", "discriminator", "xml", "externalDocs"):
            continue
        if key.startswith("x-"):
            continue
        if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            continue
        if key in ("properties", "patternProperties"):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        else:
            out[key] = to_json_schema(value)
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class GitHubSpec:
    def __init__(self, path: Path):
        assert path.is_file(), (
            f"{path} is missing: run `npm ci --prefix tests/workflows` (the project's test set-up)"
        )
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.paths = raw["paths"]
        self.responses = raw["components"]["responses"]
        self.components = {"schemas": to_json_schema(raw["components"]["schemas"])}

    def response_schema(self, label: str, status: int) -> dict[str, Any] | None:
        """The JSON schema of `status` for the operation behind an emulator route label."""
        method, _, _ = label.partition(" ")
        operation = self.paths[OPERATIONS[label]][method.lower()]
        response = operation["responses"].get(str(status))
        if response is None:
            return None
        if "$ref" in response:
            response = self.responses[response["$ref"].rsplit("/", 1)[1]]
        return to_json_schema(response["content"]["application/json"]["schema"])

    def errors(self, instance: Any, schema: dict[str, Any]) -> list[str]:
        validator = Draft202012Validator({**schema, "components": self.components})
        found = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in found]

    def check(self, label: str, status: int, body: Any) -> list[str]:
        """Problems of one answer; [] when it matches the description."""
        if label not in OPERATIONS:
            return [f"{label}: not a route GitHub's description has"]
        schema = self.response_schema(label, status)
        if schema is None:
            if status not in GENERIC:
                return [f"{label} {status}: a status this operation does not document"]
            schema = {"$ref": "#/components/schemas/basic-error"}
        return [f"{label} {status} {e}" for e in self.errors(body, schema)]


@pytest.fixture(scope="session")
def github_spec() -> GitHubSpec:
    return GitHubSpec(SPEC)


# ---------------------------------------------------------------- the checker itself


def test_the_package_is_pinned_and_is_the_one_loaded():
    package = json.loads((SPEC.parents[4] / "package.json").read_text())
    pinned = package["devDependencies"]["@octokit/openapi"]
    assert pinned[0].isdigit()  # an exact version, no range
    installed = json.loads((SPEC.parents[1] / "package.json").read_text())
    assert installed["version"] == pinned


def test_the_check_can_fail(github_spec):
    label = "GET /repos/{owner}/{repo}/git/blobs/{sha}"
    good = {
        "sha": "a" * 40,
        "node_id": "B_1",
        "size": 3,
        "url": "http://x/b",
        "content": "eHl6\n",
        "encoding": "base64",
    }
    assert github_spec.check(label, 200, good) == []
    assert github_spec.check(label, 200, {**good, "size": None}) == []  # nullable
    assert github_spec.check(label, 200, {k: v for k, v in good.items() if k != "content"})
    assert github_spec.check(label, 200, {**good, "sha": None})  # not nullable
    assert github_spec.check(label, 418, {"message": "teapot"})  # undocumented status
    assert github_spec.check(
        "GET /repos/{owner}/{repo}/git/ref/{ref}",
        409,
        {"message": "Git Repository is empty.", "status": 409},
    )
    assert github_spec.check("DELETE /repos/{owner}/{repo}", 204, None)


# ---------------------------------------------------------------- the emulator


def _scenario(emulator: GitHubEmulator, bare: Path) -> None:
    """Drive every route through the answers s11sync meets."""
    publish = GitHubPublisher(REPO, TOKEN, api_url=emulator.api_url)
    assert publish.publish(make_files(), today=TODAY).committed
    assert (
        GitHubPublisher(REPO, TOKEN, api_url=emulator.api_url)
        .publish(make_files(ftp=260), today=TODAY)
        .committed
    )
    assert (
        GitHubPublisher(REPO, TOKEN, api_url=emulator.api_url, branch="data")
        .publish(make_files(), today=TODAY)
        .committed
    )
    assert GitHubPublisher(REPO, TOKEN, api_url=emulator.api_url).read_state()
    assert GitHubPublisher(REPO, TOKEN, api_url=emulator.api_url).check()["branch_exists"]

    emulator.create_repo(OWNER, "empty")
    with pytest.raises(PublishError, match="empty"):
        GitHubPublisher(f"{OWNER}/empty", TOKEN, api_url=emulator.api_url).publish(
            make_files(), today=TODAY
        )

    base = f"{emulator.api_url}/repos/{OWNER}/{NAME}"
    head = GitStore(bare).head("main")
    assert head is not None
    missing = "0" * 39 + "1"

    def call(
        method: str, tail: str, body: Any = None, headers: Any = AUTH, root: str = base
    ) -> int:
        return requests.request(
            method, root + tail, json=body, headers=headers, timeout=5
        ).status_code

    answers = [
        call("GET", "", headers={"Authorization": "token wrong"}),
        call("GET", "", root=f"{emulator.api_url}/repos/{OWNER}/nope"),
        call("GET", "/branches/main"),
        call("GET", "/branches/nope"),
        call("GET", "/git/ref/heads/nope"),
        call("GET", "/git/ref/heads/main", root=f"{emulator.api_url}/repos/{OWNER}/empty"),
        call("GET", f"/git/commits/{missing}"),
        call("GET", f"/git/trees/{missing}"),
        call("GET", f"/git/trees/{head}?recursive=1"),
        call("GET", f"/git/blobs/{missing}"),
        call(
            "POST", "/git/blobs", {"content": "x"}, root=f"{emulator.api_url}/repos/{OWNER}/empty"
        ),
        call("GET", f"/git/trees/{missing}", root=f"{emulator.api_url}/repos/{OWNER}/empty"),
        call(
            "POST",
            "/git/trees",
            {"tree": [{"path": "/x", "mode": "100644", "type": "blob", "content": "x"}]},
        ),
        call("POST", "/git/commits", {"message": "m", "tree": missing, "parents": []}),
        call("POST", "/git/refs", {"ref": "refs/heads/main", "sha": head}),
        call("PATCH", "/git/refs/heads/data", {"sha": head, "force": False}),
    ]
    assert answers == [
        401,
        404,
        200,
        404,
        404,
        409,
        404,
        404,
        200,
        404,
        409,
        409,
        422,
        422,
        422,
        422,
    ]
    emulator.set_token_permissions("ro", push=False)
    assert (
        call("POST", "/git/blobs", {"content": "x"}, headers={"Authorization": "token ro"}) == 403
    )


def test_every_emulator_answer_matches_githubs_description(github_spec, emulator, bare):
    emulator.record_responses = True

    _scenario(emulator, bare)

    problems = [
        p
        for method, label, status, body in emulator.responses
        for p in github_spec.check(f"{method} {label}", status, body)
    ]
    assert problems == [], "\n".join(problems[:400])
    seen = {f"{method} {label}" for method, label, status, _ in emulator.responses if status < 300}
    assert seen == set(OPERATIONS)  # every route answered successfully at least once
    statuses = {status for *_, status, _ in emulator.responses}
    assert {200, 201, 401, 403, 404, 409, 422} <= statuses
