"""routes.json: terrain of GPX/TCX attachments on calendar events (docs/files.md, "routes.json").

Pure. `attachments_to_fetch` says which downloads a run needs (cache misses); the fetcher stores
their raw results in `snapshot.attachments`; `build_routes` parses, analyses and caches.
Where the original script went wrong (docs/differences.md, "Files and publishing", the terrain
fixes; tests/test_terrain.py): XML is dispatched on its root element, so a TCX file with an XML
declaration is read as TCX; GPX route points (`rtept`) are used when there are no track points;
malformed points are skipped instead of aborting the run; error objects get no `display`; only
successes, parse errors and 404/410 are cached, so a temporary failure is tried again next run;
DTDs and entities are refused and bodies over 20 MB rejected, because attachments are untrusted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from s11sync.cache import script_hash
from s11sync.snapshot import Snapshot
from s11sync.terrain import analyse, refresh_display

SCHEMA_VERSION = 1
ROUTE_EXTENSIONS = ("gpx", "tcx", "fit")
MAX_BODY_BYTES = 20 * 1024 * 1024


def _extension(attachment: dict) -> str:
    name = str(attachment.get("filename") or attachment.get("url") or "")
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def route_attachments(events: list[dict]) -> list[tuple[dict, dict]]:
    """(event, attachment) pairs in event order, then attachment order."""
    out = []
    for event in events:
        for attachment in event.get("attachments") or []:
            if (
                isinstance(attachment, dict)
                and attachment.get("id")
                and attachment.get("url")
                and _extension(attachment) in ROUTE_EXTENSIONS
            ):
                out.append((event, attachment))
    return out


def _cache(prev_routes: dict | None) -> dict[str, dict]:
    if not isinstance(prev_routes, dict) or prev_routes.get("script_hash") != script_hash():
        return {}
    return {
        str(e.get("attachment_id")): e
        for e in prev_routes.get("events") or []
        if isinstance(e, dict) and not _transient_error(e.get("terrain_summary"))
    }


def _transient_error(terrain: Any) -> bool:
    """A download failure other than 404/410 is written for the run but never reused: it may be
    temporary, so the next run tries again."""
    if not isinstance(terrain, dict) or "error" not in terrain:
        return False
    error = str(terrain["error"])
    return (
        error.startswith("download failed")
        and "(HTTP 404)" not in error
        and "(HTTP 410)" not in error
    )


def attachments_to_fetch(events: list[dict], prev_routes: dict | None) -> list[tuple[str, str]]:
    """[(attachment id, url)] that must be downloaded this run (cache misses; never .fit)."""
    cache = _cache(prev_routes)
    return [
        (str(a["id"]), str(a["url"]))
        for _, a in route_attachments(events)
        if str(a["id"]) not in cache and _extension(a) != "fit"
    ]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_track(body: bytes, extension: str) -> tuple[list[dict] | None, str | None]:
    """(trackpoints, None) or (None, error text)."""
    if len(body) > MAX_BODY_BYTES:
        return None, "file too large"
    if len(body) < 50:
        return None, "empty or invalid file"
    if body[8:12] == b".FIT" or (extension == "fit" and not body.lstrip().startswith(b"<")):
        return None, "FIT format not yet supported"
    try:
        # defusedxml: any DTD (so any entity definition) is refused wherever it stands in the file
        root = safe_fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        return None, "XML with a DTD is not accepted"
    except ET.ParseError as exc:
        label = "TCX" if extension == "tcx" else "GPX"
        return None, f"{label} parse error: {str(exc)[:100]}"
    kind = _local(root.tag)
    points: list[dict] = []
    if kind == "gpx":
        nodes = [n for n in root.iter() if _local(n.tag) == "trkpt"] or [
            n for n in root.iter() if _local(n.tag) == "rtept"
        ]
        for node in nodes:
            try:
                point: dict[str, Any] = {
                    "lat": float(node.get("lat", "")),  # a missing attribute is a bad point
                    "lon": float(node.get("lon", "")),
                }
            except (TypeError, ValueError):
                continue
            ele = next((c.text for c in node if _local(c.tag) == "ele"), None)
            try:
                point["ele"] = float(ele) if ele is not None else None
            except ValueError:
                point["ele"] = None
            points.append(point)
    elif kind == "TrainingCenterDatabase":
        for node in root.iter():
            if _local(node.tag) != "Trackpoint":
                continue
            values = {_local(c.tag): c for c in node.iter()}
            try:
                point = {
                    "lat": float(values["LatitudeDegrees"].text or ""),
                    "lon": float(values["LongitudeDegrees"].text or ""),
                }
            except (KeyError, ValueError):
                continue
            alt = values.get("AltitudeMeters")
            try:
                point["ele"] = float(alt.text) if alt is not None and alt.text else None
            except ValueError:
                point["ele"] = None
            points.append(point)
    else:
        return None, "unrecognized route file format"
    if len(points) < 2:
        return None, "insufficient trackpoints"
    return points, None


def _start_time(event: dict) -> str | None:
    value = str(event.get("start_date_local") or "")
    hhmm = value[11:16]
    return hhmm if len(hhmm) == 5 and hhmm != "00:00" else None


def build_routes(snap: Snapshot, prev_routes: dict | None) -> tuple[dict, set[int | str]]:
    """(routes.json document, event ids whose terrain_summary is a real summary, not an error).

    The ids feed `has_terrain`: an error entry is no terrain, although the original counted it."""
    imperial = (snap.athlete.get("measurement_preference") or "meters") != "meters"
    cache = _cache(prev_routes)
    entries = []
    with_terrain: set[int | str] = set()
    for event, attachment in route_attachments(snap.events):
        attachment_id = str(attachment["id"])
        cached = cache.get(attachment_id)
        terrain: dict | None
        if cached is not None:
            terrain = refresh_display(cached.get("terrain_summary"), imperial)  # type: ignore[arg-type]
        elif _extension(attachment) == "fit":
            terrain = {"error": "FIT format not yet supported"}
        else:
            terrain = _terrain_from_download(
                snap.attachments.get(attachment_id), _extension(attachment), imperial
            )
        # "Unnamed" when missing; a null name alike (a field present but null must not break the
        # run, and the file's contract types the name as a string)
        name = event.get("name")
        entry: dict[str, Any] = {
            "event_id": event.get("id"),
            "event_name": name if isinstance(name, str) else "Unnamed",
            "event_date": str(event.get("start_date_local") or "")[:10],
            "category": event.get("category") or "",
            "attachment_id": attachment_id,
            "filename": attachment.get("filename") or "",
            "terrain_summary": terrain,
        }
        start = _start_time(event)
        if start:
            entry["start_time"] = start
        entries.append(entry)
        if isinstance(terrain, dict) and "error" not in terrain:
            with_terrain.add(event.get("id"))  # type: ignore[arg-type]
    doc = {
        "generated_at": snap.now.replace(microsecond=0).isoformat(),
        "schema_version": SCHEMA_VERSION,
        "sync_version": __import__("s11sync").__version__,
        "script_hash": script_hash(),
        "events": entries,
    }
    return doc, with_terrain


def _terrain_from_download(result: dict | None, extension: str, imperial: bool) -> dict | None:
    if not result:
        return {"error": "download failed: not fetched"}
    if result.get("status") != 200:
        status = result.get("status")
        return {
            "error": f"download failed (HTTP {status})"
            if status
            else f"download failed: {str(result.get('error') or '')[:100]}"
        }
    body = result.get("body") or ""
    points, error = parse_track(body.encode("utf-8") if isinstance(body, str) else body, extension)
    if error:
        return {"error": error}
    return analyse(points, "gpx_attachment", include_polyline=True, imperial=imperial)  # type: ignore[arg-type]
