"""Stage 2, draw figures: chart and QR blocks -> FigureSet (themed, cached vector SVG).

`draw` is the stage (and the `Theme` a figure module receives), `load` imports figure modules
and their data, `cache` keeps drawn figures by content hash, `svg` makes the SVG deterministic
and its CMYK twin, `qrcode` draws QR codes.
"""

from booklet.figures.draw import FigureSet, Theme, draw_figures

__all__ = ["FigureSet", "Theme", "draw_figures"]
