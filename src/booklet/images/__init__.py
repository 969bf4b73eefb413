"""Stage 2b: photos prepared per edition (CMYK for print, small sRGB for the screen)."""

from booklet.images.stage import ImageSet, Prepared, prepare_images

__all__ = ["ImageSet", "Prepared", "prepare_images"]
