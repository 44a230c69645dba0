"""Terrain analysis: worked examples T-1…T-6 and routes.json parsing (docs/files.md,
"`routes.json`")."""

from __future__ import annotations

from datetime import date, datetime, timezone

from s11sync.outputs.routes import attachments_to_fetch, build_routes, parse_track
from s11sync.snapshot import Snapshot
from s11sync.terrain import fill_elevation, haversine, polyline, smooth, summarise


def profile(
    n_points: int, steps: list[tuple[float, float]], start: float
) -> tuple[list[float], list[float]]:
    """Points every 100 m; `steps` = [(until_m, metres per 100 m)] applied in order."""
    cum = [100.0 * i for i in range(n_points)]
    ele = [start]
    for i in range(1, n_points):
        d = cum[i]
        rate = next(r for until, r in steps if d <= until)
        ele.append(ele[-1] + rate)
    return cum, ele


def test_haversine_of_a_thousandth_of_a_degree_on_the_equator():
    assert round(haversine(0, 0, 0, 0.001), 2) == 111.19


def test_t1_single_climb():
    # 100 m flat to 2000 m, +5 m per 100 m to 6000 m (300 m), flat to 10 000 m
    cum, ele = profile(101, [(2000, 0), (6000, 5), (10000, 0)], 100)
    s = summarise(cum, ele, None, "x", include_polyline=False, imperial=False)
    assert [
        (
            c["position_km"],
            c["distance_km"],
            c["elevation_m"],
            c["avg_gradient_pct"],
            c["max_gradient_pct"],
            c["category"],
        )
        for c in s["climbs"]
    ] == [(2.0, 4.0, 200, 5.0, 5.0, "Cat 3")]
    assert s["descents"] == []
    assert s["grade_distribution"] == {
        "flat_pct": 60.0,
        "gentle_pct": 0.0,
        "moderate_pct": 40.0,
        "steep_pct": 0.0,
    }
    assert s["max_grade_pct"] == 5.0
    assert (s["total_elevation_m"], s["elevation_per_km"], s["course_character"]) == (
        200,
        20.0,
        "hilly",
    )


def test_t2_dip_inside_a_climb_uses_the_signed_uphill_grade():
    cum, ele = profile(91, [(3000, 7), (3400, -10), (5400, 5), (8400, -8), (9000, 0)], 100)
    s = summarise(cum, ele, None, "x", include_polyline=False, imperial=False)
    # the steepest climb grade is the signed uphill grade: 7.0 (the original's 10.0 came from the
    # −10 % dip)
    assert [
        (
            c["position_km"],
            c["distance_km"],
            c["elevation_m"],
            c["avg_gradient_pct"],
            c["max_gradient_pct"],
            c["category"],
        )
        for c in s["climbs"]
    ] == [(0.0, 5.4, 270, 5.0, 7.0, "Cat 3")]
    assert [
        (d["position_km"], d["distance_km"], d["elevation_m"], d["avg_gradient_pct"])
        for d in s["descents"]
    ] == [(5.4, 3.0, -240, -8.0)]
    assert s["grade_distribution"] == {
        "flat_pct": 6.7,
        "gentle_pct": 0.0,
        "moderate_pct": 22.2,
        "steep_pct": 71.1,
    }
    assert s["max_grade_pct"] == 10.0
    assert (s["total_elevation_m"], s["elevation_per_km"], s["course_character"]) == (
        310,
        34.4,
        "mountain",
    )


def test_t3_a_dip_over_50_m_splits_the_climb():
    cum, ele = profile(47, [(2000, 5), (2600, -10), (4600, 5)], 100)
    s = summarise(cum, ele, None, "x", include_polyline=False, imperial=False)
    assert [
        (
            c["position_km"],
            c["distance_km"],
            c["elevation_m"],
            c["avg_gradient_pct"],
            c["max_gradient_pct"],
            c["category"],
        )
        for c in s["climbs"]
    ] == [(0.0, 2.0, 100, 5.0, 5.0, "Cat 4"), (2.6, 2.0, 100, 5.0, 5.0, "Cat 4")]
    assert [
        (d["position_km"], d["distance_km"], d["elevation_m"], d["avg_gradient_pct"])
        for d in s["descents"]
    ] == [(2.0, 0.6, -60, -10.0)]
    assert (
        s["grade_distribution"]["moderate_pct"] == 87.0
        and s["grade_distribution"]["steep_pct"] == 13.0
    )


