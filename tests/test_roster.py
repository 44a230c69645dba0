"""Coach mode without the network: roster validation, per-athlete settings and isolation."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from s11sync.cli import main
from s11sync.config import Settings
from s11sync.errors import ConfigError, IntervalsError
from s11sync.roster import load_roster, parse_roster, select
from s11sync.roster_run import athlete_settings, run_roster, summary_lines

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)


def _one(**entry: object) -> dict:
    return {
        "athletes": [{"name": "anna", "athlete_id": "i123456", "folder": "athletes/anna", **entry}]
    }


def test_the_example_roster_is_valid_and_uses_both_places():
    athletes = load_roster(ROOT / "athletes.example.yml")
    assert [a.name for a in athletes] == ["anna", "ben", "cleo"]
    assert athletes[0].key_secret == "INTERVALS_KEY" and athletes[0].folder == "athletes/anna"
    assert (
        athletes[2].data_repo == "coach/cleo-data"
        and athletes[2].key_secret == "CLEO_INTERVALS_KEY"
    )


def test_json_rosters_are_read_too(tmp_path):
    path = tmp_path / "athletes.json"
    path.write_text(json.dumps(_one()))
    assert load_roster(path)[0].athlete_id == "i123456"


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        ({"athletes": []}, "non-empty list"),
        ({"people": []}, "'athletes' list"),
        ([1, 2], "'athletes' list"),
        ({"athletes": [], "extra": 1}, "unknown top-level"),
        ({"athletes": ["anna"]}, "mapping"),
        (_one(name="Anna Smith"), "lower-case"),
        (_one(name="../x"), "lower-case"),
        (_one(name=None), "name is missing"),
        (_one(athlete_id="abc"), "not an Intervals.icu athlete id"),
        (_one(athlete_id="i0"), "not an Intervals.icu athlete id"),
        (_one(athlete_id=None), "athlete_id is missing"),
        (_one(key_secret="sk-live key"), "name of a secret"),
        (_one(data_repo="coach/anna"), "exactly one of data_repo"),
        (_one(folder=None), "exactly one of data_repo"),
        (_one(folder="../elsewhere"), "'..'"),
        (_one(folder="athletes/../../x"), "'..'"),
        (_one(folder="/etc/anna"), "relative"),
        (_one(folder="C:/anna"), "relative"),
        (_one(folder="a b"), "letters, digits"),
        (_one(colour="red"), "unknown key(s) colour"),
        (_one(athlete_id=["i1"]), "must be text"),
        (
            {"athletes": [{"name": "x", "athlete_id": "i1", "data_repo": "not a repo"}]},
            "owner/name",
        ),
    ],
)
def test_a_bad_roster_is_one_line_naming_the_problem(doc, needle):
    with pytest.raises(ConfigError) as err:
        parse_roster(doc)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_names_and_places_must_be_unique():
    twice = {
        "athletes": [
            {"name": "anna", "athlete_id": "i1", "folder": "a"},
            {"name": "anna", "athlete_id": "i2", "folder": "b"},
        ]
    }
    with pytest.raises(ConfigError, match="used twice"):
        parse_roster(twice)
    shared = {
        "athletes": [
            {"name": "anna", "athlete_id": "i1", "folder": "a/"},
            {"name": "ben", "athlete_id": "i2", "folder": "a"},
        ]
    }
    with pytest.raises(ConfigError, match="same folder"):
        parse_roster(shared)
    nested = {
        "athletes": [
            {"name": "anna", "athlete_id": "i1", "folder": "a"},
            {"name": "ben", "athlete_id": "i2", "folder": "a/b"},
        ]
    }
    with pytest.raises(ConfigError, match="inside folder"):
        parse_roster(nested)


def test_select_one_athlete_or_name_the_choices():
    athletes = load_roster(ROOT / "athletes.example.yml")
    assert [a.name for a in select(athletes, "ben")] == ["ben"]
    with pytest.raises(ConfigError, match="anna, ben, cleo"):
        select(athletes, "zoe")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("athletes: [unclosed", "not valid YAML/JSON at line"),
        ("athletes: []", "non-empty list"),
    ],
)
def test_cli_refuses_a_bad_roster_with_exit_2_before_any_request(tmp_path, capsys, text, needle):
    path = tmp_path / "athletes.yml"
    path.write_text(text)
    assert main(["sync", "--roster", str(path), "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: ") and needle in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_usage_errors_of_the_roster_flags(tmp_path, capsys):
    assert main(["sync", "--athlete", "anna", "--output", str(tmp_path)]) == 2
    assert "add --roster" in capsys.readouterr().err
    roster = str(ROOT / "athletes.example.yml")
    assert main(["sync", "--roster", roster, "--athlete-id", "i1", "--output", str(tmp_path)]) == 2
    assert "does not go with --roster" in capsys.readouterr().err
    assert main(["sync", "--roster", str(tmp_path / "missing.yml"), "--output", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["sync", "--roster", roster, "--athlete", "zoe", "--output", str(tmp_path)]) == 2
    assert "not in the roster" in capsys.readouterr().err


def test_each_athlete_gets_its_own_folder_key_and_place():
    anna, ben, cleo = load_roster(ROOT / "athletes.example.yml")
    env = {"INTERVALS_KEY": "coach-key", "CLEO_INTERVALS_KEY": "cleo-key"}
    base = Settings(output=Path("out"), publish="github", data_repo="coach/all")
    s, prefix = athlete_settings(base, anna, env)
    assert (s.athlete_id, s.intervals_key, s.output, s.data_repo, prefix) == (
        "i123456",
        "coach-key",
        Path("out/anna"),
        "coach/all",
        "athletes/anna",
    )
    s, prefix = athlete_settings(base, cleo, env)
    assert (s.intervals_key, s.output, s.data_repo, prefix) == (
        "cleo-key",
        Path("out/cleo"),
        "coach/cleo-data",
        "",
    )
    with pytest.raises(ConfigError, match="CLEO_INTERVALS_KEY"):
        athlete_settings(base, cleo, {"INTERVALS_KEY": "coach-key"})
    with pytest.raises(ConfigError, match="DATA_REPO"):
        athlete_settings(Settings(publish="github"), ben, env)


def test_one_failure_never_stops_the_others_and_is_named():
    athletes = load_roster(ROOT / "athletes.example.yml")
    calls: list[str] = []

    def fake_sync(settings, utc_now, *, progress=None, path_prefix=""):
        calls.append(settings.athlete_id)
        if settings.athlete_id == "i123456":
            raise IntervalsError("athlete i123456 not found")
        if settings.athlete_id == "i234567":
            raise RuntimeError("boom")
        return _FakeResult(settings.output)

    result = run_roster(
        Settings(output=Path("out")), athletes, {"INTERVALS_KEY": "k"}, NOW, sync=fake_sync
    )
    # cleo's key secret is missing: she fails before any call; anna and ben fail in their runs
    assert calls == ["i123456", "i234567"]
    assert [o.athlete.name for o in result.failed] == ["anna", "ben", "cleo"]
    ok = run_roster(
        Settings(output=Path("out")),
        athletes[1:2],
        {"INTERVALS_KEY": "k"},
        NOW,
        sync=lambda s, n, **kw: _FakeResult(s.output),
    )
    assert not ok.failed
    lines = summary_lines(result, Settings(output=Path("out")))
    assert lines[-1] == "0 of 3 athletes synced; failed: anna, ben, cleo"
    assert any(line.startswith("[anna] FAILED: athlete i123456 not found") for line in lines)
    assert any("[ben] FAILED: unexpected RuntimeError: boom" in line for line in lines)


class _FakeResult:
    def __init__(self, output):
        self.output, self.files, self.written, self.publish = output, {}, [], None
        self.api_requests, self.duration_s, self.warnings, self.documents = 0, 0.0, [], {}
