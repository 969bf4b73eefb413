"""Inter-character justification for Chinese in WeasyPrint 70, and install() for every patch.

WeasyPrint 70 justifies by stretching spaces only (layout/inline.py `justify_line`), so
Chinese lines stay ragged. Here `justify_line` is replaced: it finds the justification
opportunities of the whole line (between Han characters, at Han/Latin boundaries, at
spaces; never inside a Latin word, a digit run, "——" or "……", before a closing mark or
after an opening one), shares the spare width equally between them, widens the boxes and
records the opportunities on each TextBox. When the box is drawn, the extra advance is
added to the glyph of the character before each opportunity in Pango's shaped line, so
the PDF shows the spacing as positioning and its text layer stays the source text.

`install()` also wires in `attrs` (line-break glue, punctuation compression, number
spaces). It refuses to patch a WeasyPrint whose version or patched functions differ from
the ones reviewed (see `guard`): the patches depend on their exact behaviour.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import TO_UNITS

from booklet.compose.typography import rules

from . import attrs, breaks, drawfix, guard, paragraph, shares
from .guard import SUPPORTED_WEASYPRINT, TypographyInstallError

__all__ = ["SUPPORTED_WEASYPRINT", "TypographyInstallError", "install", "installed", "uninstall"]

_originals: dict[str, Any] = {}


JUSTIFY_LINE = "weasyprint.layout.inline:justify_line"
TEXT_ALIGN = "weasyprint.layout.inline:text_align"
CAN_BREAK = "weasyprint.layout.inline:can_break_text"
SETUP = "weasyprint.text.line_break:Layout.setup"
SET_TEXT = "weasyprint.text.line_break:Layout.set_text"
METRICS = "weasyprint.text.line_break:first_line_metrics"
DRAW = "weasyprint.draw.text:draw_first_line"


def install() -> None:
    """Patch WeasyPrint for Chinese typography (idempotent; call before HTML.render())."""
    breaks.reset()  # every document plans afresh: the same input gives the same lines
    paragraph.reset()
    attrs.reset()
    if _originals:
        return
    guard.check_weasyprint()
    patches = {JUSTIFY_LINE: _justify_line, TEXT_ALIGN: _text_align, CAN_BREAK: _can_break_text,
               SETUP: _setup, SET_TEXT: _set_text, METRICS: _first_line_metrics,
               DRAW: _draw_first_line, breaks.SPLIT: breaks.split_first_line,
               paragraph.SPLIT_INLINE: paragraph.split_inline_box,
               paragraph.SPLIT_TEXT: paragraph.split_text_box}
    for path, replacement in patches.items():
        owner, name = guard.resolve(path)
        _originals[path] = replacement.__wrapped__ = getattr(owner, name)  # type: ignore[attr-defined]
        setattr(owner, name, replacement)
    breaks._original = _originals[breaks.SPLIT]
    for path in (paragraph.SPLIT_INLINE, paragraph.SPLIT_TEXT):
        paragraph._originals[path] = _originals[path]


def uninstall() -> None:
    """Restore WeasyPrint's own functions (for measurements and tests)."""
    for path, original in _originals.items():
        owner, name = guard.resolve(path)
        replacement = getattr(owner, name)
        setattr(owner, name, original)
        if getattr(replacement, "__wrapped__", None) is original:
            del replacement.__wrapped__
    _originals.clear()


def installed() -> bool:
    """Return True while the patches are in place."""
    return bool(_originals)


# --- Layout-time patches -------------------------------------------------------------------

def _setup(self: Any, style: Any) -> None:
    """Run WeasyPrint's Layout.setup() and remember its attribute list."""
    _originals[SETUP](self, style)
    attrs.remember_base(self)
    # A layout made while WeasyPrint splits a planned line carries that line's plan, also
    # when it is re-set for drawing (reactivate) or cut to the line (first_line_metrics).
    if not hasattr(self, "booklet_plan"):  # reactivate() calls setup() again: keep it
        self.booklet_plan = breaks.pending()


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """Run WeasyPrint's Layout.set_text(), then add the Chinese rules' Pango attributes."""
    attrs.restore_base(self)
    _originals[SET_TEXT](self, text, justify)
    if self.text and attrs.active(self.style):
        attrs.apply(self, self.text, _plan_attributes(self, self.text))