def test_t4_smoothing_averages_raw_values_within_25_m():
    sm = smooth([0, 10, 20, 30, 40, 50, 60], [0, 0, 0, 10, 0, 0, 0])
    assert sm == [0.0, 2.5, 2.0, 2.0, 2.0, 2.5, 0.0]
    # gain = 2.5 + 0.5 = 3.0
    assert round(sum(max(0.0, b - a) for a, b in zip(sm, sm[1:]))) == 3


def test_t5_polyline_keeps_a_point_every_500_m_plus_the_ends():
    cum = [0, 300, 600, 900, 1200, 1250]
    pts = [{"lat": 0.0, "lon": i / 1000} for i in range(6)]
    assert [p[0] for p in polyline(cum, [0.0] * 6, pts)] == [0.0, 0.6, 1.2, 1.2]


def test_t6_a_cat_2_climb_upgrades_a_rolling_course_to_hilly():
    from s11sync.terrain import course_character

    assert course_character(10.0, []) == "rolling"
    assert course_character(10.0, [{"category": "Cat 2"}]) == "hilly"
    assert course_character(35.0, [{"category": "Cat 4"}]) == "mountain"


GPX = b"""<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="45.0" lon="7.0"><ele>100</ele></trkpt>
<trkpt lat="45.001" lon="7.0"><ele>105</ele></trkpt>
<trkpt lat="bad" lon="7.0"><ele>1</ele></trkpt>
<trkpt lat="45.002" lon="7.0"></trkpt>
<trkpt lat="45.003" lon="7.0"><ele>120</ele></trkpt>
</trkseg></trk></gpx>"""


def test_gpx_points_with_bad_coordinates_are_skipped_and_missing_elevation_kept_as_none():
    points, error = parse_track(GPX, "gpx")
    assert error is None
    assert [p["ele"] for p in points] == [100.0, 105.0, None, 120.0]


def test_tcx_with_an_xml_declaration_is_parsed_as_tcx_and_fit_is_refused():
    tcx = (
        b'<?xml version="1.0"?><TrainingCenterDatabase><Courses><Course><Track>'
        b"<Trackpoint><Position><LatitudeDegrees>1</LatitudeDegrees><LongitudeDegrees>2</LongitudeDegrees>"
        b"</Position><AltitudeMeters>5</AltitudeMeters></Trackpoint>"
        b"<Trackpoint><Position><LatitudeDegrees>1.01</LatitudeDegrees><LongitudeDegrees>2</LongitudeDegrees>"
        b"</Position></Trackpoint></Track></Course></Courses></TrainingCenterDatabase>"
    )
    points, error = parse_track(tcx, "tcx")
    assert error is None and len(points) == 2
    assert (
        parse_track(b"\x0e\x10\xd9\x07\x00\x00\x00\x00.FIT" + b"\x00" * 60, "fit")[1]
        == "FIT format not yet supported"
    )
    assert parse_track(b'<!DOCTYPE x [<!ENTITY a "b">]><gpx>' + b" " * 60 + b"</gpx>", "gpx")[
        1
    ].startswith("XML with a DTD")


def test_a_dtd_behind_a_long_leading_comment_is_still_refused():
    # a 5 KB comment used to push the DOCTYPE past the 4 KB prefix check
    body = (
        b'<?xml version="1.0"?><!--'
        + b"x" * 5000
        + b'--><!DOCTYPE gpx [<!ENTITY e "boom">]><gpx>&e;</gpx>'
    )
    assert parse_track(body, "gpx") == (None, "XML with a DTD is not accepted")


def test_an_external_entity_is_refused_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    body = f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY e SYSTEM "file://{secret}">]><gpx>&e;</gpx>'.encode()
    assert parse_track(body, "gpx") == (None, "XML with a DTD is not accepted")


def test_missing_elevations_are_interpolated_over_distance_and_ends_take_the_nearest_value():
    cum = [0.0, 100.0, 150.0, 400.0, 500.0, 600.0]
    ele = [None, 10.0, None, None, 30.0, None]
    # 150 m lies 50/400 of the way from 100 m (10) to 500 m (30); 400 m lies 300/400 of the way
    assert fill_elevation(cum, ele) == [10.0, 10.0, 12.5, 25.0, 30.0, 30.0]


def test_a_zero_distance_gap_takes_the_earlier_elevation():
    assert fill_elevation([0.0, 0.0, 0.0], [5.0, None, 9.0]) == [5.0, 5.0, 9.0]


