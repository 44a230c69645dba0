"""The history fetch plan (chunked requests with timeouts, the athlete fetched once): date windows
and field projections."""

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from s11sync.history.fetch_params import (
    HISTORY_ACTIVITY_FIELDS,
    HISTORY_WELLNESS_FIELDS,
    history_chunks,
)

OPENAPI = Path(__file__).resolve().parent.parent / "fixtures" / "intervals-icu" / "openapi.json"


def test_three_windows_cover_three_years_without_overlap_or_hole():
    today = date(2026, 1, 21)
    chunks = history_chunks(today)
    # T−1095 … T−732, T−731 … T−366, T−365 … T
    assert chunks == [
        (today - timedelta(days=1095), today - timedelta(days=732)),
        (today - timedelta(days=731), today - timedelta(days=366)),
        (today - timedelta(days=365), today),
    ]


@pytest.mark.parametrize(
    ("today", "years", "chunk_days"),
    [
        (date(2028, 2, 29), 3, 365),
        (date(2026, 1, 21), 3, 180),
        (date(2026, 1, 21), 1, 30),
        (date(2026, 1, 21), 2, 1000),
    ],
)
def test_windows_are_contiguous_and_bounded(today, years, chunk_days):
    chunks = history_chunks(today, years, chunk_days)
    assert chunks[0][0] == today - timedelta(days=365 * years) and chunks[-1][1] == today
    for (_, newest), (oldest, _) in pairwise(chunks):
        assert oldest == newest + timedelta(days=1)
    assert all(0 <= (b - a).days <= chunk_days for a, b in chunks)


def test_bad_plan_parameters_are_refused():
    with pytest.raises(ValueError):
        history_chunks(date(2026, 1, 21), chunk_days=0)


def test_projections_keep_what_the_stub_filter_and_dedup_need():
    for key in ("id", "start_date_local", "type", "source"):
        assert key in HISTORY_ACTIVITY_FIELDS
    assert "id" in HISTORY_WELLNESS_FIELDS
    assert len(set(HISTORY_ACTIVITY_FIELDS)) == len(HISTORY_ACTIVITY_FIELDS)
    assert len(set(HISTORY_WELLNESS_FIELDS)) == len(HISTORY_WELLNESS_FIELDS)


def test_projected_names_are_real_api_fields_or_documented_extras():
    assert OPENAPI.exists(), f"{OPENAPI} (vendored OpenAPI description) is missing"
    schemas = json.loads(OPENAPI.read_text())["components"]["schemas"]
    extras = {
        "icu_hr_decoupling",
        "carbohydrates",
        "protein",
        "fatTotal",
    }  # read though the OpenAPI lacks them
    assert set(HISTORY_ACTIVITY_FIELDS) - set(schemas["Activity"]["properties"]) <= extras
    assert set(HISTORY_WELLNESS_FIELDS) - set(schemas["Wellness"]["properties"]) <= extras
