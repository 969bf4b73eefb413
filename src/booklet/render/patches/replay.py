"""Draw a page once per watch session: unchanged pages are replayed, not drawn again.

A watch rebuild or a build-server rebuild lays out only the edited chapter again
(`render/segments.py`); every other page is the very same WeasyPrint `Page` object as in the
last build. Drawing is most of writing a PDF (text shaped again, the justification glyphs
adjusted, one Pango layout made per line), so this wraps `Page.paint`: while a `PageCache`
is active, a page drawn before is replayed from what its drawing did:

- its content-stream operators (kept serialised, one bytes item: the same bytes);
- its marked content (box -> MCID), which the structure tree is built from;
- the fonts it used, in order (`Stream.add_font` again, so fonts are created in the order a
  clean build creates them), and every glyph it asked for or set, with its text and width,
  added to each font's maps where missing: a subset grows only when a glyph is new, and a
  glyph an earlier page no longer brings still comes with the replayed page;
- its images (as `Stream.add_image` files them) and the shared resources it added
  (opacity states, transparency groups, patterns, shadings), copied as drawn.

Groups, patterns, shadings and some states are named by a running count of the shared
resources, so a page is replayed only when the pages before it left the same names (else it
is drawn and recorded again). A page that drew a glyph its font lacks or an emoji is never
kept. Links, outline, anchors, the structure tree and the font subsets are made by
WeasyPrint at each write from the replayed pages, as in a clean build: the file is byte for
byte the one a clean build writes (tests/test_replay.py). Without an active cache
(`booklet build`) nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# sha256[:16] of each WeasyPrint 70.0 function wrapped here, or whose effects are recorded.
REVIEWED_SOURCES = {
    "weasyprint.document:Page.paint": "b2f0dcbda755b5d5",
    "weasyprint.pdf.stream:Stream.add_font": "e4226e1117477217",
    "weasyprint.pdf.stream:Stream.add_image": "b6eefec44b546e46",
    "weasyprint.pdf.stream:Stream.set_alpha": "c9c74350fd9a8fb5",
    "weasyprint.pdf.stream:Stream.set_state": "480c16c96aeba1a8",
    "weasyprint.pdf.stream:Stream.add_group": "6022122164739805",
    "weasyprint.pdf.stream:Stream.add_pattern": "c6656116cd711ed6",
    "weasyprint.pdf.stream:Stream.add_shading": "a7c331d6476a028d",
    "weasyprint.pdf.fonts:Font.get_unused_glyph_id": "81082597c7912297",
    "weasyprint.draw.text:draw_first_line": "1bb8eae6d88e71b1",
}


class ReplayPatchError(RuntimeError):
    """WeasyPrint's drawing code is not the code this replay was reviewed against."""


class _Glyphs(dict):  # type: ignore[type-arg]
    """A font's glyph -> text map that notes which glyphs the page being recorded asks for."""

    seen: dict[int, None] | None = None

    def __contains__(self, glyph: object) -> bool:
        seen = self.seen
        if seen is not None:
            seen[glyph] = None  # type: ignore[index]
        return dict.__contains__(self, glyph)

    def __setitem__(self, glyph: int, text: str) -> None:
        seen = self.seen  # a glyph set before it is asked for (patches/justify.py: spaces)
        if seen is not None:
            seen[glyph] = None
        dict.__setitem__(self, glyph, text)


@dataclass
class _Font:
    """One font a recorded page drew with: its Pango font and the glyphs it asked for."""

    pango_font: Any
    glyphs: dict[int, None] = field(default_factory=dict)
    drawn: list[tuple[int, str, int | None]] = field(default_factory=list)
    ids: frozenset[int] = frozenset()


_SHARED = ("ExtGState", "XObject", "Pattern", "Shading")  # the resources all pages share


@dataclass
class Recording:
    """What drawing one page did, enough to do it again without drawing."""

    page: Any  # kept so that the id() this recording is filed under stays this page's
    context: tuple[Any, ...]
    before: tuple[tuple[str, ...], ...]  # the shared resources' names when drawing began
    ops: bytes = b""
    tags: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    fonts: dict[int, _Font] = field(default_factory=dict)  # id(Font) -> _Font, in order
    images: list[tuple[Any, bool, float]] = field(default_factory=list)
    added: list[list[tuple[str, Any]]] = field(default_factory=list)  # per _SHARED: new entries
    broken: str = ""

    def replay(self, stream: Any) -> None:
        """Do to `stream` (and its document's fonts and resources) what drawing did."""
        for font in self.fonts.values():
            add_glyphs(stream.add_font(font.pango_font)[0], font.ids, font.drawn)
        for image, interpolate, ratio in self.images:
            file_image(stream, image, interpolate, ratio)
        for name, entries in zip(_SHARED, self.added, strict=True):
            shared = stream._resources[name]
            for key, value in entries:
                shared[key] = _copy(value)
        if stream._tags is not None:
            stream._tags.update((box, dict(tag)) for box, tag in self.tags)
        stream.stream.append(self.ops)


