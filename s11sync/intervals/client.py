"""Intervals.icu REST client: one method per endpoint a run uses, on top of `Transport`
(s11sync/intervals/transport.py: Basic auth, timeouts, the shared retry policy, the run-wide rate
limit and the translation of every failure into `s11sync.errors`). Messages never contain the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

from s11sync.errors import AthleteNotFound, BadResponse, IntervalsError
from s11sync.intervals.transport import MAX_BODY_BYTES, Transport
from s11sync.intervals.wire import _NotJson, _path_template, _shape

__all__ = ["MAX_BODY_BYTES", "IntervalsClient"]


T = TypeVar("T")
R = TypeVar("R")


class IntervalsClient(Transport):
    """One client per run. Thread-safe: per-activity calls share it through `map_bounded`."""

    # ---- endpoints ---------------------------------------------------------------------------

    def athlete(self) -> dict:
        """GET /athlete/{id} (with sport settings). A numeric id that 404s is retried once as i<id>.

        This is the first call of a run, so a base URL that is not the API shows up here: a 404
        that /athlete/0 confirms, or a body that is not a JSON object, is reported as a wrong
        INTERVALS_API_BASE (ConfigError), not as a wrong athlete id."""
        try:
            data = self.get_json(f"/athlete/{self.athlete_id}")
        except AthleteNotFound as exc:
            if self.athlete_id.isdigit() and self.athlete_id != "0":
                tried = self.athlete_id
                self.athlete_id = "i" + tried
                try:
                    data = self.get_json(f"/athlete/{self.athlete_id}")
                except AthleteNotFound:
                    self._check_base_on_404()
                    raise AthleteNotFound(
                        f"athlete id not found: tried {tried!r} and {self.athlete_id!r} (404). An "
                        "Intervals.icu athlete id looks like i123456 (Settings, bottom of the page); 0 "
                        "means the key's own athlete. Fix ATHLETE_ID." + self._api_base_hint(),
                        status=404,
                        endpoint="/athlete/{id}",
                    ) from exc
            else:
                self._check_base_on_404()
                raise
        except _NotJson as exc:
            raise self._wrong_base(
                f"answered the athlete request with something that is not JSON "
                f"(HTTP {exc.status}; first bytes: {exc.first_bytes})"
            ) from exc
        if not isinstance(data, dict) or "id" not in data:
            raise self._wrong_base(
                f"answered the athlete request with {_shape(data)}, not an athlete"
            )
        if self.athlete_id == "0" and data.get("id"):
            self.athlete_id = str(data["id"])
        return data

    def _list(
        self, path: str, params: dict[str, Any], timeout_s: float | None = None
    ) -> list[dict]:
        data = self.get_json(path, params, timeout_s=timeout_s)
        if not isinstance(data, list):
            raise BadResponse(
                f"Intervals.icu {_path_template(path)} did not return a list (got {_shape(data)}). "
                f"Check INTERVALS_API_BASE ({self.base_url}; it should end in /api/v1) and any proxy "
                "in between; if both are right, try again later and report it if it persists.",
                endpoint=_path_template(path),
            )
        return [item for item in data if isinstance(item, dict)]

    def activities(
        self,
        oldest: date,
        newest: date,
        fields: Iterable[str] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> list[dict]:
        params: dict[str, Any] = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        if fields:
            params["fields"] = ",".join(fields)
        return self._list(f"/athlete/{self.athlete_id}/activities", params, timeout_s)

    def wellness(
        self,
        oldest: date,
        newest: date,
        fields: Iterable[str] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> list[dict]:
        params: dict[str, Any] = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        if fields:
            params["fields"] = ",".join(fields)
        return self._list(f"/athlete/{self.athlete_id}/wellness", params, timeout_s)

    def wellness_day(self, day: date) -> dict:
        data = self.get_json(f"/athlete/{self.athlete_id}/wellness/{day.isoformat()}")
        return data if isinstance(data, dict) else {}

    def events(
        self,
        oldest: date,
        newest: date,
        *,
        category: Iterable[str] | None = None,
        resolve: bool = True,
    ) -> list[dict]:
        params: dict[str, Any] = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        if category:
            params["category"] = ",".join(category)
        if resolve:
            params["resolve"] = "true"
        return self._list(f"/athlete/{self.athlete_id}/events", params)

    def curves(self, kind: str, curves: Iterable[str], sport_type: str | None = None) -> dict:
        """One /power-curves or /hr-curves call returning several curves (in request order)."""
        params: dict[str, Any] = {"curves": ",".join(curves)}
        if sport_type:
            params["type"] = sport_type
        data = self.get_json(f"/athlete/{self.athlete_id}/{kind}-curves", params)
        if not isinstance(data, dict):
            raise BadResponse(
                f"Intervals.icu /{kind}-curves did not return an object",
                endpoint=f"/athlete/{{id}}/{kind}-curves",
            )
        return data

    def activities_by_id(
        self, activity_ids: Iterable[str], *, intervals: bool = True
    ) -> list[dict]:
        """GET /athlete/{id}/activities/{ids}: several activities in one request (with their
        intervals when asked). The service leaves out ids it does not find."""
        ids = ",".join(str(i) for i in activity_ids)
        params: dict[str, Any] = {"intervals": "true"} if intervals else {}
        return self._list(f"/athlete/{self.athlete_id}/activities/{ids}", params)

    def activity(self, activity_id: str, *, intervals: bool = True) -> dict:
        params = {"intervals": "true"} if intervals else None
        data = self.get_json(f"/activity/{activity_id}", params)
        return data if isinstance(data, dict) else {}

    def streams(
        self, activity_id: str, types: Iterable[str] | None = None, *, json_suffix: bool = True
    ) -> list[dict]:
        """GET /activity/{id}/streams.json?types=… (or /streams with every stream)."""
        params = {"types": ",".join(types)} if types else None
        path = f"/activity/{activity_id}/streams" + (".json" if json_suffix else "")
        data = self.get_json(path, params)
        return data if isinstance(data, list) else []

    def messages(self, activity_id: str) -> list[dict]:
        data = self.get_json(f"/activity/{activity_id}/messages")
        return data if isinstance(data, list) else []

    # ---- concurrency ---------------------------------------------------------------------------

    def map_bounded(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> list[tuple[T, R | None, Exception | None]]:
        """Run fn over items with at most `workers` in flight; returns (item, result, error) in order.
        Errors of optional per-activity calls are returned, not raised."""
        items = list(items)

        def call(item: T) -> tuple[T, R | None, Exception | None]:
            try:
                return item, fn(item), None
            except IntervalsError as exc:
                return item, None, exc

        if not items:
            return []
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            return list(pool.map(call, items))