def _plan_attributes(layout: Any, text: str) -> list[tuple[str, int, int]]:
    """Return the attributes (character ranges) that make Pango break where planned."""
    plan = getattr(layout, "booklet_plan", None)
    if plan is None or not plan.text.startswith(text):
        return []
    found = [("glue", 0, min(plan.end, len(text)))]
    if len(text) > plan.end:
        found.append(("glue", plan.end, len(text)))
    found.extend(("halt", k, k + 1) for k in plan.squeeze if k < len(text))
    if plan.spacing < 0:  # a shrunk line: negative letter-spacing, rounded to close enough
        found.append(("spacing", 0, min(plan.end, len(text)),
                      math.floor(plan.spacing * TO_UNITS)))
    return found


def _first_line_metrics(first_line: Any, text: str, layout: Any, resume_at: Any,
                        space_collapse: bool, style: Any, hyphenated: bool = False,
                        hyphenation_character: str | None = None) -> Any:
    """Mark a layout cut before a line break, then run WeasyPrint's first_line_metrics()."""
    # WeasyPrint re-sets the layout's text to the line alone when the text breaks after it;
    # mark the layout so that a closing mark ending the line is set half-width (GB 5.1.10).
    if resume_at and not hyphenated:
        layout.booklet_line_end = True
    return _originals[METRICS](
        first_line, text, layout, resume_at, space_collapse, style, hyphenated,
        hyphenation_character)


def _can_break_text(text: str, lang: str | None) -> bool:
    """Return whether `text` may break inside, with the glue rules applied."""
    # Break opportunities between two inline boxes (a span boundary) obey the glue too.
    return attrs.can_break(text, lang, _originals[CAN_BREAK])


def _text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """Drop Han/Latin gaps at the line's edges, then align (and justify) as WeasyPrint does."""
    if attrs.switch(line.style, "__booklet_autospace") == "on":
        _trim_autospace(line)
    align = line.style["text_align_all"]
    if last and line.style["text_align_last"] != "auto":
        align = line.style["text_align_last"]
    if align != "justify" and attrs.active(line.style):  # justified lines trim in _justify_line
        leaves: list[Any] = []
        _collect_leaves(line, leaves, boxes)
        trims = shares.call_trims(leaves)  # a mark before a call or a mark: half width
        if trims:
            _spread(line, {id(leaf): ([len(leaf.text) - 1], [-amount]) for leaf, amount in trims},
                    0.0, boxes)
    return _originals[TEXT_ALIGN](context, line, available_width, last)


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Share `extra_width` between the line's inter-character and space opportunities."""
    if line.style["direction"] == "rtl":
        _originals[JUSTIFY_LINE](context, line, extra_width)
        return
    leaves: list[Any] = []
    _collect_leaves(line, leaves, boxes)
    if not leaves:
        return
    # Atomic boxes (images) become U+0000, a character that takes no gap.
    texts = [leaf.text if leaf is not None else "\x00" for leaf in leaves]
    text = "".join(texts)
    # Outside Chinese text only the spaces stretch, as in WeasyPrint (an English "word—word"
    # keeps its dash tight).
    found = rules.opportunities(text, inter_character=_is_chinese(line.style["lang"]))
    letter = 0.0
    if found and _is_chinese(line.style["lang"]) and all(text[i] in rules.WHITE for i in found):
        found = shares.with_letter_gaps(found, text, extra_width, line.style["font_size"])
    elif found and _is_chinese(line.style["lang"]):  # a loose mixed line: letters help a little
        found, letter = shares.with_loose_letters(found, text, extra_width,
                                                  line.style["font_size"])
    per_leaf: dict[int, tuple[list[int], list[float]]] = {}
    if found:
        trims = shares.call_trims(leaves)
        trim = _end_mark_trim(leaves[-1])
        starts = list(accumulate((len(t) for t in texts[:-1]), initial=0))
        amounts = shares.share(extra_width + trim + sum(t for _, t in trims), found, text, leaves,
                               starts, letter)
        if _too_loose(line, extra_width, found, text, amounts):
            _spread(line, {}, 0.0, boxes)  # a narrow measure is set ragged instead
            return
        if len(leaves) == 1:
            per_leaf[id(leaves[0])] = (found, amounts)
        else:
            for k, leaf in enumerate(leaves):
                lo = bisect_left(found, starts[k])
                hi = bisect_left(found, starts[k + 1]) if k + 1 < len(starts) else len(found)
                if hi > lo and leaf is not None:
                    per_leaf[id(leaf)] = ([i - starts[k] for i in found[lo:hi]], amounts[lo:hi])
        for leaf, amount in [*trims, *([(leaves[-1], trim)] if trim else [])]:
            local, given = per_leaf.setdefault(id(leaf), ([], []))
            local.append(len(leaf.text) - 1)
            given.append(-amount)
    _spread(line, per_leaf, 0.0, boxes)