def add_glyphs(pdf_font: Any, ids: frozenset[int], drawn: Any) -> None:
    """Give *pdf_font* the glyphs of *ids* it lacks, from *drawn* (glyph, text, width)."""
    to_unicode, widths = pdf_font.to_unicode, pdf_font.widths
    new = (ids - to_unicode.keys()) | (ids - widths.keys())  # usually none
    for glyph, text, width in drawn if new else ():
        if glyph not in new:
            continue
        if not dict.__contains__(to_unicode, glyph):
            dict.__setitem__(to_unicode, glyph, text)
        if width is not None and glyph not in widths:
            widths[glyph] = width


def file_image(stream: Any, image: Any, interpolate: bool, ratio: float) -> None:
    """File *image* in the stream's images, as Stream.add_image files them."""
    images = stream._images
    name = f"i{image.id}{int(interpolate)}"
    if name in images:
        images[name]["dpi_ratios"].add(ratio)
    else:
        images[name] = {"image": image, "interpolate": interpolate,
                        "dpi_ratios": {ratio}, "x_object": None}


def _names(stream: Any) -> tuple[tuple[str, ...], ...]:
    """Return the names in the shared resources (groups, patterns, states are named by count)."""
    resources = stream._resources
    return tuple(tuple(resources[name]) for name in _SHARED)


