"""Draw a laid-out edition's pages in forked processes, one page range each (`--jobs`).

Drawing (text shaped again, one Pango layout per line, the justification glyphs) is about a
third of a cold build's time. With `--jobs N` the screen edition's pages are cut into N
ranges of consecutive pages once layout is done. When the write begins, N - 1 children are
forked; each goes through the same `write_pdf()` as the parent but draws only its own range,
recording every page as `patches/replay.py` records a watch session's pages, and sends the
recordings back as plain values before it exits. The parent draws the first range itself and
then replays the children's pages, in order, into its own PDF. Fork copies the parent's
memory, so a recording names the boxes it tagged and the images it drew by their identity in
the parent (checked: only objects that existed before the fork are named), and its fonts by
WeasyPrint's font key.

Whatever could make a replayed page differ from a drawn one makes the parent draw that page
itself: a font the parent has not met yet (so fonts are created in a serial build's order), a
page whose shared resources were named differently (transparency groups, patterns and
states are named by a running count), a missing glyph, an emoji font, an unknown image or
box, or a child that failed or died (then its whole range is drawn here, and the build goes
on). So the PDF is byte-identical to a serial build's (tests/test_drawpool.py).
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import time
from dataclasses import dataclass, field
from typing import Any

from booklet.render import forked
from booklet.render.patches.replay import PageCache, Recording, add_glyphs, file_image

_POOL: DrawPool | None = None  # the pool of the write in progress


class _AnyNames(tuple):  # type: ignore[type-arg]
    """Passes replay's check of the resource names: `_Replayed.replay` renames instead."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = tuple.__hash__


_ANY_NAMES = _AnyNames()


@dataclass
class _Shipped:
    """A page recording as plain values, to cross the pipe."""

    before: tuple[tuple[str, ...], ...]
    ops: bytes
    tags: list[tuple[int, dict[str, Any]]]  # id(box) in the parent -> tag, MCID
    fonts: list[tuple[Any, list[tuple[int, str, int | None]], frozenset[int]]]  # by font key
    images: list[tuple[int, bool, float]]  # id(image) in the parent
    added: list[list[tuple[str, Any]]]


class _Replayed(Recording):
    """A child's recording of a page, replayed by the parent (or drawn, when it cannot be)."""

    shipped: _Shipped

    def replay(self, stream: Any) -> None:
        """Do what drawing the page did; draw it when its fonts are not all known yet."""
        pool, shipped = _POOL, self.shipped
        fonts = stream._fonts
        renames = _renames(shipped.before, shipped.added, stream._resources)
        if pool is None or renames is None \
                or any(key not in fonts for key, _, _ in shipped.fonts):
            _original_paint()(self.page, stream, self.context[0])
            if pool is not None:
                pool.drawn_here += 1
            return
        for key, drawn, ids in shipped.fonts:
            add_glyphs(fonts[key], ids, drawn)
        for image_id, interpolate, ratio in shipped.images:
            file_image(stream, pool.known[image_id], interpolate, ratio)
        for name, entries in zip(_COUNTED, shipped.added, strict=True):
            shared = stream._resources[name]
            for key, value in entries:
                shared[renames.get((name, key), key)] = value
        if stream._tags is not None:
            stream._tags.update((pool.known[box], dict(tag)) for box, tag in shipped.tags)
        stream.stream.append(_renamed(shipped.ops, renames) if renames else shipped.ops)
        pool.replayed_here += 1
        pool.renamed += bool(renames)


