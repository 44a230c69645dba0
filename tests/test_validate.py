"""Validation of built documents: broken documents are rejected with the path named, every error is
reported, and `validate_paths` produces the report `s11sync validate` prints."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import s11sync.validate as validate_module
from s11sync.errors import SchemaViolation
from s11sync.validate import (
    SCHEMA_NAMES,
    load_schema,
    schema_text,
    validate_document,
    validate_documents,
    validate_paths,
    validator_for,
)

FIXTURES = Path(__file__).parent / "fixtures" / "schema"
# the original script's sample output files, vendored (see that folder's README.md)
REFERENCE = Path(__file__).parent / "fixtures" / "reference" / "section11-v3.128"


def fixture(file_name: str) -> dict:
    return json.loads((FIXTURES / file_name).read_text(encoding="utf-8"))


@pytest.fixture
def latest() -> dict:
    return copy.deepcopy(fixture("latest.json"))


def errors_of(doc, file_name="latest.json") -> list[str]:
    return validate_document(file_name, doc)


def test_a_valid_document_has_no_errors(latest):
    assert errors_of(latest) == []


def test_a_missing_required_section_is_named(latest):
    del latest["summary"]
    assert errors_of(latest) == ["latest.json $: 'summary' is a required property"]


def test_an_optional_section_may_be_absent_but_not_null(latest):
    del latest["derived_metrics"]
    assert errors_of(latest) == []
    latest["derived_metrics"] = None
    assert errors_of(latest) == ["latest.json $.derived_metrics: None is not of type 'object'"]


def test_a_wrong_type_is_reported_with_its_path(latest):
    latest["current_status"]["fitness"]["ctl"] = "x"
    assert errors_of(latest) == [
        "latest.json $.current_status.fitness.ctl: 'x' is not of type 'number', 'null'"
    ]


def test_a_negative_duration_is_rejected(latest):
    latest["recent_activities"][0]["duration_hours"] = -0.5
    assert errors_of(latest) == [
        "latest.json $.recent_activities[0].duration_hours: -0.5 is less than the minimum of 0"
    ]


def test_a_negative_interval_duration_is_rejected():
    doc = fixture("intervals.json")
    doc["activities"][0]["intervals"][0]["duration_secs"] = -1
    assert validate_document("intervals.json", doc) == [
        "intervals.json $.activities[0].intervals[0].duration_secs: "
        "-1 is less than the minimum of 0"
    ]


def test_a_percentage_over_100_is_rejected(latest):
    latest["derived_metrics"]["grey_zone_percentage"] = 100.1
    latest["derived_metrics"]["seiler_tid_7d"]["z1_pct"] = 120
    assert errors_of(latest) == [
        "latest.json $.derived_metrics.grey_zone_percentage: "
        "100.1 is greater than the maximum of 100",
        "latest.json $.derived_metrics.seiler_tid_7d.z1_pct: "
        "120 is greater than the maximum of 100",
    ]


def test_a_fraction_over_1_is_rejected(latest):
    latest["derived_metrics"]["easy_time_ratio"] = 82
    assert errors_of(latest) == [
        "latest.json $.derived_metrics.easy_time_ratio: 82 is greater than the maximum of 1"
    ]


def test_an_unknown_enum_label_is_rejected(latest):
    latest["derived_metrics"]["acwr_interpretation"] = "great"
    latest["readiness_decision"]["recommendation"] = "rest"
    errors = errors_of(latest)
    assert len(errors) == 2
    assert errors[0].startswith(
        "latest.json $.derived_metrics.acwr_interpretation: 'great' is not one of"
    )
    assert errors[1].startswith(
        "latest.json $.readiness_decision.recommendation: 'rest' is not one of"
    )


def test_a_renamed_field_fails_twice_missing_and_unexpected(latest):
    dm = latest["derived_metrics"]
    dm["polarisation_index"] = dm.pop("easy_time_ratio")
    assert errors_of(latest) == [
        "latest.json $.derived_metrics: 'easy_time_ratio' is a required property",
        "latest.json $.derived_metrics: "
        "Additional properties are not allowed ('polarisation_index' was unexpected)",
    ]


def test_a_renamed_field_inside_an_array_item_fails(latest):
    act = latest["recent_activities"][2]
    act["title"] = act.pop("name")
    errors = errors_of(latest)
    assert "latest.json $.recent_activities[2]: 'name' is a required property" in errors
    assert any("'title' was unexpected" in e for e in errors)


def test_bad_dates_and_timestamps_fail_format_checking(latest):
    latest["wellness_data"][0]["date"] = "2026-02-30"
    latest["metadata"]["last_updated"] = "2026-03-18T12:00:00.000000"  # the original's, no offset
    assert errors_of(latest) == [
        "latest.json $.metadata.last_updated: '2026-03-18T12:00:00.000000' is not a 'date-time'",
        "latest.json $.wellness_data[0].date: '2026-02-30' is not a 'date'",
    ]


def test_a_bad_date_key_in_ftp_history_fails():
    doc = fixture("ftp_history.json")
    doc["outdoor"]["2026-13-01"] = 280
    errors = validate_document("ftp_history.json", doc)
    assert errors and all(e.startswith("ftp_history.json $.outdoor: '2026-13-01'") for e in errors)


def test_a_nullable_block_reports_the_inner_problem_not_just_any_of(latest):
    latest["recent_activities"][2]["display"]["elevation"] = {"value": 640}
    assert errors_of(latest) == [
        "latest.json $.recent_activities[2].display.elevation: 'unit' is a required property"
    ]


def test_presence_rules_are_enforced(latest):
    run = latest["recent_activities"][0]
    del run["avg_pace_unit"]  # avg_pace is set, so its unit must be too
    ride = latest["recent_activities"][2]
    ride["terrain_status"] = "no_gps"  # a summary and a status never together
    errors = errors_of(latest)
    assert "latest.json $.recent_activities[0]: 'avg_pace_unit' is a required property" in errors
    assert any(e.startswith("latest.json $.recent_activities[2]: ") for e in errors)


def test_the_acwr_alert_must_carry_its_scope_keys(latest):
    acwr_alert = latest["alerts"][1]
    assert acwr_alert["metric"] == "acwr"
    del acwr_alert["scope"]
    assert errors_of(latest) == ["latest.json $.alerts[1]: 'scope' is a required property"]


def test_an_unknown_unavailable_reason_is_rejected(latest):
    latest["derived_metrics"]["unavailable"]["acwr"] = "no_data"
    errors = errors_of(latest)
    assert len(errors) == 1
    assert errors[0].startswith("latest.json $.derived_metrics.unavailable.acwr: 'no_data'")


def test_schema_version_is_pinned(latest):
    latest["metadata"]["schema_version"] = 2
    assert errors_of(latest) == ["latest.json $.metadata.schema_version: 1 was expected"]


def test_errors_are_sorted_by_path_with_numeric_indexes(latest):
    rows = latest["wellness_data"]
    latest["wellness_data"] = [copy.deepcopy(rows[0]) for _ in range(12)]
    for row in latest["wellness_data"]:
        row["resting_hr"] = "x"
    latest["athlete_notes"] = 3
    errors = errors_of(latest)
    assert errors[0].startswith("latest.json $.athlete_notes:")
    assert [e.split(":")[0] for e in errors[1:]] == [
        f"latest.json $.wellness_data[{i}].resting_hr" for i in range(12)
    ]


def test_validate_documents_passes_on_valid_documents():
    validate_documents({name: fixture(name) for name in SCHEMA_NAMES})


def test_validate_documents_lists_every_error_of_every_file(latest):
    del latest["summary"]
    routes = fixture("routes.json")
    routes["events"][0]["event_date"] = "soon"
    with pytest.raises(SchemaViolation) as info:
        validate_documents(
            {"latest.json": latest, "routes.json": routes, "history.json": fixture("history.json")}
        )
    assert info.value.errors == [
        "latest.json $: 'summary' is a required property",
        "routes.json $.events[0].event_date: 'soon' is not a 'date'",
    ]
    assert "latest.json, routes.json" in str(info.value)


def test_validate_documents_rejects_a_document_without_a_schema():
    with pytest.raises(SchemaViolation) as info:
        validate_documents({"notes.json": {}})
    assert "notes.json" in info.value.errors[0]


def test_validate_paths_reports_one_good_and_one_bad_file(tmp_path):
    good = json.dumps(fixture("ftp_history.json"))
    (tmp_path / "ftp_history.json").write_text(good, encoding="utf-8")
    broken = fixture("routes.json")
    broken["schema_version"] = 2
    (tmp_path / "routes.json").write_text(json.dumps(broken), encoding="utf-8")
    lines, ok = validate_paths([tmp_path])
    assert ok is False
    assert lines == [
        f"{tmp_path / 'ftp_history.json'}: OK",
        f"{tmp_path / 'routes.json'}: 1 error(s)",
        "  routes.json $.schema_version: 1 was expected",
    ]


def test_validate_paths_on_good_files_is_ok(tmp_path):
    for name in SCHEMA_NAMES:
        (tmp_path / name).write_text(json.dumps(fixture(name)), encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    lines, ok = validate_paths([tmp_path])
    assert ok is True
    assert f"{tmp_path / 'notes.json'}: skipped (no schema for this file name)" in lines
    assert sum(line.endswith(": OK") for line in lines) == 5


def test_validate_paths_reports_an_unknown_file_name(tmp_path):
    unknown = tmp_path / "summary.json"
    unknown.write_text("{}", encoding="utf-8")
    lines, ok = validate_paths([unknown])
    assert ok is False
    assert lines[0].startswith(f"{unknown}: unknown file name")


def test_validate_paths_reports_unreadable_and_missing_files(tmp_path):
    bad = tmp_path / "latest.json"
    bad.write_text('{"metadata": ', encoding="utf-8")
    lines, ok = validate_paths([bad, tmp_path / "history.json"])
    assert ok is False
    assert lines[0].startswith(f"{bad}: not readable JSON")
    assert lines[1] == f"{tmp_path / 'history.json'}: file not found"


def test_validate_paths_reports_a_missing_path_before_its_name(tmp_path):
    lines, ok = validate_paths([tmp_path / "notes.json"])
    assert (lines, ok) == ([f"{tmp_path / 'notes.json'}: file not found"], False)


def test_the_strava_note_accompanies_a_nonzero_stub_count(latest):
    latest["metadata"]["data_availability"]["note"] = None
    assert errors_of(latest) == [
        "latest.json $.metadata.data_availability.note: None is not of type 'string'"
    ]


def test_zone_times_have_no_gaps(latest):
    zones = latest["recent_activities"][2]["zone_distribution"]["hr_zones"]
    del zones["z2_time"]
    assert errors_of(latest) == [
        "latest.json $.recent_activities[2].zone_distribution.hr_zones: "
        "'z2_time' is a dependency of 'z3_time'"
    ]


def test_validate_paths_on_an_empty_folder_fails(tmp_path):
    lines, ok = validate_paths([tmp_path])
    assert ok is False and "no JSON files" in lines[0]


def test_the_original_reference_files_get_a_migration_report_without_crashing():
    assert REFERENCE.is_dir(), f"{REFERENCE} (vendored reference outputs) is missing"
    lines, ok = validate_paths([REFERENCE])
    assert isinstance(ok, bool)
    for name in SCHEMA_NAMES:
        assert any(line.startswith(str(REFERENCE / name) + ": ") for line in lines), name


def test_schemas_load_by_output_or_schema_name():
    assert load_schema("latest.json") == load_schema("latest.schema.json") == load_schema("latest")
    assert load_schema("common")["$id"].endswith("/common.schema.json")
    assert json.loads(schema_text("routes.json"))["$id"].endswith("/routes.schema.json")
    with pytest.raises(KeyError):
        load_schema("summary.json")


def test_validators_are_compiled_once(monkeypatch):
    # counted, not timed: every run validates with the cached validators, no schema is compiled again
    assert validator_for("latest.json") is validator_for("latest.json")
    docs = {name: fixture(name) for name in SCHEMA_NAMES}
    validate_documents(docs)  # warm-up: compiles what is not compiled yet
    compiled = []
    real = validate_module.Draft202012Validator

    def counting(*args, **kwargs):
        compiled.append(args)
        return real(*args, **kwargs)

    counting.FORMAT_CHECKER = real.FORMAT_CHECKER  # type: ignore[attr-defined]
    monkeypatch.setattr(validate_module, "Draft202012Validator", counting)
    for _ in range(3):
        validate_documents(docs)
    assert compiled == []


def test_a_folder_includes_its_state_file_and_a_broken_one_fails(tmp_path):
    # `s11sync validate FOLDER` checks everything s11sync wrote there, state/curves.json included
    (tmp_path / "ftp_history.json").write_bytes((FIXTURES / "ftp_history.json").read_bytes())
    (tmp_path / "state").mkdir()
    state = tmp_path / "state" / "curves.json"
    state.write_text('{"fingerprint": 3}', encoding="utf-8")
    lines, ok = validate_paths([tmp_path])
    assert ok is False
    assert any(line.startswith(f"{state}: ") and "error" in line for line in lines), lines
