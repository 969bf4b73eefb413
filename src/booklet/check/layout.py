"""Layout checks read from WeasyPrint's laid-out boxes, before any PDF is written.

The boxes know what the PDF has lost: which paragraph a line belongs to, whether it is the
paragraph's last line, the column it was set in, the page's margins and the image file
behind a picture. Every finding carries the page number and, when the text can be found
in the sources, the chapter file and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.check.rows import PX_PT, PageFrame, Row, frame_of, page_rows, where_of

PX_MM = 25.4 / 96  # CSS px to mm
SAFE_PX = 5 / PX_MM  # no text within 5 mm of the trim: the print shop's safe zone
TOLERANCE = 1.0  # px: sub-point rounding of the layout engine is not a fault
FLUSH = 0.6 / PX_PT  # px: a justified line ends within 0.6 pt of the measure (pdfcheck's bar)
NARROW = 16  # ems: narrower justified measures may be set ragged (render/patches/breaks.py)

# The same sets as booklet.check.pdfread, so both checkers agree (GB/T 15834 §5.1, clreq).
START_BANNED = set("，。、；：？！）》」』】〕〗〉］｝”’…‥·–～/／%‰℃°+,.;:?!)]}．")
END_BANNED = set("（《「『【〔〖〈［｛“‘/／([{")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_GROUP = re.compile(r"\d{3}(?!\d)")


def _short(text: str, size: int = 24) -> str:
    """Return the text quoted, shortened to *size* characters."""
    return f"“{text[:size]}…”" if len(text) > size else f"“{text}”"


def _right(box: Any) -> float:
    """Return the right edge of a block's content box."""
    return box.content_box_x() + box.width


def check_document(document: Any, index: SourceIndex, edition: str) -> list[Finding]:
    """Run every layout check on a rendered document."""
    pages = [(frame_of(p), page_rows(p, n)) for n, p in enumerate(document.pages, 1)]
    rows = [r for _, page in pages for r in page]
    last_line = {}
    for r in rows:
        if r.is_line and not r.clipped:
            last_line[id(r.element)] = r
    found: list[Finding] = []
    for frame, page in pages:
        found += _overflow(frame, page, index, edition)
        found += _heading_at_foot(page, index, edition)
        found += _unjustified(page, last_line, index, edition)
    found += _widows_orphans(rows, index, edition)
    found += _line_breaks(rows, index, edition)
    found += _off_page(document, edition, index)
    return found


def _overflow(frame: PageFrame, rows: list[Row], index: SourceIndex,
              edition: str) -> Iterator[Finding]:
    """Yield lines wider than their column and text outside the safe area."""
    trim = (SAFE_PX, SAFE_PX, frame.width - SAFE_PX, frame.height - SAFE_PX)
    cx0, cy0, cx1, cy1 = frame.content
    flow = (max(cx0, trim[0]), max(cy0, trim[1]), min(cx1, trim[2]), min(cy1, trim[3]))
    for r in rows:
        if not r.is_line or r.clipped or not r.text:
            continue
        over = r.x1 - _right(r.parent)
        size = r.parent.style["font_size"]
        hanging = r.text[-1] in START_BANNED and over <= size
        if over > TOLERANCE and not hanging and r.area != "margin":
            off = " and runs off the page" if r.x1 > frame.width else ""
            yield Finding("error", "text-overflow", f"a line is {over * PX_PT:.1f} pt wider "
                          f"than its column{off}: {_short(r.text)}",
                          "break the long word or address (e.g. put it in a footnote, or "
                          "shorten the link text) so the line fits the measure",
                          **where_of(r, index), page=r.page, edition=edition)
            continue
        x0, y0, x1, y1 = trim if r.area == "margin" else flow
        outside = max(x0 - r.x0, r.x1 - x1, y0 - r.y0, r.y1 - y1)
        if outside > TOLERANCE:
            yield Finding("error", "safe-area", f"text lies {outside * PX_MM:.1f} mm outside "
                          f"the safe area: {_short(r.text)}",
                          "keep text inside the page margins and at least 5 mm from the "
                          "trim; the print shop's cut may take it off",
                          **where_of(r, index), page=r.page, edition=edition)


