"""Total-fit line breaking inside WeasyPrint 70: plan a text's lines, make Pango break there.

WeasyPrint lays a paragraph out line by line: `layout.inline.split_text_box` calls
`split_first_line(text, ...)` with the text still to set and the width left on the line, and
Pango breaks first-fit. Here `split_first_line` is wrapped: for Chinese text (justified, or
flush left, or in a measure under NARROW ems: planned ragged) that does not fit, the whole
remaining text is measured once with Pango (glyph advances, break opportunities with our
glue attributes), `compose.typography.linebreak.plan_lines()` chooses the lines, and the
first line's break and squeezed marks are handed to the Layout that WeasyPrint then creates
(`pending()`, read by `justify._setup`): its attributes forbid every other break and set the
squeezed marks half-width (`halt`; only marks the font really halves, see `_halts`). Pango
therefore returns exactly the planned line, measured as drawn, and page layout sees the real
line count. WeasyPrint is given the line and just enough of the following text to overflow
the measure (`_cut`), so it shapes one line's text instead of a draft of four.

The plans of the following lines are kept under the text that remains after each break, so
the next call (the next line, or the same line after a page break) finds its plan; a call
with another width (a float, a different first line) plans again from there. The first
writer of a plan wins and `reset()` runs before each document: the same input gives the
same lines, also when a process lays out a document twice.

Relies on (pinned in guard.REVIEWED_SOURCES): `split_text_box` passing the text still to set
and adding its `skip` to the resume index; `split_first_line` creating its layout from the
text it is given and returning Pango's first line when that line fits.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from booklet.compose.typography import linebreak, rules

from . import attrs

SPLIT = "weasyprint.layout.inline:split_first_line"
NARROW = 16.0  # ems: narrower measures are planned ragged (captions, cards: see justify)
_CACHE_LIMIT = 20000
_MARKS = frozenset(linebreak.SQUEEZABLE)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_ODD = re.compile(b"[" + b"".join(re.escape(bytes([b])) for b in range(1, 256, 2)) + b"]")


@dataclass(frozen=True, slots=True)
class Pending:
    """The plan of the line being split: the text, its break and the marks set half-width."""

    text: str
    end: int
    squeeze: tuple[int, ...]
    spacing: float = 0.0  # px letter-spacing of the line's characters (a shrunk line)


@dataclass(frozen=True, slots=True)
class _Measured:
    """A text's advances and break opportunities, as Pango lays it out in one line."""

    text: str
    advances: list[float]
    candidates: list[int]


_pending: Pending | None = None
_forced: linebreak.Line | None = None  # the paragraph plan's line in the box being split
_forced_width: float | None = None  # and the width Pango is given to split it
_original: Any = None
# (text, width, style key) -> the planned first line of that text; first writer wins, so
# that a build laid out twice in one process gets the same lines (see reset()).
_plans: dict[tuple[str, float, tuple], linebreak.Line | None] = {}
_measured: dict[tuple[str, tuple], tuple[_Measured, int]] = {}
_layouts: dict[tuple, Any] = {}
# id(style) -> (style, _style_key(style)): asked for every line; the style is kept alive with
# its key (so that its id is not reused) until the next document.
_keys: dict[int, tuple[Any, tuple]] = {}
_NO_PLAN = object()


def force(line: linebreak.Line | None, width: float | None = None) -> None:
    """Make the next split follow `line` (relative to the text split; None: plan as usual).

    `width`: the measure to give Pango and WeasyPrint instead of the box's (see paragraph).
    """
    global _forced, _forced_width
    _forced, _forced_width = line, width


def reset() -> None:
    """Forget every plan (at the start of a document's layout)."""
    _plans.clear()
    _measured.clear()
    _layouts.clear()
    _keys.clear()


def pending() -> Pending | None:
    """Return the plan of the line WeasyPrint is splitting, if any."""
    return _pending


