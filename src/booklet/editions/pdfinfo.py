"""Read facts back from a written PDF for the build report: fonts, boxes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class FontInfo:
    """One font as the PDF carries it."""

    name: str
    type: str
    embedded: bool
    subset: bool


def pdf_fonts(data: bytes) -> list[FontInfo]:
    """Return the fonts of a PDF (pages and the forms they draw), sorted by name."""
    import pikepdf

    found: dict[str, FontInfo] = {}
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [page.obj.get("/Resources") for page in pdf.pages]
        while stack:
            resources = stack.pop()
            if not isinstance(resources, pikepdf.Dictionary):
                continue
            if resources.is_indirect:
                if resources.objgen in seen:
                    continue
                seen.add(resources.objgen)
            for font in (resources.get("/Font") or {}).values():
                for desc in font.get("/DescendantFonts", [font]):
                    name = str(desc.get("/BaseFont", "/?"))[1:]
                    descriptor = desc.get("/FontDescriptor") or {}
                    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                             "/FontFile3"))
                    found[name] = FontInfo(name, str(desc.get("/Subtype", "/?"))[1:],
                                           embedded, bool(_SUBSET.match(name)))
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    stack.append(xobject.get("/Resources"))
    return sorted(found.values(), key=lambda f: f.name)


def written_fonts(pdf: Any) -> list[FontInfo]:
    """Return what pdf_fonts would read back, from a pydyf PDF about to be written.

    The same walk as pdf_fonts (pages' resources, then the forms they draw) over pydyf's
    objects, resolving "N 0 R" references through pdf.objects: no parsing of the bytes
    (0.03–0.06 s at 437 pages). Equal to pdf_fonts of the written file (tested).
    """

    def resolve(value: Any) -> Any:
        if isinstance(value, bytes | str):
            text = value.decode() if isinstance(value, bytes) else value
            parts = text.split()
            if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit():
                return pdf.objects[int(parts[0])]
        return value

    def get(container: Any, key: str) -> Any:
        mapping = getattr(container, "extra", container)  # a Stream keeps its dict in .extra
        return resolve(mapping.get(key)) if isinstance(mapping, dict) else None

    found: dict[str, FontInfo] = {}
    seen: set[int] = set()
    kids = pdf.pages["Kids"]  # pydyf keeps the page references flat: number, 0, "R"
    stack = [get(pdf.objects[number], "Resources") for number in kids[0::3]]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, dict) or id(resources) in seen:
            continue
        seen.add(id(resources))
        for font in (get(resources, "Font") or {}).values():
            font = resolve(font)
            for desc in get(font, "DescendantFonts") or [font]:
                desc = resolve(desc)
                name = _text(get(desc, "BaseFont") or "/?")[1:]
                descriptor = get(desc, "FontDescriptor") or {}
                embedded = any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
                found[name] = FontInfo(name, _text(get(desc, "Subtype") or "/?")[1:],
                                       embedded, bool(_SUBSET.match(name)))
        for xobject in (get(resources, "XObject") or {}).values():
            xobject = resolve(xobject)
            if _text(get(xobject, "Subtype") or "") == "/Form":
                stack.append(get(xobject, "Resources"))
    return sorted(found.values(), key=lambda f: f.name)


def _text(value: Any) -> str:
    """Return a pydyf name or string value as text."""
    return value.decode() if isinstance(value, bytes) else str(value)
