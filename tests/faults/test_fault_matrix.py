"""The API fault matrix: `s11sync sync` through a fault-injecting proxy (tests/faults/proxy.py) in
front of the Intervals.icu emulator, one fault per case on a required or optional endpoint.

Every case asserts the exit code, that the message names the cause and the fix, and what happened
to the previous files: byte-identical when the run failed, legitimately updated (valid, same
names) when the fault was recoverable or hit an optional part — with that part's usual marker in
latest.json. Runs go through `cli.main` with real settings (`--deadline`, `--today`); only the
client-side rate limit, which has no setting, is lifted so the matrix stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from faults.proxy import FaultProxy

from s11sync import cli
from s11sync.demo.intervals_icu.server import IntervalsEmulator
from s11sync.validate import validate_paths

ATHLETE = r"^/api/v1/athlete/[^/]+$"
ANY_ATHLETE_PATH = r"^/api/v1/athlete/"
ACTIVITIES = r"/activities$"
WELLNESS = r"/wellness$"
EVENTS = r"/events$"
MAIN_EVENTS = {"pattern": EVENTS, "query": r"resolve=true"}
HEALTH_EVENTS = {"pattern": EVENTS, "query": r"category="}
HISTORY_ACTIVITIES = {"pattern": ACTIVITIES, "query": r"fields="}
OPTIONAL_PATHS = [  # every optional call of a first run
    {"pattern": r"/wellness/\d{4}-\d{2}-\d{2}$"},
    HEALTH_EVENTS,
    {"pattern": r"/power-curves$"},
    {"pattern": r"/hr-curves$"},
    {"pattern": r"^/api/v1/activity/"},
    {"pattern": r"^/files/"},
    HISTORY_ACTIVITIES,
    {"pattern": WELLNESS, "query": r"fields="},
]
ENV_TO_CLEAR = (
    "ATHLETE_ID",
    "INTERVALS_API_BASE",
    "S11SYNC_DAYS",
    "S11SYNC_TODAY",
    "S11SYNC_DEADLINE",
    "S11SYNC_ARCHIVE",
    "S11SYNC_PUBLIC_LOG",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GITHUB_STEP_SUMMARY",
    "DATA_REPO",
    "DATA_REPO_TOKEN",
    "WEEK_START",
    "ZONE_PREFERENCE",
)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (leftover temporary files included), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@dataclass
class Run:
    code: int
    out: str
    err: str
    files: dict[str, bytes] = field(default_factory=dict)

    def latest(self) -> dict[str, Any]:
        return json.loads(self.files["latest.json"])


@pytest.fixture(scope="module")
def isolated(
    tmp_path_factory: pytest.TempPathFactory, intervals_emulator: IntervalsEmulator
) -> Iterator[None]:
    """A clean environment, a working directory without a config file, no client-side rate limit."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV_TO_CLEAR:
            mp.delenv(name, raising=False)
        mp.setenv("INTERVALS_KEY", intervals_emulator.api_key)
        mp.chdir(tmp_path_factory.mktemp("cwd"))
        mp.setenv("S11SYNC_RATE", "0")  # the emulator is local: no client-side rate limit
        yield