NARROW_GAP = 0.1  # em: a narrow measure is justified only if no gap opens wider


def _too_loose(line: Any, extra: float, found: list[int], text: str,
               amounts: list[float]) -> bool:
    """Return whether a line of a narrow measure (captions, cards) would open wide gaps."""
    size = line.style["font_size"]
    if line.width + extra >= breaks.NARROW * size or not _is_chinese(line.style["lang"]):
        return False
    return any(a > NARROW_GAP * size for i, a in zip(found, amounts, strict=True)
               if text[i] not in rules.WHITE)


def _end_mark_trim(leaf: Any) -> float:
    """Return the half em to take off a full-width closing mark ending a justified line.

    Pango already set it half-width (GB/T 15834 5.1.10) when the line broke inside this
    text box; a line ending at an element boundary is caught here and trimmed when drawn.
    """
    if leaf is None or not leaf.text or leaf.text[-1] not in rules.CLOSING:
        return 0.0
    if getattr(leaf.pango_layout, "booklet_line_end", False) or not attrs.active(leaf.style):
        return 0.0
    if attrs.switch(leaf.style, "__booklet_punctuation") == "full-width":
        return 0.0
    return 0.5 * leaf.style["font_size"]


def _is_chinese(lang: str | None) -> bool:
    """Return True for a Chinese language tag (zh, zh-CN, zh-Hans, ...)."""
    return (lang or "")[:2].lower() == "zh"


def _collect_leaves(box: Any, leaves: list[Any], boxes: Any) -> None:
    """Append the line's in-flow text boxes in order, None for each atomic box."""
    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            leaves.append(child)
        elif isinstance(child, boxes.InlineBox):
            _collect_leaves(child, leaves, boxes)
        else:
            leaves.append(None)


