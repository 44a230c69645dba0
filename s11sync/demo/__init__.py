"""Offline demo: a deterministic synthetic athlete and a loopback Intervals.icu emulator.

* `s11sync.demo.athlete`: `build_demo(seed, today) -> DemoData`, `key_dates(today)`;
  helpers in `athlete_calendar` (season structure), `athlete_sessions` (activities, intervals,
  curves), `athlete_events` (calendar, `workout_doc`), `athlete_streams` (streams, GPX).
* `s11sync.demo.server`: `IntervalsEmulator` (threaded `http.server` on 127.0.0.1) and
  `serve_forever(port, today, seed)` for `s11sync demo serve`.
"""
