"""Independent checks of a typeset Chinese PDF, read from the finished file alone: CJK
justification, line-break rules (kinsoku), fidelity to the source text, embedded fonts, PDF/X
structure, tagging and the outline. Each check returns a `PdfCheck` whose summary carries a
figure; `python -m booklet.check.pdfread CHECK PDF [--min N] [--source FILE]` prints it and
exits 0 when the check holds, 1 when it falls short and 2 on a usage error."""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from booklet.editions.pdfinfo import pdf_fonts

# Characters a line must not start with, and those it must not end with (GB/T 15834 usage).
START_BANNED = frozenset("，。、；：？！）》」』】〕〗〉］｝”’…‥·–～/／%‰℃°+,.;:?!)]}")
END_BANNED = frozenset("（《「『【〔〖〈［｛“‘/／([{")

Char = dict[str, Any]  # one pdfplumber character


class Row(NamedTuple):
    """One line fragment: characters sharing a baseline and size, split at wide gaps."""

    page: int
    bottom: float
    size: float
    chars: list[Char]


@dataclass(frozen=True)
class PdfCheck:
    """The outcome of one check: the figure in `summary`, the offending items in `details`."""

    name: str
    ok: bool
    summary: str
    details: tuple[str, ...]


def load_rows(pdf: Path) -> list[Row]:
    """Return the line fragments of every page, in reading order."""
    try:  # a development dependency only: the build does not need it
        import pdfplumber
    except ImportError as exc:
        raise RuntimeError("this check reads characters with pdfplumber: "
                           "pip install pdfplumber") from exc
    rows: list[Row] = []
    with pdfplumber.open(pdf) as doc:
        for pno, page in enumerate(doc.pages, 1):
            by_line: dict[tuple[float, float], list[Char]] = {}
            # One line of one size; faces differ in their descent (LXGW WenKai sits 0.03 em
            # higher than Noto Serif CJK): bottoms within 0.1 em are one baseline.
            chars = sorted((c for c in page.chars if c["text"].strip()),
                           key=lambda c: (round(c["size"], 1), c["bottom"]))
            key = (math.nan, math.nan)
            for c in chars:
                size = round(c["size"], 1)
                if size != key[1] or c["bottom"] - key[0] > 0.1 * size:
                    key = (round(c["bottom"] * 2) / 2, size)
                by_line.setdefault(key, []).append(c)
            for (bottom, size), chars in by_line.items():
                chars.sort(key=lambda c: c["x0"])
                frag = [chars[0]]
                for c in chars[1:]:
                    # a gap wider than 1.5 em separates columns, not words
                    if c["x0"] - frag[-1]["x1"] > 1.5 * size:
                        rows.append(Row(pno, bottom, size, frag))
                        frag = [c]
                    else:
                        frag.append(c)
                rows.append(Row(pno, bottom, size, frag))
    rows.sort(key=lambda r: (r.page, r.bottom, r.chars[0]["x0"]))
    return rows


def _paragraph_ends(body: list, size: float) -> set[int]:
    """Return ids of the char lists of rows followed by an indented row (a new paragraph)."""
    lefts: dict[int, float] = {}
    for r in body:
        lefts[r.page] = min(lefts.get(r.page, r.chars[0]["x0"]), r.chars[0]["x0"])
    return {id(r.chars) for r, nxt in itertools.pairwise(body)
            if nxt.chars[0]["x0"] - lefts[nxt.page] > 1.5 * size}


def justify(pdf: Path, minimum: float = 0.98) -> PdfCheck:
    """Measure the share of full-measure body lines that end flush with their column."""
    rows = load_rows(pdf)
    if not rows:
        return PdfCheck("justify", False, "justify: no text in the PDF", ())
    # the body is the (font, size) that sets the most characters
    counts = Counter((c["fontname"], round(c["size"], 1)) for r in rows for c in r.chars)
    font, size = counts.most_common(1)[0][0]
    pages: dict[int, list[list[Char]]] = {}
    body = [r for r in rows if all(round(c["size"], 1) == size for c in r.chars)
            and sum(c["fontname"] == font for c in r.chars) >= len(r.chars) / 2]
    for r in body:
        pages.setdefault(r.page, []).append(r.chars)
    ends = _paragraph_ends(body, size)
    flush = total = 0
    worst: list[tuple[float, int, str]] = []
    for pno, frags in pages.items():
        for frag in frags:
            # a column is the body fragments of the page sharing this one's left edge
            col = [f for f in frags if abs(f[0]["x0"] - frag[0]["x0"]) < 3 * size]
            # the measure ends where the widest line not ending in punctuation ends
            # (punctuation may hang past it)
            plain = [f[-1]["x1"] for f in col if f[-1]["text"] not in START_BANNED]
            right = max(plain or [f[-1]["x1"] for f in col])
            x1 = frag[-1]["x1"]
            if x1 < right - 2 * size or len(frag) < 8:
                continue  # a paragraph's last line, or a short fragment
            if id(frag) in ends and x1 < right - 0.6:
                continue  # a paragraph's last line keeps its natural width (clreq)
            total += 1
            hanging = (x1 > right and frag[-1]["text"] in START_BANNED
                       and x1 - right <= 1.05 * size)
            if abs(x1 - right) <= 0.6 or hanging:
                flush += 1
            else:
                text = "".join(c["text"] for c in frag)[:24]
                worst.append((round(right - x1, 1), pno, text))
    worst.sort(reverse=True)
    details = tuple(f"page {pno}: {gap} pt short: {text}" for gap, pno, text in worst[:8])
    share = flush / total if total else 0.0
    summary = (f"justify: {flush}/{total} full body lines flush = {share:.1%} "
               f"(body {font} {size}pt)")
    return PdfCheck("justify", share >= minimum, summary, details)


