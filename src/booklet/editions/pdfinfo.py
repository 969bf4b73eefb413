"""Read facts back from a written PDF for the build report: fonts, boxes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

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
