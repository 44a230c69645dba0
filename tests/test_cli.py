"""The command line as a user meets it: help, version, exit codes, `demo`, `validate`, `--debug`.

Exit codes: 0 ok, 1 runtime/API failure, 2 usage or configuration error (argparse's own usage
errors exit 2 as well). Runs go through `main(argv)` in-process against loopback emulators, except
where the real process matters (`python -m s11sync`, the `--debug` log on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sync_args import ENV_NAMES, isolate, sync_argv

from s11sync import __version__
from s11sync.cli import build_parser, main
from s11sync.publish.local import FOLDER_ENTRIES
from s11sync.snapshot import OUTPUT_FILES

README = Path(__file__).resolve().parents[1] / "README.md"
WRONG_KEY = "wrong-key-Mx35-must-not-appear"


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or config file from the machine; no rate limit (the emulator is local)."""
    isolate(monkeypatch, tmp_path)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


# ---- help and version -------------------------------------------------------------------------


def test_there_are_the_subcommands_the_issue_names():
    assert {"sync", "demo", "validate"} <= set(subcommands())


@pytest.mark.parametrize("command", subcommands())
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_subcommand_has_help_with_an_example(command, flag, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, flag])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert out.startswith(f"usage: s11sync {command}")
    assert "Example" in out
    assert f"s11sync {command}" in out.split("Example", 1)[1]


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_the_top_level_help_lists_every_subcommand(flag, capsys):
    with pytest.raises(SystemExit) as exited:
        main([flag])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert all(command in out for command in subcommands())
    assert "Example" in out


def test_readme_names_every_subcommand():
    assert README.is_file(), "README.md is missing"
    text = README.read_text(encoding="utf-8")
    missing = [f"s11sync {c}" for c in subcommands() if f"s11sync {c}" not in text]
    missing += [] if "s11sync demo serve" in text else ["s11sync demo serve"]
    assert missing == [], f"README.md does not show: {', '.join(missing)}"


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out == f"s11sync {__version__}\n"


def test_python_dash_m_runs_the_same_cli(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "s11sync", "-V"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )

    assert (done.returncode, done.stdout) == (0, f"s11sync {__version__}\n")


