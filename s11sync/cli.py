"""Command line: `s11sync sync | demo | replay | validate | schema | doctor | segment`.

The only module that reads the clock and the process environment (through `resolve_settings`).
`main()` catches `S11SyncError`: it prints `Error: <message>` and exits 2 for configuration
errors, 1 otherwise; an OS error no step translated is one `Error:` line too (exit 1); a bug still
prints its traceback (exit 1). `--debug` adds the request log. Usage errors found by argparse are
one `Error:` line as well (exit 2), like every other bad value. Every line printed here goes through
`s11sync.redact` (no key, no token; nothing personal with S11SYNC_PUBLIC_LOG).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn

from s11sync import __version__, redact
from s11sync.config import WEEKDAYS, resolve_settings
from s11sync.errors import S11SyncError
from s11sync.report import print_run_summary, write_step_summary

DEFAULT_DEMO_OUTPUT = "s11sync-demo"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix, like every other bad value."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Error: {message}. See: {self.prog} --help\n")


def _add_run_options(p: argparse.ArgumentParser, *, demo: bool) -> None:
    g = p.add_argument_group("data")
    c = p.add_argument_group("coach mode (many athletes)")
    if demo:
        c.add_argument(
            "--roster",
            action="store_true",
            help="sync three demo athletes under one coach key into OUTPUT/<name>/",
        )
    else:
        c.add_argument(
            "--roster",
            metavar="FILE",
            help="sync every athlete of a roster file (athletes.yml), each into its own place",
        )
        c.add_argument("--athlete", metavar="NAME", help="with --roster: only this athlete")
    if not demo:
        g.add_argument(
            "--athlete-id",
            help="Intervals.icu athlete id (i123456, or 0 = the key's own athlete); env ATHLETE_ID",
        )
        g.add_argument(
            "--intervals-key",
            help="Intervals.icu API key; prefer the env INTERVALS_KEY (flags show in process lists)",
        )
        g.add_argument(
            "--api-base",
            help="API base URL; env INTERVALS_API_BASE (default https://intervals.icu/api/v1)",
        )
        g.add_argument(
            "--config",
            help="config file (default ./.sync_config.json, the original script's format)",
        )
    g.add_argument("--days", help="display window in days, 1-365 (default 7)")
    g.add_argument(
        "--today", help="pin 'today' (YYYY-MM-DD) for reproducible runs; env S11SYNC_TODAY"
    )
    g.add_argument(
        "--week-start",
        choices=WEEKDAYS,
        help="first day of the training week (default mon); env WEEK_START",
    )
    g.add_argument(
        "--zone-preference",
        help="zone basis per sport family, e.g. run:hr,cycling:power; env ZONE_PREFERENCE",
    )
    g.add_argument(
        "--hemisphere",
        choices=("north", "south"),
        help="for seasonal context (default north); env HEMISPHERE",
    )
    g.add_argument(
        "--no-anonymize",
        dest="anonymize",
        action="store_false",
        default=None,
        help="keep date of birth, full location, outdoor activity names and start coordinates",
    )
    g.add_argument(
        "--full-history", action="store_true", default=None, help="regenerate history.json now"
    )
    o = p.add_argument_group("output")
    o.add_argument(
        "--output",
        help="folder for the five JSON files (previous files there are the state)"
        + (f" (default ./{DEFAULT_DEMO_OUTPUT})" if demo else ""),
    )
    if demo:
        o.add_argument(
            "--publish",
            action="store_true",
            help="also commit to an emulated GitHub data repo under OUTPUT/github/",
        )
    else:
        o.add_argument(
            "--publish",
            choices=("github",),
            help="commit the files to the GitHub data repo (DATA_REPO)",
        )
    o.add_argument(
        "--dry-run",
        action="store_true",
        default=None,
        help="show what would be written/committed, write nothing",
    )
    o.add_argument(
        "--data-path",
        metavar="FOLDER",
        help="with --publish: folder of the data repo the files go to (default data/ when the data "
        "repo is the workflow's own repository, else the root; '/' = root); env DATA_PATH",
    )
    o.add_argument(
        "--archive",
        choices=("off", "daily"),
        help="with --publish: keep one latest.json snapshot per day under archive/",
    )
    o.add_argument(
        "--allow-public-data-repo",
        action="store_true",
        default=None,
        help="publish even if the data repo is public (health data becomes world-readable)",
    )
    o.add_argument(
        "--save-snapshot",
        metavar="FILE",
        help="also save the run's raw API data to FILE, for `s11sync replay` or a bug report "
        "(never the key; names, notes and coordinates removed unless --no-anonymize)",
    )
    r = p.add_argument_group("run")
    r.add_argument("--workers", help="parallel per-activity API calls (default 4)")
    r.add_argument(
        "--deadline",
        dest="deadline_s",
        metavar="SECONDS",
        help="end the run within this many seconds (default 420); env S11SYNC_DEADLINE",
    )
    r.add_argument(
        "--timeout",
        dest="timeout_s",
        metavar="SECONDS",
        help="read timeout of one API request (default 30); env S11SYNC_TIMEOUT",
    )
    r.add_argument(
        "--history-timeout",
        dest="history_timeout_s",
        metavar="SECONDS",
        help="read timeout of the large history requests (default 120); "
        "env S11SYNC_HISTORY_TIMEOUT",
    )
    r.add_argument(
        "--rate",
        dest="requests_per_second",
        metavar="PER_SECOND",
        help="sustained API requests per second (default 10; 0 = no limit); env S11SYNC_RATE",
    )
    r.add_argument(
        "--burst",
        dest="request_burst",
        metavar="N",
        help="API requests sent at once before --rate applies (default 10); env S11SYNC_BURST",
    )
    r.add_argument(
        "--debug",
        action="store_true",
        default=None,
        help="log every request (method, path, status, time; never the key)",
    )
    r.add_argument("--quiet", action="store_true", default=None, help="no progress lines")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="s11sync",
        description="Sync Intervals.icu training data into compact, schema-validated JSON for AI coaches.",
        epilog="Examples:\n  s11sync demo\n  s11sync sync --output data/\n  s11sync validate data/",
        formatter_class=_Formatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"s11sync {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "sync",
        help="fetch from Intervals.icu, compute, validate, write or publish",
        description="Fetch the athlete's data, compute every metric, validate all files, then "
        "write them to --output and/or commit them with --publish github.\n\nExample:\n"
        "  ATHLETE_ID=i123456 INTERVALS_KEY=... s11sync sync --output data/",
        formatter_class=_Formatter,
    )
    _add_run_options(p, demo=False)

    p = sub.add_parser(
        "demo",
        help="run the whole sync on the built-in demo athlete (no account needed)",
        description="Start the built-in Intervals.icu emulator with a synthetic athlete and run "
        "the same sync against it.\n\nExamples:\n  s11sync demo\n  s11sync demo --publish "
        "--output /tmp/demo\n  s11sync demo serve --port 8765",
        formatter_class=_Formatter,
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=("run", "serve"),
        default="run",
        help="run (default): sync the demo athlete; serve: only run the emulator",
    )
    p.add_argument("--port", default="0", help="with serve: port 1-65535 (default: a free one)")
    p.add_argument("--seed", type=int, default=11, help="demo athlete seed (default 11)")
    _add_run_options(p, demo=True)

    p = sub.add_parser(
        "replay",
        help="rebuild the five files from a saved snapshot, without the network",
        description="Rebuild the five files from a file written by --save-snapshot, through\n"
        "the same build, validation and write as sync, with no API call. The settings\n"
        "and previous files saved with the run are used.\n\nExample:\n"
        "  s11sync sync --output data/ --save-snapshot run.json\n"
        "  s11sync replay run.json --output replayed/",
        formatter_class=_Formatter,
    )
    p.add_argument("snapshot", type=Path, help="the file written by --save-snapshot")
    p.add_argument("--output", help="folder for the rebuilt files (required)")
    p.add_argument(
        "--today", help="rebuild as of another day (YYYY-MM-DD); default the saved run's day"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        default=None,
        help="show what would be written, write nothing",
    )
    p.add_argument("--quiet", action="store_true", default=None, help="no summary")

    p = sub.add_parser(
        "validate",
        help="check JSON files against the s11sync schemas",
        description="Validate files or folders (each file matched to its schema by name).\n\n"
        "Example:\n  s11sync validate s11sync-demo/",
        formatter_class=_Formatter,
    )
    p.add_argument("paths", nargs="+", type=Path, help="files or folders")

    p = sub.add_parser(
        "schema",
        help="print a JSON Schema (or list them)",
        description="Print the JSON Schema of an output file.\n\nExamples:\n  s11sync schema\n"
        "  s11sync schema latest.json",
        formatter_class=_Formatter,
    )
    p.add_argument(
        "name", nargs="?", help="latest, history, intervals, routes, ftp_history (or the file name)"
    )

    p = sub.add_parser(
        "doctor",
        help="check credentials and the data repo without writing anything",
        description="Check that Intervals.icu accepts the key, the athlete exists, and (with "
        "DATA_REPO) that the data repo is reachable, private and writable.\n\nExample:\n"
        "  s11sync doctor",
        formatter_class=_Formatter,
    )
    p.add_argument("--athlete-id", help="Intervals.icu athlete id; env ATHLETE_ID")
    p.add_argument("--intervals-key", help="API key; prefer the env INTERVALS_KEY")
    p.add_argument("--api-base", help="API base URL; env INTERVALS_API_BASE")
    p.add_argument("--config", help="config file (default ./.sync_config.json)")
    p.add_argument(
        "--publish", choices=("github",), help="also check the GitHub data repo (DATA_REPO)"
    )
    p.add_argument("--allow-public-data-repo", action="store_true", default=None)

    p = sub.add_parser(
        "segment",
        help="power, heart rate, pace, IF and TSS for part of one activity",
        description="Figures for one part of an activity, between two elapsed times or two "
        "distances: duration, distance, elevation gain, average and normalized power, "
        "average heart rate and cadence, speed and pace (your units), and IF/TSS when "
        "the activity has an FTP. Fetches the activity's streams once.\n\nExamples:\n"
        "  s11sync segment i12345678 --from 3km --to 23km\n"
        "  s11sync segment 12345678 --from 0:10:00 --to 0:40:00 --json",
        formatter_class=_Formatter,
    )
    p.add_argument("activity_id", metavar="ACTIVITY_ID", help="i12345678, or its digits")
    p.add_argument(
        "--from",
        dest="segment_from",
        required=True,
        metavar="POINT",
        help="start: a distance (3km, 500m, 2.5mi, 800yd) or an elapsed time (0:10:00, 10:00, 600s)",
    )
    p.add_argument(
        "--to", dest="segment_to", required=True, metavar="POINT", help="end, in the same forms"
    )
    p.add_argument(
        "--json", action="store_true", help="print a JSON object (schemas/segment.schema.json)"
    )
    p.add_argument("--athlete-id", help="Intervals.icu athlete id; env ATHLETE_ID")
    p.add_argument("--intervals-key", help="API key; prefer the env INTERVALS_KEY")
    p.add_argument("--api-base", help="API base URL; env INTERVALS_API_BASE")
    p.add_argument("--config", help="config file (default ./.sync_config.json)")
    p.add_argument(
        "--debug", action="store_true", default=None, help="log every request (never the key)"
    )
    return parser


def _cli_values(args: argparse.Namespace) -> dict[str, Any]:
    return {
        k: v
        for k, v in vars(args).items()
        if k
        not in (
            "command",
            "action",
            "port",
            "seed",
            "paths",
            "name",
            "snapshot",
            "roster",
            "athlete",
        )
    }


def _reject_archive_without_publish(args: argparse.Namespace) -> None:
    if getattr(args, "archive", None) is not None and not getattr(args, "publish", None):
        raise _usage(
            "--archive only applies to the data repo: add --publish"
            + (" github" if args.command == "sync" else "")
            + ", or drop --archive"
        )


def _stderr_progress(quiet: bool) -> Callable[[str], None]:
    if quiet or not sys.stderr.isatty():
        return lambda line: None
    return lambda line: print(f"· {redact.redact(line)}", file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    from s11sync.pipeline import run_sync

    _reject_archive_without_publish(args)
    if args.roster is not None:
        return _sync_roster(args)
    if args.athlete is not None:
        raise _usage("--athlete picks one athlete of a roster: add --roster athletes.yml")
    settings = resolve_settings(_cli_values(args))
    result = run_sync(
        settings, datetime.now(timezone.utc), progress=_stderr_progress(bool(settings.quiet))
    )
    print_run_summary(result, settings)
    write_step_summary(result, settings)
    return 0


def _sync_roster(args: argparse.Namespace) -> int:
    """`sync --roster FILE [--athlete NAME]`: one isolated run per athlete; exit 1 if any failed."""
    from s11sync.roster import load_roster, select
    from s11sync.roster_run import run_roster, summary_lines

    for flag, value in (("--athlete-id", args.athlete_id), ("--intervals-key", args.intervals_key)):
        if value is not None:
            raise _usage(
                f"{flag} does not go with --roster: the roster gives each athlete's id and key secret"
            )
    athletes = select(load_roster(Path(args.roster)), args.athlete)
    settings = resolve_settings(_cli_values(args))
    if settings.publish is None and settings.output is None:
        raise _usage(
            "say where the files go: --output DIR (each athlete in DIR/<name>/) or --publish github"
        )
    result = run_roster(
        settings,
        athletes,
        os.environ,
        datetime.now(timezone.utc),
        progress=_stderr_progress(bool(settings.quiet)),
    )
    lines = summary_lines(result, settings)
    if not settings.quiet:
        print("\n".join(lines[:-1]))
    print(lines[-1], file=sys.stderr if result.failed else sys.stdout)
    for outcome in result.outcomes:
        if outcome.ok:
            write_step_summary(outcome.result, settings)
    return 1 if result.failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from s11sync.demo.run import run_demo, serve

    args.today = _pinned_today(args.today)
    if args.action == "serve":
        return serve(_port(args.port), args.seed, args.today)
    _reject_archive_without_publish(args)
    values = _cli_values(args)
    values["output"] = values.get("output") or DEFAULT_DEMO_OUTPUT
    publish = bool(values.pop("publish", False))
    if args.roster:
        from s11sync.demo.run import run_demo_roster

        return run_demo_roster(values, publish=publish, progress=_stderr_progress(bool(args.quiet)))
    return run_demo(
        values, seed=args.seed, publish=publish, progress=_stderr_progress(bool(args.quiet))
    )


def _pinned_today(flag: str | None, *, read_env: bool = True) -> str | None:
    """`--today`, else S11SYNC_TODAY, validated like every setting (ConfigError → exit 2)."""
    env_value = os.environ.get("S11SYNC_TODAY", "").strip() if read_env else ""
    value = flag if flag is not None else env_value or None
    if value is None:
        return None
    return resolve_settings({"today": value}, env={}).today.isoformat()  # type: ignore[union-attr]


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise _usage(
            f"--port must be a whole number from 1 to 65535, not {value!r} (omit it for a free port)"
        ) from None
    if not 0 <= port <= 65535:
        raise _usage(f"--port must be from 1 to 65535, not {port} (omit it for a free port)")
    return port


def cmd_replay(args: argparse.Namespace) -> int:
    from s11sync.pipeline import run_replay

    settings = resolve_settings(
        {"output": args.output, "dry_run": args.dry_run, "quiet": args.quiet},
        env={},
        read_config_file=False,
    )
    today = _pinned_today(args.today, read_env=False)
    result = run_replay(
        args.snapshot,
        settings,
        today=datetime.strptime(today, "%Y-%m-%d").date() if today else None,
    )
    print_run_summary(result, settings)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from s11sync.validate import validate_paths

    lines, ok = validate_paths(list(args.paths))
    # a file's report is its header line plus its indented error lines; failures go to stderr
    failing = False
    for line in lines:
        if not line.startswith(" "):
            failing = not (line.endswith(": OK") or ": skipped (" in line)
        print(line, file=sys.stderr if failing else sys.stdout)
    return 0 if ok else 1


def cmd_schema(args: argparse.Namespace) -> int:
    from s11sync.validate import SCHEMA_NAMES, schema_text

    if not args.name:
        for file_name, schema_name in SCHEMA_NAMES.items():
            print(f"{file_name:18} schemas/{schema_name}")
        return 0
    name = args.name if args.name.endswith(".json") else args.name + ".json"
    if name not in SCHEMA_NAMES:
        raise _usage(f"unknown schema {args.name!r}; choose one of: " + ", ".join(SCHEMA_NAMES))
    print(schema_text(name))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from s11sync.doctor import run_doctor

    settings = resolve_settings(_cli_values(args))
    return run_doctor(settings)


def cmd_segment(args: argparse.Namespace) -> int:
    from s11sync.pipeline import make_client
    from s11sync.segment import candidate_ids, dumps, parse_bounds, render_text, run_segment

    lo, hi = parse_bounds(args.segment_from, args.segment_to)
    candidate_ids(args.activity_id)  # a malformed id is refused before any request
    settings = resolve_settings(
        {
            "athlete_id": args.athlete_id,
            "intervals_key": args.intervals_key,
            "api_base": args.api_base,
            "config": args.config,
        }
    )
    doc = run_segment(make_client(settings), args.activity_id, lo, hi)
    for warning in doc["warnings"]:
        print(f"Warning: {warning}", file=sys.stderr)
    print(dumps(doc) if args.json else render_text(doc))
    return 0


def _usage(message: str) -> S11SyncError:
    from s11sync.errors import ConfigError

    return ConfigError(message)


COMMANDS = {
    "sync": cmd_sync,
    "demo": cmd_demo,
    "replay": cmd_replay,
    "validate": cmd_validate,
    "schema": cmd_schema,
    "doctor": cmd_doctor,
    "segment": cmd_segment,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command with credentials (and, on a public log, personal details) masked in every
    message, log line and traceback; see s11sync/redact.py."""
    with redact.scope():
        redact.public_log(
            os.environ.get("S11SYNC_PUBLIC_LOG", "").strip().lower()
            not in ("", "0", "false", "no", "off")
        )  # unknown values fail safe: public
        try:
            return _main(argv)
        except Exception:  # a bug: still a traceback, but without a credential in it
            print(redact.redact(traceback.format_exc()), end="", file=sys.stderr)
            return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    debug = bool(getattr(args, "debug", False))
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("urllib3", "github"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    redact.install_log_filter()
    try:
        return COMMANDS[args.command](args)
    except S11SyncError as exc:
        if debug:
            print(redact.redact(traceback.format_exc()), end="", file=sys.stderr)
        # the message is complete: a SchemaViolation already lists its errors (printed once)
        print(f"Error: {redact.redact(exc)}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        # the last resort for an OS error no step translated: still one line, never a traceback
        if debug:
            print(redact.redact(traceback.format_exc()), end="", file=sys.stderr)
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            redact.redact(
                f"Error: {exc.strerror or exc}{where}. Check that path, its permissions and "
                "the free disk space, then run again (--debug shows where it happened)."
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `s11sync schema latest | head`: the reader went away; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