def _copy(value: Any) -> Any:
    """Return a copy of a resource as drawn (writing the PDF turns its parts into references)."""
    import pydyf

    if isinstance(value, pydyf.Stream):
        return pydyf.Stream([b"\n".join(pydyf._to_bytes(item) for item in value.stream)],
                            _copy(value.extra), value.compress)
    if isinstance(value, pydyf.Dictionary):
        return pydyf.Dictionary({key: _copy(item) for key, item in value.items()})
    if isinstance(value, pydyf.Array):
        return pydyf.Array(_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


@dataclass
class PageCache:
    """The recordings of the pages of the last write, by page identity (one watch session)."""

    pages: dict[int, Recording] = field(default_factory=dict)
    drawn: int = 0
    replayed: int = 0
    unkept: dict[str, int] = field(default_factory=dict)  # why pages could not be kept
    _used: set[int] = field(default_factory=set)

    def find(self, page: Any, context: tuple[Any, ...]) -> Recording | None:
        """Return the recording of `page` made in the same context, if any."""
        self._used.add(id(page))
        found = self.pages.get(id(page))
        if found is None or found.page is not page or found.context != context:
            return None
        return found

    def keep(self, recording: Recording) -> None:
        """File a finished recording."""
        self.pages[id(recording.page)] = recording

    def begin(self) -> None:
        """Start a write: count afresh."""
        self.drawn = self.replayed = 0
        self.unkept = {}
        self._used = set()

    def end(self) -> None:
        """End a write: forget pages it did not have (their layout was replaced)."""
        for key in [k for k in self.pages if k not in self._used]:
            del self.pages[key]


_ACTIVE: PageCache | None = None
_RECORDING: Recording | None = None


@contextmanager
def replaying(cache: PageCache | None) -> Iterator[None]:
    """Replay and record pages with `cache` while writing (no-op for None)."""
    global _ACTIVE
    if cache is None:
        yield
        return
    import gc

    install()
    cache.begin()
    _ACTIVE = cache
    # Recordings outlive the write, and the session holds every part's layout: collections
    # during the write would scan millions of objects again and again (+1.0 s of a 438-page
    # first write, measured). The session collects once after the build (Session.settle).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        _ACTIVE = None
        cache.end()


def changed_sources() -> list[str]:
    """Return the functions whose source differs from the reviewed one."""
    from booklet.render.patches.guard import source_digest

    return [f"{path} (digest {found})" for path, digest in REVIEWED_SOURCES.items()
            if (found := source_digest(path)) != digest]


def install() -> None:
    """Wrap Page.paint and the Stream methods whose effects a replay repeats (idempotent)."""
    from weasyprint.document import Page
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream

    if getattr(Page.paint, "__booklet_replay__", False):
        return
    changed = changed_sources()
    if changed:
        raise ReplayPatchError("WeasyPrint's drawing changed: " + "; ".join(changed)
                               + ": review booklet/render/patches/replay.py")
    wrappers = {"paint": (Page, _paint(Page.paint)),
                "add_font": (Stream, _add_font(Stream.add_font)),
                "add_image": (Stream, _add_image(Stream.add_image)),
                "get_unused_glyph_id": (Font, _breaking(Font.get_unused_glyph_id, "missing"))}
    for name, (owner, wrapper) in wrappers.items():
        wrapper.__wrapped__ = getattr(owner, name)
        setattr(owner, name, wrapper)
    Page.paint.__booklet_replay__ = True


def _paint(original: Any) -> Any:
    def paint(self: Any, stream: Any, scale: float = 1) -> None:
        """Replay the page if it was drawn before in this session, else draw and record it."""
        global _RECORDING
        cache = _ACTIVE
        if cache is None or _RECORDING is not None:
            original(self, stream, scale)
            return
        context = (scale, stream._tags is not None, stream.compress, stream._output_intent,
                   stream._resources["ColorSpace"],
                   tuple(p.pdf_reference for p in stream._color_profiles.values()))
        before = _names(stream)
        found = cache.find(self, context)
        # Groups, patterns, shadings and states are named by a count: replayed only when the
        # pages before left the same names, so that drawing would name them the same.
        if found is not None and found.before == before:
            found.replay(stream)
            cache.replayed += 1
            return
        recording = Recording(self, context, before)
        start, tagged = len(stream.stream), len(stream._tags or ())
        _RECORDING = recording
        try:
            original(self, stream, scale)
        finally:
            _RECORDING = None
            for font in stream._fonts.values():
                if isinstance(font.to_unicode, _Glyphs):
                    font.to_unicode.seen = None
        cache.drawn += 1
        if _finish(recording, stream, start, tagged):
            cache.keep(recording)
        else:
            cache.unkept[recording.broken] = cache.unkept.get(recording.broken, 0) + 1

    return paint


def _finish(recording: Recording, stream: Any, start: int, tagged: int) -> bool:
    """Fill the recording from the stream after drawing; return whether it can be replayed."""
    import pydyf

    if recording.broken:
        return False
    to_bytes = pydyf._to_bytes
    recording.ops = b"\n".join(to_bytes(item) for item in stream.stream[start:])
    del stream.stream[start:]
    stream.stream.append(recording.ops)  # one item: the serialised stream is the same bytes
    for name, names in zip(_SHARED, recording.before, strict=True):
        shared = stream._resources[name]
        known = set(names)
        recording.added.append([(key, _copy(value)) for key, value in shared.items()
                                if key not in known])
    if stream._tags is not None:
        recording.tags = [(box, dict(tag)) for box, tag in list(stream._tags.items())[tagged:]]
    by_id = {id(font): font for font in stream._fonts.values()}
    for key, font in recording.fonts.items():
        pdf_font = by_id[key]
        to_unicode, widths = pdf_font.to_unicode, pdf_font.widths
        font.drawn = [(glyph, to_unicode[glyph], widths.get(glyph)) for glyph in font.glyphs
                      if dict.__contains__(to_unicode, glyph)]
        font.ids = frozenset(glyph for glyph, _, _ in font.drawn)
        font.glyphs = {}
    return True


def _add_font(original: Any) -> Any:
    def add_font(self: Any, pango_font: Any) -> Any:
        """Add the font as WeasyPrint does; while recording, note it and watch its glyphs."""
        font, size = original(self, pango_font)
        recording = _RECORDING
        if recording is not None:
            if font.png or font.svg or font.colr:
                recording.broken = "emoji font"
            entry = recording.fonts.get(id(font))
            if entry is None:
                entry = recording.fonts[id(font)] = _Font(_owned(pango_font))
            if not isinstance(font.to_unicode, _Glyphs):
                font.to_unicode = _Glyphs(font.to_unicode)
            font.to_unicode.seen = entry.glyphs
        return font, size

    return add_font


def _owned(pango_font: Any) -> Any:
    """Return the Pango font with a reference of its own (the page's layouts are dropped)."""
    from weasyprint.text.ffi import ffi, gobject

    # WeasyPrint declares only g_object_unref; booklet's out-of-line FFI (render.fastffi)
    # declares g_object_ref too, else it is declared here.
    if not hasattr(gobject, "g_object_ref"):
        ffi.cdef("gpointer g_object_ref (gpointer object);")
    gobject.g_object_ref(pango_font)
    return ffi.gc(pango_font, gobject.g_object_unref)


def _add_image(original: Any) -> Any:
    def add_image(self: Any, image: Any, interpolate: Any, ratio: Any) -> Any:
        """Add the image as WeasyPrint does; while recording, note the call."""
        if _RECORDING is not None:
            _RECORDING.images.append((image, interpolate, ratio))
        return original(self, image, interpolate, ratio)

    return add_image


def _breaking(original: Any, reason: str) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        """Do as WeasyPrint does; a page doing this while recorded is drawn every time."""
        if _RECORDING is not None:
            _RECORDING.broken = reason
        return original(*args, **kwargs)

    return wrapper
