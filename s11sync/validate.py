"""The output contract: JSON Schemas of the five files and their validation.

The schemas live in the top-level `schemas/` folder of a checkout, which ships in the wheel as the
package data of `s11sync.schemas`. They reference each other by absolute `$id`
(https://s11sync.dev/schemas/...); every reference resolves from a local `referencing.Registry`
built from those files, never from the network.

    validate_document("latest.json", doc)
        -> ["latest.json $.metadata.version: 3 is not of type 'string'", ...]   ([] = valid)
    validate_documents({"latest.json": doc, ...})
        raises SchemaViolation listing every error of every file
    validate_paths([Path("out/")])
        -> (report lines, ok) for `s11sync validate`
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from s11sync.errors import SchemaViolation
from s11sync.snapshot import STATE_FILES

SCHEMA_NAMES: dict[str, str] = {
    "latest.json": "latest.schema.json",
    "history.json": "history.schema.json",
    "intervals.json": "intervals.schema.json",
    "routes.json": "routes.schema.json",
    "ftp_history.json": "ftp_history.schema.json",
}
# state files kept beside the five for the next run (not part of the field guide)
STATE_SCHEMAS: dict[str, str] = {"curves.json": "curves_cache.schema.json"}  # state/curves.json
COMMON_SCHEMA = "common.schema.json"
# outputs of commands other than sync (printed, not written as files)
COMMAND_SCHEMAS: dict[str, str] = {"segment": "segment.schema.json"}
ALL_SCHEMAS: tuple[str, ...] = (COMMON_SCHEMA, *SCHEMA_NAMES.values(), *COMMAND_SCHEMAS.values())
MAX_ERRORS_IN_MESSAGE = 20
_KNOWN = ", ".join(SCHEMA_NAMES)


def _schema_dir() -> Any:
    """Folder of the schema files: package data when installed, `schemas/` in a checkout."""
    try:
        folder = resources.files("s11sync.schemas")
        if folder.joinpath(COMMON_SCHEMA).is_file():
            return folder
    except (ModuleNotFoundError, TypeError):
        pass
    here = Path(__file__).resolve().parent
    for folder in (here / "schemas", here.parent / "schemas"):  # installed layout, then checkout
        if (folder / COMMON_SCHEMA).is_file():
            return folder
    return here.parent / "schemas"


def _schema_file_name(name: str) -> str:
    """Accept "latest.json", "latest.schema.json", "latest" or "common"."""
    base = Path(name).name
    if base in SCHEMA_NAMES:
        return SCHEMA_NAMES[base]
    if base in STATE_SCHEMAS:
        return STATE_SCHEMAS[base]
    if base in ALL_SCHEMAS:
        return base
    for candidate in (base + ".schema.json", base + ".json"):
        if candidate in ALL_SCHEMAS:
            return candidate
        if candidate in SCHEMA_NAMES:
            return SCHEMA_NAMES[candidate]
    raise KeyError(f"no schema named {name!r}; known: {_KNOWN}, {COMMON_SCHEMA}")


@cache
def schema_text(name: str) -> str:
    """The raw text of a schema, by schema or output file name."""
    return _schema_dir().joinpath(_schema_file_name(name)).read_text(encoding="utf-8")


def load_schema(name: str) -> dict:
    """A fresh parsed copy of a schema, by schema or output file name."""
    return json.loads(schema_text(name))


@lru_cache(maxsize=1)
def _registry() -> Registry:
    pairs = []
    for schema_name in ALL_SCHEMAS:
        contents = load_schema(schema_name)
        pairs.append((contents["$id"], Resource.from_contents(contents)))
    # No `retrieve` callable: an unknown $ref fails instead of reaching for the network.
    return Registry().with_resources(pairs).crawl()


@cache
def validator_for(file_name: str) -> jsonschema.protocols.Validator:
    """The compiled validator of an output file (cached), with format checking on."""
    return Draft202012Validator(
        load_schema(file_name),
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def schema_version(file_name: str) -> int:
    """The contract version a schema pins (`schema_version` const, in `metadata` or top level)."""
    props = load_schema(file_name)["properties"]
    holder = props["metadata"]["properties"] if "metadata" in props else props
    return int(holder["schema_version"]["const"])


def _is_null_branch(error: ValidationError) -> bool:
    return error.validator == "type" and error.validator_value == "null"


def _deepest(error: ValidationError) -> ValidationError:
    """For anyOf failures (e.g. a nullable block) report the most relevant branch error rather
    than the generic "is not valid under any of the given schemas"."""
    while error.context:
        branch_errors = [e for e in error.context if not _is_null_branch(e)]
        chosen = best_match(branch_errors or error.context)
        if chosen is None or chosen is error:
            break
        error = chosen
    return error


def _sort_key(error: ValidationError) -> tuple:
    return tuple(
        (0, part, "") if isinstance(part, int) else (1, 0, str(part))
        for part in error.absolute_path
    )


def validate_document(file_name: str, doc: Any) -> list[str]:
    """Every schema error of one document, sorted by path, as
    "<file> <json path>: <message>". [] means valid."""
    lines: list[str] = []
    for error in sorted(validator_for(file_name).iter_errors(doc), key=_sort_key):
        best = _deepest(error)
        line = f"{file_name} {best.json_path}: {best.message}"
        if line not in lines:
            lines.append(line)
    return lines


def validate_documents(docs: dict[str, Any]) -> None:
    """Validate built documents; raise SchemaViolation listing every error of every file."""
    errors: list[str] = []
    for file_name, doc in docs.items():
        name = Path(file_name).name
        if name not in SCHEMA_NAMES and name not in STATE_SCHEMAS:
            errors.append(f"{file_name}: no schema for this file name (expected one of {_KNOWN})")
            continue
        errors.extend(validate_document(name, doc))
    if not errors:
        return
    files = sorted({line.split(" ", 1)[0].rstrip(":") for line in errors})
    shown = errors[:MAX_ERRORS_IN_MESSAGE]
    more = len(errors) - len(shown)
    message = (
        f"{len(errors)} schema error(s) in {', '.join(files)}; nothing was written. This is a bug "
        "in s11sync (or a schema out of date): please report it with these lines.\n  "
        + "\n  ".join(shown)
        + (f"\n  … and {more} more" if more else "")
    )
    raise SchemaViolation(message, errors)


def _expand(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) pairs; a folder contributes its *.json files (not recursive) and
    the state files s11sync keeps in it (state/curves.json) when they are there."""
    out: list[tuple[Path, bool]] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend((p, False) for p in sorted(path.glob("*.json")))
            out.extend((path / name, False) for name in STATE_FILES if (path / name).is_file())
        else:
            out.append((path, True))
    return out


