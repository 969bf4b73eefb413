"""What every check returns (a located Finding) and how layout findings find their source."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from booklet.errors import Problem

if TYPE_CHECKING:
    from booklet.content.chapters import Booklet
    from booklet.content.config import Project

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# Every check id, the group it belongs to, and a one-line description (the JSON schema
# in the README lists the same table; tests assert the ids a planted fault produces).
CHECKS: dict[str, tuple[str, str]] = {
    "config": ("content", "booklet.yaml is invalid"),
    "content": ("content", "a chapter, block or data file is invalid"),
    "image-missing": ("content", "a photo's image file does not exist"),
    "image-invalid": ("content", "a photo cannot be used (damaged, animated, too large …)"),
    "image-colour": ("content", "a photo's colour was assumed or reduced (untagged RGB …)"),
    "glyph-missing": ("content", "a character no configured font can draw"),
    "link-broken": ("content", "an internal link points to an anchor that does not exist"),
    "link-local": ("content", "a link points to a local file, which a PDF reader cannot open"),
    "render": ("content", "the renderer reported a problem"),
    "copy-punctuation": ("copy", "half-width punctuation or brackets in Chinese text"),
    "copy-quotes": ("copy", "English quotation marks in Chinese text"),
    "copy-digit-grouping": ("copy", "long numbers written with and without digit groups"),
    "copy-page-reference": ("copy", "a page reference to a page the booklet does not have"),
    "copy-missing-number": ("copy", "a magnitude (多万, 多亿) with no number before it"),
    "copy-same-quantity": ("copy", "one quantity written two ways"),
    "text-overflow": ("layout", "a line is wider than its column"),
    "off-page": ("layout", "an element runs off the page"),
    "safe-area": ("layout", "text outside the safe area (page margins, 5 mm from the trim)"),
    "heading-at-foot": ("layout", "a heading is the last thing on a page"),
    "widow": ("layout", "a paragraph's last line alone at the top of a page"),
    "orphan": ("layout", "a paragraph's first line alone at the foot of a page"),
    "line-start": ("layout", "a line starts with a character that may not start a line"),
    "line-end": ("layout", "a line ends with a character that may not end a line"),
    "number-split": ("layout", "a number is split across two lines"),
    "word-split": ("layout", "a Latin word is split across two lines without a hyphen"),
    "unjustified": ("layout", "a full body line ends short of the measure"),
    "short-last-line": ("layout", "a paragraph ends with a line of two characters or fewer "
                        "(a runt, 孤字)"),
    "loose-line": ("layout", "a line with more than 0.15 em between Han characters"),
    "contrast": ("layout", "screen text below WCAG 2.2 AA contrast (4.5:1; 3:1 from 18 pt)"),
    "text-overlap": ("layout", "text printed over other text"),
    "text-over-image": ("layout", "text printed over a picture"),
    "outside-block": ("layout", "a picture outside the text block that is no margin element"),
    "off-grid": ("layout", "a body line off the line grid"),
    "footnote-lost": ("layout", "a footnote printed on no page (no room under its call)"),
    "footnote-moved": ("layout", "a footnote set on another page than its call"),
    "underfull": ("layout", "a running page ends with over 10% of its text block empty"),
    "font-embedding": ("output", "a font is not embedded, not subset, or Type 3"),
    "pdfx": ("output", "PDF/X structure: output intent, version, page boxes"),
    "image-resolution": ("output", "a print image is below 300 ppi (error below 200) as placed"),
    "size-budget": ("output", "the screen PDF is larger than images.screen_budget_mb"),
    "rgb-in-print": ("output", "RGB colour in the print edition"),
    "page-count": ("output", "the print edition's page count is not a multiple of 4"),
    "bleed": ("output", "a full-bleed element stops at the trim instead of the bleed edge"),
    "output-intent": ("output", "generic output intent: the printer must confirm it"),
    "ink-overprint": ("output", "100 % K text in the print edition does not overprint"),
    "ink-plates": ("output", "small text (under print.ink.single_plate_below) on 2+ plates"),
    "ink-hairline": ("output", "a hairline (print.ink.hairline or thinner) on 2+ plates"),
    "ink-min-size": ("output", "text under print.ink.min_text"),
    "ink-reversed": ("output", "small white text reversed out of a field of 2+ plates"),
}


@dataclass(frozen=True)
class Finding:
    """One result of a check: what is wrong, where (source line and/or page), how to fix it."""

    severity: Severity
    check: str
    message: str
    hint: str | None = None
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    page: int | None = None
    edition: str | None = None

    @property
    def group(self) -> str:
        """Return content, copy, layout or output."""
        return CHECKS.get(self.check, ("content", ""))[0]

    @classmethod
    def of(cls, problem: Problem, severity: Severity, check: str,
           edition: str | None = None) -> Finding:
        """Return a finding carrying a Problem's message and location."""
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        return cls(severity, check, message, problem.hint, problem.file, problem.line,
                   problem.column, edition=edition)

    def relpath(self, root: Path) -> str | None:
        """Return the file relative to *root* when inside it."""
        if self.file is None:
            return None
        with contextlib.suppress(ValueError):
            return str(self.file.resolve().relative_to(root.resolve()))
        return str(self.file)

    def where(self, root: Path) -> str:
        """Return ``file:line:col`` and/or ``p. N`` for a human reader."""
        parts = []
        if self.file is not None:
            text = self.relpath(root) or ""
            if self.line is not None:
                text += f":{self.line}"
                if self.column is not None:
                    text += f":{self.column}"
            parts.append(text)
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return "  ".join(parts)

    def to_json(self, root: Path) -> dict[str, Any]:
        """Return the finding as plain data (the --json item schema)."""
        return {"severity": self.severity, "check": self.check, "group": self.group,
                "message": self.message, "hint": self.hint, "file": self.relpath(root),
                "line": self.line, "column": self.column, "page": self.page,
                "edition": self.edition}


