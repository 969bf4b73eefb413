"""Measure Chinese typography from a PDF alone: the same line model as booklet.check.pdfread."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# booklet.check.pdfread's sets (GB/T 15834 §5.1, clreq), kept here so the metrics stand alone.
START_BANNED = set("，。、；：？！）》」』】〕〗〉］｝”’…‥·–～/／%‰℃°+,.;:?!)]}")
END_BANNED = set("（《「『【〔〖〈［｛“‘/／([{")
CLOSING = set("，。、；：？！）］｝〕〗】》〉」』”’")
OPENING = set("（［｛〔〖【《〈「『“‘")
UNITS = set("万亿年月日")


def is_han(ch: str) -> bool:
    """Return True for a CJK ideograph."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


@dataclass
class Row:
    """One line fragment: characters sharing a baseline, split at wide gaps (as pdfcheck)."""

    page: int
    bottom: float
    size: float
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


@dataclass
class Metrics:
    """Everything the typography tests assert, measured from one PDF."""

    flush: int = 0
    full_lines: int = 0
    last_lines: int = 0  # of full_lines: a paragraph's last line (next one indented), ragged
    short: list[str] = field(default_factory=list)
    banned: list[str] = field(default_factory=list)  # lines starting/ending with a banned mark
    splits: list[tuple[str, str]] = field(default_factory=list)  # digit|digit or Latin|Latin
    unit_breaks: list[str] = field(default_factory=list)  # a digit | 万亿年月日
    dash_starts: list[str] = field(default_factory=list)  # a line starting with "—"
    han_gaps: list[tuple[float, str]] = field(default_factory=list)  # widest gap (em), line
    tight: list[tuple[float, str]] = field(default_factory=list)  # narrowest gap < 0, line
    pairs: int = 0
    pairs_compressed: int = 0
    uncompressed: list[str] = field(default_factory=list)
    end_marks: int = 0  # justified lines ending with a closing mark ...
    end_marks_half: int = 0  # ... whose mark takes half an em (GB/T 15834 5.1.10)
    lines: int = 0
    word_spaces: list[tuple[float, str]] = field(default_factory=list)  # em, line (full lines)
    runts: list[str] = field(default_factory=list)  # paragraph last lines of <= 2 characters
    paragraphs: int = 0

    @property
    def justify_share(self) -> float:
        """Share of flush lines as pdfcheck counts them."""
        return self.flush / self.full_lines if self.full_lines else 0.0

    @property
    def justified_share(self) -> float:
        """Share of flush lines among the lines that are not a paragraph's last line."""
        total = self.full_lines - self.last_lines
        return self.flush / total if total else 0.0

    @property
    def kinsoku(self) -> list[str]:
        """Every violation pdfcheck's kinsoku check reports."""
        return self.banned + [f"split: ...{a[-8:]} | {b[:8]}..." for a, b in self.splits]

    @property
    def max_han_gap(self) -> float:
        return max((gap for gap, _ in self.han_gaps), default=0.0)

    @property
    def max_word_space(self) -> float:
        return max((gap for gap, _ in self.word_spaces), default=0.0)

    def loose(self, limit: float) -> list[tuple[float, str]]:
        """Return the full lines with a Han-Han gap wider than `limit` em."""
        return [(round(gap, 3), text) for gap, text in self.han_gaps if gap > limit]

    @property
    def compression_share(self) -> float:
        return self.pairs_compressed / self.pairs if self.pairs else 1.0


def load_rows(path: Path | str) -> list[Row]:
    """Group a PDF's characters into line fragments exactly as booklet.check.pdfread does."""
    from booklet.check.pdfread import load_rows as pdf_rows

    return [Row(r.page, r.bottom, r.size, r.chars) for r in pdf_rows(Path(path))]


def measure(path: Path | str) -> Metrics:
    """Measure justification, kinsoku, gaps and punctuation compression of a PDF."""
    rows = load_rows(path)
    m = Metrics(lines=len(rows))
    counts = Counter((c["fontname"], round(c["size"], 1)) for r in rows for c in r.chars)
    font, size = counts.most_common(1)[0][0]
    body = [r for r in rows if all(round(c["size"], 1) == size for c in r.chars)
            and sum(c["fontname"] == font for c in r.chars) >= len(r.chars) / 2]
    # Footnote calls: short superscript rows of a smaller size, set inside body lines.
    calls = [c | {"page": r.page} for r in rows
             if r.size < size and len(r.chars) <= 3 for c in r.chars]
    _justify(m, body, size, calls)
    _kinsoku(m, rows)
    _compression(m, rows)
    return m


def _with_calls(r: Row, size: float, calls: list[dict]) -> tuple[float, list[tuple]]:
    """Return the row's right end (a footnote call ending it included) and the calls in it."""
    inside = sorted(((c["x0"], c["x1"]) for c in calls if c["page"] == r.page
                     and r.bottom - 1.2 * size < c["bottom"] < r.bottom + 0.1 * size
                     and r.chars[0]["x0"] < c["x0"]), key=lambda c: c[0])
    x1 = r.chars[-1]["x1"]
    for c0, c1 in inside:
        if 0 <= c0 - x1 < 0.5 * size:
            x1 = c1
    return x1, inside


