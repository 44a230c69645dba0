"""Wire-level helpers of the Intervals.icu client: body-reading outcomes, what a failed request was,
and the short, redacted descriptions of bodies and parameters used in messages."""

from __future__ import annotations

import re
from typing import Any

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from s11sync import redact
from s11sync.errors import BadResponse

# A URL requests cannot use at all (before any connection): a bad base URL or download link.
_URL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.URLRequired,
)


def _path_template(path: str) -> str:
    """Endpoint name for messages and counters: ids replaced by placeholders."""
    path = re.sub(r"^/athlete/[^/]+", "/athlete/{id}", path)
    path = re.sub(r"^/athlete/\{id\}/activities/[^/]+$", "/athlete/{id}/activities/{ids}", path)
    path = re.sub(r"^/activity/[^/]+", "/activity/{id}", path)
    path = re.sub(r"/wellness/\d{4}-\d{2}-\d{2}$", "/wellness/{date}", path)
    return path


class _NotJson(BadResponse):
    """A 2xx body that does not parse as JSON (`first_bytes`: its start, for messages)."""

    def __init__(self, message: str, *, first_bytes: str, **kw: Any):
        super().__init__(message, **kw)
        self.first_bytes = first_bytes


class _TooLarge(Exception):
    """The body passed its cap (`read`: bytes held when reading stopped; `announced`: the
    Content-Length when that alone was over the cap)."""

    def __init__(self, read: int, announced: int | None):
        super().__init__(f"body over the cap after {read} bytes")
        self.read, self.announced = read, announced


class _DeadlineInBody(Exception):
    """The run's deadline passed while the body was still arriving."""


class _TruncatedBody(Exception):
    """The connection closed before the announced body length (`partial`: the bytes received)."""

    def __init__(self, partial: bytes):
        super().__init__(f"body cut off after {len(partial)} bytes")
        self.partial = partial


def _is_timeout(exc: requests.RequestException) -> bool:
    """A timeout, including a read timeout while streaming the body (requests wraps that one in
    ConnectionError)."""
    if isinstance(exc, requests.Timeout):
        return True
    return any(isinstance(arg, ReadTimeoutError) for arg in exc.args)


def _is_dropped(exc: requests.RequestException) -> bool:
    """The connection was reset or closed without an answer (not a refused connection)."""
    return any(isinstance(arg, ProtocolError) for arg in exc.args)


def _shape(data: Any) -> str:
    """'a JSON object with keys a, b', 'a JSON string', … for messages (no values)."""
    if isinstance(data, dict):
        keys = ", ".join(list(map(str, data))[:5])
        return f"a JSON object with keys {keys}" if keys else "an empty JSON object"
    if isinstance(data, list):
        return "a JSON list"
    return f"a JSON {type(data).__name__}".replace("JSON str", "JSON string").replace(
        "NoneType", "null"
    )


def _snippet(content: bytes, limit: int = 80) -> str:
    """First bytes of a body, credentials masked before the cut (withheld on a public log)."""
    return redact.snippet(content, limit)


def _safe_params(params: dict[str, Any] | None) -> str:
    return "" if not params else "?" + "&".join(f"{k}={v}" for k, v in params.items())
