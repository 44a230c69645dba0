"""The repository stands on its own: no code, test or CI file reads a folder beside the checkout.

A fresh clone with nothing beside it must pass the README's test command; everything the tests need
is vendored under tests/fixtures/.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# Built from pieces so that this file does not match its own pattern.
_SHARED = "sha" + "red"
OUTSIDE_PATH = re.compile(
    rf"\.\./{_SHARED}\b|/work/{_SHARED}\b|\.parent\s*/\s*[\"']{_SHARED}[\"']|[\"']{_SHARED}_paths[\"']"
    rf"|\bimport {_SHARED}_paths\b|\bfrom {_SHARED}_paths\b"
)
SCANNED = ("s11sync", "tests", ".ci", ".github", "bench")
SKIPPED_DIRS = {
    "node_modules",
    "__pycache__",
    ".venv",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}
TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".json", ".toml", ".cfg", ".sh", ".txt", ".js", ""}


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in (ROOT / top).rglob("*"):
            if not path.is_file() or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                continue
            if path.suffix in TEXT_SUFFIXES:
                files.append(path)
    return files


def offending_lines(paths: list[Path]) -> list[str]:
    hits = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE_PATH.search(line):
                hits.append(f"{path}:{number}: {line.strip()}")
    return hits


def test_no_file_references_a_folder_beside_the_checkout():
    files = scanned_files()
    assert any(p.name == "sports.py" for p in files) and any(p.name == "run" for p in files)
    assert offending_lines(files) == []


def test_the_scan_catches_each_spelling(tmp_path):
    spellings = [
        f"OPENAPI = '../{_SHARED}/intervals-icu/openapi.json'",
        f"REFERENCE = Path('/work/{_SHARED}/reference')",
        f"SHARED = ROOT.parent / '{_SHARED}'",
        f"from {_SHARED}_paths import OPENAPI",
    ]
    probes = []
    for index, line in enumerate(spellings):
        probe = tmp_path / f"probe_{index}.py"
        probe.write_text(line + "\n", encoding="utf-8")
        probes.append(probe)
    assert len(offending_lines(probes)) == len(spellings)
    harmless = ROOT / "tests" / "fixtures" / "schema" / "latest.json"  # "not shared by the API"
    assert offending_lines([harmless]) == []


def test_vendored_files_are_present():
    openapi = FIXTURES / "intervals-icu" / "openapi.json"
    assert openapi.stat().st_size > 100_000
    reference = FIXTURES / "reference" / "section11-v3.128"
    names = {"latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"}
    assert names <= {p.name for p in reference.iterdir()}
    assert (reference / "README.md").exists()


def test_ci_runs_the_single_entry_point_on_a_plain_checkout():
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "run: bash .ci/run" in ci
    assert "path:" not in ci  # no second checkout of another repository beside this one
