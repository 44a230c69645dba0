"""Per-second streams of a demo session and the GPX route of a race (both built lazily).

Stream objects have the shape live accounts send: a JSON array of `{type, name, data, data2,
valueTypeIsArray, anomalies, custom, allNull}`; `latlng` carries latitudes in `data` and
longitudes in `data2`; the AlphaHRV developer fields `dfa_a1` and `artifacts` are custom streams.
"""

from __future__ import annotations

import math
import random
from datetime import date

from s11sync.demo.intervals_icu.athlete_sessions import Session

HOME = (45.8992, 6.1294)  # invented lake-side home


def route_point(
    s: float, length_m: float, variant: int, climbs: list[tuple[float, float, float]]
) -> tuple[float, float, float]:
    """Point at fraction `s` (0..1) of a loop of `length_m` starting at HOME: (lat, lon, ele)."""
    r = length_m / (2 * math.pi * 1.08)
    phase = variant * 0.7
    ang = 2 * math.pi * s
    north = r * math.sin(ang) + 0.15 * r * math.sin(3 * ang + phase)
    east = r * (1 - math.cos(ang)) * (1 if variant % 2 else -1) + 0.1 * r * math.sin(2 * ang)
    lat = HOME[0] + north / 111_320
    lon = HOME[1] + east / (111_320 * math.cos(math.radians(HOME[0])))
    ele = 440.0 + 25 * math.sin(5 * ang + phase)
    for centre, width, height in climbs:
        dist = abs(s - centre)
        if dist < width:
            ele += height * 0.5 * (1 + math.cos(math.pi * dist / width))
    return lat, lon, ele


def climbs_for(
    variant: int, length_m: float, big: bool = False
) -> list[tuple[float, float, float]]:
    rng = random.Random(f"climbs:{variant}:{int(length_m)}:{big}")
    n = 3 if big else rng.choice((1, 2, 3))
    out = []
    for i in range(n):
        centre = (i + 0.5) / n + rng.uniform(-0.05, 0.05)
        height = rng.uniform(450, 780) if big and i == 1 else rng.uniform(90, 320)
        width = min(0.45 / n, max(0.02, height * 18 / length_m))  # ~5-6 % average gradient
        out.append((centre, width, height))
    return out


def _stream(
    kind: str, data: list, data2: list | None = None, name: str | None = None, custom: bool = False
) -> dict:
    obj = {
        "type": kind,
        "name": name,
        "data": data,
        "data2": data2,
        "valueTypeIsArray": False,
        "anomalies": None,
        "custom": custom,
        "allNull": all(v is None for v in data),
    }
    if custom:
        obj["valueType"] = "java.lang.Float"
    return obj


def streams_of(sess: Session) -> list[dict]:
    """All streams of a session (the API's `/activity/{id}/streams` with no `types`)."""
    if sess.type == "WeightTraining":  # a wrist HR recording, nothing else
        if sess.no_hr:
            return []
        hr_rng = random.Random(f"{sess.rng_seed}:streams")
        n = sess.activity["moving_time"]
        wrist_hr = [
            round(sess.segments[0].hr + 12 * math.sin(i / 90) + hr_rng.gauss(0, 2))
            for i in range(n)
        ]
        return [_stream("time", list(range(n))), _stream("heartrate", wrist_hr)]
    rng = random.Random(f"{sess.rng_seed}:streams")
    ride = sess.is_ride
    outdoor = sess.outdoor
    watts: list = []
    hr: list = []
    cad: list = []
    vel: list = []
    dist: list = []
    d = 0.0
    h = 88.0
    coast = 0
    for seg in sess.segments:
        for _ in range(seg.secs):
            if ride:
                if outdoor and coast == 0 and rng.random() < 0.004:
                    coast = rng.randint(5, 20)
                if coast:
                    coast -= 1
                    p = 0
                else:
                    sd = 0.16 if outdoor else 0.035
                    p = max(0, round(seg.level * (1 + rng.gauss(0, sd))))
                watts.append(p)
                cad.append(0 if p == 0 else round(rng.gauss(89, 3)))
                v = 8.4 * max(0.2, seg.level / 200) ** (1 / 3) * (1 + rng.gauss(0, 0.03))
            else:
                v = seg.level * (1 + rng.gauss(0, 0.02))
                if sess.type == "Run":
                    cad.append(round(rng.gauss(86, 1.5)))
            h += (seg.hr - h) / 25 + rng.gauss(0, 0.6)
            hr.append(round(h))
            vel.append(round(max(0.0, v), 3))
            d += max(0.0, v)
            dist.append(round(d, 1))
    n = len(vel)
    stop = sess.activity["elapsed_time"] - sess.activity["moving_time"]
    pause_at = n // 2 if sess.activity.get("recording_stops") else n + 1
    time_s = [i if i < pause_at else i + stop for i in range(n)]
    if not sess.no_hr and rng.random() < 0.2:  # a few sensor dropouts
        for i in rng.sample(range(n), 3):
            hr[i] = 0
    out = [_stream("time", time_s)]
    if ride and not sess.no_power:
        out.append(_stream("watts", watts))
    if not sess.no_hr:
        out.append(_stream("heartrate", hr))
    if cad:
        out.append(_stream("cadence", cad))
    out += [_stream("distance", dist), _stream("velocity_smooth", vel)]
    if outdoor:
        variant = int(sess.id[1:]) % 7
        length = max(d, 1.0)
        climbs = climbs_for(variant, length)
        lats: list[float | None] = []
        lons: list[float | None] = []
        eles: list[float] = []
        for i in range(n):
            lat, lon, ele = route_point(dist[i] / length, length, variant, climbs)
            lats.append(round(lat, 6))
            lons.append(round(lon, 6))
            eles.append(round(ele, 1))
        for i in range(min(30, n)):  # GPS still acquiring at the start
            lats[i] = lons[i] = None
        out.append(_stream("altitude", eles))
        out.append(_stream("latlng", lats, lons))
        base = sess.activity.get("average_temp") or 15.0
        out.append(_stream("temp", [round(base + 1.5 * math.sin(i / 1800), 1) for i in range(n)]))
    if sess.has_dfa:
        dfa: list = []
        art: list = []
        lthr = sess.lthr
        for i in range(n):
            if i < 120 or hr[i] <= 0:
                dfa.append(None)
                art.append(None)
                continue
            x = 1.5 - (hr[i] - 0.72 * lthr) / (0.28 * lthr)
            dfa.append(round(min(1.7, max(0.15, x + rng.gauss(0, 0.06))), 3))
            art.append(
                round(rng.uniform(6, 11), 2)
                if rng.random() < 0.02
                else round(rng.uniform(0.2, 2.5), 2)
            )
        for i in rng.sample(range(120, n), min(20, max(0, n - 120))):
            dfa[i] = 0.0  # AlphaHRV sentinels
        out.append(_stream("dfa_a1", dfa, name="DFA a1", custom=True))
        out.append(_stream("artifacts", art, name="Artifacts", custom=True))
    return out


def race_gpx(name: str, race_day: date, length_m: float) -> str:
    """A GPX 1.1 track of the race course (deterministic from the date)."""
    variant = race_day.toordinal() % 7
    climbs = climbs_for(variant, length_m, big=True)
    n = int(length_m / 80)
    pts = []
    for i in range(n + 1):
        lat, lon, ele = route_point(i / n, length_m, variant, climbs)
        pts.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{ele:.1f}</ele></trkpt>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="s11sync demo" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>{name}</name><trkseg>\n" + "\n".join(pts) + "\n</trkseg></trk>\n</gpx>\n"
    )
