"""Plan a paragraph's lines across its inline boxes (links, emphasis, language spans, calls).

WeasyPrint lays a paragraph out as a line box holding text boxes and inline boxes, one line at
a time (`layout.inline.split_inline_box`, which calls `split_text_box` for each text box).
`breaks` plans inside one text box; a paragraph with markup would be planned box by box, and
the lines at a box boundary open up. Here `split_inline_box` is wrapped for line boxes: the
first time a paragraph is laid out, the text of all its in-flow text boxes is measured (each
box with its own style, as WeasyPrint will lay it out; the margins, borders and padding of
inline boxes added to the characters they touch), the break opportunities are Pango's inside
each box and WeasyPrint's `can_break_text` between boxes, and `linebreak.plan_lines()` plans
the whole paragraph. For each line the planned end and squeezed marks are set; the wrapped
`split_text_box` hands each box its part (`breaks.force`): the whole box, its text up to the
planned break, or, for a box after a break planned at a box boundary, an overflowing width so
that WeasyPrint breaks before it, as it does when a box does not fit.

If WeasyPrint ends a line elsewhere than planned (an inline box this model does not know),
the line is laid out again without the paragraph plan (per text box, as `breaks` does alone)
and the paragraph is planned again from where that line ends. Plans are kept per paragraph
and line start; `reset()` (from `breaks.reset`) forgets them before each document.

Relies on (pinned in guard.REVIEWED_SOURCES): `split_inline_box` laying out the children of a
line box in order with `split_inline_level`, breaking before a child that overflows when the
boundary allows a break; its resume stacks ({child index: nested stack or byte skip}).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

from booklet.compose.typography import linebreak

from . import attrs, breaks

SPLIT_INLINE = "weasyprint.layout.inline:split_inline_box"
SPLIT_TEXT = "weasyprint.layout.inline:split_text_box"
_MAX_CALLS = 4  # splits of one box at one place within a line: more means WeasyPrint backtracks


@dataclass(slots=True)
class _Model:
    """A paragraph's text, measured across its inline boxes, and its planned lines."""

    box: Any
    text: str
    advances: list[float]
    candidates: list[int]
    halvable: list[bool]
    joins: frozenset[int]
    starts: dict[int, int]  # id(text box) -> index of its first character in `text`
    em: float
    ragged_style: Any
    leaves: tuple[Any, ...]  # the text boxes, and their texts when measured (generated
    texts: tuple[str, ...]  # content such as a page reference changes between passes)
    plans: dict[tuple[int, float], linebreak.Line] = field(default_factory=dict)


@dataclass(slots=True)
class _LinePlan:
    """The line being laid out: its model, planned end and squeezed marks."""

    model: _Model
    start: int
    end: int
    squeeze: frozenset[int]
    spacing: float = 0.0  # em letter-spacing of each character (a shrunk line)
    calls: dict[tuple[int, int], int] = field(default_factory=dict)
    failed: bool = False


_models: dict[int, _Model | None] = {}
# Lines laid out along a paragraph plan, and lines laid out again without it (tests read it).
stats = {"planned": 0, "replanned": 0}
_line: _LinePlan | None = None
_originals: dict[str, Any] = {}


def reset() -> None:
    """Forget every paragraph model and plan (before a document's layout)."""
    global _line
    _models.clear()
    _line = None
    stats.update(planned=0, replanned=0)


