"""The typed boundaries catch a key renamed on one side only (producer or consumer).

Producer side: the load part's fields are checked against `LoadFields` when they are built, so a
renamed key stops the run. Consumer side: readers use subscripts and attributes that mypy checks,
so a renamed read fails `mypy` (run here on a small module, and on the package by test_typing.py).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from s11sync.config import Settings
from s11sync.metrics.readiness import ReadinessMetrics
from s11sync.outputs.derived import DERIVED_METRICS_ORDER, PHASE_KEYS, build_load_metrics
from s11sync.outputs.parts import LOAD_FIELD_NAMES, checked_load_fields
from s11sync.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 18)


def snapshot() -> Snapshot:
    return Snapshot(
        today=TODAY,
        now=datetime(2026, 3, 18, 9, tzinfo=timezone.utc),
        days=7,
        athlete={},
        activities=[
            {
                "id": "i1",
                "type": "Ride",
                "start_date_local": "2026-03-17T08:00:00",
                "icu_training_load": 60,
            }
        ],
        wellness=[{"id": "2026-03-18", "hrv": 55, "restingHR": 50}],
        events=[],
    )


def test_the_load_part_produces_exactly_the_declared_fields():
    load = build_load_metrics(snapshot(), Settings(), {})
    assert set(load.fields) == LOAD_FIELD_NAMES
    assert load.fields["acwr"] is not None and load.internal.activities_7d[0]["id"] == "i1"


def test_a_key_renamed_by_the_producer_fails_loudly():
    fields = dict(build_load_metrics(snapshot(), Settings(), {}).fields)
    fields["acwr_ratio"] = fields.pop("acwr")
    with pytest.raises(ValueError, match=r"missing \['acwr'\], undeclared \['acwr_ratio'\]"):
        checked_load_fields(fields)


def test_every_emitted_load_key_and_every_readiness_read_is_a_declared_field():
    emitted = {k for k in DERIVED_METRICS_ORDER if k not in ("capability", "unavailable")}
    assert emitted - set(PHASE_KEYS) <= LOAD_FIELD_NAMES
    assert set(ReadinessMetrics.__required_keys__) <= LOAD_FIELD_NAMES


CONSUMER = """
from s11sync.metrics.readiness import ReadinessMetrics
from s11sync.outputs.parts import LatestParts, LoadMetrics


def read(load: LoadMetrics, metrics: ReadinessMetrics, parts: LatestParts) -> object:
    return (load.fields["{load_key}"], load.internal.{internal}, metrics["{readiness_key}"],
            parts.{part})
"""


def mypy_errors(tmp_path: Path, **names: str) -> list[str]:
    module = tmp_path / "consumer.py"
    module.write_text(CONSUMER.format(**names), encoding="utf-8")
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run(
        [str(mypy), "--follow-imports=silent", "--no-error-summary", str(module)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in result.stdout.splitlines() if ": error:" in line]


def test_a_key_renamed_by_a_consumer_fails_mypy(tmp_path):
    good = dict(load_key="acwr", internal="hrv_low_days", readiness_key="latest_hrv", part="alerts")
    assert mypy_errors(tmp_path, **good) == []
    renamed = dict(
        load_key="acwr_ratio", internal="hrv_low_day", readiness_key="latest_hrv_ms", part="alert"
    )
    errors = "\n".join(mypy_errors(tmp_path, **renamed))
    for name in ("acwr_ratio", "hrv_low_day", "latest_hrv_ms", "alert"):
        assert f'"{name}"' in errors
