"""Redaction of a saved run (`--save-snapshot`): pure functions over plain JSON data, no I/O.

A snapshot attached to a bug report must not identify the athlete. With anonymisation on (the
default) the saved data is changed as follows, in a way that leaves every computed metric as it was:

- names: an activity's `name` becomes its `type` (what latest.json already shows for outdoor
  activities); an event's `name` becomes its category plus the training words the phase detection
  looks for (`interval`, `threshold`, …), so "hard session" counting is unchanged; athlete names,
  e-mail, city, state, biography and profile links are removed, the athlete's notes redacted; the date of birth becomes
  1 January of the same age on the run's day;
- free text: descriptions and chat messages keep their line structure (`NOTE:` lines stay notes)
  but every word is replaced by `redacted`; route file names keep only their extension;
- coordinates: `latlng` streams, start/end coordinates, polylines and the bodies of downloaded route
  files are dropped. Terrain that needs them cannot be reproduced (see README → Troubleshooting).

Independently of anonymisation, `scrub_secrets` removes any credential: keys named like a secret
and every string that contains the API key (or its HTTP Basic form).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date
from typing import Any

REDACTED = "redacted"
ATHLETE_PRIVATE_KEYS = (
    "name",
    "firstname",
    "lastname",
    "email",
    "city",
    "state",
    "bio",
    "website",
    "profile",
    "profile_medium",
    "strava_id",
    "username",
)
COORDINATE_KEYS = frozenset(
    {
        "latlng",
        "start_latlng",
        "end_latlng",
        "start_coords",
        "end_coords",
        "polyline",
        "summary_polyline",
        "map",
        "lat",
        "lon",
        "lng",
        "latitude",
        "longitude",
    }
)
SECRET_KEY_PARTS = ("api_key", "apikey", "password", "secret", "token")
# text keys of previous output files (their structure stays, their words go)
OUTPUT_TEXT_KEYS = frozenset(
    {"name", "event_name", "description", "description_preview", "filename"}
)
OUTPUT_TEXT_LIST_KEYS = frozenset({"notes", "chat_notes", "coach_notes"})
OUTPUT_PERSONAL_KEYS = frozenset({"location", "date_of_birth"})


def redact_text(text: Any) -> Any:
    """Every non-blank line → `redacted` (a leading `NOTE:` is kept); non-strings unchanged."""
    if not isinstance(text, str):
        return text
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            out.append(line)
        elif stripped[:5].upper() == "NOTE:":
            out.append("NOTE: " + REDACTED if stripped[5:].strip() else "NOTE:")
        else:
            out.append(REDACTED)
    return "\n".join(out)


def _hard_words(text: str) -> set[str]:
    from s11sync.metrics.phase_features import HARD_NAME_WORDS

    lower = text.lower()
    return {word for word in HARD_NAME_WORDS if word in lower}


def redact_event_name(name: Any, category: Any) -> Any:
    """The category plus the training words of the name, so the name-based heuristics agree."""
    if not isinstance(name, str) or not name.strip():
        return name
    words = sorted(_hard_words(name))
    label = str(category or "event").lower()
    candidate = " ".join([label, *words])
    if _hard_words(candidate) != set(words):
        candidate = " ".join(words) or REDACTED
    return candidate


def _redact_activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    out = dict(activity)
    if isinstance(out.get("name"), str):
        out["name"] = str(out.get("type") or "Activity")
    for key in ("description", "private_note", "icu_notes"):
        if key in out:
            out[key] = redact_text(out[key])
    return out


def _redact_event(event: Any) -> Any:
    if not isinstance(event, dict):
        return event
    out = dict(event)
    if "name" in out:
        out["name"] = redact_event_name(out["name"], out.get("category"))
    if "description" in out:
        out["description"] = redact_text(out["description"])
    if isinstance(out.get("attachments"), list):
        out["attachments"] = [_redact_attachment_ref(a) for a in out["attachments"]]
    return out


def _redact_attachment_ref(attachment: Any) -> Any:
    if not isinstance(attachment, dict) or not isinstance(attachment.get("filename"), str):
        return attachment
    name = attachment["filename"]
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return {**attachment, "filename": f"{REDACTED}.{extension}" if extension else REDACTED}


def _same_age_birthday(value: Any, today: date) -> Any:
    try:
        born = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return date(today.year - age, 1, 1).isoformat()


def _redact_athlete(athlete: Any, today: date) -> Any:
    if not isinstance(athlete, dict):
        return athlete
    out = {k: v for k, v in athlete.items() if k not in ATHLETE_PRIVATE_KEYS}
    if "icu_notes" in out:
        out["icu_notes"] = redact_text(out["icu_notes"])
    if out.get("icu_date_of_birth"):
        out["icu_date_of_birth"] = _same_age_birthday(out["icu_date_of_birth"], today)
    return out


def _redact_message(message: Any) -> Any:
    if not isinstance(message, dict):
        return message
    out = {k: v for k, v in message.items() if k not in ("name", "athlete_name", "avatar")}
    for key in ("content", "text"):
        if key in out:
            out[key] = redact_text(out[key])
    return out


def drop_coordinates(value: Any) -> Any:
    """A copy without coordinate keys and without `latlng` stream objects, at any depth."""
    if isinstance(value, dict):
        return {k: drop_coordinates(v) for k, v in value.items() if k not in COORDINATE_KEYS}
    if isinstance(value, list):
        return [
            drop_coordinates(v)
            for v in value
            if not (isinstance(v, dict) and v.get("type") == "latlng")
        ]
    return value


def redact_snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a `Snapshot` (see Snapshot.to_dict), redacted as the module says."""
    today = date.fromisoformat(str(data["today"]))
    out = dict(data)
    out["athlete"] = _redact_athlete(data.get("athlete"), today)
    for key in ("activities", "history_activities"):
        if isinstance(data.get(key), list):
            out[key] = [_redact_activity(a) for a in data[key]]
    for key in ("events", "health_events"):
        if isinstance(data.get(key), list):
            out[key] = [_redact_event(e) for e in data[key]]
    out["activity_intervals"] = {
        k: _redact_activity(v) for k, v in (data.get("activity_intervals") or {}).items()
    }
    out["messages"] = {
        k: [_redact_message(m) for m in v] if isinstance(v, list) else v
        for k, v in (data.get("messages") or {}).items()
    }
    out["attachments"] = {
        k: ({**v, "body": "", "redacted": True} if isinstance(v, dict) and "body" in v else v)
        for k, v in (data.get("attachments") or {}).items()
    }
    renamed = _renames(data.get("activities"), out.get("activities"))
    renamed.update(_renames(data.get("history_activities"), out.get("history_activities")))
    renamed.update(_renames(data.get("events"), out.get("events")))
    return _rename_everywhere(drop_coordinates(out), renamed)


