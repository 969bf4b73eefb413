"""Labels, numbers and cross-references: `{#id}` on headings, `[@fig:x]` in the text.

A chapter is parsed on its own (and cached by `booklet watch`), but a reference may point
to a figure three chapters on. So the parser writes markers (private-use characters around
a key) into the HTML, and `resolve()` replaces them once every chapter is loaded: it
numbers the figures and tables in reading order and turns each reference into a link.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from booklet.errors import Problem

KINDS = {"fig": "图", "tbl": "表", "sec": ""}
ID = r"[A-Za-z][A-Za-z0-9_-]*"
_XREF = re.compile(rf"\[@(?:(page):)?(fig|tbl|sec):({ID})\]")
_HEADING_ID = re.compile(rf"\s*\{{#(?:sec:)?({ID})\}}\s*$")
OPEN, CLOSE = "\ue000", "\ue001"
# T|key|line: a table caption's number; R|page?|key|line: a reference.
# Strict, so that private-use characters typed in the text never parse as a marker.
_MARKER = re.compile(f"{OPEN}(?:(T)\\|((?:tbl:{ID})?\\|\\d+)|(R)\\|((?:page)?\\|"
                     f"(?:fig|tbl|sec):{ID}\\|\\d+)){CLOSE}")


def labels_plugin(md: MarkdownIt) -> None:
    """Add `[@kind:id]` references and `{#id}` heading labels to the parser."""
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.core.ruler.after("inline", "heading_ids", _heading_ids)
    md.core.ruler.after("heading_ids", "inline_lines", _inline_lines)
    md.add_render_rule("xref", _render_xref)


def _xref_rule(state: StateInline, silent: bool) -> bool:
    """Match `[@fig:spending]`, `[@tbl:x]`, `[@sec:summit]`, `[@page:sec:summit]`."""
    if state.src[state.pos] != "[" or not state.src.startswith("[@", state.pos):
        return False
    match = _XREF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {"page": bool(match.group(1)), "key": f"{match.group(2)}:{match.group(3)}"}
    state.pos = match.end()
    return True


def _heading_ids(state: Any) -> None:
    """Move a trailing `{#id}` of a heading into the heading's id attribute."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        match = _HEADING_ID.search(inline.content)
        last = inline.children[-1] if inline.children else None
        if match is None or last is None or last.type != "text":
            continue
        cut = _HEADING_ID.search(last.content)
        if cut is None:
            continue
        last.content = last.content[:cut.start()]
        inline.content = inline.content[:match.start()]
        token.attrSet("id", match.group(1))


def _inline_lines(state: Any) -> None:
    """Give every inline child the source line it is on (relative to the parsed text)."""
    for token in state.tokens:
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0] + 1
        for child in token.children or []:
            child.meta = {**(child.meta or {}), "line": line}
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            line += child.content.count("\n") if child.type == "text" else 0


