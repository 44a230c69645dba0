"""The loopback HTTP server both demo emulators (Intervals.icu and GitHub) are built on.

    class MyEmulator(LoopbackServer):
        handler = MyHandler          # a LoopbackHandler subclass that answers the requests
        thread_name = "my-emulator"

    with MyEmulator(latency_s=0.05) as emu:
        requests.get(emu.root + "/path")

A `LoopbackServer` is a threaded `http.server` on 127.0.0.1 only (the emulators serve test data and
must never be reachable from another machine), started and stopped explicitly or as a context
manager. It counts requests under a label the subclass chooses (a route template), can add a fixed
latency to every request, and its handler class carries the response helpers both emulators share.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

LOOPBACK_HOST = "127.0.0.1"
POLL_INTERVAL_S = 0.05  # how soon `stop()` is noticed by the serving thread

_S = TypeVar("_S", bound="LoopbackServer")


class LoopbackHandler(BaseHTTPRequestHandler):
    """Request handler of a `LoopbackServer`; `emulator` is the server instance it answers for."""

    emulator: LoopbackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read the counts
        return

    def read_body(self) -> bytes:
        """The request body (`Content-Length` bytes; empty without that header)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_body(
        self,
        status: int,
        payload: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
        *,
        truncate: bool = False,
    ) -> None:
        """One response. `truncate` sends half of the payload under the full `Content-Length` and
        closes the connection (a transfer cut short)."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2] if truncate else payload)
        self.wfile.flush()

    def send_json(
        self, status: int, body: Any, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        """`body` as JSON (`json.dumps` defaults: ASCII, default separators)."""
        self.send_body(status, json.dumps(body).encode("utf-8"), ctype, headers)


class _Server(ThreadingHTTPServer):
    """The standard threaded server, quiet when a client hangs up mid-answer (a client that timed
    out, a test reading a cut-short body): that is the client's business, not a server fault. Any
    other error in a handler is still printed."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1; subclasses set `handler` and answer the requests."""

    handler: type[LoopbackHandler] = LoopbackHandler
    thread_name = "loopback-server"

    def __init__(self, *, host: str = LOOPBACK_HOST, port: int = 0, latency_s: float = 0.0):
        if host != LOOPBACK_HOST:
            raise ValueError(f"the demo emulators serve on {LOOPBACK_HOST} only, not on {host!r}")
        self.host, self.port, self.latency_s = host, port, latency_s
        self.request_counts: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        """`http://127.0.0.1:<port>` (the bound port once started)."""
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    # ---- lifecycle
    def start(self: _S) -> _S:
        handler = type(self.handler.__name__, (self.handler,), {"emulator": self})
        self._httpd = _Server((self.host, self.port), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL_S},
            name=self.thread_name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self: _S) -> _S:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- counting and latency
    def count(self, label: str) -> None:
        """Count one request under `label` (called from the handler threads)."""
        with self._lock:
            self.request_counts[label] += 1

    def total_requests(self) -> int:
        with self._lock:
            return sum(self.request_counts.values())

    def reset_counts(self) -> None:
        with self._lock:
            self.request_counts.clear()

    def wait_latency(self) -> None:
        """Sleep the configured per-request latency (a slow network, for timeout tests)."""
        if self.latency_s:
            time.sleep(self.latency_s)
