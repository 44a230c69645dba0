"""Intervals.icu transport: Basic auth (user `API_KEY`, password = key), timeouts on every call,
the shared retry policy, a run-wide rate limit, and actionable errors.

Errors are translated at one boundary, `Transport._send`: transport failures (`requests`
exceptions, bodies cut off mid-transfer) there, HTTP statuses in `_raise_for`, so every failure maps
to one class of `s11sync.errors` and no `requests` exception escapes. Messages never contain the key.

Bounds: every request's timeout is min(its own, time left of the run's deadline) and no request
starts once the deadline has passed (`DeadlineExceeded`); a `Retry-After` longer than the run can
wait fails at once, and later calls fail without a request until it has passed; a body is read
in chunks up to its size cap (`max_body_bytes`, or the caller's cap for attachments) and reading
stops there (`ResponseTooLarge`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from typing import Any

import requests

from s11sync import __version__, redact
from s11sync.errors import (
    AthleteNotFound,
    AuthRefused,
    BadResponse,
    ConfigError,
    DeadlineExceeded,
    EndpointNotFound,
    IntervalsError,
    RateLimited,
    ResponseTooLarge,
    Unavailable,
)
from s11sync.intervals.credentials import check_api_key, normalize_athlete_id
from s11sync.intervals.retry import RETRYABLE_STATUS, RateLimiter, RetryPolicy, parse_retry_after
from s11sync.intervals.wire import (
    _URL_ERRORS,
    _DeadlineInBody,
    _is_dropped,
    _is_timeout,
    _NotJson,
    _path_template,
    _safe_params,
    _snippet,
    _TooLarge,
    _TruncatedBody,
)

log = logging.getLogger("s11sync.http")


# The largest JSON body s11sync reads (the biggest real ones, all streams of a long activity or a
# year of history, are a few MB); anything larger is a misbehaving server or proxy.
MAX_BODY_BYTES = 64 * 1024 * 1024
_CHUNK_BYTES = 8192  # small enough that a body cut off mid-transfer keeps its first bytes
DEFAULT_API_BASE_HINT = "https://intervals.icu/api/v1"


class Transport:
    """The HTTP half of `IntervalsClient`: sending, retrying, limiting and translating errors.
    Thread-safe; the endpoint methods live in s11sync/intervals/client.py."""

    def __init__(
        self,
        base_url: str,
        athlete_id: str,
        api_key: str,
        *,
        timeout_s: float = 30.0,
        policy: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        workers: int = 4,
        session: requests.Session | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
    ):
        self.base_url = base_url.rstrip("/")
        self.athlete_id = normalize_athlete_id(athlete_id)
        self._given_athlete_id = self.athlete_id
        self.timeout_s = timeout_s
        self.policy = policy or RetryPolicy()
        self.limiter = limiter or RateLimiter(10.0)
        self.workers = workers
        self.session = session or requests.Session()
        key = check_api_key(api_key)
        redact.register_api_key(key)  # never in a message, a log line or a quoted body
        self.session.auth = ("API_KEY", key)
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": f"s11sync/{__version__}"}
        )
        self.request_counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._own_athlete: dict | None = None
        self.max_body_bytes = max_body_bytes
        self._blocked_until: float | None = None  # policy clock: a long Retry-After was given
        self._blocked_message = ""
        self._blocked_status = 429
        self.deadline_misses = 0  # calls the run's deadline cut short or refused

    # ---- transport -------------------------------------------------------------------------

    @property
    def requests_made(self) -> int:
        return sum(self.request_counts.values())

    def get_json(
        self, path: str, params: dict[str, Any] | None = None, *, timeout_s: float | None = None
    ) -> Any:
        """GET base_url + path → parsed JSON, with retries. Raises an IntervalsError subclass."""
        response, body = self._send(path, params, timeout_s)
        return self._parse(response, body, path)

    def get_bytes(
        self, url: str, *, timeout_s: float | None = None, max_bytes: int | None = None
    ) -> bytes:
        """GET an absolute URL (attachment download, no auth header) with the same policy.
        Reading stops at `max_bytes` (default: the client's cap) with ResponseTooLarge."""
        _response, body = self._send(url, None, timeout_s, absolute=True, max_bytes=max_bytes)
        return body

    def _get_once(
        self,
        url: str,
        params: dict[str, Any] | None,
        timeout: float,
        absolute: bool,
        max_bytes: int,
    ) -> tuple[requests.Response, bytes]:
        """One GET, body read in chunks so a body cut off mid-transfer keeps its first bytes, a body
        over `max_bytes` is never held whole, and a trickling body stops at the deadline."""
        getter = requests.get if absolute else self.session.get
        response = getter(url, params=params, timeout=timeout, stream=True)
        body = bytearray()
        try:
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > max_bytes:
                raise _TooLarge(0, int(announced))
            for chunk in response.iter_content(chunk_size=_CHUNK_BYTES):
                body += chunk
                if len(body) > max_bytes:
                    raise _TooLarge(len(body), None)
                if self.policy.expired():
                    raise _DeadlineInBody(len(body))
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            raise _TruncatedBody(bytes(body)) from exc
        finally:
            response.close()
        return response, bytes(body)

    def _check_may_send(self, endpoint: str, attempts: int = 0, last: str = "") -> None:
        """No request after the deadline, nor while the service has asked us to wait."""
        if self._blocked_until is not None and self.policy.clock() < self._blocked_until:
            if self._blocked_status != 429:
                raise Unavailable(
                    self._blocked_message, status=self._blocked_status, endpoint=endpoint
                )
            raise RateLimited(
                self._blocked_message,
                status=429,
                endpoint=endpoint,
                retry_after=self._blocked_until - self.policy.clock(),
            )
        if self.policy.expired():
            raise self._deadline(endpoint, attempts, last)

    def _deadline(self, endpoint: str, attempts: int = 0, last: str = "") -> DeadlineExceeded:
        """The error for a call the deadline cut short or refused; counted in `deadline_misses`."""
        with self._lock:
            self.deadline_misses += 1
        tried = f" ({attempts} attempt(s); the last one {last})" if attempts and last else ""
        return DeadlineExceeded(
            f"the run's deadline of {self.policy.deadline_s:g} s passed before Intervals.icu answered "
            f"{endpoint}{tried}. Intervals.icu (or the network) is slow or not answering: try again "
            "later. If runs are often this slow, raise --deadline / S11SYNC_DEADLINE, keeping it "
            "below the job's timeout.",
            endpoint=endpoint,
        )

    def _send(
        self,
        path: str,
        params: dict[str, Any] | None,
        timeout_s: float | None,
        absolute: bool = False,
        max_bytes: int | None = None,
    ) -> tuple[requests.Response, bytes]:
        endpoint = path.split("?", 1)[0] if absolute else _path_template(path)
        url = path if absolute else self.base_url + path
        own_timeout = timeout_s or self.timeout_s
        cap = self.max_body_bytes if max_bytes is None else max_bytes
        self.policy.start()
        attempt = 0
        last = ""  # what went wrong with the previous attempt, for a deadline message
        while True:
            attempt += 1
            self._check_may_send(endpoint, attempt - 1, last)
            self.limiter.acquire()
            started = time.monotonic()
            with self._lock:
                self.request_counts[endpoint] += 1
            try:
                response, body = self._get_once(
                    url, params, self.policy.timeout_for(own_timeout), absolute, cap
                )
            except _TooLarge as big:
                detail = (
                    f"it announced {big.announced} bytes; nothing was read"
                    if big.announced
                    else f"reading stopped at {big.read} bytes"
                )
                raise ResponseTooLarge(
                    f"Intervals.icu {endpoint} sent a body larger than the {cap} bytes s11sync reads "
                    f"at most ({detail}). Check INTERVALS_API_BASE "
                    f"({self.base_url}) and any proxy in between; if it persists, report it.",
                    endpoint=endpoint,
                    bytes_read=big.read,
                ) from None
            except _DeadlineInBody:
                raise self._deadline(endpoint) from None
            except _TruncatedBody as cut:
                delay = self.policy.delay_for(attempt, None)
                log.debug(
                    "GET %s %s → body cut off after %d bytes in %.2fs",
                    endpoint,
                    _safe_params(params),
                    len(cut.partial),
                    time.monotonic() - started,
                )
                if self.policy.should_retry(attempt, delay):
                    last = f"sent a truncated body after {len(cut.partial)} bytes"
                    self.policy.wait(delay)
                    continue
                raise BadResponse(
                    f"Intervals.icu sent a truncated body from {endpoint} after {attempt} attempt(s) "
                    f"(the connection closed after {len(cut.partial)} bytes; first bytes: "
                    f"{_snippet(cut.partial)}). Try again; if it persists, the service or a proxy in "
                    "between is misbehaving.",
                    endpoint=endpoint,
                ) from cut.__cause__
            except (requests.ConnectionError, requests.Timeout) as exc:
                if self.policy.expired():
                    raise self._deadline(endpoint) from exc
                kind = (
                    "timed out"
                    if _is_timeout(exc)
                    else "dropped the connection"
                    if _is_dropped(exc)
                    else "could not connect"
                )
                delay = self.policy.delay_for(attempt, None)
                log.debug(
                    "GET %s %s → %s after %.2fs",
                    endpoint,
                    _safe_params(params),
                    kind,
                    time.monotonic() - started,
                )
                if self.policy.should_retry(attempt, delay):
                    last = kind
                    self.policy.wait(delay)
                    continue
                raise Unavailable(
                    f"Intervals.icu {kind} on {endpoint} after {attempt} attempt(s). Check the network "
                    f"and INTERVALS_API_BASE ({self.base_url}); the service may be down — try again later.",
                    endpoint=endpoint,
                ) from exc
            except _URL_ERRORS as exc:
                if absolute:
                    raise BadResponse(
                        f"Intervals.icu gave a download link s11sync cannot fetch "
                        f"({type(exc).__name__}): {endpoint!r}.",
                        endpoint=endpoint,
                    ) from exc
                raise ConfigError(
                    f"INTERVALS_API_BASE {self.base_url!r} is not a usable URL "
                    f"({type(exc).__name__}); it should look like https://intervals.icu/api/v1."
                ) from exc
            except requests.RequestException as exc:  # redirect loops, invalid headers, …
                raise Unavailable(
                    f"the request to Intervals.icu {endpoint} failed ({type(exc).__name__}) after "
                    f"{attempt} attempt(s). Check INTERVALS_API_BASE ({self.base_url}) and any proxy "
                    "in between; try again later.",
                    endpoint=endpoint,
                ) from exc
            log.debug(
                "GET %s %s → %s in %.2fs",
                endpoint,
                _safe_params(params),
                response.status_code,
                time.monotonic() - started,
            )
            if response.status_code < 400:
                return response, body
            if response.status_code in RETRYABLE_STATUS:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and self.policy.wait_too_long(retry_after):
                    self._give_up_waiting(response.status_code, endpoint, retry_after)
                delay = self.policy.delay_for(attempt, retry_after)
                if self.policy.should_retry(attempt, delay):
                    last = f"answered {response.status_code}"
                    self.policy.wait(delay)
                    continue
            self._raise_for(response, body, endpoint, attempt)

    def _give_up_waiting(self, status: int, endpoint: str, retry_after: float) -> None:
        """The service asks for a wait the run cannot afford: fail now, say when to try again,
        and make later calls of this run fail without a request until then."""
        when = self.policy.retry_at(retry_after).strftime("%Y-%m-%d %H:%M UTC")
        limit = min(self.policy.max_retry_after_s, max(0.0, self.policy.remaining_s()))
        what = "is rate-limiting this key (429)" if status == 429 else f"is unavailable ({status})"
        message = (
            f"Intervals.icu {what} on {endpoint} and asks to wait {retry_after:.0f} s, longer than "
            f"this run can wait ({limit:.0f} s). Stopped at once instead of waiting; run again "
            f"after {when}."
        )
        with self._lock:
            self._blocked_until = self.policy.clock() + retry_after
            self._blocked_message = message
            self._blocked_status = status
        if status == 429:
            raise RateLimited(message, retry_after=retry_after, status=status, endpoint=endpoint)
        raise Unavailable(message, status=status, endpoint=endpoint)

    def _raise_for(
        self, response: requests.Response, body: bytes, endpoint: str, attempts: int
    ) -> None:
        """The one translation boundary: HTTP status → s11sync error class."""
        status = response.status_code
        if status == 401:
            raise AuthRefused(
                "Intervals.icu refused the API key (401). Use the key from Intervals.icu → Settings → "
                "Developer Settings; auth is HTTP Basic with user API_KEY and the key as password, "
                "not Bearer. Set it as INTERVALS_KEY.",
                status=status,
                endpoint=endpoint,
            )
        if status == 403:
            raise AuthRefused(self._explain_403(endpoint), status=status, endpoint=endpoint)
        if status == 404:
            if endpoint == "/athlete/{id}":
                raise AthleteNotFound(
                    f"athlete id not found: Intervals.icu has no athlete {self.athlete_id!r} (404). "
                    "It looks like i123456 (Intervals.icu → Settings, bottom of the page); 0 means "
                    "the key's own athlete. Fix ATHLETE_ID." + self._api_base_hint(),
                    status=status,
                    endpoint=endpoint,
                )
            raise EndpointNotFound(
                f"Intervals.icu has no endpoint {endpoint} (404). If INTERVALS_API_BASE is set, check it "
                f"({self.base_url}); it should end in /api/v1.",
                status=status,
                endpoint=endpoint,
            )
        if status == 429:
            raise RateLimited(
                f"Intervals.icu kept answering 429 Too Many Requests on {endpoint} after {attempts} "
                "attempt(s). Another tool may be using the same key heavily; run again later.",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                status=status,
                endpoint=endpoint,
            )
        if status >= 500:
            raise Unavailable(
                f"Intervals.icu answered {status} on {endpoint} after {attempts} attempt(s); the service "
                "is having trouble. Nothing was written; the next scheduled run will try again.",
                status=status,
                endpoint=endpoint,
            )
        raise IntervalsError(
            f"Intervals.icu answered {status} on {endpoint}: {_snippet(body)}",
            status=status,
            endpoint=endpoint,
        )

    def _api_base_hint(self) -> str:
        """A base URL without /api/v1 makes every path 404, the athlete's first."""
        if self.base_url.endswith("/api/v1"):
            return ""
        return (
            f" Check INTERVALS_API_BASE too: {self.base_url} does not end in /api/v1 "
            "(the default is https://intervals.icu/api/v1)."
        )

    def _explain_403(self, endpoint: str) -> str:
        """403 is ambiguous: ask /athlete/0 (the key's own athlete) once to tell which case it is."""
        own = self._own_athlete_or_none()
        if own is None:
            return (
                "Intervals.icu refused the API key (403). Use the key from Intervals.icu → Settings → "
                "Developer Settings; auth is HTTP Basic with user API_KEY and the key as password, not "
                "Bearer."
            )
        own_id = str(own.get("id"))
        if own_id in (self.athlete_id, self._given_athlete_id) or self._given_athlete_id == "0":
            return (
                f"Intervals.icu refused {endpoint} (403) although the key belongs to athlete {own_id}, "
                "the athlete being read. The key may lack access to this data: check the key and the "
                "account in Intervals.icu → Settings → Developer Settings, or create a new key."
            )
        return (
            f"this key belongs to athlete {own_id}, but ATHLETE_ID is {self._given_athlete_id} (403: the "
            f"key may not read that athlete). Set ATHLETE_ID to {own_id} (or 0), or use the key of "
            f"athlete {self._given_athlete_id}."
        )

    def _own_athlete_or_none(self) -> dict | None:
        if self._own_athlete is not None:
            return self._own_athlete
        status, data = self._probe_own_athlete()
        if status != 200:
            return None
        if isinstance(data, dict) and data.get("id"):
            self._own_athlete = data
            return data
        return None

    def _probe_own_athlete(self) -> tuple[int | None, Any]:
        """One GET /athlete/0 (the key's own athlete) without retries, within the deadline and the
        body cap: (status, parsed JSON or None); (None, None) when it could not be asked."""
        if self.policy.expired():
            return None, None
        with self._lock:
            self.request_counts["/athlete/{id}"] += 1
        try:
            response, body = self._get_once(
                self.base_url + "/athlete/0",
                None,
                self.policy.timeout_for(self.timeout_s),
                False,
                self.max_body_bytes,
            )
        except (requests.RequestException, _TooLarge, _DeadlineInBody, _TruncatedBody):
            return None, None
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        return response.status_code, data

    def _wrong_base(self, what: str) -> ConfigError:
        return ConfigError(
            f"INTERVALS_API_BASE looks wrong: {self.base_url} {what}. It should be the Intervals.icu "
            f"API base ending in /api/v1 (the default is {DEFAULT_API_BASE_HINT}); fix "
            "INTERVALS_API_BASE / --api-base, or unset it to use the default."
        )

    def _check_base_on_404(self) -> None:
        """A 404 on the athlete: is the athlete id wrong, or the base URL? /athlete/0 (the key's
        own athlete) exists under every working base, so a 404 (or no JSON object) there too
        means the base URL is the culprit."""
        status, data = self._probe_own_athlete()
        if status == 404:
            raise self._wrong_base(
                "answered 404 for the athlete id and for /athlete/0 (the key's own "
                "athlete, which always exists), so it is not the API base"
            )
        if status == 200:
            if not isinstance(data, dict) or not data.get("id"):
                raise self._wrong_base(
                    "does not answer like the Intervals.icu API (/athlete/0 gave no athlete)"
                )
            self._own_athlete = data

    @staticmethod
    def _parse(response: requests.Response, body: bytes, path: str) -> Any:
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _NotJson(
                f"Intervals.icu sent a body that is not valid JSON from {_path_template(path)} "
                f"(truncated or not JSON; first bytes: {_snippet(body)}). Try again; if it "
                "persists, the service or a proxy in between is misbehaving.",
                status=response.status_code,
                endpoint=_path_template(path),
                first_bytes=_snippet(body),
            ) from exc
