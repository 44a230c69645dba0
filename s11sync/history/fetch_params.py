"""What the history.json fetch asks for: date windows and field projections (data, no I/O).

The client (the lead's `IntervalsClient`) fetches every window of `history_chunks(today)` for
`GET /athlete/{id}/activities` and `GET /athlete/{id}/wellness`, concurrently under the shared
retry policy with a 120 s read timeout, then merges the chunks and de-duplicates by `id`. Any
failed chunk aborts the regeneration and the previous history.json is kept. The athlete object
of the run is reused. This module only plans; it does no I/O.

`fields=`: the bundled OpenAPI spec lists only `oldest`, `newest`, `route_id`, `limit` on
`listActivities` and `oldest`, `newest`, `cols` (CSV only) on `listWellnessRecords`. The newer
official spec (July 2026) adds `fields` to both list endpoints; with it the
service omits keys whose value is null, which every reader here treats as null anyway.
"""

from __future__ import annotations

from datetime import date, timedelta

HISTORY_YEARS = 3
DAYS_PER_YEAR = 365
CHUNK_DAYS = 365
# What the fetch uses: the whole span in one window, so one request per endpoint (the list
# endpoints take any oldest…newest range; tests/test_year_to_date_e2e.py counts the requests)
HISTORY_WINDOW_DAYS = HISTORY_YEARS * DAYS_PER_YEAR

# What history.json reads from an activity (plus `source` and `type` for the Strava-stub test).
HISTORY_ACTIVITY_FIELDS: list[str] = [
    "id",
    "start_date_local",
    "type",
    "source",
    "moving_time",
    "distance",
    "total_elevation_gain",
    "icu_training_load",
    "icu_zone_times",
    "icu_hr_zone_times",
    "feel",
    "icu_rpe",
    "icu_variability_index",
    "icu_hr_decoupling",
    "decoupling",
    "icu_efficiency_factor",
    "icu_hrr",
]

# What history.json reads from a wellness record (daily_90d passthroughs and the aggregates).
HISTORY_WELLNESS_FIELDS: list[str] = [
    "id",
    "ctl",
    "atl",
    "rampRate",
    "hrv",
    "restingHR",
    "sleepSecs",
    "sleepQuality",
    "sleepScore",
    "weight",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "injury",
    "hydration",
    "spO2",
    "bloodGlucose",
    "systolic",
    "diastolic",
    "baevskySI",
    "lactate",
    "respiration",
    "bodyFat",
    "abdomen",
    "steps",
    "hydrationVolume",
    "kcalConsumed",
    "carbohydrates",
    "protein",
    "fatTotal",
    "menstrualPhase",
    "menstrualPhasePredicted",
    "readiness",
]


def history_chunks(
    today: date, years: int = HISTORY_YEARS, chunk_days: int = CHUNK_DAYS
) -> list[tuple[date, date]]:
    """Inclusive `(oldest, newest)` windows covering today − years·365 … today, oldest first.

    Consecutive, without overlap or hole; each spans at most `chunk_days` (newest − oldest ≤
    chunk_days, the way "T−1095 … T" spans 1095 days). The defaults give three yearly
    windows: T−1095…T−732, T−731…T−366, T−365…T.
    """
    if years < 1 or chunk_days < 1:
        raise ValueError("years and chunk_days must be positive")
    first = today - timedelta(days=DAYS_PER_YEAR * years)
    windows: list[tuple[date, date]] = []
    newest = today
    while newest >= first:
        oldest = max(first, newest - timedelta(days=chunk_days))
        windows.append((oldest, newest))
        newest = oldest - timedelta(days=1)
    return windows[::-1]
