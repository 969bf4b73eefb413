"""Faults that would otherwise print silently: footnotes, raw HTML, a full-width YAML comma."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token

from booklet.errors import Problem

_FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?/?>")
# What to write instead of each tag (raw HTML is off: it would print as text).
_INSTEAD = {
    "b": "**粗体**", "strong": "**粗体**", "i": "*斜体*", "em": "*斜体*",
    "br": "a blank line between paragraphs (a line break inside a paragraph joins the lines)",
    "p": "a blank line between paragraphs", "a": "[text](https://…)",
    "img": "a photo block (```photo)", "sup": "a footnote [^1]", "sub": "plain text",
    "u": "*斜体* or **粗体**", "span": "plain text", "div": "plain text or a callout block",
    "table": "a Markdown table (| a | b |)", "ul": "a Markdown list (- item)",
    "ol": "a Markdown list (1. item)", "li": "a Markdown list item (- item)",
    "h1": "## heading", "h2": "## heading", "h3": "### heading",
}


def prose_problems(tokens: list[Token], env: dict[str, Any], body: str, file: Path,
                   offset: int) -> list[Problem]:
    """Return warnings for undefined or unused footnotes and raw HTML tags in the text."""
    problems: list[Problem] = []
    for token in tokens:
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type != "text":
                continue
            line = offset + (child.meta or {}).get("line", (token.map or [0])[0] + 1)
            for match in _FOOTNOTE_CALL.finditer(child.content):
                problems.append(Problem(
                    f"footnote [^{match.group(1)}] is not defined: it would print as "
                    f"“{match.group()}”", file, line,
                    hint=f"add a line `[^{match.group(1)}]: 注释文字` at the end of the "
                         "chapter, or remove the call"))
            for match in _TAG.finditer(child.content):
                tag = match.group(1).lower()
                instead = _INSTEAD.get(tag, "Markdown")
                problems.append(Problem(
                    f"raw HTML <{match.group(1)}> prints as text: HTML is off in chapters",
                    file, line, hint=f"write {instead} instead"))
    # The footnote plugin keeps every definition in refs; -1 marks one never called.
    refs = (env.get("footnotes") or {}).get("refs") or {}
    for key, number in refs.items():
        label = key.removeprefix(":")
        if number == -1:
            problems.append(Problem(
                f"footnote [^{label}] is defined but never called: it is not printed", file,
                _line_of(body, f"[^{label}]:", offset),
                hint=f"call it with [^{label}] in the text, or delete the definition"))
    return problems


def _line_of(body: str, needle: str, offset: int) -> int | None:
    """Return the absolute line of the first line of *body* starting with *needle*."""
    for number, text in enumerate(body.splitlines(), 1):
        if text.lstrip().startswith(needle):
            return offset + number
    return None


def yaml_problems(node: yaml.Node | None, file: Path, first_line: int) -> list[Problem]:
    """Warn where full-width punctuation stands where YAML needs ASCII (one item, not two)."""
    problems: list[Problem] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.SequenceNode):
            if current.flow_style and len(current.value) == 1 and isinstance(
                    current.value[0], yaml.ScalarNode) and "，" in current.value[0].value \
                    and current.value[0].style is None:
                problems.append(Problem(
                    "a full-width comma （，） inside [ … ] does not separate list items: "
                    "this list has one item", file, first_line + current.start_mark.line,
                    current.start_mark.column + 1,
                    hint="separate the items with an ASCII comma and a space: [甲, 乙]"))
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(value for _key, value in current.value)
    return problems
