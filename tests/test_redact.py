"""No credential in any message or log.

A loopback server that echoes the request headers into its error bodies — as proxies and error
pages do — sits in front of the Intervals.icu emulator (and stands in for GitHub): neither the key,
nor its Basic-auth Base64 form, nor a GitHub token may appear in stdout, stderr or the written
files, also with --debug and S11SYNC_PUBLIC_LOG=1. Unit tests pin the redaction rules themselves.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from s11sync import redact
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.errors import BadResponse, IntervalsError
from s11sync.intervals.client import IntervalsClient
from s11sync.intervals.retry import RateLimiter, RetryPolicy

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)
# chosen so that its Basic-auth Base64 form holds both '+' and '/' (the JSON-escaping case)
KEY = "s3cr3t~Key???>_0123456789abcdefXY"
BASIC = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
GH_TOKEN = "plain-data-repo-secret-7f3a9c"  # no ghp_ prefix: only the registry can mask it
CREDENTIALS = (
    KEY,
    BASIC,
    BASIC.rstrip("="),
    base64.urlsafe_b64encode(f"API_KEY:{KEY}".encode()).decode(),
    GH_TOKEN,
    base64.b64encode(f"x-access-token:{GH_TOKEN}".encode()).decode(),
)


def test_the_chosen_key_exercises_the_escaped_base64_alphabet():
    assert "+" in BASIC and "/" in BASIC


@pytest.fixture(autouse=True)
def _isolated_registry() -> Iterator[None]:
    with redact.scope():
        yield


def leaks(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Every credential (or a 12-character piece of one) found in `text`."""
    found = [c for c in (*CREDENTIALS, *extra) if c and c in text]
    for secret in (KEY, BASIC, GH_TOKEN, *extra):
        for i in range(0, len(secret) - 11):
            if secret[i : i + 12] in text:
                found.append(f"piece of {secret[:4]}…: {secret[i : i + 12]}")
                break
    return found


# ---- the rules ------------------------------------------------------------------------------


def test_a_registered_key_is_masked_in_every_form_it_travels_in():
    redact.register_api_key(KEY)
    escaped = json.dumps(BASIC).replace("/", "\\/")
    text = (
        f"key={KEY} basic={BASIC} nopad={BASIC.rstrip('=')} json={escaped} urlsafe={CREDENTIALS[3]}"
    )
    out = redact.redact(text)
    assert leaks(out) == [], out
    assert out.count(redact.MASK) == 5


def test_github_tokens_and_echoed_authorization_headers_are_masked_without_registration():
    text = (
        "token ghp_" + "A1" * 12 + " and github_pat_" + "x9" * 15 + "\n"
        "Authorization: Basic QVBJX0tFWTp1bmtub3du\n"
        '{"authorization": "token secret123secret"}'
    )
    out = redact.redact(text)
    assert "ghp_" not in out and "github_pat_" not in out
    assert "QVBJX0tFWTp1bmtub3du" not in out and "secret123secret" not in out


def test_prose_is_left_alone_and_short_placeholders_are_not_registered():
    redact.register_api_key("k")  # a test placeholder: masking it would garble every message
    message = (
        "Intervals.icu refused the API key (401). Use HTTP Basic auth with user API_KEY, not "
        "Bearer. The token may not write; DATA_REPO_TOKEN needs Contents: Read and write."
    )
    assert redact.redact(message) == message


def test_a_body_quote_is_redacted_before_it_is_cut_so_no_piece_of_the_credential_survives():
    redact.register_api_key(KEY)
    for offset in range(0, 90, 3):
        body = ("x" * offset + f"Authorization: Basic {BASIC}\r\nUser-Agent: s11sync").encode()
        quote = redact.snippet(body, 80)
        assert leaks(quote) == [], (offset, quote)


def test_an_unregistered_basic_credential_cut_by_the_quote_leaves_no_piece_either():
    unknown = base64.b64encode(b"API_KEY:some-other-key-0000000000").decode()
    for offset in range(40, 80, 2):
        quote = redact.snippet(("y" * offset + f"; Basic {unknown}").encode(), 80)
        assert leaks(quote, (unknown,)) == [], (offset, quote)


