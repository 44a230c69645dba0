"""A fault-injecting loopback proxy in front of the Intervals.icu emulator.

    with FaultProxy(emulator.root) as proxy:
        proxy.add(r"/power-curves$", status=429, retry_after="3600")
        proxy.add(r"/wellness$", hang=True)
        ... run s11sync with --api-base proxy.base_url ...
        proxy.hits["/power-curves$"]      # requests the fault answered

Every GET is forwarded to the upstream emulator unless a fault's pattern (a regex searched in the
request path without the query; `query`, when given, is searched in the query string) matches. A fault can answer a `status` (with `Retry-After` and a
`body` when given; `status=200` with a `body` replaces a good answer), `hang` (no answer until the
proxy stops), `truncate` (the upstream answer with its full Content-Length but half its body, then
close), send a `huge` body (`huge_bytes` bytes, or endless with 0, until the client hangs up;
`bytes_sent` counts what went out), or `reset` the connection (TCP RST, nothing answered).
`times` limits how often a fault fires. Upstream URLs in forwarded bodies (attachment links) are
rewritten to the proxy, so downloads go through it too.
"""

from __future__ import annotations

import collections
import http.client
import re
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_CHUNK = b'{"id":"x","pad":"' + b"." * 4000 + b'"},'  # looks like the inside of a JSON list


@dataclass
class Fault:
    pattern: re.Pattern[str]
    status: int | None = None
    retry_after: str | None = None
    body: bytes | None = None
    hang: bool = False
    truncate: bool = False
    huge: bool = False
    huge_bytes: int = 0
    reset: bool = False
    times: int = 10**9
    query: re.Pattern[str] | None = None  # also searched in the query string when given


class FaultProxy:
    """Threaded loopback proxy; a context manager. `hits` counts fault firings per pattern,
    `forwarded` the requests passed through per path, `bytes_sent` the bytes of huge bodies."""

    def __init__(self, upstream_root: str, host: str = "127.0.0.1"):
        parts = urlsplit(upstream_root)
        self.upstream_root = upstream_root.rstrip("/")
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.host = host
        self.hits: collections.Counter[str] = collections.Counter()
        self.forwarded: collections.Counter[str] = collections.Counter()
        self.bytes_sent = 0
        self.huge_finished = threading.Event()  # a huge body's sender stopped (client hung up)
        self.stopping = threading.Event()
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.root = ""
        self.base_url = ""

    # ---- lifecycle
    def start(self) -> FaultProxy:
        handler = type("Handler", (_Handler,), {"proxy": self})
        self._httpd = ThreadingHTTPServer((self.host, 0), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.root = f"http://{self.host}:{self._httpd.server_address[1]}"
        self.base_url = self.root + "/api/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases hanging handlers and endless bodies
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- faults
    def add(self, pattern: str, **kw: Any) -> None:
        if isinstance(kw.get("body"), str):
            kw["body"] = kw["body"].encode()
        if isinstance(kw.get("query"), str):
            kw["query"] = re.compile(kw["query"])
        with self._lock:
            self._faults.append(Fault(re.compile(pattern), **kw))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.hits.clear()
            self.forwarded.clear()
            self.bytes_sent = 0

    def take(self, path: str, query: str = "") -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.query is not None and not fault.query.search(query):
                    continue
                if fault.times > 0 and fault.pattern.search(path):
                    fault.times -= 1
                    self.hits[fault.pattern.pattern] += 1
                    return fault
        return None

    def forward(self, path_and_query: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(*self._upstream, timeout=30)
        try:
            wanted = {
                k: v
                for k, v in headers.items()
                if k.lower() in ("authorization", "accept", "user-agent")
            }
            conn.request("GET", path_and_query, headers=wanted)
            response = conn.getresponse()
            body = response.read()
            kept = {
                k: v
                for k, v in response.getheaders()
                if k.lower() in ("content-type", "retry-after", "www-authenticate")
            }
            body = body.replace(self.upstream_root.encode(), self.root.encode())
            return response.status, kept, body
        finally:
            conn.close()


class _Handler(BaseHTTPRequestHandler):
    proxy: FaultProxy
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:
        return

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:  # the client hung up (timeout, size cap): nothing to report
            self.close_connection = True

    def do_GET(self) -> None:
        proxy = self.proxy
        url = urlsplit(self.path)
        path = url.path
        fault = proxy.take(path, url.query)
        if fault is None or fault.truncate:
            with proxy._lock:
                proxy.forwarded[path] += 1
            status, headers, body = proxy.forward(self.path, self.headers)
            self._send(status, headers, body, truncate=fault is not None)
            return
        if fault.hang:
            proxy.stopping.wait()
            self.close_connection = True
            return
        if fault.reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if fault.huge:
            self._send_huge(fault.huge_bytes)
            return
        status = fault.status or 500
        body = (
            fault.body
            if fault.body is not None
            else (b'{"status":%d,"error":"Injected fault"}' % status)
        )
        headers = {"Content-Type": "application/json;charset=UTF-8"}
        if fault.retry_after is not None:
            headers["Retry-After"] = fault.retry_after
        self._send(status, headers, body)

    def _send(
        self, status: int, headers: dict[str, str], body: bytes, truncate: bool = False
    ) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()

    def _send_huge(self, limit: int) -> None:
        """A 200 JSON body of `limit` bytes (0: endless) with no Content-Length, ended by closing."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = 0
        try:
            self.wfile.write(b"[")
            while (limit == 0 or sent < limit) and not self.proxy.stopping.is_set():
                self.wfile.write(_CHUNK)
                sent += len(_CHUNK)
                with self.proxy._lock:
                    self.proxy.bytes_sent += len(_CHUNK)
        finally:
            self.proxy.huge_finished.set()
