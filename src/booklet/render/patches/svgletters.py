"""Shape each distinct letter of a document's SVG text once, not once per occurrence.

WeasyPrint 70's SVG `text()` lays a text node out letter by letter: every letter gets its
own `split_first_line(letter, style, context, inf, 0)` (a new Pango layout, shaped, measured
and deactivated), and at drawing each layout is `reactivate`d (set up and shaped again) just
before `draw_first_line`. A chart repeats the same few digits and letters hundreds of times.
This wrapper of `text.line_break.split_first_line` (the name `text()` imports when it runs;
WeasyPrint's page layout imported its own binding at start and never sees it) returns, for a
text with an SVG node's style (a letter, or a node's whole text), the result of the first call
with the same text, font family list, style, weight, size, direction and font configuration
in this process. `text()` only keeps the layout until drawing, where it reactivates it (a
fresh Pango layout from the node's style and the text) right before the letter is drawn.
`Layout.reactivate` is wrapped too: a memoised layout already reactivated for the same key
is drawn again as it is, because WeasyPrint's `draw_first_line` only reads a layout without
ellipsis (it sets single-paragraph mode, a no-op for one letter). A letter with a no-break
space is always reactivated: `justify`'s draw patch sets the widths of its glyphs.

The memo outlives a document (watch and server rebuilds redraw the same charts) while the
font configuration's fonts stay the same: Fontconfig's set changes only when WeasyPrint's
`add_font_face` writes a new file into the configuration's font folder (`fontface.py` pins
that function), so the first SVG text of each document compares the folder's file count
with the memo's and starts the memo over if it differs.
"""

from __future__ import annotations

import os
from typing import Any

from booklet.render.patches.guard import PatchReviewError, require

# sha256[:16] of WeasyPrint 70's svg.text.text (the caller whose use of the layout this relies
# on: a fresh Style of INITIAL_VALUES plus the keys below, reactivate before each draw) and
# of text.line_break.split_first_line (the function memoised).
REVIEWED_TEXT = "67a30c3e181b4a80"
REVIEWED_SPLIT = "39ad1016863ca34d"
REVIEWED_REACTIVATE = "0b89ee097104b713"  # text.line_break.Layout.reactivate
# The style keys svg.text.text sets; every other key is INITIAL_VALUES.
_KEYS = ("font_style", "font_weight", "font_size", "direction")
_MAX_ENTRIES = 4096  # distinct letters x styles kept per document; past it the memo starts over
_memo: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
_fonts: list[Any] = [None, None]  # [the fonts the memo was made with, checked this document]
_stats = {"calls": 0, "shaped": 0, "reactivations": 0, "reused": 0}


class SvgLettersError(PatchReviewError):
    """WeasyPrint's SVG text() or split_first_line is not the code this patch was reviewed for."""


def reset(forget: bool = False) -> None:
    """Zero the counters and check the fonts again at the next SVG text; *forget*: the memo."""
    if forget:
        _memo.clear()
        _fonts[0] = None
    _fonts[1] = False
    for name in _stats:
        _stats[name] = 0


def _fonts_of(font_config: Any) -> tuple[int, int]:
    """Return what identifies the fonts of *font_config*: itself and its added font files."""
    folder = getattr(font_config, "_folder", None)
    return id(font_config), (len(os.listdir(folder)) if folder is not None else 0)


def stats() -> dict[str, int]:
    """Return how many SVG texts were asked for and shaped, reactivated and reused as they were."""
    return dict(_stats)


def install() -> None:
    """Wrap split_first_line and Layout.reactivate (idempotent); check the fonts again."""
    reset()
    import importlib

    from weasyprint.text import line_break

    # The module, not the function `weasyprint.svg` re-exports under the same name.
    svg_text = importlib.import_module("weasyprint.svg.text")

    original = line_break.split_first_line
    if getattr(original, "__booklet_svg__", False):
        return
    require(svg_text.text, REVIEWED_TEXT, "weasyprint.svg.text.text", "svgletters.py",
            SvgLettersError)
    require(original, REVIEWED_SPLIT, "weasyprint.text.line_break.split_first_line",
            "svgletters.py", SvgLettersError)
    original_reactivate = line_break.Layout.reactivate
    require(original_reactivate, REVIEWED_REACTIVATE,
            "weasyprint.text.line_break.Layout.reactivate", "svgletters.py", SvgLettersError)
    svg_style = svg_text.Style

    def key_of(text: str, style: Any, *args: Any) -> tuple[Any, ...]:
        """Return the memo key: the text and what svg.text.text sets in its style."""
        return (text, tuple(style["font_family"]), *(style[k] for k in _KEYS),
                id(style.font_config), *args)

    def split_first_line(text: str, style: Any, context: Any, max_width: Any,
                         justification_spacing: Any, is_line_start: bool = True,
                         minimum: bool = False) -> Any:
        """Return the memoised layout of an SVG letter; anything else goes to WeasyPrint."""
        if type(style) is not svg_style:
            return original(text, style, context, max_width, justification_spacing,
                            is_line_start, minimum)
        _stats["calls"] += 1
        font_config = style.font_config
        if not _fonts[1]:  # the document's first SVG text: its fonts are all added by now
            fonts = _fonts_of(font_config)
            if fonts != _fonts[0]:
                _memo.clear()
                _fonts[0] = fonts
            _fonts[1] = True
        key = key_of(text, style, max_width, justification_spacing, is_line_start, minimum)
        hit = _memo.get(key)
        if hit is not None and hit[0] is font_config:
            return hit[1]
        _stats["shaped"] += 1
        result = original(text, style, context, max_width, justification_spacing,
                          is_line_start, minimum)
        if len(_memo) >= _MAX_ENTRIES:
            _memo.clear()
        _memo[key] = (font_config, result)  # the config is held: its id stays its own
        result[0].booklet_svg_key = key[:-4]  # the text and style it was shaped for
        return result

    def reactivate(self: Any, style: Any) -> None:
        """Keep a memoised SVG layout that is active for the same text and style; else set up."""
        key = getattr(self, "booklet_svg_key", None)
        if key is not None and type(style) is svg_style:
            _stats["reactivations"] += 1
            if (getattr(self, "booklet_svg_ready", None) == key and hasattr(self, "layout")
                    and "\u00a0" not in self.text and key_of(self.text, style) == key):
                _stats["reused"] += 1
                return
            original_reactivate(self, style)
            self.booklet_svg_ready = key
            return
        original_reactivate(self, style)

    split_first_line.__booklet_svg__ = True  # type: ignore[attr-defined]
    split_first_line.__wrapped__ = original  # type: ignore[attr-defined]
    reactivate.__wrapped__ = original_reactivate  # type: ignore[attr-defined]
    line_break.split_first_line = split_first_line
    line_break.Layout.reactivate = reactivate


def uninstall() -> None:
    """Restore WeasyPrint's own split_first_line (for measurements and tests)."""
    from weasyprint.text import line_break

    current = line_break.split_first_line
    if getattr(current, "__booklet_svg__", False):
        line_break.split_first_line = current.__wrapped__
        line_break.Layout.reactivate = line_break.Layout.reactivate.__wrapped__
    reset(forget=True)
