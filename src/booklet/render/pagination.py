"""Where figures should float: a model of a chapter's pagination, in whole body lines.

A first layout gives every top-level block of a chapter its height in lines (blocks are
whole lines: render/patches/grid.py) and its margins. This module pages those blocks again
in Python the way WeasyPrint does (paragraphs split with 2 lines kept at either side,
headings kept with what follows, collapsed margins, margins kept at a page top). Where a
block would not fit and leave more than 10 % of a page empty, it floats a figure past the
following paragraphs, draws a photo whole lines smaller, sets a figure before the card
group above it, or pulls it back before the page's last paragraphs (plan_chapter), and
goes on with the new order. So a change that shifts the rest of the chapter is followed by
the changes the shifted pages need, all found without laying out again; one more layout
then applies them (render/floats.py).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

MAX_EMPTY = 0.10
KEEP = 2  # orphans and widows
MAX_PASS = 4  # paragraphs a figure may move past
MAX_FIT = 0.25  # share of its picture's height a figure may lose to fit a page
FLOATING = {"chart", "photo", "qr", "pull-quote", "callout"}  # figures and asides
SPLITTABLE = {"p", "ul", "ol", "table"}
GROUPS = {"stats", "priorities"}  # card groups: they break between rows of cards
GROUP_KEEP = 0.6  # share of a card group that must stay on the page a figure is set before
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


@dataclass
class Item:
    """A top-level block of a chapter, measured in body lines."""

    element: Any
    kind: str  # text (splits across pages), heading, figure (floats) or block
    lines: float
    top: float  # margins, in lines
    bottom: float
    node: str | None = None  # data-node "chapter:index" of a component
    notes: float = 0.0  # lines of footnotes called in it (they sit on its first page)
    found: tuple[int, float] | None = None  # page and lines above it in the first layout
    fit: int = 0  # whole lines the figure may give up by being drawn smaller (MAX_FIT)
    shrink: int = 0  # lines it gives up in this plan
    picture: tuple[str, float, float, float] = ("", 0.0, 0.0, 0.0)  # render.floats._picture
    unit: float = 0.0  # the body line in px


def kind_of(element: Any) -> str:
    """Return how a block behaves at a page break."""
    classes = set((element.get("class") or "").split())
    if element.get("data-node") and classes & FLOATING:
        return "figure"
    if element.tag in HEADINGS:
        return "heading"
    return "text" if element.tag in SPLITTABLE else "block"


@dataclass
class _State:
    """Where the simulation stands: page, lines used, margin waiting to collapse."""

    cap: float
    note_area: float = 1.0  # lines the footnote area takes beyond its notes (rule, space)
    used: float = 0.0
    margin: float = 0.0
    page: int = 0
    has_notes: bool = False
    ended: float = 0.0

    def room(self) -> float:
        return self.cap - self.used

    def new_page(self) -> None:
        self.ended = self.room()  # lines left empty at the foot of the page just ended
        self.page += 1
        self.used, self.margin, self.has_notes = 0.0, 0.0, False

    def notes(self, item: Item) -> float:
        """Return the lines *item*'s footnotes take on this page."""
        if not item.notes:
            return 0.0
        return item.notes + (0.0 if self.has_notes else self.note_area)

    def gap(self, item: Item) -> float:
        """Return the collapsed margin above *item* (WeasyPrint keeps it at a page top)."""
        return item.top if self.used == 0 else max(self.margin, item.top)


def _place_text(state: _State, item: Item) -> None:
    """Set a paragraph, splitting it across pages with KEEP lines at either side."""
    left = item.lines
    gap = state.gap(item)
    notes = state.notes(item)
    while left > 0:
        room = state.room() - gap - notes
        if left <= room + 0.01:
            state.used += gap + left + notes
            state.has_notes = state.has_notes or bool(notes)
            break
        first = math.floor(room + 0.01)
        if left - first < KEEP:
            first = int(left - KEEP)
        if first >= KEEP:
            left -= first
            state.used += gap + first + notes
            notes = 0.0  # the notes went with the first lines
        state.new_page()
        gap = 0.0
        if notes:
            notes = state.notes(item)
    state.margin = item.bottom


def _need(state: _State, item: Item) -> float:
    """Return the lines *item* needs where the simulation stands (text: its first lines)."""
    first = min(item.lines, KEEP) if item.kind == "text" else item.lines
    return state.gap(item) + first


