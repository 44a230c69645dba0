"""The run context: one frozen value with what every builder of a run shares.

Built once per run from the snapshot (the run's instant and display window) and the settings (the
options the builders read), then passed down instead of repeating today / now / days / units /
options in every signature. Pure: nothing here reads the clock or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from s11sync.config import Settings
from s11sync.metrics.load import ACUTE_DAYS, CHRONIC_DAYS
from s11sync.snapshot import Snapshot
from s11sync.units import athlete_units
from s11sync.windows import EXTENDED_DAYS


@dataclass(frozen=True)
class Windows:
    """Window lengths in days, today included."""

    display: int  # `--days`: summaries, wellness_data, weekly_summary
    acute: int = ACUTE_DAYS  # 7-day load and wellness windows
    chronic: int = CHRONIC_DAYS  # 28-day load and wellness windows
    extended: int = EXTENDED_DAYS  # recent_activities and the today block look back this far


@dataclass(frozen=True)
class RunContext:
    today: date  # the athlete-local day of the run
    now: datetime  # the run's instant, in the athlete's time zone
    windows: Windows
    # the leaf builders take plain dicts: these two are copies, never written to
    units: dict[str, str]  # the athlete's display units (distance, temp, wind, …)
    anonymize: bool
    zone_preference: dict[str, str] = field(default_factory=dict)
    week_start_index: int = 0  # 0 = Monday
    hemisphere: str = "north"

    @property
    def tz(self) -> tzinfo | None:
        return self.now.tzinfo

    @property
    def days(self) -> int:
        return self.windows.display

    @classmethod
    def of(cls, snap: Snapshot, settings: Settings) -> RunContext:
        return cls(
            today=snap.today,
            now=snap.now,
            windows=Windows(display=snap.days),
            units=dict(athlete_units(snap.athlete)),
            anonymize=settings.anonymize,
            zone_preference=dict(settings.zone_preference),
            week_start_index=settings.week_start_index,
            hemisphere=settings.hemisphere,
        )
