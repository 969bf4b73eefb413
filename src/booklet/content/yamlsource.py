"""Parse YAML and validate it against a schema, locating every problem by file and line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from booklet.content.yamlbounds import BoundedLoader, check_expansion
from booklet.errors import Problem

M = TypeVar("M", bound=BaseModel)


class Located:
    """YAML data together with its node tree, so values can be traced to lines."""

    def __init__(self, data: Any, node: yaml.Node | None, file: Path, first_line: int) -> None:
        self.data = data
        self.node = node
        self.file = file
        self.first_line = first_line

    def line_of(self, loc: Iterable[int | str]) -> int:
        """Return the absolute 1-based line of the value at *loc* (nearest known parent)."""
        node = self.node
        line = node.start_mark.line if node is not None else 0
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == key), None)
                if match is None:
                    break
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    break
                node = node.value[key]
            else:
                break
            line = node.start_mark.line
        return self.first_line + line


def parse_yaml(text: str, file: Path, first_line: int = 1) -> tuple[Located | None, list[Problem]]:
    """Parse *text* (which starts at *first_line* of *file*); return the data or problems."""
    try:
        loader = BoundedLoader(text)
        try:
            node = loader.get_single_node()
            bomb = check_expansion(node) if node is not None else None
            if bomb is not None:
                return None, [Problem(bomb[0], file, first_line + bomb[1].start_mark.line,
                                      bomb[1].start_mark.column + 1,
                                      hint="write the values out without anchors (&) and "
                                           "aliases (*)")]
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        return None, [Problem("the YAML is nested too deeply to read", file, first_line,
                              hint="flatten the data")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end" in (exc.problem or "") and "stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed bracket or quote: point at its opening
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else None
        from booklet.content.plainwords import fullwidth_key, fullwidth_key_words, yaml_words

        raw = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) or "too large" in raw \
                or "nested more than" in raw:
            # Values the loader refuses (bounded work, hostile input): say which and why.
            reason = raw if not exc.context or exc.context in raw else f"{raw} ({exc.context})"
            hint = "check the value"
            if "date" in reason:
                hint = "write a real date as YYYY-MM-DD, or quote the value to keep it as text"
            elif "too large" in reason:
                hint = "quote the number to keep it as text, or use a smaller number"
            elif "nested more than" in reason:
                hint = "flatten the data"
            return None, [Problem(f"YAML error: {reason}", file, line, column, hint=hint)]
        reason, hint = yaml_words(exc.problem or "", exc.context or "")
        found = fullwidth_key(text)
        if found is not None and mark is not None and found[0] <= mark.line:
            # The likely cause: a `key：value` line at or above the place YAML gave up.
            (reason, hint), line, column = fullwidth_key_words(found[1]), \
                first_line + found[0], None
        return None, [Problem(f"YAML syntax error: {reason}", file, line, column, hint=hint)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", file, first_line)]
    located = Located(data, node, file, first_line)
    return located, _duplicate_keys(located)


def _duplicate_keys(located: Located) -> list[Problem]:
    """Find mapping keys given twice, which PyYAML would silently overwrite."""
    problems: list[Problem] = []
    stack = [located.node] if located.node is not None else []
    visited: set[int] = set()  # aliases share nodes: visit each once
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    stack.append(value)
                    continue
                if key.value in seen:
                    problems.append(Problem(
                        f"key {key.value!r} is given twice", located.file,
                        located.first_line + key.start_mark.line, key.start_mark.column + 1,
                        hint="keep one of them"))
                seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return problems


def validate_file(model: type[M], file: Path, roots: Iterable[Path] | None = None, *,
                  strict: bool = False) -> tuple[M | None, list[Problem]]:
    """Read a YAML file, parse it and validate it against *model*, locating every problem."""
    from booklet.content.textfile import read_text

    text, problems = read_text(file, roots)
    if problems:
        return None, problems
    located, problems = parse_yaml(text, file)
    if located is None or problems:
        return None, problems
    return validate(model, located, strict=strict)


def validate(model: type[M], located: Located, prefix: str = "",
             strict: bool = False) -> tuple[M | None, list[Problem]]:
    """Validate located data against *model*; return the instance or located problems."""
    try:
        data = located.data if located.data is not None else {}
        return model.model_validate(data, strict=strict or None), []
    except ValidationError as exc:
        return None, [_problem(model, located, err, prefix) for err in exc.errors()]


def _problem(model: type[BaseModel], located: Located, err: Any, prefix: str) -> Problem:
    """Turn one pydantic error into a located, actionable problem."""
    loc = tuple(err["loc"])
    field = ".".join(str(p) for p in loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        message = f"unknown key {loc[-1]!r}"
        hint = "remove it or fix its spelling"
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean `{close[0]}`? Otherwise remove it"
        if allowed:
            hint += "; allowed keys: " + ", ".join(allowed)
    elif kind == "missing":
        message = "this required key is missing"
        from booklet.content.plainwords import MISSING

        hint = MISSING.get(str(loc[-1]), f"add `{loc[-1]}: …`")
        loc = loc[:-1]
    else:
        from booklet.content.plainwords import pydantic_words

        message, hint = pydantic_words(err)
    return Problem(message, located.file, located.line_of(loc),
                   field=f"{prefix}{field}" if field else prefix.rstrip(".") or None, hint=hint)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Return the keys allowed at *loc* inside *model*, following nested models."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[...] / Optional[...] to the model inside, if any."""
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
