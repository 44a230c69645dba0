"""Where the project's shared/ folder is: beside the checkout (as in CI), else the workplace copy."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = (ROOT.parent / "shared", Path("/work/shared"))
SHARED = next((p for p in _CANDIDATES if (p / "intervals-icu" / "openapi.json").exists()), _CANDIDATES[0])
OPENAPI = SHARED / "intervals-icu" / "openapi.json"
REFERENCE = SHARED / "reference" / "section11-v3.128"
