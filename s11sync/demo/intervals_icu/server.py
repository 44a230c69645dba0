"""A loopback emulator of the Intervals.icu REST API serving the demo athlete.

    with IntervalsEmulator(today=date(2026, 11, 25)) as emu:
        requests.get(f"{emu.base_url}/athlete/0", auth=("API_KEY", emu.api_key))

Paths and query parameters follow `openapi.json` (tests/fixtures/intervals-icu/); payload shapes
follow what live accounts send where the two differ. Auth is Basic `API_KEY:<key>`; a Bearer header
gets 403 `{"status":403,"error":"Access denied"}`, a wrong or missing key 401 (Spring-style body),
another athlete's id 403, an unknown athlete 404 `{"status":404,"error":...}`, an unknown route
Spring's 404 `{timestamp,status,error,path}`. Attachment files under `/files/` need no auth.

Two accounts are served: the demo athlete (`api_key`, id `i…`) and a Strava-signup athlete whose id
is bare digits (`numeric_api_key`, `numeric_athlete_id`), with the same training data. Each key
sees only its own athlete (`0` is the key's own); the other's id gets 403.

Coach mode (`coached_seeds=(12, 13)`): a third key, `coach_api_key`, reads the demo athlete and one
more athlete per seed (`coached_athlete_id(seed)`, its own training from that seed). Activity routes
carry no athlete id and the athletes' activity ids overlap (they share one calendar), so the coach
key reads the activities of the athlete it last addressed by id — as a sync of one athlete at a
time does. Building a seed costs about 1.5 s; `cached_demo` keeps it for the process.

Query parameters are no more forgiving than the live API: a missing required parameter (`oldest`
on activities, `type` on power curves) or a non-integer integer (`limit`) answers 422
`{"status":422,"error":...}`; list parameters may be comma-separated or repeated
(`types=a&types=b`); booleans accept `true`/`True`/`1` (and `false`/`0`). Wellness lists carry one
record per day of the range: a day without data is a record of nulls (CTL/ATL still computed).

Faults (`add_fault`) match the request path without the query by regex. A fault with an error
status answers that status (with `Retry-After` when given) after `delay_s`; `status=200` with
`delay_s` gives a slow but correct answer; `truncate=True` sends half of the normal body with the
full `Content-Length` and closes the connection.
"""

from __future__ import annotations

import base64
import collections
import functools
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

from s11sync.demo.intervals_icu.athlete import DEFAULT_FILE_BASE, DemoData, build_demo
from s11sync.demo.intervals_icu.athlete_events import resolve_event
from s11sync.demo.intervals_icu.athlete_profile import athlete_record, blank_wellness_record
from s11sync.demo.loopback import LOOPBACK_HOST, LoopbackHandler, LoopbackServer

DEMO_API_KEY = "demo-key-11sync-0000"
COACH_API_KEY = "demo-key-11sync-coach"  # coach mode: reads every coached athlete
COACH_ATHLETE_ID = "i777001"  # the coach's own account
COACHED_SEEDS = (12, 13)  # `demo serve` and `demo --roster`: two more athletes beside the demo one
NUMERIC_API_KEY = "demo-key-11sync-strava"  # the Strava-signup account (bare numeric athlete id)
API_PREFIX = "/api/v1"
_JSON = "application/json;charset=UTF-8"

# Query parameters by kind (openapi.json): lists are comma-separated and/or repeated
_LIST_PARAMS = frozenset({"fields", "cols", "category", "types", "curves", "filters"})
_BOOL_PARAMS = frozenset({"intervals", "resolve", "includeDefaults", "includeRanks"})
_INT_PARAMS = frozenset({"limit", "route_id", "sinceId", "calendar_id", "subMaxEfforts"})
_TRUE, _FALSE = frozenset({"true", "on", "yes", "1"}), frozenset({"false", "off", "no", "0", ""})
# required query parameters per route (openapi.json `required: true`; the curves' f1/f2/f3 are
# marked required there but the live API answers without them)
_REQUIRED: dict[str, tuple[str, ...]] = {
    "/athlete/{id}/activities": ("oldest",),
    "/athlete/{id}/power-curves": ("type",),
}

