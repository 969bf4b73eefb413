"""How justification shares a line's spare width (used by `justify`).

Word spaces first, up to SPACE_STRETCH em (clreq expansion order), then the other
opportunities equally; a line of English takes letter gaps instead of wide spaces; a closing
mark before a footnote call gives up half its em.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise
from typing import Any

from booklet.compose.typography import linebreak, rules

from . import attrs

_PAIRED = frozenset(rules.CLOSING + rules.OPENING)  # a closing mark before these: half width
SPACE_STRETCH = linebreak.SPACE_STRETCH  # em a word space may grow before Han gaps open


def with_letter_gaps(found: list[int], text: str, extra: float, size: float) -> list[int]:
    """Add the gaps inside Latin words when word spaces alone would open wider than 1/2 em.

    A line of English in a Chinese paragraph has no other opportunity; a few hundredths of
    an em between letters keep its spaces under half an em (linebreak.LETTER_TOLERANCE).
    """
    if extra <= len(found) * SPACE_STRETCH * size:
        return found
    letters = rules.letter_gaps(text)
    return sorted(found + letters) if letters else found


def with_loose_letters(found: list[int], text: str, extra: float, size: float
                       ) -> tuple[list[int], float]:
    """Add the letter gaps of a loose mixed line, and return what each takes (em * size).

    As `linebreak.letter_share`: only what would open the other gaps wider than
    linebreak.READ_GAP em, at most LETTER_STRETCH em a letter gap.
    """
    spaces = sum(1 for i in found if text[i] in rules.WHITE)
    others = len(found) - spaces
    rest = extra - spaces * SPACE_STRETCH * size
    if not others or rest <= linebreak.READ_GAP * size * others:
        return found, 0.0  # not loose: letter_share gives nothing; no need to find letters
    letters = rules.letter_gaps(text)
    amount = linebreak.letter_share(rest, others, len(letters), size) if letters else 0.0
    return (sorted(found + letters), amount) if amount > 0 else (found, 0.0)


def share(extra: float, found: list[int], text: str, leaves: list[Any],
          starts: list[int], letter: float = 0.0) -> list[float]:
    """Split `extra` between the opportunities, word spaces first (clreq expansion order).

    A Latin word space may first grow by up to SPACE_STRETCH em (to about 1/2 em); what is
    left goes equally to the other opportunities (between Han characters, at Han/Latin
    boundaries), so word spaces stay under 1/2 em; only a line with no other opportunity
    widens its spaces further. `letter`: what each letter gap (with_loose_letters) takes.
    """
    if " " not in text and "\u00a0" not in text and not letter:
        return [extra / len(found)] * len(found)
    letters = set(rules.letter_gaps(text)) if letter else set()
    caps = [SPACE_STRETCH * leaves[bisect_right(starts, i) - 1].style["font_size"]
            if text[i] in rules.WHITE else letter if i in letters else 0.0 for i in found]
    total = sum(caps)
    if total >= extra:
        return [extra * cap / total for cap in caps]
    others = sum(1 for cap in caps if not cap)
    if not others:
        rest = (extra - total) / len(found)
        return [cap + rest for cap in caps]
    rest = (extra - total) / others
    return [cap if cap else rest for cap in caps]


def call_trims(leaves: list[Any]) -> list[tuple[Any, float]]:
    """Return the closing marks set half-width because a footnote call or a mark follows them.

    "过去一年，¹人类": the call stands in the mark's empty half instead of after it.
    "《…议程》</em>。": two marks in two text boxes (two faces) are a pair like any other
    (attrs halves pairs inside one text); the first gives up its trailing half.
    """
    found = []
    for leaf, after in pairwise(leaves):
        if (leaf is not None and after is not None and leaf.text
                and leaf.text[-1] in rules.CLOSING
                and ((after.element_tag or "").endswith("::footnote-call")
                     or (after.text[:1] in _PAIRED and attrs.active(after.style)))
                and attrs.active(leaf.style)
                and attrs.switch(leaf.style, "__booklet_punctuation") != "full-width"):
            found.append((leaf, 0.5 * leaf.style["font_size"]))
    return found
