"""The schema files themselves: valid Draft 2020-12, references resolve, documented, versioned,
and the hand-made example documents (tests/fixtures/schema/, written by hand) validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from s11sync.schemadoc import (
    END_MARKER,
    START_MARKER,
    field_guide_markdown,
    readme_block,
    replace_field_guide,
)
from s11sync.validate import (
    ALL_SCHEMAS,
    SCHEMA_NAMES,
    STATE_SCHEMAS,
    _registry,
    load_schema,
    schema_text,
    schema_version,
    validate_document,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
FIXTURES = Path(__file__).parent / "fixtures" / "schema"
BASE = "https://s11sync.dev/schemas/"
REASON_CODES = {
    "insufficient_history",
    "no_wellness_data",
    "no_zone_data",
    "no_activities_in_window",
    "no_ftp_history",
    "not_applicable",
    "field_missing",
    "out_of_range",
    "fetch_failed",
}
OPTIONAL_SECTIONS = {
    "derived_metrics",
    "alerts",
    "readiness_decision",
    "health_context",
    "race_calendar",
}


def _walk(node, path=""):
    """Yield (json pointer, subschema) for every schema object inside a schema document."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs", "dependentSchemas", "patternProperties"):
                for name, sub in value.items():
                    yield from _walk(sub, f"{path}/{key}/{name}")
            elif key in (
                "items",
                "additionalProperties",
                "propertyNames",
                "not",
                "if",
                "then",
                "else",
                "contains",
            ):
                yield from _walk(value, f"{path}/{key}")
            elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
                for i, sub in enumerate(value):
                    yield from _walk(sub, f"{path}/{key}/{i}")


