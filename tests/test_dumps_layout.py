"""latest.json is written one item per line (the number of lines costs tokens), the
other files keep indent 2; both round-trip exactly and are deterministic."""

from __future__ import annotations

import json
import math

import pytest

from s11sync.build import dumps

DOC = {
    "READ_THIS_FIRST": {"note": "read me", "scales": {"1": "best"}},
    "today": {"date": "2026-11-25", "planned": [{"name": "Run", "done": True}]},
    "empty_list": [],
    "empty_object": {},
    "scalar": None,
    "recent_activities": [
        {"id": "i1", "display": {"avg_pace": {"value": "5:33", "unit": "/km"}}},
        {"id": "i2", "name": "Ride — Col"},
    ],
}


def test_latest_json_is_one_line_per_section_item_and_round_trips():
    raw = dumps("latest.json", DOC)
    text = raw.decode("utf-8")
    assert json.loads(text) == DOC
    assert text.endswith("}\n")
    lines = text.splitlines()
    assert lines[1] == '  "READ_THIS_FIRST": {'
    assert lines[2] == '    "note": "read me",'
    assert lines[3] == '    "scales": {"1":"best"}'
    assert '    {"id":"i1","display":{"avg_pace":{"value":"5:33","unit":"/km"}}},' in lines
    assert '    {"id":"i2","name":"Ride — Col"}' in lines  # UTF-8, not \u escapes
    assert '  "empty_list": [],' in lines and '  "empty_object": {},' in lines
    # outer braces, three sections of two items (opener + 2 + closer), three one-line sections
    assert len(lines) == 2 + 3 * 4 + 3
    assert dumps("latest.json", json.loads(text)) == raw


def test_other_files_keep_indent_two_and_ftp_history_sorted_keys():
    doc = {"b": 1, "a": [1, 2]}
    assert dumps("history.json", doc) == (json.dumps(doc, indent=2) + "\n").encode()
    assert dumps("ftp_history.json", doc).decode().index('"a"') < dumps(
        "ftp_history.json", doc
    ).decode().index('"b"')


@pytest.mark.parametrize("name", ["latest.json", "history.json"])
def test_nan_is_refused(name):
    with pytest.raises(ValueError):
        dumps(name, {"x": {"y": math.nan}})
