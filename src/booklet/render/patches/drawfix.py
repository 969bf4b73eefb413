"""Keep a justified text box's glyphs where the layout put them, despite PDF rounding.

WeasyPrint 70 (draw/text.py `draw_first_line`) writes each glyph's advance into the PDF as
the font's advance plus a TJ adjustment `int(kerning)` in thousandths of an em: the fraction
is truncated. A glyph widened by justification by 0.009 em is drawn 0.0004 em short on
average; over a text box of 30 glyphs the text ends up to 0.03 em before the next box, and
the gap before a link or an English run opens (0.51 em instead of 0.50). Here, before
WeasyPrint draws a justified box, each glyph's Pango width is set so that WeasyPrint's own
formula draws a whole number of thousandths that keeps the running sum of the drawn advances
within half a thousandth of the layout's (error diffusion); the box ends where the layout
says, and every glyph moves by less than 0.001 em.

Copy and search: readers measure a character's box as the font's advance (poppler's
pdftotext subtracts character spacing `Tc` from it, pdfium reads TJ numbers and Tc alike as
gaps), so a Han gap over 0.1 em (poppler) or 1/6 em (pdfium) reads as a space between every
two characters, whether written as TJ numbers or as Tc. So a box with a glyph (other than a
space) widened by more than `LIMIT` is drawn inside a marked-content span whose ActualText
is the box's text (`begin_actual_text`): readers take the text from there and the glyphs stay
where they are.

Relies on (pinned in guard.REVIEWED_SOURCES): `draw_first_line` computing
`kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size` and writing
`int(kerning)` after each glyph, with `logical_width` the font's rounded advance, and
`draw_text` drawing the whole line in one BT ... ET, so a span around it is well nested.
"""

from __future__ import annotations

import math
from typing import Any

# The widest gap, in thousandths of an em, that no reader takes for a space: poppler starts
# a new word at a gap over 100, pdfium inserts a space at one over 1/6 em before a Han
# character, about 0.1 em before a Latin letter or digit.
LIMIT = 80
_SPACES = (b" ", b"\xc2\xa0")  # a space ends a word in every reader: its width does not count


def keep_positions(stream: Any, textbox: Any, line: Any) -> bool:
    """Set the glyph widths of `line` so that the drawn advances add up to the layout's.

    Return True if a glyph other than a space is widened by more than `LIMIT` (see above).
    """
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    stride = ffi.sizeof("PangoGlyphInfo") // 4  # glyph, width, x and y offsets, attr
    target = drawn = 0.0  # thousandths of an em, from the box start
    wide: list[tuple[Any, int]] = []  # (Pango item, glyph index) widened past LIMIT
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        pango_font = item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if font.bitmap or font.svg or font.png or font.colr:
            return False  # emoji and bitmap fonts: positions are not plain advances
        if pango.pango_version() < 14802:
            font_size = textbox.style["font_size"]
        scale = 1000 * FROM_UNITS / font_size  # Pango units -> thousandths of an em
        count = item.glyphs.num_glyphs
        # The glyph infos as one flat, writable int array: far quicker than cffi fields.
        words = memoryview(ffi.buffer(item.glyphs.glyphs, count * stride * 4)).cast("i")
        widths = font.widths
        for k in range(0, count * stride, stride):
            glyph, units, x_offset = words[k], words[k + 1], words[k + 2]
            width = units * scale
            target += width
            if glyph == empty or glyph & unknown or x_offset:
                drawn += _drawn(font, pango_font, glyph, x_offset / font_size, width, stream,
                                font_size)
                continue
            logical = widths.get(glyph)
            if logical is None:
                logical = _logical(font, pango_font, glyph, stream, font_size)
            wanted = round(target - drawn)  # whole thousandths the glyph should advance
            if wanted - logical > LIMIT:
                wide.append((item, k // stride))
            truncated = logical - wanted  # int(kerning) must come out as this
            exact = wanted / scale
            # int() truncates towards zero: aim inside the interval that gives `truncated`.
            words[k + 1] = (math.floor(exact) if truncated > 0 else
                            math.ceil(exact) if truncated < 0 else round(exact))
            drawn += wanted
    return bool(wide) and _any_but_spaces(textbox, wide)


def _any_but_spaces(textbox: Any, glyphs: list[tuple[Any, int]]) -> bool:
    """Return True unless every one of the glyphs draws a space."""
    utf8 = textbox.pango_layout.text.encode()
    for item, i in glyphs:
        start = item.item.offset + item.glyphs.log_clusters[i]
        if utf8[start:start + 1] != _SPACES[0] and utf8[start:start + 2] != _SPACES[1]:
            return True
    return False


def begin_actual_text(stream: Any, text: str) -> None:
    """Begin a marked-content span whose text is `text` (end it with EMC)."""
    data = ("\ufeff" + text.replace("\u00a0", " ")).encode("utf-16-be").hex().upper()
    stream.stream.append(b"/Span <</ActualText <" + data.encode() + b">>> BDC")


def _logical(font: Any, pango_font: Any, glyph: int, stream: Any, font_size: float) -> int:
    """Return the glyph's advance in thousandths as WeasyPrint writes it (font.widths)."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    if glyph not in font.widths:
        pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect,
                                           stream.logical_rect)
        font.widths[glyph] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    return font.widths[glyph]


def _drawn(font: Any, pango_font: Any, glyph: int, offset: float, width: float, stream: Any,
           font_size: float) -> float:
    """Return how far WeasyPrint advances for a glyph this module leaves alone."""
    from weasyprint.text.ffi import pango

    if glyph == pango.PANGO_GLYPH_EMPTY:
        return width
    if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
        return width  # .notdef: WeasyPrint sets its width from Pango's
    logical = _logical(font, pango_font, glyph, stream, font_size)
    kerning = logical + offset - width
    return offset + logical - int(kerning)