def _off_page(document: Any, edition: str, index: SourceIndex | None = None
              ) -> Iterator[Finding]:
    """Yield elements whose box extends past the paper (the trim plus the bleed)."""
    from weasyprint.formatting_structure import boxes as B

    for number, page in enumerate(document.pages, 1):
        frame = frame_of(page)
        b = frame.bleed
        paper = (-b["left"], -b["top"], frame.width + b["right"], frame.height + b["bottom"])
        stack = [getattr(c, "_box", c) for c in page._page_box.children]
        while stack:
            box = stack.pop()
            if not isinstance(box, B.BlockLevelBox | B.ReplacedBox) \
                    or isinstance(box, B.MarginBox):
                stack += [getattr(c, "_box", c) for c in getattr(box, "children", ())
                          if isinstance(getattr(c, "_box", c), B.Box)]
                continue
            x, y = box.border_box_x(), box.border_box_y()
            over = max(paper[0] - x, x + box.border_width() - paper[2],
                       y + box.border_height() - paper[3])
            if over > TOLERANCE and box.element_tag not in ("html", "body") \
                    and _has_content(box):
                text = " ".join(box.element.itertext()).strip() if box.element is not None \
                    else ""
                # A photo's own path (data-image): its src is the image stage's prepared file.
                src = (box.element.get("data-image") or box.element.get("src")) \
                    if box.element is not None else None
                found = index.find(src) if index is not None and src else None
                where = {"file": found[0], "line": found[1]} if found else {}
                yield Finding("error", "off-page", f"a <{box.element_tag}> element runs "
                              f"{over * PX_MM:.1f} mm off the page: {_short(text or src or '')}",
                              "make it no wider than the column (max-width: 100%) or let it "
                              "break across pages", **where, page=number, edition=edition)
                continue
            stack += [getattr(c, "_box", c) for c in getattr(box, "children", ())
                      if isinstance(getattr(c, "_box", c), B.Box)]


def _has_content(box: Any) -> bool:
    """Return whether a box holds text or a picture (empty ornaments may run off the page)."""
    from weasyprint.formatting_structure import boxes as B

    return any((isinstance(b, B.TextBox) and b.text.strip()) or isinstance(b, B.ReplacedBox)
               for b in box.descendants())