def _render_xref(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Write a reference marker; resolve() turns it into the link once numbers are known."""
    meta = tokens[idx].meta
    line = env.get("line_offset", 0) + meta.get("line", 1)
    return f"{OPEN}R|{'page' if meta['page'] else ''}|{meta['key']}|{line}{CLOSE}"


def _parts(match: re.Match[str]) -> tuple[str, str]:
    """Return (kind, rest) of a marker match: ("T", "tbl:x|12") or ("R", "page|fig:x|3")."""
    return (match.group(1), match.group(2)) if match.group(1) else (match.group(3),
                                                                     match.group(4))


def table_marker(key: str, line: int) -> str:
    """Return the marker a table caption carries for its number ("" key: unlabelled)."""
    return f"{OPEN}T|{key}|{line}{CLOSE}"


def heading_anchor(chapter_id: str, explicit: str | None, text: str, seen: set[str]) -> str:
    """Return a stable anchor: `sec-<id>` from `{#id}`, else one made from the heading text.

    Positions are never used, so adding a heading does not move the anchors of the others.
    """
    if explicit:
        return f"sec-{explicit}"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    anchor, n = f"sec-{chapter_id}-{digest}", 2
    while anchor in seen:
        anchor, n = f"sec-{chapter_id}-{digest}-{n}", n + 1
    seen.add(anchor)
    return anchor


@dataclass(frozen=True)
class Label:
    """A numbered or titled target: what a reference to it prints and where it links."""

    key: str
    anchor: str
    number: str  # "图3", "表1-2"; "" for sections and unnumbered items
    title: str  # HTML of a section's title
    file: Path
    line: int


@dataclass
class LabelIndex:
    """Every label of the booklet and the number of every numbered block."""

    labels: dict[str, Label] = field(default_factory=dict)
    blocks: dict[tuple[Path, int], Label] = field(default_factory=dict)

    def for_block(self, file: Path, line: int) -> Label | None:
        """Return the label of the block at *file*:*line* (a chart or photo), if it has one."""
        return self.blocks.get((file, line))


def resolve(booklet: Any) -> tuple[Any, list[Problem]]:
    """Number figures and tables, then replace every marker; return problems for bad labels.

    Takes and returns a chapters.Booklet (typed Any: chapters imports this module).
    """
    from booklet.content.blocks import Callout, Chart, Photo

    numbering = booklet.project.config.numbering
    index = LabelIndex()
    problems: list[Problem] = []
    counts = {"fig": 0, "tbl": 0}

    def define(key: str, anchor: str, number: str, title: str, file: Path, line: int) -> Label:
        label = Label(key, anchor, number, title, file, line)
        if key in index.labels:
            other = index.labels[key]
            problems.append(Problem(
                f"label {key!r} is already used at {other.file.name}:{other.line}", file, line,
                hint="give every figure, table and section its own id"))
        elif not key.startswith("~"):
            index.labels[key] = label
        return label

    def next_number(kind: str, chapter_no: int, labelled: bool) -> str:
        mode = getattr(numbering, "figures" if kind == "fig" else "tables")
        if mode == "none" or (mode == "labelled" and not labelled):
            return ""
        counts[kind] += 1
        prefix = f"{chapter_no}-" if numbering.per_chapter else ""
        return f"{KINDS[kind]}{prefix}{counts[kind]}"

    for chapter_no, chapter in enumerate(booklet.chapters, 1):
        if numbering.per_chapter:
            counts = {"fig": 0, "tbl": 0}
        for node in chapter.nodes:
            if hasattr(node, "explicit_id"):  # a Heading
                key = f"sec:{node.anchor.removeprefix('sec-')}" if node.explicit_id else \
                    f"~{node.anchor}"
                define(key, node.anchor, "", node.html, chapter.file, node.line)
            elif isinstance(node, (Chart, Photo)):
                block_id = node.id.removeprefix("fig:")
                number = next_number("fig", chapter_no, bool(block_id))
                key = f"fig:{block_id}" if block_id else f"~{chapter.file}:{node.line}"
                label = define(key, f"fig-{block_id}" if block_id else "", number,
                               escape(node.caption), chapter.file, node.line)
                index.blocks[(chapter.file, node.line)] = label
            elif hasattr(node, "html") and not hasattr(node, "anchor"):  # Prose
                for match in _MARKER.finditer(node.html):
                    if match.group(1) != "T":
                        continue
                    key, line = _parts(match)[1].rsplit("|", 1)
                    number = next_number("tbl", chapter_no, bool(key))
                    label = define(key or f"~{chapter.file}:{line}",
                                   f"tbl-{key.removeprefix('tbl:')}" if key else "", number,
                                   "", chapter.file, int(line))
                    index.blocks[(chapter.file, int(line))] = label
    for chapter in booklet.chapters:  # references in callout text, rendered when composed
        for node in chapter.nodes:
            for match in _XREF.finditer(node.text if isinstance(node, Callout) else ""):
                reference(index, f"{match.group(2)}:{match.group(3)}", bool(match.group(1)),
                          chapter.file, node.line, problems)
    chapters = [_substitute(ch, index, problems) for ch in booklet.chapters]
    resolved = replace(booklet, chapters=tuple(chapters), labels=index)
    return resolved, problems


def _substitute(chapter: Any, index: LabelIndex, problems: list[Problem]) -> Any:
    """Replace the markers in a chapter's prose."""

    def one(match: re.Match[str]) -> str:
        kind, rest = _parts(match)
        if kind == "T":
            label = index.for_block(chapter.file, int(rest.rsplit("|", 1)[1]))
            number = label.number if label else ""
            return f'<span class="label-number">{number}</span>' if number else ""
        page, key, line = rest.split("|")
        return reference(index, key, bool(page), chapter.file, int(line), problems)

    nodes = []
    for node in chapter.nodes:
        if isinstance(getattr(node, "html", None), str) and OPEN in node.html:
            node = replace(node, html=_MARKER.sub(one, node.html))
        nodes.append(node)
    return replace(chapter, nodes=tuple(nodes))


def reference(index: LabelIndex, key: str, page: bool, file: Path | None, line: int,
              problems: list[Problem]) -> str:
    """Return the HTML of one reference, or record a located problem and print it as text."""
    label = index.labels.get(key)
    written = f"[@{'page:' if page else ''}{key}]"
    if label is None:
        kind = key.split(":", 1)[0]
        known = sorted(k for k in index.labels if k.startswith(kind + ":"))
        hint = (f"use one of: {', '.join(known[:8])}" if known else
                {"fig": "give the chart or photo an `id:` line",
                 "tbl": "end the table's caption line with {#tbl:id}",
                 "sec": "end the heading with {#id}"}[kind])
        problems.append(Problem(f"{written} refers to a label that does not exist", file, line,
                                hint=hint))
        return escape(written)
    if page:
        return f'<a class="page-ref" href="#{label.anchor}"></a>'
    if key.startswith("sec:"):
        return f'<a class="xref xref-sec" href="#{label.anchor}">{label.title}</a>'
    if not label.number:
        problems.append(Problem(f"{written} refers to an unnumbered item", file, line,
                                hint="turn numbering on in booklet.yaml (numbering:), or "
                                     "refer to its page: [@page:" + key + "]"))
        return escape(written)
    return f'<a class="xref" href="#{label.anchor}">{label.number}</a>'


def resolve_inline(index: LabelIndex | None, html: str) -> str:
    """Replace references in a short rendered string (a callout); unknown ones stay as text."""
    if index is None or OPEN not in html:
        return html

    def one(match: re.Match[str]) -> str:
        kind, rest = _parts(match)
        if kind == "T":
            return ""
        page, key, _line = rest.split("|")
        return reference(index, key, bool(page), None, 0, [])

    return _MARKER.sub(one, html)
