"""Coach mode, the run: one ordinary sync per roster athlete, each isolated from the others.

Each athlete gets its own settings (athlete id, the key from the environment variable its
`key_secret` names, its own output folder `DIR/<name>/` and its own data repo or folder of
DATA_REPO), so its state (ftp_history.json, the interval ledger) never mixes with another's. A
failure (bad key, unknown athlete, API outage, publish refused) is caught per athlete and recorded;
the next athlete runs regardless. The caller prints the summary and exits 1 if any failed.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from s11sync import redact
from s11sync.config import Settings
from s11sync.errors import ConfigError, S11SyncError
from s11sync.roster import Athlete

log = logging.getLogger("s11sync")

SyncFn = Callable[..., Any]  # pipeline.run_sync, or a test double of the same signature


@dataclass
class AthleteOutcome:
    athlete: Athlete
    ok: bool
    error: str = ""
    result: Any = None  # RunResult when ok


@dataclass
class RosterResult:
    outcomes: list[AthleteOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[AthleteOutcome]:
        return [o for o in self.outcomes if not o.ok]


def athlete_settings(
    base: Settings, athlete: Athlete, env: Mapping[str, str]
) -> tuple[Settings, str]:
    """(settings, folder in the data repo) of one athlete; ConfigError when its key is missing.
    The folder becomes the athlete's `data_path` (its own data repo: the root)."""
    key = (env.get(athlete.key_secret) or "").strip()
    if not key:
        raise ConfigError(
            f"the environment variable {athlete.key_secret} (its key_secret) is empty or "
            "unset: add that secret / export it with the athlete's Intervals.icu key"
        )
    redact.register_api_key(key)
    changes: dict[str, Any] = {"athlete_id": athlete.athlete_id, "intervals_key": key}
    if base.output is not None:
        changes["output"] = base.output / athlete.name
    if base.save_snapshot is not None:
        snap = base.save_snapshot
        changes["save_snapshot"] = snap.with_name(f"{snap.stem}-{athlete.name}{snap.suffix}")
    prefix = ""
    if base.publish is not None:
        if athlete.data_repo:
            changes["data_repo"] = athlete.data_repo
            changes["data_path"] = ""
        else:
            if not base.data_repo:
                raise ConfigError(
                    f"folder {athlete.folder!r} is a folder of DATA_REPO, which is not set: "
                    "set DATA_REPO (owner/name) or give this athlete a data_repo"
                )
            prefix = athlete.folder or ""
            changes["data_path"] = prefix.strip("/")
    return base.with_(**changes), prefix


def run_roster(
    base: Settings,
    athletes: list[Athlete],
    env: Mapping[str, str],
    utc_now: datetime,
    *,
    sync: SyncFn | None = None,
    progress: Callable[[str], None] | None = None,
) -> RosterResult:
    """Run every athlete in turn; one athlete's failure never stops the next."""
    if sync is None:
        from s11sync.pipeline import run_sync

        sync = run_sync
    out = RosterResult()
    for athlete in athletes:
        try:
            settings, _folder = athlete_settings(base, athlete, env)
            result = sync(settings, utc_now, progress=progress)
        except S11SyncError as exc:
            out.outcomes.append(AthleteOutcome(athlete, False, redact.redact(exc)))
            continue
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            out.outcomes.append(
                AthleteOutcome(athlete, False, redact.redact(f"{exc.strerror or exc}{where}"))
            )
            continue
        except Exception as exc:  # a bug for this athlete must not stop the others
            log.debug("%s", redact.redact(traceback.format_exc()))
            out.outcomes.append(
                AthleteOutcome(
                    athlete,
                    False,
                    redact.redact(
                        f"unexpected {type(exc).__name__}: {exc} (run with --debug and report it)"
                    ),
                )
            )
            continue
        out.outcomes.append(AthleteOutcome(athlete, True, result=result))
    return out


def summary_lines(result: RosterResult, settings: Settings) -> list[str]:
    """One line per athlete after its own summary, then the verdict naming the failed ones."""
    from s11sync.report import summary_lines as run_lines

    lines: list[str] = []
    for outcome in result.outcomes:
        if outcome.ok:
            lines.append(f"[{outcome.athlete.name}] ok")
            lines.extend(
                f"[{outcome.athlete.name}]   {line}" for line in run_lines(outcome.result, settings)
            )
        else:
            lines.append(f"[{outcome.athlete.name}] FAILED: {outcome.error}")
    total = len(result.outcomes)
    failed = result.failed
    if failed:
        lines.append(
            f"{total - len(failed)} of {total} athletes synced; failed: "
            + ", ".join(o.athlete.name for o in failed)
        )
    else:
        lines.append(f"all {total} athletes synced")
    return [redact.redact(line) for line in lines]