def _spread(box: Any, per_leaf: dict[int, tuple[list[int], list[float]]], x_advance: float,
            boxes: Any) -> float:
    """Widen and shift the boxes of a line like WeasyPrint's add_word_spacing()."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        box.booklet_gaps = gaps = per_leaf.get(id(box))  # None clears an older line's gaps
        if gaps:
            added = sum(gaps[1])
            box.justification_spacing = 0  # WeasyPrint's own space stretching stays off
            box.width += added
            x_advance += added
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(child, per_leaf, x_advance, boxes)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def _trim_autospace(line: Any) -> None:
    """Drop the Han/Latin gap (autospace span margin) at the start and end of a line."""
    path = _edge_path(line, boxes, first=True)
    if path and path[-1].margin_left:
        gap = path[-1].margin_left
        path[-1].margin_left = 0
        for child in line.children:
            child.translate(-gap, 0)
        for box in path:
            box.position_x += gap  # the span itself starts at the line start
        for box in path[:-1]:
            box.width -= gap
        line.width -= gap
    path = _edge_path(line, boxes, first=False)
    if path and path[-1].margin_right:
        gap = path[-1].margin_right
        path[-1].margin_right = 0
        for box in path[:-1]:
            box.width -= gap
        line.width -= gap


def _edge_path(line: Any, boxes: Any, first: bool) -> list[Any]:
    """Return the inline boxes from the line down to an autospace span at its edge."""
    path: list[Any] = []
    box = line
    while True:
        children = [c for c in box.children if c.is_in_normal_flow()]
        if not children or not isinstance(children[0 if first else -1], boxes.InlineBox):
            return []
        box = children[0 if first else -1]
        path.append(box)
        element = box.element
        if element is not None and "booklet-autospace" in (element.get("class") or ""):
            return path


# --- Draw-time patch -----------------------------------------------------------------------

def _draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str,
                     matrix: Any) -> Any:
    """Adjust the shaped glyphs of a text box, then draw it with WeasyPrint."""
    gaps = getattr(textbox, "booklet_gaps", None)
    if gaps and (text_overflow == "ellipsis" or block_ellipsis != "none"):
        gaps = None  # an ellipsis re-sets the text: leave the line as WeasyPrint draws it
    wide = bool(gaps or "\u00a0" in textbox.text) and _prepare_glyphs(stream, textbox, gaps)
    if not wide:
        return _originals[DRAW](stream, textbox, text_overflow, block_ellipsis, matrix)
    drawfix.begin_actual_text(stream, textbox.text)  # wide gaps: copy and search the source
    emojis = _originals[DRAW](stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.end_marked_content()
    return emojis


def _prepare_glyphs(stream: Any, textbox: Any, gaps: tuple[list[int], list[float]] | None
                    ) -> bool:
    """Widen the glyphs before justification gaps; map digit-group spaces to U+0020.

    Return True if a gap is wide enough to need the box's text as ActualText (`drawfix`).
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    layout = textbox.pango_layout
    # draw_first_line() sets single-paragraph mode first; doing it here instead keeps Pango
    # from re-laying out (and dropping our edit) when draw_first_line asks again.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _ = layout.get_first_line()
    starts: list[int] = []  # cluster start (byte) of every glyph of the line, in order
    runs: list[tuple[Any, Any]] = []  # (glyph array, font) of each run
    firsts: list[int] = []  # index in `starts` of each run's first glyph
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        string, offset = item.glyphs, item.item.offset
        firsts.append(len(starts))
        runs.append((string.glyphs, item.item.analysis.font))
        starts.extend([offset + c for c in ffi.unpack(string.log_clusters, string.num_glyphs)])
        run = run.next
    if not starts:
        return False

    def glyph(byte: int) -> tuple[Any, int, Any]:
        # The glyph of a character is the last one whose cluster starts at or before it.
        k = max(bisect_right(starts, byte) - 1, 0)
        r = bisect_right(firsts, k) - 1
        return runs[r][0], k - firsts[r], runs[r][1]

    utf8 = layout.text.encode()
    nbsp = utf8.find(b"\xc2\xa0")
    while nbsp != -1:
        # The no-break space shares the space glyph; WeasyPrint maps a glyph to the first
        # character drawn with it, so claim U+0020: the text layer then reads "35 000"
        # exactly as the source, and word spaces stay plain spaces.
        array, j, pango_font = glyph(nbsp)
        font, _ = stream.add_font(pango_font)
        if font.to_unicode.get(array[j].glyph) in (None, "\u00a0"):
            font.to_unicode[array[j].glyph] = " "
        nbsp = utf8.find(b"\xc2\xa0", nbsp + 2)
    if not gaps:
        return False
    wanted = done = 0.0
    local, amounts = gaps
    single = runs[0][0] if len(runs) == 1 else None  # the usual case: one font, one run
    for byte, amount in zip(attrs.byte_offsets(layout.text, local), amounts, strict=True):
        wanted += amount * TO_UNITS
        add = round(wanted - done)  # round the running total: the line still ends flush
        done += add
        if single is not None:
            single[max(bisect_right(starts, byte) - 1, 0)].geometry.width += add
        else:
            array, j, _ = glyph(byte)
            array[j].geometry.width += add
    return drawfix.keep_positions(stream, textbox, line)  # WeasyPrint truncates thousandths
