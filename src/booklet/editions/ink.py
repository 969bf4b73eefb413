"""Ink in the print edition's content streams: overprint black text, and read ink back.

WeasyPrint has no CSS for overprint, so the finished print PDF is rewritten: every text-showing
operator whose fill is 100 % K (``0 0 0 1`` in DeviceCMYK) is preceded by an ExtGState with
``/OP true /op true /OPM 1``, every other painting operator by one that turns overprint off.
The same interpreter reads the PDF back for `booklet check` and the tests (`paints()`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf

OVERPRINT, KNOCKOUT = pikepdf.Name("/BookletOP"), pikepdf.Name("/BookletKO")
OWN_PREFIX = "/Booklet"  # our marks and slug forms: outside the page, not checked
TEXT_OPS = {"Tj", "TJ", "'", '"'}
FILL_OPS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKE_OPS = {"S", "s", "B", "B*", "b", "b*"}
PAINT_OPS = TEXT_OPS | FILL_OPS | STROKE_OPS | {"sh", "Do", "INLINE IMAGE"}
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class State:
    """The part of the graphics state that ink depends on."""

    ctm: Matrix = IDENTITY
    fill: tuple[str, tuple[float, ...]] = ("/DeviceGray", (0.0,))
    stroke: tuple[str, tuple[float, ...]] = ("/DeviceGray", (0.0,))
    width: float = 1.0
    overprint: bool = False


@dataclass(frozen=True)
class Paint:
    """One painting operator as the press sees it."""

    kind: str  # text, stroke, fill
    page: int  # 1-based
    size: float  # text size, line width or the rectangle's smaller side, in pt
    colour: tuple[str, tuple[float, ...]]
    overprint: bool
    at: tuple[float, float]  # where on the page (user space), for the reader
    font: str = ""  # BaseFont of a text paint
    rects: tuple[tuple[float, float, float, float], ...] = field(default=(), repr=False)


def plates(colour: tuple[str, tuple[float, ...]]) -> int:
    """Return how many CMYK plates a colour prints on (RGB counts as all four)."""
    space, values = colour
    if space == "/DeviceCMYK":
        return sum(1 for v in values if v > 0.001)
    if space == "/DeviceGray":
        return 1 if values and values[0] < 0.999 else 0
    if space == "/All":
        return 4
    return 4 if space in ("/DeviceRGB", "/RGB") else 0


def is_black(colour: tuple[str, tuple[float, ...]]) -> bool:
    """Return whether a colour is solid black on the K plate alone."""
    space, values = colour
    return space == "/DeviceCMYK" and len(values) == 4 \
        and max(values[:3]) <= 0.001 and values[3] >= 0.999


def _space(name: Any, resources: Any) -> str:
    """Return the colour space *name* resolves to: a device space, /All or an ICC family."""
    text = str(name)
    if text in ("/DeviceCMYK", "/DeviceRGB", "/DeviceGray", "/Pattern"):
        return text
    spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
    space = spaces.get(text)
    if isinstance(space, pikepdf.Array) and len(space) > 1:
        if space[0] == "/Separation":
            return str(space[1])
        if space[0] == "/ICCBased":
            n = int(space[1].get("/N", 0))
            return {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, "/ICC")
    return "/Other"


class Walker:
    """Interpret content streams: track colour, CTM and overprint at each painting operator."""

    def __init__(self, pdf: pikepdf.Pdf,
                 before: Callable[[str, State, int], list[tuple[Any, Any]]] | None = None):
        self.pdf, self.before = pdf, before
        self.paints: list[Paint] = []
        self.rewritten: set[tuple[int, int]] = set()

    def page(self, number: int, page: pikepdf.Page) -> list[tuple[Any, Any]]:
        """Walk one page; return its (possibly rewritten) instructions."""
        return self._walk(pikepdf.parse_content_stream(page), page.obj.get("/Resources"),
                          State(), number)

    def _walk(self, instructions: Any, resources: Any, state: State,
              number: int) -> list[tuple[Any, Any]]:
        stack: list[State] = []
        out: list[tuple[Any, Any]] = []
        tm, size, font, path_rects = IDENTITY, 0.0, "", []
        for operands, operator in instructions:
            op = str(operator)
            if op in PAINT_OPS and self.before is not None:
                for inserted in self.before(op, state, number):
                    out.append(inserted)
                    state = replace(state, overprint=inserted[0][0] == OVERPRINT)
            out.append((operands, operator))
            args = list(operands)
            if op == "q":
                stack.append(state)
            elif op == "Q" and stack:
                state = stack.pop()
            elif op == "cm":
                state = replace(state, ctm=_mul(tuple(float(v) for v in args), state.ctm))
            elif op == "w":
                state = replace(state, width=float(args[0]))
            elif op in ("k", "K", "g", "G", "rg", "RG"):
                space = {"k": "/DeviceCMYK", "g": "/DeviceGray", "rg": "/DeviceRGB"}[op.lower()]
                colour = (space, tuple(float(v) for v in args))
                state = replace(state, **{"fill" if op.islower() else "stroke": colour})
            elif op in ("cs", "CS"):
                colour = (_space(args[0], resources), ())
                state = replace(state, **{"fill" if op == "cs" else "stroke": colour})
            elif op in ("sc", "scn", "SC", "SCN"):
                key = "fill" if op.islower() else "stroke"
                values = tuple(float(v) for v in args if not isinstance(v, pikepdf.Name))
                state = replace(state, **{key: (getattr(state, key)[0], values)})
            elif op == "gs":
                gstate = resources.get("/ExtGState", {}).get(str(args[0])) if resources else None
                if gstate is not None and "/op" in gstate:
                    state = replace(state, overprint=bool(gstate.op))
            elif op == "Tm":
                tm = tuple(float(v) for v in args)
            elif op == "Tf":
                size = float(args[1])
                fonts = resources.get("/Font", {}) if resources is not None else {}
                font = str(fonts.get(str(args[0]), {}).get("/BaseFont", ""))
            elif op == "re":
                path_rects.append(tuple(float(v) for v in args))
            if op in TEXT_OPS:
                m = _mul(tm, state.ctm)
                self._add("text", number, size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])),
                          state.fill, state, (m[4], m[5]), font=font)
            if op in STROKE_OPS:
                a, b, c, d, e, f = state.ctm
                self._add("stroke", number, state.width * math.sqrt(abs(a * d - b * c)),
                          state.stroke, state, (e, f))
            if op in FILL_OPS and path_rects:
                self._fill_rects(number, state, path_rects)
            if op in FILL_OPS | STROKE_OPS | {"n"}:
                path_rects = []
            if op == "Do":
                self._form(args[0], resources, state, number)
        return out

    def _add(self, kind: str, number: int, size: float, colour: Any, state: State,
             at: tuple[float, float], rects: tuple[Any, ...] = (), font: str = "") -> None:
        self.paints.append(Paint(kind, number, round(size, 3), colour, state.overprint,
                                 (round(at[0], 1), round(at[1], 1)), font, rects))

    def _fill_rects(self, number: int, state: State, rects: list[Any]) -> None:
        a, b, c, d, e, f = state.ctm
        sx, sy = math.hypot(a, b), math.hypot(c, d)
        boxes = []
        for x, y, w, h in rects:
            corners = [(x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            xs = [a * px + c * py + e for px, py in corners]
            ys = [b * px + d * py + f for px, py in corners]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        thin = min(min(abs(w) * sx, abs(h) * sy) for _, _, w, h in rects)
        self._add("fill", number, thin, state.fill, state, (boxes[0][0], boxes[0][1]),
                  tuple(boxes))

    def _form(self, name: Any, resources: Any, state: State, number: int) -> None:
        if str(name).startswith(OWN_PREFIX) or resources is None:
            return
        xobject = resources.get("/XObject", {}).get(str(name))
        if xobject is None or xobject.get("/Subtype") != "/Form":
            return
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        inner = self._walk(pikepdf.parse_content_stream(xobject),
                           xobject.get("/Resources", resources),
                           replace(state, ctm=_mul(matrix, state.ctm)), number)
        key = xobject.objgen
        if self.before is not None and key not in self.rewritten:
            self.rewritten.add(key)
            _add_states(self.pdf, xobject, resources)
            xobject.write(pikepdf.unparse_content_stream(inner))


def _add_states(pdf: pikepdf.Pdf, holder: Any, inherited: Any = None) -> None:
    """Give *holder* (a page or form) the two ExtGStates the rewrite refers to."""
    if "/Resources" not in holder:  # a form without its own uses its parent's: keep them
        holder.Resources = pikepdf.Dictionary(
            {k: v for k, v in inherited.items()} if inherited is not None else {})
    resources = holder.Resources
    if "/ExtGState" not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    states = resources.ExtGState
    if OVERPRINT not in states:
        states[OVERPRINT] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True,
                                               OPM=1)
        states[KNOCKOUT] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False, op=False,
                                              OPM=0)


def overprint_black_text(pdf: pikepdf.Pdf) -> int:
    """Set 100 % K text to overprint on every page; return how many text operators do."""
    def before(op: str, state: State, number: int) -> list[tuple[Any, Any]]:
        wanted = op in TEXT_OPS and is_black(state.fill)
        if wanted == state.overprint:
            return []
        return [([OVERPRINT if wanted else KNOCKOUT], pikepdf.Operator("gs"))]

    walker = Walker(pdf, before)
    for number, page in enumerate(pdf.pages, 1):
        instructions = walker.page(number, page)
        _add_states(pdf, page.obj)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return sum(1 for p in walker.paints if p.kind == "text" and p.overprint)


def paints(pdf: pikepdf.Pdf) -> Iterator[Paint]:
    """Yield every text, stroke and filled rectangle of the pages, as the press sees them."""
    walker = Walker(pdf)
    for number, page in enumerate(pdf.pages, 1):
        walker.page(number, page)
        yield from walker.paints
        walker.paints = []
