"""Comments and docstrings cite only what a fresh clone holds: no section numbers, decision codes or
file names of the design notes that stayed outside the repository.

A reference a maintainer cannot open is noise. The rule goes in words, or the reference names one
of our own docs (docs/metrics.md, docs/files.md, docs/differences.md, ...) or the test that pins
the behaviour. Every *.py under s11sync/, tests/ and bench/ is scanned; a hit is reported as
file:line so it can be fixed where it is.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("s11sync", "tests", "bench")
SKIPPED_DIRS = {"node_modules", "__pycache__", ".venv", ".pytest_cache", ".mypy_cache"}

# Built from pieces so that this file does not match its own patterns.
_SECTION_SIGN = chr(0xA7)
_DECISION_CODE = r"\b" + "D" + "-" + r"[A-Z]+[0-9]"
_NOTE_NAMES = tuple(
    "-".join(pair)
    for pair in (
        ("outputs", "latest"),
        ("outputs", "files"),
        ("metrics", "load"),
        ("metrics", "capability"),
        ("metrics", "decisions"),
        ("observed", "shapes"),
    )
)
FOREIGN_REFERENCE = re.compile(
    "|".join([re.escape(_SECTION_SIGN), _DECISION_CODE, r"\b(?:" + "|".join(_NOTE_NAMES) + r")\b"])
)


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                continue
            files.append(path)
    return files


def foreign_references(paths: list[Path], root: Path = ROOT) -> list[str]:
    hits = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if FOREIGN_REFERENCE.search(line):
                hits.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return hits


def test_no_comment_or_docstring_cites_a_document_outside_the_repository():
    files = scanned_files()
    tops = {p.relative_to(ROOT).parts[0] for p in files}
    assert tops == set(SCANNED)  # each tree was found (a wrong ROOT would pass vacuously)
    assert Path(__file__).resolve() in files  # this file too: its patterns are built from pieces
    hits = foreign_references(files)
    assert hits == [], f"{len(hits)} foreign reference(s):\n" + "\n".join(hits)


def test_the_scan_catches_each_spelling():
    foreign = [
        f"# see {_SECTION_SIGN}3.3",
        f"# issue 16 {_SECTION_SIGN}3: absent = unknown",
        "# (" + "D" + "-T6)",
        "x = 1  # " + "D" + "-H12: regenerate daily",
        "# " + "D" + "-F1 / " + "D" + "-I5",
        *(f'"""As {name}.md says."""' for name in _NOTE_NAMES),
        *(f"# ({name} {_SECTION_SIGN}4)" for name in _NOTE_NAMES),
    ]
    ours = [
        "# D-2: two days before the race (a race-week day, not a decision code)",
        '# docs/metrics.md, "ACWR": the ratio of 7-day to 28-day load',
        "def test_d_p2_files_are_not_rewritten(): ...",
        "# metrics-loader and outputs_latest are other words",
        "# worked example H-3, scenario RD-1",
    ]
    found = [FOREIGN_REFERENCE.search(line) is not None for line in foreign + ours]
    assert found == [True] * len(foreign) + [False] * len(ours)


def test_a_hit_names_its_file_and_line(tmp_path):
    probe = tmp_path / "s11sync" / "metrics" / "mod.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(f'"""Module."""\n\n# as {_SECTION_SIGN}5 says\nx = 1\n', encoding="utf-8")
    clean = tmp_path / "tests" / "test_mod.py"
    clean.parent.mkdir()
    clean.write_text("# the rule in words\n", encoding="utf-8")
    hits = foreign_references([probe, clean], root=tmp_path)
    assert hits == [f"s11sync/metrics/mod.py:3: # as {_SECTION_SIGN}5 says"]
