"""Time to validate the five hand-made example documents 100 times (compiled validators are reused).

.venv/bin/python bench/bench_validate.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from s11sync.validate import SCHEMA_NAMES, validate_documents  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "schema"
ROUNDS = 100


def main() -> None:
    docs = {n: json.loads((FIXTURES / n).read_text(encoding="utf-8")) for n in SCHEMA_NAMES}
    start = time.perf_counter()
    validate_documents(docs)  # first pass builds the registry and compiles the validators
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(ROUNDS):
        validate_documents(docs)
    total = time.perf_counter() - start
    size = sum(len(json.dumps(d)) for d in docs.values())
    print(f"first pass (load + compile + validate): {first * 1000:.1f} ms")
    print(
        f"{ROUNDS} x 5 documents ({size / 1024:.0f} KiB): {total:.3f} s, "
        f"{total / ROUNDS * 1000:.2f} ms per pass"
    )


if __name__ == "__main__":
    main()
