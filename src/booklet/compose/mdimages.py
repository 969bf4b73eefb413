"""Put each Markdown image's file prepared for the edition, or a placeholder, in the HTML."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from booklet.content.mdimages import MarkdownImage

# content/markdown.py marks local images with data-image (their path under seeds/).
_IMAGE = re.compile(r'<img class="md-image" src="[^"]*" data-image="([^"]*)" alt="([^"]*)">')


def place_images(html: str, seeds: Path, images: Any, edition: str) -> str:
    """Return prose *html* with local images pointing at their prepared files.

    A missing or unusable file becomes the photo blocks' placeholder (data-missing makes the
    print edition a proof, editions/proof.py); the alt text is left to the figure's caption.
    """
    def one(match: re.Match[str]) -> str:
        src, alt = match.group(1), match.group(2)
        path = unescape(src)
        rejected = images is not None and path in images.rejected
        if rejected or not (seeds / path).is_file():
            name = "" if edition == "print" else f'<p class="placeholder-file">{src}</p>'
            return (f'<div class="photo-placeholder md-placeholder" role="img" '
                    f'aria-label="{alt}" data-missing="{src}">'
                    f'<p class="placeholder-flag">图片待补</p>{name}</div>')
        prepared = images.lookup(MarkdownImage(path, "", 0), edition) \
            if images is not None else None
        url = prepared.path.as_uri() if prepared is not None else src
        return f'<img class="md-image" src="{url}" data-image="{src}" alt="{alt}">'

    return _IMAGE.sub(one, html) if 'data-image="' in html else html