def test_public_log_removes_urls_ids_and_body_quotes_but_keeps_the_advice():
    redact.register_personal("i4242424")
    message = (
        "athlete id not found: Intervals.icu has no athlete 'i4242424' (404). Check "
        "INTERVALS_API_BASE (http://127.0.0.1:8080/api/v1); activity i99999 too."
    )
    assert redact.redact(message) == message  # private log: unchanged
    redact.public_log(True)
    out = redact.redact(message)
    assert "i4242424" not in out and "127.0.0.1" not in out and "i99999" not in out
    assert "Check INTERVALS_API_BASE" in out
    assert "withheld" in redact.snippet(b"<html>hello athlete</html>")
    assert "athlete" not in redact.snippet(b"<html>hello athlete</html>")


def test_the_log_filter_masks_arguments_and_exception_text():
    redact.register_api_key(KEY)
    stream_records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream_records.append(self.format(record))

    logger = logging.getLogger("s11sync.test-redact")
    handler = Collect()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        redact.install_log_filter(logger)
        logger.warning("header %s", f"Authorization: Basic {BASIC}")
        try:
            raise ValueError(f"echo {KEY}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(stream_records)
    assert "header" in text and "ValueError" in text
    assert leaks(text) == [], text


def test_every_s11sync_exception_is_redacted_when_it_is_created():
    redact.register_token(GH_TOKEN)
    assert GH_TOKEN not in str(IntervalsError(f"echo: token {GH_TOKEN}"))


# ---- an echoing server ----------------------------------------------------------------------


class EchoProxy:
    """Forwards to `upstream`; paths matching a fault answer with the request headers echoed.

    faults: regex on the path → (status, kind); kind "text" (plain header lines), "json" (a JSON
    object with the headers, '/' escaped as '\\/'), "html" (a 200 page that is not JSON), "github"
    (a GitHub-style {"message": …} error).
    """

    def __init__(self, upstream: str | None = None):
        self.upstream = upstream
        self.faults: dict[str, tuple[int, str]] = {}
        self.echoed = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self) -> None:
                for pattern, (status, kind) in proxy.faults.items():
                    if re.search(pattern, self.path):
                        proxy.echoed += 1
                        return self._echo(status, kind)
                if proxy.upstream is None:
                    return self._echo(500, "text")
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("authorization", "accept")
                }
                upstream = requests.get(proxy.upstream + self.path, headers=headers, timeout=30)
                self._send(
                    upstream.status_code,
                    upstream.content,
                    upstream.headers.get("Content-Type", "application/json"),
                )

            def _echo(self, status: int, kind: str) -> None:
                headers = dict(self.headers.items())
                lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                auth = headers.get("Authorization", "")
                decoded = ""
                if auth.startswith("Basic "):
                    decoded = base64.b64decode(auth[6:]).decode()
                if kind == "json":
                    body = json.dumps({"error": "bad request", "headers": headers, "user": decoded})
                    body = body.replace("/", "\\/")
                elif kind == "html":
                    body = f"<html><pre>{auth[:30]}{lines}{decoded}</pre></html>"
                elif kind == "github":
                    body = json.dumps({"message": f"Bad credentials; you sent {lines}"})
                else:
                    body = f"{auth} {lines} {decoded}"
                if kind == "truncated":  # announce more than is sent, then close the connection
                    body += "." * 10000  # more than one read, so the first bytes reach the client
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body) + 500))
                    self.end_headers()
                    self.wfile.write(body.encode())
                    self.close_connection = True
                    return
                self._send(
                    status,
                    body.encode(),
                    "application/json" if kind in ("json", "github") else "text/plain",
                    extra={"Retry-After": "0"} if status in (429, 500, 502, 503) else None,
                )

            def _send(
                self, status: int, body: bytes, ctype: str, extra: dict | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            do_GET = _answer
            do_POST = _answer
            do_PATCH = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> EchoProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture(scope="module")
def api() -> Iterator[IntervalsEmulator]:
    emulator = IntervalsEmulator(today=TODAY)
    emulator.use_api_key(KEY)
    with emulator:
        yield emulator


@pytest.fixture()
def proxy(api: IntervalsEmulator) -> Iterator[EchoProxy]:
    with EchoProxy(api.root) as server:
        yield server


def run_cli(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "S11SYNC_TODAY": TODAY.isoformat(),
    }
    return subprocess.run(
        [sys.executable, "-m", "s11sync", *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        cwd=tmp_path,
        timeout=300,
    )


def everything(result: subprocess.CompletedProcess, *folders: Path) -> str:
    texts = [result.stdout, result.stderr]
    for folder in folders:
        if folder.exists():
            texts += [
                p.read_text(errors="replace") for p in sorted(folder.rglob("*")) if p.is_file()
            ]
    return "\n".join(texts)


MODES = [
    pytest.param([], {}, id="plain"),
    pytest.param(["--debug"], {}, id="debug"),
    pytest.param(["--debug"], {"S11SYNC_PUBLIC_LOG": "1"}, id="debug-public-log"),
]


@pytest.mark.parametrize(("flags", "extra_env"), MODES)
def test_optional_calls_failing_with_echoed_headers_leak_nothing_into_output_or_files(
    api, proxy, tmp_path, flags, extra_env
):
    proxy.faults = {
        r"-curves": (400, "json"),
        r"/wellness/\d{4}-": (200, "html"),
        r"/messages": (500, "text"),
        r"/streams": (403, "text"),
    }
    out = tmp_path / "out"
    summary = tmp_path / "summary.md"
    result = run_cli(
        ["sync", "--output", str(out), *flags],
        {
            "ATHLETE_ID": api.athlete_id,
            "INTERVALS_KEY": KEY,
            "INTERVALS_API_BASE": proxy.url + "/api/v1",
            "GITHUB_STEP_SUMMARY": str(summary),
            **extra_env,
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert proxy.echoed > 0, "the echoing faults were never hit"
    assert sorted(p.name for p in out.glob("*.json")) == sorted(
        ["latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"]
    )
    assert leaks(everything(result, out, summary.parent)) == []


ERRORS = [
    pytest.param(400, "text", "answered 400", id="400-echo"),
    pytest.param(422, "json", "answered 422", id="422-json-echo"),
    pytest.param(200, "html", "not valid JSON", id="200-html-echo"),
    pytest.param(503, "text", "answered 503", id="503-echo"),
]


@pytest.mark.parametrize(("status", "kind", "said"), ERRORS)
@pytest.mark.parametrize(("flags", "extra_env"), MODES)
def test_a_required_call_failing_with_echoed_headers_names_the_failure_without_the_key(
    api, proxy, tmp_path, status, kind, said, flags, extra_env
):
    proxy.faults = {r"/activities": (status, kind)}
    out = tmp_path / "out"
    result = run_cli(
        ["sync", "--output", str(out), *flags],
        {
            "ATHLETE_ID": api.athlete_id,
            "INTERVALS_KEY": KEY,
            "INTERVALS_API_BASE": proxy.url + "/api/v1",
            **extra_env,
        },
        tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert said in result.stderr
    assert leaks(everything(result, out)) == []
    if extra_env:
        assert "127.0.0.1" not in result.stdout + result.stderr  # no echoed URL on a public log


@pytest.mark.parametrize(("flags", "extra_env"), MODES)
def test_the_publisher_against_an_echoing_github_leaks_no_token(api, tmp_path, flags, extra_env):
    with EchoProxy() as github:
        github.faults = {r"": (401, "github")}
        result = run_cli(
            ["sync", "--publish", "github", "--output", str(tmp_path / "out"), *flags],
            {
                "ATHLETE_ID": api.athlete_id,
                "INTERVALS_KEY": KEY,
                "INTERVALS_API_BASE": api.base_url,
                "GITHUB_API_URL": github.url,
                "DATA_REPO": "athlete/training-data",
                "DATA_REPO_TOKEN": GH_TOKEN,
                **extra_env,
            },
            tmp_path,
        )
        assert github.echoed > 0
    assert result.returncode == 1
    assert "GitHub refused the token" in result.stderr
    assert leaks(everything(result, tmp_path / "out")) == []


def test_a_body_cut_off_mid_transfer_is_quoted_without_any_piece_of_the_credential():
    with EchoProxy() as server:
        server.faults = {r"/athlete/": (200, "truncated")}
        client = IntervalsClient(
            server.url + "/api/v1",
            "i1",
            KEY,
            policy=RetryPolicy(max_attempts=1),
            limiter=RateLimiter(0),
        )
        with pytest.raises(BadResponse) as caught:
            client.athlete()
    assert "truncated body" in str(caught.value) and "first bytes: ''" not in str(caught.value)
    assert leaks(str(caught.value)) == []


# ---- nothing personal on a public log ---------------------------------------------------------


def test_doctor_on_a_public_log_names_no_athlete_id_or_time_zone(api, tmp_path):
    env = {"ATHLETE_ID": api.athlete_id, "INTERVALS_KEY": KEY, "INTERVALS_API_BASE": api.base_url}
    timezone = api.data.athlete["timezone"]
    private = run_cli(["doctor"], env, tmp_path)
    assert private.returncode == 0, private.stdout + private.stderr
    assert api.athlete_id in private.stdout and timezone in private.stdout  # the check can fail
    public = run_cli(["doctor"], {**env, "S11SYNC_PUBLIC_LOG": "true"}, tmp_path)
    assert public.returncode == 0
    assert "accepted the key" in public.stdout
    assert api.athlete_id not in public.stdout + public.stderr
    assert timezone not in public.stdout + public.stderr


def test_a_wrong_athlete_id_is_not_echoed_on_a_public_log(api, tmp_path):
    env = {"ATHLETE_ID": "i7654321", "INTERVALS_KEY": KEY, "INTERVALS_API_BASE": api.base_url}
    private = run_cli(["sync", "--output", str(tmp_path / "o")], env, tmp_path)
    assert private.returncode == 1 and "i7654321" in private.stderr
    public = run_cli(
        ["sync", "--output", str(tmp_path / "o")], {**env, "S11SYNC_PUBLIC_LOG": "1"}, tmp_path
    )
    assert public.returncode == 1 and "athlete id not found" in public.stderr
    assert "i7654321" not in public.stdout + public.stderr


def test_debug_on_a_public_log_shows_no_attachment_download_url(api, tmp_path):
    env = {"ATHLETE_ID": api.athlete_id, "INTERVALS_KEY": KEY, "INTERVALS_API_BASE": api.base_url}
    host = api.root.split("//", 1)[1]
    private = run_cli(["sync", "--output", str(tmp_path / "a"), "--debug"], env, tmp_path)
    assert private.returncode == 0, private.stderr
    assert re.search(rf"GET http://{re.escape(host)}/\S+\.gpx", private.stderr), (
        "no download in the log"
    )
    public = run_cli(
        ["sync", "--output", str(tmp_path / "b"), "--debug"],
        {**env, "S11SYNC_PUBLIC_LOG": "1"},
        tmp_path,
    )
    assert public.returncode == 0, public.stderr
    assert "GET " in public.stderr  # the request log is still there
    assert host not in public.stderr and ".gpx" not in public.stderr
    assert api.athlete_id not in public.stderr


def test_doctor_on_a_public_log_does_not_name_the_data_repo_either(api, tmp_path):
    from s11sync.config import resolve_settings
    from s11sync.demo.github.server import GitHubEmulator
    from s11sync.doctor import run_doctor

    with GitHubEmulator(tmp_path / "gh", token=GH_TOKEN) as gh:
        gh.create_repo("athlete", "training-data-2026", private=True, auto_init=True)
        env = {
            "DATA_REPO": "athlete/training-data-2026",
            "DATA_REPO_TOKEN": GH_TOKEN,
            "GITHUB_API_URL": gh.api_url,
            "ATHLETE_ID": api.athlete_id,
            "INTERVALS_KEY": KEY,
            "INTERVALS_API_BASE": api.base_url,
        }
        for public in (False, True):
            lines: list[str] = []
            settings = resolve_settings(
                {},
                env={**env, "S11SYNC_PUBLIC_LOG": str(public).lower()},
                config_file=tmp_path / "none.json",
            )
            assert run_doctor(settings, out=lines.append) == 0, lines
            text = "\n".join(lines)
            assert ("training-data-2026" in text) is not public, text
            assert (api.athlete_id in text) is not public, text
            assert "reachable, private" in text and leaks(text) == []


def test_a_bug_still_prints_its_traceback_but_without_the_key(monkeypatch, capsys):
    from s11sync import cli

    def broken(_args: object) -> int:
        raise RuntimeError(f"unexpected: Authorization: Basic {BASIC} key={KEY}")

    redact.register_api_key(KEY)
    monkeypatch.setitem(cli.COMMANDS, "schema", broken)
    assert cli.main(["schema"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: unexpected" in err
    assert leaks(err) == []