def _check_file(path: Path) -> tuple[list[str], bool]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{path}: file not found"], False
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path}: not readable JSON ({exc})"], False
    errors = validate_document(path.name, doc)
    if not errors:
        return [f"{path}: OK"], True
    return [f"{path}: {len(errors)} error(s)", *(f"  {e}" for e in errors)], False


def validate_paths(paths: list[Path]) -> tuple[list[str], bool]:
    """Check files and folders for `s11sync validate`: each *.json is matched to its schema by
    file name. Returns the report lines ("<path>: OK", or "<path>: N error(s)" followed by the
    errors) and overall success. A file named explicitly that has no schema fails; inside a
    folder it is reported and skipped."""
    items = _expand(paths)
    if not items:
        named = ", ".join(str(p) for p in paths) or "(no paths)"
        return [f"{named}: no JSON files found"], False
    lines: list[str] = []
    ok = True
    for path, explicit in items:
        if explicit and not path.exists():
            ok = False
            lines.append(f"{path}: file not found")
        elif path.name in SCHEMA_NAMES or path.name in STATE_SCHEMAS:
            file_lines, file_ok = _check_file(path)
            lines.extend(file_lines)
            ok = ok and file_ok
        elif explicit:
            ok = False
            lines.append(f"{path}: unknown file name; no schema (expected one of {_KNOWN})")
        else:
            lines.append(f"{path}: skipped (no schema for this file name)")
    return lines, ok
