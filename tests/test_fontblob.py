"""Font files are copied out of HarfBuzz only when read: same bytes, fewer copies."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import make_project

from booklet.render.patches import fontblob, install_patches

# Counts the copies of more than 1 MB that cffi makes during a build (whole font files).
COUNT_COPIES = """
import sys
from pathlib import Path
import cffi.api
copies = []
unpack = cffi.api.FFI.unpack
def counting(self, cdata, length):
    if length > 1 << 20:
        copies.append(length)
    return unpack(self, cdata, length)
cffi.api.FFI.unpack = counting
from booklet.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), edition="screen")
print(len(copies))
"""


def test_digests_are_the_reviewed_ones():
    assert fontblob.digests() == fontblob.REVIEWED_SOURCES


def test_a_font_reads_the_whole_file_only_when_asked():
    install_patches()
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import ffi, pango

    from booklet.content.glyphs import resolve_font
    from booklet.render.layout import font_config

    config = font_config()
    description = pango.pango_font_description_new()
    pango.pango_font_description_set_family(description, b"Noto Serif CJK SC")
    pango.pango_font_description_set_absolute_size(description, 12 * 1024)
    context = pango.pango_font_map_create_context(config.font_map)
    pango_font = pango.pango_font_map_load_font(config.font_map, context, description)
    assert pango_font != ffi.NULL
    font = Font(pango_font, description, 12)
    on_disk = resolve_font("Noto Serif CJK SC").path.read_bytes()
    lazy = font.__dict__[fontblob._SLOT]
    assert isinstance(lazy, fontblob._Lazy)  # nothing copied yet
    assert fontblob.size(font) == len(on_disk)
    assert fontblob.head(font, 4096) == on_disk[:4096]
    assert font.file_content == on_disk  # read: the whole file, as WeasyPrint copies it
    assert font.type == ("otf" if on_disk[:4] == b"OTTO" else "ttf")
    font.file_content = b"subset"
    assert font.file_content == b"subset" and fontblob.size(font) == 6


def test_a_build_with_cached_subsets_copies_no_whole_font(tmp_path):
    root = make_project(tmp_path / "p", "---\ntitle: 第一章\nid: one\n---\n\n人类经受了考验。\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BOOKLET_NO_SERVER": "1"}
    counts, pdfs = [], []
    for n in range(2):
        out = tmp_path / f"out{n}"
        done = subprocess.run([sys.executable, "-c", COUNT_COPIES, str(root), str(out)],
                              env=env, check=True, capture_output=True, text=True)
        counts.append(int(done.stdout.split()[-1]))
        pdfs.append((out / "test-booklet.pdf").read_bytes())
    # HarfBuzz subsets from its own face, and the second build takes the subsets from the
    # disk cache: no whole font file is copied (WeasyPrint alone copies each font it uses).
    assert counts == [0, 0]
    assert pdfs[0] == pdfs[1]
