"""Finish drawn SVG files: accessible title, no volatile metadata, a CMYK twin for print."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape

_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
# A paint value: fill/stroke/stop-color in a style declaration or an attribute.
_PAINT = re.compile(
    r"(?P<prop>\b(?:fill|stroke|stop-color|color)\s*(?::\s*|=\s*[\"']))"
    r"#(?P<hex>[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![0-9A-Za-z_-])")


def finish_svg(svg: str, alt: str) -> str:
    """Drop matplotlib's metadata block and give the drawing a <title> (its text alternative)."""
    svg = _METADATA.sub("", svg, count=1)
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    title = f"\n <title>{escape(alt)}</title>" if alt else ""
    return svg[: match.end()] + title + svg[match.end():]


def device_cmyk(cmyk: tuple[float, ...]) -> str:
    """Return the CSS device-cmyk() value for CMYK percentages."""
    return "device-cmyk({})".format(" ".join(_fraction(v) for v in cmyk))


def _fraction(percent: float) -> str:
    """Write a percentage as a short 0-1 fraction, e.g. 35 -> 0.35."""
    return f"{percent / 100:.4f}".rstrip("0").rstrip(".") or "0"


def naive_cmyk(hex_rgb: str) -> tuple[float, float, float, float]:
    """Convert an RGB hex colour to CMYK percentages without a profile (fallback only)."""
    r, g, b = (int(hex_rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 100.0)
    return tuple(round(100 * v, 1) for v in (
        (1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k))  # type: ignore[return-value]


def to_cmyk(svg: str, tokens: Mapping[str, tuple[float, ...]]) -> tuple[str, list[str]]:
    """Replace token RGB colours by their device-cmyk values; return the SVG and unknown colours.

    *tokens* maps ``#RRGGBB`` (upper case) to CMYK percentages. Colours that are not tokens
    are converted naively and reported, so the print check can point at them.
    """
    unknown: list[str] = []

    def swap(match: re.Match[str]) -> str:
        hex_rgb = _long_hex(match["hex"])
        cmyk = tokens.get(hex_rgb)
        if cmyk is None:
            if hex_rgb not in unknown:
                unknown.append(hex_rgb)
            cmyk = naive_cmyk(hex_rgb[1:])
        return match["prop"] + device_cmyk(cmyk)

    return _PAINT.sub(swap, svg), unknown


def paint_colours(svg: str) -> set[str]:
    """Return every hex paint colour used in *svg*, as upper-case ``#RRGGBB``."""
    return {_long_hex(m["hex"]) for m in _PAINT.finditer(svg)}


def _long_hex(digits: str) -> str:
    """Return ``#RRGGBB`` in upper case for 3- or 6-digit hex digits."""
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()
