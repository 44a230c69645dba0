"""Settings resolution: CLI > environment > config file > defaults, and clear errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from s11sync.config import DEFAULT_API_BASE, Settings, parse_zone_preference, resolve_settings
from s11sync.errors import ConfigError


def resolve(cli=None, env=None, cfg: dict | None = None, tmp_path: Path | None = None) -> Settings:
    path = Path("/nonexistent/.sync_config.json")
    if cfg is not None:
        assert tmp_path is not None
        path = tmp_path / ".sync_config.json"
        path.write_text(json.dumps(cfg))
    return resolve_settings(cli or {}, env=env or {}, config_file=path)


def test_defaults_when_nothing_is_set():
    s = resolve()
    assert (s.days, s.week_start, s.api_base, s.anonymize, s.hemisphere) == (
        7,
        "mon",
        DEFAULT_API_BASE,
        True,
        "north",
    )
    assert s.zone_preference == {}


def test_cli_beats_environment_beats_config_file(tmp_path):
    cfg = {"athlete_id": "i1", "week_start": "tue", "intervals_key": "fromfile"}
    s = resolve({}, {"ATHLETE_ID": "i2", "WEEK_START": "wed"}, cfg, tmp_path)
    assert (s.athlete_id, s.week_start, s.intervals_key) == ("i2", "wed", "fromfile")
    s = resolve({"athlete_id": "i3", "week_start": "sun"}, {"ATHLETE_ID": "i2"}, cfg, tmp_path)
    assert (s.athlete_id, s.week_start) == ("i3", "sun")


def test_empty_environment_variables_count_as_unset(tmp_path):
    # GitHub Actions passes unset secrets as empty strings.
    s = resolve({}, {"ATHLETE_ID": "", "WEEK_START": "  "}, {"athlete_id": "i9"}, tmp_path)
    assert s.athlete_id == "i9" and s.week_start == "mon"


def test_zero_is_a_value_not_missing(tmp_path):
    # The athlete id "0" means "the key's own athlete": it must not fall through to the config file.
    s = resolve({}, {"ATHLETE_ID": "0"}, {"athlete_id": "i5"}, tmp_path)
    assert s.athlete_id == "0"


@pytest.mark.parametrize(
    "env,needle",
    [
        ({"WEEK_START": "monday"}, "WEEK_START must be one of mon, tue"),
        ({"S11SYNC_DAYS": "0"}, "from 1 to 365"),
        ({"S11SYNC_DAYS": "seven"}, "whole number"),
        ({"HEMISPHERE": "east"}, "HEMISPHERE must be one of north, south"),
        ({"S11SYNC_TODAY": "25/11/2026"}, "YYYY-MM-DD"),
        ({"INTERVALS_API_BASE": "intervals.icu"}, "http(s) URL"),
        ({"DATA_REPO": "just-a-name"}, "owner/name"),
        ({"ZONE_PREFERENCE": "running:hr"}, "unknown sport 'running'"),
        ({"ZONE_PREFERENCE": "run:pace"}, "'power' or 'hr'"),
        ({"ZONE_PREFERENCE": "run"}, "sport:basis"),
    ],
)
def test_invalid_values_name_the_setting_and_what_is_allowed(env, needle):
    with pytest.raises(ConfigError) as err:
        resolve({}, env)
    assert needle in str(err.value)
    assert err.value.exit_code == 2


def test_days_flag_out_of_range_is_a_config_error():
    with pytest.raises(ConfigError, match="--days must be from 1 to 365"):
        resolve({"days": 400})


def test_zone_preference_accepts_string_and_object_forms(tmp_path):
    assert parse_zone_preference(" Run:HR , cycling:power ") == {"run": "hr", "cycling": "power"}
    s = resolve({}, {}, {"zone_preference": {"run": "hr"}}, tmp_path)
    assert s.zone_preference == {"run": "hr"}


def test_original_config_file_keys_are_read_and_unknown_keys_ignored(tmp_path):
    cfg = {
        "athlete_id": "i7",
        "intervals_key": "k",
        "github_token": "t",
        "github_repo": "me/data",
        "week_start": "sun",
        "zone_preference": "run:hr",
        "last_manifest_check": "2026-01-01",
    }
    s = resolve({}, {}, cfg, tmp_path)
    assert (s.athlete_id, s.data_repo, s.data_repo_token, s.week_start) == (
        "i7",
        "me/data",
        "t",
        "sun",
    )
    assert s.week_start_index == 6


def test_malformed_config_file_is_a_config_error_naming_the_file(tmp_path):
    path = tmp_path / ".sync_config.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="is not valid JSON"):
        resolve_settings({}, env={}, config_file=path)


def test_data_repo_defaults_to_the_workflow_repository_and_token_to_github_token():
    s = resolve({}, {"GITHUB_REPOSITORY": "me/fork", "GITHUB_TOKEN": "ghs_x"})
    assert (s.data_repo, s.data_repo_token) == ("me/fork", "ghs_x")
    s = resolve(
        {},
        {
            "GITHUB_REPOSITORY": "me/fork",
            "DATA_REPO": "me/private",
            "GITHUB_TOKEN": "g",
            "DATA_REPO_TOKEN": "d",
        },
    )
    assert (s.data_repo, s.data_repo_token) == ("me/private", "d")


def test_today_pins_the_run_date():
    assert resolve({}, {"S11SYNC_TODAY": "2026-03-18"}).today == date(2026, 3, 18)


def test_secrets_are_not_in_the_settings_repr():
    s = resolve({"intervals_key": "supersecretkey"}, {"DATA_REPO_TOKEN": "ghp_secret"})
    assert "supersecretkey" not in repr(s) and "ghp_secret" not in repr(s)


def test_the_run_deadline_is_a_setting_like_every_other(tmp_path):
    assert resolve().deadline_s == 420.0  # inside the workflows' 10-minute job timeout
    assert resolve({}, {}, {"deadline": 300}, tmp_path).deadline_s == 300.0
    assert resolve({}, {"S11SYNC_DEADLINE": "240"}, {"deadline": 300}, tmp_path).deadline_s == 240.0
    assert resolve({"deadline_s": "2.5"}, {"S11SYNC_DEADLINE": "240"}).deadline_s == 2.5


@pytest.mark.parametrize(
    ("cli", "env", "needle"),
    [
        (
            {},
            {"S11SYNC_DEADLINE": "soon"},
            "S11SYNC_DEADLINE must be a number of seconds from 1 to 21600, not 'soon'",
        ),
        ({}, {"S11SYNC_DEADLINE": "0"}, "S11SYNC_DEADLINE must be a number of seconds"),
        ({"deadline_s": "nan"}, {}, "--deadline must be a number of seconds"),
        ({"deadline_s": "99999"}, {}, "--deadline must be a number of seconds from 1 to 21600"),
    ],
)
def test_a_bad_deadline_names_the_setting_and_the_range(cli, env, needle):
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        resolve(cli, env)


def test_the_deadline_flag_reaches_the_settings():
    from s11sync.cli import _cli_values, build_parser

    args = build_parser().parse_args(["sync", "--output", "x", "--deadline", "30"])
    assert resolve(_cli_values(args)).deadline_s == 30.0
