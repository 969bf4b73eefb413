"""The screen edition's tags: one structure tree for the whole booklet, decorations as artifacts.

WeasyPrint 70's `pdf.tags.add_tags` builds the structure tree page by page from the boxes, so
a paragraph running over a page break becomes two elements, each heading's text is wrapped in
a second copy of the heading tag, `::before`/`::after` and dot leaders become extra links and
tagged text, and the running heads and folios of margin boxes are marked content hung on
orphaned tags. This patch:

- wraps `document.draw_page` and `Stream.marked` so that the content of margin boxes, dot
  leaders and `aria-hidden` elements is drawn as `/Artifact` marked content, not tagged;
- replaces `pdf.add_tags` with a writer of the tree `booklet.render.tagtree` builds (one
  element per HTML element across pages, types from HTML and ARIA, Alt, Lang, Note IDs,
  link `/Contents` in words, a role map).

Only documents written with tags (the screen edition, PDF/UA-1) are affected.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from booklet.render.tagtree import ROLE_MAP, Annot, Marked, Node, TreeBuilder

# sha256[:16] of the source of each WeasyPrint 70.0 function this patch replaces, wraps or
# relies on (how content is marked while drawing, and how add_tags is called).
REVIEWED_SOURCES = {
    "weasyprint.pdf.tags:add_tags": "f0e74575b0bafaf3",
    "weasyprint.pdf.stream:Stream.marked": "3fa3acacbbf66422",
    "weasyprint.pdf.stream:Stream.artifact": "be61e42186804e99",
    "weasyprint.draw:draw_page": "d5bda6b6e6758688",
    "weasyprint.draw:draw_inline_level": "068162a401d00efd",
}
_ARTIFACTS: set[int] = set()  # ids of the boxes of the page being drawn that are decoration
STATS = {"unclaimed": 0}  # marked content no element claimed in the last document (tests)


class TaggingInstallError(RuntimeError):
    """WeasyPrint's tagging code is not the code this patch was reviewed against."""


def changed_sources() -> list[str]:
    """Return the functions whose source differs from the reviewed one."""
    from booklet.render.patches.guard import source_digest

    return [f"{path} (digest {source_digest(path)})"
            for path, digest in REVIEWED_SOURCES.items() if source_digest(path) != digest]


def install() -> None:
    """Install the artifact marking and the structure-tree writer (idempotent)."""
    import weasyprint.document
    import weasyprint.pdf
    from weasyprint.pdf.stream import Stream

    if getattr(weasyprint.pdf.add_tags, "__booklet_tags__", False):
        return
    changed = changed_sources()
    if changed:
        raise TaggingInstallError("WeasyPrint's tagging changed: " + "; ".join(changed)
                                  + ": review booklet/render/patches/tagging.py")
    original_draw_page = weasyprint.document.draw_page
    original_marked = Stream.marked

    def draw_page(page: Any, stream: Any) -> None:
        """Draw a page, knowing which of its boxes are decoration."""
        _ARTIFACTS.clear()
        if getattr(stream, "_tags", None) is not None:
            _ARTIFACTS.update(artifact_boxes(page))
        try:
            original_draw_page(page, stream)
        finally:
            _ARTIFACTS.clear()

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Any:
        """Mark a box's content as tagged content, or as an artifact if it is decoration."""
        if self._tags is not None and id(box) in _ARTIFACTS:
            with self.artifact():
                yield
            return
        with original_marked(self, box, tag):
            yield

    draw_page.__wrapped__ = original_draw_page  # type: ignore[attr-defined]
    marked.__wrapped__ = original_marked  # type: ignore[attr-defined]
    add_tags.__wrapped__ = weasyprint.pdf.add_tags  # type: ignore[attr-defined]
    weasyprint.document.draw_page = draw_page
    Stream.marked = marked
    weasyprint.pdf.add_tags = add_tags


