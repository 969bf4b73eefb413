"""Prepare one photo for one edition: crop, convert colour, size and encode."""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from typing import Any

from booklet.content.blocks import aspect_ratio
from booklet.images import colour
from booklet.images.decode import Decoded

ALPHA_FOLDER = "alpha"  # CMYK twins of transparent print images, by hash of their RGB pixels


@dataclass(frozen=True)
class Settings:
    """Everything besides the source bytes that decides a prepared image (the cache key)."""

    layout: str  # "screen" or "print"
    aspect: str
    focus: tuple[float, float]
    intent: str
    bpc: bool
    quality: int
    max_edge: int  # screen: longest edge in pixels; print: 0 (never downsampled)
    profile: bytes  # the output-intent profile (print); b"" for screen

    def key(self, source: bytes, version: str) -> str:
        """Return the content hash naming the prepared file."""
        h = hashlib.sha256()
        for part in (version, self.layout, self.aspect, repr(self.focus), self.intent,
                     repr(self.bpc), str(self.quality), str(self.max_edge)):
            h.update(part.encode() + b"\0")
        h.update(hashlib.sha256(self.profile).digest())
        h.update(hashlib.sha256(source).digest())
        return h.hexdigest()[:40]


@dataclass
class Output:
    """The encoded image, its suffix, and for a transparent print image its CMYK twin."""

    data: bytes
    suffix: str
    size: tuple[int, int]
    twin: tuple[str, bytes] | None = None  # (hash of the RGB pixels, compressed CMYK)


def crop_box(size: tuple[int, int], ratio: float,
             focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """Return the largest box of width/height *ratio* centred on *focus* as far as it fits."""
    width, height = size
    if width / height > ratio:
        new = max(1, round(height * ratio))
        x0 = min(max(round(focus[0] * width - new / 2), 0), width - new)
        return (x0, 0, x0 + new, height)
    new = max(1, round(width / ratio))
    y0 = min(max(round(focus[1] * height - new / 2), 0), height - new)
    return (0, y0, width, y0 + new)


def prepare(decoded: Decoded, settings: Settings, source: bytes = b"") -> Output:
    """Return the edition's version of a decoded photo (*source*: the file's bytes)."""
    image = decoded.image
    if settings.layout == "print" and passes_through(decoded, settings) and source:
        return Output(source, ".jpg", image.size)  # already separated for this press
    ratio = aspect_ratio(settings.aspect) if settings.aspect else None
    if ratio:
        image = image.crop(crop_box(image.size, ratio, settings.focus))
    if settings.layout == "print":
        return _print(image, decoded.icc, settings)
    return _screen(image, decoded.icc, settings)


def passes_through(decoded: Decoded, settings: Settings) -> bool:
    """Return whether a CMYK JPEG for this output profile goes to print untouched."""
    matching = decoded.icc is None or colour.same_profile(decoded.icc, settings.profile)
    return (decoded.format == "JPEG" and decoded.image.mode == "CMYK" and matching
            and not settings.aspect and not decoded.transposed)


def _print(image: Any, icc: bytes | None, s: Settings) -> Output:
    """Convert to the output intent's CMYK (greyscale stays grey); keep transparency."""
    from PIL import Image

    if image.mode in ("L", "LA"):
        return _encode(image, s.quality)
    if image.mode == "CMYK":
        if icc is not None and not colour.same_profile(icc, s.profile) \
                and colour.colour_space(icc) == "CMYK":
            image = colour.convert(image, icc, s.profile, "CMYK", s.intent, s.bpc)
        return _encode(image, s.quality)
    source = icc if icc is not None and colour.colour_space(icc) == "RGB" else None
    cmyk = colour.convert(image, source, s.profile, "CMYK", s.intent, s.bpc)
    alpha = colour.alpha_of(image)
    if alpha is None:
        return _encode(cmyk, s.quality)
    # Pillow has no CMYK+alpha mode and WeasyPrint writes RGBA as DeviceRGB + SMask: hand it
    # the RGBA pixels and keep the CMYK twin, which booklet.images.pdfalpha puts in its place.
    rgba = Image.merge("RGBA", (*image.convert("RGB").split(), alpha))
    out = _encode(rgba, s.quality)
    rgb_hash = hashlib.sha256(rgba.convert("RGB").tobytes()).hexdigest()
    out.twin = (rgb_hash, zlib.compress(cmyk.tobytes(), 6))
    return out


def _screen(image: Any, icc: bytes | None, s: Settings) -> Output:
    """Convert to sRGB (greyscale stays grey) and cap the size; the renderer does the rest."""
    from PIL import Image

    alpha = colour.alpha_of(image)
    if image.mode == "CMYK":
        source = icc if icc is not None and colour.colour_space(icc) == "CMYK" else s.profile
        image = colour.convert(image, source, None, "RGB", "perceptual", True)
    elif image.mode in ("RGB", "RGBA") and icc is not None \
            and colour.colour_space(icc) == "RGB":
        image = colour.convert(image, icc, None, "RGB", s.intent, s.bpc)
    elif image.mode in ("RGBA", "LA"):
        image = image.convert(image.mode[:-1])
    if alpha is not None:
        image = Image.merge(image.mode + "A", (*image.split(), alpha))
    if s.max_edge and max(image.size) > s.max_edge:
        scale = s.max_edge / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _encode(image, s.quality)


def _encode(image: Any, quality: int) -> Output:
    """Encode opaque images as JPEG and transparent ones as PNG, deterministically."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA"):
        image.save(buffer, format="PNG", compress_level=6)
        suffix = ".png"
    else:
        image.save(buffer, format="JPEG", quality=quality, subsampling=0 if quality >= 90
                   else 2, optimize=True)
        suffix = ".jpg"
    return Output(buffer.getvalue(), suffix, image.size)
