"""Placement checks on the laid-out pages: collisions, the text block, the line grid, page fill.

Read from WeasyPrint's boxes like booklet.check.layout (whose rows they share):

- text over text and text over a picture (a cover title printed over its subtitle, a caption
  over its photo);
- a picture outside the text block that is not a designed margin element (running heads,
  folios and cover fields are margin boxes or pages without margins; full-size photos and
  charts break out into the outer margin on purpose);
- body lines off the line grid (a block that is not a whole number of body lines);
- a running page that ends with more than 10 % of its text block empty (a chapter's last
  page may end where its text ends).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.check.rows import PX_PT, Row, frame_of, page_rows, where_of

OVERLAP = 0.3  # share of the smaller box covered before two boxes collide
GRID_TOLERANCE = 0.5 / PX_PT  # px: a baseline within 0.5 pt of the grid is on it
MAX_EMPTY = 0.10  # share of the text block a running page may leave empty at its foot
BREAKOUT = {"photo-full", "chart-full"}  # designed to reach into the outer margin
BODY_TAGS = {"p", "li"}


def check_placement(document: Any, index: SourceIndex, edition: str) -> list[Finding]:
    """Run the placement checks on every page of a rendered document."""
    pages = [(frame_of(p), page_rows(p, n)) for n, p in enumerate(document.pages, 1)]
    found: list[Finding] = []
    chapter_last: dict[int, int] = {}
    for _, rows in pages:
        for r in rows:
            chapter = _chapter(r)
            if chapter is not None and r.area == "flow":
                chapter_last[id(chapter)] = r.page
    for frame, rows in pages:
        found += _collisions(rows, index, edition)
        found += _outside_block(frame, rows, index, edition)
        found += _off_grid(rows, index, edition)
        found += _underfull(frame, rows, chapter_last, index, edition)
    return found


def _classes(box: Any) -> set[str]:
    """Return the class tokens of a box's element."""
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _chapter(row: Row) -> Any:
    """Return the chapter element a row belongs to, or None."""
    for box in row.chain:
        if "chapter" in _classes(box) and box.element_tag == "section":
            return box.element
    return None


def _area(a: Row, b: Row) -> float:
    """Return the area of the intersection of two rows' rectangles."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _size(r: Row) -> float:
    return max(0.0, r.x1 - r.x0) * max(0.0, r.y1 - r.y0)


def _collisions(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield text printed over other text or over a picture."""
    lines = [r for r in rows if r.is_line and r.text and not r.clipped and _size(r) > 0]
    pictures = [r for r in rows if not r.is_line and not r.clipped and _size(r) > 0]
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if _area(a, b) > OVERLAP * min(_size(a), _size(b)):
                yield Finding("error", "text-overlap", f"text is printed over other text: "
                              f"“{a.text[:16]}” and “{b.text[:16]}”",
                              "give the positioned element room (positions and sizes relative "
                              "to the page tokens), or shorten the text",
                              **where_of(b, index), page=a.page, edition=edition)
        for p in pictures:
            if any(box is a.box for box in p.chain):
                continue  # an image set in this very line
            if _area(a, p) > OVERLAP * _size(a):
                yield Finding("error", "text-over-image", f"text is printed over a picture: "
                              f"“{a.text[:16]}”", "keep captions and text beside or under "
                              "the picture", **where_of(a, index), page=a.page,
                              edition=edition)


def _outside_block(frame: Any, rows: list[Row], index: SourceIndex,
                   edition: str) -> Iterator[Finding]:
    """Yield pictures in the flow that reach outside the text block without being designed to."""
    x0, y0, x1, y1 = frame.content
    tol = 1.0
    for r in rows:
        if r.is_line or r.area != "flow" or r.absolute or r.clipped:
            continue
        if any(_classes(box) & BREAKOUT for box in r.chain):
            continue
        over = max(x0 - r.x0, r.x1 - x1, y0 - r.y0, r.y1 - y1)
        if over > tol:
            yield Finding("error", "outside-block", f"a picture reaches {over * PX_PT:.1f} pt "
                          "outside the text block", "fit it to the measure (max-width: 100%) "
                          "or use a photo or chart block with size: full",
                          **where_of(r, index), page=r.page, edition=edition)