def artifact_boxes(page_box: Any) -> set[int]:
    """Return the ids of the boxes drawn as artifacts: margin boxes, leaders, aria-hidden."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    from booklet.render.tagtree import parent_map

    parents = parent_map(page_box)
    hidden: dict[Any, bool] = {}

    def is_hidden(element: Any) -> bool:
        if element is None:
            return False
        if element not in hidden:
            parent = parents.get(element)
            hidden[element] = element.get("aria-hidden") == "true" or (
                parent is not None and is_hidden(parent))
        return hidden[element]

    found: set[int] = set()
    stack: list[tuple[Any, bool]] = [(page_box, False)]
    while stack:
        box, inside = stack.pop()
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        inside = (inside or isinstance(box, boxes.MarginBox) or bool(box.is_leader)
                  or is_hidden(box.element))
        if inside:
            found.add(id(box))
        if isinstance(box, boxes.ParentBox):
            stack.extend((child, inside) for child in box.children)
    return found


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """Write the structure tree of the whole document (replaces WeasyPrint's add_tags)."""
    builder = TreeBuilder()
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        builder.add_page(page._page_box, number, stream._tags, page.height * 0.75)
    STATS["unclaimed"] = builder.unclaimed
    write_tree(pdf, builder.finish(), len(document.pages))


add_tags.__booklet_tags__ = True  # type: ignore[attr-defined]


def write_tree(pdf: Any, root: Node, pages: int) -> None:
    """Write `root` as the PDF's StructTreeRoot, ParentTree, IDTree and RoleMap."""
    import pydyf

    parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
    pdf.add_object(parent_tree)
    tree_root = pydyf.Dictionary({
        "Type": "/StructTreeRoot", "ParentTree": parent_tree.reference,
        "RoleMap": pydyf.Dictionary({k: f"/{v}" for k, v in ROLE_MAP.items()})})
    pdf.add_object(tree_root)
    page_refs = pdf.page_references
    by_page: list[dict[int, Any]] = [{} for _ in range(pages)]
    annotations: list[tuple[Any, Any]] = []
    written: dict[int, Any] = {}

    def emit(node: Node, parent_ref: Any) -> Any:
        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{node.role}",
                                    "P": parent_ref, "K": pydyf.Array()})
        pdf.add_object(element)
        written[id(node)] = element
        if node.page is not None:
            element["Pg"] = page_refs[node.page]
        title = None if node.role == "Link" else node.title  # a link's words go to /Contents
        for key, value in (("Alt", node.alt), ("Lang", node.lang), ("ID", node.ident),
                           ("T", title)):
            if value:
                element[key] = pydyf.String(value)
        attributes = dict(node.attributes)
        if node.bbox is not None:
            attributes = {"O": "Layout", "BBox": pydyf.Array(round(v, 3) for v in node.bbox)}
        if attributes:
            element["A"] = pydyf.Dictionary(
                {k: f"/{v}" if isinstance(v, str) else v for k, v in attributes.items()})
        for kid in node.kids:
            if isinstance(kid, Node):
                element["K"].append(emit(kid, element.reference))
            elif isinstance(kid, Marked):
                by_page[kid.page][kid.mcid] = element.reference
                if kid.page == node.page:
                    element["K"].append(kid.mcid)
                else:
                    element["K"].append(pydyf.Dictionary(
                        {"Type": "/MCR", "Pg": page_refs[kid.page], "MCID": kid.mcid}))
            elif isinstance(kid, Annot):
                element["K"].append(_object_reference(pdf, kid, page_refs))
                annotations.append((element.reference, kid.annotation))
                kid.annotation["F"] = 4  # Print: readers of a printout meet the link too
                if node.title:
                    kid.annotation["Contents"] = pydyf.String(node.title)
        return element.reference

    tree_root["K"] = pydyf.Array([emit(root, tree_root.reference)])
    _link_notes(root, written)
    for number, mapping in enumerate(by_page):
        parent_tree["Nums"].extend(
            [number, pydyf.Array(mapping[mcid] for mcid in sorted(mapping))])
    for key, (reference, annotation) in enumerate(annotations, start=pages):
        parent_tree["Nums"].extend([key, reference])
        annotation["StructParent"] = key
    tree_root["ParentTreeNextKey"] = pages + len(annotations)
    ids = sorted((n.ident, written[id(n)].reference) for n in root.walk() if n.ident)
    if ids:
        tree_root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array(
            item for ident, ref in ids for item in (pydyf.String(ident), ref))})
    pdf.catalog["StructTreeRoot"] = tree_root.reference
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        pdf.catalog["Lang"] = pydyf.String("zh-CN")


def _object_reference(pdf: Any, kid: Annot, page_refs: Any) -> Any:
    """Return the reference of a new OBJR for a link annotation."""
    import pydyf

    objr = pydyf.Dictionary({"Type": "/OBJR", "Obj": kid.annotation.reference,
                             "Pg": page_refs[kid.page]})
    pdf.add_object(objr)
    return objr.reference


def _link_notes(root: Node, written: dict[int, Any]) -> None:
    """Point each footnote call (Reference) and its Note at each other (`/Ref`, PDF 2.0 key)."""
    import pydyf

    for node in root.walk():
        if node.role == "Reference" and node.ref is not None and id(node.ref) in written:
            written[id(node)]["Ref"] = pydyf.Array([written[id(node.ref)].reference])
            written[id(node.ref)]["Ref"] = pydyf.Array([written[id(node)].reference])

