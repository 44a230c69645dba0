"""The one exception tree of s11sync.

    S11SyncError                 root; the CLI catches only this (exit 1, or 2 for ConfigError)
    ├── ConfigError              a setting is missing or invalid (exit 2)
    ├── IntervalsError           an Intervals.icu call failed (.status, .endpoint; never the key)
    │   ├── AuthRefused          401/403: the key was refused or may not read this athlete
    │   ├── AthleteNotFound      404 on the athlete: the athlete id is wrong
    │   ├── EndpointNotFound     404 on another path
    │   ├── RateLimited          429 still returned after the retry budget (.retry_after)
    │   ├── Unavailable          5xx, connection errors, timeouts after retries
    │   └── BadResponse          a body that is not the JSON we expect (truncated, HTML, …)
    ├── SchemaViolation          a built document does not match its JSON Schema (.errors)
    └── PublishError             the GitHub data repo refused or could not take the commit

Every message says what to do next. No message contains the API key or a token: the root class
passes every message through `s11sync.redact.redact` when the exception is created.
"""

from __future__ import annotations

from s11sync.redact import redact


class S11SyncError(Exception):
    """Root of every error s11sync raises on purpose. The message is redacted on creation."""

    exit_code = 1

    def __init__(self, message: object = "", *args: object):
        super().__init__(redact(message), *args)


class ConfigError(S11SyncError):
    """A setting is missing or has an invalid value. Names the setting and the allowed values."""

    exit_code = 2


class IntervalsError(S11SyncError):
    """An Intervals.icu API call failed. `endpoint` is the path (no key, no host)."""

    def __init__(self, message: str, *, status: int | None = None, endpoint: str | None = None):
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint


class AuthRefused(IntervalsError):
    """401, or 403 on an athlete the key may not read."""


class AthleteNotFound(IntervalsError):
    """404 on /athlete/{id}: no such athlete."""


class EndpointNotFound(IntervalsError):
    """404 on any other path."""


class RateLimited(IntervalsError):
    """429 persisted beyond the run's retry budget."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Unavailable(IntervalsError):
    """5xx, connection refused/reset, or timeout, still failing after retries."""


class BadResponse(IntervalsError):
    """The body is not valid JSON or not the shape we expect."""


class SchemaViolation(S11SyncError):
    """One or more built documents fail their JSON Schema. `errors` is a list of strings."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


class PublishError(S11SyncError):
    """The data repository refused the commit or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status
