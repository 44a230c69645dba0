"""Transport settings (per-request timeout, history read timeout, request rate and burst): set like
every other setting (flag > environment > config file > default), validated with a one-line error
and exit 2, and handed to the client the run builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from s11sync.cli import main
from s11sync.config import (
    DEFAULT_BURST,
    DEFAULT_HISTORY_TIMEOUT_S,
    DEFAULT_REQUESTS_PER_SECOND,
    DEFAULT_TIMEOUT_S,
    resolve_settings,
)
from s11sync.errors import ConfigError
from s11sync.pipeline import make_client


def _settings(cli=None, env=None, tmp_path: Path | None = None):
    return resolve_settings(cli or {}, env=env or {}, read_config_file=False)


def test_defaults():
    s = _settings()
    assert (s.timeout_s, s.history_timeout_s) == (DEFAULT_TIMEOUT_S, DEFAULT_HISTORY_TIMEOUT_S)
    assert (s.requests_per_second, s.request_burst) == (DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST)


def test_environment_and_flags_set_them_and_the_flag_wins():
    env = {
        "S11SYNC_TIMEOUT": "12",
        "S11SYNC_HISTORY_TIMEOUT": "300",
        "S11SYNC_RATE": "0",
        "S11SYNC_BURST": "3",
    }
    s = _settings(env=env)
    assert (s.timeout_s, s.history_timeout_s, s.requests_per_second, s.request_burst) == (
        12.0,
        300.0,
        0.0,
        3,
    )
    s = _settings({"timeout_s": "5", "requests_per_second": "2.5", "request_burst": "1"}, env)
    assert (s.timeout_s, s.requests_per_second, s.request_burst) == (5.0, 2.5, 1)


def test_the_config_file_sets_them(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"timeout": 7, "history_timeout": 60, "requests_per_second": 4, "burst": 2}')
    s = resolve_settings({"config": str(cfg)}, env={})
    assert (s.timeout_s, s.history_timeout_s, s.requests_per_second, s.request_burst) == (
        7.0,
        60.0,
        4.0,
        2,
    )


@pytest.mark.parametrize(
    ("cli", "words"),
    [
        ({"timeout_s": "0"}, "--timeout"),
        ({"timeout_s": "soon"}, "--timeout"),
        ({"history_timeout_s": "nan"}, "--history-timeout"),
        ({"requests_per_second": "-1"}, "--rate"),
        ({"requests_per_second": "inf"}, "--rate"),
        ({"request_burst": "0"}, "--burst"),
        ({"request_burst": "2.5"}, "--burst"),
    ],
)
def test_bad_values_are_one_line_config_errors(cli, words):
    with pytest.raises(ConfigError) as caught:
        _settings(cli)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_bad_rate_on_the_command_line_exits_2(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code = main(["sync", "--output", str(tmp_path / "out"), "--rate", "fast"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--rate" in err and not (tmp_path / "out").exists()


def test_the_client_gets_the_settings():
    s = _settings(
        {
            "athlete_id": "i1",
            "intervals_key": "k",
            "timeout_s": "9",
            "requests_per_second": "3",
            "request_burst": "4",
        }
    )
    client = make_client(s)
    assert client.timeout_s == 9.0
    assert (client.limiter.rate, client.limiter.burst) == (3.0, 4)