@dataclass
class DrawPool(PageCache):
    """Pages drawn by forked children; used as `Rendered.replay` for one write."""

    document: Any = None
    jobs: int = 2
    drawn_here: int = 0  # pages of the children's ranges the parent drew
    replayed_here: int = 0
    renamed: int = 0  # of those, pages whose groups, patterns or states were renumbered
    failed: list[str] = field(default_factory=list)  # why a child's pages were drawn here
    seconds: float = 0.0  # what the parent waited for the children
    known: dict[int, Any] = field(default_factory=dict)
    _index: dict[int, int] = field(default_factory=dict)
    _ranges: list[tuple[int, int]] = field(default_factory=list)
    _children: dict[int, tuple[int, int]] = field(default_factory=dict)  # range -> pid, fd
    _mine: tuple[int, int] | None = None  # a child's range
    _writer: int = -1

    def begin(self) -> None:
        """Start the write: fork a child per range after the first."""
        global _POOL
        super().begin()
        _install()
        pages = self.document.pages
        self._index = {id(page): n for n, page in enumerate(pages)}
        self._ranges = split(len(pages), self.jobs)
        self.known = _known_objects(pages)
        _POOL = self
        for number, span in enumerate(self._ranges[1:], start=1):
            try:
                reader, writer = os.pipe()
            except OSError as exc:  # out of file descriptors: the rest is drawn here
                self.failed.append(f"pages {span}: {exc}")
                break
            try:
                pid = os.fork()
            except OSError as exc:  # out of processes or memory: the rest is drawn here
                os.close(reader)
                os.close(writer)
                self.failed.append(f"pages {span}: {exc}")
                break
            if pid == 0:
                os.close(reader)
                for _, fd in self._children.values():
                    os.close(fd)
                self._children = {}
                self._mine, self._writer = span, writer
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                return  # the child writes too, drawing only its range
            os.close(writer)
            self._children[number] = (pid, reader)

    def end(self) -> None:
        """End the write; a child exits here whatever happened (never returns into build)."""
        global _POOL
        if self._mine is not None:
            self._ship(None)
        _POOL = None
        for number in list(self._children):
            pid, reader = self._children.pop(number)
            os.close(reader)
            forked.end(pid)
        super().end()

    def find(self, page: Any, context: tuple[Any, ...]) -> Recording | None:
        """Return the child's recording of *page* (written under the same options)."""
        shipped = self.pages.get(id(page))
        if isinstance(shipped, _Replayed):
            shipped.context = context
        return super().find(page, context)

    def paint(self, page: Any, stream: Any, scale: float, inner: Any) -> None:
        """Draw *page* (parent: or replay a child's recording of it; child: only its own)."""
        index = self._index.get(id(page))
        if index is None:
            inner(page, stream, scale)
            return
        if self._mine is not None:
            low, high = self._mine
            if low <= index < high:
                inner(page, stream, scale)
                if index == high - 1:
                    self._ship(stream)
            return
        number = next(n for n, (low, high) in enumerate(self._ranges) if low <= index < high)
        if number in self._children:
            self._receive(number)
        if isinstance(self.pages.get(id(page)), _Replayed):
            inner(page, stream, scale)
        else:  # drawn here: nobody replays it, so it is not recorded
            _original_paint()(page, stream, scale)

    def _receive(self, number: int) -> None:
        """Wait for child *number*; file its recordings (none if it failed)."""
        start = time.perf_counter()
        pid, reader = self._children.pop(number)
        answer, code = forked.receive(pid, reader)
        self.seconds += time.perf_counter() - start
        if answer is forked.NO_ANSWER:
            self.failed.append(f"pages {self._ranges[number]}: the drawing process ended "
                               f"without a result (status {code})")
            return
        kind, value = answer
        if kind != "ok":
            self.failed.append(f"pages {self._ranges[number]}: {value}")
            return
        pages = self.document.pages
        for index, shipped in value.items():
            page = pages[index]
            recording = _Replayed(page, (), _ANY_NAMES)
            recording.shipped = shipped
            self.pages[id(page)] = recording

    def _ship(self, stream: Any) -> None:
        """Child: send the recordings of this range to the parent and exit."""
        forked.send(self._writer, lambda: ("ok", self._plain(stream)),
                    lambda exc: ("error", f"{type(exc).__name__}: {exc}"))  # drawn there

    def _plain(self, stream: Any) -> dict[int, _Shipped]:
        """Return this range's recordings that the parent can replay, by page index."""
        if stream is None:
            raise RuntimeError("the write ended before this range was drawn")
        keys = {id(font): key for key, font in stream._fonts.items()}
        known, out = self.known, {}
        assert self._mine is not None
        for index in range(*self._mine):
            recording = self.pages.get(id(self.document.pages[index]))
            if recording is None:  # not kept (missing glyph, emoji): the parent draws it
                continue
            tags = [(id(box), dict(tag)) for box, tag in recording.tags]
            images = [(id(image), interpolate, ratio)
                      for image, interpolate, ratio in recording.images]
            if any(known.get(key) is not obj for key, obj in
                   [(i, b) for (i, _), (b, _) in zip(tags, recording.tags, strict=True)]
                   + [(i, im) for (i, _, _), (im, _, _) in
                      zip(images, recording.images, strict=True)]):
                continue  # made while drawing: the parent has no such object
            fonts = [(keys[font_id], font.drawn, font.ids)
                     for font_id, font in recording.fonts.items()]
            shipped = _Shipped(recording.before, recording.ops, tags, fonts, images,
                               recording.added)
            try:
                pickle.dumps(shipped.added)
            except Exception:
                continue
            out[index] = shipped
        return out


