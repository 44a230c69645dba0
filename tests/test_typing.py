"""mypy (configured in pyproject.toml's [tool.mypy]) reports nothing on the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_nothing():
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run(
        [str(mypy), "s11sync"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
