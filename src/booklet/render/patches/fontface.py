"""Link an @font-face `local()` system font instead of copying it: a guarded source patch.

WeasyPrint 70's `FontConfiguration.add_font_face` reads every @font-face font through the
URL fetcher and writes the bytes into its temporary folder, where Fontconfig then reads
them. booklet's typography layer gives Kai text its quotation marks from a `local()` Noto
CJK face (compose/typography/prepare.py): a 26 MB collection read (through the gate, in
1 MB chunks), joined and written again in every new process, 50-100 ms of a 1.5 s build.

For a `local()` source (a font installed on the system, found by Fontconfig) that the
project's fetcher would serve (render.fetcher: inside its roots, a regular file, not too
large) and that is not WOFF, the patch puts a symbolic link to the resolved file where
WeasyPrint would have written the copy. Fontconfig reads the same bytes under the same
path, so the fonts, and the PDFs, are the same (tests/test_startup.py). Any other source
(a project's own font file, a refused path, WOFF) takes WeasyPrint's path unchanged.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import textwrap
from pathlib import Path
from typing import Any

from booklet.render.patches import digestcache
from booklet.render.patches.guard import PatchReviewError

MODULE = "weasyprint.text.fonts"
REVIEWED_SOURCE = "2135b3c4b4a3c4cf"  # sha256[:16] of WeasyPrint 70.0's add_font_face
START = "# Get font content."
END = "font_path.write_bytes(font)"


class FontFacePatchError(PatchReviewError):
    """WeasyPrint's add_font_face is not the code this patch was reviewed against."""


def link_font(font_type: str, url: str, fetcher: Any, font_path: Path) -> bool:
    """Link a local() font file into WeasyPrint's folder; False: let WeasyPrint copy it."""
    if font_type != "local":
        return False
    readable = getattr(fetcher, "readable_file", None)  # booklet's ProjectFetcher
    real = readable(url) if readable is not None else None
    if real is None:
        return False  # WeasyPrint fetches it, and the fetcher says why it refuses
    try:
        with open(real, "rb") as font:
            if font.read(4)[:3] == b"wOF":  # WOFF is decoded into a copy: WeasyPrint does it
                return False
        os.symlink(real, font_path)
    except OSError:
        return False
    return True


def _patched_source(function: Any) -> str:
    """Return the method's source with the copy made conditional on `link_font`."""
    source = textwrap.dedent(digestcache.source(function))  # inspect.getsource, kept
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    lines = source.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == START]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if digest != REVIEWED_SOURCE or len(starts) != 1 or len(ends) != 1 \
            or starts[0] > ends[0]:
        raise FontFacePatchError(
            f"{MODULE}.FontConfiguration.add_font_face changed (source digest {digest}, "
            f"expected {REVIEWED_SOURCE}): review booklet/render/patches/fontface.py")
    first, last = starts[0], ends[0]
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    # The same number of lines: the `if` takes the comment's line, the block moves right.
    lines[first] = (f"{indent}if not _booklet_link_font(font_type, url, url_fetcher, "
                    f"font_path):  {START}")
    for i in range(first + 1, last + 1):
        lines[i] = "    " + lines[i] if lines[i].strip() else lines[i]
    return "\n".join(lines)


def install() -> None:
    """Replace FontConfiguration.add_font_face with the linking version (idempotent)."""
    module = importlib.import_module(MODULE)
    config = module.FontConfiguration
    original = config.add_font_face
    if getattr(original, "__booklet_patched__", False):
        return
    source = _patched_source(original)
    first_line = original.__code__.co_firstlineno  # as inspect.getsourcelines says
    code = compile("\n" * (first_line - 1) + source,
                   inspect.getsourcefile(original) or MODULE, "exec")
    module.__dict__["_booklet_link_font"] = link_font
    defined: dict[str, Any] = {}
    exec(code, module.__dict__, defined)  # WeasyPrint's globals; the method lands in defined
    patched = defined["add_font_face"]
    patched.__booklet_patched__ = True
    patched.__wrapped__ = original
    patched.__qualname__ = original.__qualname__
    config.add_font_face = patched


def source_digest() -> str:
    """Return the digest of WeasyPrint's own add_font_face (as pinned)."""
    module = importlib.import_module(MODULE)
    function = module.FontConfiguration.add_font_face
    function = getattr(function, "__wrapped__", function)
    return hashlib.sha256(textwrap.dedent(digestcache.source(function)).encode()).hexdigest()[:16]
