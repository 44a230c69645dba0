"""plan.py: meaningful change detection, archive path and commit messages (pure)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from publish_helpers import dumps, make_files

from s11sync.publish.plan import (
    VOLATILE_KEYS,
    archive_path,
    commit_message,
    meaningful_equal,
    plan_changes,
)
from s11sync.snapshot import OUTPUT_FILES


def test_every_output_file_has_a_volatile_key_entry():
    assert set(VOLATILE_KEYS) == set(OUTPUT_FILES)
    assert VOLATILE_KEYS["latest.json"] == (
        ("metadata", "last_updated"),
        ("derived_metrics", "calculation_timestamp"),
    )
    assert VOLATILE_KEYS["history.json"] == () and VOLATILE_KEYS["ftp_history.json"] == ()


def test_latest_json_differing_only_in_its_run_timestamps_is_equal():
    old = make_files(stamp="2026-11-22T07:00:00+00:00")["latest.json"]
    new = make_files(stamp="2026-11-22T07:30:00+00:00")["latest.json"]
    assert old != new
    assert meaningful_equal("latest.json", old, new)


@pytest.mark.parametrize("name", ["intervals.json", "routes.json"])
def test_generated_at_is_volatile_in_the_caches(name):
    assert meaningful_equal(
        name, dumps({"generated_at": "a", "x": 1}), dumps({"generated_at": "b", "x": 1})
    )
    assert not meaningful_equal(
        name, dumps({"generated_at": "a", "x": 1}), dumps({"generated_at": "b", "x": 2})
    )


def test_history_generated_at_is_meaningful():
    assert not meaningful_equal(
        "history.json", dumps({"generated_at": "a"}), dumps({"generated_at": "b"})
    )


def test_a_volatile_key_name_elsewhere_in_the_document_is_not_ignored():
    old = dumps({"metadata": {"last_updated": "a"}, "recent_activities": [{"last_updated": "x"}]})
    new = dumps({"metadata": {"last_updated": "b"}, "recent_activities": [{"last_updated": "y"}]})
    assert not meaningful_equal("latest.json", old, new)
    # top-level last_updated is not a volatile key of latest.json either
    assert not meaningful_equal(
        "latest.json", dumps({"last_updated": 1}), dumps({"last_updated": 2})
    )


def test_numbers_and_booleans_are_not_confused():
    assert not meaningful_equal("ftp_history.json", dumps({"a": 1}), dumps({"a": True}))
    assert not meaningful_equal("ftp_history.json", dumps({"a": 1}), dumps({"a": 1.0}))


def test_key_order_and_formatting_do_not_count_as_changes():
    old = json.dumps({"a": 1, "b": [1, 2]}).encode()
    new = (json.dumps({"b": [1, 2], "a": 1}, indent=2) + "\n").encode()
    assert meaningful_equal("routes.json", old, new)


def test_an_absent_old_file_is_never_equal():
    assert not meaningful_equal("latest.json", None, b"{}")


def test_bytes_that_are_not_json_compare_exactly():
    assert meaningful_equal("latest.json", b"\xff garbage", b"\xff garbage")
    assert not meaningful_equal("latest.json", b"not json", b"{}")


def test_missing_volatile_sections_are_fine():
    assert meaningful_equal("latest.json", dumps({"metadata": "odd"}), dumps({"metadata": "odd"}))
    assert meaningful_equal("latest.json", dumps([1, 2]), dumps([1, 2]))


def test_comparison_does_not_mutate_its_inputs():
    doc = {"metadata": {"last_updated": "a"}, "derived_metrics": {"calculation_timestamp": "a"}}
    before = copy.deepcopy(doc)
    meaningful_equal("latest.json", dumps(doc), dumps(doc) + b" ")
    assert doc == before


def test_plan_changes_lists_only_meaningfully_changed_files_in_order():
    old = make_files()
    new = make_files(stamp="2026-11-22T09:00:00+00:00", ftp=300)
    del old["routes.json"]
    assert plan_changes(new, old) == ["routes.json", "ftp_history.json"]
    assert plan_changes(old, old) == []


def test_archive_path_is_per_month_folder_and_day():
    assert archive_path(date(2026, 1, 5)) == "archive/2026-01/2026-01-05.json"


def _docs(files: dict[str, bytes]) -> dict:
    return {name: json.loads(data) for name, data in files.items()}


def test_commit_message_counts_new_activities_and_names_wellness_and_files():
    old = _docs(make_files(activities=("i1",)))
    new = _docs(make_files(activities=("i1", "i2", "i3"), hrv=40.0))
    assert (
        commit_message(date(2026, 11, 22), ["latest.json", "history.json"], new, old)
        == "sync 2026-11-22: 2 new activities, wellness updated (latest.json, history.json)"
    )


def test_commit_message_for_a_change_without_new_activities():
    old = _docs(make_files())
    assert (
        commit_message(date(2026, 11, 22), ["intervals.json"], old, old)
        == "sync 2026-11-22: data updated (intervals.json)"
    )


def test_commit_message_for_the_first_publish_and_the_archive():
    new = _docs(make_files())
    assert (
        commit_message(
            date(2026, 11, 22), ["latest.json", "archive/2026-11/2026-11-22.json"], new, {}
        )
        == "sync 2026-11-22: first publish (latest.json, archive snapshot)"
    )


def test_commit_message_when_activities_disappear_from_the_window():
    old = _docs(make_files(activities=("i1", "i2")))
    new = _docs(make_files(activities=("i2",)))
    assert (
        commit_message(date(2026, 11, 22), ["latest.json"], new, old)
        == "sync 2026-11-22: data updated (latest.json)"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    body=st.dictionaries(st.text(max_size=4), json_values, max_size=4),
    stamps=st.tuples(st.text(max_size=8), st.text(max_size=8)),
)
def test_volatile_keys_never_make_a_change_and_a_document_equals_itself(body, stamps):
    def doc(stamp: str) -> bytes:
        d = dict(body)
        d["metadata"] = {"last_updated": stamp}
        d["derived_metrics"] = {"calculation_timestamp": stamp}
        return dumps(d)

    assert meaningful_equal("latest.json", doc(stamps[0]), doc(stamps[1]))
    for name in VOLATILE_KEYS:
        assert meaningful_equal(name, dumps(body), dumps(body))
        assert plan_changes({name: dumps(body)}, {}) == [name]