def _snap(events, attachments) -> Snapshot:
    now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    return Snapshot(
        today=date(2026, 11, 25),
        now=now,
        days=7,
        athlete={"measurement_preference": "meters"},
        activities=[],
        wellness=[],
        events=events,
        attachments=attachments,
    )


def test_routes_json_builds_terrain_from_a_downloaded_gpx_and_caches_it():
    lines = "".join(
        f'<trkpt lat="{45 + i * 0.001:.3f}" lon="7.0"><ele>{100 + i}</ele></trkpt>'
        for i in range(30)
    )
    body = f'<?xml version="1.0"?><gpx><trk><trkseg>{lines}</trkseg></trk></gpx>'
    event = {
        "id": 77,
        "name": "A race",
        "category": "RACE_A",
        "start_date_local": "2026-12-01T09:30:00",
        "attachments": [{"id": "att1", "filename": "course.gpx", "url": "http://127.0.0.1/x.gpx"}],
    }
    assert attachments_to_fetch([event], None) == [("att1", "http://127.0.0.1/x.gpx")]
    doc, with_terrain = build_routes(_snap([event], {"att1": {"status": 200, "body": body}}), None)
    entry = doc["events"][0]
    assert entry["start_time"] == "09:30" and entry["event_date"] == "2026-12-01"
    assert entry["terrain_summary"]["source"] == "gpx_attachment"
    assert entry["terrain_summary"]["total_distance_km"] == 3.2  # 29 steps of ~111.2 m
    assert "polyline" in entry["terrain_summary"] and with_terrain == {77}
    assert attachments_to_fetch([event], doc) == []  # cached now
    # a transient download failure is written for the run but not reused as a cache entry
    failed, flags = build_routes(_snap([event], {"att1": {"status": 503}}), None)
    assert (
        failed["events"][0]["terrain_summary"] == {"error": "download failed (HTTP 503)"}
        and flags == set()
    )
    assert attachments_to_fetch([event], failed) == [("att1", "http://127.0.0.1/x.gpx")]


def _latlng(n: int, valid: int) -> dict:
    lats = [45 + i * 0.001 if i < valid else None for i in range(n)]
    return {"type": "latlng", "data": lats, "data2": [7.0] * n}


def test_t7_activity_terrain_statuses_and_copy_forward():
    from s11sync.outputs.activity_terrain import activity_terrain, terrain_fetch_ids

    acts = [
        {"id": "r1", "type": "Ride", "start_date_local": "2026-11-25T08:00:00"},
        {"id": "r2", "type": "Run", "start_date_local": "2026-11-25T09:00:00"},
        {"id": "r3", "type": "Ride", "start_date_local": "2026-11-24T09:00:00"},
        {"id": "r4", "type": "Ride", "trainer": True, "start_date_local": "2026-11-24T09:00:00"},
        {"id": "r5", "type": "Ride", "start_date_local": "2026-11-23T09:00:00"},
        {"id": "r6", "type": "Ride", "start_date_local": "2026-11-22T09:00:00"},
    ]
    prev = {
        "recent_activities": [{"id": "r5", "terrain_status": "failed", "terrain_error": "http_404"}]
    }
    # trainer ride r4 is indoor; r5 has a terminal status: neither is fetched
    assert terrain_fetch_ids(acts, prev) == ["r1", "r2", "r3", "r6"]
    snap = _snap([], {})
    snap.activities = acts
    hill = [
        {"type": "latlng", "data": [45 + i * 0.001 for i in range(40)], "data2": [7.0] * 40},
        {"type": "altitude", "data": [100 + i for i in range(40)]},
    ]
    snap.terrain_streams = {
        "r1": {"status": 200, "streams": [_latlng(20, 5)]},  # 5 valid pairs
        "r2": {"status": 200, "streams": [_latlng(3000, 3000)]},  # no altitude
        "r3": {"status": 503},
        "r6": {"status": 200, "streams": hill},
    }
    out = activity_terrain(snap, prev, anonymize=True)
    assert out["r1"] == {"terrain_status": "no_gps"}
    assert out["r2"] == {"terrain_status": "no_elevation"}
    assert "r3" not in out and "r4" not in out  # transient: nothing this run; indoor: never
    assert out["r5"] == {"terrain_status": "failed", "terrain_error": "http_404"}
    summary = out["r6"]["terrain_summary"]
    assert (
        summary["source"] == "activity_streams"
        and "start_coords" not in summary
        and "polyline" not in summary
    )
    kept = activity_terrain(snap, prev, anonymize=False)["r6"]["terrain_summary"]
    assert kept["start_coords"] == [45.0, 7.0]