# (template, regex); the template is what `request_counts` counts
_ROUTES: list[tuple[str, re.Pattern[str]]] = [
    (t, re.compile("^" + r + "$"))
    for t, r in (
        ("/athlete/{id}", r"/api/v1/athlete/(?P<aid>[^/]+)"),
        ("/athlete/{id}/activities", r"/api/v1/athlete/(?P<aid>[^/]+)/activities"),
        (
            "/athlete/{id}/activities/{ids}",
            r"/api/v1/athlete/(?P<aid>[^/]+)/activities/(?P<ids>[^/]+)",
        ),
        ("/athlete/{id}/wellness", r"/api/v1/athlete/(?P<aid>[^/]+)/wellness(?P<ext>\.json)?"),
        (
            "/athlete/{id}/wellness/{date}",
            r"/api/v1/athlete/(?P<aid>[^/]+)/wellness/(?P<date>[^/]+)",
        ),
        ("/athlete/{id}/events", r"/api/v1/athlete/(?P<aid>[^/]+)/events(?P<ext>\.json)?"),
        (
            "/athlete/{id}/power-curves",
            r"/api/v1/athlete/(?P<aid>[^/]+)/power-curves(?P<ext>\.json)?",
        ),
        ("/athlete/{id}/hr-curves", r"/api/v1/athlete/(?P<aid>[^/]+)/hr-curves(?P<ext>\.json)?"),
        ("/activity/{id}", r"/api/v1/activity/(?P<act>[^/]+)"),
        ("/activity/{id}/intervals", r"/api/v1/activity/(?P<act>[^/]+)/intervals"),
        ("/activity/{id}/streams", r"/api/v1/activity/(?P<act>[^/]+)/streams(?P<ext>\.json)?"),
        ("/activity/{id}/messages", r"/api/v1/activity/(?P<act>[^/]+)/messages"),
        ("/files/{name}", r"/files/(?P<name>[A-Za-z0-9._-]+)"),
    )
]


class HttpError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: str | None
    delay_s: float
    truncate: bool
    body: str | None


@functools.lru_cache(maxsize=6)
def cached_demo(seed: int, today: date) -> DemoData:
    """Build (once per process) the demo data for (seed, today)."""
    return build_demo(seed, today)


def coached_athlete_id(seed: int) -> str:
    """The athlete id of the coached demo athlete built from `seed`."""
    return f"i{500000 + seed}"


def _spring(status: int, error: str, path: str) -> dict[str, Any]:
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    return {"timestamp": stamp, "status": status, "error": error, "path": path}


def _bound(value: str | None, *, end: bool) -> str | None:
    """A date or datetime query bound as a comparable local datetime string."""
    if not value:
        return None
    try:
        if len(value) == 10:
            date.fromisoformat(value)
            return value + ("T23:59:59" if end else "T00:00:00")
        return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError as exc:
        raise HttpError(422, {"status": 422, "error": f"Invalid date [{value}]"}) from exc


