"""Offline demo: loopback emulators of Intervals.icu and GitHub, and the `s11sync demo` runner.

* `s11sync.demo.loopback`: `LoopbackServer`, the threaded 127.0.0.1 HTTP server both emulators
  build on (start/stop, context manager, request counting, latency, response helpers).
* `s11sync.demo.intervals_icu`: the deterministic synthetic athlete and `IntervalsEmulator`.
* `s11sync.demo.github`: `GitHubEmulator`, backed by real bare git repositories.
* `s11sync.demo.run`: `s11sync demo` and `s11sync demo serve`.
"""
