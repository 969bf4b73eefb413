"""Check image files before anything decodes them: empty, broken or too many pixels."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from booklet.content import gate
from booklet.errors import Problem

# 40 megapixels: a full 170 × 240 mm page at 600 ppi is 16 MP. A 13 000 × 13 000 image
# (169 MP) would take 500 MB to 1.5 GB to decode.
MAX_PIXELS = 40_000_000
_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp")


def image_problem(data: bytes, name: str) -> str | None:
    """Return why image *data* cannot be printed (None when it can); decodes within limits."""
    if not data:
        return "the image file is empty (0 bytes)"
    if not name.lower().endswith(_RASTER):
        return None  # SVG is parsed by WeasyPrint, which reports its own problems
    from PIL import Image, ImageFile

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES on import, which would print a truncated photo
    # half grey without a word: judge the file strictly here.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            # Opening reads only the header; our own limit (below) is checked before any
            # decoding, with the size in the message, so Pillow's check is not needed here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    return (f"the image is {width} × {height} pixels, more than the "
                            f"{MAX_PIXELS // 1_000_000} megapixels booklet decodes")
                img.load()  # decodes: truncated or corrupt data fails here, not in print
    except Image.DecompressionBombError as exc:  # over twice Pillow's own limit
        return f"the image has far too many pixels ({exc})"
    except Exception as exc:  # Pillow raises many types for broken files
        return f"the image cannot be decoded ({type(exc).__name__}: {exc})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def data_url(url: str) -> tuple[str, bytes] | None:
    """Return (MIME type, bytes) of a ``data:`` URL, or None if it cannot be decoded."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    head, _, payload = url.partition(",")
    mime = head[5:].split(";")[0].strip().lower() or "text/plain"
    try:
        body = (base64.b64decode(payload, validate=False) if head.endswith(";base64")
                else unquote_to_bytes(payload))
    except (ValueError, binascii.Error):
        return None
    return mime, body


def local_image_problem(seeds: Path, root: Path, src: str) -> str | None:
    """Return why the local image *src* (relative to seeds/) cannot be used, if it exists."""
    parts = urlsplit(src)
    if parts.scheme.lower() == "data":
        decoded = data_url(src)
        if decoded is None:
            return "the data: URL cannot be decoded"
        mime, body = decoded
        if mime.startswith("image/") and mime != "image/svg+xml":
            return image_problem(body, "inline." + mime.split("/")[1])
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None  # remote and data URLs are judged by the renderer's fetcher
    path = seeds / unquote(parts.path)
    if not path.exists() and not path.is_symlink():
        return None  # a missing photo prints as a placeholder (a warning elsewhere)
    why = gate.refusal(path, [root], "image")
    if why and "outside the project" in why:
        return None  # the renderer refuses it and warns, at its line
    if why:
        return why
    try:
        data = gate.read_bytes(path, [root], limit=gate.MAX_FILE_BYTES)
    except OSError as exc:
        return exc.strerror or "it cannot be read"
    return image_problem(data, path.name)


def reference_problems(seeds: Path, root: Path, refs: list[tuple[str, Path, int]]) -> list[Problem]:
    """Return an error for each referenced local image that is empty, broken or too large."""
    problems = []
    for src, file, line in refs:
        why = local_image_problem(seeds, root, src)
        if why:
            problems.append(Problem(f"image {src!r}: {why}", file, line,
                                    hint="replace it with a working PNG or JPEG inside the "
                                         "project (at most 40 megapixels)"))
    return problems