def split_inline_box(context: Any, box: Any, position_x: float, max_x: float,
                     bottom_space: float, skip_stack: Any, containing_block: Any,
                     absolute_boxes: list, fixed_boxes: list, line_placeholders: list,
                     waiting_floats: list, line_children: list, first_letter_style: Any,
                     first_line_style: Any) -> Any:
    """Lay out one line of a paragraph along its plan (WeasyPrint's signature)."""
    global _line
    original = _originals[SPLIT_INLINE]
    args = (context, box, position_x, max_x, bottom_space, skip_stack, containing_block,
            absolute_boxes, fixed_boxes, line_placeholders, waiting_floats, line_children,
            first_letter_style, first_line_style)
    plan = None
    if isinstance(box, boxes.LineBox) and first_line_style is None:
        plan = _plan_line(box, position_x, max_x, skip_stack)
    if plan is None:
        return original(*args)
    outer, _line = _line, plan
    try:
        result = original(*args)
    finally:
        _line = outer
    resume_at = result[1]
    end = len(plan.model.text) if resume_at is None else _offset(plan.model, box, resume_at)
    if not plan.failed and end == plan.end:
        stats["planned"] += 1
        return result
    stats["replanned"] += 1
    # WeasyPrint ended the line elsewhere: lay it out again as it would alone.
    for found in (absolute_boxes, fixed_boxes, line_placeholders, waiting_floats,
                  line_children):
        found.clear()
    return original(*args)


def split_text_box(context: Any, box: Any, available_width: float, skip: int,
                   is_line_start: bool = True) -> Any:
    """Split a text box where its paragraph's line plan says (WeasyPrint's signature)."""
    original = _originals[SPLIT_TEXT]
    plan = _line
    start = plan.model.starts.get(id(box)) if plan is not None and not plan.failed else None
    if plan is None or start is None:
        return original(context, box, available_width, skip, is_line_start)
    calls = plan.calls[id(box), skip] = plan.calls.get((id(box), skip), 0) + 1
    if calls > _MAX_CALLS:  # WeasyPrint is backtracking: the plan does not hold
        plan.failed = True
        return original(context, box, available_width, skip, is_line_start)
    done = len(box.text.encode()[:skip].decode(errors="ignore")) if skip else 0
    first = start + done
    length = len(box.text) - done
    local = plan.end - first
    if local <= 0:  # the line was planned to end before this box: make it not fit
        new_box, resume, preserved = original(context, box, available_width, skip,
                                              is_line_start)
        if new_box is not None:
            new_box.width = max(new_box.width, available_width) + box.style["font_size"]
        return new_box, resume, preserved
    squeeze = tuple(k - first for k in sorted(plan.squeeze) if first <= k < first + length)
    cut, width = 0, None
    if local < length:
        model = plan.model
        rest = model.text[first:first + length]
        advances = model.advances[first:first + length]
        cut = breaks._cut(rest, advances, linebreak.Line(0, local, squeeze, 0.0),
                          available_width, model.em)
        # Pango breaks only where the text overflows, and WeasyPrint then adds the next word
        # if it fits: give them a measure between the line and the line with one more
        # character, so that the text breaks, and only at the planned end.
        part = sum(advances[:local]) - 0.5 * model.em * len(squeeze)
        width = min(available_width, part + 0.5 * advances[local])
    spacing = plan.spacing * plan.model.em / (box.style["font_size"] or plan.model.em)
    breaks.force(linebreak.Line(0, min(local, length), squeeze, 0.0, cut, spacing), width)
    try:
        return original(context, box, available_width, skip, is_line_start)
    finally:
        breaks.force(None)


def _plan_line(box: Any, position_x: float, max_x: float, skip_stack: Any
               ) -> _LinePlan | None:
    """Return the plan of the line of paragraph `box` that starts at `skip_stack`."""
    key = id(box)
    if key not in _models:
        _models[key] = _model(box)
    model = _models[key]
    if model is not None and not _same_leaves(model, box):
        # WeasyPrint made new boxes for generated content ("第0页" of a page reference, made
        # again as "第12页" once the page is known): measure again, or those boxes, unknown
        # to the plan, are laid out without its letter-spacing and the line overflows.
        model = _models[key] = _model(box)
    if model is None or model.box is not box:
        return None
    start = 0 if skip_stack is None else _offset(model, box, skip_stack)
    if start is None or start >= len(model.text):
        return None
    width = round(max_x - position_x, 3)
    if width < 4 * model.em:
        return None
    line = model.plans.get((start, width))
    if line is None:
        indent = float(box.text_indent or 0) if start == 0 else 0.0
        line = _plan(model, start, width, round(width + indent, 3))
        if line is None:
            return None
    return _LinePlan(model, start, line.end, frozenset(line.squeeze), line.spacing)


