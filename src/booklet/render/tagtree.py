"""Build the screen edition's logical structure (PDF/UA tags) from the laid-out boxes.

WeasyPrint 70 tags each page on its own: a paragraph broken across pages becomes two P, a
heading's text is wrapped in a copy of its own tag, pseudo-elements become extra links and
margin boxes hang off orphaned tags. This builder makes one structure element per HTML
element, whatever page its boxes fall on, chooses the PDF structure type from the HTML and
its ARIA attributes, and returns a tree of `Node`s that `patches/tagging.py` writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from booklet.render.tagroles import (
    element_text,
    language_of,
    local_name,
    page_root,
    parent_map,
    role_of,
    scope_of,
    svg_title,
)

# Non-standard structure types booklet writes, and the standard type each stands for.
ROLE_MAP = {"Aside": "Div"}
# Where a footnote's Note is moved to: after the nearest enclosing element of these types.
_PARAGRAPHS = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "Lbl", "TD", "TH"}


_PAGE_KEY = 10_000_000  # more elements than any one HTML tree has
# Attributes kept on a page box: a page drawn again the same way (watch replays unchanged
# pages, booklet.render.patches.replay) is walked once, not at every write.
_WALK = "_booklet_tag_walk"
_ELEMENTS = "_booklet_elements"


def _walk(page_box: Any, placeholder: type, margin: type) -> Iterator[Any]:
    """Yield a page's boxes in painting order, skipping margin boxes (artifacts)."""
    from weasyprint.formatting_structure import boxes

    stack = [page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, placeholder):
            box = box._box
        if isinstance(box, margin):
            continue  # running heads and folios: drawn as artifacts
        yield box
        if isinstance(box, boxes.ParentBox):
            stack.extend(reversed(box.children))


def _page_elements(page_box: Any) -> list[Any]:
    """Return the elements of a page's boxes, each once, in box order (kept with the page)."""
    found = getattr(page_box, _ELEMENTS, None)
    if found is None:
        found = list(dict.fromkeys(element for box in page_box.descendants()
                                   if (element := getattr(box, "element", None)) is not None))
        setattr(page_box, _ELEMENTS, found)
    return found


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: MCID `mcid` in the content stream of page `page`."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annot:
    """A link annotation on page `page` (a pydyf dictionary)."""

    page: int
    annotation: Any


