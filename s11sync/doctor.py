"""`s11sync doctor`: check a configuration without writing anything, and say what to fix."""

from __future__ import annotations

from s11sync.config import Settings, require_credentials
from s11sync.errors import S11SyncError


def run_doctor(settings: Settings, out=print) -> int:
    """Print one line per check; exit 0 when all pass, 1 otherwise."""
    from s11sync.pipeline import make_client, make_publisher

    ok = True
    try:
        require_credentials(settings)
        client = make_client(settings)
        athlete = client.athlete()
        out(f"ok   Intervals.icu accepted the key; athlete {athlete.get('id')} found "
            f"(timezone {athlete.get('timezone') or 'not set'})")
    except S11SyncError as exc:
        out(f"FAIL Intervals.icu: {exc}")
        ok = False
    if settings.publish == "github" or settings.data_repo:
        try:
            publisher = make_publisher(settings)
            info = publisher.check()
            out(f"ok   data repo {settings.data_repo} reachable, "
                f"{'private' if info.get('private') else 'PUBLIC'}, branch {info.get('branch')}, "
                f"token can write: {'yes' if info.get('can_push') else 'no'}")
            if not info.get("can_push"):
                ok = False
                out("FAIL the token cannot write to the data repo: give it Contents: read and write "
                    "(fine-grained token) or set `permissions: contents: write` in the workflow")
        except S11SyncError as exc:
            out(f"FAIL data repo: {exc}")
            ok = False
    else:
        out("skip data repo: DATA_REPO not set (local mode)")
    return 0 if ok else 1
