"""Shared fixtures: the Intervals.icu emulator serving the demo athlete on loopback.

`intervals_emulator` is started once per session on `DEMO_TODAY` (seed 11) and yields the
running `IntervalsEmulator`; its faults are cleared after every test that used it.
`demo_today` is that date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from s11sync.demo.intervals_icu.server import IntervalsEmulator

DEMO_TODAY = date(2026, 11, 25)
DEMO_SEED = 11


@pytest.fixture(scope="session")
def demo_today() -> date:
    return DEMO_TODAY


@pytest.fixture(scope="session")
def intervals_emulator(demo_today: date) -> Iterator[IntervalsEmulator]:
    with IntervalsEmulator(today=demo_today, seed=DEMO_SEED) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _clear_emulator_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    emulator = None
    if "intervals_emulator" in request.fixturenames:
        emulator = request.getfixturevalue("intervals_emulator")
    yield
    if emulator is not None:
        emulator.clear_faults()