def sync(
    capsys: pytest.CaptureFixture[str],
    emu: IntervalsEmulator,
    base_url: str,
    out: Path,
    *extra: str,
) -> Run:
    capsys.readouterr()
    code = cli.main(
        [
            "sync",
            "--output",
            str(out),
            "--athlete-id",
            emu.athlete_id,
            "--api-base",
            base_url,
            "--today",
            emu.today.isoformat(),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, folder_bytes(out) if out.exists() else {})


@pytest.fixture(scope="module")
def baseline(
    isolated: None,
    tmp_path_factory: pytest.TempPathFactory,
    intervals_emulator: IntervalsEmulator,
) -> dict[str, bytes]:
    """The five files of a complete first run, straight against the emulator."""
    out = tmp_path_factory.mktemp("baseline")
    code = cli.main(
        [
            "sync",
            "--output",
            str(out),
            "--athlete-id",
            intervals_emulator.athlete_id,
            "--api-base",
            intervals_emulator.base_url,
            "--today",
            intervals_emulator.today.isoformat(),
            "--quiet",
        ]
    )
    assert code == 0
    files = folder_bytes(out)
    assert set(files) == {
        "latest.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
        "README.md",
        "fitness.svg",
        "weekly-load.svg",
        "state/curves.json",  # the curves the next run of the day reuses
    }
    return files


@pytest.fixture
def proxy(intervals_emulator: IntervalsEmulator) -> Iterator[FaultProxy]:
    with FaultProxy(intervals_emulator.root) as running:
        yield running


@pytest.fixture
def previous(baseline: dict[str, bytes], tmp_path: Path) -> Path:
    """An output folder holding the baseline files (the previous run)."""
    out = tmp_path / "out"
    out.mkdir()
    for name, blob in baseline.items():
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_bytes(blob)
    return out


def add_faults(proxy: FaultProxy, faults: list[dict[str, Any]]) -> None:
    for fault in faults:
        fault = dict(fault)
        proxy.add(fault.pop("pattern"), **fault)


# ---- a required part fails: exit code, message, nothing written ------------------------------

FAILING = [
    # id, faults, extra args, exit code, what the message must say (cause ... fix)
    (
        "athlete-401",
        [{"pattern": ATHLETE, "status": 401}],
        (),
        1,
        ["refused the API key (401)", "INTERVALS_KEY"],
    ),
    (
        "athlete-404-wrong-base",
        [
            {
                "pattern": ANY_ATHLETE_PATH,
                "status": 404,
                "body": '{"status":404,"error":"Not Found","path":"/x"}',
            }
        ],
        (),
        2,
        ["INTERVALS_API_BASE looks wrong", "/athlete/0", "https://intervals.icu/api/v1"],
    ),
    (
        "athlete-html-not-the-api",
        [{"pattern": ATHLETE, "status": 200, "body": "<html>login</html>"}],
        (),
        2,
        ["INTERVALS_API_BASE looks wrong", "not JSON", "https://intervals.icu/api/v1"],
    ),
    # persistent faults that are retried: the retries end at the deadline, or just before it
    (
        "activities-500",
        [{"pattern": ACTIVITIES, "status": 500}],
        ("--deadline", "1"),
        1,
        ["/athlete/{id}/activities", "500", "try again"],
    ),
    (
        "activities-429-for-an-hour",
        [{"pattern": ACTIVITIES, "status": 429, "retry_after": "3600"}],
        (),
        1,
        [
            "rate-limiting this key (429) on /athlete/{id}/activities",
            "asks to wait 3600 s",
            "run again after",
        ],
    ),
    (
        "activities-hang",
        [{"pattern": ACTIVITIES, "hang": True}],
        ("--deadline", "1"),
        1,
        [
            "deadline of 1 s passed before Intervals.icu answered /athlete/{id}/activities",
            "--deadline",
        ],
    ),
    (
        "wellness-503-retry-after",
        [{"pattern": WELLNESS, "status": 503, "retry_after": "900"}],
        (),
        1,
        ["is unavailable (503) on /athlete/{id}/wellness", "run again after"],
    ),
    (
        "wellness-truncated",
        [{"pattern": WELLNESS, "truncate": True}],
        ("--deadline", "1"),
        1,
        ["/athlete/{id}/wellness", "truncated body", "ry again"],
    ),
    (
        "wellness-endless-body",
        [{"pattern": WELLNESS, "huge": True}],
        (),
        1,
        ["/athlete/{id}/wellness sent a body larger than the 67108864 bytes", "INTERVALS_API_BASE"],
    ),
    (
        "events-reset",
        [{**MAIN_EVENTS, "reset": True}],
        ("--deadline", "1"),
        1,
        ["/athlete/{id}/events", "dropped the connection", "try again later"],
    ),
    (
        "events-not-a-list",
        [{**MAIN_EVENTS, "status": 200, "body": '{"error":"moved"}'}],
        (),
        1,
        ["/athlete/{id}/events did not return a list", "Check INTERVALS_API_BASE"],
    ),
]


@pytest.mark.parametrize(
    ("faults", "extra", "code", "needles"),
    [row[1:] for row in FAILING],
    ids=[row[0] for row in FAILING],
)
def test_a_failing_required_call_writes_nothing(
    isolated, capsys, intervals_emulator, proxy, previous, baseline, faults, extra, code, needles
):
    add_faults(proxy, faults)

    run = sync(capsys, intervals_emulator, proxy.base_url, previous, *extra)

    assert run.code == code, run.err
    assert run.err.startswith("Error: ") and run.err.count("\n") == 1, run.err  # one line
    for needle in needles:
        assert needle in run.err, run.err
    assert intervals_emulator.api_key not in run.err + run.out
    assert run.files == baseline  # byte-identical, no leftovers
    assert sum(proxy.hits.values()) >= 1


# ---- a recoverable fault: the run goes on ------------------------------------------------------

RECOVERABLE = [
    ("athlete-reset-once", [{"pattern": ATHLETE, "reset": True, "times": 1}]),
    ("activities-503-once", [{"pattern": ACTIVITIES, "status": 503, "times": 1}]),
    (
        "activities-429-retry-now",
        [{"pattern": ACTIVITIES, "status": 429, "retry_after": "0", "times": 2}],
    ),
    ("events-truncated-once", [{**MAIN_EVENTS, "truncate": True, "times": 1}]),
]


@pytest.mark.parametrize(
    "faults", [row[1] for row in RECOVERABLE], ids=[row[0] for row in RECOVERABLE]
)
def test_a_recovered_fault_updates_the_files_as_usual(
    isolated, capsys, intervals_emulator, proxy, previous, baseline, faults
):
    add_faults(proxy, faults)

    run = sync(capsys, intervals_emulator, proxy.base_url, previous)

    assert run.code == 0, run.err
    assert "Error" not in run.err
    assert sum(proxy.hits.values()) == faults[0].get("times", 1)
    # same day, same data: the retried run changes nothing
    assert run.files == baseline


# ---- an optional part fails: the run succeeds with that part's marker -------------------------


def test_health_events_failing_mark_the_health_context_partial(
    isolated, capsys, intervals_emulator, proxy, previous
):
    add_faults(proxy, [{**HEALTH_EVENTS, "status": 404}])

    run = sync(capsys, intervals_emulator, proxy.base_url, previous)

    assert run.code == 0, run.err
    assert run.latest()["health_context"]["source_status"] == "partial"
    assert proxy.hits[EVENTS] == 1
    assert validate_paths([previous])[1]


def test_power_curves_failing_leave_the_curve_metrics_unavailable(
    isolated, capsys, intervals_emulator, proxy, previous, baseline
):
    assert (
        "capability.power_curve_delta.anchors"
        not in json.loads(baseline["latest.json"])["derived_metrics"]["unavailable"]
    )
    (previous / "state" / "curves.json").unlink()  # else the same-day curves are reused
    add_faults(proxy, [{"pattern": r"/power-curves$", "status": 400}])

    run = sync(capsys, intervals_emulator, proxy.base_url, previous)

    assert run.code == 0, run.err
    assert "capability.power_curve_delta.anchors" in run.latest()["derived_metrics"]["unavailable"]
    assert validate_paths([previous])[1]


def test_a_long_rate_limit_on_an_optional_call_stops_further_calls(
    isolated, capsys, intervals_emulator, proxy, previous
):
    (previous / "state" / "curves.json").unlink()  # else the same-day curves are reused
    add_faults(proxy, [{"pattern": r"/hr-curves$", "status": 429, "retry_after": "3600"}])

    run = sync(capsys, intervals_emulator, proxy.base_url, previous)

    assert run.code == 0, run.err
    # the curve calls already in flight (one per worker at most), then the run respected the hour
    assert 1 <= proxy.hits[r"/hr-curves$"] <= 4
    # the chat look-ups start together with the curves, so some may go out before the
    # 429 comes back; none is retried or repeated against the hour-long block
    assert all(n == 1 for path, n in proxy.forwarded.items() if "/messages" in path)
    assert "capability.hr_curve_delta.anchors" in run.latest()["derived_metrics"]["unavailable"]
    assert validate_paths([previous])[1]


def test_a_history_fetch_cut_by_the_deadline_keeps_the_previous_history(
    isolated, capsys, intervals_emulator, proxy, previous, baseline
):
    add_faults(proxy, [{**HISTORY_ACTIVITIES, "hang": True}])

    run = sync(
        capsys, intervals_emulator, proxy.base_url, previous, "--full-history", "--deadline", "2"
    )

    assert run.code == 0, run.err
    assert run.files["history.json"] == baseline["history.json"]
    assert run.latest()["history"]["stale"] is True
    assert "history.json could not be refreshed" in run.out + run.err
    assert "deadline of 2 s passed" in run.out + run.err
    assert 1 <= proxy.hits[ACTIVITIES] <= 4  # one per worker at most, then no more requests


def test_a_first_run_with_every_optional_call_hanging_ends_at_the_deadline(
    isolated, capsys, intervals_emulator, proxy, tmp_path
):
    """The hanging optional calls cost the deadline, not 1,004 s."""
    for fault in OPTIONAL_PATHS:
        add_faults(proxy, [{**fault, "hang": True}])
    out = tmp_path / "first"

    run = sync(capsys, intervals_emulator, proxy.base_url, out, "--deadline", "3")

    assert run.code == 0, run.err
    latest = run.latest()
    assert latest["health_context"]["source_status"] == "partial"
    assert latest["history"]["available"] is False
    assert "history.json" not in run.files
    assert "deadline of 3 s passed" in run.out + run.err
    # the first hanging calls used the deadline up; every later optional call was skipped unsent.
    # The independent optional fetches start together: the first wave is at most the two
    # single calls (today's wellness, health events) plus 4 workers for each of the curves,
    # routes, activity details and chat parts
    assert 1 <= sum(proxy.hits.values()) <= 2 + 4 * 4, proxy.hits
    assert validate_paths([out])[1]
