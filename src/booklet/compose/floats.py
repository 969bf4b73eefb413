"""Floating figures: a chart, photo or QR block moved past the paragraphs that follow it.

A figure that does not fit at the foot of a page moves to the next one and leaves the rest of
the page empty. booklet.render.floats finds such pages after a layout and asks for the
figure to be set after the next paragraphs instead, so that they fill the gap; this module
applies those moves to the chapters before composing again. A figure passes paragraphs and
at most a heading with its first paragraph (never another block), so it stays within a
spread of where it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from markupsafe import Markup

from booklet.content.chapters import Booklet, Chapter, Heading, Node, Prose

MAX_PASS = 4  # paragraphs a figure may move past
_TOP = re.compile(r"(?<=\n)(?=<(?:p|ul|ol|table|blockquote|figure|hr)[\s>])")
_OPEN = re.compile(r"<(ul|ol|blockquote|table|li)[\s>]")
_CLOSE = re.compile(r"</(ul|ol|blockquote|table|li)>")
_FIRST_TAG = re.compile(r"^(\s*<[a-zA-Z][a-zA-Z0-9]*)")


@dataclass(frozen=True)
class Move:
    """Set node *node* of chapter *chapter* after the next *paragraphs* paragraphs/headings.

    Negative *paragraphs* set it before that many paragraphs above it instead (or before
    the card group right above it).

    A figure may also be fitted: *height* (px) is its photo frame's new height, *width* (px)
    its chart image's new width; each makes the figure whole lines shorter (render.pagination).
    """

    chapter: str
    node: int
    paragraphs: int
    height: float = 0.0
    width: float = 0.0


def mark_node(html: str, key: str) -> Markup:
    """Return a component's HTML with `data-node="key"` on its outermost element."""
    return Markup(_FIRST_TAG.sub(lambda m: f'{m.group(1)} data-node="{key}"', str(html),
                                 count=1))


def top_level_chunks(html: str) -> list[str]:
    """Split rendered Markdown into its top-level elements (paragraphs, lists, tables)."""
    chunks: list[str] = []
    current = ""
    for piece in _TOP.split(html):
        current += piece
        depth = len(_OPEN.findall(current)) - len(_CLOSE.findall(current))
        if depth <= 0:
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def _move_in(nodes: list[Node], index: int, paragraphs: int) -> list[Node]:
    """Return *nodes* with the block at *index* set after the next *paragraphs* paragraphs."""
    figure, rest = nodes[index], nodes[:index] + nodes[index + 1:]
    out, passed, i = list(rest[:index]), 0, index
    while i < len(rest) and passed < paragraphs and isinstance(rest[i], Prose | Heading):
        if isinstance(rest[i], Heading):
            out.append(rest[i])
            passed += 1
            i += 1
            continue
        prose = rest[i]
        chunks = top_level_chunks(prose.html)  # type: ignore[union-attr]
        take = []
        while chunks and passed < paragraphs:
            chunk = chunks.pop(0)
            take.append(chunk)
            passed += chunk.lstrip().startswith("<p")
        out.append(Prose(html="".join(take), line=prose.line))  # type: ignore[union-attr]
        if chunks:
            out.append(figure)
            out.append(Prose(html="".join(chunks), line=prose.line))  # type: ignore[union-attr]
            return out + list(rest[i + 1:])
        i += 1
    return [*out, figure, *rest[i:]]


def _move_back(nodes: list[Node], index: int, paragraphs: int) -> list[Node]:
    """Return *nodes* with the block at *index* set before the block group or the last
    *paragraphs* paragraphs right above it (never past a heading)."""
    if index == 0 or isinstance(nodes[index - 1], Heading):
        return nodes
    figure, above = nodes[index], nodes[index - 1]
    if not isinstance(above, Prose):  # a card group: the figure goes before it
        return [*nodes[:index - 1], figure, above, *nodes[index + 1:]]
    chunks, taken, passed = top_level_chunks(above.html), [], 0
    while chunks and passed < paragraphs:
        chunk = chunks.pop()
        taken.insert(0, chunk)
        passed += chunk.lstrip().startswith("<p")
    kept = [Prose(html="".join(chunks), line=above.line)] if chunks else []
    return [*nodes[:index - 1], *kept, figure, Prose(html="".join(taken), line=above.line),
            *nodes[index + 1:]]


def apply_moves(booklet: Booklet, moves: list[Move]) -> Booklet:
    """Return *booklet* with the figures of *moves* moved (node indexes as loaded)."""
    if not moves:
        return booklet
    chapters: list[Chapter] = []
    for chapter in booklet.chapters:
        nodes = list(chapter.nodes)
        fitted = []
        # Last node first, so that earlier indexes still point at the same nodes.
        for move in sorted((m for m in moves if m.chapter == chapter.meta.id),
                           key=lambda m: -m.node):
            if 0 <= move.node < len(nodes) and not isinstance(nodes[move.node],
                                                              Heading | Prose):
                if move.height or move.width:
                    fitted.append((nodes[move.node], move))
                if move.paragraphs < 0:
                    nodes = _move_back(nodes, move.node, min(-move.paragraphs, MAX_PASS))
                    continue
                nodes = _move_in(nodes, move.node, min(move.paragraphs, MAX_PASS))
        if fitted:
            nodes.append(Prose(html=_fit_css(chapter.meta.id, nodes, fitted), line=0))
        chapters.append(replace(chapter, nodes=tuple(nodes)))
    return replace(booklet, chapters=tuple(chapters))


def _fit_css(chapter: str, nodes: list[Node], fitted: list[tuple[Node, Move]]) -> str:
    """Return a <style> element sizing the fitted figures, found by their data-node after moves.

    It goes last in the chapter, so that it shifts no node's index.
    """
    rules = []
    for node, move in fitted:
        index = next(i for i, n in enumerate(nodes) if n is node)
        key = f'[data-node="{chapter}:{index}"]'
        if move.height:
            rules.append(f"{key} {{ --photo-height: {move.height:.2f}px; }}")
        if move.width:
            rules.append(f"{key} .chart-image {{ width: {move.width:.2f}px !important; }}")
    return "<style>" + " ".join(rules) + "</style>\n"
