"""Coach mode end to end, offline: three demo athletes under one coach key, published to the
emulated GitHub; one broken athlete never stops the other two."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from s11sync.cli import main
from s11sync.demo.intervals_icu.athlete import ATHLETE_ID
from s11sync.demo.intervals_icu.server import COACHED_SEEDS, IntervalsEmulator, coached_athlete_id
from s11sync.demo.run import DEMO_COACH_OWNER, DEMO_REPO_NAME, demo_roster, run_demo_roster
from s11sync.roster import parse_roster

TODAY = "2026-11-25"


@pytest.fixture(scope="module")
def coach_emulator(demo_today) -> Iterator[IntervalsEmulator]:
    # built once: the coached seeds cost about 1.5 s each (cached for the demo run below too)
    with IntervalsEmulator(today=demo_today, coached_seeds=COACHED_SEEDS) as emu:
        yield emu


def _get(emu: IntervalsEmulator, path: str, key: str) -> requests.Response:
    return requests.get(emu.base_url + path, auth=("API_KEY", key), timeout=10)


def test_the_coach_key_reads_three_athletes_and_nobody_else(coach_emulator):
    emu = coach_emulator
    ids = list(emu.coached)
    assert ids == [emu.athlete_id, *(coached_athlete_id(s) for s in COACHED_SEEDS)]
    for aid in ids:
        assert _get(emu, f"/athlete/{aid}", emu.coach_api_key).json()["id"] == aid
    assert (
        _get(emu, "/athlete/0", emu.coach_api_key).json()["id"] != ids[0]
    )  # the coach's own record
    assert _get(emu, "/athlete/i999999", emu.coach_api_key).status_code == 404
    assert (
        _get(emu, f"/athlete/{ids[1]}", emu.api_key).status_code == 403
    )  # not the demo key's athlete
    # different seeds: different training
    lists = [
        _get(emu, f"/athlete/{aid}/activities?oldest=2026-11-01", emu.coach_api_key).json()
        for aid in ids
    ]
    loads = [[a.get("icu_training_load") for a in acts] for acts in lists]
    assert loads[0] != loads[1] and loads[1] != loads[2]


def _tree(bare: Path) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(bare), "ls-tree", "-r", "--name-only", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def test_demo_roster_with_one_broken_athlete_writes_and_commits_the_others(tmp_path, capsys):
    good = demo_roster(ATHLETE_ID, [coached_athlete_id(s) for s in COACHED_SEEDS])
    entries = [
        {
            "name": a.name,
            "athlete_id": a.athlete_id,
            **({"folder": a.folder} if a.folder else {"data_repo": a.data_repo}),
        }
        for a in good
    ]
    entries[1]["athlete_id"] = "i999999"  # ben: a wrong id
    roster = parse_roster({"athletes": entries})
    out = tmp_path / "coach"
    # a one-day window keeps the two full syncs short (fewer activity details and terrain)
    code = run_demo_roster(
        {"output": str(out), "today": TODAY, "days": "1", "quiet": None},
        publish=True,
        progress=lambda _line: None,
        athletes=roster,
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "2 of 3 athletes synced; failed: ben" in captured.err
    assert "[ben] FAILED:" in captured.out and "i999999" in captured.out
    # anna and cleo: written locally, each in its own folder, with different data
    latest = {
        name: json.loads((out / name / "latest.json").read_text()) for name in ("anna", "cleo")
    }
    assert latest["anna"] != latest["cleo"]
    assert not (out / "ben" / "latest.json").exists()
    # committed: anna in her folder of the coach's repo, cleo at the root of her own repo
    shared = _tree(out / "github" / DEMO_COACH_OWNER / f"{DEMO_REPO_NAME}.git")
    assert "athletes/anna/latest.json" in shared and "athletes/anna/ftp_history.json" in shared
    assert not any(p.startswith("athletes/ben/") for p in shared) and "latest.json" not in shared
    own = _tree(out / "github" / DEMO_COACH_OWNER / "cleo-data.git")
    assert "latest.json" in own and "ftp_history.json" in own
    # the published bytes are the local ones: nothing mixed between athletes
    shown = subprocess.run(
        [
            "git",
            "--git-dir",
            str(out / "github" / DEMO_COACH_OWNER / "cleo-data.git"),
            "show",
            "HEAD:intervals.json",
        ],
        capture_output=True,
        check=True,
    ).stdout
    assert shown == (out / "cleo" / "intervals.json").read_bytes()


def test_cli_sync_roster_names_every_failed_athlete_and_exits_1(
    coach_emulator, tmp_path, capsys, monkeypatch
):
    roster = tmp_path / "athletes.yml"
    roster.write_text(
        "athletes:\n"
        "  - {name: wrong-id, athlete_id: i999999, folder: a}\n"
        "  - {name: no-key, athlete_id: i500012, key_secret: NO_SUCH_KEY, folder: b}\n"
    )
    monkeypatch.setenv("INTERVALS_KEY", coach_emulator.coach_api_key)
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    coach_emulator.reset_counts()
    code = main(
        [
            "sync",
            "--roster",
            str(roster),
            "--output",
            str(tmp_path / "out"),
            "--api-base",
            coach_emulator.base_url,
            "--today",
            TODAY,
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "0 of 2 athletes synced; failed: wrong-id, no-key" in captured.err
    assert "[no-key] FAILED: the environment variable NO_SUCH_KEY" in captured.out
    assert (
        coach_emulator.athlete_ids_seen["i999999"] >= 1
        and "i500012" not in coach_emulator.athlete_ids_seen
    )
    assert not list((tmp_path / "out").rglob("*.json"))
