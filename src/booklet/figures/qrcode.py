"""Draw QR codes as vector SVG with segno, in the theme's ink on paper."""

from __future__ import annotations

import io
import re

MM = 72 / 25.4
# Four modules of quiet zone, as ISO/IEC 18004 asks, so phones find the code on any page.
BORDER = 4


def qr_svg(url: str, width_mm: float, dark: str, light: str, alt: str) -> str:
    """Return an SVG QR code for *url*, *width_mm* wide, with *alt* as its title."""
    import segno

    # Level M survives light damage and ink spread and keeps the code small.
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=BORDER, dark=dark, light=light, xmldecl=False,
              svgns=True, omitsize=True, title=alt, nl=False, svgclass=None, lineclass=None)
    svg = buffer.getvalue().decode("utf-8")
    # segno draws modules as stroked lines and leaves fill at SVG's default (black): say
    # "none", so the print edition holds no stray RGB fill operator.
    svg = svg.replace("<path stroke=", '<path fill="none" stroke=')
    size = f"{width_mm * MM:.3f}pt"
    return re.sub(r"<svg\b", f'<svg width="{size}" height="{size}"', svg, count=1) + "\n"

