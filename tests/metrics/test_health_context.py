"""Health context (docs/metrics.md, "Health context"): markers, wellness injury, partial
fallback."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s11sync.metrics.health import build_health_context, inclusive_end

TODAY = date(2026, 1, 27)

H1_EVENTS = [
    {
        "id": 5,
        "category": "SICK",
        "start_date_local": "2026-01-27T00:00:00",
        "end_date_local": "2026-01-28T00:00:00",
        "name": "Cold",
    },
    {
        "id": 3,
        "category": "INJURED",
        "start_date_local": "2026-01-10T00:00:00",
        "end_date_local": "2026-01-20T00:00:00",
        "description": " knee ",
    },
    {"id": 4, "category": "NOTE", "start_date_local": "2026-01-26T00:00:00", "name": "Sick"},
    {
        "id": 6,
        "category": "SICK",
        "start_date_local": "2025-12-01T00:00:00",
        "end_date_local": "2025-12-05T00:00:00",
    },
    {
        "id": 7,
        "category": "INJURED",
        "start_date_local": "2026-02-10T00:00:00",
        "end_date_local": "2026-02-10T12:00:00",
    },
]


def test_h1_look_back_fetch_ok_with_current_recent_and_upcoming_markers():
    block = build_health_context(
        TODAY, H1_EVENTS, [], {"id": "2026-01-27", "injury": 3}, date(2026, 1, 13)
    )
    assert list(block) == [
        "source_status",
        "marker_active",
        "recent_marker",
        "clarification_required",
        "lookback_days",
        "recent_window_days",
        "current",
        "recent",
        "upcoming",
        "wellness_injury",
        "note",
    ]
    assert block["source_status"] == "ok"
    # id 5: exclusive end 01-28T00:00 → inclusive 01-27 = today → current
    assert block["current"] == [
        {
            "event_id": 5,
            "category": "SICK",
            "start_date": "2026-01-27",
            "end_date": "2026-01-27",
            "marker_active_today": True,
            "source": "calendar",
            "name": "Cold",
        }
    ]
    # id 3: end 01-20T00:00 → 01-19; 01-27 − 01-19 = 8 days
    assert block["recent"] == [
        {
            "event_id": 3,
            "category": "INJURED",
            "start_date": "2026-01-10",
            "end_date": "2026-01-19",
            "marker_active_today": False,
            "source": "calendar",
            "description": "knee",
            "days_since_end": 8,
        }
    ]
    # id 7: non-midnight end keeps its own date
    assert [(e["event_id"], e["end_date"]) for e in block["upcoming"]] == [(7, "2026-02-10")]
    assert block["marker_active"] is True
    assert block["recent_marker"] is False
    assert block["clarification_required"] is True
    assert block["lookback_days"] == 365
    assert block["recent_window_days"] == 14
    assert block["wellness_injury"] == {
        "value": 3,
        "date": "2026-01-27",
        "freshness": "current",
        "series": "wellness_data[].injury / history.json daily_90d[].injury",
        "days_old": 0,
    }


def test_h2_failed_look_back_falls_back_to_main_events_as_partial():
    block = build_health_context(
        TODAY, None, [H1_EVENTS[1]], {"id": "2026-01-25", "injury": 4}, date(2026, 1, 13)
    )
    assert block["source_status"] == "partial"
    assert "marker_active" not in block and "recent_marker" not in block
    assert block["clarification_required"] is True  # partial alone triggers it
    assert block["lookback_days"] == 14  # 01-27 − 01-13
    assert [e["event_id"] for e in block["recent"]] == [3]
    assert block["wellness_injury"]["freshness"] == "stale"
    assert block["wellness_injury"]["days_old"] == 2


def test_partial_with_an_unknown_main_floor_has_null_lookback():
    block = build_health_context(TODAY, None, [], None, None)
    assert block["lookback_days"] is None
    assert block["current"] == block["recent"] == block["upcoming"] == []


def test_nothing_marked_and_no_injury_needs_no_clarification():
    block = build_health_context(TODAY, [], [], {"id": "2026-01-27", "injury": 1}, None)
    assert block["marker_active"] is False
    assert block["recent_marker"] is False
    assert block["clarification_required"] is False
    assert "wellness_injury" not in block


def test_recent_without_current_sets_recent_marker():
    events = [H1_EVENTS[1]]
    block = build_health_context(TODAY, events, [], None, None)
    assert block["marker_active"] is False
    assert block["recent_marker"] is True
    assert block["clarification_required"] is True


@pytest.mark.parametrize(
    ("end", "bucket"),
    [
        # recent_cutoff = 01-27 − 14 = 01-13, inclusive
        ("2026-01-14T00:00:00", "recent"),  # inclusive end 01-13 = cutoff → recent, 14 days
        ("2026-01-13T00:00:00", None),  # inclusive end 01-12 < cutoff → dropped
    ],
)
def test_recent_window_boundary_is_inclusive_at_14_days(end, bucket):
    events = [
        {"id": 1, "category": "SICK", "start_date_local": "2026-01-05", "end_date_local": end}
    ]
    block = build_health_context(TODAY, events, [], None, None)
    if bucket is None:
        assert block["recent"] == [] and block["current"] == []
    else:
        assert block["recent"][0]["days_since_end"] == 14


@pytest.mark.parametrize(
    ("end_raw", "expected"),
    [
        (None, "2026-01-10"),  # absent → start
        ("", "2026-01-10"),  # empty → start
        ("2026-01-15", "2026-01-14"),  # no time part → exclusive, minus one day
        ("2026-01-15T00:00:00", "2026-01-14"),  # midnight → minus one day
        ("2026-01-15T08:30:00", "2026-01-15"),  # a real time keeps its date
        ("garbage-xx", "2026-01-10"),  # unparsable → start
        ("2026-01-10T00:00:00", "2026-01-10"),  # would be 01-09 → clamped to start
    ],
)
def test_exclusive_end_dates_become_inclusive(end_raw, expected):
    assert inclusive_end(date(2026, 1, 10), end_raw).isoformat() == expected


def test_a_note_titled_sick_is_never_a_marker():
    block = build_health_context(TODAY, [H1_EVENTS[2]], [], None, None)
    assert block["current"] == block["recent"] == block["upcoming"] == []


def test_buckets_sort_by_start_then_category_then_id_text():
    events = [
        {
            "id": 20,
            "category": "SICK",
            "start_date_local": "2026-01-26",
            "end_date_local": "2026-01-29",
        },
        {
            "id": 3,
            "category": "SICK",
            "start_date_local": "2026-01-26",
            "end_date_local": "2026-01-29",
        },
        {
            "id": 9,
            "category": "INJURED",
            "start_date_local": "2026-01-26",
            "end_date_local": "2026-01-29",
        },
        {
            "id": 1,
            "category": "SICK",
            "start_date_local": "2026-01-20",
            "end_date_local": "2026-01-29",
        },
    ]
    block = build_health_context(TODAY, events, [], None, None)
    # "20" < "3" as text
    assert [e["event_id"] for e in block["current"]] == [1, 9, 20, 3]


@pytest.mark.parametrize(
    ("record", "key_present", "triggers"),
    [
        ({"id": "2026-01-27", "injury": None}, False, False),
        ({"id": "2026-01-27", "injury": 1}, False, False),
        ({"id": "2026-01-27", "injury": 2}, True, False),  # reported, but < 3 does not trigger
        ({"id": "2026-01-27", "injury": 3}, True, True),
        ({"id": "2026-01-26", "injury": 4}, True, False),  # stale does not trigger
        ({"id": None, "injury": 3}, True, False),  # no date → stale, no days_old
    ],
)
def test_wellness_injury_thresholds_and_freshness(record, key_present, triggers):
    block = build_health_context(TODAY, [], [], record, None)
    assert ("wellness_injury" in block) is key_present
    assert block["clarification_required"] is triggers
    if record["id"] is None:
        assert "days_old" not in block["wellness_injury"]
        assert block["wellness_injury"]["freshness"] == "stale"


def test_marker_starting_today_with_no_end_is_current():
    events = [{"id": 2, "category": "INJURED", "start_date_local": "2026-01-27T00:00:00"}]
    block = build_health_context(TODAY, events, [], None, None)
    assert block["current"][0]["end_date"] == "2026-01-27"


_day = st.sampled_from(
    [
        None,
        "",
        "2026-01-27",
        "2026-01-27T00:00:00",
        "2026-01-27T13:05:00",
        "2025-01-01",
        "2026-04-30T00:00:00",
        "2026-13-01",
        "junk",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.one_of(st.none(), st.integers(), st.text(max_size=3)),
                "category": st.sampled_from(["SICK", "INJURED", "NOTE", None, 5]),
                "start_date_local": _day,
                "end_date_local": _day,
                "name": st.one_of(st.none(), st.text(max_size=5), st.integers()),
                "description": st.one_of(st.none(), st.text(max_size=5)),
            }
        ),
        max_size=6,
    ),
    ok=st.booleans(),
    injury=st.one_of(st.none(), st.integers(0, 4), st.floats(0, 4)),
)
def test_health_context_is_total(events, ok, injury):
    block = build_health_context(
        TODAY,
        events if ok else None,
        events,
        {"id": "2026-01-27", "injury": injury},
        date(2026, 1, 13),
    )
    assert block["source_status"] in ("ok", "partial")
    for bucket in ("current", "recent", "upcoming"):
        for entry in block[bucket]:
            assert entry["start_date"] <= entry["end_date"]
            assert entry["category"] in ("SICK", "INJURED")
