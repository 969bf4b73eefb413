"""Reduce screen photos to their placed resolution at the configured JPEG quality.

With the `dpi` render option, WeasyPrint 70's `RasterImage.get_x_object` shrinks an image
drawn above that resolution with `Image.thumbnail` and re-saves it at Pillow's default JPEG
quality (75), whatever `images.screen_quality` says. Inside `jpeg_quality(q)` this wrapper
does the reduction itself (Lanczos, quality q) and hands WeasyPrint the reduced image as if
no reduction were needed. Outside it, or for PNG images, WeasyPrint's own code runs.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

from booklet.render.patches.guard import PatchReviewError, require

REVIEWED_SOURCE = "1f590111444639aa"  # sha256[:16] of WeasyPrint 70's RasterImage.get_x_object
_QUALITY: list[int] = []  # the quality in force, innermost last


class ImageDpiError(PatchReviewError):
    """WeasyPrint's RasterImage.get_x_object is not the code this wrapper was reviewed against."""


@contextlib.contextmanager
def jpeg_quality(quality: int) -> Iterator[None]:
    """Save the JPEG photos that writing reduces at *quality* (used around write_pdf)."""
    _QUALITY.append(quality)
    try:
        yield
    finally:
        _QUALITY.pop()


def install() -> None:
    """Wrap RasterImage.get_x_object (idempotent)."""
    from weasyprint.images import RasterImage

    original = RasterImage.get_x_object
    if getattr(original, "__booklet_dpi__", False):
        return
    require(original, REVIEWED_SOURCE, "weasyprint.images.RasterImage.get_x_object",
            "imagedpi.py", ImageDpiError)

    def get_x_object(self: Any, interpolate: bool, dpi_ratio: float) -> Any:
        """Reduce a JPEG at our quality, then let WeasyPrint write it unreduced."""
        if dpi_ratio == 1 or not _QUALITY or self.format != "JPEG":
            return original(self, interpolate, dpi_ratio)
        from PIL import Image

        with Image.open(io.BytesIO(self.image_data.data)) as source:
            size = (max(1, round(self.width * dpi_ratio)), max(1, round(self.height * dpi_ratio)))
            reduced = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        reduced.save(buffer, format="JPEG", quality=_QUALITY[-1], optimize=True)
        # The object keeps its layout size; only the pixels written to the PDF are fewer.
        full = (self.width, self.height, self.image_data)
        self.width, self.height = size
        self.image_data = self.cache_image_data(buffer.getvalue(), slot="booklet-reduced")
        try:
            return original(self, interpolate, 1)
        finally:
            self.width, self.height, self.image_data = full

    get_x_object.__booklet_dpi__ = True  # type: ignore[attr-defined]
    get_x_object.__wrapped__ = original  # type: ignore[attr-defined]
    RasterImage.get_x_object = get_x_object
