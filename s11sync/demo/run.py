"""`s11sync demo`: the real sync code path against the built-in emulators.

The Intervals.icu emulator serves the synthetic athlete on 127.0.0.1; with `--publish` the GitHub
emulator serves a bare repository kept under OUTPUT/github/<owner>/<repo>.git, so a second run shows
that unchanged data makes no commit.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from s11sync.config import Settings, resolve_settings
from s11sync.pipeline import output_folder
from s11sync.report import print_run_summary

DEMO_REPO_OWNER = "demo-athlete"
DEMO_REPO_NAME = "training-data"
DEMO_TOKEN = "demo-token"
DEMO_REQUESTS_PER_SECOND = 200.0


def _demo_today(pinned: str | None, utc_now: datetime) -> date:
    if pinned:
        return date.fromisoformat(pinned)
    return utc_now.date()


def run_demo(
    values: dict[str, Any],
    *,
    seed: int,
    publish: bool,
    progress: Callable[[str], None],
    env: dict[str, str] | None = None,
) -> int:
    from s11sync.demo.intervals_icu.server import IntervalsEmulator
    from s11sync.pipeline import run_sync

    utc_now = datetime.now(timezone.utc)
    today = _demo_today(values.get("today"), utc_now)
    output = Path(values["output"])
    with IntervalsEmulator(today=today, seed=seed) as api:
        values = {
            **values,
            "athlete_id": api.athlete_id,
            "intervals_key": api.api_key,
            "api_base": api.base_url,
            "today": values.get("today") or today.isoformat(),
            # the emulator is on loopback: the live service's 10 requests/s limit does not apply
            "requests_per_second": DEMO_REQUESTS_PER_SECOND,
        }
        # The demo ignores the environment's credentials and data repo: it is self-contained.
        settings = resolve_settings(values, env=env if env is not None else {})
        _check_target(settings)
        output = output_folder(settings) or output
        seed_ftp_history(output, today)
        if not publish:
            result = run_sync(settings, utc_now, progress=progress)
            print_run_summary(result, settings)
            _print_demo_hint(output, settings.quiet)
            return 0
        from s11sync.demo.github.server import GitHubEmulator

        with GitHubEmulator(output / "github", token=DEMO_TOKEN) as gh:
            bare = gh.create_repo(DEMO_REPO_OWNER, DEMO_REPO_NAME, private=True, auto_init=True)
            settings = settings.with_(
                publish="github",
                data_repo=f"{DEMO_REPO_OWNER}/{DEMO_REPO_NAME}",
                data_repo_token=DEMO_TOKEN,
                github_api_url=gh.api_url,
            )
            result = run_sync(settings, utc_now, progress=progress)
            print_run_summary(result, settings)
        if not settings.quiet:
            log = subprocess.run(
                ["git", "--git-dir", str(bare), "log", "--stat", "-n", "3"],
                capture_output=True,
                text=True,
                check=False,
            )
            print(f"\nEmulated data repo {bare} (git log --stat, newest 3):")
            print(log.stdout.rstrip() or "(no commits)")
    return 0


def _check_target(settings: Settings) -> None:
    """The checks sync makes before fetching, made before the demo seeds its folder."""
    from s11sync.publish.local import check_output_folder

    folder = output_folder(settings)
    if folder is not None:
        check_output_folder(folder, dry_run=settings.dry_run)


def seed_ftp_history(output: Path, today: date, days: int = 365) -> None:
    """Give a fresh demo folder the ftp_history.json a year of daily syncs would have recorded
    (an entry whenever the demo athlete's FTP changed), so the Benchmark Index has its 8 weeks.
    Never touches an existing file."""
    import json

    from s11sync.demo.intervals_icu.athlete_calendar import ftp_indoor, ftp_outdoor

    path = output / "ftp_history.json"
    if path.exists():
        return
    history: dict[str, dict[str, int]] = {"indoor": {}, "outdoor": {}}
    last: dict[str, int | None] = {"indoor": None, "outdoor": None}
    for offset in range(days, 0, -1):  # up to yesterday: today's sync records today's value itself
        day = date.fromordinal(today.toordinal() - offset)
        for kind, value in (("indoor", ftp_indoor(day)), ("outdoor", ftp_outdoor(day))):
            if value != last[kind]:
                history[kind][day.isoformat()] = value
                last[kind] = value
    output.mkdir(parents=True, exist_ok=True)
    doc = {**history, "schema_version": 1}
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _print_demo_hint(output: Path, quiet: bool | None) -> None:
    if quiet:
        return
    print(
        f"\nOpen {output / 'README.md'} (with its two charts) for the overview, and "
        f"{output / 'latest.json'} to see what your AI coach reads; "
        f"check it with: s11sync validate {output}"
    )


def serve(port: int, seed: int, pinned_today: str | None) -> int:
    """`s11sync demo serve`: the emulator alone, in the foreground, until Ctrl-C."""
    from s11sync.demo.intervals_icu.server import serve_forever

    today = _demo_today(pinned_today, datetime.now(timezone.utc))
    try:
        serve_forever(port, today, seed)
    except OSError as exc:
        from s11sync.errors import ConfigError

        raise ConfigError(
            f"cannot listen on 127.0.0.1 port {port} ({exc.strerror or exc}): choose another "
            "--port, or omit --port for a free one"
        ) from None
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


DEMO_COACH_OWNER = "demo-coach"


def demo_roster(athlete_id: str, coached_ids: list[str]) -> list[Any]:
    """The built-in roster of `demo --roster`: three athletes under one coach key; two share the
    coach's data repo (a folder each), the third has a data repo of its own."""
    from s11sync.roster import parse_roster

    ids = [athlete_id, *coached_ids]
    return parse_roster(
        {
            "athletes": [
                {"name": "anna", "athlete_id": ids[0], "folder": "athletes/anna"},
                {"name": "ben", "athlete_id": ids[1], "folder": "athletes/ben"},
                {
                    "name": "cleo",
                    "athlete_id": ids[2],
                    "data_repo": f"{DEMO_COACH_OWNER}/cleo-data",
                },
            ]
        }
    )


def run_demo_roster(
    values: dict[str, Any],
    *,
    publish: bool,
    progress: Callable[[str], None],
    athletes: list[Any] | None = None,
) -> int:
    """`s11sync demo --roster`: coach mode offline. The emulator serves three athletes under one
    coach key; each is synced into OUTPUT/<name>/ and, with --publish, committed to the emulated
    GitHub (DATA_REPO demo-coach/training-data, folders athletes/<name>, and cleo's own repo).
    `athletes` replaces the built-in roster (tests: a broken entry). Exit 1 if any athlete failed."""
    from s11sync.demo.intervals_icu.server import (
        COACHED_SEEDS,
        IntervalsEmulator,
        coached_athlete_id,
    )
    from s11sync.roster_run import run_roster, summary_lines

    utc_now = datetime.now(timezone.utc)
    today = _demo_today(values.get("today"), utc_now)
    with IntervalsEmulator(today=today, coached_seeds=COACHED_SEEDS) as api:
        roster = athletes or demo_roster(
            api.athlete_id, [coached_athlete_id(s) for s in COACHED_SEEDS]
        )
        values = {
            **values,
            "api_base": api.base_url,
            "today": values.get("today") or today.isoformat(),
            "requests_per_second": DEMO_REQUESTS_PER_SECOND,
        }
        settings = resolve_settings(values, env={})
        output = output_folder(settings) or Path(values["output"])
        _check_target(settings)
        for athlete in roster:
            seed_ftp_history(output / athlete.name, today)
        env = {"INTERVALS_KEY": api.coach_api_key}
        if not publish:
            result = run_roster(settings, roster, env, utc_now, progress=progress)
        else:
            from s11sync.demo.github.server import GitHubEmulator

            with GitHubEmulator(output / "github", token=DEMO_TOKEN) as gh:
                repos = {f"{DEMO_COACH_OWNER}/{DEMO_REPO_NAME}"} | {
                    a.data_repo for a in roster if a.data_repo
                }
                for repo in sorted(repos):
                    owner, name = repo.split("/")
                    gh.create_repo(owner, name, private=True, auto_init=True)
                settings = settings.with_(
                    publish="github",
                    data_repo=f"{DEMO_COACH_OWNER}/{DEMO_REPO_NAME}",
                    data_repo_token=DEMO_TOKEN,
                    github_api_url=gh.api_url,
                )
                result = run_roster(settings, roster, env, utc_now, progress=progress)
    lines = summary_lines(result, settings)
    if not settings.quiet:
        print("\n".join(lines[:-1]))
    print(lines[-1], file=sys.stderr if result.failed else sys.stdout)
    if publish and not settings.quiet:
        print(
            f"\nEmulated data repos under {output / 'github'} (git --git-dir <repo>.git log --stat)"
        )
    return 1 if result.failed else 0
