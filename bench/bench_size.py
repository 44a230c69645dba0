"""Size of the files the demo athlete gets (docs/differences.md, "Half the tokens"): bytes and
bytes/4 (≈ tokens) per file, latest.json per section and under other layouts, and what each lever
saved on the file as main wrote it before (tests/fixtures/latest.before-issue16-3.json, indent 2).

    .venv/bin/python bench/bench_size.py            # runs `s11sync demo --today 2026-11-25` (about 10 s)
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from s11sync.build import dumps  # noqa: E402
from s11sync.cli import main as cli_main  # noqa: E402
from s11sync.outputs.latest import UNKNOWN_IS_ABSENT, drop_nulls  # noqa: E402
from s11sync.units import prune_display  # noqa: E402

BEFORE = ROOT / "tests" / "fixtures" / "latest.before-issue16-3.json"
FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")


def row(label: str, size: int, width: int = 34) -> str:
    return f"  {label:<{width}} {size:>9,} bytes  {size // 4:>8,} tokens (bytes/4)"


def indent2(doc: object) -> int:
    return len((json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        code = cli_main(["demo", "--output", str(out), "--today", "2026-11-25", "--quiet"])
        if code != 0:
            raise SystemExit(f"s11sync demo failed with exit code {code}")
        raw = {name: (out / name).read_bytes() for name in FILES if (out / name).exists()}
    print("files written by `s11sync demo --today 2026-11-25` (--days 7):")
    for name, data in raw.items():
        print(row(name, len(data)))
    latest = json.loads(raw["latest.json"])
    print("latest.json per section (compact, as on its lines):")
    for key, value in latest.items():
        print(row(key, len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))))
    print("latest.json, the same document in other layouts:")
    print(row("as written (one line per item)", len(raw["latest.json"])))
    print(row("indent 2", indent2(latest)))
    print(
        row("compact, one line", len(json.dumps(latest, ensure_ascii=False, separators=(",", ":"))))
    )
    today_at = raw["latest.json"].index(b'"today": {')
    print(
        f"  today block at byte {today_at:,} of {len(raw['latest.json']):,} "
        f"({today_at / len(raw['latest.json']):.1%})"
    )

    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    base = indent2(before)
    print("levers, each alone on the file main wrote before (indent 2):")
    print(row("before (indent 2)", base))
    pruned = prune_display(copy.deepcopy(before))
    print(row("display only where it adds", base - indent2(pruned)) + " saved")
    nulls = copy.deepcopy(before)
    for key in UNKNOWN_IS_ABSENT:
        nulls[key] = [drop_nulls(r) for r in nulls[key]]
    print(row("unknown fields left out", base - indent2(nulls)) + " saved")
    rtf = {**before, "READ_THIS_FIRST": latest["READ_THIS_FIRST"]}
    print(row("shorter READ_THIS_FIRST", base - indent2(rtf)) + " saved")
    terrain = copy.deepcopy(before)
    by_id = {a["id"]: a for a in latest["recent_activities"]}
    for activity in terrain["recent_activities"]:
        if (
            "terrain_summary" in activity
            and by_id.get(activity["id"], {}).get("terrain_summary", {}).get("detail") == "short"
        ):
            activity["terrain_summary"] = by_id[activity["id"]]["terrain_summary"]
    print(row("terrain short form (older)", base - indent2(terrain)) + " saved")
    print(row("line layout", base - len(dumps("latest.json", before))) + " saved")


if __name__ == "__main__":
    main()
