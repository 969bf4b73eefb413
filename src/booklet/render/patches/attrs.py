"""Pango attributes that carry the line-break glue, punctuation compression and number spaces.

WeasyPrint lays out every text fragment with a Pango layout (text/line_break.py `Layout`);
after WeasyPrint sets a layout's text we add attributes computed from that text by
`rules`: `allow_breaks=false` over glued runs, the `halt` feature on the punctuation marks
to compress and letter-spacing that brings a digit-group no-break space to 1/4 em. Pango
then breaks and measures lines with them, so layout and drawing agree and the text itself
(hence the PDF text layer) is untouched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from booklet.compose.typography import rules
from booklet.render import fastffi

# Declarations WeasyPrint's own cdef lacks. WeasyPrint's FFI declares them when it is
# booklet's out-of-line one (render.fastffi); else an FFI of our own takes the types from
# WeasyPrint's, so that pointers pass between the two.
if fastffi.holds_extra(ffi):
    _ffi: Any = ffi
else:
    import cffi

    _ffi = cffi.FFI()
    _ffi.include(ffi)
    _ffi.cdef(fastffi.EXTRA_DECLARATIONS)
_pango: Any = None
_SPACE_FIX: dict[str, int] = {}
GROUP_GAP = 0.25  # em: GB/T 15835 千分空 = a quarter of a Han character
_HALT = b"halt 1"
_ACTIVE: dict[int, tuple[Any, bool]] = {}  # id(style) -> (style, active(style))
_ACTIVE_LIMIT = 1 << 16


def _lib() -> Any:
    """Open Pango through our FFI (the same shared object WeasyPrint loaded)."""
    global _pango
    if _pango is None:
        for name in ("libpango-1.0.so.0", "pango-1.0", "libpango-1.0-0", "libpango-1.0.dylib",
                     "libpango-1.0-0.dll"):
            try:
                _pango = _ffi.dlopen(name)
                break
            except OSError:
                continue
        else:  # pragma: no cover - WeasyPrint itself found Pango
            raise OSError("cannot open the Pango library WeasyPrint uses")
    return _pango


def active(style: Any) -> bool:
    """Return True when the rules apply to text of this style (Chinese, not switched off)."""
    # Asked for every text a layout takes and every line: remembered per style object (kept
    # alive with its answer, so that its id is not reused) until the next document.
    entry = _ACTIVE.get(id(style))
    if entry is not None and entry[0] is style:
        return entry[1]
    lang = style["lang"] or ""
    found = lang[:2].lower() == "zh" and switch(style, "__booklet_typography") != "off"
    if len(_ACTIVE) >= _ACTIVE_LIMIT:
        _ACTIVE.clear()
    _ACTIVE[id(style)] = (style, found)
    return found


def reset() -> None:
    """Forget the styles of the last document (install() calls this for every document)."""
    _ACTIVE.clear()


def switch(style: Any, name: str) -> str | None:
    """Return the keyword of a booklet CSS custom property (e.g. --booklet-typography)."""
    # Custom properties reach WeasyPrint's computed style as token tuples, inherited.
    tokens = style[name]
    return getattr(tokens[0], "value", None) if tokens else None


def byte_offsets(text: str, indices: list[int]) -> list[int]:
    """Convert sorted character indices of `text` into UTF-8 byte offsets in one pass."""
    out, last_i, last_b = [], 0, 0
    for i in indices:
        last_b += len(text[last_i:i].encode())
        last_i = i
        out.append(last_b)
    return out


def attributes(layout: Any, text: str) -> list[tuple[str, int, int, int]]:
    """Return (kind, start byte, end byte, value) of the attributes `text` needs in `layout`."""
    style = layout.style
    compress = switch(style, "__booklet_punctuation") != "full-width"
    found = _text_attributes(text, getattr(layout, "booklet_line_end", False), compress)
    if not found or found[-1][0] != "space":
        return list(found)
    fix = _space_fix(style)
    return [(kind, s, e, fix) for kind, s, e, _ in found if kind != "space" or fix]


@lru_cache(maxsize=2048)
def _text_attributes(text: str, line_end: bool, compress: bool
                     ) -> tuple[tuple[str, int, int, int], ...]:
    """Return the attributes of `text` in byte offsets (cached: layout and drawing repeat)."""
    found: list[tuple[str, int, int]] = [("glue", s, e) for s, e in rules.glue_spans(text)]
    if compress:
        found.extend(("halt", i, i + 1) for i in rules.halt_positions(text, line_end))
    if "\u00a0" in text:
        found.extend(("space", m.start(), m.end())
                     for m in rules.NBSP_IN_NUMBER.finditer(text))
    if not found:
        return ()
    points = sorted({p for _, s, e in found for p in (s, e)})
    to_byte = dict(zip(points, byte_offsets(text, points), strict=True))
    # Number spaces last: attributes() fills in their width fix, which depends on the font.
    found.sort(key=lambda f: f[0] == "space")
    return tuple((kind, to_byte[s], to_byte[e], 0) for kind, s, e in found)


def _space_fix(style: Any) -> int:
    """Return the letter-spacing (Pango units) that makes a no-break space 1/4 em wide."""
    key = repr((style["font_family"], style["font_weight"], style["font_style"],
                style["font_stretch"], style["font_size"], style["lang"]))
    if key not in _SPACE_FIX:
        probe = line_break.Layout(style)
        probe.set_text("\u00a0")  # no digits around it: no recursion into this function
        line, _ = probe.get_first_line()
        width, _ = line_break.line_size(line, style)
        fix = GROUP_GAP * style["font_size"] - width
        # Below 0.01 em (Noto Serif CJK's space is 0.256 em) the fix is not worth an attribute.
        _SPACE_FIX[key] = int(fix * TO_UNITS) if abs(fix) > 0.01 * style["font_size"] else 0
    return _SPACE_FIX[key]


def apply(layout: Any, text: str, extra: list[tuple] | None = None) -> None:
    """Add the rules' attributes for `text` to `layout` (called after WeasyPrint's set_text).

    `extra`: more (kind, start, end[, value]) attributes in character indices (a line
    plan's; "spacing" is letter-spacing of `value` Pango units).
    """
    found = attributes(layout, text)
    if extra:
        # A line plan's few ranges: each end's UTF-8 offset directly (called for every
        # planned line, so no sort or table of points).
        found = list(found)
        for item in extra:
            start, end = item[1], item[2]
            found.append((item[0], len(text[:start].encode()) if start else 0,
                          len(text[:end].encode()), item[3] if len(item) > 3 else 0))
    if not found:
        return
    lib = _lib()
    current = _get_attributes(layout.layout)
    attr_list = lib.pango_attr_list_copy(current) if current != ffi.NULL else _list_new()
    insert = _insert
    for kind, start, end, value in found:
        if kind == "glue":
            attr = lib.pango_attr_allow_breaks_new(False)
        elif kind == "halt":
            attr = _features_new(_HALT)
        else:
            attr = _spacing_new(value)
        attr.start_index = start
        attr.end_index = end
        insert(attr_list, attr)  # the list owns the attribute now
    _set_attributes(layout.layout, attr_list)
    _list_unref(attr_list)  # the layout holds its own reference
    layout.booklet_applied = True


# WeasyPrint's Pango functions, looked up once: apply() runs for every text a layout takes.
_get_attributes = pango.pango_layout_get_attributes
_set_attributes = pango.pango_layout_set_attributes
_list_new = pango.pango_attr_list_new
_list_unref = pango.pango_attr_list_unref
_insert = pango.pango_attr_list_insert
_features_new = pango.pango_attr_font_features_new
_spacing_new = pango.pango_attr_letter_spacing_new


def remember_base(layout: Any) -> None:
    """Keep the attribute list WeasyPrint's setup() made, to restore before each set_text."""
    base = pango.pango_layout_get_attributes(layout.layout)
    layout.booklet_base = (ffi.gc(_lib().pango_attr_list_ref(base), pango.pango_attr_list_unref)
                           if base != ffi.NULL else None)
    layout.booklet_applied = False


def restore_base(layout: Any) -> None:
    """Put back the setup() attribute list, dropping attributes added for an older text."""
    if getattr(layout, "booklet_applied", False):
        base = getattr(layout, "booklet_base", None)
        pango.pango_layout_set_attributes(layout.layout, base if base is not None else ffi.NULL)
        layout.booklet_applied = False


def can_break(text: str, lang: str | None, original: Any) -> bool:
    """Return WeasyPrint's can_break_text() answer with the glue rules applied too."""
    if not original(text, lang):
        return False
    if (lang or "")[:2].lower() != "zh" or len(text) < 2:
        return True
    log_attrs = line_break.get_log_attrs(text, lang)
    candidates = [i for i in range(1, len(text)) if log_attrs[i].is_line_break]
    return bool(rules.breaks_allowed(text, candidates))
