"""The speed patches: pydyf page references formatted once, the glyph check's memory."""

from __future__ import annotations

import pydyf

from booklet.content.glyphs import missing_glyphs
from booklet.render.patches import install_patches, pagerefs


def test_page_references_digest_is_the_reviewed_one():
    assert pagerefs.source_digest() == pagerefs.REVIEWED_SOURCE


def test_cached_page_references_follow_added_pages():
    install_patches()
    assert getattr(pydyf.PDF.page_references.fget, "__booklet_cached__", False)
    original = pydyf.PDF.page_references.fget.__wrapped__
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == original(pdf) and pdf.page_references is first  # reused
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == original(pdf) and len(pdf.page_references) == 2
    pdf.pages["Kids"][0] = 99  # even an in-place change is seen
    assert pdf.page_references[0] == b"99 0 R"


def test_glyph_check_still_finds_new_characters_after_a_clean_pass(tmp_path):
    file = tmp_path / "a.md"
    fonts = ["Noto Serif CJK SC"]
    assert missing_glyphs({(file, 1): "正常文字，ok"}, fonts) == []
    # The same characters again plus one no font has: only the new one is reported.
    problems = missing_glyphs({(file, 1): "正常文字，ok", (file, 2): "正常𓀀文字"}, fonts)
    assert [(p.line, p.column) for p in problems] == [(2, 3)]
    again = missing_glyphs({(file, 2): "正常𓀀文字"}, fonts)  # a bad one is never remembered
    assert [(p.line, p.column) for p in again] == [(2, 3)]


def test_project_glyph_check_remembers_each_file_for_its_text(tmp_path):
    from tests.conftest import make_project

    from booklet.content import glyphs
    from booklet.content.config import load_project

    root = make_project(tmp_path, "# 第一章\n\n正常文字。\n")
    project = load_project(root)
    chapter = root / "seeds" / "chapters" / "01-test.md"
    assert glyphs.project_glyph_problems(project) == []
    assert any(key[0] == chapter for key in glyphs._CHECKED)
    chapter.write_text("# 第一章\n\n正常𓀀文字。\n", encoding="utf-8")  # an edit is checked
    problems = glyphs.project_glyph_problems(project)
    assert [(p.file, p.line, p.column) for p in problems] == [(chapter, 3, 3)]
    assert glyphs.project_glyph_problems(project) == problems  # and remembered
    chapter.write_text("# 第一章\n\n正常文字。\n", encoding="utf-8")
    assert glyphs.project_glyph_problems(project) == []


def test_compressed_streams_are_plain_zlib_at_the_chosen_level_and_reused():
    import zlib

    from booklet.render.patches import compression

    install_patches()
    assert compression.source_digest() == compression.REVIEWED_SOURCE
    raw = "页面内容 BT /F1 10 Tf ET\n".encode() * 200
    stream = pydyf.Stream([raw], compress=True)
    data = stream.data
    assert zlib.compress(raw, compression.LEVEL) in data and b"/FlateDecode" in data
    assert zlib.decompress(compression.deflate(raw)) == raw
    assert compression.deflate(raw) is compression.deflate(raw)  # the same bytes, reused
    assert pydyf.Stream([raw]).data.count(raw) == 1  # uncompressed streams are untouched


def test_disk_caches_give_the_same_pdf_in_a_new_process(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import make_project

    chapter = "---\ntitle: 第一章\nid: one\n---\n\n过去一年，人类经受了考验。\n"
    root = make_project(tmp_path / "p", chapter)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BOOKLET_NO_SERVER": "1"}
    pdfs = []
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "booklet", "build", str(root), "-q"], check=True,
                       env=env)
        pdfs.append((root / "dist" / "test-booklet.pdf").read_bytes())
    cache = tmp_path / "cache" / "booklet"
    assert list((cache / "subsets").glob("*.font")) and list((cache / "jinja").iterdir())
    assert pdfs[0] == pdfs[1]  # the second build took its subsets and templates from disk
