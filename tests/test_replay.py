"""`--save-snapshot` and `s11sync replay`: a run's raw data saved, redacted by default, and rebuilt
offline through the same build → validate → write path.

The demo runs once per module (with and without anonymisation); every test works on copies.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sync_args import sync_argv

from s11sync.cli import main
from s11sync.demo.intervals_icu.server import DEMO_API_KEY
from s11sync.metrics.phase_features import is_hard_session
from s11sync.snapshot import OUTPUT_FILES
from s11sync.snapshot_file import FORMAT_VERSION
from s11sync.snapshot_redact import redact_event_name, redact_text, scrub_secrets

TODAY = "2026-11-25"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("replay")
    for label, extra in (("plain", ["--no-anonymize"]), ("redacted", [])):
        code = main(
            [
                "demo",
                "--output",
                str(root / label),
                "--today",
                TODAY,
                "--quiet",
                "--save-snapshot",
                str(root / f"{label}.snapshot.json"),
                *extra,
            ]
        )
        assert code == 0
    return {
        "root": root,
        "plain": root / "plain",
        "plain_snap": root / "plain.snapshot.json",
        "redacted": root / "redacted",
        "redacted_snap": root / "redacted.snapshot.json",
    }


def files_of(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUT_FILES if (folder / name).exists()}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# ---- replay reproduces the run ----------------------------------------------------------------


def test_an_unredacted_demo_snapshot_replays_to_byte_identical_files(runs, tmp_path, capsys):
    out = tmp_path / "replayed"

    assert main(["replay", str(runs["plain_snap"]), "--output", str(out)]) == 0

    assert files_of(out) == files_of(runs["plain"])
    assert sorted(files_of(out)) == sorted(OUTPUT_FILES)
    assert "0 Intervals.icu requests" in capsys.readouterr().out


def test_a_redacted_snapshot_replays_to_valid_files_with_the_same_metrics(runs, tmp_path):
    out = tmp_path / "replayed"

    assert main(["replay", str(runs["redacted_snap"]), "--output", str(out), "--quiet"]) == 0

    assert main(["validate", str(out)]) == 0
    original, replayed = load(runs["redacted"] / "latest.json"), load(out / "latest.json")
    for block in (
        "derived_metrics",
        "current_status",
        "wellness_data",
        "readiness_decision",
        "summary",
    ):
        assert replayed.get(block) == original.get(block), block
    for name in ("history.json", "ftp_history.json"):
        assert (out / name).read_bytes() == (runs["redacted"] / name).read_bytes()
    # what redaction cannot reproduce: GPS terrain (documented in README → Troubleshooting)
    assert any("terrain_summary" in a for a in original["recent_activities"])
    assert not any("terrain_summary" in a for a in replayed["recent_activities"])


def test_replay_today_rebuilds_as_of_another_day(runs, tmp_path):
    out = tmp_path / "replayed"

    assert (
        main(
            [
                "replay",
                str(runs["plain_snap"]),
                "--output",
                str(out),
                "--today",
                "2026-11-27",
                "--quiet",
            ]
        )
        == 0
    )

    assert load(out / "latest.json")["metadata"]["last_updated"].startswith("2026-11-27")


def test_replay_into_the_runs_own_folder_rewrites_nothing(runs, tmp_path, capsys):
    folder = tmp_path / "same"
    shutil.copytree(runs["plain"], folder)
    before = files_of(folder)

    assert main(["replay", str(runs["plain_snap"]), "--output", str(folder)]) == 0

    assert files_of(folder) == before
    assert "unchanged" in capsys.readouterr().out


# ---- what a saved snapshot holds --------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _objects(value: Any, keep) -> list[dict]:
    if isinstance(value, dict):
        return ([value] if keep(value) else []) + [
            o for v in value.values() for o in _objects(v, keep)
        ]
    if isinstance(value, list):
        return [o for v in value for o in _objects(v, keep)]
    return []


def test_the_default_snapshot_holds_no_key_names_notes_or_coordinates(runs):
    text = runs["redacted_snap"].read_text(encoding="utf-8")
    plain = load(runs["plain_snap"])["snapshot"]
    saved = load(runs["redacted_snap"])

    assert saved["format_version"] == FORMAT_VERSION and saved["redacted"] is True
    types = {str(a.get("type")) for a in plain["activities"]}
    names = {
        a["name"]
        for a in plain["activities"] + plain["events"]
        if isinstance(a.get("name"), str) and a["name"] not in types and len(a["name"]) > 3
    }
    assert len(names) > 10
    leaked = [n for n in names if json.dumps(n, ensure_ascii=False) in text]
    assert leaked == []
    messages = [
        m.get("content") for rows in plain["messages"].values() for m in rows if m.get("content")
    ]
    assert messages and not [m for m in messages if json.dumps(m, ensure_ascii=False) in text]
    descriptions = {
        a["description"] for a in plain["activities"] if len(a.get("description") or "") > 8
    }
    assert descriptions and not [
        d for d in descriptions if json.dumps(d, ensure_ascii=False) in text
    ]
    # coordinates: no latlng stream, no start/end coordinates, no GPX body, no latitude value
    latlng = [
        s
        for streams in plain["terrain_streams"].values()
        for s in streams.get("streams") or []
        if s.get("type") == "latlng"
    ]
    assert latlng, "the demo must send GPS streams for this test to mean anything"
    assert not _objects(saved, lambda o: o.get("type") == "latlng")
    assert not _objects(saved, lambda o: bool({"start_latlng", "end_latlng", "latlng"} & set(o)))
    assert "<gpx" not in text and "trkpt" not in text
    for lat in latlng[0]["data"][:20]:
        assert f"{lat}" not in text
    assert "polyline" not in text and "start_coords" not in text


def test_no_snapshot_ever_holds_the_key(runs):
    """With or without anonymisation (the demo emulator always uses DEMO_API_KEY)."""
    key = DEMO_API_KEY
    for snap in (runs["plain_snap"], runs["redacted_snap"]):
        text = snap.read_text(encoding="utf-8")
        assert key not in text
        assert base64.b64encode(f"API_KEY:{key}".encode()).decode() not in text


def test_sync_saves_a_snapshot_without_the_key_even_when_the_api_echoes_it(
    intervals_emulator, tmp_path
):
    emu = intervals_emulator
    snap = tmp_path / "run.json"

    assert (
        main(
            sync_argv(
                emu,
                str(tmp_path / "out"),
                "--today",
                TODAY,
                "--quiet",
                "--no-anonymize",
                "--save-snapshot",
                str(snap),
            )
        )
        == 0
    )

    text = snap.read_text(encoding="utf-8")
    assert emu.api_key not in text
    # the scrubber itself: the key and its Basic form are cut out of any string, secret keys dropped
    basic = base64.b64encode(f"API_KEY:{emu.api_key}".encode()).decode()
    scrubbed = scrub_secrets(
        {"a": f"echo Authorization: Basic {basic}", "b": [emu.api_key], "api_key": "x"},
        [emu.api_key],
    )
    assert emu.api_key not in json.dumps(scrubbed) and basic not in json.dumps(scrubbed)
    assert "api_key" not in scrubbed


# ---- redaction keeps what the metrics read ----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Orchard loop",
        "VO2max 5x3",
        "Endurance with threshold 2x12",
        "Easy run",
        "Hill repeats",
        "Sweet spot 4x12",
        "Pre-race spin",
    ],
)
def test_a_redacted_event_name_keeps_the_hard_session_verdict(name):
    redacted = redact_event_name(name, "WORKOUT")

    assert is_hard_session({"name": redacted}) == is_hard_session({"name": name})
    assert name not in redacted


def test_redacted_text_keeps_note_lines_and_blank_lines():
    assert redact_text("NOTE: knee hurts\n\nRode to Lyon") == "NOTE: redacted\n\nredacted"
    assert redact_text(None) is None


# ---- a bad snapshot file: one line, exit 2, nothing written ----------------------------------


def _bad_files(root: Path, good: Path) -> dict[str, Path]:
    data = load(good)
    cases = {"missing": root / "nope.json", "folder": root}
    (root / "garbage.json").write_text("{not json", encoding="utf-8")
    cases["not JSON"] = root / "garbage.json"
    (root / "other.json").write_text(json.dumps({"hello": 1}), encoding="utf-8")
    cases["not a snapshot"] = root / "other.json"
    (root / "newer.json").write_text(
        json.dumps({**data, "format_version": FORMAT_VERSION + 1}), encoding="utf-8"
    )
    cases["newer"] = root / "newer.json"
    (root / "damaged.json").write_text(
        json.dumps({**data, "snapshot": {**data["snapshot"], "today": "x"}}), encoding="utf-8"
    )
    cases["damaged"] = root / "damaged.json"
    (root / "bytes.json").write_bytes(b"\xff\xfe\x00garbage")
    cases["not text"] = root / "bytes.json"
    return cases


EXPECTED = {
    "missing": "does not exist",
    "folder": "is a folder",
    "not JSON": "is not valid JSON",
    "not a snapshot": "is not an s11sync snapshot",
    "newer": "upgrade s11sync",
    "damaged": "is damaged",
    "not text": "cannot be read",
}


def test_a_bad_snapshot_file_is_one_line_exit_2_and_the_folder_is_untouched(runs, tmp_path, capsys):
    bad_root = tmp_path / "bad"
    bad_root.mkdir()
    folder = tmp_path / "out"
    shutil.copytree(runs["plain"], folder)
    before = files_of(folder)

    for case, path in _bad_files(bad_root, runs["plain_snap"]).items():
        code = main(["replay", str(path), "--output", str(folder)])
        err = capsys.readouterr().err
        assert code == 2, case
        assert err.startswith("Error: ") and err.count("\n") == 1, (case, err)
        assert EXPECTED[case] in err, (case, err)
        assert "Traceback" not in err
        assert files_of(folder) == before


def test_replay_needs_an_output_folder(runs, capsys):
    assert main(["replay", str(runs["plain_snap"])]) == 2
    assert "--output DIR" in capsys.readouterr().err


def test_a_snapshot_path_that_is_a_folder_is_refused_before_any_request(
    intervals_emulator, tmp_path, capsys
):
    emu = intervals_emulator
    emu.reset_counts()

    code = main(sync_argv(emu, str(tmp_path / "out"), "--save-snapshot", str(tmp_path)))

    assert code == 2
    assert "--save-snapshot" in capsys.readouterr().err
    assert emu.total_requests() == 0
    assert not (tmp_path / "out").exists()


def test_the_snapshot_is_saved_when_the_build_then_fails_and_replay_reproduces_the_failure(
    intervals_emulator, tmp_path, monkeypatch, capsys
):
    from s11sync import pipeline

    real_build = pipeline.build_documents

    def broken(*args, **kwargs):
        docs = real_build(*args, **kwargs)
        docs["latest.json"]["metadata"]["version"] = 3
        return docs

    monkeypatch.setattr(pipeline, "build_documents", broken)
    emu, snap, out = intervals_emulator, tmp_path / "bug.json", tmp_path / "out"

    assert (
        main(sync_argv(emu, str(out), "--today", TODAY, "--quiet", "--save-snapshot", str(snap)))
        == 1
    )
    assert "schema error" in capsys.readouterr().err
    assert snap.is_file() and not out.exists()

    assert main(["replay", str(snap), "--output", str(out)]) == 1
    assert "latest.json $.metadata.version: 3 is not of type 'string'" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
