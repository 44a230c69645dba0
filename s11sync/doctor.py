"""`s11sync doctor`: check a configuration without writing anything, and say what to fix."""

from __future__ import annotations

from s11sync.config import Settings, require_credentials
from s11sync.errors import S11SyncError


def run_doctor(settings: Settings, out=print) -> int:
    """Print one line per check; exit 0 when all pass, 2 when a setting is missing or invalid (as
    sync exits for the same setting), 1 for any other failure."""
    from s11sync.errors import ConfigError
    from s11sync.pipeline import make_client, make_publisher

    ok = True
    config_problem = False
    try:
        require_credentials(settings)
        client = make_client(settings)
        athlete = client.athlete()
        out(f"ok   Intervals.icu accepted the key; athlete {athlete.get('id')} found "
            f"(timezone {athlete.get('timezone') or 'not set'})")
    except S11SyncError as exc:
        out(f"FAIL Intervals.icu: {exc}")
        ok = False
        config_problem = config_problem or isinstance(exc, ConfigError)
    if settings.publish == "github" or settings.data_repo:
        try:
            publisher = make_publisher(settings)
            info = publisher.check()  # raises when private-ness or write access is wrong
            can_push = {True: "yes", None: "not reported (app token such as GITHUB_TOKEN)"}[info.get("can_push")]
            out(f"ok   data repo {info.get('repo')} reachable, "
                f"{'private' if info.get('private') else 'PUBLIC (allowed by --allow-public-data-repo)'}, "
                f"branch {info.get('branch')}{'' if info.get('branch_exists') else ' (will be created)'}, "
                f"token can write: {can_push}")
        except S11SyncError as exc:
            out(f"FAIL data repo: {exc}")
            ok = False
            config_problem = config_problem or isinstance(exc, ConfigError)
    else:
        out("skip data repo: DATA_REPO not set (local mode)")
    if ok:
        return 0
    return 2 if config_problem else 1
