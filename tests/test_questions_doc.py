"""docs/questions.md names real paths: every `FILE → a.b[N]` on the page resolves in the demo's files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from s11sync.cli import main

PAGE = Path(__file__).resolve().parent.parent / "docs" / "questions.md"
PATH_RE = re.compile(r"`([a-z_]+\.json) → ([^`]+)`")
PART_RE = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("questions")
    assert main(["demo", "--output", str(out), "--today", "2026-11-25", "--quiet"]) == 0
    return out


def doc_paths() -> list[tuple[str, str]]:
    return PATH_RE.findall(PAGE.read_text(encoding="utf-8"))


def split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for segment in path.split("."):
        if not segment:
            raise ValueError(f"empty key in {path!r}")
        pos = 0
        while pos < len(segment):
            m = PART_RE.match(segment, pos)
            if m is None or m.end() == pos:
                raise ValueError(f"bad path segment {segment!r} in {path!r}")
            parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
            pos = m.end()
    return parts


def resolve(data: Any, path: str) -> Any:
    node = data
    for part in split_path(path):
        if isinstance(part, int):
            if not isinstance(node, list):
                raise KeyError(f"{path}: [{part}] on a non-list")
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"{path}: no key {part!r}")
            node = node[part]
    return node


def test_page_names_paths_in_every_file_it_uses() -> None:
    paths = doc_paths()
    assert len(paths) >= 60
    files = {f for f, _ in paths}
    assert {"latest.json", "history.json", "intervals.json", "ftp_history.json"} <= files


def test_every_path_on_the_page_resolves_in_the_demo(demo_dir: Path) -> None:
    cache: dict[str, Any] = {}
    broken = []
    for file, path in doc_paths():
        if file not in cache:
            cache[file] = json.loads((demo_dir / file).read_text(encoding="utf-8"))
        try:
            resolve(cache[file], path)
        except (KeyError, IndexError) as exc:
            broken.append(f"{file} → {path}: {exc}")
    assert broken == []


def test_a_wrong_path_fails(demo_dir: Path) -> None:
    latest = json.loads((demo_dir / "latest.json").read_text(encoding="utf-8"))
    assert resolve(latest, "today.readiness.recommendation") == "go"
    assert resolve(latest, "today.planned_sessions[0].done") is True
    with pytest.raises(KeyError):
        resolve(latest, "today.readiness.no_such_key")
    with pytest.raises(IndexError):
        resolve(latest, "today.planned_sessions[99].done")
    with pytest.raises(KeyError):
        resolve(latest, "today.readiness[0]")
    with pytest.raises(ValueError):
        split_path("today..readiness")


def test_first_two_questions_are_answered_from_the_today_block() -> None:
    text = PAGE.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    for number in ("1.", "2."):
        (section,) = [s for s in sections if s.startswith(number)]
        paragraphs = [p for p in section.split("\n\n") if p.startswith("From `today`:")]
        assert len(paragraphs) == 1, number
        paths = PATH_RE.findall(paragraphs[0])
        assert paths, number
        assert [p for f, p in paths if f != "latest.json" or not p.startswith("today.")] == []