def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                     justification_spacing: float, is_line_start: bool = True,
                     minimum: bool = False) -> Any:
    """Split the first line of `text` where the paragraph plan says (WeasyPrint's signature)."""
    global _pending
    line = None
    if _forced is not None and not minimum:
        line = (_forced if _forced.end < len(text) or _forced.squeeze or _forced.spacing
                else None)
        if line is not None and line.end >= len(text):  # the whole text, on this line
            line = linebreak.Line(0, len(text), line.squeeze, line.gap, spacing=line.spacing)
    elif not minimum and _plannable(text, style, max_width):
        line = _first_line(text, style, float(max_width),  # type: ignore[arg-type]
                           _indent(style) if is_line_start else 0.0)
    if line is None:
        return _original(text, style, context, max_width, justification_spacing,
                         is_line_start, minimum)
    # The line and one more character: Pango breaks there (a second line starts), and
    # WeasyPrint shapes one line's text instead of a draft of four. The resume index it
    # returns counts from the start of the text, so it holds for the whole text too.
    cut = text[:line.cut] if line.cut else text
    _pending = Pending(cut, line.end, line.squeeze, line.spacing * style["font_size"])
    if line is _forced and _forced_width is not None:
        max_width = _forced_width
    try:
        return _original(cut, style, context, max_width, justification_spacing,
                         is_line_start, minimum)
    finally:
        _pending = None


def _plannable(text: str, style: Any, max_width: float | None) -> bool:
    """Return whether the text is Chinese, justified or set flush left, in a wrapping measure."""
    if max_width is None or not 0 < max_width < 2 ** 21 or "\n" in text:
        return False
    size = style["font_size"]
    if not size or max_width < 4 * size:
        return False
    return (style["white_space"] == "normal"
            and style["text_align_all"] in ("justify", "start", "left") and attrs.active(style))


def ragged(style: Any, width: float) -> bool:
    """Return whether lines of this style and measure are planned ragged (not justified).

    Below NARROW ems (captions, cards) justification would open wide gaps: the lines are
    planned for even lengths and justified only when the gaps stay small (see justify).
    """
    return style["text_align_all"] != "justify" or width < NARROW * style["font_size"]


def _style_key(style: Any) -> tuple:
    """Return what a text's advances and breaks depend on besides the text."""
    entry = _keys.get(id(style))
    if entry is not None and entry[0] is style:
        return entry[1]
    if len(_keys) > _CACHE_LIMIT:
        _keys.clear()
    key = (style["font_family"], style["font_weight"], style["font_style"],
           style["font_stretch"], style["font_size"], style["lang"], style["letter_spacing"],
           style["word_spacing"], style["font_feature_settings"],
           style["font_variant_east_asian"], style["font_kerning"], style["text_align_all"],
           attrs.switch(style, "__booklet_punctuation"), attrs.switch(style, "__booklet_shrink"))
    _keys[id(style)] = (style, key)
    return key


def _indent(style: Any) -> float:
    """Return the text indent in px (a line start may be a paragraph's indented first line)."""
    indent = style["text_indent"]
    if getattr(indent, "unit", None) == "px" and indent.value > 0:
        return float(indent.value)
    return 0.0


def _first_line(text: str, style: Any, width: float, indent: float = 0.0
                ) -> linebreak.Line | None:
    """Return the planned first line of `text` at `width` (planning the rest on the way).

    The following lines are planned `indent` wider: a first line at a line start may be a
    paragraph's indented first line. If it is not, the next line is planned again.
    """
    key = _style_key(style)
    width = round(width, 3)
    planned = _plans.get((text, width, key), _NO_PLAN)  # one lookup: asked for every line
    if planned is not _NO_PLAN:
        return planned  # type: ignore[return-value]
    if len(text) * style["font_size"] <= width:
        return None  # fits: no character is wider than an em (a two-em dash is two)
    if len(_plans) > _CACHE_LIMIT:
        reset()
    found = _measured.get((text, key))
    if found is None:
        found = (_measure(text, style), 0)
        _measured[text, key] = found
    measured, offset = found
    advances = measured.advances[offset:]
    if sum(advances) <= width:
        _plans[text, width, key] = None
        return None
    candidates = [c - offset for c in measured.candidates if c > offset]
    rest_width = round(width + indent, 3)
    compress = frozenset()
    if attrs.switch(style, "__booklet_punctuation") != "full-width":
        compress = frozenset(c for c in set(text) & _MARKS if _halts(style, c))
    lines = linebreak.plan_lines(text, advances, style["font_size"], candidates, width,
                                 rest_width, compress=compress, ragged=ragged(style, width),
                                 close_up=attrs.switch(style, "__booklet_shrink") == "on")
    if not lines:
        _plans[text, width, key] = None
        return None
    for k, line in enumerate(lines):
        rest = text[line.start:]
        cut = _cut(text, advances, line, width if k == 0 else rest_width, style["font_size"])
        relative = linebreak.Line(0, line.end - line.start,
                                  tuple(i - line.start for i in line.squeeze), line.gap,
                                  cut - line.start if cut else 0, line.spacing)
        _plans.setdefault((rest, width if k == 0 else rest_width, key), relative)
        _measured.setdefault((rest, key), (measured, offset + line.start))
    return _plans[text, width, key]


