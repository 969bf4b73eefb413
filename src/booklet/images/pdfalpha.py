"""Put the CMYK twin under the alpha of each transparent photo in the print PDF.

WeasyPrint 70 writes an image with transparency as DeviceRGB pixels plus a soft mask
(SMask); Pillow has no CMYK+alpha mode to hand it instead. The image stage therefore keeps,
for each transparent print image, the littleCMS CMYK conversion of its pixels, named by the
SHA-256 of the RGB pixels WeasyPrint received; here each such RGB image is replaced by its
twin (DeviceCMYK, Flate) and keeps its SMask: PDF/X-4 allows the transparency.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import Any

from booklet.images.prepare import ALPHA_FOLDER
from booklet.images.stage import CACHE


def _images(pdf: Any) -> list[Any]:
    """Return every image XObject used by a page or a form, once."""
    import pikepdf

    found: dict[tuple[int, int], Any] = {}

    def walk(resources: Any, depth: int) -> None:
        for obj in (resources.get("/XObject") or {}).values():
            if not isinstance(obj, pikepdf.Stream) or obj.objgen in found:
                continue
            if obj.get("/Subtype") == "/Image":
                found[obj.objgen] = obj
            elif obj.get("/Subtype") == "/Form" and depth < 8 and "/Resources" in obj:
                found[obj.objgen] = None
                walk(obj.Resources, depth + 1)

    for page in pdf.pages:
        if "/Resources" in page.obj:
            walk(page.obj.Resources, 0)
    return [o for o in found.values() if o is not None]


def _is_rgb(space: Any) -> bool:
    """Return whether an image colour space is DeviceRGB or a 3-component ICCBased space."""
    import pikepdf

    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0)) == 3
    return space == pikepdf.Name.DeviceRGB


def cmyk_under_alpha(pdf: Any, root: Path) -> int:
    """Replace transparent RGB images by their CMYK twins; return how many were replaced."""
    import pikepdf
    from pikepdf import Name

    folder = root / CACHE / ALPHA_FOLDER
    if not folder.is_dir():
        return 0
    replaced = 0
    for image in _images(pdf):
        if not _is_rgb(image.get("/ColorSpace")) or "/SMask" not in image:
            continue
        try:
            pixels = pikepdf.PdfImage(image).as_pil_image().convert("RGB").tobytes()
        except (pikepdf.PdfError, NotImplementedError, ValueError):
            continue
        twin = folder / f"{hashlib.sha256(pixels).hexdigest()}.cmyk"
        if not twin.is_file():
            continue
        cmyk = zlib.decompress(twin.read_bytes())
        if len(cmyk) != int(image.Width) * int(image.Height) * 4:
            continue
        image.write(zlib.compress(cmyk, 6), filter=Name.FlateDecode)
        image.ColorSpace = Name.DeviceCMYK
        if "/DecodeParms" in image:
            del image["/DecodeParms"]
        replaced += 1
    return replaced
