"""The architecture, enforced: import layers, no import cycle, modules of a readable size.

    cli → demo → pipeline (shell) → fetch/build/client/publish → outputs → metrics → basics

A module may import its own layer or any layer below it, never above; no group of modules may
import each other in a circle. A new top-level module must be given a layer here on purpose.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "s11sync"
MAX_LINES = 650  # "about 600 lines": a module past this is two concerns

BASICS = {
    "s11sync",
    "s11sync.cache",
    "s11sync.config",
    "s11sync.dates",
    "s11sync.errors",
    "s11sync.fmt",
    # what the history fetch asks for (windows, field lists): plain data, readable from any layer
    "s11sync.history.fetch_params",
    "s11sync.numbers",
    "s11sync.redact",
    "s11sync.scales",
    "s11sync.snapshot",
    "s11sync.sports",
    "s11sync.units",
    "s11sync.windows",
}
SHELL = {
    "s11sync.pipeline",
    "s11sync.doctor",
    "s11sync.report",
    "s11sync.segment",
    "s11sync.snapshot_file",
    "s11sync.snapshot_redact",
    "s11sync.roster",
    "s11sync.roster_run",
}
GATHER = {"s11sync.fetch", "s11sync.fetch_plan", "s11sync.curve_cache", "s11sync.build"}
OUTPUTS = {"s11sync.validate", "s11sync.schemadoc", "s11sync.terrain"}
# the history package builds an output file (history.json) and latest.json's blocks read from it
OUTPUT_PACKAGES = ("s11sync.outputs", "s11sync.history")
LAYER_NAMES = ["basics", "metrics", "outputs", "fetch/build", "shell", "demo", "cli"]


def layer_of(module: str) -> int | None:
    if module in BASICS:
        return 0
    if module in ("s11sync.cli", "s11sync.__main__"):
        return 6
    if module.startswith("s11sync.demo"):
        return 5
    if module in SHELL:
        return 4
    if module in GATHER or module.startswith(("s11sync.publish", "s11sync.intervals")):
        return 3
    if module in OUTPUTS or module.startswith(OUTPUT_PACKAGES):
        return 2
    if module.startswith("s11sync.metrics"):
        return 1
    return None


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def import_graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module → the s11sync modules it imports (anywhere in the file, local imports included)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("s11sync")
            ):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    graph[name].add(target if target in mods else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in mods)
    return graph


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = layer_of(source), layer_of(target)
            if low is not None and high is not None and high > low:
                found.append(
                    f"{source} ({LAYER_NAMES[low]}) imports {target} ({LAYER_NAMES[high]})"
                )
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    nodes = sorted(set(graph) | {t for ts in graph.values() for t in ts})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_every_module_has_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []


def test_nothing_imports_a_higher_layer():
    assert upward_imports(import_graph(modules())) == []


def test_there_is_no_import_cycle():
    assert cycles(import_graph(modules())) == []


def test_no_module_is_over_the_size_limit():
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"s11sync.metrics.load": {"s11sync.outputs.latest"}}, 1),
        ({"s11sync.units": {"s11sync.pipeline"}}, 1),
        # the history fetch parameters are data: they may not import the history builders
        ({"s11sync.history.fetch_params": {"s11sync.history.build"}}, 1),
        ({"s11sync.fetch": {"s11sync.history.build", "s11sync.history.fetch_params"}}, 0),
        ({"s11sync.cli": {"s11sync.pipeline"}, "s11sync.pipeline": {"s11sync.metrics.load"}}, 0),
    ],
)
def test_the_layer_check_sees_an_upward_import(graph, expected):
    assert len(upward_imports(graph)) == expected


def test_the_cycle_check_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