def _plan(model: _Model, start: int, width: float, rest_width: float
          ) -> linebreak.Line | None:
    """Plan the paragraph from `start`; keep each line under its start and width."""
    text = model.text[start:]
    advances = model.advances[start:]
    if sum(advances) <= width + 0.05 * model.em:
        # The rest fits on this line (a shrink-to-fit box is exactly as wide as its text,
        # give or take rounding): nothing to plan.
        return None
    candidates = [c - start for c in model.candidates if c > start]
    lines = linebreak.plan_lines(
        text, advances, model.em, candidates, width, rest_width,
        ragged=breaks.ragged(model.ragged_style, width), halvable=model.halvable[start:],
        joins=frozenset(j - start for j in model.joins if j > start),
        close_up=attrs.switch(model.ragged_style, "__booklet_shrink") == "on")
    if not lines:
        return None
    for k, line in enumerate(lines):
        shifted = linebreak.Line(line.start + start, line.end + start,
                                 tuple(i + start for i in line.squeeze), line.gap,
                                 spacing=_per_box(model, line.start + start, line.end + start,
                                                  line.spacing))
        model.plans.setdefault((shifted.start, width if k == 0 else rest_width), shifted)
    return model.plans[start, width]


def _same_leaves(model: _Model, line_box: Any) -> bool:
    """Return whether the line box still holds the text boxes, and texts, the model measured."""
    found: list[Any] = []
    _text_boxes(line_box, found)
    return (len(found) == len(model.leaves)
            and all(a is b and a.text == t
                    for a, b, t in zip(found, model.leaves, model.texts, strict=True)))


def _text_boxes(box: Any, found: list[Any]) -> None:
    """Append the in-flow, non-empty text boxes under `box` in order (as `_leaves` takes)."""
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            if child.text:
                found.append(child)
        elif isinstance(child, boxes.InlineBox):
            _text_boxes(child, found)


def _per_box(model: _Model, start: int, end: int, spacing: float) -> float:
    """Return a shrunk line's letter-spacing when its text spans several boxes.

    Pango drops the letter-spacing of the last character of each box's layout, and boxes
    the rules leave alone (an English span) take none: the line closes by the spacings of
    the other characters only, not by (characters - 1) of them.
    """
    if not spacing:
        return 0.0
    count = 0
    for leaf, text in zip(model.leaves, model.texts, strict=True):
        first = model.starts[id(leaf)]
        inside = min(end, first + len(text)) - max(start, first)
        if inside > 1 and attrs.active(leaf.style):
            count += inside - 1
    return spacing * max(end - start - 1, 1) / max(count, 1)


def _model(line_box: Any) -> _Model | None:
    """Measure a paragraph's text boxes; None if it is not one the composer plans."""
    style = line_box.style
    if not (style["white_space"] == "normal" and attrs.active(style)
            and style["text_align_all"] in ("justify", "start", "left")):
        return None
    leaves: list[list] = []  # text box, decoration before and after, starts a call
    if not _leaves(line_box, leaves, [0.0, False]):
        return None
    texts = [leaf[0].text for leaf in leaves]
    if len(texts) < 2 or any("\n" in t for t in texts):
        return None  # one box: breaks plans it alone
    text = "".join(texts)
    em = style["font_size"]
    if not em or len(text) < 8:
        return None
    advances: list[float] = []
    candidates: list[int] = []
    halvable: list[bool] = []
    joins: set[int] = set()
    starts: dict[int, int] = {}
    from weasyprint.layout.inline import can_break_text

    for leaf, before, after, call in leaves:
        first = len(advances)
        starts[id(leaf)] = first
        measured = breaks._measure(leaf.text, leaf.style)
        box_advances = list(measured.advances)
        box_advances[0] += before
        box_advances[-1] += after
        advances.extend(box_advances)
        if (first and not call and text[first - 1] != "-"
                and leaf.style["white_space"] == "normal"
                and can_break_text(text[first - 1] + text[first], leaf.style["lang"])):
            candidates.append(first)
            joins.add(first)
        # Not inside generated content ("第5页" of a page reference, a call, a marker).
        if leaf.style["white_space"] == "normal" and "::" not in (leaf.element_tag or ""):
            candidates.extend(first + c for c in measured.candidates)
        halvable.extend(_halvable(leaf.text, leaf.style))
    return _Model(line_box, text, advances, candidates, halvable, frozenset(joins), starts,
                  em, style, tuple(leaf[0] for leaf in leaves), tuple(texts))