def kinsoku(pdf: Path) -> PdfCheck:
    """Find lines that start or end with a banned character or split a number or word."""
    rows = load_rows(pdf)
    bad: list[str] = []
    prev: Row | None = None
    before = ""  # the previous fragment's text
    for row in rows:
        text = "".join(c["text"] for c in row.chars)
        if text[0] in START_BANNED and len(text) > 1:
            bad.append(f"page {row.page}: line starts with {text[0]!r}: {text[:20]}")
        if text[-1] in END_BANNED and len(text) > 1:
            bad.append(f"page {row.page}: line ends with {text[-1]!r}: {text[-20:]}")
        # only the next line of the same column and paragraph continues this one
        if (prev and prev.page == row.page and prev.size == row.size
                and abs(prev.chars[0]["x0"] - row.chars[0]["x0"]) < 3 * row.size
                and 0 < row.bottom - prev.bottom < 2.5 * row.size):
            a, b = before[-1], text[0]
            if (a.isdigit() and b.isdigit()) or (
                    a.isascii() and a.isalpha() and b.isascii() and b.isalpha()):
                bad.append(f"page {row.page}: split inside a number or word: "
                           f"...{before[-8:]} | {text[:8]}...")
        prev, before = row, text
    summary = f"kinsoku: {len(bad)} violations in {len(rows)} lines"
    return PdfCheck("kinsoku", not bad, summary, tuple(bad[:20]))


def _norm(text: str) -> str:
    """Fold full-width forms and drop all whitespace, so line breaks do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def source_sentences(source: Path) -> list[str]:
    """Return the source's sentences of four characters or more, markup removed."""
    text = re.sub(r"<sup>\d+</sup>", "\n", source.read_text(encoding="utf-8"))
    text = re.sub(r"^#+ |^- |\*\*", "", text, flags=re.M)
    return [s for line in text.splitlines()
            for s in map(_norm, re.split(r"(?<=[。！？；])", line)) if len(s) >= 4]


