"""`s11sync segment` against the Intervals.icu emulator over HTTP: figures checked against an
independent computation on the served streams, the request count, and every bad input (exit 2)."""

from __future__ import annotations

import json

import pytest
from sync_args import isolate

from s11sync.cli import main
from s11sync.validate import validate_document

ENV = ("ATHLETE_ID", "INTERVALS_KEY", "INTERVALS_API_BASE", "S11SYNC_TODAY")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path, *ENV)


def creds(emu) -> list[str]:
    return [
        "--athlete-id",
        emu.athlete_id,
        "--intervals-key",
        emu.api_key,
        "--api-base",
        emu.base_url,
    ]


def served(emu, activity_id: str) -> dict[str, list]:
    return {s["type"]: s["data"] for s in emu.data.streams(activity_id)}


def first(emu, predicate):
    return next(a for a in emu.data.activities if not emu.data.is_stub(a["id"]) and predicate(a))


def test_a_ride_segment_matches_an_independent_computation_and_costs_three_requests(
    intervals_emulator, capsys
):
    emu = intervals_emulator
    ride = first(
        emu,
        lambda a: (
            a.get("type") in ("Ride", "VirtualRide")
            and a.get("icu_ftp")
            and (a.get("moving_time") or 0) > 1800
            and "watts" in served(emu, a["id"])
        ),
    )
    data = served(emu, ride["id"])
    emu.reset_counts()

    code = main(
        ["segment", ride["id"], "--from", "0:05:00", "--to", "0:25:00", "--json", *creds(emu)]
    )

    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and validate_document("segment", doc) == []
    assert emu.total_requests() == 3
    assert emu.request_counts["/activity/{id}/streams"] == 1
    # independent: the demo records every second, so the grid is the samples from 300 s to 1499 s
    inside = [i for i, t in enumerate(data["time"]) if 300 <= t < 1500]
    assert len(inside) == 1200 and doc["recorded_s"] == 1200
    watts = [data["watts"][i] for i in inside]
    windows = [sum(watts[i - 29 : i + 1]) / 30 for i in range(29, len(watts))]
    np_w = (sum(w**4 for w in windows) / len(windows)) ** 0.25
    assert doc["average_power_w"] == round(sum(watts) / len(watts))
    assert doc["normalized_power_w"] == round(np_w)
    assert doc["average_hr_bpm"] == round(sum(data["heartrate"][i] for i in inside) / 1200)
    assert doc["ftp_w"] == ride["icu_ftp"]
    assert doc["intensity_factor"] == round(np_w / ride["icu_ftp"], 3)
    assert doc["tss"] == round(
        1200 * np_w * (np_w / ride["icu_ftp"]) / (ride["icu_ftp"] * 3600) * 100, 1
    )


def test_a_run_without_power_by_distance_with_its_bare_id_gives_pace_and_null_power(
    intervals_emulator, capsys
):
    emu = intervals_emulator
    run = first(emu, lambda a: a.get("type") == "Run" and (a.get("distance") or 0) > 5000)
    code = main(
        ["segment", run["id"].lstrip("i"), "--from", "1km", "--to", "4km", "--json", *creds(emu)]
    )

    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["activity"]["id"] == run["id"]
    assert doc["average_power_w"] is None and doc["intensity_factor"] is None
    assert doc["distance_m"] == pytest.approx(3000, abs=1)
    assert doc["display"]["pace"]["unit"] == "/km"
    minutes, seconds = map(int, doc["display"]["pace"]["value"].split(":"))
    assert minutes * 60 + seconds == pytest.approx(1000 / doc["average_speed_mps"], abs=1)


def test_the_text_output_names_every_figure(intervals_emulator, capsys):
    emu = intervals_emulator
    ride = first(emu, lambda a: a.get("type") in ("Ride", "VirtualRide") and a.get("icu_ftp"))
    assert main(["segment", ride["id"], "--from", "0:01:00", "--to", "0:11:00", *creds(emu)]) == 0
    out = capsys.readouterr().out
    for label in (
        "duration",
        "distance",
        "elevation gain",
        "average power",
        "normalized pwr",
        "average HR",
        "average cadence",
        "average speed",
        "average pace",
        "IF / TSS",
    ):
        assert label in out


def test_a_range_past_the_end_is_clipped_with_a_warning(intervals_emulator, capsys):
    emu = intervals_emulator
    run = first(emu, lambda a: a.get("type") == "Run")
    assert (
        main(["segment", run["id"], "--from", "0:01:00", "--to", "9:00:00", "--json", *creds(emu)])
        == 0
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out)["range"]["clipped"] is True
    assert "Warning: " in captured.err and "clipped" in captured.err


def test_a_strava_stub_is_explained_and_exits_2(intervals_emulator, capsys):
    emu = intervals_emulator
    stub = next(a for a in emu.data.activities if emu.data.is_stub(a["id"]))
    assert not stub["id"].startswith("i")
    code = main(["segment", stub["id"], "--from", "0:00:00", "--to", "0:10:00", *creds(emu)])
    err = capsys.readouterr().err
    assert code == 2 and "Strava" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["i1", "--from", "5km", "--to", "3km"], "is not before"),
        (["i1", "--from", "abc", "--to", "3km"], "neither a distance"),
        (["nonsense", "--from", "1km", "--to", "3km"], "is not an activity id"),
    ],
)
def test_bad_input_is_refused_before_any_request(intervals_emulator, capsys, args, message):
    emu = intervals_emulator
    emu.reset_counts()
    code = main(["segment", *args, *creds(emu)])
    assert code == 2 and message in capsys.readouterr().err
    assert emu.total_requests() == 0


def test_an_unknown_activity_is_tried_with_and_without_the_prefix_then_refused(
    intervals_emulator, capsys
):
    emu = intervals_emulator
    emu.reset_counts()
    code = main(["segment", "999999", "--from", "1km", "--to", "3km", *creds(emu)])
    assert code == 2 and "tried i999999, 999999" in capsys.readouterr().err
    assert emu.request_counts["/activity/{id}"] == 2


def test_a_range_wholly_outside_the_activity_exits_2(intervals_emulator, capsys):
    emu = intervals_emulator
    run = first(emu, lambda a: a.get("type") == "Run")
    code = main(["segment", run["id"], "--from", "8:00:00", "--to", "9:00:00", *creds(emu)])
    assert code == 2 and "wholly outside" in capsys.readouterr().err
