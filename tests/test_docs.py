"""The documentation in docs/ stays honest about the code.

* every key of `latest.json → derived_metrics` written by the demo, every capability block and every
  decision-layer block is named (in backticks) in docs/metrics.md;
* every reason code of the schema's `unavailable` enum is explained in the reason-code table;
* relative links between the docs pages (and from README into docs/) resolve, anchors included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from s11sync.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
METRICS = DOCS / "metrics.md"
DEMO_TODAY = "2026-11-25"

# Top-level blocks of latest.json that make up the decision layer (computed in outputs/decisions.py).
DECISION_BLOCKS = ("alerts", "readiness_decision", "health_context", "race_calendar")

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


@pytest.fixture(scope="module")
def demo_latest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("docs-demo")
    assert main(["demo", "--output", str(out), "--today", DEMO_TODAY, "--quiet"]) == 0
    return json.loads((out / "latest.json").read_text(encoding="utf-8"))


def metrics_text() -> str:
    assert METRICS.is_file(), "docs/metrics.md is missing"
    return METRICS.read_text(encoding="utf-8")


def named(name: str, text: str) -> bool:
    """True when `name` appears as code in the text: `name`, `name.sub…` or `….name`."""
    return re.search(r"`(?:[\w\[\]]+\.)*" + re.escape(name) + r"(?:[.`\[ ])", text) is not None


def unnamed(names: list[str], text: str) -> list[str]:
    return [name for name in names if not named(name, text)]


# ---- metrics ---------------------------------------------------------------------------------


def test_every_derived_metric_of_the_demo_is_documented(demo_latest: dict[str, Any]) -> None:
    keys = list(demo_latest["derived_metrics"])
    assert len(keys) > 40, "the demo's derived_metrics looks truncated"
    missing = unnamed(keys, metrics_text())
    assert missing == [], f"docs/metrics.md does not name derived_metrics keys: {missing}"


def test_every_capability_block_is_documented(demo_latest: dict[str, Any]) -> None:
    capability = demo_latest["derived_metrics"]["capability"]
    blocks = list(capability)
    assert "durability" in blocks
    missing = unnamed(blocks, metrics_text())
    assert missing == [], f"docs/metrics.md does not name capability blocks: {missing}"


def test_every_decision_layer_block_is_documented(demo_latest: dict[str, Any]) -> None:
    names = [block for block in DECISION_BLOCKS if block in demo_latest]
    assert names == list(DECISION_BLOCKS), "the demo no longer writes every decision-layer block"
    names += list(demo_latest["race_calendar"])
    names += list(demo_latest["readiness_decision"])
    names += list(demo_latest["readiness_decision"]["signals"])
    names += list(demo_latest["health_context"])
    names += list(demo_latest["readiness_decision"]["phase_context"])
    # the demo athlete is in race week on the demo day; the full block is checked while it is
    names += list(demo_latest["race_calendar"]["race_week"])
    names += list(demo_latest["derived_metrics"]["phase_detection"])
    names += [alert["metric"] for alert in demo_latest["alerts"]]
    missing = unnamed(names, metrics_text())
    assert missing == [], f"docs/metrics.md does not name decision-layer fields: {missing}"


def test_the_name_check_can_fail() -> None:
    text = "Fields: `acwr`, `acwr_start_of_day.value` and `capability.hrrc`."
    assert named("acwr", text) and named("acwr_start_of_day", text) and named("hrrc", text)
    assert not named("acw", text)
    assert not named("start_of_day", text)
    assert unnamed(["monotony", "acwr"], text) == ["monotony"]


# ---- reason codes ----------------------------------------------------------------------------


def schema_reason_codes() -> list[str]:
    latest = json.loads((ROOT / "schemas" / "latest.schema.json").read_text(encoding="utf-8"))
    unavailable = latest["properties"]["derived_metrics"]["properties"]["unavailable"]
    ref = unavailable["additionalProperties"]["$ref"]
    schema_file, _, pointer = ref.rpartition("/schemas/")[2].partition("#")
    target: Any = json.loads((ROOT / "schemas" / schema_file).read_text(encoding="utf-8"))
    for part in pointer.strip("/").split("/"):
        target = target[part]
    return list(target["enum"])


def section(text: str, heading: str) -> str:
    """The body of `## heading` up to the next level-2 heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match is not None, f"docs/metrics.md has no '## {heading}' section"
    return match.group(1)


def test_every_reason_code_is_explained() -> None:
    codes = schema_reason_codes()
    assert "insufficient_history" in codes
    table = section(metrics_text(), "Reason codes")
    explained = {m.group(1) for m in re.finditer(r"^\| `(\w+)` \| ([^|]*\w[^|]*) \|", table, re.M)}
    missing = [code for code in codes if code not in explained]
    assert missing == [], f"docs/metrics.md 'Reason codes' does not explain: {missing}"


def test_documented_reason_codes_exist_in_the_schema() -> None:
    table = section(metrics_text(), "Reason codes")
    documented = re.findall(r"^\| `(\w+)` \|", table, re.M)
    stale = [code for code in documented if code not in schema_reason_codes()]
    assert stale == [], f"docs/metrics.md explains codes the schema does not have: {stale}"


# ---- links -----------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else re.match(r"^#{1,6} (.+?)\s*#*\s*$", line)
        if match is None:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def broken_links(path: Path) -> list[str]:
    """Relative links of a markdown file whose file or anchor does not exist."""
    broken = []
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, …
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (path.parent / file_part).resolve() if file_part else path
            if not resolved.exists():
                broken.append(target)
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(target)
    return broken


def doc_pages() -> list[Path]:
    pages = sorted(DOCS.glob("*.md"))
    assert {p.name for p in pages} >= {"README.md", "metrics.md", "files.md", "differences.md"}
    return pages


@pytest.mark.parametrize("name", ["README.md", "metrics.md", "files.md", "differences.md"])
def test_links_in_docs_resolve(name: str) -> None:
    page = DOCS / name
    assert page in doc_pages()
    assert broken_links(page) == [], f"docs/{name} has broken links"


def test_readme_links_into_docs_resolve() -> None:
    readme = ROOT / "README.md"
    docs_links = [t for t in LINK.findall(readme.read_text(encoding="utf-8")) if "docs/" in t]
    assert docs_links, "README.md has no Documentation links into docs/"
    broken = [t for t in broken_links(readme) if "docs/" in t]
    assert broken == [], f"README.md has broken links into docs/: {broken}"


def test_the_link_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Two words\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n## ACWR\n\n[ok](other.md#two-words) [ok](#acwr) [web](https://x.org/a#b)\n"
        "[no file](missing.md) [no anchor](other.md#three) [no local](#monotony)\n"
        "```\n[in code](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md", "other.md#three", "#monotony"]
    assert slug("`ftp_history.json`") == "ftp_historyjson"
    assert (
        slug("Grey zone, quality and easy-time shares") == "grey-zone-quality-and-easy-time-shares"
    )


def test_metric_headings_are_unique_and_stable() -> None:
    headings = re.findall(r"^## (.+)$", metrics_text(), re.M)
    slugs = [slug(h) for h in headings]
    assert len(slugs) == len(set(slugs)), "two metrics.md sections share an anchor"
    # anchors that code, docs and AI instructions link to
    for stable in (
        "acwr",
        "monotony",
        "recovery-index",
        "reason-codes",
        "readiness-decision",
        "phase-detection",
        "durability",
        "benchmark-index",
        "seiler-tid",
    ):
        assert stable in slugs, f"docs/metrics.md lost the #{stable} heading"
