"""GitHub's wire conventions for the emulator: error bodies, default messages, auth header, people.

Kept apart from `server.py` (the routes) so each stays small.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from s11sync.demo.github.git_store import Person

DOCS = "https://docs.github.com/rest"


class ApiError(Exception):
    """An error response: status plus GitHub's JSON body."""

    def __init__(self, status: int, message: str, doc: str = DOCS):
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "documentation_url": doc, "status": str(status)}


def _default_message(status: int) -> str:
    return {
        401: "Bad credentials",
        403: "Resource not accessible by personal access token",
        404: "Not Found",
        409: "Conflict",
        422: "Validation Failed",
        500: "Server Error",
        502: "Server Error",
        503: "Service Unavailable",
    }.get(status, "Error")


def _token_from(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("token", "bearer") and value.strip():
        return value.strip()
    raise ApiError(401, "Bad credentials")


def _person_json(person: Person) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "date": person.when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _person_from(data: Any) -> Person | None:
    if not isinstance(data, dict) or not data.get("name") or not data.get("email"):
        return None
    when = datetime.now(timezone.utc)
    if data.get("date"):
        when = datetime.fromisoformat(str(data["date"]).replace("Z", "+00:00"))
    return Person(str(data["name"]), str(data["email"]), when)