def _halts(style: Any, mark: str) -> bool:
    """Return whether the font drawing `mark` sets it half-width with `halt` (Kai may not)."""
    from weasyprint.text.line_break import Layout, line_size

    key = ("halt", mark, *_style_key(style))
    if key not in _layouts:

        def width(text: str, line_end: bool) -> float:
            probe = Layout(style)
            probe.booklet_line_end = line_end  # attrs halves a closing mark ending a line
            probe.set_text(text)
            return line_size(probe.get_first_line()[0], style)[0]

        # After a Han character: alone, a mark is shaped as Western (proportional) text.
        quarter = 0.25 * style["font_size"]
        if mark in rules.OPENING:  # of two opening marks attrs halves the second
            halved = width(f"中{mark}{mark}", False) < 3 * width("中", False) - quarter
        else:
            halved = width(f"中{mark}", True) < width(f"中{mark}", False) - quarter
        _layouts[key] = halved
    return bool(_layouts[key])


def _cut(text: str, advances: list[float], line: linebreak.Line, measure: float,
         em: float) -> int:
    """Return where to cut the text so that Pango must break, and only at the line's end.

    The text laid out is the line and enough of what follows to overflow the measure (even
    with the line's marks squeezed); no break is allowed after the line's end, so Pango
    breaks there. The text to the end of the paragraph is not shaped for every line.
    """
    width = sum(advances[line.start:line.end]) - 0.5 * em * len(line.squeeze)
    end, n = line.end, len(text)
    # At least one character more: a shrunk line is wider than the measure by itself.
    while end < n and (width <= measure + 0.1 * em or end == line.end):
        width += advances[end]
        end += 1
    # Cut between two Han characters only: the glue rules read the text around a cut (a
    # name, a number and its unit), and must see there what they see in the whole text.
    while end < n and not (_HAN.match(text[end - 1]) and _HAN.match(text[end])):
        end += 1
    return end if end < n and width > measure + 0.1 * em else 0  # 0: the whole text


def _measure(text: str, style: Any) -> _Measured:
    """Lay `text` out in one line with Pango; return per-character advances and breaks."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.line_break import Layout

    key = _style_key(style)
    layout = _layouts.get(key)
    if layout is None:  # one Pango layout a style: setting one up costs more than a text
        layout = _layouts[key] = Layout(style)
    layout.set_text(text)  # through justify._set_text: glue and pair compression apply
    # Per-character advances from each run's glyphs, in C (a cluster's width is shared out
    # between its characters, as Pango does for cursor positions).
    lib = attrs._lib()
    utf8 = ffi.new("char[]", text.encode())
    advances: list[float] = []
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        count = item.item.num_chars
        widths = ffi.new("int[]", count)
        lib.pango_glyph_string_get_logical_widths(item.glyphs, utf8 + item.item.offset,
                                                  item.item.length, item.item.analysis.level,
                                                  widths)
        advances.extend(map(FROM_UNITS.__mul__, ffi.unpack(widths, count)))
        run = run.next
    if len(advances) != len(text):  # pragma: no cover - a text Pango did not set in one line
        advances = (advances + [0.0] * len(text))[:len(text)]
    n_attrs = ffi.new("int *")
    log_attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, n_attrs)
    size = ffi.sizeof("PangoLogAttr")
    end = min(len(text), n_attrs[0])
    if size == 4 and sys.byteorder == "little":
        # One 32-bit word of bit fields a character, is_line_break the lowest bit: the words'
        # first bytes, searched for odd values in C.
        low = bytes(ffi.buffer(log_attrs, end * 4))[::4]
        candidates = [m.start() for m in _ODD.finditer(low, 1)]
    else:  # pragma: no cover - another ABI
        candidates = [i for i in range(1, end) if log_attrs[i].is_line_break]
    # Not after the hyphen of "Secretary-General": pdftotext and pdfium take a hyphen ending
    # a line for a hyphenation and drop it from the text.
    if "-" in text:
        candidates = [i for i in candidates if text[i - 1] != "-"]
    return _Measured(text, advances, candidates)
