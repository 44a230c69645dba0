"""Analyses of a demo session computed on request: intervals/groups and mean-maximal curves.

Both derive from the session's private timeline (`athlete_sessions.Seg`), so interval indices
line up with the streams and the curves with the activity summary.

Intervals follow what live accounts send: the long Saturday rides are recorded without laps and
answer `icu_intervals: null` (the live API's "no intervals"); the athlete's own labels ("Rep 1",
"Lap 2", a step's cue text) sit in `label`, apart from the group signature in `group_id`; every
interval carries `distance` (m) and `average_speed` (m/s), so run and swim reps have a pace.
"""

from __future__ import annotations

import bisect
import math

from s11sync.demo.intervals_icu import athlete_calendar as cal
from s11sync.demo.intervals_icu.athlete_sessions import CURVE_SECS, Seg, Session
from s11sync.demo.intervals_icu.athlete_zones import PACE_ZONES, POWER_ZONES, zone_index
from s11sync.sports import family_of

# ---------------------------------------------------------------- intervals


W_PRIME = 19800.0


def _zone_watts(index: int, ftp: float) -> int:
    """Upper watt bound of power zone `index` (0-based; -1 gives 0)."""
    if index < 0:
        return 0
    return round(min(POWER_ZONES[index], 200) / 100 * ftp)


# the Saturday long rides are recorded without laps: the API answers `icu_intervals: null` for them
NO_LAP_PLANS = frozenset({"Long endurance ride"})