def merge_editions(findings: list[Finding]) -> list[Finding]:
    """Report a finding both editions share once, with edition "screen+print"."""
    merged: dict[tuple[Any, ...], Finding] = {}
    for f in findings:
        key = (f.severity, f.check, f.message, f.file, f.line, f.column, f.page)
        if key in merged and merged[key].edition and f.edition \
                and f.edition not in merged[key].edition.split("+"):
            merged[key] = replace(merged[key], edition=f"{merged[key].edition}+{f.edition}")
        else:
            merged.setdefault(key, f)
    return list(merged.values())


_MARKUP = re.compile(r"\[\^[^\]]*\]|[*_`\\]")
_RUN = re.compile(r"[\w\u3000-\u303f\uff00-\uffef“”‘’—…·]+")


class SourceIndex:
    """Find the source line of text seen on a page, an anchor or an image path."""

    def __init__(self, project: Project, booklet: Booklet | None = None) -> None:
        self.seeds = project.seeds
        self.lines: list[tuple[Path, int, str]] = []
        files = [project.seeds / "booklet.yaml", *project.chapter_files()]
        for file in files:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if file.suffix == ".yaml" and line.lstrip().startswith("#"):
                    continue  # a YAML comment is never printed
                # Markup characters split the text seen on the page; drop them for matching.
                self.lines.append((file, number, _MARKUP.sub("", line)))
        self.anchors: dict[str, tuple[Path, int]] = {}
        if booklet is not None:
            for chapter in booklet.chapters:
                self.anchors[chapter.anchor] = (chapter.file, 2)
                self.anchors[f"chapter-{chapter.meta.id}"] = (chapter.file, 2)
                for heading in chapter.headings:
                    self.anchors[heading.anchor] = (chapter.file, heading.line)

    def find(self, snippet: str) -> tuple[Path, int] | None:
        """Return the first source line containing *snippet*."""
        if not snippet:
            return None
        for file, number, text in self.lines:
            if snippet in text:
                return file, number
        return None

    def locate_source(self, value: str | None, text: str = "") -> tuple[Path, int] | None:
        """Return the place a data-src attribute names, refined to the line holding *text*.

        The attribute gives a paragraph's first line; a line of print further down the
        paragraph is looked for in the paragraph's own source lines (up to a blank line).
        """
        from booklet.content.sourcemap import parse

        parsed = parse(value)
        if parsed is None:
            return None
        file, start = self.seeds / parsed[0], parsed[1]
        block = []
        for f, number, line in self.lines:
            if f == file and number >= start:
                if not line.strip() and number > start:
                    break
                block.append((number, line))
        for run in sorted(_RUN.findall(text), key=len, reverse=True)[:3]:
            for size in (16, 10, 6, 4):
                piece = run[:size]
                if len(piece) < 2:
                    continue
                hit = next((n for n, line in block if piece in line), None)
                if hit is not None:
                    return file, hit
        return file, start

    def locate_text(self, text: str) -> tuple[Path, int] | None:
        """Return the source line of a line of text as printed (tries several fragments)."""
        runs = sorted(_RUN.findall(text), key=len, reverse=True)
        for run in runs[:3]:
            if len(run) < 4 and len(runs) > 1:
                continue
            for size in (16, 10, 6, 4):
                if len(run) >= size or size == 4:
                    for piece in (run[:size], run[-size:], run[len(run) // 2:][:size]):
                        found = self.find(piece)
                        if found:
                            return found
        return None