@dataclass(eq=False)
class Node:
    """One structure element: its type, kids in reading order and extra entries."""

    role: str
    kids: list[Node | Marked | Annot] = field(default_factory=list)
    parent: Node | None = None
    page: int | None = None
    alt: str | None = None
    lang: str | None = None
    ident: str | None = None
    title: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    ref: Node | None = None  # a footnote call's Note, a Note's call
    order: int = -1  # the element's position in the HTML document (-1: none)
    bbox: tuple[float, float, float, float] | None = None

    def add(self, kid: Node | Marked | Annot) -> None:
        """Append a kid; the page of the first marked content becomes the node's page."""
        if isinstance(kid, Node):
            kid.parent = self
        elif self.page is None:
            self.page = kid.page
        self.kids.append(kid)

    def insert(self, kid: Node) -> None:
        """Add a child node in document order among its element siblings.

        Boxes are met in painting order, which is not always document order (a page's
        footnote area may be walked before the text that calls the footnote).
        """
        kid.parent = self
        index = len(self.kids)
        while index > 0:
            before = self.kids[index - 1]
            if not (isinstance(before, Node) and before.order > kid.order >= 0):
                break
            index -= 1
        self.kids.insert(index, kid)

    def walk(self) -> Iterator[Node]:
        """Yield this node and every descendant node, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()


class TreeBuilder:
    """Gather every page's boxes into one structure tree keyed by HTML element."""

    def __init__(self) -> None:
        self.document = Node("Document")
        self._nodes: dict[Any, Node | None] = {}
        self._absorbing: dict[Any, Any] = {}
        self.unclaimed = 0
        self.parents: dict[Any, Any] = {}
        self.order: dict[Any, int] = {}
        self._positions: dict[Any, dict[Any, int]] = {}

    def _order_page(self, page_box: Any, page: int, positions: dict[Any, int]) -> None:
        """Give the elements first painted on this page their reading-order key.

        The key is (first page, position in its HTML tree): pages may come from several
        laid-out documents (a chapter laid out again alone, watch parts), whose trees are
        not one document order, while pages are always in reading order.
        """
        for element in _page_elements(page_box):
            while element is not None and element not in self.order and element in positions:
                self.order[element] = page * _PAGE_KEY + positions[element]
                element = self.parents.get(element)

    # -- the walk -----------------------------------------------------------------------------
    def add_page(self, page_box: Any, page: int, tags: dict[Any, dict[str, Any]],
                 page_height: float) -> None:
        """Claim every tagged box of one page; `tags` is the page stream's box -> MCID map."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        root = page_root(page_box)
        if root is not None and root not in self._positions:
            self._positions[root] = {e: i for i, e in enumerate(root.iter())}
            self.parents.update(parent_map(page_box))
        if root is not None:
            self._order_page(page_box, page, self._positions[root])
        claimed = getattr(page_box, _WALK, None)
        if claimed is None:  # the boxes that carry content or a link, kept with the page
            claimed = [box for box in _walk(page_box, AbsolutePlaceholder, boxes.MarginBox)
                       if box in tags or getattr(box, "link_annotation", None) is not None]
            setattr(page_box, _WALK, claimed)
        for box in claimed:
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and box.element is not None:
                self.owner(box).add(Annot(page, annotation))
            kid = tags.pop(box, None)
            if kid is not None:
                node = self.owner(box)
                node.add(Marked(page, kid["mcid"]))
                if isinstance(box, boxes.ReplacedBox) and node.bbox is None:
                    x, y = box.content_box_x(), box.content_box_y()
                    node.bbox = (x * 0.75, page_height - (y + box.height) * 0.75,
                                 (x + box.width) * 0.75, page_height - y * 0.75)
        for box, kid in list(tags.items()):  # drawn but not in the box tree: keep it reachable
            self.unclaimed += 1
            self.document.add(Node("Span", [Marked(page, kid["mcid"])], page=page))
            del tags[box]

    def owner(self, box: Any) -> Node:
        """Return the node whose content a box is."""
        element = box.element
        if element is None:
            return self.document
        tag = box.element_tag or ""
        pseudo = tag.split("::", 1)[1] if "::" in tag else ""
        if pseudo == "footnote-call":
            return self._part(element, "call")
        if pseudo in ("marker", "footnote-marker"):
            return self._part(element, "label")
        return self._content(self.node(element))

    # -- nodes ----------------------------------------------------------------------------------
    def node(self, element: Any) -> Node:
        """Return the node of an element (created at its first content), or its nearest."""
        absorber = self._absorber(element)
        if absorber is not None and absorber is not element:
            return self.node(absorber)
        if element in self._nodes:
            found = self._nodes[element]
            return found if found is not None else self._parent_node(element)
        role = role_of(element, self.parents)
        if role is None:
            self._nodes[element] = None
            return self._parent_node(element)
        node = Node(role, order=self.order.get(element, -1))
        self._nodes[element] = node
        self._describe(node, element)
        container = self._container(element, role)
        if container.role == "L" and role not in ("LI", "L", "Caption"):
            node.role = "Caption"  # a list's title (stats cards): L may hold only items
        container.insert(node)
        return node

    def _describe(self, node: Node, element: Any) -> None:
        """Fill the node's alternative text, language, identifier and attributes."""
        name = local_name(element)
        if node.role == "Figure":
            node.alt = (element.get("alt") or element.get("aria-label")
                        or svg_title(element) or None)
        if node.role == "Note":
            node.ident = element.get("id")
        if node.role == "Link":
            node.title = element.get("aria-label") or element_text(element) or None
        if node.role in ("Sect", "Div") and element.get("aria-label"):
            node.title = element.get("aria-label")
        lang = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang")
        if node.role in _PARAGRAPHS or node.role in ("Span", "BlockQuote"):
            node.lang = language_of(element_text(element), lang)
        elif lang:
            node.lang = lang
        if node.role == "L":
            node.attributes = {"O": "List",
                               "ListNumbering": "Decimal" if name == "ol" else "None"}
        if node.role in ("TH", "TD"):
            node.attributes = {"O": "Table"}
            for key, attr in (("ColSpan", "colspan"), ("RowSpan", "rowspan")):
                if (element.get(attr) or "1").isdigit() and int(element.get(attr) or 1) > 1:
                    node.attributes[key] = int(element.get(attr))
            if node.role == "TH":
                node.attributes["Scope"] = scope_of(element, self.parents)

    def _container(self, element: Any, role: str) -> Node:
        """Return the node a new element's node is appended to."""
        parent = self.parents.get(element)
        if role == "Lbl" and local_name(element) == "dt":
            item = Node("LI", order=self.order.get(element, -1))
            self._parent_node(element).insert(item)
            self._nodes[("item", element)] = item
            return item
        if role == "LBody" and local_name(element) == "dd":
            siblings = list(parent) if parent is not None else []
            before = siblings[:siblings.index(element)] if element in siblings else []
            terms = [e for e in before if local_name(e) == "dt"]
            if terms and ("item", terms[-1]) in self._nodes:
                return self._nodes[("item", terms[-1])]  # type: ignore[return-value]
            item = Node("LI")
            self._parent_node(element).add(item)
            return item
        if parent is None:
            return self.document
        return self._content(self._parent_node(element), role)

    def _parent_node(self, element: Any) -> Node:
        """Return the node of the nearest ancestor that has one (the document at the top)."""
        parent = self.parents.get(element)
        if parent is None or local_name(parent) in ("html", "body"):
            return self.document
        return self.node(parent)

    def _content(self, node: Node, role: str = "") -> Node:
        """Return where content of `node` goes: a list item's content goes to its LBody."""
        if node.role != "LI" or role in ("Lbl", "LBody"):
            return node
        for kid in node.kids:
            if isinstance(kid, Node) and kid.role == "LBody":
                return kid
        body = Node("LBody")
        node.add(body)
        return body

    def _part(self, element: Any, part: str) -> Node:
        """Return the Lbl of a list item or note, or the Reference of a footnote call."""
        key = (part, element)
        if key in self._nodes:
            return self._nodes[key]  # type: ignore[return-value]
        owner = self.node(element)
        if part == "call":
            node = Node("Reference", ref=owner, order=owner.order)
            owner.ref = node
            self._parent_node(element).insert(node)
        else:
            node = Node("Lbl")
            node.parent = owner
            owner.kids.insert(0, node)
        self._nodes[key] = node
        return node

    def _absorber(self, element: Any) -> Any:
        """Return the nearest ancestor-or-self Figure that swallows its content, if any."""
        if element in self._absorbing:
            return self._absorbing[element]
        found = None
        if role_of(element, self.parents) == "Figure":
            found = element
        elif (parent := self.parents.get(element)) is not None:
            found = self._absorber(parent)
        self._absorbing[element] = found
        return found

    # -- finishing ------------------------------------------------------------------------------
    def finish(self) -> Node:
        """Move notes after their paragraph, drop empty elements and return the root."""
        for node in list(self.document.walk()):
            if node.role == "Note":
                _move_after_paragraph(node)
        _prune(self.document)
        _flatten(self.document)
        return self.document


