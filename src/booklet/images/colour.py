"""Colour conversion with littleCMS (Pillow's ImageCms): RGB -> press CMYK, anything -> sRGB."""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path
from typing import Any

INTENTS = {"relative": "RELATIVE_COLORIMETRIC", "perceptual": "PERCEPTUAL"}
SRGB = "sRGB (built in)"


class ProfileProblem(Exception):
    """An embedded ICC profile that cannot be used (damaged, or for another colour model)."""


@functools.lru_cache(maxsize=32)
def _profile(data: bytes | None, path: str | None = None) -> Any:
    """Return an ImageCms profile from bytes or a file; None and None mean sRGB."""
    from PIL import ImageCms

    if data is None and path is None:
        return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(data) if data is not None else path)
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError) as exc:
        raise ProfileProblem(str(exc)) from exc


def profile_name(data: bytes | None) -> str:
    """Return an ICC profile's description, for messages and the report."""
    if data is None:
        return SRGB
    try:
        return (_profile(data).profile.profile_description or "unnamed profile").strip()
    except ProfileProblem:
        return "damaged profile"


def colour_space(data: bytes) -> str:
    """Return the colour space an ICC profile describes: RGB, CMYK, GRAY …"""
    return str(_profile(data).profile.xcolor_space).strip()


def same_profile(a: bytes | None, b: bytes) -> bool:
    """Return whether two ICC profiles are the same (byte for byte, or by profile ID)."""
    if a is None:
        return False
    if hashlib.sha256(a).digest() == hashlib.sha256(b).digest():
        return True
    ids = (bytes(a[84:100]), bytes(b[84:100]))  # the profile ID header field (MD5)
    return ids[0] == ids[1] and any(ids[0])


@functools.lru_cache(maxsize=32)
def _transform(source: bytes | None, target: bytes | None, in_mode: str, out_mode: str,
               intent: str, bpc: bool) -> Any:
    """Build (once per process) a littleCMS transform between two profiles."""
    from PIL import ImageCms

    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    return ImageCms.buildTransform(_profile(source), _profile(target), in_mode, out_mode,
                                   renderingIntent=getattr(ImageCms.Intent, INTENTS[intent]),
                                   flags=flags)


def convert(image: Any, source: bytes | None, target: bytes | None, out_mode: str,
            intent: str = "relative", bpc: bool = True) -> Any:
    """Return *image* converted from profile *source* to *target* (None = sRGB).

    Alpha is split off, the colour converted, and the alpha returned alongside: Pillow has no
    CMYK+alpha mode, so the caller keeps them as two images.
    """
    from PIL import ImageCms

    colour = image.convert(image.mode[:-1]) if image.mode in ("RGBA", "LA") else image
    transform = _transform(source, target, colour.mode, out_mode, intent, bpc)
    return ImageCms.applyTransform(colour, transform)


def alpha_of(image: Any) -> Any | None:
    """Return the alpha channel of *image*, or None when it has none or it is fully opaque."""
    if image.mode not in ("RGBA", "LA"):
        return None
    alpha = image.getchannel("A")
    return None if alpha.getextrema() == (255, 255) else alpha


def read_profile(path: Path) -> bytes:
    """Return the bytes of the output-intent profile file."""
    return path.read_bytes()
