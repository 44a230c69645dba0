"""The Intervals.icu side of the demo: a deterministic synthetic athlete and a loopback emulator.

* `athlete`: `build_demo(seed, today) -> DemoData`, `key_dates(today)`; helpers in
  `athlete_calendar` (season structure), `athlete_sessions` (activities, intervals, curves),
  `athlete_events` (calendar, `workout_doc`), `athlete_streams` (streams, GPX), `athlete_zones`
  (zone bounds, time in zones).
* `server`: `IntervalsEmulator` (on the shared loopback base) and `serve_forever(port, today, seed)`
  for `s11sync demo serve`.
"""
