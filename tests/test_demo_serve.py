"""As a new user would: `s11sync demo serve` in one terminal, then
`s11sync sync --api-base URL --athlete-id ID --intervals-key KEY --output DIR` in another writes
the same files as `s11sync demo`.

The emulator runs as a real `python -m s11sync demo serve --port 0` process whose printed base
URL, athlete id and key are parsed from its stdout; it is stopped with Ctrl-C (SIGINT). The two
runs go through `main(argv)` in this process (without the 10 requests/s limit).
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sync_args import ENV_NAMES, isolate

from s11sync.cli import main
from s11sync.snapshot import OUTPUT_FILES

TODAY = "2026-11-25"
VOLATILE = frozenset({"generated_at", "last_updated", "calculation_timestamp"})


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


class Served:
    def __init__(self, proc: subprocess.Popen[str], fields: dict[str, str], lines: list[str]):
        self.proc, self.fields, self.lines = proc, fields, lines


@pytest.fixture
def demo_serve(tmp_path: Path) -> Iterator[Served]:
    """`s11sync demo serve --port 0 --today TODAY` in a child process, once it printed its lines."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES and k != "PYTHONUNBUFFERED"}
    # A child inherits an ignored SIGINT (pytest started in the background); give it Ctrl-C back.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "s11sync", "demo", "serve", "--port", "0", "--today", TODAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
    finally:
        signal.signal(signal.SIGINT, inherited)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    fields: dict[str, str] = {}
    try:
        while "today" not in fields:
            line = lines.get(timeout=60)  # what a user sees in the terminal, line by line
            if line is None:
                break
            seen.append(line)
            label, _, value = line.partition(":")
            fields[label.strip()] = value.strip()
        yield Served(proc, fields, seen)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def without_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [without_volatile(v) for v in value]
    return value


def differences(a: Any, b: Any, path: str = "$") -> list[str]:
    """JSON paths where `a` and `b` differ, for a readable failure."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [
            f"{path}.{k}: only in {'sync' if k in a else 'demo'}" for k in sorted(set(a) ^ set(b))
        ]
        for k in sorted(set(a) & set(b)):
            out += differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: sync {json.dumps(a)[:60]} != demo {json.dumps(b)[:60]}"]


def read_folder(folder: Path) -> dict[str, Any]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }


def test_sync_against_demo_serve_writes_what_demo_writes(demo_serve: Served, tmp_path: Path):
    fields = demo_serve.fields
    base_url = fields.get("Intervals.icu emulator", "")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", base_url), demo_serve.lines
    athlete_id, key = fields["athlete id"], fields["API key"]
    # coach mode: one coach key reading three athletes (the demo one and two more seeds)
    assert re.fullmatch(
        rf"\S+ \(reads these athlete ids: {athlete_id}, i\d+, i\d+\)", fields["coach API key"]
    ), demo_serve.lines
    synced, demo = tmp_path / "synced", tmp_path / "demo"

    # `s11sync demo` starts its folder with the FTP history a year of daily syncs would have
    # recorded (demo/run.py seed_ftp_history); a user's folder that had those syncs has it too
    from datetime import date

    from s11sync.demo.run import seed_ftp_history

    seed_ftp_history(synced, date.fromisoformat(TODAY))
    assert (
        main(
            [
                "sync",
                "--api-base",
                base_url,
                "--athlete-id",
                athlete_id,
                "--intervals-key",
                key,
                "--output",
                str(synced),
                "--today",
                TODAY,
            ]
        )
        == 0
    )
    assert main(["demo", "--output", str(demo), "--today", TODAY]) == 0

    from_sync, from_demo = read_folder(synced), read_folder(demo)
    assert sorted(from_sync) == sorted(from_demo) == sorted(OUTPUT_FILES)
    diff = [
        f"{name} {line}"
        for name in OUTPUT_FILES
        for line in differences(
            without_volatile(from_sync[name]), without_volatile(from_demo[name])
        )
    ]
    assert diff == [], "\n".join(diff[:30])
    # the comparison is not vacuous: the athlete and her activities are in both
    latest = from_sync["latest.json"]
    assert latest["recent_activities"] and latest["wellness_data"]


def test_demo_serve_stops_cleanly_on_ctrl_c(demo_serve: Served):
    assert "Ctrl-C" in "".join(demo_serve.lines)
    # the second, Strava-signup account it prints answers its bare numeric id
    fields = demo_serve.fields
    numeric, key = fields["numeric athlete id"], fields["its API key"]
    assert numeric.isdigit()
    answer = requests.get(
        f"{fields['Intervals.icu emulator']}/athlete/{numeric}", auth=("API_KEY", key), timeout=10
    )
    assert answer.status_code == 200 and answer.json()["id"] == numeric

    demo_serve.proc.send_signal(signal.SIGINT)

    assert demo_serve.proc.wait(timeout=10) == 0
    assert demo_serve.proc.stderr is not None
    assert "Traceback" not in demo_serve.proc.stderr.read()
