"""state/curves.json: the power/HR curve responses a run used, kept for the next run of the day.

Curves are the costliest part of a warm run (five of eleven requests on the demo athlete) and, for
one day, they change only when an activity does. So each run stores the curve responses it used
(trimmed to the fields the metrics read: `id`, `secs`, `values`, `watts`) with a fingerprint of
(the run's local date, the curve requests, the listed activity rows). A later run with the same
fingerprint takes the stored responses instead of asking again (s11sync/fetch_plan.py); the
builders then run exactly as on a fetched response. Any new, edited or removed activity in the
listed window, or a new day, changes the fingerprint and the curves are fetched again. An edit to
an activity older than the listed window (28 days, or --days) is picked up the next day.

The file is written only when every curve request of the run succeeded, is validated by
schemas/curves_cache.schema.json like the other files, and a missing, stale or invalid file only
means the curves are fetched again (README, "Performance").
"""

from __future__ import annotations

from typing import Any

from s11sync.fetch_plan import plan_curves
from s11sync.snapshot import Snapshot

CURVE_FIELDS = ("id", "secs", "values", "watts")  # what s11sync/metrics/curves.py reads


def trim_response(response: Any) -> dict[str, Any] | None:
    """`{"list": [curve, …]}` with each curve cut to CURVE_FIELDS; None when not that shape."""
    if not isinstance(response, dict) or not isinstance(response.get("list"), list):
        return None
    return {
        "list": [
            {key: curve[key] for key in CURVE_FIELDS if key in curve}
            for curve in response["list"]
            if isinstance(curve, dict)
        ]
    }


def curves_cache_document(snap: Snapshot) -> dict[str, Any] | None:
    """The state to store after this run, or None when a curve request failed (nothing stored:
    the previous file cannot match a later run's fingerprint unless it is still right)."""
    plan = plan_curves(snap.today, snap.activities, None)
    doc: dict[str, Any] = {
        "fingerprint": plan.fingerprint,
        "date": snap.today.isoformat(),
        "power": {},
        "hr": {},
    }
    for req in plan.requests:
        source = snap.power_curves if req.kind == "power" else snap.hr_curves
        trimmed = trim_response(source.get(req.label))
        if trimmed is None:
            return None
        doc[req.kind][req.label] = trimmed
    return doc