# The shared resources, and the prefix of the names WeasyPrint gives by a running count
# (`f"x{len(resources['XObject'])}"`); other names (images, opacities) are given by value.
_COUNTED = {"ExtGState": "s", "XObject": "x", "Pattern": "p", "Shading": "s"}
_OPERATOR = {b"gs": "ExtGState", b"Do": "XObject", b"scn": "Pattern", b"SCN": "Pattern",
             b"sh": "Shading"}
_USE = re.compile(rb"/([A-Za-z0-9_.]+) (gs|Do|scn|SCN|sh)(?=\n|$)")


def _renames(before: tuple[tuple[str, ...], ...], added: list[list[tuple[str, Any]]],
             resources: Any) -> dict[tuple[str, str], str] | None:
    """Return the new names of a page's counted resources, as drawing here would name them.

    A child began its range with fewer shared resources than the parent has at that page, so
    the groups, patterns, shadings and states its pages made are numbered lower. Drawing here
    would number each from the resources' size at that moment, and add a by-value one only
    when missing. None: the page used a by-value resource the parent lacks (draw it here).
    """
    renames = {}
    for (name, prefix), names, entries in zip(_COUNTED.items(), before, added, strict=True):
        current = resources[name]
        if any(key not in current for key in names if not _counted(key, prefix)):
            return None
        size, new = len(current), set()
        for key, _ in entries:
            if _counted(key, prefix):
                renames[(name, key)] = f"{prefix}{size}"
                size += 1
            elif key not in current and key not in new:
                new.add(key)
                size += 1
    return {k: v for k, v in renames.items() if k[1] != v}


def _counted(key: str, prefix: str) -> bool:
    """Return whether *key* is a name given by count."""
    return key.startswith(prefix) and key[len(prefix):].isdigit()


def _renamed(ops: bytes, renames: dict[tuple[str, str], str]) -> bytes:
    """Return the content stream with the counted resources renamed where they are used."""
    def rename(match: re.Match[bytes]) -> bytes:
        name = renames.get((_OPERATOR[match[2]], match[1].decode()))
        return match[0] if name is None else b"/" + name.encode() + b" " + match[2]

    return _USE.sub(rename, ops)


def split(pages: int, jobs: int) -> list[tuple[int, int]]:
    """Return *jobs* ranges of consecutive page indexes, as even as can be (none empty)."""
    jobs = max(1, min(jobs, pages))
    bounds = [round(pages * n / jobs) for n in range(jobs + 1)]
    return [(bounds[n], bounds[n + 1]) for n in range(jobs)]


def _known_objects(pages: list[Any]) -> dict[int, Any]:
    """Return the boxes and images of *pages* by identity (they outlive the fork)."""
    known: dict[int, Any] = {}
    for page in pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            known[id(box)] = box
            for image in (getattr(box, "replacement", None),
                          *(layer.image for layer in (getattr(box.background, "layers", ())
                                                      if getattr(box, "background", None)
                                                      else ()))):
                if image is not None:
                    known[id(image)] = image
            inner = getattr(box, "_box", None)  # an absolute placeholder's box
            if inner is not None:
                stack.append(inner)
            stack.extend(getattr(box, "children", ()))
    return known


def _original_paint() -> Any:
    """Return WeasyPrint's own Page.paint (under replay's and this module's wrappers)."""
    from weasyprint.document import Page

    paint = Page.paint
    while hasattr(paint, "__wrapped__"):
        paint = paint.__wrapped__
    return paint


def _install() -> None:
    """Wrap Page.paint (outside replay's wrapper) so that the pool chooses what is drawn."""
    from weasyprint.document import Page

    from booklet.render.patches import replay

    replay.install()
    if getattr(Page.paint, "__booklet_drawpool__", False):
        return
    inner = Page.paint

    def paint(self: Any, stream: Any, scale: float = 1) -> None:
        """Draw the page, or let the pool's children draw it."""
        pool = _POOL
        if pool is None:
            inner(self, stream, scale)
        else:
            pool.paint(self, stream, scale, inner)

    paint.__wrapped__ = inner  # type: ignore[attr-defined]
    paint.__booklet_replay__ = True  # type: ignore[attr-defined]  # replay.install: done
    paint.__booklet_drawpool__ = True  # type: ignore[attr-defined]
    Page.paint = paint