def _move_after_paragraph(note: Node) -> None:
    """Move a Note out of its paragraph to just after it, so it is read after the paragraph."""
    anchor = note.parent
    while anchor is not None and anchor.parent is not None and (
            anchor.role not in _PARAGRAPHS and anchor.role in ("Span", "Link", "Reference")):
        anchor = anchor.parent
    if anchor is None or anchor.parent is None or anchor.role not in _PARAGRAPHS:
        return
    assert note.parent is not None
    note.parent.kids.remove(note)
    siblings = anchor.parent.kids
    index = siblings.index(anchor) + 1
    while index < len(siblings) and isinstance(siblings[index], Node) and \
            siblings[index].role == "Note":  # type: ignore[union-attr]
        index += 1  # several notes of one paragraph keep their order
    siblings.insert(index, note)
    note.parent = anchor.parent


def _prune(node: Node) -> bool:
    """Drop nodes with no content below them; return True if `node` keeps content."""
    kept: list[Node | Marked | Annot] = []
    for kid in node.kids:
        if not isinstance(kid, Node) or _prune(kid) or kid.role == "Figure":
            kept.append(kid)
    node.kids = kept
    return bool(kept)


def _flatten(node: Node, lang: str | None = None) -> None:
    """Drop wrappers a screen reader gains nothing from.

    A Span in the language of its paragraph gives its content to the paragraph; a Div
    holding nothing but one element (a photo frame around its Figure) is replaced by it.
    """
    lang = node.lang or lang
    kids: list[Node | Marked | Annot] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            _flatten(kid, lang)
            only = kid.kids[0] if len(kid.kids) == 1 else None
            if kid.role == "Span" and kid.lang == lang:
                kids.extend(kid.kids)
                continue
            if kid.role == "Div" and not kid.title and isinstance(only, Node):
                kid = only
        kids.append(kid)
    for kid in kids:
        if isinstance(kid, Node):
            kid.parent = node
        elif node.page is None:
            node.page = kid.page
    node.kids = kids
