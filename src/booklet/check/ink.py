"""Ink checks of the print edition, read from its content streams (booklet.yaml `print.ink`).

Text in 100 % K overprints; text under `single_plate_below` and lines up to `hairline` print
on one plate; no text is under `min_text`; no paper-white text under `reversed_min` is
reversed out of a field of two or more plates. Each breach is reported once per page and
kind, with the source line of its text where the text can be found in the sources.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from booklet.check.common import Finding, SourceIndex
from booklet.content.config import Config, to_pt
from booklet.editions.ink import Paint, is_black, paints, plates

EPS = 0.01


def _rules(config: Config) -> dict[str, float]:
    ink = config.print.ink
    return {"single": to_pt(ink.single_plate_below), "hairline": to_pt(ink.hairline),
            "min": to_pt(ink.min_text), "reversed": to_pt(ink.reversed_min)}


def breaches(data: bytes, config: Config) -> dict[tuple[str, int, float, str], list[Paint]]:
    """Return the paints that break an ink rule, by (check, page, size, colour)."""
    import pikepdf

    rules = _rules(config)
    found: dict[tuple[str, int, float, str], list[Paint]] = defaultdict(list)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        every = list(paints(pdf))
    fields: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for p in every:
        n = plates(p.colour)
        colour = _name(p.colour)
        if p.kind == "fill" and n >= 2:
            fields[p.page] += list(p.rects)
        if p.kind == "text":
            if p.size < rules["min"] - EPS:
                found[("ink-min-size", p.page, p.size, colour)].append(p)
            if p.size < rules["single"] - EPS and n > 1:
                found[("ink-plates", p.page, p.size, colour)].append(p)
            if config.print.ink.overprint and is_black(p.colour) and not p.overprint:
                found[("ink-overprint", p.page, p.size, colour)].append(p)
            if n == 0 and p.size < rules["reversed"] - EPS and _inside(p.at, fields[p.page]):
                found[("ink-reversed", p.page, p.size, colour)].append(p)
        elif EPS < p.size <= rules["hairline"] + EPS and n > 1:
            found[("ink-hairline", p.page, p.size, colour)].append(p)
    return found


def check_ink(data: bytes, config: Config, index: SourceIndex | None = None,
              edition: str = "print") -> list[Finding]:
    """Return one finding per ink breach kind, page, size and colour of the print PDF."""
    rules = _rules(config)
    found = breaches(data, config)
    texts = _page_texts(data, {key[1] for key in found if key[0] != "ink-hairline"})
    out = []
    for (check, page, size, colour), items in sorted(found.items()):
        text = _text_of(texts.get(page, []), size, items[0].colour) if check != "ink-hairline" \
            else ""
        where = index.locate_text(text) if index is not None and len(text) >= 4 else None
        what = {"ink-min-size": f"text at {size:g} pt is under the {rules['min']:g} pt minimum",
                "ink-plates": f"{size:g} pt text in {colour} prints on {plates(items[0].colour)} "
                              f"plates (under {rules['single']:g} pt: one plate)",
                "ink-overprint": f"{size:g} pt black text does not overprint",
                "ink-reversed": f"{size:g} pt white text reversed out of a field of 2+ plates",
                "ink-hairline": f"a {size:g} pt line in {colour} prints on "
                                f"{plates(items[0].colour)} plates (hairlines: one plate)"}[check]
        hint = {"ink-min-size": "set it in var(--size-small) or larger (figures: theme.small_pt)",
                "ink-plates": "use a one-plate colour token for small type (ink, muted, "
                              "brand-fine) in styles/print.css",
                "ink-overprint": "keep print.ink.overprint true; it is set after rendering",
                "ink-reversed": "set it larger, or on a one-plate field",
                "ink-hairline": "use the rule or ink token (K only) for thin lines"}[check]
        sample = f" “{text[:24]}”" if text else ""
        out.append(Finding("error", check, f"{what}{sample} ({len(items)}×)", hint,
                           where[0] if where else None, where[1] if where else None,
                           page=page, edition=edition))
    return out


def _name(colour: tuple[str, tuple[float, ...]]) -> str:
    space, values = colour
    if space == "/DeviceCMYK" and len(values) == 4:
        return "C{:g} M{:g} Y{:g} K{:g}".format(*(round(v * 100) for v in values))
    return space.lstrip("/")


def _inside(at: tuple[float, float], boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = at
    return any(x0 - EPS <= x <= x1 + EPS and y0 - EPS <= y <= y1 + EPS
               for x0, y0, x1, y1 in boxes)


def _page_texts(data: bytes, pages: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Return the characters of *pages* (size, colour, text) read with pdfplumber."""
    if not pages:
        return {}
    try:  # a development dependency: without it findings carry the page only
        import pdfplumber
    except ImportError:
        return {}

    out: dict[int, list[dict[str, Any]]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number in sorted(pages):
            out[number] = [{"size": c["size"], "colour": c.get("non_stroking_color"),
                            "text": c["text"]} for c in pdf.pages[number - 1].chars]
    return out


def _text_of(chars: list[dict[str, Any]], size: float,
             colour: tuple[str, tuple[float, ...]]) -> str:
    """Return the page's text set at *size* in *colour* (to find its source line)."""
    want = tuple(round(v, 3) for v in colour[1])
    picked = []
    for c in chars:
        value = c["colour"]
        value = tuple(value) if isinstance(value, (list, tuple)) else (value,)
        if abs(c["size"] - size) < 0.05 and tuple(round(float(v), 3) for v in value) == want:
            picked.append(c["text"])
    return "".join(picked)
