"""Every WeasyPrint patch booklet makes, in one place, each refusing an unreviewed WeasyPrint.

- `justify` (+ `attrs`): Chinese inter-character justification, line-break glue and
  punctuation compression; `guard` pins WeasyPrint 70 and the source digest of every
  WeasyPrint function these replace, wrap or rely on;
- `footnotes`: keeps a footnote on the page of its call (source patch, own digest);
- `fontcache`: reuses HarfBuzz font subsets within one process (wrapper, own digest);
- `pagerefs`: formats pydyf's page references once, not once per structure element;
- `compression`: deflates PDF streams at the measured zlib level, each distinct one once.

docs/architecture.md says what each changes, why, and how to re-verify after an upgrade.
"""

from __future__ import annotations

from .guard import SUPPORTED_WEASYPRINT, TypographyInstallError


def install_patches() -> None:
    """Install every patch (idempotent); call before `HTML(...).render()`."""
    # Imported here: loading these imports WeasyPrint, which the compose stage must not need.
    from . import compression, fontcache, footnotes, justify, pagerefs

    justify.install()
    footnotes.install()
    fontcache.install()
    pagerefs.install()
    compression.install()


__all__ = ["SUPPORTED_WEASYPRINT", "TypographyInstallError", "install_patches"]
