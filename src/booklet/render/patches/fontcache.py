"""Reuse font subsets between builds of one process (`booklet watch`).

Every `write_pdf()` subsets each CJK font anew with HarfBuzz (~30 ms a font). After a
one-sentence edit the glyphs in use are usually the same, so the subset is too: this wraps
WeasyPrint 70's `Font.subset` with a small in-process cache keyed by the font and the
glyph ids it must keep.
"""

from __future__ import annotations

import hashlib
import inspect
from collections import OrderedDict
from typing import Any

REVIEWED_SOURCE = "61ed6bc2e9a7e43a"  # sha256[:16] of WeasyPrint 70.0's Font.subset source
_CACHE: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_LIMIT = 24  # subsets kept; a booklet uses about five fonts


class FontCacheError(RuntimeError):
    """WeasyPrint's Font.subset is not the code this cache was reviewed against."""


def install() -> None:
    """Wrap Font.subset with the cache (idempotent)."""
    from weasyprint.pdf.fonts import Font

    original = Font.subset
    if getattr(original, "__booklet_cached__", False):
        return
    digest = hashlib.sha256(inspect.getsource(original).encode()).hexdigest()[:16]
    if digest != REVIEWED_SOURCE:
        raise FontCacheError(f"weasyprint.pdf.fonts.Font.subset changed (digest {digest}): "
                             "review booklet/render/patches/fontcache.py against this WeasyPrint")

    def subset(self: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
        """Subset as WeasyPrint does, or take the same subset from the cache."""
        if not to_unicode:
            return
        key = (self.hash, self.index, len(self.file_content), bool(self.missing), hinting,
               tuple(sorted(to_unicode)))
        if key in _CACHE:
            _CACHE.move_to_end(key)
            self.file_content = _CACHE[key]
            return
        original(self, to_unicode, hinting)
        _CACHE[key] = self.file_content
        if len(_CACHE) > _LIMIT:
            _CACHE.popitem(last=False)

    subset.__booklet_cached__ = True  # type: ignore[attr-defined]
    subset.__wrapped__ = original  # type: ignore[attr-defined]
    Font.subset = subset
