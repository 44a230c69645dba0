"""What a run tells the person: a short stdout summary and the GitHub Actions job summary.

On a public repository (`S11SYNC_PUBLIC_LOG=true`, set by the workflow from the repository's
visibility) nothing personal is printed: no metric values, names or activity dates — only file
names, sizes, changed/unchanged, request counts, duration and warning categories.
Every line passes through `s11sync.redact` (no credential ever; no URL or id on a public log).
"""

from __future__ import annotations

import sys
from typing import Any

from s11sync.config import Settings
from s11sync.redact import redact


def _key_figures(documents: dict[str, Any]) -> list[str]:
    latest = documents.get("latest.json") or {}
    fitness = (latest.get("current_status") or {}).get("fitness") or {}
    out = []
    if fitness:
        out.append(
            f"CTL {fitness.get('ctl')} · ATL {fitness.get('atl')} · TSB {fitness.get('tsb')}"
        )
    readiness = latest.get("readiness_decision") or {}
    if readiness.get("recommendation") or readiness.get("priority"):
        out.append(f"readiness: {readiness.get('recommendation')} ({readiness.get('priority')})")
    return out


def summary_lines(result, settings: Settings) -> list[str]:
    lines = []
    if result.output is not None and result.written:
        lines.append(
            f"wrote {len(result.written)} files to {result.output}/: " + ", ".join(result.written)
        )
    elif result.output is not None and settings.dry_run:
        # only the files a real run would rewrite (meaningful change), the others are named as unchanged
        would = getattr(result, "would_write", None) or []
        same = [n for n in result.files if n not in would]
        lines.append(
            "dry run: would write "
            + (
                ", ".join(f"{n} ({len(result.files[n])} bytes)" for n in would)
                or f"nothing: {result.output}/ is up to date"
            )
        )
        if would and same:
            lines.append("  unchanged (not rewritten): " + ", ".join(same))
    elif result.output is not None:
        lines.append(f"{result.output}/ unchanged: nothing changed beyond per-run timestamps")
    pub = result.publish
    if pub is not None:
        if pub.committed:
            # on a public log the commit URL would name the private data repo: the sha is enough
            where = pub.commit_sha if settings.public_log else (pub.commit_url or pub.commit_sha)
            lines.append(f"committed {len(pub.changed)} changed file(s): {where}")
        elif settings.dry_run:
            lines.append(
                "dry run: would commit " + (", ".join(pub.changed) or "nothing (unchanged)")
            )
            for name, info in (getattr(pub, "files", None) or {}).items():
                lines.append(
                    f"  {name:18} {info.get('bytes', 0):>9} bytes  "
                    f"{'changed' if info.get('changed') else 'unchanged'}"
                )
        else:
            lines.append("data repo unchanged: no commit")
    lines.append(f"{result.api_requests} Intervals.icu requests in {result.duration_s:.1f} s")
    if not settings.public_log:
        lines.extend(_key_figures(result.documents))
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return [redact(line) for line in lines]


def print_run_summary(result, settings: Settings) -> None:
    """The summary on stdout; with --quiet only the warnings, on stderr (a warning asks for action,
    so silencing progress never silences it)."""
    if settings.quiet:
        for warning in result.warnings:
            print(redact(f"warning: {warning}"), file=sys.stderr)
        return
    print("\n".join(summary_lines(result, settings)))


def write_step_summary(result, settings: Settings) -> None:
    """Append a Markdown summary to $GITHUB_STEP_SUMMARY (only when it is set)."""
    if settings.step_summary is None:
        return
    rows = ["## s11sync", "", "| file | bytes | status |", "|---|---|---|"]
    changed = set(result.publish.changed) if result.publish is not None else set(result.written)
    for name, blob in result.files.items():
        rows.append(f"| {name} | {len(blob)} | {'changed' if name in changed else 'unchanged'} |")
    rows.append("")
    pub = result.publish
    if pub is not None:
        where = pub.commit_sha if settings.public_log else (pub.commit_url or pub.commit_sha)
        rows.append(
            f"Commit: {where}" if pub.committed else "No commit: nothing meaningful changed."
        )
    rows.append(f"API requests: {result.api_requests} · duration: {result.duration_s:.1f} s")
    if not settings.public_log:
        rows.extend(f"- {line}" for line in _key_figures(result.documents))
    for warning in result.warnings:
        rows.append(f"- ⚠️ {warning}")
    with settings.step_summary.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(redact(row) for row in rows) + "\n")