def fidelity(pdf: Path, source: Path, minimum: float = 1.0) -> PdfCheck:
    """Measure the share of the source's sentences found in the PDF text."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    pages = [doc[i].get_textpage().get_text_range().splitlines() for i in range(len(doc))]
    doc.close()
    seen = Counter(s.strip() for lines in pages for s in set(lines) if 0 < len(s.strip()) <= 30)
    # page numbers and running heads are not content: drop digit-only lines and lines
    # repeated on 3+ pages
    text = _norm("".join(s for lines in pages for s in lines
                         if not re.fullmatch(r"\s*[\divxlcIVXLC]+\s*", s) and seen[s.strip()] < 3))
    sentences = source_sentences(source)
    if not sentences:
        raise ValueError(f"{source}: no sentence to look for")
    missing = [s for s in sentences if s not in text]
    share = 1 - len(missing) / len(sentences)
    summary = (f"fidelity: {len(sentences) - len(missing)}/{len(sentences)} seed sentences "
               f"in the PDF = {share:.1%}")
    details = tuple("missing: " + m[:40] for m in missing[:15])
    return PdfCheck("fidelity", share >= minimum, summary, details)


def fonts(pdf: Path) -> PdfCheck:
    """Check that every font is embedded and subset, and none is Type 3."""
    found = pdf_fonts(pdf.read_bytes())
    bad = [f"{f.name} ({f.type}): embedded {f.embedded}, subset {f.subset}" for f in found
           if not (f.embedded and f.subset) or f.type == "Type3"]
    summary = f"fonts: {len(found)} fonts, {len(bad)} not embedded/subset or Type 3"
    return PdfCheck("fonts", bool(found) and not bad, summary, tuple(bad))


def pdfx(pdf: Path) -> PdfCheck:
    """Check the PDF/X structure: output intent, version key, TrimBox and BleedBox."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(pdf) as doc:
        intents = doc.Root.get("/OutputIntents")
        if not intents or not any(i.get("/S") == "/GTS_PDFX" for i in intents):
            problems.append("no GTS_PDFX output intent")
        elif not any("/DestOutputProfile" in i for i in intents):
            problems.append("output intent has no ICC profile")
        # PDF/X-4 may carry the version in XMP only
        version = str(doc.docinfo.get("/GTS_PDFXVersion", ""))
        if not version:
            match = re.search(r"GTS_PDFXVersion[>=\"']+([^<\"']+)", str(doc.open_metadata()))
            version = match[1] if match else ""
        if not version:
            problems.append("no GTS_PDFXVersion")
        for n, page in enumerate(doc.pages, 1):
            trim, bleed = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
            if trim is None or bleed is None:
                problems.append(f"page {n}: missing TrimBox/BleedBox")
                continue
            t, b = [float(v) for v in trim], [float(v) for v in bleed]
            m = [float(v) for v in page.obj.get("/MediaBox", page.mediabox)]
            margin = min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3])
            if margin < 8.4:  # 3 mm is 8.5 pt; allow rounding
                problems.append(f"page {n}: bleed {margin:.1f} pt < 3 mm")
            if (m[0] > b[0] + 0.01 or m[1] > b[1] + 0.01
                    or m[2] < b[2] - 0.01 or m[3] < b[3] - 0.01):
                problems.append(f"page {n}: BleedBox outside MediaBox")
        count = len(doc.pages)
    summary = f"pdfx: version {version or '-'}, {count} pages, {len(problems)} problems"
    return PdfCheck("pdfx", not problems, summary, tuple(problems[:12]))


def tagged(pdf: Path) -> PdfCheck:
    """Check the accessibility basics: MarkInfo, StructTreeRoot, Lang zh, title shown."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        if not (root.get("/MarkInfo") and root.MarkInfo.get("/Marked")):
            problems.append("MarkInfo/Marked not true")
        if "/StructTreeRoot" not in root:
            problems.append("no StructTreeRoot")
        if not str(root.get("/Lang", "")).lower().startswith("zh"):
            problems.append(f"Lang is {root.get('/Lang')!r}, not zh")
        prefs = root.get("/ViewerPreferences")
        if not (prefs and prefs.get("/DisplayDocTitle")):
            problems.append("DisplayDocTitle not set")
        if not str(doc.docinfo.get("/Title", "")).strip():
            problems.append("no Title")
    summary = f"tagged: {len(problems)} problems"
    return PdfCheck("tagged", not problems, summary, tuple(problems))


def outline(pdf: Path, minimum: int = 5) -> PdfCheck:
    """Count the bookmarks; the details list their titles, indented by depth."""
    import pikepdf

    titles: list[str] = []

    def walk(items: Sequence[Any], depth: int) -> None:
        for item in items:
            titles.append("  " * depth + item.title)
            walk(item.children, depth + 1)

    with pikepdf.open(pdf) as doc, doc.open_outline() as tree:
        walk(tree.root, 0)
    return PdfCheck("outline", len(titles) >= minimum, f"outline: {len(titles)} bookmarks",
                    tuple(titles[:40]))


CHECKS: dict[str, Callable[..., PdfCheck]] = {
    f.__name__: f for f in (justify, kinsoku, fidelity, fonts, pdfx, tagged, outline)}


def main(argv: list[str] | None = None) -> int:
    """Run one check from the command line and return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m booklet.check.pdfread",
                                     description=__doc__)
    parser.add_argument("check", choices=CHECKS)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--min", type=float, help="the threshold (justify, fidelity, outline)")
    # --seed is the original script's name for the source text
    parser.add_argument("--source", "--seed", type=Path, help="the source text (fidelity)")
    try:
        args = parser.parse_args(argv)
        if args.check == "fidelity" and args.source is None:
            parser.error("fidelity needs --source FILE")
    except SystemExit as exc:  # argparse exits on usage errors; report them as a status
        return exc.code if isinstance(exc.code, int) else 2
    options: dict[str, Any] = {"source": args.source} if args.check == "fidelity" else {}
    if args.min is not None and args.check in ("justify", "fidelity", "outline"):
        # a count meets 4.5 exactly when it meets 5
        options["minimum"] = math.ceil(args.min) if args.check == "outline" else args.min
    result = CHECKS[args.check](args.pdf, **options)
    for line in result.details:
        print("  " + line)
    print(result.summary)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
