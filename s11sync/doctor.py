"""`s11sync doctor`: check a configuration without writing anything, and say what to fix.

With the public-log setting (S11SYNC_PUBLIC_LOG) it names no athlete id, time zone or data repo;
every line passes through `s11sync.redact`.
"""

from __future__ import annotations

from collections.abc import Callable

from s11sync.config import Settings, require_credentials
from s11sync.errors import S11SyncError
from s11sync.redact import redact


def run_doctor(settings: Settings, out: Callable[[str], object] = print) -> int:
    """Print one line per check; exit 0 when all pass, 2 when a setting is missing or invalid (as
    sync exits for the same setting), 1 for any other failure."""
    from s11sync.errors import ConfigError
    from s11sync.pipeline import make_client, make_publisher

    def say(line: str) -> None:
        out(redact(line))

    ok = True
    config_problem = False
    try:
        require_credentials(settings)
        client = make_client(settings)
        athlete = client.athlete()
        if settings.public_log:
            say(
                "ok   Intervals.icu accepted the key; the athlete was found (id and time zone not "
                "shown on a public log)"
            )
        else:
            say(
                f"ok   Intervals.icu accepted the key; athlete {athlete.get('id')} found "
                f"(timezone {athlete.get('timezone') or 'not set'})"
            )
    except S11SyncError as exc:
        say(f"FAIL Intervals.icu: {exc}")
        ok = False
        config_problem = config_problem or isinstance(exc, ConfigError)
    if settings.publish == "github" or settings.data_repo:
        try:
            publisher = make_publisher(settings)
            info = publisher.check()  # raises when private-ness or write access is wrong
            can_push = {True: "yes", None: "not reported (app token such as GITHUB_TOKEN)"}[
                info.get("can_push")
            ]
            repo = "the data repository" if settings.public_log else info.get("repo")
            say(
                f"ok   data repo {repo} reachable, "
                f"{'private' if info.get('private') else 'PUBLIC (allowed by --allow-public-data-repo)'}, "
                f"branch {info.get('branch')}{'' if info.get('branch_exists') else ' (will be created)'}, "
                f"token can write: {can_push}"
            )
        except S11SyncError as exc:
            say(f"FAIL data repo: {exc}")
            ok = False
            config_problem = config_problem or isinstance(exc, ConfigError)
    else:
        say("skip data repo: DATA_REPO not set (local mode)")
    if ok:
        return 0
    return 2 if config_problem else 1
