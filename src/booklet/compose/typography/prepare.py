"""The HTML side of the typography layer: options, text preparation and the stylesheet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import rules
from .language import LANG_CLASS, mark_english

Punctuation = Literal["compressed", "full-width"]


@dataclass(frozen=True, slots=True)
class TypographyOptions:
    """Switches of the Chinese typography layer; the defaults follow GB/T 15834 and clreq."""

    # A 1/4 em gap between Han characters and Latin letters/digits, made by layout (span
    # margins, dropped at line edges), never by inserting characters. Off by default: the UN
    # source text sets no gap (clreq policy A).
    cjk_latin_spacing: bool = False
    # "compressed": of two adjacent full-width marks one is set half-width (OpenType `halt`)
    # and a closing mark ending a line takes half width (GB/T 15834 5.1.10).
    # "full-width": every mark keeps its full em.
    punctuation: Punctuation = "compressed"
    # The Kai face of quotes and captions (booklet.yaml fonts.quote): its quotation marks and
    # 间隔号 come from a CJK face instead (full-width “ ” ‘ ’; · as wide as in the body).
    quote_font: str | None = None
    # Han glue shrinks a little: a justified line may close its inter-character gaps by up
    # to linebreak.HAN_SHRINK em rather than open them loose (clreq: Han glue stretches, and
    # shrinks a little). False: no line is set tighter than natural.
    han_shrink: bool = True

    def __post_init__(self) -> None:
        """Reject an unknown punctuation style with the accepted values."""
        if self.punctuation not in ("compressed", "full-width"):
            raise ValueError("typography punctuation must be 'compressed' or 'full-width', "
                             f"not {self.punctuation!r}")


# Markup tokens; text nodes are what lies between them. Autoescaped HTML has no raw "<" in
# text, so a tag always starts at "<".
_TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?/]?[A-Za-z][^>]*>|<![^>]*>", re.S)
_START_TAG = re.compile(r"<([A-Za-z][\w:-]*)([^>]*)>")
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_RAW = {"script", "style", "textarea", "title", "pre", "code", "svg", "math"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
ESCAPE_CLASS = "no-typo"
AUTOSPACE_CLASS = "booklet-autospace"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# A run of Latin letters/digits, possibly with inner spaces and marks ("COVID-19",
# "3 600", "UN 2.0"); "&" is left out so that a run never cuts a character reference.
_WESTERN = re.compile(
    r"[A-Za-z0-9À-ɏ](?:[A-Za-z0-9À-ɏ .,:%+\-/'’\u00a0]*[A-Za-z0-9À-ɏ%+])?")
_IS_HAN = re.compile(f"[{_HAN}]")


def prepare_html(html: str, options: TypographyOptions) -> str:
    """Rewrite the text nodes of `html` for Chinese typesetting (idempotent).

    Digit groups ("35 000") get a no-break space; with `cjk_latin_spacing`, Latin/digit
    runs next to Han characters are wrapped in autospace spans. <style>, <script>, <pre>,
    <code>, <title>, attribute values and elements of class "no-typo" are left alone.
    """
    out: list[str] = []
    skip: list[str] = []  # open elements whose content is left alone (innermost last)
    pos = 0
    for token in _TOKEN.finditer(html):
        text = html[pos:token.start()]
        out.append(_text(text, options) if text and not skip else text)
        tag = token.group()
        out.append(tag)
        pos = token.end()
        if tag.startswith("</"):
            name = tag[2:-1].strip().lower()
            if skip and skip[-1] == name:
                skip.pop()
        elif (start := _START_TAG.match(tag)) and not tag.endswith("/>"):
            name = start.group(1).lower()
            if name in _VOID:
                continue
            if skip:
                if name == skip[-1]:
                    skip.append(name)  # nested element of the same name inside a skipped one
            elif name in _RAW or _has_class(start.group(2), ESCAPE_CLASS) or \
                    _has_class(start.group(2), LANG_CLASS):  # marked already: idempotent
                skip.append(name)
    tail = html[pos:]
    out.append(_text(tail, options) if tail and not skip else tail)
    return "".join(out)


def _has_class(attributes: str, name: str) -> bool:
    """Return True if a start tag's attribute text has `name` among its classes."""
    match = _CLASS.search(attributes)
    if not match:
        return False
    value = next(g for g in match.groups() if g is not None)
    return name in value.split()


def _text(text: str, options: TypographyOptions) -> str:
    """Prepare one text node (already HTML-escaped)."""
    text = rules.group_numbers(text)
    if options.cjk_latin_spacing and _IS_HAN.search(text):
        text = _autospace(text)
    return mark_english(text)


def _autospace(text: str) -> str:
    """Wrap Latin/digit runs touching a Han character in autospace spans."""
    out, pos = [], 0
    for m in _WESTERN.finditer(text):
        start, end = m.span()
        before = start > 0 and _IS_HAN.match(text[start - 1]) is not None
        after = end < len(text) and _IS_HAN.match(text[end]) is not None
        if not (before or after):
            continue
        classes = [AUTOSPACE_CLASS]
        if before:
            classes.append(f"{AUTOSPACE_CLASS}-start")
        if after:
            classes.append(f"{AUTOSPACE_CLASS}-end")
        out.append(text[pos:start])
        out.append(f'<span class="{" ".join(classes)}">{m.group()}</span>')
        pos = end
    out.append(text[pos:])
    return "".join(out)


MARKS_FACE = "booklet quote marks"
MARKS_RANGE = "U+00B7, U+2018-2019, U+201C-201D"
# PostScript names (what WeasyPrint's local() matches) of the CJK faces lending the marks,
# and their families (render/layout.py lets WeasyPrint read these font files).
MARKS_SOURCES = ("NotoSerifCJKsc-Regular", "NotoSansCJKsc-Regular")
MARKS_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def stylesheet(options: TypographyOptions) -> str:
    """Return the CSS the typography layer needs, to add after the booklet's stylesheets."""
    css = [
        "/* booklet typography layer: read by the WeasyPrint patches (booklet.render.patches). */",
        f"html {{ --booklet-punctuation: {options.punctuation}; "
        f"--booklet-shrink: {'on' if options.han_shrink else 'off'}; }}",
        f".{ESCAPE_CLASS} {{ --booklet-typography: off; }}",
    ]
    if options.quote_font:
        # LXGW WenKai draws “ ” ‘ ’ and · as narrow Western glyphs (0.35 em); Chinese quotes
        # are full-width. A face limited to those characters, put before the Kai face.
        family = options.quote_font.replace("\\", "").replace('"', "")
        css += [
            f'@font-face {{ font-family: "{MARKS_FACE}"; unicode-range: {MARKS_RANGE}; '
            f'src: {", ".join(f"local({name!r})" for name in MARKS_SOURCES)}; }}',
            f':root {{ --font-quote: "{MARKS_FACE}", "{family}"; }}',
        ]
    if options.cjk_latin_spacing:
        css += [
            "/* Han/Latin gap: 1/4 em (clreq); dropped at line edges by the justification. */",
            "html { --booklet-autospace: on; }",
            f".{AUTOSPACE_CLASS}-start {{ margin-left: 0.25em; }}",
            f".{AUTOSPACE_CLASS}-end {{ margin-right: 0.25em; }}",
        ]
    return "\n".join(css) + "\n"