def _renames(before: Any, after: Any) -> dict[str, str]:
    """Original name → redacted name, for records whose name was replaced."""
    if not isinstance(before, list) or not isinstance(after, list):
        return {}
    return {
        str(a["name"]): str(b.get("name"))
        for a, b in zip(before, after)
        if isinstance(a, dict)
        and isinstance(b, dict)
        and isinstance(a.get("name"), str)
        and a["name"]
        and a["name"] != b.get("name")
    }


def _rename_everywhere(value: Any, renamed: dict[str, str]) -> Any:
    """Copies of a name elsewhere (curve responses list their activities, …) follow the record;
    any other `description` is redacted as text."""
    if isinstance(value, dict):
        return {
            k: redact_text(v)
            if k == "description"
            else (renamed.get(v, v) if isinstance(v, str) else _rename_everywhere(v, renamed))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            renamed.get(v, v) if isinstance(v, str) else _rename_everywhere(v, renamed)
            for v in value
        ]
    return value


def redact_output(value: Any) -> Any:
    """A previous output file (parsed), with names, notes, locations and coordinates removed."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in COORDINATE_KEYS:
                continue
            if key in OUTPUT_TEXT_KEYS and isinstance(item, str) and item:
                out[key] = REDACTED
            elif key in OUTPUT_TEXT_LIST_KEYS and isinstance(item, list):
                out[key] = [REDACTED if isinstance(x, str) else redact_output(x) for x in item]
            elif key in OUTPUT_PERSONAL_KEYS and isinstance(item, str):
                out[key] = None
            else:
                out[key] = redact_output(item)
        return out
    if isinstance(value, list):
        return [redact_output(v) for v in value]
    return value


def secret_forms(secrets: Iterable[str | None]) -> list[str]:
    """Each secret, and for a key its HTTP Basic form (`API_KEY:<key>` in Base64)."""
    forms: list[str] = []
    for secret in secrets:
        if secret:
            forms.append(secret)
            forms.append(base64.b64encode(f"API_KEY:{secret}".encode()).decode("ascii"))
    return forms


def scrub_secrets(value: Any, secrets: Iterable[str | None]) -> Any:
    """A copy without keys named like a credential and with every secret cut out of every string."""
    forms = [s for s in secret_forms(secrets) if s]

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            return {
                k: walk(v)
                for k, v in item.items()
                if not any(part in str(k).lower() for part in SECRET_KEY_PARTS)
            }
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, str):
            for form in forms:
                if form in item:
                    item = item.replace(form, "[secret removed]")
        return item

    return walk(value)