def _body_lines(rows: list[Row]) -> list[Row]:
    """Return the page's body text lines: prose paragraphs and list items of a chapter."""
    body = []
    for r in rows:
        if not r.is_line or r.area != "flow" or r.absolute or not r.text:
            continue
        element = r.box.element
        if element is None or element.tag not in BODY_TAGS:
            continue
        parents = [b.element for b in reversed(r.chain)
                   if b.element is not None and b.element is not element]
        wanted = 1 if element.tag == "li" else 0  # a list item's list sits in the chapter
        distinct = list(dict.fromkeys(parents))
        if len(distinct) > wanted and "chapter" in (distinct[wanted].get("class") or "").split():
            body.append(r)
    return body


def _off_grid(rows: list[Row], index: SourceIndex, edition: str) -> Iterator[Finding]:
    """Yield the first body line of a page that is off the grid set by the page's first line."""
    from booklet.render.patches.grid import line_px

    body = _body_lines(rows)
    if not body:
        return
    line = line_px(body[0].box.style)
    if not line:
        return
    first = min(r.box.position_y + r.box.baseline for r in body)
    for r in body:
        off = (r.box.position_y + r.box.baseline - first) % line
        if min(off, line - off) > GRID_TOLERANCE:
            yield Finding("warning", "off-grid", f"a body line is {off * PX_PT:.1f} pt off the "
                          f"line grid: {r.text[:16]}…", "make the block above it a whole "
                          "number of body lines (--grid: snap, or heights in var(--line))",
                          **where_of(r, index), page=r.page, edition=edition)
            return


def _underfull(frame: Any, rows: list[Row], chapter_last: dict[int, int], index: SourceIndex,
               edition: str) -> Iterator[Finding]:
    """Yield a running page of a chapter that ends with much of its text block empty."""
    flow = [r for r in rows if r.area == "flow" and not r.absolute and _chapter(r) is not None]
    if not flow:
        return
    last = max(flow, key=lambda r: r.y1)
    chapter = _chapter(last)
    if chapter_last.get(id(chapter)) == last.page:
        return
    _, top, _, bottom = frame.content
    notes = [r.y0 for r in rows if r.area == "footnote"]
    if notes:
        bottom = min(notes) - line_of(last)
    end = max(_block_end(r, frame.content[3]) for r in flow)
    empty = (bottom - end) / (frame.content[3] - top)
    if empty > MAX_EMPTY + 0.002:  # 3 lines of 30 is 10 %, not more
        yield Finding("warning", "underfull", f"the page ends with {empty:.0%} of its text "
                      "block empty", "let a figure float further (see README, floats), "
                      "or shorten or lengthen the text before the break",
                      **where_of(last, index), page=last.page, edition=edition)


def _top_block(row: Row) -> Any:
    """Return the chapter's top-level block box holding *row*, or None."""
    for outer, inner in zip(row.chain, row.chain[1:], strict=False):
        if "chapter" in _classes(outer) and outer.element_tag == "section":
            return inner
    return None


def _block_end(row: Row, foot: float) -> float:
    """Return where the ink of the chapter's top-level block holding *row* ends.

    A card's background or a quote's rule is ink too: the block, not its last line, ends
    the page; a block running on to the next page ends with its children (render.fill).
    """
    from booklet.render.fill import content_end

    own = row.box.position_y + row.box.height if row.is_line else row.y1
    block = _top_block(row)
    if block is None:
        return own
    return max(own, content_end(block, foot))


def line_of(row: Row) -> float:
    """Return the body line in px for a row (its inherited --line), or 24 px."""
    from booklet.render.patches.grid import line_px

    return line_px(row.box.style) or 24.0
