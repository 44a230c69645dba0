"""End-to-end scenarios: the whole sync (`s11sync demo`) on the demo athlete for chosen dates.

Each module-scoped fixture runs the real sync once for one `--today` (the CLI entry point,
against the Intervals.icu emulator) and the tests read the JSON files it wrote. The dates come
from `key_dates(2026-11-25)` of the demo calendar, so they follow the calendar if it changes.
Expected values are derived from the rules in docs/metrics.md applied to
other fields of the same document, not copied from a run: a wrong table in the metric code
makes these tests fail.

Scenarios:
  default date  every load/intensity metric and every capability block populated, plausible
  race week     `race_calendar.race_week` active with its day protocol (docs/metrics.md, Race week)
  SICK span     `health_context` with a current marker (docs/metrics.md, "Health context")
  deload week   `phase_detected == "Deload"` through the phase classifier (and its history row)
  ACWR spike    an ACWR alert whose severity follows the ACWR alert table
  gated block   capability means gated off by their sample-size minimum, listed in `unavailable`
  determinism   two runs for one date write byte-identical files (volatile stamps masked)
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from s11sync.cli import main
from s11sync.demo.intervals_icu.athlete_calendar import key_dates
from s11sync.demo.intervals_icu.server import cached_demo
from s11sync.metrics.tid import ENDURANCE_FAMILIES
from s11sync.sports import family_of
from s11sync.validate import validate_document

TODAY = date(2026, 11, 25)  # the demo's default date (tests/conftest.py DEMO_TODAY)
SEED = 11  # `s11sync demo` default seed
KEY = key_dates(TODAY)
OUTPUT_FILES = {"latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"}
VOLATILE_KEYS = ("last_updated", "calculation_timestamp", "generated_at")


# ---------------------------------------------------------------- running the sync


def run_sync(tmp_path_factory: pytest.TempPathFactory, day: date, label: str) -> Path:
    out = tmp_path_factory.mktemp(label)
    rc = main(["demo", "--output", str(out), "--today", day.isoformat(), "--quiet"])
    assert rc == 0
    assert {p.name for p in out.glob("*.json")} == OUTPUT_FILES
    return out


def read(out: Path, name: str = "latest.json") -> dict[str, Any]:
    return json.loads((out / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> Path:
    return run_sync(tmp_path_factory, TODAY, "default")


@pytest.fixture(scope="module")
def default_latest(default_run) -> dict[str, Any]:
    return read(default_run)


@pytest.fixture(scope="module")
def race_week_latest(tmp_path_factory) -> dict[str, Any]:
    return read(run_sync(tmp_path_factory, KEY["race_week_day"], "race_week"))


@pytest.fixture(scope="module")
def sick_latest(tmp_path_factory) -> dict[str, Any]:
    return read(run_sync(tmp_path_factory, KEY["sick_day"], "sick"))


@pytest.fixture(scope="module")
def deload_latest(tmp_path_factory) -> dict[str, Any]:
    # Monday of the latest deload week: the plan for the week ahead is the reduced one
    return read(run_sync(tmp_path_factory, KEY["deload_week_start"], "deload"))


@pytest.fixture(scope="module")
def spike_latest(tmp_path_factory) -> dict[str, Any]:
    return read(run_sync(tmp_path_factory, KEY["acwr_spike_day"], "acwr_spike"))


def days(n: int) -> timedelta:
    return timedelta(days=n)


def iso(d: date) -> str:
    return d.isoformat()


# ---------------------------------------------------------------- 1. default date: full picture

# every load / intensity / FTP metric of `derived_metrics` (docs/metrics.md)
LOAD_METRICS = (
    "recovery_index",
    "recovery_index_yesterday",
    "hrv_baseline_7d",
    "rhr_baseline_7d",
    "hrv_baseline_28d",
    "rhr_baseline_28d",
    "latest_hrv",
    "latest_rhr",
    "acwr",
    "acwr_interpretation",
    "monotony",
    "monotony_interpretation",
    "primary_sport",
    "primary_sport_monotony",
    "primary_sport_tss_7d",
    "effective_monotony",
    "strain",
    "stress_tolerance",
    "load_recovery_ratio",
    "tss_7d_total",
    "tss_28d_total",
    "grey_zone_percentage",
    "quality_intensity_percentage",
    "easy_time_ratio",
    "hard_days_this_week",
    "consistency_index",
    "seasonal_context",
    "eftp",
    "w_prime",
    "w_prime_kj",
    "p_max",
    "power_model_source",
    "vo2max",
)
TID_BLOCKS = ("seiler_tid_7d", "seiler_tid_7d_primary", "seiler_tid_28d", "seiler_tid_28d_primary")
TID_FIELDS = (
    "z1_seconds",
    "z2_seconds",
    "z3_seconds",
    "z1_pct",
    "z2_pct",
    "z3_pct",
    "polarization_index",
    "classification",
    "zone_basis",
)
WINDOWED = {  # capability block -> (7d mean, 28d mean)
    "durability": ("mean_decoupling_7d", "mean_decoupling_28d"),
    "efficiency_factor": ("mean_ef_7d", "mean_ef_28d"),
    "hrrc": ("mean_hrrc_7d", "mean_hrrc_28d"),
}


def acwr_band(value: float) -> str:
    """The ACWR interpretation band, read on the rounded value (docs/metrics.md, "ACWR")."""
    if value < 0.8:
        return "undertraining"
    if value < 1.3:
        return "optimal"
    return "caution" if value < 1.5 else "danger"


def test_default_date_writes_valid_files_and_nothing_is_unavailable(default_run, default_latest):
    for name in sorted(OUTPUT_FILES):
        assert validate_document(name, read(default_run, name)) == [], name
    dm = default_latest["derived_metrics"]
    # a metric with a value never appears in `unavailable`; on the
    # default date every derived metric has one, so the map is exactly empty.
    assert dm["unavailable"] == {}


def test_default_date_every_load_and_intensity_metric_is_populated(default_latest):
    dm = default_latest["derived_metrics"]
    assert [k for k in LOAD_METRICS if dm[k] is None] == []
    assert dm["acwr_start_of_day"]["value"] is not None
    assert all(v is not None for v in dm["zone_distribution_7d"].values())
    for block in TID_BLOCKS:
        assert [f for f in TID_FIELDS if dm[block][f] is None] == [], block
    assert dm["seiler_tid_7d_primary"]["sport"] == dm["primary_sport"] == "cycling"
    tid = dm["capability"]["tid_comparison"]
    assert None not in (tid["pi_7d"], tid["pi_28d"], tid["pi_delta"], tid["drift"])
    for side in ("benchmark_indoor", "benchmark_outdoor"):
        assert dm[side]["benchmark_index"] is not None, side
    assert "planned_days" in dm["consistency_details"]
    # an unknown effort response is absent from the record (absent = unknown)
    responses = [a.get("effort_response") for a in default_latest["recent_activities"]]
    assert any(r is not None for r in responses)


def test_default_date_load_values_are_plausible_and_consistent(default_latest):
    dm = default_latest["derived_metrics"]
    s7, s28 = dm["tss_7d_total"], dm["tss_28d_total"]
    assert 0.6 <= dm["acwr"] <= 1.6
    assert dm["acwr"] == pytest.approx(
        4 * s7 / s28, abs=0.011
    )  # ACWR = 4 x 7-day / 28-day, from rounded totals
    assert dm["acwr_interpretation"] == acwr_band(dm["acwr"])
    assert 0 < dm["monotony"] < 2.3  # no monotony alert for this athlete's varied week
    assert 0 < dm["effective_monotony"] <= dm["monotony"]
    assert dm["strain"] == round(s7 * dm["monotony"])  # strain = 7-day load x rounded monotony
    assert dm["stress_tolerance"] == round(dm["strain"] / dm["monotony"] / 100, 1)
    for block in TID_BLOCKS:
        tid = dm[block]
        assert tid["z1_pct"] + tid["z2_pct"] + tid["z3_pct"] == pytest.approx(100, abs=0.2)
        total = tid["z1_seconds"] + tid["z2_seconds"] + tid["z3_seconds"]
        assert tid["z3_pct"] == pytest.approx(100 * tid["z3_seconds"] / total, abs=0.05)
        # a PI exists only for f1 > f3 > f2 and is log10(f1/f2 x f3 x 100)
        f1, f2, f3 = (tid[f"z{i}_seconds"] / total for i in (1, 2, 3))
        assert f1 > f3 > f2, block
        assert tid["polarization_index"] == pytest.approx(
            round(math.log10(f1 / f2 * f3 * 100), 2), abs=1e-9
        )
    # the zone shares count every sport, the all-sport TID only the endurance ones:
    # adding the other sessions' zone seconds (from recent_activities) to the TID gives the shares
    bins = [dm["seiler_tid_7d"][f"z{i}_seconds"] for i in (1, 2, 3)]
    first_day = (TODAY - timedelta(days=6)).isoformat()
    for activity in default_latest["recent_activities"]:
        if activity["date"][:10] < first_day or family_of(activity["type"]) in ENDURANCE_FAMILIES:
            continue
        zones = activity["zone_distribution"] or {}
        chosen = zones.get("power_zones") or zones.get("hr_zones") or {}
        secs = [chosen.get(f"z{i}_time", 0) for i in range(1, 8)]
        bins = [bins[0] + secs[0] + secs[1], bins[1] + secs[2], bins[2] + sum(secs[3:])]
    assert dm["grey_zone_percentage"] == pytest.approx(100 * bins[1] / sum(bins), abs=0.1)
    assert dm["easy_time_ratio"] == pytest.approx(bins[0] / sum(bins), abs=0.01)
    assert 0 <= dm["hard_days_this_week"] <= 3  # TODAY is a Wednesday
    assert 0.8 <= dm["consistency_index"] <= 1.0
    assert 0.8 <= dm["recovery_index"] <= 1.2
    assert 40 <= dm["hrv_baseline_28d"] <= 90 and 40 <= dm["rhr_baseline_28d"] <= 60
    assert 200 <= dm["eftp"] <= 320 and 10_000 <= dm["w_prime"] <= 30_000
    for side in ("benchmark_indoor", "benchmark_outdoor"):
        assert -0.15 <= dm[side]["benchmark_index"] <= 0.15

    fitness = default_latest["current_status"]["fitness"]
    assert 40 <= fitness["ctl"] <= 150 and 30 <= fitness["atl"] <= 180
    assert fitness["tsb"] == pytest.approx(fitness["ctl"] - fitness["atl"], abs=0.02)
    assert -40 <= fitness["tsb"] <= 30


def test_default_date_every_capability_block_is_populated_and_plausible(default_latest):
    cap = default_latest["derived_metrics"]["capability"]
    assert list(cap) == [
        "durability",
        "efficiency_factor",
        "hrrc",
        "tid_comparison",
        "power_curve_delta",
        "hr_curve_delta",
        "sustainability_profile",
        "dfa_a1_profile",
    ]
    for block, (key7, key28) in WINDOWED.items():
        assert None not in (cap[block][key7], cap[block][key28], cap[block]["trend"]), block
    assert -5 <= cap["durability"]["mean_decoupling_28d"] <= 8
    assert 1.0 <= cap["efficiency_factor"]["mean_ef_28d"] <= 2.0  # W/bpm
    assert 15 <= cap["hrrc"]["mean_hrrc_28d"] <= 50  # bpm in 60 s

    for block, anchors in (("power_curve_delta", 5), ("hr_curve_delta", 4)):
        delta = cap[block]
        assert len(delta["anchors"]) == anchors and delta["rotation_index"] is not None
        for label, anchor in delta["anchors"].items():
            assert None not in anchor.values(), (block, label)
            assert abs(anchor["pct_change"]) < 25, (block, label)
    power = cap["power_curve_delta"]["anchors"]
    assert (
        power["5s"]["current_watts"]
        > power["300s"]["current_watts"]
        > (power["3600s"]["current_watts"])
    )

    profile = cap["sustainability_profile"]
    assert profile["weight_kg"] is not None and 55 <= profile["weight_kg"] <= 90
    cycling = profile["cycling"]
    assert cycling["anchors"] is not None and cycling["coverage_ratio"] >= 0.5
    watts = [a["actual_watts"] for a in cycling["anchors"].values()]
    assert None not in watts and watts == sorted(watts, reverse=True)  # mean-maximal power

    dfa = cap["dfa_a1_profile"]
    assert dfa is not None and dfa["latest_session"] is not None and dfa["trailing_by_sport"]


def test_default_date_decision_layer_is_present(default_latest):
    readiness = default_latest["readiness_decision"]
    assert readiness["recommendation"] in ("go", "modify", "skip")
    assert readiness["signal_summary"]["unavailable"] == 0
    assert set(readiness["signals"]) == {"hrv", "rhr", "sleep", "acwr", "ri", "tsb"}
    assert default_latest["derived_metrics"]["phase_detected"] in (
        "Build",
        "Base",
        "Peak",
        "Taper",
        "Deload",
        "Recovery",
        "Overreached",
    )


# ---------------------------------------------------------------- 2. race week (docs/metrics.md)

# race-week day protocol: n -> (label, min%, max%, zones); D-2 zones and D-4/D-3 min% vary by class
DAY_PROTOCOL = {
    7: ("Last key session", 0.75, 1.00, "3-5 efforts Z4-Z5 (1-3 min)"),
    6: ("Recovery", 0.00, 0.30, "Z1-Z2 only"),
    5: ("Moderate endurance", 0.40, 0.60, "Z1-Z2 + 2-3 race-pace touches"),
    4: ("Easy / rest", 0.00, 0.40, "Z1-Z2 only"),
    3: ("Easy / rest", 0.00, 0.40, "Z1-Z2 only"),
    2: ("Opener", 0.30, 0.50, None),
    1: ("Rest / minimal", 0.00, 0.20, "Z1 only if active"),
    0: ("Race day", 0.00, 0.00, "Race effort"),
}
OPENER_ZONES = {
    "medium": "3-5 efforts Z4-Z6 (20-60s), high cadence, full recovery",
    "long_endurance": "3-4 efforts Z4 only (20-60s), moderate cadence, full recovery",
    "short_intense": "5-6 efforts Z4-Z6 (10-30s), high cadence, full recovery",
}
TSB_TARGET = {  # TSB target by duration class, RACE_A; RACE_B is 5 lower (min floored at 0)
    "short_intense": (5, 15),
    "medium": (10, 20),
    "long_endurance": (10, 25),
}
BUDGET_PCT = {"RACE_A": (0.40, 0.55), "RACE_B": (0.50, 0.65)}


def duration_class(moving_time: int | None, category: str) -> str:
    if moving_time is None:
        return "long_endurance" if category == "RACE_A" else "medium"
    if moving_time < 5400:
        return "short_intense"
    return "medium" if moving_time <= 10800 else "long_endurance"


def rounded_range(ctl: float, factor: float) -> set[int]:
    """round(CTL x factor) for any CTL that rounds to the 2-dp value shown in current_status."""
    return {round((ctl + e) * factor) for e in (-0.005, 0.0, 0.005)}


@pytest.mark.parametrize(
    ("run", "today", "race_day", "category"),
    [
        # the A race of key_dates, 3 days ahead
        ("race_week_latest", KEY["race_week_day"], KEY["next_race_a"], "RACE_A"),
        # the default date is also D-3 of the cycle's B race: race week for RACE_B
        ("default_latest", TODAY, KEY["next_race_b"], "RACE_B"),
    ],
)
def test_race_week_is_active_with_a_day_protocol(run, today, race_day, category, request):
    race_week_latest = request.getfixturevalue(run)
    n = (race_day - today).days
    assert 1 <= n <= 7
    calendar = race_week_latest["race_calendar"]
    rw = calendar["race_week"]
    # target race: the earliest RACE_A within 7 days, else the earliest RACE_B; never a RACE_C
    candidates = [r for r in calendar["all_races"] if r["days_until"] <= 7]
    a_races = [r for r in candidates if r["category"] == "RACE_A"]
    target = (a_races or [r for r in candidates if r["category"] == "RACE_B"])[0]
    assert target["category"] == category
    assert rw["active"] is True
    assert (rw["event_name"], rw["event_date"], rw["event_category"]) == (
        target["name"],
        iso(race_day),
        category,
    )
    assert rw["days_until_event"] == n and rw["current_day"] == f"D-{n}"
    assert rw["event_moving_time_seconds"] == target["moving_time_seconds"]
    cls = duration_class(target["moving_time_seconds"], category)
    assert rw["event_duration_class"] == cls

    # TSS budget and spend, from the sync's own fitness numbers and activities
    fitness = race_week_latest["current_status"]["fitness"]
    ctl, atl = fitness["ctl"], fitness["atl"]
    assert rw["ctl_baseline"] == round(ctl, 1) > 0
    assert rw["normal_weekly_tss"] == pytest.approx(ctl * 7, abs=0.06)
    pmin, pmax = BUDGET_PCT[category]
    budget = rw["race_week_tss_budget"]
    assert budget["min"] in rounded_range(ctl, 7 * pmin)
    assert budget["max"] in rounded_range(ctl, 7 * pmax)
    first = iso(race_day - days(7))
    spent = sum(
        a.get("tss") or 0
        for a in race_week_latest["recent_activities"]
        if first <= a["date"][:10] <= iso(today)
    )
    assert spent > 0 and rw["race_week_tss_spent"] == pytest.approx(spent, abs=1)
    assert rw["race_week_tss_remaining"] == {
        "min": max(0, budget["min"] - rw["race_week_tss_spent"]),
        "max": max(0, budget["max"] - rw["race_week_tss_spent"]),
    }
    projected = ctl * math.exp(-n / 42) - atl * math.exp(-n / 7)  # zero load until the race
    assert rw["projected_race_day_tsb"] == pytest.approx(projected, abs=0.1)
    lo, hi = TSB_TARGET[cls]
    if category == "RACE_B":
        lo, hi = max(0, lo - 5), hi - 5
    assert rw["tsb_target_range"] == {"min": lo, "max": hi}

    # the day protocol for D-n
    label, pmin, pmax, zones = DAY_PROTOCOL[n]
    if n in (3, 4) and cls == "long_endurance":
        pmin = 0.20
    if n == 2:
        zones = OPENER_ZONES[cls]
    day = rw["today"]
    assert (day["label"], day["zones"]) == (label, zones)
    assert day["load_target_tss"]["min"] in rounded_range(ctl, pmin)
    assert day["load_target_tss"]["max"] in rounded_range(ctl, pmax)
    assert isinstance(day["purpose"], str) and day["purpose"]

    moving_time = target["moving_time_seconds"]
    applicable = category == "RACE_A" if moving_time is None else moving_time >= 5400
    assert rw["carb_loading"]["applicable"] is applicable
    assert rw["carb_loading"]["active"] is (applicable and n <= 4)
    assert rw["carb_loading"]["start_date"] == iso(race_day - days(4))
    intensity = {"long_endurance": "lighter", "short_intense": "more_intense"}.get(cls, "standard")
    assert rw["opener"] == {"day": "D-2", "date": iso(race_day - days(2)), "intensity": intensity}

    # go / no-go from the projected TSB
    p = rw["projected_race_day_tsb"]
    assert rw["go_no_go"]["tsb_status"] == ("green" if p >= lo else "flag")
    assert (rw["go_no_go"]["notes"] == []) is (p >= lo)

    # race alerts: `race_week` info, plus `race_week_tsb` only below the target range
    alerts = race_week_latest["alerts"]
    race_alerts = {a["metric"]: a for a in alerts if a["metric"].startswith("race")}
    alert = race_alerts["race_week"]
    assert (alert["value"], alert["severity"], alert["threshold"], alert["tier"]) == (
        n,
        "info",
        f"{category} within 7 days",
        1,
    )
    assert ("race_week_tsb" in race_alerts) is (p < lo)
    assert race_week_latest["readiness_decision"]["phase_context"]["phase"] == "Taper"


# ---------------------------------------------------------------- 3. SICK span (health context)


def test_health_context_has_the_current_sick_marker(sick_latest):
    sick_day, start, end_exclusive = KEY["sick_day"], KEY["sick_start"], KEY["sick_end_exclusive"]
    assert start <= sick_day < end_exclusive and (TODAY - sick_day).days <= 365
    # the emulator stores the span the way Intervals.icu does: an exclusive midnight end
    served = [
        e
        for e in cached_demo(SEED, sick_day).events
        if e.get("category") == "SICK" and e["start_date_local"][:10] == iso(start)
    ]
    assert [e["end_date_local"] for e in served] == [f"{iso(end_exclusive)}T00:00:00"]

    health = sick_latest["health_context"]
    assert health["source_status"] == "ok" and health["lookback_days"] == 365
    assert health["marker_active"] is True
    assert health["recent_marker"] is False
    assert health["clarification_required"] is True
    assert len(health["current"]) == 1
    marker = health["current"][0]
    assert list(marker)[:6] == [
        "event_id",
        "category",
        "start_date",
        "end_date",
        "marker_active_today",
        "source",
    ]
    assert marker["event_id"] == served[0]["id"]
    assert marker["category"] == "SICK" and marker["source"] == "calendar"
    assert marker["start_date"] == iso(start)
    assert marker["end_date"] == iso(
        end_exclusive - days(1)
    )  # the calendar's exclusive end made inclusive
    assert marker["marker_active_today"] is True
    assert all(e["start_date"] > iso(sick_day) for e in health["upcoming"])
    assert health["note"]


# ---------------------------------------------------------------- 4. deload week (phase classifier)


def test_deload_week_is_detected_by_the_ladder(deload_latest):
    dm = deload_latest["derived_metrics"]
    phase = dm["phase_detection"]
    assert dm["phase_detected"] == phase["phase"] == "Deload"
    assert dm["phase_triggers"] == phase["reason_codes"]
    s1, s2 = phase["basis"]["stream_1"], phase["basis"]["stream_2"]
    # the earlier rungs did not fire: no A/B race within 21 days, not coming out of a deload
    assert s2["race_proximity"] is None or s2["race_proximity"] > 21
    assert phase["previous_phase"] != "Deload"
    # the first deload path: at most one hard session planned, reduced planned load, build history
    assert s2["hard_sessions_planned"] <= 1
    assert s2["planned_tss_delta"] is not None and s2["planned_tss_delta"] <= 0.80
    assert s1["ctl_slope"] > 0 and s1["hard_day_pattern"] >= 1.5 and s1["weeks_available"] >= 3
    # the deload outcome, from the emitted next-week load and coverage
    if s2["next_week_load"] is not None and s2["next_week_load"] >= 0.80:
        expected = ("high", ["BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED"])
    elif s2["plan_coverage_next_week"] < 0.3:
        expected = ("medium", ["PLAN_GAP_NEXT_WEEK"])
    else:
        expected = ("medium", ["BUILD_HISTORY_REDUCED_LOAD"])
    assert (phase["confidence"], phase["reason_codes"]) == expected
    assert phase["phase_duration_weeks"] == 1


def test_deload_week_is_recorded_in_the_history_after_it(default_latest, default_run):
    """After the week, history.json's backfill (the same classifier on past weeks) labels that week
    Deload too."""
    rows = {r["week_start"]: r for r in read(default_run, "history.json")["weekly_180d"]}
    start = KEY["deload_week_start"]
    assert rows[iso(start)]["phase_detected"] == "Deload"
    before = [rows[iso(start - days(7 * k))]["total_tss"] for k in (1, 2, 3)]
    assert rows[iso(start)]["total_tss"] <= 0.8 * sum(before) / 3


# ---------------------------------------------------------------- 5. ACWR spike (ACWR alert)


def expected_acwr_alert(acwr: float | None) -> tuple[str, str] | None:
    """The ACWR alert table (docs/metrics.md, "Alerts"): (severity, threshold) for a live ACWR, or
    None for no alert."""
    if acwr is None or acwr < 1.3:
        return None
    return ("alarm", "1.35") if acwr >= 1.35 else ("warning", "1.3")


def test_acwr_spike_raises_the_alert_the_table_gives(spike_latest):
    dm = spike_latest["derived_metrics"]
    acwr = dm["acwr"]
    # the camp week: acute load at least 1.5 x the 28-day weekly average
    assert acwr == pytest.approx(4 * dm["tss_7d_total"] / dm["tss_28d_total"], abs=0.011)
    assert acwr >= 1.5 and dm["acwr_interpretation"] == acwr_band(acwr)
    expected = expected_acwr_alert(acwr)
    assert expected is not None
    alerts = [a for a in spike_latest["alerts"] if a["metric"] == "acwr"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert list(alert) == [
        "metric",
        "value",
        "severity",
        "threshold",
        "context",
        "persistence_days",
        "tier",
        "scope",
        "readiness_eligible",
    ]
    assert (alert["severity"], alert["threshold"]) == expected
    assert alert["value"] == acwr
    assert (alert["tier"], alert["persistence_days"]) == (2, None)
    assert (alert["scope"], alert["readiness_eligible"]) == ("live_retrospective", False)
    if expected[0] == "alarm":  # the alarm names the value readiness used instead
        assert "readiness_decision.signals.acwr" in alert["context"]
    # readiness reads the start-of-day value, not the live one
    signal = spike_latest["readiness_decision"]["signals"]["acwr"]
    assert signal["value"] == dm["acwr_start_of_day"]["value"]
    # alert order: physiological alerts sorted by (tier, severity), race alerts after them
    rank = {"alarm": 0, "warning": 1, "info": 2}
    physio = [a for a in spike_latest["alerts"] if not a["metric"].startswith("race")]
    keys = [(a["tier"], rank[a["severity"]]) for a in physio]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "run", ["default_latest", "race_week_latest", "sick_latest", "deload_latest", "spike_latest"]
)
def test_every_scenario_date_has_exactly_the_acwr_alert_the_table_gives(run, request):
    latest = request.getfixturevalue(run)
    expected = expected_acwr_alert(latest["derived_metrics"]["acwr"])
    got = [(a["severity"], a["threshold"]) for a in latest["alerts"] if a["metric"] == "acwr"]
    assert got == ([] if expected is None else [expected])


@pytest.mark.parametrize(
    ("acwr", "expected"),
    [
        (None, None),
        (1.29, None),
        (1.3, ("warning", "1.3")),
        (1.34, ("warning", "1.3")),
        (1.35, ("alarm", "1.35")),
        (1.87, ("alarm", "1.35")),
    ],
)
def test_the_acwr_table_used_above(acwr, expected):
    assert expected_acwr_alert(acwr) == expected


# ---------------------------------------------------------------- 6. a capability block gated off


def test_capability_means_are_gated_off_with_their_reason(deload_latest, default_latest):
    """In the deload week no long steady ride falls in the last 7 days, so the 7-day durability
    and EF means miss their 2-session minimum (docs/metrics.md, "Durability",
    "Efficiency factor") while the 28-day ones stand."""
    dm = deload_latest["derived_metrics"]
    cap, unavailable = dm["capability"], dm["unavailable"]
    assert dm["data_quality"]["activities_7d"] > 0  # activities exist; too few qualify
    gated = []
    for block, (key7, key28) in WINDOWED.items():
        values = cap[block]
        assert values[key28] is not None, block
        minimum = 1 if block == "hrrc" else 2  # sessions a 7-day mean needs
        assert (values[key7] is None) is (values["qualifying_sessions_7d"] < minimum), block
        if values[key7] is None:
            gated.append(block)
            assert values["trend"] is None
            assert unavailable[f"capability.{block}.{key7}"] == "insufficient_history"
            assert unavailable[f"capability.{block}.trend"] == "insufficient_history"
        else:
            assert f"capability.{block}.{key7}" not in unavailable
    assert {"durability", "efficiency_factor"} <= set(gated)
    durability = cap["durability"]
    assert durability["reliability_limited"] is True  # both counts named in the note
    note = durability["reliability_note"]
    assert f"7d N={durability['qualifying_sessions_7d']} (min 3)" in note
    assert f"28d N={durability['qualifying_sessions_28d']} (min 5)" in note
    # decision 16 for the capability means: every null one is listed
    listed = {k for k in unavailable if k.startswith("capability.")}
    nulls = {
        f"capability.{block}.{key}"
        for block, keys in WINDOWED.items()
        for key in (*keys, "trend")
        if cap[block][key] is None
    }
    assert nulls <= listed
    # the same gate is open on the default date
    default_cap = default_latest["derived_metrics"]["capability"]
    assert default_cap["durability"]["qualifying_sessions_7d"] >= 2


# ---------------------------------------------------------------- 7. determinism


def masked(raw: bytes) -> tuple[bytes, int]:
    """The file with the values of the volatile keys replaced, and how many were replaced."""
    pattern = rb'"(' + b"|".join(k.encode() for k in VOLATILE_KEYS) + rb')": "[^"]*"'
    return re.subn(pattern, rb'"\1": "<volatile>"', raw)


def test_two_runs_for_one_date_write_identical_files(default_run, tmp_path_factory):
    again = run_sync(tmp_path_factory, TODAY, "default_again")
    volatile = 0
    for name in sorted(OUTPUT_FILES):
        first, n1 = masked((default_run / name).read_bytes())
        second, n2 = masked((again / name).read_bytes())
        assert n1 == n2
        volatile += n1
        assert first == second, name
    # metadata.last_updated, derived_metrics.calculation_timestamp and three generated_at
    assert volatile == 5
