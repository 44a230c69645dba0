"""The loopback-server base of both demo emulators: lifecycle, 127.0.0.1 only, counting, latency."""

from __future__ import annotations

import socket
from datetime import date
from types import SimpleNamespace

import pytest
import requests

from s11sync.demo import loopback
from s11sync.demo.github.server import GitHubEmulator
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.demo.loopback import LOOPBACK_HOST, LoopbackHandler, LoopbackServer


class _EchoHandler(LoopbackHandler):
    emulator: _Echo

    def do_GET(self) -> None:
        self.emulator.wait_latency()
        self.emulator.count("GET " + self.path)
        if self.path == "/cut":
            self.send_body(200, b"0123456789", "text/plain", truncate=True)
            return
        self.send_json(200, {"path": self.path}, "application/json", {"X-Echo": "yes"})

    def do_POST(self) -> None:
        self.emulator.count("POST")
        self.send_body(201, self.read_body(), "application/octet-stream")


class _Echo(LoopbackServer):
    handler = _EchoHandler
    thread_name = "echo-test"


def _refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((LOOPBACK_HOST, port)) != 0


def test_start_serves_on_a_free_port_and_stop_closes_it():
    server = _Echo().start()
    try:
        assert server.running and server.port != 0
        assert server.root == f"http://127.0.0.1:{server.port}"
        answer = requests.get(server.root + "/a", timeout=5)
        assert answer.status_code == 200 and answer.json() == {"path": "/a"}
        assert answer.headers["X-Echo"] == "yes"
        assert answer.headers["Content-Type"] == "application/json"
    finally:
        server.stop()
    assert not server.running and _refused(server.port)
    server.stop()  # a second stop is harmless


def test_context_manager_starts_and_stops():
    with _Echo() as server:
        assert isinstance(server, _Echo) and server.running
        port = server.port
        assert requests.get(server.root + "/x", timeout=5).status_code == 200
    assert not server.running and _refused(port)


def test_requests_are_counted_by_label_and_reset():
    with _Echo() as server:
        with requests.Session() as http:
            http.get(server.root + "/a", timeout=5)
            http.get(server.root + "/a", timeout=5)
            http.post(server.root + "/b", data=b"body", timeout=5)
        assert server.request_counts == {"GET /a": 2, "POST": 1}
        assert server.total_requests() == 3
        server.reset_counts()
        assert server.total_requests() == 0 and not server.request_counts


def test_the_request_body_is_read_by_content_length():
    with _Echo() as server:
        answer = requests.post(server.root + "/b", data=b"\x00payload\xff", timeout=5)
    assert answer.status_code == 201 and answer.content == b"\x00payload\xff"


def test_a_truncated_answer_is_cut_short():
    with _Echo() as server:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(server.root + "/cut", timeout=5)
        assert server.request_counts["GET /cut"] == 1


def test_latency_is_slept_once_per_request(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(loopback, "time", SimpleNamespace(sleep=slept.append))
    with _Echo(latency_s=0.25) as server:
        with requests.Session() as http:
            for _ in range(3):
                http.get(server.root + "/slow", timeout=5)
    assert slept == [0.25, 0.25, 0.25]


def test_no_latency_means_no_sleep(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(loopback, "time", SimpleNamespace(sleep=slept.append))
    with _Echo() as server:
        requests.get(server.root + "/fast", timeout=5)
    assert slept == []


def test_the_socket_is_bound_to_127_0_0_1():
    with _Echo() as server:
        assert server._httpd is not None
        assert server._httpd.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("host", ["0.0.0.0", "", "localhost", "::", "192.168.1.10"])
def test_any_other_host_is_refused(host):
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        _Echo(host=host)


def test_both_emulators_are_loopback_servers(tmp_path):
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        GitHubEmulator(tmp_path, host="0.0.0.0")
    with pytest.raises(ValueError, match="127.0.0.1 only"):
        IntervalsEmulator(today=date(2026, 11, 25), host="0.0.0.0")
    assert issubclass(GitHubEmulator, LoopbackServer)
    assert issubclass(IntervalsEmulator, LoopbackServer)


def test_the_github_emulator_adds_its_latency(monkeypatch, tmp_path):
    slept: list[float] = []
    monkeypatch.setattr(loopback, "time", SimpleNamespace(sleep=slept.append))
    with GitHubEmulator(tmp_path, latency_s=0.5) as emulator:
        requests.get(emulator.api_url + "/repos/nobody/nothing", timeout=5)
        assert emulator.total_requests() == 1
    assert slept == [0.5]


def test_the_emulators_share_only_the_base():
    """Each emulator package imports the base, never the other emulator or the demo runner."""
    from test_layers import import_graph, modules

    graph = import_graph(modules())

    def reaches(prefix: str) -> set[str]:
        return {t for m, ts in graph.items() if m.startswith(prefix) for t in ts}

    intervals = reaches("s11sync.demo.intervals_icu")
    github = reaches("s11sync.demo.github")
    assert "s11sync.demo.loopback" in intervals and "s11sync.demo.loopback" in github
    assert not {t for t in intervals if t.startswith("s11sync.demo.github")}
    assert not {t for t in github if t.startswith("s11sync.demo.intervals_icu")}
    assert "s11sync.demo.run" not in intervals | github
    assert not {t for t in graph["s11sync.demo.loopback"] if t.startswith("s11sync")}


def test_a_client_hanging_up_is_not_reported_but_a_handler_bug_is(capsys):
    from s11sync.demo.loopback import _Server

    server = _Server.__new__(_Server)  # only handle_error is exercised: no socket needed
    try:
        raise BrokenPipeError("client went away")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
    try:
        raise KeyError("bug in a handler")
    except KeyError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert "KeyError" in capsys.readouterr().err
