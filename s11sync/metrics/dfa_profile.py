"""DFA α1 views in latest.json: `recent_activities[].dfa_summary` and
`derived_metrics.capability.dfa_a1_profile`, both read from the intervals.json `dfa` blocks
(docs/metrics.md, "DFA alpha1"; tests/metrics/test_dfa_profile.py).

Pure code: `today` is passed in, nothing reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from s11sync.metrics.dfa import (
    INSUFFICIENT_DWELL,
    NO_CONTIGUOUS,
    NO_SAMPLES,
    OK,
    eligibility_rank,
)
from s11sync.numbers import finite_numbers, mean_or_none, rnd
from s11sync.sports import family_of
from s11sync.windows import RETENTION_DAYS

# Bands as (summary key, block key); a tie for the dominant band resolves to the more intense one.
BANDS: tuple[tuple[str, str], ...] = (
    ("easy", "tiz_easy"),
    ("endurance", "tiz_endurance"),
    ("tempo", "tiz_tempo"),
    ("supra", "tiz_supra"),
)
TIE_ORDER: tuple[str, ...] = ("supra", "tempo", "endurance", "easy")
# (prefix of the profile keys, block crossing key, marker α1), in output order.
PROFILE_MARKERS: tuple[tuple[str, str, float], ...] = (
    ("easy_guard", "easy_guard_crossing", 1.0),
    ("lt1", "lt1_crossing", 0.75),
    ("lt2", "lt2_crossing", 0.5),
)
TRAILING_WINDOW = 7
MIN_ESTIMATE_SESSIONS = 3
INSUFFICIENT_SESSIONS = "insufficient_sessions"
INDOOR_CYCLING_TYPE = "VirtualRide"
DWELL_TIE_ORDER: tuple[str, ...] = (NO_SAMPLES, INSUFFICIENT_DWELL, NO_CONTIGUOUS)
NOT_VALIDATED_NOTE = (
    "DFA a1 markers 0.75 (LT1) and 0.5 (LT2) are validated for cycling only; the {family} "
    "estimates are informational."
)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _sufficient(block: Any) -> bool:
    return bool(_dict(_dict(block).get("quality")).get("sufficient"))


def _band_pcts(block: dict) -> dict[str, float]:
    """{easy, endurance, tempo, supra} band pct; 0.0 for a null band."""
    out = {}
    for name, key in BANDS:
        band = block.get(key)
        out[name] = band.get("pct", 0.0) if isinstance(band, dict) else 0.0
    return out


def _dominant_band(block: dict) -> str:
    """Band with the most raw seconds; an exact tie goes to the more intense band."""
    secs = {}
    for name, key in BANDS:
        band = block.get(key)
        value = band.get("secs") if isinstance(band, dict) else None
        secs[name] = value if isinstance(value, (int, float)) else 0
    best = TIE_ORDER[0]
    for name in TIE_ORDER[1:]:
        if secs[name] > secs[best]:
            best = name
    return best


# ---- dfa_summary ---------------------------------------------------------------------------------


def dfa_summary(block: dict | None) -> dict | None:
    """`recent_activities[].dfa_summary`; None (key absent) unless the block is sufficient.

    Optional keys: `drift_delta`/`drift_interpretable` when the drift has a delta; `lt1_*`/`lt2_*`
    each only when that crossing is estimate-eligible and the value is non-null. No easy-guard keys.
    """
    if not isinstance(block, dict) or not block or not _sufficient(block):
        return None
    quality = _dict(block.get("quality"))
    out: dict[str, Any] = {
        "avg": block.get("avg"),
        "dominant_band": _dominant_band(block),
        "tiz_pct": _band_pcts(block),
        "valid_pct": quality.get("valid_pct"),
        "sufficient": True,
    }
    drift = block.get("drift")
    if isinstance(drift, dict) and drift.get("delta") is not None:
        out["drift_delta"] = drift["delta"]
        out["drift_interpretable"] = drift.get("interpretable") is True
    for prefix, key, _ in PROFILE_MARKERS[1:]:
        crossing = _dict(block.get(key))
        if crossing.get("estimate_eligible") is not True:
            continue
        if crossing.get("avg_watts") is not None:
            out[f"{prefix}_watts"] = crossing["avg_watts"]
        if crossing.get("avg_hr") is not None:
            out[f"{prefix}_hr"] = crossing["avg_hr"]
    return out


# ---- dfa_a1_profile ------------------------------------------------------------------------------


def build_dfa_a1_profile(entries: list[dict], activities: list[dict], today: date) -> dict | None:
    """`capability.dfa_a1_profile` from the intervals.json entries after this run's update.

    None when no entry carries a `dfa` block. `activities` (the activity list) supplies the
    `trainer` flag: a Ride on a trainer counts as indoor, as everywhere else. Entries older than the
    cache retention (date < today − 14) are ignored; for the pruned cache that is a no-op.
    """
    cutoff = (today - timedelta(days=RETENTION_DAYS)).isoformat()
    with_dfa = [
        e
        for e in entries or []
        if isinstance(e, dict)
        and isinstance(e.get("dfa"), dict)
        and e["dfa"]
        and not (isinstance(e.get("date"), str) and e["date"] < cutoff)
        and not (
            isinstance(e.get("date"), str) and e["date"] > today.isoformat()
        )  # kept for a later day
    ]
    if not with_dfa:
        return None
    # Newest first; Python's sort is stable also with reverse=True (cache order kept on ties).
    ordered = sorted(
        with_dfa, key=lambda e: str(e.get("start_datetime") or e.get("date") or ""), reverse=True
    )
    records = {str(a.get("id")): a for a in activities or [] if isinstance(a, dict)}
    sufficient = [e for e in ordered if _sufficient(e["dfa"])]

    by_family: dict[str, list[dict]] = {}
    for entry in sufficient:
        by_family.setdefault(family_of(entry.get("type")), []).append(entry)
    return {
        "latest_session": _latest_session(sufficient[0] if sufficient else ordered[0]),
        "trailing_by_sport": {
            family: _trailing(family, sessions[:TRAILING_WINDOW], records)
            for family, sessions in by_family.items()
        },
    }


def _latest_session(entry: dict) -> dict[str, Any]:
    """`latest_session`: the newest sufficient session, else the newest DFA entry with its values
    nulled."""
    block = entry["dfa"]
    quality = _dict(block.get("quality"))
    is_sufficient = _sufficient(block)
    drift = _dict(block.get("drift")) if is_sufficient else {}
    return {
        "activity_id": entry.get("activity_id"),
        "date": entry.get("date"),
        "name": entry.get("name"),
        "sport": entry.get("type"),
        "validated": family_of(entry.get("type")) == "cycling",
        "avg": block.get("avg") if is_sufficient else None,
        "tiz_split_pct": _band_pcts(block) if is_sufficient else None,
        "drift_delta": drift.get("delta"),
        "drift_interpretable": drift.get("interpretable"),
        "quality_pct": quality.get("valid_pct"),
        "sufficient": is_sufficient,
    }


def _is_indoor(entry: dict, records: dict[str, dict]) -> bool:
    """VirtualRide, or a ride on a trainer: one whose activity record has `trainer: true`."""
    if entry.get("type") == INDOOR_CYCLING_TYPE:
        return True
    return _dict(records.get(str(entry.get("activity_id")))).get("trainer") is True


def _trailing(family: str, window: list[dict], records: dict[str, dict]) -> dict[str, Any]:
    """`trailing_by_sport` entry for one family; `window` = its newest ≤ 7 sufficient sessions,
    newest first."""
    blocks = [e["dfa"] for e in window]
    dates = [d for d in (e.get("date") for e in window) if isinstance(d, str)]
    interpretable = [
        _dict(b.get("drift")).get("delta")
        for b in blocks
        if _dict(b.get("drift")).get("interpretable") is True
    ]
    crossing_counts: dict[str, int] = {}
    contributors: dict[str, list[tuple[dict, dict]]] = {}
    for prefix, key, _ in PROFILE_MARKERS:
        crossings = [(e, _dict(e["dfa"].get(key))) for e in window]
        crossing_counts[prefix] = sum(1 for _, c in crossings if c.get("reason") == OK)
        contributors[prefix] = [
            (e, c)
            for e, c in crossings
            if c.get("reason") == OK and c.get("estimate_eligible") is True
        ]
    validated = family == "cycling"
    out: dict[str, Any] = {
        "n_sessions": len(window),
        "date_range": [min(dates), max(dates)] if dates else [None, None],
        "avg_dfa_a1": rnd(mean_or_none(finite_numbers(b.get("avg") for b in blocks)), 3),
        "drift_delta_mean": rnd(mean_or_none(finite_numbers(interpretable)), 3),
    }
    for prefix, _, _ in PROFILE_MARKERS:
        out[f"{prefix}_crossing_sessions"] = crossing_counts[prefix]
    for prefix, _, _ in PROFILE_MARKERS:
        out[f"{prefix}_eligible_sessions"] = len(contributors[prefix])
    for prefix, key, marker in PROFILE_MARKERS:
        sessions = contributors[prefix]
        out[f"{prefix}_estimate"] = (
            _estimate(marker, sessions, validated, records)
            if len(sessions) >= MIN_ESTIMATE_SESSIONS
            else None
        )
        out[f"{prefix}_reason"] = _staged_reason(key, window, len(sessions))
    k = max(len(contributors["lt1"]), len(contributors["lt2"]))  # easy_guard is not a threshold
    out["quality_avg_pct"] = rnd(
        mean_or_none(finite_numbers(_dict(b.get("quality")).get("valid_pct") for b in blocks)), 1
    )
    out["validated"] = validated
    out["confidence"] = "high" if k >= 6 else "moderate" if k >= 4 else "low" if k >= 3 else None
    if not validated:
        out["note"] = NOT_VALIDATED_NOTE.format(family=family)
    return out


def _estimate(
    marker: float, sessions: list[tuple[dict, dict]], cycling: bool, records: dict[str, dict]
) -> dict[str, Any]:
    """Estimate object from the dwell-ok, eligible crossings; each mean round()ed over non-nulls."""
    hr = rnd(mean_or_none(finite_numbers(c.get("avg_hr") for _, c in sessions)))
    if not cycling:
        return {
            "marker_dfa_a1": marker,
            "hr": hr,
            "watts": rnd(mean_or_none(finite_numbers(c.get("avg_watts") for _, c in sessions))),
            "n_sessions": len(sessions),
        }
    indoor = finite_numbers(c.get("avg_watts") for e, c in sessions if _is_indoor(e, records))
    outdoor = finite_numbers(c.get("avg_watts") for e, c in sessions if not _is_indoor(e, records))
    return {
        "marker_dfa_a1": marker,
        "hr": hr,
        "watts_outdoor": rnd(mean_or_none(outdoor)),
        "watts_indoor": rnd(mean_or_none(indoor)),
        "n_sessions": len(sessions),
        "n_sessions_outdoor": len(outdoor),
        "n_sessions_indoor": len(indoor),
    }


def _most_frequent(reasons: list[str], rank) -> str | None:
    """The most frequent reason; ties by `rank` (a sort key). None when the list is empty."""
    if not reasons:
        return None
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return min(counts, key=lambda r: (-counts[r], rank(r)))


def _dwell_rank(reason: str) -> tuple[int, str]:
    if reason in DWELL_TIE_ORDER:
        return DWELL_TIE_ORDER.index(reason), reason
    return len(DWELL_TIE_ORDER), reason


def _staged_reason(key: str, window: list[dict], eligible: int) -> str:
    """Staged `{m}_reason`: `ok` with enough eligible sessions, `insufficient_sessions` with some,
    else the most frequent estimate reason of the sessions whose dwell was ok, else the most
    frequent dwell reason."""
    if eligible >= MIN_ESTIMATE_SESSIONS:
        return OK
    if eligible > 0:
        return INSUFFICIENT_SESSIONS
    crossings = [_dict(e["dfa"].get(key)) for e in window]
    dwell_ok = [c for c in crossings if c.get("reason") == OK]
    if dwell_ok:
        found = _most_frequent(
            [
                c["estimate_reason"]
                for c in dwell_ok
                if isinstance(c.get("estimate_reason"), str) and c["estimate_reason"] != OK
            ],
            eligibility_rank,
        )
        if found is not None:
            return found
    found = _most_frequent(
        [c["reason"] for c in crossings if isinstance(c.get("reason"), str) and c["reason"] != OK],
        _dwell_rank,
    )
    return found if found is not None else NO_SAMPLES
