"""Compute: the pure core of a run. Snapshot + previous files → every output document.

No I/O, no clock: `snap.today` / `snap.now` are the run's instant. The order follows the data
dependencies: FTP history → history.json → load metrics → capability →
latest.json core → decision layer → derived_metrics → latest.json; intervals.json and routes.json
are built from the per-activity fetches and their previous files.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from s11sync import __version__
from s11sync.config import Settings
from s11sync.snapshot import Previous, Snapshot

SCHEMA_VERSION = 1


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _dumps_lines(doc: Any) -> str:
    """latest.json layout: the top-level object and each section one level deep are laid out one
    item per line; anything deeper is written compact on its item's line. The number of lines, not
    the indent width, is what costs tokens; one line per activity, wellness day or planned workout
    keeps git diffs to the items that changed. Within a line the JSON is compact (no space after
    `,` or `:`): fewer bytes and fewer tokens, the same one-record-per-line reading as JSON
    Lines."""
    if not isinstance(doc, dict) or not doc:
        return _compact(doc)
    out = []
    for key, section in doc.items():
        head = "  " + _compact(key) + ": "
        if isinstance(section, dict) and section:
            body = ",\n".join(f"    {_compact(k)}: {_compact(v)}" for k, v in section.items())
            out.append(head + "{\n" + body + "\n  }")
        elif isinstance(section, list) and section:
            body = ",\n".join(f"    {_compact(v)}" for v in section)
            out.append(head + "[\n" + body + "\n  ]")
        else:
            out.append(head + _compact(section))
    return "{\n" + ",\n".join(out) + "\n}"


def dumps(name: str, doc: Any) -> bytes:
    """Serialise one output file: UTF-8, no NaN, trailing newline.
    latest.json uses the token-lean line layout of `_dumps_lines`; the other files keep indent 2,
    and ftp_history.json keeps sorted keys (dates in order, so its diffs stay small)."""
    if name == "latest.json":
        return (_dumps_lines(doc) + "\n").encode("utf-8")
    text = json.dumps(
        doc, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=(name == "ftp_history.json")
    )
    return (text + "\n").encode("utf-8")


def prev_ftp_problems(prev: Previous, today: date) -> list[str]:
    """What is wrong with the stored ftp_history.json (empty when it can be trusted and updated)."""
    from s11sync.metrics.ftp_history import trusted_ftp_history

    return trusted_ftp_history(prev.ftp_history, "ftp_history.json" in prev.raw, today)[1]


def build_documents(snap: Snapshot, prev: Previous, settings: Settings) -> dict[str, Any]:
    """All output documents of the run, keyed by file name."""
    from s11sync.history.build import build_history
    from s11sync.metrics.dfa_profile import build_dfa_a1_profile
    from s11sync.metrics.ftp_history import trusted_ftp_history, update_ftp_history
    from s11sync.metrics.weight import build_weight
    from s11sync.outputs.activities import build_activity_extras
    from s11sync.outputs.activity_terrain import activity_terrain
    from s11sync.outputs.capability import build_capability
    from s11sync.outputs.chat_notes import chat_notes
    from s11sync.outputs.decisions import DecisionInputs, build_decision_layer
    from s11sync.outputs.derived import assemble_derived_metrics, build_load_metrics
    from s11sync.outputs.intervals_file import build_intervals
    from s11sync.outputs.latest import build_current_status, build_latest
    from s11sync.outputs.parts import LatestParts
    from s11sync.outputs.planned import build_planned
    from s11sync.outputs.routes import build_routes
    from s11sync.outputs.run_context import RunContext

    docs: dict[str, Any] = {}
    # A stored ftp_history.json with anything untrusted in it (unreadable, a string or
    # decimal value, a bad date key, an entry after today, …) is never rewritten and not updated:
    # this run works on its trusted entries and reports a warning naming the offending entries.
    trusted, ftp_problems = trusted_ftp_history(
        prev.ftp_history, "ftp_history.json" in prev.raw, snap.today
    )
    ftp_history: dict[str, Any] = trusted  # an untrusted file is not updated in memory either
    if not ftp_problems:
        ftp_history = update_ftp_history(trusted, snap.athlete, snap.today)
        docs["ftp_history.json"] = ftp_history

    # history.json: rebuilt when its fetch ran this run, else the previous file is kept as it is.
    history_stale = False
    history_doc: dict[str, Any] | None
    if snap.history_activities is not None and snap.history_wellness is not None:
        # history.json sees the FTP history as it was before this run's update
        history_doc = build_history(
            snap.history_activities,
            snap.history_wellness,
            snap.athlete,
            trusted,
            settings,
            snap.today,
            snap.now,
        )
        docs["history.json"] = history_doc
    else:
        history_doc = prev.history
        history_stale = "history" in snap.failed
        if history_doc is not None:
            docs["history.json"] = history_doc

    # names in intervals.json follow the anonymisation rule of latest.json (outputs.activities.public_name),
    # so the DFA profile's latest_session, built from it, is anonymised too
    intervals_doc, activity_flags = build_intervals(
        snap, prev.intervals, anonymize=settings.anonymize
    )
    docs["intervals.json"] = intervals_doc
    routes_doc, route_flags = build_routes(snap, prev.routes)
    docs["routes.json"] = routes_doc

    ctx = RunContext.of(snap, settings)
    load = build_load_metrics(snap, settings, ftp_history)
    dfa_profile = build_dfa_a1_profile(intervals_doc["activities"], snap.activities, snap.today)
    capability, capability_unavailable = build_capability(
        snap,
        load.fields["tid_comparison"],
        ftp_history=ftp_history,
        dfa_a1_profile=dfa_profile,
    )

    extras = build_activity_extras(
        snap,
        interval_flags=activity_flags,
        terrain=activity_terrain(snap, prev.latest, settings.anonymize),
        dfa_blocks={
            str(e["activity_id"]): e["dfa"] for e in intervals_doc["activities"] if e.get("dfa")
        },
        notes=chat_notes(snap, prev.latest),
    )
    parts = LatestParts(
        history_doc=history_doc,
        history_stale=history_stale,
        activity_extras=extras,
        route_flags=route_flags,
        current_weight=build_weight(snap, ftp_history) or None,
    )
    # the decision layer reads the fitness numbers and the plan as latest.json will show them
    fitness = build_current_status(snap, ctx, parts)["fitness"]
    planned, _stats = build_planned(snap.events, snap.today, None, route_flags)

    decisions = build_decision_layer(
        snap,
        ctx,
        DecisionInputs(
            load=load,
            capability=capability,
            fitness=fitness,
            planned_workouts=planned,
            history_doc=history_doc,
            previous_latest=prev.latest,
            terrain_event_ids=route_flags,
        ),
    )
    derived = assemble_derived_metrics(
        load,
        capability,
        decisions["phase"],
        {**capability_unavailable, **decisions["unavailable"]},
    )
    parts = replace(
        parts,
        derived_metrics=derived,
        alerts=decisions["alerts"],
        readiness_decision=decisions["readiness_decision"],
        health_context=decisions["health_context"],
        race_calendar=decisions["race_calendar"],
    )
    docs["latest.json"] = build_latest(
        snap, ctx, parts, version=__version__, schema_version=SCHEMA_VERSION
    )
    return docs
