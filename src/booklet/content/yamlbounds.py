"""Bounded YAML: nesting depth, alias expansion and scalar conversion errors, all located.

PyYAML shares aliased nodes, so a few lines can stand for billions of values (an "alias
bomb") or for a value that contains itself (a recursive alias). Anything that walks the
data afterwards (duplicate-key check, validation, JSON) would then run for ever. The loader
here refuses such documents before anything walks them.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent

MAX_DEPTH = 64  # nested collections; booklet's deepest schema needs 4
MAX_NODES = 100_000  # values after expanding aliases; the seed's largest file has ~300
MAX_SCALAR = 1_000_000  # characters in one value


class BoundedLoader(yaml.SafeLoader):
    """A SafeLoader with limits on depth, aliases and scalar size; errors carry a mark."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing nesting deeper than MAX_DEPTH."""
        if self.check_event(AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"the data is nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        """Construct a value; a value Python cannot hold becomes an error at its line."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, OverflowError, TypeError) as exc:
            raise ConstructorError(None, None, _explain(node, exc), node.start_mark) from exc


def _explain(node: Any, exc: Exception) -> str:
    """Say which value could not be converted and why."""
    value = str(getattr(node, "value", ""))
    shown = value if len(value) <= 40 else value[:37] + "…"
    tag = str(getattr(node, "tag", "")).rsplit(":", 1)[-1]
    if tag == "timestamp":
        return f"{shown!r} is not a real date ({exc})"
    if tag == "int":
        return f"the number {shown!r} is too large ({len(value)} digits)"
    return f"the value {shown!r} cannot be read: {exc}"


def check_expansion(root: Any) -> tuple[str, Any] | None:
    """Return (problem, node) if aliases make *root* recursive or too large, else None.

    Counts every value as often as aliases repeat it, without expanding anything: each
    node's expanded size is computed once (iteratively, so depth costs no stack).
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_NODES:
                return (f"aliases expand this value to more than {MAX_NODES:,} values "
                        "(an alias bomb?)", node)
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            return "this value contains itself through an alias (a recursive alias)", node
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_SCALAR:
            return f"a value longer than {MAX_SCALAR:,} characters", node
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                return "this value contains itself through an alias (a recursive alias)", child
            if id(child) not in size:
                stack.append((child, False))
    return None


def _children(node: Any) -> list[Any]:
    """Return the direct child nodes of a YAML node."""
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
