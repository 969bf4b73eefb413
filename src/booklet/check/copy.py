"""Copy-editing queries (group "copy"): what a Chinese copy editor would pencil in the margin.

Each query is a located suggestion, never a change: the text stays as written. The rules
read the chapter sources line by line (prose and the text values of component blocks) and
can be switched off one by one in booklet.yaml (`check: copy: {rule: false}`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.check.common import Finding

if TYPE_CHECKING:
    from booklet.content.config import Project

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# Half-width , ; : ? ! touching a Han character (either side).
_HALF = re.compile(rf"(?<=[{HAN}])[,;:?!]|[,;:?!](?=[{HAN}])")
_BRACKETS = re.compile(rf"\(([^()\n]*[{HAN}][^()\n]*)\)")
_QUOTES = re.compile(rf"(?<=[{HAN}，。；：、])\s?[\"']|[\"']\s?(?=[{HAN}])")
_PAGE = re.compile(r"第\s*(\d+)\s*页")
_BARE_MAGNITUDE = re.compile(r"(?<![\d零〇一二三四五六七八九十百千两几数上近逾])[多余][万亿]")
# Numbers of four or more digits: grouped ("3 600") or not ("3200"); years are not counted.
_GROUPED = re.compile(r"(?<![\d.,/])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d.])")
_UNGROUPED = re.compile(r"(?<![\d.,/A-Za-z])\d{4,}(?![\d.])")
_QUANTITY = re.compile(
    r"(?<![\d.,/A-Za-z])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(\.\d+)?([多余])?([万亿])?"
    r"(美元|亿美元|人|名|个|项|次|剂)")
# Lines and parts of lines that are not text: fences' machine keys, URLs, labels, code.
_MACHINE_KEY = re.compile(r"^\s*-?\s*(id|src|url|figure|data|size|separator|new_page)\s*:")
_NOT_TEXT = re.compile(r"https?://\S+|`[^`]*`|\]\([^)]*\)|\{#[^}]*\}|\[@[^\]]*\]|\[\^[^\]]*\]"
                       r"|<[^<>\n]*>")

RULES = ("half_width_punctuation", "english_quotes", "digit_grouping", "page_reference",
         "missing_number", "same_quantity")


def copy_queries(project: Project, pages: int | None = None) -> list[Finding]:
    """Return the copy-editing queries of every chapter (page references need *pages*)."""
    rules = project.config.check.copy_rules
    lines = list(_text_lines(project.chapter_files()))
    found: list[Finding] = []
    if rules.half_width_punctuation:
        found += _half_width(lines)
    if rules.english_quotes:
        found += [Finding("warning", "copy-quotes", "English quotation mark in Chinese text",
                          "use Chinese quotation marks “…” (and ‘…’ inside them)",
                          file, line, m.start() + 1)
                  for file, line, text, prose in lines if prose for m in _QUOTES.finditer(text)]
    if rules.page_reference and pages:
        found += [Finding("warning", "copy-page-reference",
                          f"“{m.group()}” refers to a page the booklet does not have "
                          f"({pages} pages)",
                          "check the page, or refer to the section instead: [@page:sec:id] "
                          "prints the page it lands on", file, line, m.start() + 1)
                  for file, line, text, _ in lines for m in _PAGE.finditer(text)
                  if int(m.group(1)) > pages]
    if rules.missing_number:
        found += [Finding("warning", "copy-missing-number",
                          f"“{m.group()}” has no number before it: a number seems lost",
                          f"write the number before it, e.g. “10{m.group()}”",
                          file, line, m.start() + 1)
                  for file, line, text, _ in lines for m in _BARE_MAGNITUDE.finditer(text)]
    if rules.digit_grouping:
        found += _digit_grouping(lines)
    if rules.same_quantity:
        found += _same_quantity(lines)
    return found


def _text_lines(files: list[Path]) -> list[tuple[Path, int, str, bool]]:
    """Return (file, line, text, is prose) for every line that carries printed text."""
    out: list[tuple[Path, int, str, bool]] = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        fence, front = False, bool(lines) and lines[0].strip() == "---"
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if front:
                front = not (number > 1 and stripped == "---")
                if number > 1 and not _MACHINE_KEY.match(line):
                    out.append((file, number, _blank(line), False))
                continue
            if stripped.startswith("```"):
                fence = not fence
                continue
            if fence and _MACHINE_KEY.match(line):
                continue
            out.append((file, number, _blank(line), not fence))
    return out


def _blank(line: str) -> str:
    """Replace what is not text (URLs, code, link targets, labels) with spaces."""
    return _NOT_TEXT.sub(lambda m: " " * len(m.group()), line)


def _half_width(lines: list[tuple[Path, int, str, bool]]) -> list[Finding]:
    """Query half-width punctuation and brackets next to Chinese text."""
    found: list[Finding] = []
    for file, line, text, prose in lines:
        if not prose:
            text = re.sub(r"^\s*-?\s*[A-Za-z_]+\s*:", lambda m: " " * len(m.group()), text)
        for m in _HALF.finditer(text):
            found.append(Finding(
                "warning", "copy-punctuation",
                f"half-width “{m.group()}” in Chinese text", f"write the full-width "
                f"“{_FULL[m.group()]}”", file, line, m.start() + 1))
        for m in _BRACKETS.finditer(text):
            found.append(Finding(
                "warning", "copy-punctuation",
                f"half-width brackets around Chinese: “{m.group()}”",
                f"write full-width brackets: “（{m.group(1)}）”", file, line, m.start() + 1))
    return found


def _digit_grouping(lines: list[tuple[Path, int, str, bool]]) -> list[Finding]:
    """Query the less used of two ways of writing long numbers ("3 600" and "3200")."""
    grouped, plain = [], []
    for file, line, text, _ in lines:
        grouped += [(file, line, m) for m in _GROUPED.finditer(text)]
        plain += [(file, line, m) for m in _UNGROUPED.finditer(text)
                  if not _is_year(text, m)]
    if not grouped or not plain:
        return []
    minority, example = (plain, grouped[0]) if len(plain) <= len(grouped) else (grouped, plain[0])
    shown = f"“{example[2].group()}” ({example[0].name}:{example[1]})"
    found = []
    for file, line, m in minority:
        digits = re.sub(r"\D", "", m.group())
        other = _group(digits) if minority is plain else digits
        found.append(Finding(
            "info", "copy-digit-grouping",
            f"“{m.group()}” is written differently from {shown}",
            f"write long numbers one way throughout, e.g. “{other}”", file, line, m.start() + 1))
    return found


def _is_year(text: str, m: re.Match[str]) -> bool:
    """Return True for a four-digit year (2023年, 2023—2024, A/79/1 numbers excluded)."""
    value = m.group()
    after = text[m.end():m.end() + 1]
    return len(value) == 4 and 1900 <= int(value) <= 2100 and after not in "多余万亿"


def _group(digits: str) -> str:
    """Return *digits* with a space every three digits from the right ("3 200")."""
    out = ""
    while len(digits) > 3:
        digits, out = digits[:-3], " " + digits[-3:] + out
    return digits + out


def _same_quantity(lines: list[tuple[Path, int, str, bool]]) -> list[Finding]:
    """Query one quantity written two ways ("1.52亿人" and "15 200万人")."""
    seen: dict[tuple[float, str, bool], list[tuple[Path, int, re.Match[str]]]] = defaultdict(list)
    for file, line, text, _ in lines:
        for m in _QUANTITY.finditer(text):
            whole, frac, approx, magnitude, unit = m.groups()
            value = float(re.sub(r"\D", "", whole) + (frac or ""))
            value *= {"万": 1e4, "亿": 1e8, None: 1}[magnitude]
            if unit == "亿美元":
                value, unit = value * 1e8, "美元"
            seen[(round(value, 2), unit, bool(approx))].append((file, line, m))
    found = []
    for items in seen.values():
        spellings = {re.sub(r"\s", "", m.group()) for _, _, m in items}
        if len(spellings) < 2:
            continue
        first = items[0]
        for file, line, m in items[1:]:
            if re.sub(r"\s", "", m.group()) != re.sub(r"\s", "", first[2].group()):
                found.append(Finding(
                    "info", "copy-same-quantity",
                    f"“{m.group()}” is the quantity written “{first[2].group()}” at "
                    f"{first[0].name}:{first[1]}",
                    "write one quantity one way throughout", file, line, m.start() + 1))
    return found