def _heading_at_foot(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield a heading that is the last thing in the page's text flow."""
    flow = [r for r in rows if r.area == "flow" and not r.absolute and not r.clipped
            and r.y1 > r.y0]
    if flow and flow[-1].in_heading():
        r = flow[-1]
        yield Finding("warning", "heading-at-foot", f"the heading {_short(r.text)} is the last "
                      "thing on the page; its text starts on the next page",
                      "keep headings with what follows (CSS break-after: avoid), or move a "
                      "figure or add text so the heading moves to the next page",
                      **where_of(r, index), page=r.page, edition=edition)


def _widows_orphans(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield paragraphs leaving one line alone at the top or at the foot of a page."""
    per_page: dict[int, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        # Table cells are no paragraphs: rows do not split, and a header row repeated on
        # each page a long table runs over is the same element on several pages.
        if r.is_line and r.area == "flow" and not r.clipped and r.text \
                and _tag(r) not in ("th", "td"):
            per_page[id(r.element)][r.page].append(r)
    for pages in per_page.values():
        if len(pages) < 2:
            continue
        numbers = sorted(pages)
        first, last = pages[numbers[0]], pages[numbers[-1]]
        if len(first) == 1:
            r = first[0]
            yield Finding("warning", "orphan", f"the paragraph's first line stands alone at "
                          f"the foot of the page: {_short(r.text)}",
                          "keep at least 2 lines together (CSS orphans: 2), or edit the text "
                          "above so the paragraph moves", **where_of(r, index), page=r.page,
                          edition=edition)
        if len(last) == 1:
            r = last[0]
            yield Finding("warning", "widow", f"the paragraph's last line stands alone at "
                          f"the top of the page: {_short(r.text)}",
                          "keep at least 2 lines together (CSS widows: 2), or shorten or "
                          "lengthen the paragraph by a few characters",
                          **where_of(r, index), page=r.page, edition=edition)


def _line_breaks(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield lines breaking the line-start/line-end rules and numbers or words split."""
    text_rows = [r for r in rows if r.is_line and r.area != "margin" and not r.clipped
                 and len(r.text) > 1]
    previous: Row | None = None
    for r in text_rows:
        kw: dict[str, Any] = {"page": r.page, "edition": edition}
        if r.text[0] in START_BANNED:
            yield Finding("warning", "line-start", f"line starts with “{r.text[0]}”: "
                          f"{_short(r.text)}", "the typography layer must keep this mark "
                          "with the character before it (GB/T 15834 §5.1)",
                          **where_of(r, index), **kw)
        if r.text[-1] in END_BANNED and not _ends_in_url(r):
            yield Finding("warning", "line-end", f"line ends with “{r.text[-1]}”: "
                          f"…{r.text[-20:]}", "the typography layer must carry this mark "
                          "to the next line (GB/T 15834 §5.1)", **where_of(r, index), **kw)
        if previous is not None and previous.element is r.element and not _ends_in_url(previous):
            split = _split(previous.text, r.text, r.element)
            if split:
                check, hint = split
                yield Finding("warning", check, f"split across lines: …{previous.text[-8:]} | "
                              f"{r.text[:8]}…", hint, **where_of(r, index), **kw)
        previous = r


def _ends_in_url(row: Row) -> bool:
    """Return True when the line ends inside a web address (which breaks at / . - ? &)."""
    from weasyprint.formatting_structure import boxes as B

    descendants = getattr(row.box, "descendants", None)
    last = [b for b in (descendants() if descendants else ())
            if isinstance(b, B.TextBox) and b.text.strip("\u200b \n")]  # not <wbr>'s ZWSP
    element = last[-1].element if last else None
    return element is not None and "url" in (element.get("class") or "").split()


def _split(before: str, after: str, element: Any) -> tuple[str, str] | None:
    """Return (check, hint) when the break between two lines splits a number or a word."""
    a, b = before[-1], after[0]
    digits = a.isascii() and a.isdigit() and b.isascii() and (b.isdigit() or b == ".")
    decimal = a == "." and len(before) > 1 and before[-2].isdigit() and b.isdigit()
    letters = a.isascii() and a.isalpha() and b.isascii() and b.isalpha()
    if not (digits or decimal or letters) or element is None:
        return None
    full = "".join(element.itertext())
    match = re.search(re.escape(before[-6:]) + r"(\s*)" + re.escape(after[:6]), full)
    if match is None:
        return None  # a footnote call at the break hides the join: do not guess
    gap = match.group(1)
    if (digits or decimal) and not gap:
        return "number-split", "a number must not be split (GB/T 15835): check the typography layer"
    if digits and gap.strip(" \t\n\u2009") == "" and _GROUP.match(after):
        return ("number-split", "the digit groups of a number are joined by a breakable space: "
                "join the groups with U+202F (narrow no-break space) or U+00A0 instead")
    if letters and not gap:
        return "word-split", "a Latin word must not be broken without a hyphen (clreq)"
    return None


def _unjustified(rows: list[Row], last_line: dict[int, Row], index: SourceIndex,
                 edition: str) -> Iterator[Finding]:
    """Yield one finding per page listing full justified lines short of the measure."""
    short = []
    for r in rows:
        if not r.is_line or r.clipped or r.area == "margin" or len(r.text) < 2 \
                or last_line.get(id(r.element)) is r \
                or r.parent.style["text_align_all"] != "justify" \
                or r.parent.width < NARROW * r.parent.style["font_size"]:
            continue  # narrow measures (captions, cards) are set ragged when gaps would open
        gap = _right(r.parent) - r.x1
        if gap > FLUSH:
            short.append((gap, r))
    if short:
        gap, worst = max(short, key=lambda s: s[0])
        yield Finding("warning", "unjustified", f"{len(short)} full line(s) end short of the "
                      f"measure, up to {gap * PX_PT:.1f} pt: {_short(worst.text)}",
                      "justified Chinese needs inter-character spacing (booklet.render.patches); "
                      "make the measure a whole number of characters",
                      **where_of(worst, index), page=worst.page, edition=edition)


def _tag(row: Row) -> str:
    """Return the tag of the row's element without pseudo-element suffix."""
    return (row.box.element_tag or "").split("::")[0]

