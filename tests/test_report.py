"""What a run prints: with --quiet the progress and summary go, the warnings stay (on stderr)."""

from __future__ import annotations

from pathlib import Path

from s11sync.config import Settings
from s11sync.pipeline import RunResult
from s11sync.report import print_run_summary

WARNING = "ftp_history.json is not valid (2026-13-01: not a date). It was left unchanged"


def result() -> RunResult:
    run = RunResult(output=Path("out"), files={}, api_requests=12, duration_s=1.5)
    run.warnings.append(WARNING)
    return run


def test_quiet_keeps_the_warnings_on_stderr_and_drops_the_summary(capsys):
    print_run_summary(result(), Settings(quiet=True))
    out, err = capsys.readouterr()
    assert out == "" and err == f"warning: {WARNING}\n"


def test_a_normal_run_prints_the_summary_with_the_warnings_on_stdout(capsys):
    print_run_summary(result(), Settings())
    out, err = capsys.readouterr()
    assert (
        "12 Intervals.icu requests in 1.5 s" in out and f"warning: {WARNING}" in out and err == ""
    )
