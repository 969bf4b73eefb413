"""The package tree is the pipeline: no import cycles, and no stage imports a later one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "booklet"

# Lowest first. A module may import its own layer and the layers before it, never a later one.
LAYERS = ("errors", "content", "figures", "images", "compose", "render", "editions", "check",
          "build", "tools", "cli", "__main__")
MAX_LINES = 400
MAX_TOP_LEVEL = 13  # the five dunder/orchestration files and one folder a stage


def module_name(path: Path) -> str:
    """Return the dotted module name of a file under src/booklet."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Return the booklet modules *path* imports anywhere (top level, functions, TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "booklet")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "booklet":
                continue
            for alias in node.names:  # `from booklet.check import content` imports a module
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    return {m for m in found if m in modules and m != name}


def layer(name: str) -> int:
    """Return the layer index of a module (the package root's __init__ is below everything)."""
    parts = name.split(".")
    if len(parts) == 1:
        return -1
    return LAYERS.index(parts[1])


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    """Return the import graph of the package."""
    modules = all_modules()
    return {name: imported(path, name, modules) for name, path in modules.items()}


def test_every_module_belongs_to_a_layer() -> None:
    unknown = [n for n in all_modules() if "." in n and n.split(".")[1] not in LAYERS]
    assert unknown == [], f"add these to LAYERS in the right place: {unknown}"


def test_no_stage_imports_a_later_stage(graph: dict[str, set[str]]) -> None:
    upward = sorted(f"{a} -> {b}" for a, deps in graph.items() for b in deps
                    if layer(b) > layer(a))
    assert upward == []


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The rules above can fail: a planted cycle and upward import are found."""
    fake = {"booklet.content.a": {"booklet.render.b"}, "booklet.render.b": {"booklet.content.a"}}
    assert [f"{a} -> {b}" for a, deps in fake.items() for b in deps if layer(b) > layer(a)] \
        == ["booklet.content.a -> booklet.render.b"]
    planted = tmp_path / "m.py"
    planted.write_text("def f():\n    from booklet.render import layout\n", encoding="utf-8")
    assert imported(planted, "booklet.content.m", all_modules()) == {"booklet.render.layout"}


def test_modules_are_small() -> None:
    big = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in all_modules().items()}
    assert {n: lines for n, lines in big.items() if lines > MAX_LINES} == {}


def test_top_level_is_the_pipeline() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir()
                     if p.name != "__pycache__" and not p.name.startswith("."))
    stages = [p for p in entries if (PACKAGE / p).is_dir()]
    assert stages == sorted(["content", "figures", "images", "compose", "render", "editions",
                             "check", "tools"])
    assert len(entries) <= MAX_TOP_LEVEL, entries