def _place_block(state: _State, item: Item, following: Item | None) -> None:
    """Set an unbreakable block (a heading keeps the start of what follows)."""
    need = _need(state, item)
    if item.kind == "heading" and following is not None:
        need += following.top + min(following.lines, KEEP) if following.kind == "text" \
            else following.top + following.lines
    if state.used > 0 and need > state.room() + 0.01:
        state.new_page()
    state.used += state.gap(item) + item.lines
    state.margin = item.bottom


def plan_chapter(items: list[Item], cap: float, note_area: float = 1.0
                 ) -> list[tuple[str, int, int]]:
    """Return (data-node, paragraphs to pass, lines to shrink) for each figure to change.

    A figure that would leave the page short first floats past the next paragraphs; when
    no paragraph can take its place (a heading with a timeline, a run of blocks), a figure
    on the page, or the block itself, is drawn up to MAX_FIT smaller, in whole lines.
    """
    order = list(items)
    plan: dict[str, list[int]] = {}
    moved: set[int] = set()
    placed: list[tuple[int, Item]] = []  # figures set so far, with their page
    page_of: dict[int, int] = {}
    starts: dict[int, int] = {}  # page each item starts on
    snaps: dict[int, tuple[_State, int]] = {}  # state before each position, figures placed
    state = _State(cap, note_area)
    i = 0
    while i < len(order):
        item = order[i]
        following = order[i + 1] if i + 1 < len(order) else None
        on_page = [f for p, f in placed if p == state.page]
        if not plan and item.found is not None and i > 0 and item.kind != "figure" \
                and not (item.kind != "text" and item.found[0] > state.page
                         and _fit(state, item, following, on_page, plan)):
            # Until the first change the model follows the first layout, but a block the
            # first layout sent to the next page may still be fitted on this one.
            _follow(state, item, order[i - 1])
        snaps[i] = (copy.copy(state), len(placed))
        if item.kind == "figure" and id(item) not in moved and state.used > 0 \
                and _need(state, item) > state.room() + 0.01 \
                and state.room() > MAX_EMPTY * cap:
            count = _paragraphs_to_fill(order[i + 1:], state)
            if count:
                moved.add(id(item))
                plan.setdefault(item.node or "", [0, 0])[0] = count
                order.insert(i + count, order.pop(i))  # after the *count* items that follow it
                continue  # place the paragraphs first, then meet the figure again
        if item.kind != "text" and not _fit(state, item, following, on_page, plan) \
                and _before_group(state, item, order[i - 1] if i else None, page_of, moved):
            moved.add(id(item))
            plan.setdefault(item.node or "", [0, 0])[0] = -1
        elif item.kind == "figure" and id(item) not in moved \
                and (back := _pull_back(order, i, state, snaps, starts)):
            # Set the figure before the last paragraphs of the page: they run on instead.
            moved.add(id(item))
            plan.setdefault(item.node or "", [0, 0])[0] = -back
            order.insert(i - back, order.pop(i))
            i -= back
            state, kept = copy.copy(snaps[i][0]), snaps[i][1]
            del placed[kept:]
            continue
        starts[id(item)] = state.page
        if item.kind == "text":
            _place_text(state, item)
        else:
            _place_block(state, item, following)
        if item.kind == "figure":
            placed.append((state.page, item))
        page_of[id(item)] = state.page
        i += 1
    return [(node, count, shrink) for node, (count, shrink) in plan.items()]


def _fit(state: _State, item: Item, following: Item | None, on_page: list[Item],
         plan: dict[str, list[int]]) -> bool:
    """Make figures whole lines smaller when that lets *item* fill a short page (True)."""
    if state.used == 0 or state.room() <= MAX_EMPTY * state.cap:
        return False
    need = _need(state, item)
    if item.kind == "heading" and following is not None:
        need += following.top + (min(following.lines, KEEP) if following.kind == "text"
                                 else following.lines)
    deficit = math.ceil(need - state.room() - 0.01)
    if deficit <= 0:
        return False
    ahead = [item] + ([following] if following is not None and item.kind == "heading" else [])
    candidates = [c for c in ahead + on_page[::-1] if c.kind == "figure" and c.fit > c.shrink]
    # One figure gives up the lines if it can; else several share them (two photos on a
    # page, neither able to give up enough alone), each within its own MAX_FIT.
    single = [c for c in candidates if c.fit - c.shrink >= deficit]
    if single:
        takes = [(single[0], deficit)]
    elif sum(c.fit - c.shrink for c in candidates) >= deficit:
        takes, left = [], deficit
        for candidate in candidates:
            take = min(candidate.fit - candidate.shrink, left)
            takes.append((candidate, take))
            left -= take
            if not left:
                break
    else:
        return False
    for candidate, take in takes:
        candidate.shrink += take
        candidate.lines -= take
        if any(c is candidate for c in on_page):
            state.used -= take
        plan.setdefault(candidate.node or "", [0, 0])[1] = candidate.shrink
    return True


