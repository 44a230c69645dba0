"""The one place that keeps credentials (and, on public logs, personal details) out of text.

Secrets are registered when they enter the process (`register_settings` when settings are resolved,
`register_api_key` when a client is built); every message, log line, exception text, summary line
and traceback then passes through `redact()` at the few boundaries where text leaves s11sync:

    S11SyncError.__init__   every exception message s11sync raises (errors.py)
    snippet()               the first bytes of a response body, redacted *before* it is cut
    RedactingFilter         every log record (--debug request log included)
    cli.main                the `Error:` printer, --debug tracebacks, progress lines
    report / doctor         stdout summaries and the GitHub Actions job summary

What is redacted, always:
- each registered secret, its Basic-auth Base64 form (`base64("API_KEY:" + key)`, standard and
  URL-safe alphabets, with and without padding), and its JSON-escaped form;
- anything that looks like a GitHub token (ghp_…, ghs_…, github_pat_…), whether registered or not;
- the value of an echoed `Authorization:` header and any `Basic …`/`Bearer …`/`token …` credential.

What is also removed on a public log (`public_log(True)`, set by the CLI from S11SYNC_PUBLIC_LOG):
URLs, athlete/activity ids (`i123456`) and the registered athlete id; response bodies are withheld.

This module imports nothing from s11sync, so any module may use it without an import cycle.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

MASK = "[redacted]"
# Shorter "secrets" are test placeholders at best; masking them would garble every message.
MIN_SECRET_LENGTH = 8

_GITHUB_TOKEN = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})")
_AUTH_HEADER = re.compile(r"(?i)((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)[^\r\n\"',}]+")
# a credential after an auth scheme: with a digit or `+/=`, or long (prose words are short)
_CRED = r"[A-Za-z0-9_+/=.~-]"
_AUTH_SCHEME = re.compile(
    rf"\b(Basic|Bearer|token|basic|bearer)(\s+)(?:(?={_CRED}*[0-9+/=]){_CRED}{{8,}}|{_CRED}{{20,}})"
)
_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s'\"<>)\]}]+")
_ID = re.compile(r"\bi\d{3,}\b")

_lock = threading.Lock()
_secrets: set[str] = set()
_personal: set[str] = set()
_public = False


# ---- the registry ---------------------------------------------------------------------------


def _forms(secret: str, basic_users: Iterable[str]) -> set[str]:
    forms = {secret}
    for user in basic_users:
        raw = f"{user}:{secret}".encode()
        for encoded in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
            forms.update({encoded, encoded.rstrip("=")})
    forms.update({f.replace("/", "\\/") for f in forms})  # as a JSON encoder may escape it
    return forms


def register(secret: str | None, *, basic_users: Iterable[str] = ()) -> None:
    """Redact `secret` (and its Basic-auth Base64 forms for each user name) from now on."""
    value = (secret or "").strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets.update(_forms(value, basic_users))


def register_api_key(key: str | None) -> None:
    """The Intervals.icu key travels as HTTP Basic auth with the user name API_KEY."""
    register(key, basic_users=("API_KEY",))


def register_token(token: str | None) -> None:
    """A GitHub token (sent as `token …`/`Bearer …`; git uses Basic with x-access-token)."""
    register(token, basic_users=("x-access-token",))


def register_personal(value: str | None) -> None:
    """A personal value (the athlete id) removed from text on public logs only."""
    text = (value or "").strip()
    if len(text) >= 2 and text != "0":
        with _lock:
            _personal.add(text)


def register_settings(settings: Any) -> None:
    """Called once settings are resolved: the key, the data-repo token, the athlete id."""
    register_api_key(getattr(settings, "intervals_key", None))
    register_token(getattr(settings, "data_repo_token", None))
    register_personal(getattr(settings, "athlete_id", None))


def public_log(enabled: bool) -> None:
    """Switch the public-log scrubbing (URLs, ids, bodies) on or off for this process."""
    global _public
    _public = bool(enabled)


def is_public() -> bool:
    return _public


@contextmanager
def scope() -> Iterator[None]:
    """Restore the registry and the public switch afterwards (one CLI invocation, one test)."""
    global _public
    with _lock:
        saved = (set(_secrets), set(_personal), _public)
    try:
        yield
    finally:
        with _lock:
            _secrets.clear()
            _secrets.update(saved[0])
            _personal.clear()
            _personal.update(saved[1])
            _public = saved[2]


# ---- applying it ----------------------------------------------------------------------------


def redact(text: object) -> str:
    """`text` with every credential masked (and, on a public log, URLs and ids removed)."""
    out = text if isinstance(text, str) else str(text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
        personal = sorted(_personal, key=len, reverse=True)
        public = _public
    for secret in secrets:
        if secret in out:
            out = out.replace(secret, MASK)
    out = _GITHUB_TOKEN.sub(MASK, out)
    out = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, out)
    out = _AUTH_SCHEME.sub(lambda m: m.group(1) + m.group(2) + MASK, out)
    if public:
        out = _URL.sub("<url>", out)
        for value in personal:
            out = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", "<id>", out)
        out = _ID.sub("<id>", out)
    return out


def snippet(content: bytes, limit: int = 80) -> str:
    """The first bytes of a response body for a message: redacted before it is cut (so no part
    of a credential survives the cut), withheld entirely on a public log."""
    if _public:
        return f"<{len(content)} bytes withheld: public log>"
    text = redact(content[:4096].decode("utf-8", "replace"))
    return repr(text[:limit] + ("…" if len(content) > limit else ""))


class RedactingFilter(logging.Filter):
    """Rewrites each record's message through `redact` (attach to handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template, still redacted
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Attach one RedactingFilter to every handler of `logger` (default: the root logger)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