def _project(
    obj: dict[str, Any], fields: list[str] | None, keep: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not fields:
        return obj
    return {k: obj[k] for k in obj if (k in fields or k in keep) and obj[k] is not None}


def _unprocessable(message: str) -> HttpError:
    return HttpError(422, {"status": 422, "error": message})


class Query:
    """The query string of one request, read the way the API binds parameters."""

    def __init__(self, raw: dict[str, list[str]]):
        self.raw = raw
        for name in _INT_PARAMS & raw.keys():
            self.integer(name)
        for name in _BOOL_PARAMS & raw.keys():
            self.flag(name)

    def get(self, name: str) -> str | None:
        """A scalar parameter (the last value when repeated); None when absent or empty."""
        values = self.raw.get(name)
        return values[-1] if values and values[-1] else None

    def items(self, name: str) -> list[str]:
        """A list parameter: every value, comma-separated or repeated, empties dropped."""
        return [item for value in self.raw.get(name, []) for item in value.split(",") if item]

    def flag(self, name: str) -> bool:
        value = (self.raw.get(name) or [""])[-1].strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise _unprocessable(f"Invalid value [{value}] for boolean parameter '{name}'")

    def integer(self, name: str) -> int | None:
        value = self.get(name)
        if value is None:
            return None
        try:
            return int(value.strip())
        except ValueError:
            raise _unprocessable(
                f"Invalid value [{value}] for parameter '{name}': expected an integer"
            ) from None

    def require(self, template: str) -> None:
        for name in _REQUIRED.get(template, ()):
            if self.get(name) is None:
                raise _unprocessable(f"Required parameter '{name}' is missing")


class _Handler(LoopbackHandler):
    emulator: IntervalsEmulator
    timeout = 30  # idle keep-alive connections do not outlive a stopped emulator for long
    server_version = "IntervalsEmulator/1.0"

    def do_GET(self) -> None:
        emu = self.emulator
        url = urlsplit(self.path)
        emu.wait_latency()
        fault = emu._take_fault(url.path)
        if fault and fault.delay_s:
            time.sleep(fault.delay_s)
        try:
            if fault and not fault.truncate and fault.status != 200:
                emu.route(url.path)  # counted like any request
                body = (
                    fault.body
                    if fault.body is not None
                    else json.dumps({"status": fault.status, "error": "Injected fault"})
                )
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                raise HttpError(fault.status, body, headers)
            status, payload, ctype = emu.handle(url.path, parse_qs(url.query), self.headers)
        except HttpError as err:
            body = err.body if isinstance(err.body, str) else json.dumps(err.body)
            self.send_body(err.status, body.encode(), _JSON, err.headers)
            return
        self.send_body(status, payload, ctype, truncate=bool(fault and fault.truncate))

    def _not_allowed(self) -> None:
        self.send_json(405, {"status": 405, "error": "Method Not Allowed"}, _JSON)

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed


class IntervalsEmulator(LoopbackServer):
    """Threaded loopback Intervals.icu emulator; a context manager."""

    handler = _Handler
    thread_name = "intervals-emulator"

    def __init__(
        self,
        *,
        today: date,
        seed: int = 11,
        latency_s: float = 0.0,
        host: str = LOOPBACK_HOST,
        port: int = 0,
        coached_seeds: tuple[int, ...] = (),
    ):
        super().__init__(host=host, port=port, latency_s=latency_s)
        self.today, self.seed = today, seed
        self.data: DemoData = cached_demo(seed, today)
        self.athlete_id: str = self.data.athlete["id"]
        self.other_athlete_id: str = self.data.other_athlete["id"]
        self.numeric_athlete_id: str = self.data.numeric_athlete["id"]
        self.api_key: str = DEMO_API_KEY
        self.numeric_api_key: str = NUMERIC_API_KEY
        self._accounts: dict[str, dict[str, Any]] = {
            DEMO_API_KEY: self.data.athlete,
            NUMERIC_API_KEY: self.data.numeric_athlete,
        }
        # coach mode: COACH_API_KEY reads the demo athlete and one athlete per coached seed
        self.coach_api_key: str = COACH_API_KEY
        self.coached: dict[str, tuple[dict[str, Any], DemoData]] = {
            self.athlete_id: (self.data.athlete, self.data)
        }
        for extra in coached_seeds:
            aid = coached_athlete_id(extra)
            self.coached[aid] = (
                athlete_record(today, aid, f"Coached Athlete {extra}"),
                cached_demo(extra, today),
            )
        if coached_seeds:
            self._accounts[COACH_API_KEY] = athlete_record(today, COACH_ATHLETE_ID, "Coach Demo")
        self._coach_current = self.athlete_id
        self._local = threading.local()
        self.athlete_ids_seen: collections.Counter[str] = collections.Counter()  # /athlete/{id}
        self.activity_copies = 1  # a fault: >1 lists every activity that many times
        self._faults: list[_Fault] = []

    @property
    def base_url(self) -> str:
        """The API root, `http://127.0.0.1:<port>/api/v1`."""
        return self.root + API_PREFIX

    # ---- counting and faults
    def reset_counts(self) -> None:
        with self._lock:
            super().reset_counts()
            self.athlete_ids_seen.clear()

    def add_fault(
        self,
        path_regex: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: str | None = None,
        delay_s: float = 0.0,
        truncate: bool = False,
        body: str | None = None,
    ) -> None:
        with self._lock:
            self._faults.append(
                _Fault(re.compile(path_regex), status, times, retry_after, delay_s, truncate, body)
            )

    def use_api_key(self, key: str) -> None:
        """Serve the demo athlete under another key (tests that need a key of a given shape)."""
        with self._lock:
            self._accounts.pop(self.api_key, None)
            self._accounts[key] = self.data.athlete
            self.api_key = key

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.pattern.search(path):
                    fault.times -= 1
                    return fault
        return None

    # ---- request handling (called from handler threads)
    def route(self, path: str) -> tuple[str, dict[str, str]] | None:
        """(template, path parameters) of a request path, counted; None for unknown routes."""
        for template, rx in _ROUTES:
            m = rx.match(path)
            if m:
                self.count(template)
                aid = m.groupdict().get("aid")
                if aid is not None:
                    with self._lock:
                        self.athlete_ids_seen[aid] += 1
                return template, m.groupdict()
        self.count("unknown")
        return None

    def handle(
        self, path: str, query: dict[str, list[str]], headers: Any
    ) -> tuple[int, bytes, str]:
        found = self.route(path)
        if found is None:
            raise HttpError(404, _spring(404, "Not Found", path))
        template, params = found
        self._local.data = self.data
        if template == "/files/{name}":
            return self._file(params["name"])
        me = self._auth(headers)
        q = Query(query)
        q.require(template)
        record = me
        if "aid" in params:
            record = self._athlete(params["aid"], me)
        elif me["id"] == COACH_ATHLETE_ID:
            # activity routes carry no athlete id, and the coached athletes' activity ids overlap
            # (one calendar): the coach key reads the activities of the athlete it read last
            with self._lock:
                self._local.data = self.coached[self._coach_current][1]
        body = record if template == "/athlete/{id}" else self._dispatch(template, params, q)
        return 200, json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode(), _JSON

    def _auth(self, headers: Any) -> dict[str, Any]:
        """The athlete record of the key in the Basic credentials."""
        auth = headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            raise HttpError(403, {"status": 403, "error": "Access denied"})
        if auth.lower().startswith("basic "):
            try:
                user, _, key = base64.b64decode(auth[6:].strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user, key = "", ""
            if user == "API_KEY" and key in self._accounts:
                return self._accounts[key]
        raise HttpError(
            401,
            _spring(401, "Unauthorized", "/api/v1"),
            {"WWW-Authenticate": 'Basic realm="intervals.icu"'},
        )

    @property
    def _d(self) -> DemoData:
        """The data of the athlete the current request reads."""
        return getattr(self._local, "data", None) or self.data

    def _athlete(self, aid: str, me: dict[str, Any]) -> dict[str, Any]:
        """The athlete record the key may read under `aid`; selects its data for this request."""
        if aid in ("0", me["id"]):
            return me
        if me["id"] == COACH_ATHLETE_ID and aid in self.coached:
            record, self._local.data = self.coached[aid]
            with self._lock:
                self._coach_current = aid
            return record
        if aid in self.coached or aid in (
            self.athlete_id,
            self.numeric_athlete_id,
            self.other_athlete_id,
        ):
            raise HttpError(403, {"status": 403, "error": "Access denied"})
        raise HttpError(404, {"status": 404, "error": f"Athlete not found [{aid}]"})

    def _activity_or_404(self, act: str) -> dict[str, Any]:
        a = self._d.activity(act)
        if a is None:
            raise HttpError(404, {"status": 404, "error": f"Activity not found [{act}]"})
        return a

    def _dispatch(self, template: str, p: dict[str, str], q: Query) -> Any:
        d = self._d
        if template == "/athlete/{id}/activities":
            return self._activities(q)
        if template == "/athlete/{id}/activities/{ids}":
            out = [d.activity(i) for i in p["ids"].split(",")]
            if q.flag("intervals"):
                return [self._with_intervals(a) for a in out if a is not None]
            return [a for a in out if a is not None]
        if template == "/athlete/{id}/wellness":
            return self._wellness(q)
        if template == "/athlete/{id}/wellness/{date}":
            return self._wellness_day(p["date"])
        if template == "/athlete/{id}/events":
            return self._events(q)
        if template in ("/athlete/{id}/power-curves", "/athlete/{id}/hr-curves"):
            kind = "power" if "power" in template else "hr"
            return d.curves(kind, q.items("curves") or ["1y"], q.get("type"))
        act = p["act"]
        a = self._activity_or_404(act)
        if template == "/activity/{id}":
            return self._with_intervals(a) if q.flag("intervals") else a
        if template == "/activity/{id}/intervals":
            if d.is_stub(act):
                return {"id": act, "icu_intervals": []}
            return d.intervals(act)
        if template == "/activity/{id}/streams":
            streams = d.streams(act)
            wanted = set(q.items("types"))
            return [s for s in streams if s["type"] in wanted] if wanted else streams
        return d.messages(act)

    def _with_intervals(self, a: dict[str, Any]) -> dict[str, Any]:
        if self._d.is_stub(a["id"]):
            return a
        dto = self._d.intervals(a["id"])
        return {**a, "icu_intervals": dto["icu_intervals"], "icu_groups": dto["icu_groups"]}

    def _activities(self, q: Query) -> list[dict[str, Any]]:
        oldest = _bound(q.get("oldest"), end=False) or ""  # required: checked before dispatch
        newest = _bound(q.get("newest"), end=True) or f"{self.today}T23:59:59"
        fields = q.items("fields") or None
        out = []
        for a in self._d.activities:  # newest first
            if oldest <= a["start_date_local"] <= newest:
                stub = a.get("source") == "STRAVA" and "type" not in a
                out.append(a if stub else _project(a, fields))
        out = [a for a in out for _ in range(max(1, self.activity_copies))]
        limit = q.integer("limit")
        return out if limit is None else out[:limit]

    def _wellness(self, q: Query) -> list[dict[str, Any]]:
        """One record per day from `oldest` (default: the first served day) to `newest`."""
        first = date.fromisoformat(self._d.wellness[0]["id"])
        oldest = _bound(q.get("oldest"), end=False)
        newest = _bound(q.get("newest"), end=True)
        day = date.fromisoformat(oldest[:10]) if oldest else first
        last = date.fromisoformat(newest[:10]) if newest else self.today
        fields = q.items("fields") or None
        out = []
        while day <= last:
            out.append(_project(self._wellness_record(day.isoformat()), fields, keep=("id",)))
            day += timedelta(days=1)
        return out

    def _wellness_record(self, day: str) -> dict[str, Any]:
        known = self._d.wellness_by_day.get(day) or self._d.unrecorded_wellness.get(day)
        return known or blank_wellness_record(day)  # outside the served history: all null

    def _wellness_day(self, day: str) -> dict[str, Any]:
        try:
            date.fromisoformat(day)
        except ValueError as exc:
            raise HttpError(422, {"status": 422, "error": f"Invalid date [{day}]"}) from exc
        return self._wellness_record(day)

    def _events(self, q: Query) -> list[dict[str, Any]]:
        oldest = _bound(q.get("oldest"), end=False) or f"{self.today}T00:00:00"
        default_newest = (date.fromisoformat(oldest[:10]) + timedelta(days=6)).isoformat()
        newest = _bound(q.get("newest"), end=True) or f"{default_newest}T23:59:59"
        cats = set(q.items("category")) or None
        resolve = q.flag("resolve")
        out = []
        for ev in self._d.events:
            if not (oldest <= ev["start_date_local"] <= newest):
                continue
            if cats and ev["category"] not in cats:
                continue
            ev = resolve_event(ev) if resolve else ev
            if ev.get("attachments"):
                ev = {
                    **ev,
                    "attachments": [
                        {**att, "url": att["url"].replace(DEFAULT_FILE_BASE, self.root + "/files")}
                        for att in ev["attachments"]
                    ],
                }
            out.append(ev)
        limit = q.integer("limit")
        return out if limit is None else out[:limit]

    def _file(self, name: str) -> tuple[int, bytes, str]:
        stem, _, ext = name.rpartition(".")
        text = self._d.gpx(stem) if ext == "gpx" else None
        if text is None:
            raise HttpError(404, _spring(404, "Not Found", "/files/" + name))
        return 200, text.encode("utf-8"), "application/gpx+xml"


def serve_forever(port: int, today: date, seed: int = 11) -> None:
    """Run the emulator in the foreground until interrupted (wired to `s11sync demo serve`)."""
    emu = IntervalsEmulator(today=today, seed=seed, port=port, coached_seeds=COACHED_SEEDS).start()
    print(f"Intervals.icu emulator: {emu.base_url}", flush=True)
    print(f"athlete id: {emu.athlete_id}", flush=True)
    print(f"API key:    {emu.api_key}", flush=True)
    print(f"numeric athlete id: {emu.numeric_athlete_id}", flush=True)
    print(f"its API key:        {emu.numeric_api_key}", flush=True)
    print(
        f"coach API key:      {emu.coach_api_key} (reads these athlete ids: "
        f"{', '.join(emu.coached)})",
        flush=True,
    )
    print(f"today:      {today.isoformat()} (seed {seed}); Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
