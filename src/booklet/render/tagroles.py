"""How HTML elements become PDF structure types: HTML tags, ARIA roles, language, scope.

ElementTree (WeasyPrint's HTML tree) has no parent links, so the functions take a
child -> parent map of the page's document (`parent_map`).
"""

from __future__ import annotations

import re
from typing import Any

# Inline HTML that carries no meaning for a screen reader: its text belongs to the parent.
_TRANSPARENT = {"span", "em", "strong", "b", "i", "u", "small", "sup", "sub", "code", "abbr",
                "mark", "cite", "s", "time", "var", "kbd", "samp", "data", "br", "wbr"}
_BLOCK_ROLES = {"p": "P", "section": "Sect", "article": "Art", "main": "Part",
                "blockquote": "BlockQuote", "figcaption": "Caption", "caption": "Caption",
                "table": "Table", "thead": "THead", "tbody": "TBody", "tfoot": "TFoot",
                "tr": "TR", "th": "TH", "td": "TD", "ul": "L", "ol": "L", "dl": "L",
                "li": "LI", "dt": "Lbl", "dd": "LBody", "img": "Figure", "svg": "Figure",
                "a": "Link", "aside": "Aside", "nav": "Sect", "figure": "Div", "div": "Div",
                "header": "Div", "footer": "Div", "pre": "P", "hr": None, "q": "Quote"}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def local_name(element: Any) -> str:
    """Return an lxml element's tag without namespace, lower case."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def element_text(element: Any) -> str:
    """Return an element's text content with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def language_of(text: str, lang: str | None) -> str | None:
    """Return 'en' for text in English (Latin words, no Han), else the given language."""
    if lang:
        return lang
    if text and not _HAN.search(text) and len(_LATIN_WORD.findall(text)) >= 2:
        return "en"
    return None


def page_root(page_box: Any) -> Any:
    """Return the root HTML element a page's boxes come from, or None."""
    return next((child.element for child in getattr(page_box, "children", ())
                 if getattr(child, "is_for_root_element", False)), None)


def parent_map(page_box: Any) -> dict[Any, Any]:
    """Return child -> parent for the HTML tree of a page (ElementTree has no parent links)."""
    root = page_root(page_box)
    if root is None:
        return {}
    return {child: parent for parent in root.iter() for child in parent}


def role_of(element: Any, parents: dict[Any, Any]) -> str | None:
    """Return the structure type of an HTML element; None if it only passes content on."""
    name = local_name(element)
    role = element.get("role") or ""
    classes = (element.get("class") or "").split()
    if name in ("html", "body", "head"):
        return None
    if role == "heading" or name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        level = element.get("aria-level") or (name[1] if name[:1] == "h" else "2")
        return f"H{min(max(int(level) if level.isdigit() else 2, 1), 6)}"
    if role == "img":
        return "Figure"
    if role in ("list", "listitem"):
        return "L" if role == "list" else "LI"
    if "footnote" in classes:
        return "Note"
    if name in ("ol", "ul", "li") and _in_toc(element, parents):
        return "TOCI" if name == "li" else "TOC"
    if name in _TRANSPARENT:
        return "Span" if element.get("lang") else None
    return _BLOCK_ROLES.get(name, "Div")


def _in_toc(element: Any, parents: dict[Any, Any]) -> bool:
    """Return True if an ancestor of `element` is the table of contents."""
    parent = parents.get(element)
    while parent is not None:
        if local_name(parent) == "nav" and "toc" in (parent.get("class") or "").split():
            return True
        parent = parents.get(parent)
    return False


def scope_of(element: Any, parents: dict[Any, Any]) -> str:
    """Return the Scope of a header cell: as written, else Row for a row's first cell in a body."""
    scope = (element.get("scope") or "").lower()
    if scope in ("row", "col", "column", "both"):
        return {"row": "Row", "both": "Both"}.get(scope, "Column")
    row = parents.get(element)
    section = parents.get(row) if row is not None else None
    in_body = section is not None and local_name(section) == "tbody"
    first = row is not None and list(row).index(element) == 0
    return "Row" if in_body and first else "Column"


def svg_title(element: Any) -> str:
    """Return the <title> of an inline SVG element, if any."""
    for child in element:
        if local_name(child) == "title" and child.text:
            return child.text.strip()
    return ""
