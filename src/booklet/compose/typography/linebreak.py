"""Total-fit line breaking for Chinese paragraphs: a Knuth-Plass style dynamic programme.

Pure text functions: the caller gives the text, the advance of every character (as laid out,
adjacent-mark compression included), the break opportunities that the line-break rules allow
and the measures. `plan_lines()` returns the lines that minimise the paragraph's demerits:

- a line may stretch: word spaces first (up to `SPACE_STRETCH` em each), then every
  inter-character gap equally (as `render/patches/justify.py` shares the spare width);
  the badness grows with the cube of the Han gap, and a gap over `MAX_GAP` em is taken only
  when no other set of breaks exists;
- a line may shrink: a full-width ，、。：；！？ or bracket inside the line may be set half-width
  (clreq 3.1.6, GB/T 15834); a closing mark ending a line is always half-width; or, instead,
  its inter-character gaps may close by up to `HAN_SHRINK` em each (`Line.spacing`, a
  negative letter-spacing), at the badness of a stretch of that size plus `SHRINK_COST`:
  taken rather than a line looser than about 0.05 em;
- adjacent lines of very different tightness cost `CONTRAST`; a last line of fewer than
  `RUNT_CHARS` characters (its punctuation not counted), or of two characters in all, costs
  `RUNT`; one of just `RUNT_CHARS` characters and its marks costs `SHORT_LAST`;
- a gap over `READ_GAP` em, which text extractors read as a space, costs `READ_AS_SPACE`;
- the last line keeps its natural width (clreq): it costs nothing unless it is a runt.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise
from itertools import compress as selected
from operator import not_

from . import rules

SPACE_STRETCH = 0.24  # em a word space may grow before Han gaps open (then about 1/2 em)
MAX_GAP = 0.2  # em: wider inter-character gaps only when nothing else fits
TOLERANCE = 0.12  # em of Han gap at which badness reaches 100
SQUEEZE_COST = 30.0  # demerits per mark set half-width inside a line
CONTRAST = 2000.0  # demerits for adjacent lines whose Han gaps differ by over 0.06 em
RUNT = 1e7  # demerits for a last line of 2 characters or fewer, or of 1 and its marks
RUNT_CHARS = 2  # characters (marks not counted) a last line needs
SHORT_LAST = 1e5  # demerits for a last line of just RUNT_CHARS characters and its marks
LETTER_TOLERANCE = 0.04  # em between letters at which badness reaches 800 (lines of English)
READ_GAP = 0.095  # em: text extractors (poppler: 0.1 em) read a wider gap as a space
READ_AS_SPACE = 1e6  # demerits for such a line (times the cube of gap / READ_GAP)
WIDE_SPACE = 1e8  # demerits for a line whose word spaces must open wider than 1/2 em
NAME_BREAK = 1e9  # demerits for splitting a name after its "·": only against a gap > MAX_GAP
INFEASIBLE = 1e10  # demerits of a line looser than MAX_GAP (kept only as a last resort)
LETTER_STRETCH = 0.03  # em a letter gap of a loose mixed line may take (3 %, invisible)
LETTER_RESCUE = 0.06  # em a letter gap may take so that no Han gap opens past RESCUE_GAP
RESCUE_GAP = 0.19  # em: a loose mixed line's letters spread further rather than exceed this
HAN_SHRINK = 0.025  # em each inter-character gap of a tight line may close (2.5 %)
SHRINK_COST = 40.0  # demerits for a line set tighter than natural (above a squeezed mark's)
SQUEEZABLE = "，、。：；！？）］｝〕〗】》〉」』”’（［｛〔〖【《〈「『“‘"
_SQUEEZE_ORDER = {c: i for i, c in enumerate(
    "、，；：。！？”’）》」』］｝〕〗】〉“‘（《「『［｛〔〖【〈")}
_NOT_COUNTED = set(rules.CLOSING + rules.OPENING + rules.WHITE + rules.DASHES + rules.ELLIPSES)
LOOSEST = 4.0  # ems short of the measure: shorter lines are tried only if nothing fits
FIT = 0.02  # pt of safety between a planned line and the measure (rounding in Pango units)


@dataclass(frozen=True, slots=True)
class Line:
    """One planned line: characters [start, end) and the marks inside it set half-width."""

    start: int
    end: int
    squeeze: tuple[int, ...]
    gap: float  # em added to each inter-character gap when justified (< 0: shrunk)
    cut: int = 0  # where the text may be cut for laying the line out (set by the caller)
    spacing: float = 0.0  # em letter-spacing of each character of a shrunk line (<= 0)


def plan_lines(text: str, advances: list[float], em: float, candidates: list[int],
               first_width: float, width: float, final: bool = True,
               compress: bool | frozenset[str] = True, ragged: bool = False,
               halvable: list[bool] | None = None, joins: frozenset[int] = frozenset(),
               close_up: bool = True) -> list[Line] | None:
    """Return the best lines for `text`, or None when no set of breaks fits at all.

    `advances` are per character in the unit of the widths; `candidates` the character
    indices before which a line may break; `final`: the text ends its paragraph (runts count);
    `compress` false: every mark keeps its full width (no squeeze, none at the line end), or
    the set of marks the font can set half-width (a Kai face may halve none of its own);
    `ragged`: lines are not justified: the cost is the square of each line's shortfall;
    `halvable`: per character, whether its font may set it half-width (text of several
    faces, a paragraph across inline boxes); `joins`: break points between two inline boxes,
    where a closing mark ending the line keeps its full width (Pango halves it only inside);
    `close_up` false: no line is set tighter than natural (HAN_SHRINK), only marks squeeze.
    First fit is kept when all its lines are good (the common case: most lines of Chinese
    text fit to a fraction of an em); the total-fit programme runs for the other paragraphs.
    """
    n = len(text)
    if n == 0 or em <= 0:
        return None
    pos = [0.0, *accumulate(advances)]
    halving = SQUEEZABLE if compress is True else (compress or "")
    if halvable is None:
        halvable = [*map(halving.__contains__, text)]
    if len(advances) != n or len(halvable) != n:
        raise ValueError("plan_lines: one advance and one halvable flag a character")
    gives = [0.0] * n  # what each mark may give up (only marks: no Python call a character)
    for k in selected(range(n), halvable):
        gives[k] = _shrink(text[k], advances[k], em)
    shrink = [0.0, *accumulate(gives)]
    opp = rules.opportunities(text)
    flags = [0] * (n + 1)
    for i in opp:
        flags[i + 1] = 2 if text[i] == " " or text[i] == "\u00a0" else 1
    # Prefix counts with C-level maps (no Python call a character: planned for every paragraph).
    opps = [*accumulate(map(bool, flags))]
    spaces = [*accumulate(map((2).__eq__, flags))]
    counted = [0, *accumulate(map(not_, map(_NOT_COUNTED.__contains__, text)))]
    letter = [0] * (n + 1)
    for i in rules.letter_gaps(text):
        letter[i + 1] = 1
    letters = [*accumulate(letter)]
    p = _Para(text, n, pos, shrink, opps, spaces, counted, letters, em, first_width, width,
              final, ragged, joins, close_up and not ragged)
    starts = [0, *candidates]
    found = _first_fit(p, starts) or _total_fit(p, starts)
    if found is None:
        return None
    breaks, gaps = found
    return [_realise(p, a, b, first_width if k == 0 else width, gaps[k])
            for k, (a, b) in enumerate(pairwise(breaks))]


@dataclass(frozen=True, slots=True)
class _Para:
    """Prefix sums of a paragraph: widths, shrink, gaps, spaces, counted characters."""

    text: str
    n: int
    pos: list[float]
    shrink: list[float]
    opps: list[int]
    spaces: list[int]
    counted: list[int]
    letters: list[int]
    em: float
    first_width: float
    width: float
    final: bool
    ragged: bool
    joins: frozenset[int]
    closes: bool  # lines may be set tighter than natural (Han glue shrink)


GOOD_GAP = READ_GAP  # em: first fit is kept when no line opens wider gaps (and no runt)


def _first_fit(p: _Para, starts: list[int]) -> tuple[list[int], list[float]] | None:
    """Return first-fit breaks and gaps when every line is good, else None."""
    breaks, gaps, i = [0], [], 0
    start_pos = [p.pos[s] for s in starts]
    while i < p.n:
        measure = p.first_width if i == 0 else p.width
        k = bisect_right(start_pos, p.pos[i] + measure + 0.6 * p.em) - 1
        ends = [p.n] if p.pos[p.n] - p.pos[i] <= measure + 0.6 * p.em else []
        ends.extend(starts[m] for m in range(k, max(k - 12, -1), -1) if starts[m] > i)
        for j in ends:  # the longest line that fits (a dozen break points at most)
            cost, gap, too_long = _line_cost(p, i, j, measure, squeeze=False)
            if not too_long:
                break
        else:
            return None
        if cost >= SHORT_LAST or gap > GOOD_GAP * p.em:
            return None
        breaks.append(j)
        gaps.append(gap)
        i = j
    return breaks, gaps


def _total_fit(p: _Para, starts: list[int]) -> tuple[list[int], list[float]] | None:
    """Return the breaks and gaps of least total demerits (dynamic programme)."""
    start_pos = [p.pos[s] for s in starts]
    shortest = min(p.first_width, p.width) - LOOSEST * p.em  # shorter: only if nothing fits
    pos, shrink, n, em, width = p.pos, p.shrink, p.n, p.em, p.width
    best: dict[int, tuple[float, int, float]] = {0: (0.0, -1, 0.0)}  # total, previous, gap
    for j in [*starts[1:], n]:
        last = bisect_left(starts, j) - 1
        long_enough = last if j == n else min(bisect_right(start_pos, pos[j] - shortest) - 1,
                                              last)
        found: tuple[float, int, float] | None = None
        for k in _order(long_enough, last):
            if found is not None and k > long_enough:
                break
            i = starts[k]
            if k <= long_enough and pos[j] - pos[i] - (shrink[j] - shrink[i]) > width + 2 * em:
                break  # too long however squeezed (trailing spaces aside)
            if i not in best:
                continue
            cost, gap, too_long = _line_cost(p, i, j, p.first_width if i == 0 else width)
            if too_long:
                if k <= long_enough:
                    break
                continue
            total, _, prev_gap = best[i]
            total += cost
            if i and j < n and abs(gap - prev_gap) > 0.06 * em:
                total += CONTRAST
            if found is None or total < found[0]:
                found = (total, i, gap)
        if found is not None:
            best[j] = found
    if n not in best:
        return None
    breaks, gaps = [n], []
    while breaks[-1]:
        gaps.append(best[breaks[-1]][2])
        breaks.append(best[breaks[-1]][1])
    return breaks[::-1], gaps[::-1]


def _order(long_enough: int, last: int) -> Iterator[int]:
    """Yield the start indices to try: long enough lines shortest first, then shorter ones."""
    yield from range(long_enough, -1, -1)
    yield from range(long_enough + 1, last + 1)


def _shrink(char: str, advance: float, em: float) -> float:
    """Return how much a mark may give up (down to half an em), 0 for other characters."""
    return advance - 0.5 * em if char in SQUEEZABLE and advance > 0.75 * em else 0.0


def _natural(p: _Para, i: int, j: int) -> tuple[float, float, int]:
    """Return (width, mid-line shrink, end) of line [i, j) with a closing mark at its end halved."""
    text, pos, shrink = p.text, p.pos, p.shrink
    e = j
    while e > i and text[e - 1] == " ":  # trailing spaces hang, collapsed
        e -= 1
    natural = pos[e] - pos[i]
    if j < p.n and e > i and text[e - 1] in rules.CLOSING and j not in p.joins:
        natural -= shrink[e] - shrink[e - 1]
    # The line's first mark keeps its full width (an opening mark at a line start).
    available = shrink[e - 1] - shrink[i + 1] if e - 1 > i + 1 else 0.0
    return natural, available, e


def _line_cost(p: _Para, i: int, j: int, measure: float, squeeze: bool = True
               ) -> tuple[float, float, bool]:
    """Return (demerits, Han gap, too long) of the line [i, j)."""
    natural, available, e = _natural(p, i, j)
    em = p.em
    extra = measure - FIT - natural
    if not squeeze:
        available = 0.0
    if j == p.n:  # the last line: natural width
        if extra < 0 and -extra > available:
            return INFEASIBLE, 0.0, True
        cost = SQUEEZE_COST if extra < 0 else 0.0
        if p.final and i > 0:
            counted = p.counted[j] - p.counted[i]
            if counted < RUNT_CHARS or e - i <= 2:
                cost += RUNT
            elif counted == RUNT_CHARS:
                cost += SHORT_LAST
        return cost, 0.0, False
    base = cost = NAME_BREAK if p.text[e - 1] == "·" else 0.0
    shrunk = None
    if extra < 0:
        shrunk = _shrunk(p, i, e, extra) if p.closes and squeeze else None
        if -extra > available:
            if shrunk is None:
                return INFEASIBLE, 0.0, True
            return base + shrunk[0], shrunk[1], False
        marks = int(-extra / (0.5 * em) + 0.999)
        cost += SQUEEZE_COST * marks
        extra = min(marks * 0.5 * em, available) + extra
    if p.ragged:  # unjustified: even line lengths (TeX's ragged right), no squeeze needed
        return cost + 100 * (extra / em) ** 2, 0.0, False
    gaps = p.opps[e - 1] - p.opps[i] if e - 1 > i else 0
    nspace = p.spaces[e - 1] - p.spaces[i] if e - 1 > i else 0
    stretch = SPACE_STRETCH * em * nspace
    han = gaps - nspace
    if extra <= stretch:
        gap = 0.0
        ratio = extra / stretch if stretch else 0.0
    elif han > 0:
        letters = p.letters[e - 1] - p.letters[i] if e - 1 > i else 0
        gap = (extra - stretch - letters * letter_share(extra - stretch, han, letters, em)) / han
        ratio = gap / (TOLERANCE * em)
    elif (letters := p.letters[e - 1] - p.letters[i] if e - 1 > i else 0):
        # only word spaces: the letters take the rest (as justify does), a little at most
        gap = 0.0
        ratio = 1 + (extra - stretch) / letters / (LETTER_TOLERANCE * em)
    elif gaps:  # only word spaces, nothing else: they open wider than 1/2 em
        gap = (extra - stretch) / gaps
        ratio = 2 + gap / (TOLERANCE * em)
        cost += WIDE_SPACE
    else:
        gap, ratio = extra, 10.0
    cost += (1 + 100 * ratio ** 3) ** 2
    if gap > READ_GAP * em:  # growing with the gap: two lines at 0.1 em beat one at 0.16
        cost += READ_AS_SPACE * (gap / (READ_GAP * em)) ** 3 if gap <= MAX_GAP * em \
            else INFEASIBLE * (gap / (MAX_GAP * em)) ** 3  # the least loose of bad lines
    if shrunk is not None and base + shrunk[0] < cost:
        return base + shrunk[0], shrunk[1], False
    return cost, gap, False


def _shrunk(p: _Para, i: int, e: int, extra: float) -> tuple[float, float] | None:
    """Return (demerits, negative gap) of line [i, e) set `-extra` tighter, None if too tight.

    Only the inter-character gaps (not word spaces) count, at most HAN_SHRINK em each; the
    badness is that of a stretch of the same size, plus SHRINK_COST.
    """
    han = (p.opps[e - 1] - p.opps[i]) - (p.spaces[e - 1] - p.spaces[i]) if e - 1 > i else 0
    if han <= 0 or -extra > HAN_SHRINK * p.em * han:
        return None
    gap = extra / han
    ratio = -gap / (TOLERANCE * p.em)
    return SHRINK_COST + (1 + 100 * ratio ** 3) ** 2, gap


def letter_share(rest: float, others: int, letters: int, em: float) -> float:
    """Return what each of `letters` Latin letter gaps takes of a mixed line's `rest`.

    Only what would open the line's other gaps (between Han characters, at Han/Latin
    boundaries) wider than READ_GAP em, and at most LETTER_STRETCH em a letter gap: a loose
    line with Latin names ("Patrick MacLeod和Mark Garten") spreads a little into them. A line
    that would still open its other gaps past RESCUE_GAP em (a long unbreakable English run
    pushed to the next line: "（World Food / Programme）") spreads its letters further, up to
    LETTER_RESCUE em, under the 0.1 em at which extractors read a space (TeX's emergency
    stretch, as InDesign's letter-spacing range).
    """
    if not letters or not others or rest <= READ_GAP * em * others:
        return 0.0
    each = min(LETTER_STRETCH * em, (rest - READ_GAP * em * others) / letters)
    over = rest - letters * each - RESCUE_GAP * em * others
    return min(LETTER_RESCUE * em, each + over / letters) if over > 0 else each


def _realise(p: _Para, i: int, j: int, measure: float, gap: float) -> Line:
    """Return the line [i, j) with the marks to set half-width so that it fits."""
    text, em = p.text, p.em
    natural, _, e = _natural(p, i, j)
    need = natural - (measure - FIT)
    squeeze: list[int] = []
    spacing = 0.0
    if need > 0 and gap < 0:  # shrunk: every character closes up (Pango drops the last's)
        spacing = -need / max(e - i - 1, 1) / em
    elif need > 0:
        marks = sorted((k for k in range(i + 1, e - 1) if p.shrink[k + 1] > p.shrink[k]),
                       key=lambda k: (_SQUEEZE_ORDER.get(text[k], 99), -k))
        for k in marks:
            if need <= 0:
                break
            squeeze.append(k)
            need -= p.shrink[k + 1] - p.shrink[k]
    if (j < p.n and e > i and text[e - 1] in rules.CLOSING and p.shrink[e] > p.shrink[e - 1]
            and j not in p.joins):
        squeeze.append(e - 1)  # halved anyway at the line end; said here so Pango knows
    return Line(i, j, tuple(sorted(squeeze)), gap / em, spacing=spacing)