def intervals_of(sess: Session) -> tuple[list[dict] | None, list[dict]]:
    """(icu_intervals, icu_groups) in the IntervalsDTO shape, indices into the streams.

    `icu_intervals` is None (JSON null) for a session recorded without laps, as the live API sends.
    """
    if family_of(sess.type) == "strength":
        return [], []
    if sess.plan.steady and sess.plan.name in NO_LAP_PLANS:
        return None, []
    swim = family_of(sess.type) == "swim"
    reps = 0
    ints: list[dict] = []
    ride = sess.is_ride
    steady = sess.plan.steady
    base_id = 1_000_000_000 + (int(sess.id[1:]) - 80_000_000) * 64  # int32, unique
    t = 0
    pieces: list[tuple[int, int, Seg]] = []
    if steady:  # laps of ~ 30 min, all WORK, no groups
        lap = 1800
        while t < sum(s.secs for s in sess.segments):
            end = min(t + lap, sum(s.secs for s in sess.segments))
            pieces.append((t, end, sess.segments[min(t // 600, len(sess.segments) - 1)]))
            t = end
    else:
        for s in sess.segments:
            pieces.append((t, t + s.secs, s))
            t += s.secs
    stop = sess.activity["elapsed_time"] - sess.activity["moving_time"]
    pause_at = t // 2 if sess.activity.get("recording_stops") else t + 1  # as in the streams
    wbal = W_PRIME
    for n, (a, b, s) in enumerate(pieces):
        typ = "WORK" if steady or s.kind == "work" else "RECOVERY"
        w = round(s.level) if ride and not sess.no_power else None
        zone = zone_index(s.frac * 100, POWER_ZONES if ride else PACE_ZONES)
        wbal_start = wbal
        if w is not None and s.level > sess.threshold:
            wbal = max(0.0, wbal - (s.level - sess.threshold) * (b - a))
        else:
            wbal += (W_PRIME - wbal) * (1 - math.exp(-(b - a) / 400))
        label: str | None
        if steady:
            label = f"Lap {n + 1}"
        elif s.label is None and s.group is not None and typ == "WORK":
            reps += 1
            label = f"Rep {reps}"  # the athlete's own name for the rep (not the group signature)
        else:
            label = s.label
        start_time = a + (stop if a >= pause_at else 0)
        end_time = b + (stop if b > pause_at else 0)
        ints.append(
            {
                "id": base_id + n,
                "type": typ,
                "label": label,
                "group_id": s.group,
                "start_index": a,
                "end_index": b,
                "start_time": start_time,
                "end_time": end_time,
                "elapsed_time": end_time - start_time,
                "moving_time": b - a,
                "distance": round((b - a) * (s.level / 25 if ride else s.level), 1),
                "average_watts": w,
                "min_watts": int(w * 0.6) if w else None,
                "max_watts": int(w * 1.35) if w else None,
                "weighted_average_watts": int(w * 1.02) if w else None,
                "average_watts_kg": round(w / 72.4, 2) if w else None,
                "intensity": round(s.frac * 100),
                "training_load": round((b - a) / 3600 * s.frac**2 * 100, 1),
                "zone": zone + 1,
                "zone_min_watts": _zone_watts(zone - 1, sess.threshold) if w else None,
                "zone_max_watts": _zone_watts(zone, sess.threshold) if w else None,
                "average_heartrate": None if sess.no_hr else round(s.hr),
                "min_heartrate": None if sess.no_hr else round(s.hr - 9),
                "max_heartrate": None if sess.no_hr else round(s.hr + 6),
                "average_cadence": None if swim else (90.0 if ride else 86.0),
                "average_speed": round(s.level / 25, 3) if ride else round(s.level, 3),
                "decoupling": None,
                "average_dfa_a1": None,
                "wbal_start": round(wbal_start) if w else None,
                "wbal_end": round(wbal) if w else None,
            }
        )
    groups: dict[str, dict] = {}
    for iv in ints:
        gid = iv["group_id"]
        if gid is None:
            continue
        g = groups.setdefault(
            gid,
            {
                "id": gid,
                "count": 0,
                "start_index": iv["start_index"],
                "elapsed_time": iv["elapsed_time"],
                "moving_time": iv["moving_time"],
                "_w": [],
                "_h": [],
            },
        )
        g["count"] += 1
        g["_w"].append(iv["average_watts"] or 0)
        g["_h"].append(iv["average_heartrate"] or 0)
    out_groups = []
    for g in groups.values():
        w, h = g.pop("_w"), g.pop("_h")
        g["average_watts"] = round(sum(w) / len(w)) if ride else None
        g["average_heartrate"] = round(sum(h) / len(h)) if not sess.no_hr else None
        g["average_cadence"] = 90.0
        g["intensity"] = round((sum(w) / len(w)) / sess.threshold * 100) if ride else None
        out_groups.append(g)
    return ints, out_groups


# ---------------------------------------------------------------- mean-maximal curves


def mmp(sess: Session) -> dict[str, list[int]]:
    """Best average power and HR for CURVE_SECS durations (cached on the session)."""
    if sess._mmp is not None:
        return sess._mmp
    segs = sess.segments
    bounds = [0]
    cum_p = [0.0]
    cum_h = [0.0]
    for s in segs:
        bounds.append(bounds[-1] + s.secs)
        cum_p.append(cum_p[-1] + s.level * s.secs)
        cum_h.append(cum_h[-1] + s.hr * s.secs)
    total = bounds[-1]

    def integral(cum: list[float], t: float) -> float:
        i = min(bisect.bisect_right(bounds, t) - 1, len(segs) - 1)
        rate = (cum[i + 1] - cum[i]) / max(1, bounds[i + 1] - bounds[i])
        return cum[i] + rate * (t - bounds[i])

    rng = cal.rng_for(0, sess.rng_seed, sess.day)
    sprint = rng.uniform(700, 980) if sess.is_ride and rng.random() < 0.6 else None
    watts: list[int] = []
    hrs: list[int] = []
    for d in CURVE_SECS:
        if d > total:
            break
        best_p = best_h = 0.0
        for b in bounds[:-1] + [total - d]:
            a = min(max(0, b), total - d)
            for start in (a, max(0, min(total - d, b - d))):
                best_p = max(best_p, (integral(cum_p, start + d) - integral(cum_p, start)) / d)
                best_h = max(best_h, (integral(cum_h, start + d) - integral(cum_h, start)) / d)
        burst = 1 + 0.25 * math.exp(-d / 90)  # within-segment surges
        p = best_p * burst
        if sprint and d <= 60:
            p = max(p, sprint * (1 - 0.55 * (d / 60) ** 0.5))
        watts.append(round(p))
        hrs.append(round(best_h + 3 * math.exp(-d / 300)))
    for arr in (watts, hrs):  # non-increasing with duration
        for i in range(len(arr) - 2, -1, -1):
            arr[i] = max(arr[i], arr[i + 1])
    has_power = sess.is_ride and not sess.no_power
    sess._mmp = {"watts": watts if has_power else [], "hr": [] if sess.no_hr else hrs}
    return sess._mmp