# ---- exit codes -------------------------------------------------------------------------------


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: s11sync" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["nosuchcommand"], ["sync", "--week-start", "funday"], ["sync", "--no-such-flag"]]
)
def test_argparse_usage_errors_are_one_line_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)

    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "--help" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("flag", "value"), [("--days", "abc"), ("--workers", "many"), ("--days", "1.5")]
)
def test_a_non_numeric_value_is_one_line_naming_the_setting(flag, value, tmp_path, capsys):
    code = main(["sync", flag, value, "--output", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Error: {flag} must be a whole number") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_days_zero_is_a_usage_error_naming_the_setting(tmp_path, capsys):
    code = main(["sync", "--days", "0", "--output", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: --days must be from 1 to 365, not 0")
    assert "Traceback" not in err


def test_an_invalid_environment_value_names_the_variable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("WEEK_START", "funday")

    assert main(["sync", "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "WEEK_START" in err and "mon" in err


def test_sync_without_credentials_says_what_is_missing_and_exits_2(tmp_path, capsys):
    code = main(["sync", "--output", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 2
    assert "ATHLETE_ID" in err and "INTERVALS_KEY" in err
    assert "Developer Settings" in err and "s11sync demo" in err
    assert not (tmp_path / "out").exists()


def test_sync_without_an_output_or_publish_target_exits_2(intervals_emulator, capsys):
    emu = intervals_emulator
    code = main(sync_argv(emu, None))

    assert code == 2
    assert "--output" in capsys.readouterr().err


def test_a_bearer_key_is_a_config_error_explaining_basic_auth(intervals_emulator, tmp_path, capsys):
    emu = intervals_emulator
    code = main(
        [
            "sync",
            "--athlete-id",
            emu.athlete_id,
            "--intervals-key",
            "Bearer xyz-9",
            "--api-base",
            emu.base_url,
            "--output",
            str(tmp_path / "out"),
        ]
    )

    err = capsys.readouterr().err
    assert code == 2
    assert "Basic" in err and "Bearer" in err and "xyz-9" not in err


def test_an_api_failure_exits_1_without_a_traceback_or_the_key(
    intervals_emulator, tmp_path, capsys
):
    emu = intervals_emulator
    code = main(
        [
            "sync",
            "--athlete-id",
            emu.athlete_id,
            "--intervals-key",
            WRONG_KEY,
            "--api-base",
            emu.base_url,
            "--output",
            str(tmp_path / "out"),
        ]
    )

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("Error: Intervals.icu refused the API key (401).")
    assert "Traceback" not in captured.err
    assert WRONG_KEY not in captured.out + captured.err


def test_another_athletes_id_exits_1_naming_the_keys_athlete(intervals_emulator, tmp_path, capsys):
    emu = intervals_emulator
    code = main(
        [
            "sync",
            "--athlete-id",
            emu.other_athlete_id,
            "--intervals-key",
            emu.api_key,
            "--api-base",
            emu.base_url,
            "--output",
            str(tmp_path / "out"),
        ]
    )

    assert code == 1
    assert f"this key belongs to athlete {emu.athlete_id}" in capsys.readouterr().err


# ---- demo and validate ------------------------------------------------------------------------


def test_demo_writes_the_five_files_and_validate_accepts_them(tmp_path, capsys):
    out = tmp_path / "demo-out"

    assert main(["demo", "--output", str(out), "--today", "2026-11-25"]) == 0
    printed, err = capsys.readouterr()

    assert sorted(p.name for p in out.iterdir()) == list(FOLDER_ENTRIES)
    assert str(out / "latest.json") in printed and f"s11sync validate {out}" in printed
    assert "· " not in err  # no progress lines when stderr is not a terminal
    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert latest["metadata"]["last_updated"].startswith("2026-11-25")

    assert main(["validate", str(out)]) == 0
    report = capsys.readouterr().out
    assert all(f"{out / name}: OK" in report for name in OUTPUT_FILES)

    latest["metadata"] = "broken"
    (out / "latest.json").write_text(json.dumps(latest), encoding="utf-8")
    assert main(["validate", str(out)]) == 1


def test_demo_with_a_bad_today_is_a_usage_error_not_a_crash(tmp_path, capsys):
    code = main(["demo", "--today", "nope", "--output", str(tmp_path / "out")])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: --today must be a date YYYY-MM-DD")


def test_demo_serve_with_a_bad_today_is_a_usage_error_not_a_crash(tmp_path):
    # a child process: should the date be accepted, the server would otherwise block this test
    done = subprocess.run(
        [sys.executable, "-m", "s11sync", "demo", "serve", "--today", "2026-02-30"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=30,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.startswith("Error: --today must be a date YYYY-MM-DD")


def test_demo_honours_s11sync_today_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("S11SYNC_TODAY", "2026-11-20")
    out = tmp_path / "demo-out"

    assert main(["demo", "--output", str(out), "--quiet"]) == 0

    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert latest["metadata"]["last_updated"].startswith("2026-11-20")


# ---- --debug ----------------------------------------------------------------------------------


def test_debug_logs_requests_and_the_traceback_but_never_the_key(intervals_emulator, tmp_path):
    emu = intervals_emulator
    emu.add_fault(r"/athlete/[^/]+/events$", status=404, times=1)  # fail after three good calls

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "s11sync",
            "sync",
            "--debug",
            "--api-base",
            emu.base_url,
            "--athlete-id",
            emu.athlete_id,
            "--intervals-key",
            emu.api_key,
            "--output",
            str(tmp_path / "out"),
            "--today",
            "2026-11-25",
        ],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    assert "GET /athlete/{id} " in done.stderr and " → 200 in " in done.stderr
    assert "GET /athlete/{id}/events" in done.stderr and " → 404 in " in done.stderr
    assert "Traceback" in done.stderr and "EndpointNotFound" in done.stderr
    for text in (done.stdout, done.stderr):
        assert emu.api_key not in text
        assert emu.api_key[:8] not in text


def test_debug_log_of_a_whole_run_never_shows_the_key(intervals_emulator, tmp_path, caplog, capsys):
    emu = intervals_emulator
    caplog.set_level("DEBUG")

    code = main(
        [
            "sync",
            "--debug",
            "--api-base",
            emu.base_url,
            "--athlete-id",
            emu.athlete_id,
            "--intervals-key",
            emu.api_key,
            "--output",
            str(tmp_path / "out"),
            "--today",
            "2026-11-25",
        ]
    )

    captured = capsys.readouterr()
    assert code == 0
    assert caplog.text.count("GET /") > 20  # the request log is on
    for text in (caplog.text, captured.out, captured.err):
        assert emu.api_key not in text and emu.api_key[:8] not in text
