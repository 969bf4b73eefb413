"""Build the page references of a PDF once, not once per structure element (pydyf 0.13).

`pydyf.PDF.page_references` is a property that formats `b"N 0 R"` for every page each time
it is read. WeasyPrint 70's PDF/UA structure tree (`pdf/tags.py`) reads it for every
structure element, so a tagged PDF costs pages × elements string formats: 1.6 s of a
438-page screen edition. This wraps the property with a cache held on the PDF object and
checked against a copy of the page list (`Kids`), so the answer is always the one pydyf
would give, even if pages were added since.
"""

from __future__ import annotations

from typing import Any

from booklet.render.patches.guard import PatchReviewError, code_digest, require

REVIEWED_SOURCE = "3175bae9885c0400"  # sha256[:16] of pydyf 0.13's page_references getter
_ATTR = "_booklet_page_references"


class PageReferencesPatchError(PatchReviewError):
    """pydyf's page_references is not the code this cache was reviewed against."""


def source_digest() -> str:
    """Return the digest of pydyf's own page_references getter."""
    import pydyf

    return code_digest(pydyf.PDF.page_references.fget, dedent=True)


def install() -> None:
    """Replace PDF.page_references with the cached version (idempotent)."""
    import pydyf

    prop = pydyf.PDF.page_references
    if getattr(prop.fget, "__booklet_cached__", False):
        return
    require(prop.fget, REVIEWED_SOURCE, "pydyf.PDF.page_references", "pagerefs.py",
            PageReferencesPatchError, dedent=True)
    original = prop.fget

    def page_references(self: Any) -> tuple[bytes, ...]:
        """Return pydyf's page references, formatted again only when the pages changed."""
        kids = self.pages["Kids"]
        cached = self.__dict__.get(_ATTR)
        if cached is not None and cached[0] == kids:  # list equality: a fast C loop
            return cached[1]
        references = original(self)
        self.__dict__[_ATTR] = (list(kids), references)
        return references

    page_references.__booklet_cached__ = True  # type: ignore[attr-defined]
    page_references.__wrapped__ = original  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)