def _halvable(text: str, style: Any) -> list[bool]:
    """Return, per character, whether its face and settings let it be set half-width."""
    if not attrs.active(style) or attrs.switch(style, "__booklet_punctuation") == "full-width":
        return [False] * len(text)
    marks = {c: breaks._halts(style, c) for c in set(text) & frozenset(linebreak.SQUEEZABLE)}
    return [marks.get(c, False) for c in text]


def _leaves(box: Any, leaves: list, pending: list[float]) -> bool:
    """Collect the in-flow text boxes with the inline decoration around each; False: give up.

    `pending` holds the decoration (start margin, border, padding) waiting for the next text
    and whether that text starts a footnote call.
    """
    for child in box.children:
        if not child.is_in_normal_flow():
            continue  # floats, footnote bodies, absolutely positioned boxes take no width
        if isinstance(child, boxes.TextBox):
            if child.text:
                leaves.append([child, pending[0], 0.0, pending[1]])
                pending[0], pending[1] = 0.0, False
        elif isinstance(child, boxes.InlineBox):
            start, end = _decoration(child)
            if start is None or end is None:
                return False
            pending[0] += start
            # A footnote call belongs to the text before it: no line starts with one.
            pending[1] = pending[1] or (child.element_tag or "").endswith("::footnote-call")
            if not _leaves(child, leaves, pending):
                return False
            if end:
                if not leaves:
                    return False
                leaves[-1][2] += end
        else:
            return False  # an image or inline block: its width is not known here
    return not (pending[0] and isinstance(box, boxes.LineBox))  # decoration, no text after


def _decoration(box: Any) -> tuple[float | None, float | None]:
    """Return the inline box's start and end margin + border + padding in px (None: unknown)."""
    style = box.style
    out = []
    for side in ("left", "right"):
        total = 0.0
        for name in (f"margin_{side}", f"padding_{side}"):
            value = style[name]
            if value == "auto":
                continue
            if getattr(value, "unit", "px") != "px" and getattr(value, "value", 0):
                return None, None  # a percentage: resolved against the block at layout
            total += float(getattr(value, "value", 0) or 0)
        if style[f"border_{side}_style"] not in ("none", "hidden"):
            total += float(style[f"border_{side}_width"] or 0)
        out.append(total)
    return out[0], out[1]


def _offset(model: _Model, box: Any, stack: Any) -> int | None:
    """Return the paragraph index at which a resume stack points (None: not in the model)."""
    while True:
        ((index, inner),) = stack.items()
        if isinstance(box, boxes.TextBox):
            start = model.starts.get(id(box))
            if start is None:
                return None
            return start + len(box.text.encode()[:index or 0].decode(errors="ignore"))
        children = box.children
        if index is None or index >= len(children):
            return len(model.text) if index is not None else None
        box = children[index]
        if inner is None:
            return _first_index(model, box)
        stack = inner


def _first_index(model: _Model, box: Any) -> int | None:
    """Return the paragraph index of the first character of `box` (the next text if empty)."""
    if isinstance(box, boxes.TextBox):
        return model.starts.get(id(box)) if box.text else None
    for child in getattr(box, "children", ()):
        found = _first_index(model, child)
        if found is not None:
            return found
    return None
