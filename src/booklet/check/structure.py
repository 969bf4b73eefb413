"""Read a tagged PDF's structure tree back: the screen-reader order, and PDF/UA checks.

`reading_order()` lists the structure tree in reading order with the text of each element
(what a screen reader reads); `pdfua_findings()` runs the machine-checkable checkpoints of
the Matterhorn Protocol 1.1 that booklet's screen edition must pass, from the file alone
(pikepdf for the tree and the content streams, pdfium for the text of each MCID).
`python -m booklet.check.structure order|check X.pdf` prints either.
"""

from __future__ import annotations

import argparse
import ctypes
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The standard structure types of ISO 32000-1 14.8.4 (what a role map must end in).
STANDARD = frozenset({
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT",
    "WP", "Figure", "Formula", "Form"
})
_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
INLINE = frozenset({"Span", "Link", "Reference", "Quote", "Code", "Lbl"})
_PAINT = frozenset({"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*",
                    "b", "b*", "INLINE IMAGE"})
_PARENTS = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
            "LI": {"L"}, "Lbl": {"LI", "Note", "TOCI", "BibEntry"}, "LBody": {"LI"},
            "TOCI": {"TOC"}, "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}}


@dataclass(eq=False)
class Elem:
    """One structure element read back."""

    role: str
    entries: dict[str, Any]
    parent: Elem | None = None
    kids: list[Elem | tuple[int, int] | str] = field(default_factory=list)  # (page, mcid)

    def walk(self) -> Iterator[Elem]:
        """Yield this element and its descendants in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Elem):
                yield from kid.walk()


@dataclass(frozen=True)
class Finding:
    """One failed checkpoint."""

    checkpoint: str
    message: str


def read_tree(pdf: Any) -> Elem | None:
    """Return the structure tree of an open pikepdf PDF (roles resolved through the role map)."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
    top = Elem("StructTreeRoot", {})

    def kids_of(obj: Any) -> list[Any]:
        k = obj.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def visit(obj: Any, parent: Elem, page: int | None) -> None:
        own_page = pages.get(obj.Pg.objgen, page) if "/Pg" in obj else page
        elem = Elem(str(obj.S)[1:], {str(k): obj[k] for k in obj}, parent)
        parent.kids.append(elem)
        for kid in kids_of(obj):
            if isinstance(kid, int):
                elem.kids.append((own_page if own_page is not None else -1, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                elem.kids.append((pages.get(kid.Pg.objgen, -1) if "/Pg" in kid
                                  else own_page or -1, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                elem.kids.append("OBJR")
            elif isinstance(kid, pikepdf.Dictionary):
                visit(kid, elem, own_page)

    for kid in kids_of(root):
        visit(kid, top, None)
    return top


def mcid_texts(path: Path) -> dict[tuple[int, int], str]:
    """Return the text of every marked-content sequence, keyed by (page, MCID)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    texts: dict[tuple[int, int], str] = {}
    doc = pdfium.PdfDocument(path)
    try:
        for number in range(len(doc)):
            page = doc[number]
            textpage = page.get_textpage()
            for obj in page.get_objects(max_depth=4):
                if obj.type != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
                size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                        ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
                text = buffer.raw.decode("utf-16-le", "replace").rstrip("\0")
                texts[(number, mcid)] = texts.get((number, mcid), "") + text
    finally:
        doc.close()
    return texts


def reading_order(path: Path) -> list[str]:
    """Return the structure tree as text, one element a line, as a screen reader meets it."""
    import pikepdf

    texts = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
    if tree is None:
        return ["(no structure tree)"]

    def text_of(elem: Elem) -> str:
        parts = []
        for kid in elem.kids:
            if isinstance(kid, tuple):
                parts.append(texts.get(kid, ""))
            elif isinstance(kid, Elem) and kid.role in INLINE:
                inner = text_of(kid)
                if kid.role == "Reference":
                    inner = f"[{inner}]"
                elif "/Lang" in kid.entries:
                    inner = f"[{kid.entries['/Lang']}: {inner}]"
                parts.append(inner)
        joined = ""
        for part in parts:  # a line break between two English words: read a space
            space = joined[-1:].isascii() and joined[-1:].isalnum() and part[:1].isascii() \
                and part[:1].isalnum()
            joined += (" " if space else "") + part
        # pdfium reads letter-spaced Han (联 合 国) as spaced out; the text layer has no spaces
        return _HAN_GAP.sub("", " ".join(joined.split()))

    def label(elem: Elem) -> str:
        extra = "".join(f" {key[1:]}={str(elem.entries[key])!r}"
                        for key in ("/Lang", "/ID", "/T") if key in elem.entries)
        return elem.role + extra

    lines: list[str] = []

    def visit(elem: Elem, depth: int) -> None:
        pad = "  " * depth
        if elem.role == "Figure":
            lines.append(f"{pad}Figure: {elem.entries.get('/Alt', '(no alternative text)')}")
            return
        own = text_of(elem)
        lines.append(f"{pad}{label(elem)}" + (f": {own}" if own else ""))
        for kid in elem.kids:
            if isinstance(kid, Elem) and kid.role not in INLINE:
                visit(kid, depth + 1)

    for kid in tree.kids:
        if isinstance(kid, Elem):
            visit(kid, 0)
    return lines


def content_marks(pdf: Any) -> tuple[dict[int, set[int]], list[Finding]]:
    """Return the MCIDs used on each page and the findings of the content streams."""
    import pikepdf

    used: dict[int, set[int]] = {}
    findings: list[Finding] = []
    for number, page in enumerate(pdf.pages):
        stack: list[str] = []  # "A" artifact, "M" tagged (MCID), "-" other marks
        untagged = 0
        mcids = used.setdefault(number, set())
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if tag == "/Artifact":
                    if "M" in stack:
                        findings.append(Finding("01-003", f"p. {number + 1}: an artifact "
                                                "inside tagged content"))
                    stack.append("A")
                elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    if "A" in stack:
                        findings.append(Finding("01-004", f"p. {number + 1}: tagged content "
                                                f"MCID {int(props.MCID)} inside an artifact"))
                    mcids.add(int(props.MCID))
                    stack.append("M")
                else:
                    stack.append("-")
            elif op == "EMC" and stack:
                stack.pop()
            elif op in _PAINT and "A" not in stack and "M" not in stack:
                untagged += 1
        if untagged:
            findings.append(Finding("01-005", f"p. {number + 1}: {untagged} painting "
                                    "operator(s) neither tagged nor marked as artifact"))
    return used, findings


def pdfua_findings(path: Path) -> list[Finding]:
    """Run the machine-checkable PDF/UA checkpoints booklet guarantees; return the failures."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        findings = _document_findings(pdf)
        tree = read_tree(pdf)
        if tree is None:
            return [*findings, Finding("01-006", "no structure tree")]
        used, content = content_marks(pdf)
        findings += content
        findings += _tree_findings(pdf, tree, used)
    return findings


def _document_findings(pdf: Any) -> list[Finding]:
    """Catalog-level checkpoints: marked, language, title shown, Tabs on annotated pages."""
    found = []
    root = pdf.Root
    if not (root.get("/MarkInfo") and bool(root.MarkInfo.get("/Marked"))):
        found.append(Finding("06-001", "MarkInfo /Marked is not true"))
    prefs = root.get("/ViewerPreferences")
    if not (prefs is not None and bool(prefs.get("/DisplayDocTitle", False))):
        found.append(Finding("07-001", "ViewerPreferences /DisplayDocTitle is not true"))
    if not str(root.get("/Lang", "")).strip():
        found.append(Finding("11-001", "the document has no /Lang"))
    with pdf.open_metadata() as meta:
        if not str(meta.get("dc:title", "")).strip():
            found.append(Finding("06-003", "the XMP metadata has no dc:title"))
        if "pdfuaid:part" not in str(meta):
            found.append(Finding("06-002", "the XMP metadata has no PDF/UA identifier"))
    for number, page in enumerate(pdf.pages):
        if page.get("/Annots") and str(page.get("/Tabs", "")) != "/S":
            found.append(Finding("28-009", f"p. {number + 1}: annotations but /Tabs is not /S"))
    return found


def _tree_findings(pdf: Any, tree: Elem, used: dict[int, set[int]]) -> list[Finding]:
    """Structure-tree checkpoints: roles, nesting, headings, alt text, notes, links, MCIDs."""
    found: list[Finding] = []
    role_map = {str(k)[1:]: str(v)[1:] for k, v in
                pdf.Root.StructTreeRoot.get("/RoleMap", {}).items()}
    for name, target in role_map.items():
        if name in STANDARD:
            found.append(Finding("02-004", f"standard type {name} is remapped to {target}"))
        elif target not in STANDARD:
            found.append(Finding("02-001", f"{name} maps to {target}, not a standard type"))
    reached: dict[int, set[int]] = {}
    headings: list[int] = []
    ids: dict[str, int] = {}
    for elem in tree.walk():
        if elem is tree:
            continue
        role = role_map.get(elem.role, elem.role)
        if role not in STANDARD:
            found.append(Finding("02-001", f"{elem.role} is neither standard nor role-mapped"))
        for kid in elem.kids:
            if isinstance(kid, tuple):
                reached.setdefault(kid[0], set()).add(kid[1])
        parent = role_map.get(elem.parent.role, elem.parent.role) if elem.parent else ""
        if role in _PARENTS and parent not in _PARENTS[role]:
            found.append(Finding("09-004", f"{role} inside {parent}"))
        if role in ("L", "TOC"):
            allowed = {"LI", "L", "Caption"} if role == "L" else {"TOCI", "TOC", "Caption"}
            odd = sorted({k.role for k in elem.kids if isinstance(k, Elem)} - allowed)
            if odd:
                found.append(Finding("09-004", f"{role} holds {', '.join(odd)}"))
        if role[:1] == "H" and role[1:].isdigit():
            headings.append(int(role[1:]))
            ancestor = elem.parent
            while ancestor is not None:
                if ancestor.role[:1] == "H" and ancestor.role[1:].isdigit():
                    found.append(Finding("09-004", f"{role} nested in {ancestor.role}"))
                ancestor = ancestor.parent
        if role == "Figure" and not str(elem.entries.get("/Alt", "")).strip() \
                and "/ActualText" not in elem.entries:
            found.append(Finding("13-004", "a Figure without alternative text"))
        if role == "TH" and "/Scope" not in str(elem.entries.get("/A", "")):
            found.append(Finding("15-003", "a TH without a Scope attribute"))
        if role == "Note":
            ident = str(elem.entries.get("/ID", ""))
            if not ident:
                found.append(Finding("19-003", "a Note without an ID"))
            ids[ident] = ids.get(ident, 0) + 1
        if role == "Link" and "OBJR" not in elem.kids:
            found.append(Finding("28-011", "a Link element without its annotation"))
        if role == "TOCI" and sum(isinstance(k, Elem) and k.role == "Link"
                                  for k in elem.kids) != 1:
            found.append(Finding("booklet", "a TOCI without exactly one Link"))
    found += [Finding("19-004", f"Note ID {i!r} used {n} times") for i, n in ids.items() if n > 1]
    if headings and headings[0] != 1:
        found.append(Finding("14-002", f"the first heading is H{headings[0]}, not H1"))
    for before, after in itertools.pairwise(headings):
        if after > before + 1:
            found.append(Finding("14-003", f"H{after} follows H{before}"))
    for page, mcids in used.items():
        missing = sorted(mcids - reached.get(page, set()))
        if missing:
            found.append(Finding("01-007", f"p. {page + 1}: MCIDs {missing[:8]} are not in "
                                 "the structure tree"))
    for number, page in enumerate(pdf.pages):
        for annot in page.get("/Annots", []):
            if str(annot.get("/Subtype")) != "/Link":
                continue
            if "/StructParent" not in annot:
                found.append(Finding("28-011", f"p. {number + 1}: a link annotation not tagged"))
            if not str(annot.get("/Contents", "")).strip():
                found.append(Finding("28-012", f"p. {number + 1}: a link annotation without "
                                     "/Contents"))
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the reading order or the PDF/UA findings of a PDF."""
    parser = argparse.ArgumentParser(prog="python -m booklet.check.structure",
                                     description=__doc__)
    parser.add_argument("what", choices=("order", "check"))
    parser.add_argument("pdf", type=Path)
    args = parser.parse_args(argv)
    if args.what == "order":
        print("\n".join(reading_order(args.pdf)))
        return 0
    findings = pdfua_findings(args.pdf)
    for finding in findings:
        print(f"{finding.checkpoint}  {finding.message}")
    print(f"PDF/UA (Matterhorn, machine-checkable): {len(findings)} failure(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
