"""Every WeasyPrint patch booklet makes, in one place, each refusing an unreviewed WeasyPrint.

- `justify` (+ `attrs`, `breaks`): Chinese inter-character justification, line-break glue,
  punctuation compression and the paragraph composer's line breaks; `guard` pins
  WeasyPrint 70 and the source digest of every WeasyPrint function these replace, wrap or
  rely on;
- `footnotes`: keeps a footnote on the page of its call (source patch, own digest);
- `fontcache`: reuses HarfBuzz font subsets within one process (wrapper, own digest);
- `fontblob`: copies a font file out of HarfBuzz only when it is read (property, own digests);
- `fontface`: links an @font-face `local()` system font instead of copying it (source patch);
- `tagging`: one PDF/UA structure tree for the whole document, decorations as artifacts
  (replaces `add_tags`, wraps `draw_page` and `Stream.marked`, own digests).
- `grid`: rounds blocks marked `--grid: snap` up to whole body lines (wrapper, own digest).
- `imagedpi`: reduces screen photos at the configured JPEG quality (wrapper, own digest).
- `pagerefs`: formats pydyf's page references once, not once per structure element;
- `compression`: deflates PDF streams at the measured zlib level, each distinct one once.
- `svgletters`: shapes each distinct letter of a document's SVG text once (wrapper, own digests).

docs/architecture.md says what each changes, why, and how to re-verify after an upgrade.
"""

from __future__ import annotations

from .guard import SUPPORTED_WEASYPRINT, TypographyInstallError


def install_patches() -> None:
    """Install every patch (idempotent); call before `HTML(...).render()`."""
    # Imported here: loading these imports WeasyPrint, which the compose stage must not need.
    from . import (
        compression,
        digestcache,
        fontblob,
        fontcache,
        fontface,
        footnotes,
        grid,
        imagedpi,
        justify,
        pagerefs,
        svgletters,
        tagging,
    )

    justify.install()
    footnotes.install()
    fontblob.install()
    fontface.install()
    fontcache.install()
    tagging.install()
    grid.install()
    imagedpi.install()
    pagerefs.install()
    compression.install()
    svgletters.install()
    digestcache.save()  # the guards' digests, for the next process


__all__ = ["SUPPORTED_WEASYPRINT", "TypographyInstallError", "install_patches"]