def _justify(m: Metrics, body: list[Row], size: float, calls: list[dict] | None = None
             ) -> None:
    calls = calls or []
    ends = _paragraph_ends(body, size)
    m.paragraphs = len(ends)
    # A runt: the last line of a paragraph of several lines, of at most 2 characters.
    m.runts = [f"p{r.page}: {r.text}" for r, prev in zip(body[1:], body, strict=False)
               if id(r) in ends and id(prev) not in ends and len(r.text) <= 2]
    pages: dict[int, list[Row]] = {}
    for r in body:
        pages.setdefault(r.page, []).append(r)
    extended = {id(r): _with_calls(r, size, calls) for r in body}
    for frags in pages.values():
        for r in frags:
            x0 = r.chars[0]["x0"]
            col = [f for f in frags if abs(f.chars[0]["x0"] - x0) < 3 * size]
            plain = [extended[id(f)][0] for f in col
                     if f.chars[-1]["text"] not in START_BANNED]
            right = max(plain or [extended[id(f)][0] for f in col])
            x1, inside = extended[id(r)]
            if x1 < right - 2 * size or len(r.chars) < 8:
                continue  # a paragraph's last line, or a short fragment
            m.full_lines += 1
            last = r.chars[-1]["text"]
            hanging = x1 > right and last in START_BANNED and x1 - right <= 1.05 * size
            if last in CLOSING and id(r) not in ends:
                m.end_marks += 1
                m.end_marks_half += abs(r.chars[-1]["x0"] + 0.5 * size - right) <= 0.05 * size
            if abs(x1 - right) <= 0.6 or hanging:
                m.flush += 1
            elif id(r) in ends:
                m.last_lines += 1
            else:
                m.short.append(f"p{r.page} {right - x1:.1f}pt short: {r.text[:24]}")
            # Not across a footnote call ("决议¹首次"): the call fills that gap.
            gaps = [(b["x0"] - a["x1"]) / size for a, b in zip(r.chars, r.chars[1:], strict=False)
                    if is_han(a["text"]) and is_han(b["text"])
                    and not any(a["x1"] - 0.1 <= c0 < b["x0"] for c0, _ in inside)]
            if gaps:
                m.han_gaps.append((max(gaps), r.text))
                if min(gaps) < -0.002:  # set tighter than natural (linebreak.HAN_SHRINK)
                    m.tight.append((min(gaps), r.text))
            # A word space: between two western characters (no glyph for the space itself).
            spaces = [(b["x0"] - a["x1"]) / size
                      for a, b in zip(r.chars, r.chars[1:], strict=False)
                      if _western(a["text"]) and _western(b["text"])
                      and b["x0"] - a["x1"] > 0.1 * size]
            if spaces:
                m.word_spaces.append((max(spaces), r.text))


def _western(ch: str) -> bool:
    """Return True for a Latin letter, digit or ASCII punctuation."""
    return (ch.isascii() and ch.strip() != "") or "\u00c0" <= ch <= "\u024f"


def _paragraph_ends(body: list[Row], size: float) -> set[int]:
    """Return ids of rows followed by an indented row (a new paragraph) or by nothing."""
    lefts: dict[int, float] = {}
    for r in body:
        lefts[r.page] = min(lefts.get(r.page, r.chars[0]["x0"]), r.chars[0]["x0"])
    ends = set()
    for r, nxt in zip(body, [*body[1:], None], strict=True):
        if nxt is None or nxt.chars[0]["x0"] - lefts[nxt.page] > 1.5 * size:
            ends.add(id(r))
    return ends


def _kinsoku(m: Metrics, rows: list[Row]) -> None:
    prev: Row | None = None
    for r in rows:
        text = r.text
        if text[0] in START_BANNED and len(text) > 1:
            m.banned.append(f"p{r.page} starts with {text[0]!r}: {text[:20]}")
        if text[-1] in END_BANNED and len(text) > 1:
            m.banned.append(f"p{r.page} ends with {text[-1]!r}: {text[-20:]}")
        if text.startswith("—"):
            m.dash_starts.append(f"p{r.page}: {text[:20]}")
        if (prev and prev.page == r.page and prev.size == r.size
                and abs(prev.chars[0]["x0"] - r.chars[0]["x0"]) < 3 * r.size
                and 0 < r.bottom - prev.bottom < 2.5 * r.size):
            a, b = prev.text[-1], text[0]
            if (a.isdigit() and b.isdigit()) or (
                    a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
                m.splits.append((prev.text, text))
            if a.isdigit() and b in UNITS:
                m.unit_breaks.append(f"p{r.page}: ...{prev.text[-8:]} | {text[:8]}...")
        prev = r


def _compression(m: Metrics, rows: list[Row]) -> None:
    """Count adjacent mark pairs and those occupying at most 1.5 em (clreq; P1)."""
    punct = CLOSING | OPENING
    for r in rows:
        for a, b in zip(r.chars, r.chars[1:], strict=False):
            if a["text"] in punct and b["text"] in punct and not (
                    a["text"] in OPENING and b["text"] in CLOSING):
                m.pairs += 1
                # The second glyph's PDF width is its font advance (halt moves it, by
                # x_offset, for an opening mark); a narrow proportional quote counts as it is.
                span = (b["x0"] + b["width"] - a["x0"]) / r.size
                if span <= 1.55:
                    m.pairs_compressed += 1
                else:
                    m.uncompressed.append(f"p{r.page} {a['text']}{b['text']} {span:.2f}em")


def pdf_text(path: Path | str) -> str:
    """Return the PDF's text layer as pdfium extracts it (copy/paste, search)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def normalized(text: str) -> str:
    """Return *text* NFKC-normalised without whitespace (the fidelity checker's comparison)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