def test_the_schema_folder_holds_exactly_the_file_and_command_schemas():
    # plus the schema of the curve state kept for the next run (state/curves.json)
    state = tuple(STATE_SCHEMAS.values())
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(ALL_SCHEMAS + state)
    assert set(SCHEMA_NAMES) == {
        "latest.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
    }


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_schema_is_valid_draft_2020_12_with_an_absolute_id(name):
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == BASE + name
    assert schema["title"] and schema["description"]
    assert schema_text(name) == (SCHEMA_DIR / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_ref_resolves_locally(name):
    registry = _registry()
    refs = [(p, node["$ref"]) for p, node in _walk(load_schema(name)) if "$ref" in node]
    if name not in ("common.schema.json", "ftp_history.schema.json"):
        assert refs, "file schemas share pieces through common.schema.json"
    for pointer, ref in refs:
        assert ref.startswith(BASE), f"{name}{pointer}: {ref} is not an absolute s11sync $id"
        resolved = registry.resolver().lookup(ref).contents
        assert isinstance(resolved, dict), f"{name}{pointer}: {ref}"


@pytest.mark.parametrize("name", ALL_SCHEMAS)
def test_every_object_has_a_title_and_description_and_every_field_a_description(name):
    registry = _registry()
    missing = []
    for pointer, node in _walk(load_schema(name)):
        if "type" not in node:  # if/then/else/not fragments only constrain; nothing to document
            continue
        if "properties" in node and not (node.get("title") and node.get("description")):
            missing.append(f"{pointer}: object without title/description")
        for key, sub in node.get("properties", {}).items():
            if sub is False or "description" in sub:
                continue
            if "$ref" in sub and "description" in registry.resolver().lookup(sub["$ref"]).contents:
                continue
            missing.append(f"{pointer}/properties/{key}: no description")
    assert missing == []


def test_schema_version_lives_in_metadata_for_latest_and_at_top_level_elsewhere():
    latest = load_schema("latest.json")
    assert "schema_version" not in latest["properties"]
    assert "schema_version" in latest["properties"]["metadata"]["required"]
    for file_name in ("history.json", "intervals.json", "routes.json", "ftp_history.json"):
        schema = load_schema(file_name)
        assert "metadata" not in schema["properties"]
        assert "schema_version" in schema["required"], file_name
    assert {f: schema_version(f) for f in SCHEMA_NAMES} == {f: 1 for f in SCHEMA_NAMES}


def test_latest_top_level_keys_and_presence_follow_the_spec_layout():
    latest = load_schema("latest.json")
    assert list(latest["properties"]) == [
        "READ_THIS_FIRST",
        "today",
        "metadata",
        "athlete_profile",
        "athlete_notes",
        "alerts",
        "readiness_decision",
        "health_context",
        "history",
        "summary",
        "current_status",
        "derived_metrics",
        "recent_activities",
        "wellness_data",
        "planned_workouts",
        "workout_summary_stats",
        "weekly_summary",
        "year_to_date",
        "race_calendar",
    ]
    optional = set(latest["properties"]) - set(latest["required"])
    assert optional == OPTIONAL_SECTIONS
    for key in optional:  # the description says why the section may be absent
        assert "optional" in latest["properties"][key]["description"].lower()
    status = latest["properties"]["current_status"]
    assert set(status["properties"]) - set(status["required"]) == {"weight"}
    assert latest["additionalProperties"] is False


def test_unavailable_maps_metric_names_to_the_six_reason_codes():
    common = load_schema("common.schema.json")
    assert set(common["$defs"]["unavailable-reason"]["enum"]) == REASON_CODES
    derived = load_schema("latest.json")["properties"]["derived_metrics"]
    unavailable = derived["properties"]["unavailable"]
    assert unavailable["additionalProperties"]["$ref"].endswith("#/$defs/unavailable-reason")


def test_maps_keyed_by_dynamic_names_stay_open_but_constrain_their_values():
    latest = load_schema("latest.json")["properties"]
    by_type = latest["summary"]["properties"]["by_activity_type"]
    assert "properties" in by_type["additionalProperties"]
    sports = latest["current_status"]["properties"]["thresholds"]["properties"]["sports"]
    assert sports["propertyNames"]["$ref"].endswith("#/$defs/family")
    ftp = load_schema("ftp_history.json")["properties"]["outdoor"]
    assert ftp["propertyNames"]["format"] == "date"


@pytest.mark.parametrize("file_name", list(SCHEMA_NAMES))
def test_the_hand_made_example_of_each_file_is_valid(file_name):
    doc = json.loads((FIXTURES / file_name).read_text(encoding="utf-8"))
    assert validate_document(file_name, doc) == []


def test_the_minimal_latest_example_without_optional_sections_is_valid():
    doc = json.loads((FIXTURES / "latest.minimal.json").read_text(encoding="utf-8"))
    assert not OPTIONAL_SECTIONS & set(doc)
    assert "weight" not in doc["current_status"]
    assert validate_document("latest.json", doc) == []


def test_the_full_latest_example_carries_every_optional_section():
    doc = json.loads((FIXTURES / "latest.json").read_text(encoding="utf-8"))
    assert list(doc) == list(load_schema("latest.json")["properties"])
    assert "weight" in doc["current_status"]


def test_the_field_guide_names_every_top_level_field_of_every_file():
    guide = field_guide_markdown()
    assert guide == field_guide_markdown()
    for file_name in SCHEMA_NAMES:
        assert f"### `{file_name}`" in guide
        for key in load_schema(file_name)["properties"]:
            assert f"- `{key}` (" in guide, (file_name, key)
    assert "  - `acwr_start_of_day` (object)" in guide


def test_the_field_guide_page_matches_the_schemas():
    page = ROOT / "docs" / "fields.md"
    assert page.exists(), "docs/fields.md is missing"
    text = page.read_text(encoding="utf-8")
    assert START_MARKER in text and END_MARKER in text, (
        f"docs/fields.md needs a {START_MARKER} ... {END_MARKER} block; fill it with "
        "`python -m s11sync.schemadoc --write docs/fields.md`"
    )
    assert readme_block(text) == field_guide_markdown(), (
        "the field guide is out of date: run `python -m s11sync.schemadoc --write docs/fields.md`"
    )


def test_readme_points_to_the_field_guide_instead_of_holding_it():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START_MARKER not in text and "docs/fields.md" in text


def test_the_readme_block_is_replaced_between_the_markers_only():
    text = f"# s11sync\n\nintro\n{START_MARKER}\nold guide\n{END_MARKER}\n\nmore\n"
    new = replace_field_guide(text)
    assert new.startswith(f"# s11sync\n\nintro\n{START_MARKER}\n")
    assert new.endswith(f"{END_MARKER}\n\nmore\n")
    assert readme_block(new) == field_guide_markdown()
    with pytest.raises(ValueError):
        readme_block("# s11sync without markers\n")
