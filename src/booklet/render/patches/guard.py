"""The WeasyPrint the typography patches were reviewed against: version and source pins.

The patches in `justify` and `attrs` replace or wrap WeasyPrint internals and rely on how
their neighbours call them. `check_weasyprint()` compares the installed WeasyPrint with the
reviewed one (major version, Pango version, a digest of the source of every function
involved) and raises `TypographyInstallError` naming what changed, so an upgrade fails
loudly at install time instead of typesetting wrongly.
"""

from __future__ import annotations

import hashlib
import importlib
import textwrap
from typing import Any

SUPPORTED_WEASYPRINT = ">=70,<71"
MIN_PANGO = 14400  # 1.44: allow_breaks attribute
# sha256 (first 16 hex digits) of the source of each WeasyPrint function the patches replace,
# wrap or rely on, as reviewed for WeasyPrint 70.0.
REVIEWED_SOURCES = {
    "weasyprint.layout.inline:justify_line": "f83b21ff8793ba6b",
    "weasyprint.layout.inline:count_expandable_spaces": "175fe6f42576ed38",
    "weasyprint.layout.inline:add_word_spacing": "879516e71f1b80fa",
    "weasyprint.layout.inline:text_align": "e953d41b87ccfc30",
    "weasyprint.layout.inline:split_inline_box": "3a0cb7ca7e34c7ef",
    "weasyprint.text.line_break:Layout.setup": "fb227a55094f41d4",
    "weasyprint.text.line_break:Layout.set_text": "fe23ca9937dbf520",
    "weasyprint.text.line_break:Layout.reactivate": "0b89ee097104b713",
    "weasyprint.text.line_break:first_line_metrics": "55ec5d0b58b29a8b",
    "weasyprint.text.line_break:split_first_line": "39ad1016863ca34d",
    "weasyprint.layout.inline:split_first_line": "39ad1016863ca34d",
    "weasyprint.layout.inline:split_text_box": "8c564329599ef23f",
    "weasyprint.text.line_break:can_break_text": "4f3fb5ef1c239df9",
    "weasyprint.draw.text:draw_text": "ebaf96239c6ca363",
    "weasyprint.draw.text:draw_first_line": "1bb8eae6d88e71b1",
    "weasyprint.pdf.stream:Stream.add_font": "e4226e1117477217",
}


class PatchReviewError(RuntimeError):
    """A library function a patch replaces or wraps is not the code it was reviewed against."""


class TypographyInstallError(PatchReviewError):
    """WeasyPrint is not the version the typography patches were written for."""


def code_digest(func: Any, dedent: bool = False) -> str:
    """Return the digest (sha256, 16 hex digits) of a function's source, as pinned."""
    from booklet.render.patches import digestcache

    func = getattr(func, "__wrapped__", func)  # once patched: the library's own function
    source = digestcache.source(func)  # inspect.getsource, kept per version of the file
    # The pins of property getters were taken from dedented source, the others as written.
    return hashlib.sha256((textwrap.dedent(source) if dedent else source).encode()).hexdigest()[:16]


def require(func: Any, reviewed: str, what: str, patch: str,
            error: type[PatchReviewError] = PatchReviewError, dedent: bool = False) -> None:
    """Raise *error* unless *func*'s source is the *reviewed* one; say which patch to review."""
    digest = code_digest(func, dedent)
    if digest != reviewed:
        raise error(f"{what} changed (source digest {digest}, expected {reviewed}): review "
                    f"booklet/render/patches/{patch} against the installed version")


def resolve(path: str) -> tuple[Any, str]:
    """Return (owner, attribute name) for a 'module:Attr.attr' path."""
    module_name, _, attr_path = path.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, name = attr_path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    return owner, name


def source_digest(path: str) -> str:
    """Return the digest of the source of WeasyPrint's own function at `path`."""
    # Once installed, the attribute is our wrapper, whose __wrapped__ is WeasyPrint's function:
    # inspect.getsource() follows it.
    return code_digest(getattr(*resolve(path)))


def check_weasyprint() -> None:
    """Raise TypographyInstallError unless WeasyPrint, Pango and the patched code match."""
    import weasyprint
    from weasyprint.text.ffi import pango

    try:
        major = int(weasyprint.__version__.split(".")[0])
    except ValueError:  # pragma: no cover - a development version string
        major = -1
    if major != 70:
        raise TypographyInstallError(
            f"booklet's Chinese typography patches need weasyprint{SUPPORTED_WEASYPRINT}, "
            f"found {weasyprint.__version__}: pin it, or review booklet/render/patches/justify.py "
            "and attrs.py against the new WeasyPrint and update REVIEWED_SOURCES")
    if pango.pango_version() < MIN_PANGO:
        raise TypographyInstallError(
            f"booklet's line-break rules need Pango >= 1.44, found {pango.pango_version()}")
    changed = []
    for path, digest in REVIEWED_SOURCES.items():
        try:
            found = source_digest(path)
        except (AttributeError, ImportError, OSError, TypeError) as exc:
            changed.append(f"{path} ({type(exc).__name__}: {exc})")
            continue
        if found != digest:
            changed.append(f"{path} (source {found}, reviewed {digest})")
    if changed:
        raise TypographyInstallError(
            f"WeasyPrint {weasyprint.__version__} differs from the code the typography patches "
            "were reviewed against; review booklet/render/patches before updating "
            "REVIEWED_SOURCES: " + "; ".join(changed))
