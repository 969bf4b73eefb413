"""Chinese typesetting rules as pure text functions: character classes, glue, compression, gaps.

Positions are character indices into the text; the WeasyPrint patches turn them into Pango
byte ranges. Sources: GB/T 15834-2011 §5.1, GB/T 15835-2011, W3C clreq (see the research note).
"""

from __future__ import annotations

import itertools
import re
from itertools import compress
from operator import add

# Closing marks and the full-width "dot" marks (，。、；：？！．): in Simplified Chinese the latter
# sit in the left half of their em box and compress like closing marks (css-text-4, SC table).
CLOSING = "，。、；：？！．）］｝〕〗】》〉」』”’"
OPENING = "（［｛〔〖【《〈「『“‘"
DASHES = "—⸺"  # "——" is two U+2014 (or one U+2E3A); never split, never at a line start
ELLIPSES = "…⋯"
POSTFIX = "%％‰℃°"
UNITS = "万亿年月日"
WHITE = " \t\n\r\f\u00a0\u202f\u2009\u200a\u2005"
# Characters that take no gap around them: format controls, soft hyphen, the sentinel used
# for atomic inline boxes (images) by the justification code.
INVISIBLE = "\x00\u00ad\u200b\u200c\u200d\u2060\ufeff"

# Wider than Han: every script set in em boxes, CJK punctuation, full-width forms, and the
# punctuation that Chinese fonts draw full-width (quotes, dash, ellipsis, middle dot).
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff“”‘’—…⸺⋯·]")

# Line-break glue that Pango's UAX #14 (lang zh) does not give; each match forbids breaks
# inside (start - 1, end + extra). Measured: Pango already keeps 。，、；：？！ and closing
# brackets/quotes off a line start, opening ones off a line end, "……" whole and off a line
# start (UAX #14 class IN), and digit runs whole (2023, 1.52, 3 600 with a no-break space,
# 40%, 1.45℃, 35 000+, COVID-19).
_GLUE = re.compile(
    r"(?<=\S)(?:"
    r"(?P<before>[·・‧～〜~])"  # interpunct, wave dash: not at a line start (GB 5.1.6-7)
    r"|(?P<dash>(?<![—⸺])[—⸺]+)"  # dash: not at a line start, pair never split (GB 5.1.4)
    rf"|(?P<unit>(?<=\d)[{UNITS}])"  # house rule: 3 600万, 2023年, 9月21日 stay together
    r"|(?P<slash>[/／](?=\S))"  # solidus neither starts nor ends a line (GB 5.1.9)
    r")")
# A name: capitalised words (or numbers) joined by single spaces ("Patrick MacLeod", "UN 2.0").
_NAME = re.compile(
    r"[A-ZÀ-ÞĀ-ɏ][A-Za-zÀ-ɏ0-9'’.\-]*(?:[ \u00a0][A-ZÀ-Þ0-9][A-Za-zÀ-ɏ0-9'’.\-]*)+")
# A name ("Patrick MacLeod", "António Guterres") stays on one line up to NAME_MAX characters;
# other English runs break at their spaces, and after the hyphen of a compound
# ("Secretary-|General"), like any English text: a long glued run would leave a wide gap.
# Pango keeps words and "COVID-19" (UAX #14: no break between a hyphen and digits) whole.
NAME_MAX = 16
# A transliterated name, its parts joined by the 间隔号 ("安东尼奥·古特雷斯"): never split.
_DOT_NAME = re.compile("[\u4e00-\u9fff]{1,4}(?:·[\u4e00-\u9fff]{1,4})+")

_HALT_PAIR = re.compile(f"[{CLOSING}](?=[{CLOSING}{OPENING}])|(?<=[{OPENING}])[{OPENING}]")
# Digit groups separated by one ASCII space ("35 000", "3 600", "1 234 567.89"): GB/T 15835
# 千分空. Years and other 4-digit runs without a space are left alone.
NUMBER_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d)")
# No-break space rather than U+202F: Noto Serif/Sans CJK SC and LXGW WenKai have no U+202F
# glyph and HarfBuzz would synthesise half a space (0.128 em); U+00A0 is 0.256 em in Noto
# Serif CJK (attrs.py trims other fonts to 1/4 em) and is mapped back to U+0020 in the PDF.
NUMBER_SPACE = "\u00a0"
NBSP_IN_NUMBER = re.compile(r"(?<=\d)\u00a0(?=\d)")


def glue_spans(text: str) -> list[tuple[int, int]]:
    """Return merged (start, end) ranges of `text` inside which no line may break."""
    spans = []
    for m in _GLUE.finditer(text):
        start, end = m.start() - 1, m.end()
        if m.lastgroup == "slash":
            end += 1
        spans.append((start, end))
    spans.extend(_latin_spans(text))
    if "·" in text:
        # Each part stays whole, and with the mark; the composer breaks after the mark only
        # when every other break leaves a gap wider than it allows (linebreak.NAME_BREAK).
        for m in _DOT_NAME.finditer(text):
            cuts = [m.start(), *(k + 1 for k in range(m.start(), m.end()) if text[k] == "·"),
                    m.end()]
            spans.extend(itertools.pairwise(cuts))
    return _merge(spans)


