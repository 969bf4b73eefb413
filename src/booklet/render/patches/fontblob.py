"""Read a font file's bytes out of HarfBuzz only when they are used.

WeasyPrint 70's `Font.__init__` copies the whole font file into Python bytes
(`self.file_content = get_hb_object_data(self.hb_face)`): 25 MB for each Noto CJK face, each
new process, although a subset taken from `fontcache`'s cache never reads them. This makes
`Font.file_content` a property that copies the face's blob on first read; `size()` and
`head()` answer the subset cache's questions (the file's length, its first bytes) from the
blob without the copy. Guarded like every patch: the source of `Font.__init__` and of
`get_hb_object_data` must be the reviewed ones.
"""

from __future__ import annotations

from typing import Any

from booklet.render.patches.guard import PatchReviewError, code_digest

REVIEWED_SOURCES = {  # sha256[:16] of WeasyPrint 70.0's sources
    "Font.__init__": "1f281166b10302a4",
    "get_hb_object_data": "03040a623df04c2b",
}
_SLOT = "_booklet_file_content"


class FontBlobError(PatchReviewError):
    """WeasyPrint's font loading is not the code this patch was reviewed against."""


class _Lazy:
    """A font file still inside HarfBuzz: the face to copy it from."""

    __slots__ = ("face",)

    def __init__(self, face: Any) -> None:
        self.face = face

    def __bool__(self) -> bool:  # WeasyPrint tests `if file_content:` after subsetting
        return size_of(self.face) > 0


def digests() -> dict[str, str]:
    """Return the digests of the installed WeasyPrint's sources this patch relies on."""
    from weasyprint.pdf.fonts import Font
    from weasyprint.text import fonts

    return {"Font.__init__": code_digest(Font.__init__),
            "get_hb_object_data": code_digest(fonts.get_hb_object_data)}


def install() -> None:
    """Make `Font.file_content` lazy (idempotent)."""
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text import fonts

    font = pdf_fonts.Font
    if isinstance(font.__dict__.get("file_content"), property):
        return
    found = digests()
    changed = [f"{name} ({found[name]})" for name in REVIEWED_SOURCES
               if found[name] != REVIEWED_SOURCES[name]]
    if changed:
        raise FontBlobError("WeasyPrint changed " + ", ".join(changed) +
                            ": review booklet/render/patches/fontblob.py against it")
    copy = fonts.get_hb_object_data

    def get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        """Defer the copy of a whole face; anything else as WeasyPrint does."""
        if ot_color is None and glyph is None:
            return _Lazy(hb_object)
        return copy(hb_object, ot_color, glyph)

    def read(self: Any) -> Any:
        value = self.__dict__.get(_SLOT)
        if isinstance(value, _Lazy):
            value = copy(value.face)
            self.__dict__[_SLOT] = value
        return value

    def write(self: Any, value: Any) -> None:
        self.__dict__[_SLOT] = value

    # Only pdf/fonts.py's name is replaced: its two calls read whole faces (the font, a subset).
    pdf_fonts.get_hb_object_data = get_hb_object_data
    font.file_content = property(read, write)


def size(font: Any) -> int:
    """Return the length of a font's file without copying it."""
    value = font.__dict__.get(_SLOT, font.__dict__.get("file_content"))
    if isinstance(value, _Lazy):
        return size_of(value.face)
    return len(font.file_content)


def head(font: Any, count: int) -> bytes:
    """Return the first *count* bytes of a font's file without copying the rest."""
    value = font.__dict__.get(_SLOT, font.__dict__.get("file_content"))
    if not isinstance(value, _Lazy):
        return bytes(font.file_content[:count])
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(value.face)
    try:
        with ffi.new("unsigned int *") as length:
            data = harfbuzz.hb_blob_get_data(blob, length)
            if data == ffi.NULL:
                return b""
            return ffi.buffer(data, min(count, int(length[0])))[:]
    finally:
        harfbuzz.hb_blob_destroy(blob)


def size_of(face: Any) -> int:
    """Return the length of a HarfBuzz face's blob."""
    from weasyprint.text.ffi import harfbuzz

    blob = harfbuzz.hb_face_reference_blob(face)
    try:
        return int(harfbuzz.hb_blob_get_length(blob))
    finally:
        harfbuzz.hb_blob_destroy(blob)
