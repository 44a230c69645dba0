"""The installed package carries the schemas (package data), not only a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_every_schema_inside_the_package(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("s11sync-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"s11sync/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")}
    assert len(expected) >= 6
    assert expected <= names, sorted(expected - names)
    assert "s11sync/cli.py" in names and "s11sync/demo/intervals_icu/server.py" in names
    assert "s11sync/demo/github/server.py" in names