def _pull_back(order: list[Item], i: int, state: _State, snaps: dict[int, tuple[_State, int]],
               starts: dict[int, int]) -> int:
    """Return how many paragraphs above a figure it should go before (0: none helps).

    Only for a figure that leaves the page short, only past paragraphs that start on this
    page (at most MAX_PASS), and only when the page then ends at most MAX_EMPTY empty,
    as the rest of the chapter is paged in the model from there.
    """
    item = order[i]
    if state.used == 0 or state.room() <= MAX_EMPTY * state.cap \
            or _need(state, item) <= state.room() + 0.01:
        return 0
    best, best_empty = 0, MAX_EMPTY * state.cap + 0.01
    for back in range(1, MAX_PASS + 1):
        j = i - back
        above = order[j] if j >= 0 else None
        if above is None or above.kind != "text" or above.element.tag != "p" \
                or starts.get(id(above)) != state.page or j not in snaps \
                or j == 0 or order[j - 1].kind == "heading" \
                or "chapter-title" in (order[j - 1].element.get("class") or ""):
            break  # and the first paragraph under a heading or title stays before it
        empty = _page_end(copy.copy(snaps[j][0]), [item, *order[j:i], *order[i + 1:]])
        if empty < best_empty - 0.01:
            best, best_empty = back, empty
    return best


def _page_end(state: _State, rest: list[Item]) -> float:
    """Return the lines left empty where the page under way ends, paging *rest* in the model."""
    page = state.page
    for n, item in enumerate(rest):
        if item.kind == "text":
            _place_text(state, item)
        else:
            _place_block(state, item, rest[n + 1] if n + 1 < len(rest) else None)
        if state.page != page:
            return state.ended
    return 0.0  # the chapter ends on this page


def _before_group(state: _State, item: Item, previous: Item | None, page_of: dict[int, int],
                  moved: set[int]) -> bool:
    """Return whether a figure that leaves the page short should go before the card group
    that ends the page: the group then breaks between its rows and fills the page.

    The model does not follow the swap (it cannot split a group); it is made last.
    """
    if item.kind != "figure" or id(item) in moved or previous is None \
            or not set((previous.element.get("class") or "").split()) & GROUPS \
            or page_of.get(id(previous)) != state.page:
        return False
    # After the swap the group must keep most of its rows on this page (headline and one row
    # of cards is the least it breaks after); otherwise the page would end shorter still.
    start = state.used - previous.lines - previous.top
    left = state.cap - start - item.top - item.lines - max(item.bottom, previous.top)
    return state.used > 0 and state.room() > MAX_EMPTY * state.cap \
        and _need(state, item) > state.room() + 0.01 and left >= GROUP_KEEP * previous.lines


def _follow(state: _State, item: Item, previous: Item) -> None:
    """Take the first layout's position of *item*: until a move, the model follows it."""
    assert item.found is not None
    page, above = item.found
    if page != state.page:
        state.page, state.has_notes = page, False
    state.margin = previous.bottom
    state.used = 0.0 if above < 0.01 else max(0.0, above - max(previous.bottom, item.top))


def _paragraphs_to_fill(rest: list[Item], state: _State) -> int:
    """Return how many of the next paragraphs (and headings) fill the page (0: none follow).

    A figure may pass a heading only with that heading's first paragraph: it never ends up
    between a heading and its text.
    """
    room, last_text = state.room(), 0
    for count, item in enumerate(rest[:MAX_PASS], 1):
        if item.kind == "heading" and not any(r.kind == "heading" for r in rest[:count - 1]):
            room -= item.top + item.lines
        elif item.kind == "text" and item.element.tag == "p":
            room -= item.lines
            last_text = count
        else:
            break
        if room <= 0 and last_text == count:
            break
    return last_text