def _latin_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of short names (capitalised words)."""
    spans = []
    for m in _NAME.finditer(text):
        end = m.start() + len(m.group().rstrip("."))
        if end - m.start() <= NAME_MAX:
            spans.append((m.start(), end))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans; touching ones stay apart (a break is allowed between them)."""
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((max(start, 0), end))
    return merged


def breaks_allowed(text: str, breaks: list[int]) -> list[int]:
    """Return the break positions (index of the char after the break) not inside glue."""
    spans = glue_spans(text)
    return [b for b in breaks if not any(s < b < e for s, e in spans)]


def halt_positions(text: str, line_end: bool = False) -> list[int]:
    """Return the indices of punctuation marks to set half-width (OpenType `halt`).

    Of two adjacent full-width marks, a closing (or dot) mark loses its trailing half, and an
    opening mark after another opening mark loses its leading half (clreq, css-text-4
    collapsing rules); `line_end` also halves a closing mark ending the line (GB/T 15834
    5.1.10). Opening marks at a line start keep their full width (CSS text-spacing-trim normal).
    """
    found = [m.start() for m in _HALT_PAIR.finditer(text)]
    if line_end and text and text[-1] in CLOSING and (not found or found[-1] != len(text) - 1):
        found.append(len(text) - 1)
    return found


# Justification classes: C closing mark, O opening mark, Q no gap before (postfix unit, ASCII
# closer), A no gap after (ASCII opener), D dash, E ellipsis, H other CJK, W other western,
# S white space, I invisible.
_FIXED_CLASSES = {**dict.fromkeys(CLOSING, "C"), **dict.fromkeys(OPENING, "O"),
                  **dict.fromkeys(POSTFIX + ",.;:!?)]}", "Q"), **dict.fromkeys("([{", "A"),
                  **dict.fromkeys(DASHES, "D"), **dict.fromkeys(ELLIPSES, "E"),
                  **dict.fromkeys(WHITE, "S"), **dict.fromkeys(INVISIBLE, "I")}
# Inter-character justification (clreq; css-text-3 `inter-character`): a gap may open after
# anything but a space, an invisible or an opening mark, and before anything but a space, an
# invisible, a closing mark or a postfix; never between two marks (a compressed pair stays as
# set), inside "——"/"……", or between two western characters (a Latin word, a digit run).
_ALLOWED = frozenset(a + b for a in "CHDEWQ" for b in "OHDEWA") - {
    "CO", "DD", "EE", "WW", "WA", "QW", "QA"}
_SPACE = re.compile(r" |(?<!\d)\u00a0|\u00a0(?!\d)")  # not a digit-group space


# Class letters in one C-level pass: a translation table covering ASCII (so that no original
# letter is mistaken for a class letter), the fixed classes and the BMP's CJK blocks; what is
# left (Latin-1, astral Han) is sorted by a regex. Built on first use (~40 000 entries).
_TABLE: dict[int, str] = {}
_NOT_CLASS = re.compile("[^CODEQAHWSI]")
_CJK_RUN = re.compile(_CJK.pattern + "+")


def char_classes(text: str) -> str:
    """Return the justification class letter of each character of `text`."""
    if not _TABLE:
        _TABLE.update({c: "W" for c in range(128)})
        for low, high in ((0x2E80, 0x2FDF), (0x3000, 0x9FFF), (0xA000, 0xA4CF),
                          (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)):
            _TABLE.update(dict.fromkeys(range(low, high + 1), "H"))
        _TABLE.update({ord(c): "H" for c in "“”‘’—…⸺⋯·"})
        _TABLE.update({ord(c): cls for c, cls in _FIXED_CLASSES.items()})
    classes = text.translate(_TABLE)
    if classes.isascii():
        return classes
    return _NOT_CLASS.sub("W", _CJK_RUN.sub(lambda m: "H" * len(m.group()), classes))


def gap_after(a: str, b: str) -> bool:
    """Return True if justification may widen the boundary between characters a and b."""
    return char_classes(a + b) in _ALLOWED


def opportunities(text: str, inter_character: bool = True) -> list[int]:
    """Return the indices i of `text` after which justification may add space.

    Gaps between characters (see gap_after, unless `inter_character` is false) and the
    stretchable spaces themselves; never after the last character.
    """
    found = []
    if inter_character:
        # Each pair of neighbouring classes looked up in C (map), not a regex match a gap.
        classes = char_classes(text)
        found = list(compress(range(len(classes) - 1),
                              map(_ALLOWED.__contains__, map(add, classes, classes[1:]))))
    if " " in text or "\u00a0" in text:
        found.extend(m.start() for m in _SPACE.finditer(text, 0, len(text) - 1))
        found.sort()
    return found


# Between two Latin letters or digits; not around a hyphen or other punctuation (text
# extractors read a hyphen followed by a gap as a line-end hyphenation and drop it).
_LETTER_GAP = re.compile("(?<=[A-Za-z0-9\u00c0-\u024f])(?=[A-Za-z0-9\u00c0-\u024f])")


def letter_gaps(text: str) -> list[int]:
    """Return the indices i after which two Latin letters or digits touch (inside a word)."""
    return [m.start() - 1 for m in _LETTER_GAP.finditer(text)]


def group_numbers(text: str) -> str:
    """Replace the ASCII space between digit groups with a no-break space."""
    if " " not in text:
        return text
    return NUMBER_GROUPS.sub(lambda m: m.group().replace(" ", NUMBER_SPACE), text)
