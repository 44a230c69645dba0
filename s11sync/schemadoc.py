"""A compact Markdown field guide generated from the JSON Schemas (docs/fields.md).

    python -m s11sync.schemadoc                 print the guide
    python -m s11sync.schemadoc --write docs/fields.md   replace the text between the field-guide markers

docs/fields.md keeps the generated text between `<!-- field-guide:start -->` and
`<!-- field-guide:end -->`; a test fails when the two drift apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from s11sync.validate import ALL_SCHEMAS, SCHEMA_NAMES, load_schema

START_MARKER = "<!-- field-guide:start -->"
END_MARKER = "<!-- field-guide:end -->"


@lru_cache(maxsize=1)
def _by_id() -> dict[str, dict]:
    schemas = [load_schema(name) for name in ALL_SCHEMAS]
    return {schema["$id"]: schema for schema in schemas}


def _resolve(node: dict) -> dict:
    """Follow a $ref (absolute URI + pointer into $defs), keeping a local description."""
    ref = node.get("$ref")
    if not ref:
        return node
    uri, _, pointer = ref.partition("#")
    target: Any = _by_id()[uri]
    for part in pointer.strip("/").split("/"):
        if part:
            target = target[part]
    merged = dict(_resolve(target))
    if "description" in node:
        merged["description"] = node["description"]
    return merged


def _object_of(node: dict) -> dict | None:
    """The object schema behind a field: itself, its nullable branch, or its array items."""
    node = _resolve(node)
    if "properties" in node:
        return node
    for branch in node.get("anyOf", []):
        found = _object_of(branch)
        if found is not None:
            return found
    items = node.get("items")
    if isinstance(items, dict):
        return _object_of(items)
    return None


_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(]|$)")
_NOT_AN_END = ("e.g.", "i.e.", "...", "vs.")


def _first_sentence(text: str) -> str:
    """The first sentence; "e.g." and "..." do not end one, nor a period before a lowercase word."""
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        head = text[: match.end()]
        if not head.endswith(_NOT_AN_END):
            return head
    return text


def _kind(node: dict) -> str:
    node = _resolve(node)
    types = node.get("type")
    nullable = isinstance(types, list) and "null" in types
    if "anyOf" in node:
        branches = [_resolve(b) for b in node["anyOf"]]
        nullable = nullable or any(b.get("type") == "null" for b in branches)
        kinds: list[str] = []
        for b in branches:
            if b.get("type") != "null" and _kind(b) not in kinds:
                kinds.append(_kind(b))
        base = " or ".join(kinds) or "value"
    elif node.get("type") == "array":
        base = "list"
    elif (
        "properties" in node
        or node.get("type") == "object"
        or (nullable and isinstance(types, list) and "object" in types)
    ):
        base = "object"
    elif isinstance(types, list):
        base = " or ".join(t for t in types if t != "null")
    elif types:
        base = str(types)
    elif "const" in node:
        base = "constant"
    elif "enum" in node:
        base = "enum"
        nullable = nullable or None in node["enum"]
    else:
        base = "value"
    return base + (" or null" if nullable and not base.endswith("or null") else "")


def _field_line(key: str, node: dict, required: bool, indent: str) -> str:
    desc = _first_sentence(_resolve(node).get("description", ""))
    flag = "" if required else " *(optional)*"
    return f"{indent}- `{key}` ({_kind(node)}){flag}: {desc}".rstrip()


def _file_section(file_name: str) -> list[str]:
    schema = load_schema(file_name)
    lines = [f"### `{file_name}`", "", _first_sentence(schema["description"]), ""]
    required = set(schema.get("required", []))
    for key, node in schema["properties"].items():
        lines.append(_field_line(key, node, key in required, ""))
        child = _object_of(node)
        if child is None:
            continue
        child_required = set(child.get("required", []))
        for sub_key, sub_node in child["properties"].items():
            lines.append(_field_line(sub_key, sub_node, sub_key in child_required, "  "))
    lines.append("")
    return lines


def field_guide_markdown() -> str:
    """The guide: per file, the top-level fields and one level down, from the descriptions."""
    lines = [
        "Generated from `schemas/*.schema.json` by `python -m s11sync.schemadoc`; "
        "do not edit by hand.",
        "Canonical values are SI/metric (unit in the field name or description); `display` "
        "blocks carry the athlete's units. Fields marked *(optional)* may be absent; all others "
        "are always present (possibly null).",
        "",
    ]
    for file_name in SCHEMA_NAMES:
        lines.extend(_file_section(file_name))
    return "\n".join(lines).rstrip() + "\n"


def _marker_span(readme_text: str) -> tuple[int, int]:
    start = readme_text.find(START_MARKER)
    end = readme_text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"the page has no {START_MARKER} ... {END_MARKER} block")
    return start + len(START_MARKER), end


def replace_field_guide(readme_text: str, guide: str | None = None) -> str:
    """The page text with the block between the markers replaced by the current guide."""
    start, end = _marker_span(readme_text)
    guide = field_guide_markdown() if guide is None else guide
    return readme_text[:start] + "\n" + guide + readme_text[end:]


def readme_block(readme_text: str) -> str:
    """The text between the markers (ValueError when they are missing)."""
    start, end = _marker_span(readme_text)
    return readme_text[start:end].strip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m s11sync.schemadoc", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--write",
        type=Path,
        metavar="PAGE",
        help="replace the block between the markers (docs/fields.md)",
    )
    args = parser.parse_args(argv)
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        args.write.write_text(replace_field_guide(text), encoding="utf-8")
        return 0
    sys.stdout.write(field_guide_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
