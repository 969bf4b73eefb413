"""Start-up savings of a new build process: linked @font-face fonts, remembered guard
sources, the one-shot collector thresholds (render.patches.fontface, .digestcache,
booklet.__main__)."""

from __future__ import annotations

import importlib.util
import inspect
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pikepdf
import pytest

from booklet.render.patches import digestcache

MARKS_CSS = ('@font-face { font-family: "marks"; src: local("NotoSerifCJKsc-Regular"); } '
             'p { font-family: "marks", "Noto Sans CJK SC"; font-size: 12pt; }')
HTML = "<p>“引号”与·间隔号 ‘单引号’</p>"


def _marks_font() -> Path:
    from booklet.content.glyphs import resolve_font

    found = resolve_font("Noto Serif CJK SC")
    if found is None:
        pytest.skip("Noto Serif CJK SC is not installed")
    return found.path


def _render(roots: list[Path], linked: bool) -> tuple[bytes, list[Path], list[str]]:
    """Render HTML with the marks face; return the PDF, WeasyPrint's font files, refusals."""
    from weasyprint import CSS
    from weasyprint import HTML as Page
    from weasyprint.text.fonts import FontConfiguration

    from booklet.render.fetcher import ProjectFetcher
    from booklet.render.patches import install_patches

    install_patches()
    fonts = FontConfiguration()
    fetcher = ProjectFetcher(roots)
    add = FontConfiguration.add_font_face
    if not linked:  # WeasyPrint's own method, for this configuration only
        fonts.add_font_face = add.__wrapped__.__get__(fonts)
    sheet = CSS(string=MARKS_CSS, font_config=fonts, url_fetcher=fetcher)
    pdf = Page(string=HTML).write_pdf(stylesheets=[sheet], font_config=fonts)
    files = sorted(fonts._folder.iterdir()) if fonts._folder else []
    return pdf, files, [url for url, _ in fetcher.refused]


def test_local_font_is_linked_and_the_pdf_is_the_same(tmp_path):
    font = _marks_font()
    linked, files, refused = _render([tmp_path, font], linked=True)
    assert [f.is_symlink() for f in files] == [True] and not refused
    assert files[0].resolve() == font.resolve()
    copied, copies, _ = _render([tmp_path, font], linked=False)
    assert [f.is_symlink() for f in copies] == [False]
    assert copies[0].stat().st_size == font.stat().st_size
    assert linked == copied  # the same fonts, so the same bytes
    with pikepdf.open(io.BytesIO(linked)) as pdf:  # the text is set in the @font-face
        names = [str(f.BaseFont) for page in pdf.pages for f in page.Resources.Font.values()]
    assert [n.split("+")[1] for n in names] == ["marks"]


def test_a_font_outside_the_roots_is_still_refused(tmp_path):
    font = _marks_font()
    _, files, refused = _render([tmp_path], linked=True)
    assert files == [] and refused == [font.resolve().as_uri()]


def test_fontface_patch_is_the_reviewed_weasyprint():
    from booklet.render.patches import fontface

    assert fontface.source_digest() == fontface.REVIEWED_SOURCE


def _module(path: Path, body: str):
    path.write_text(textwrap.dedent(body), "utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pinned_sources_are_remembered_and_a_changed_file_is_read_again(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(digestcache, "_MEMO", None)
    path = tmp_path / "pinned_probe.py"
    first = _module(path, "def f():\n    return 1\n")
    assert digestcache.source(first.f) == inspect.getsource(first.f)
    digestcache.save()
    assert digestcache.cache_file().is_file()

    def no_reading(func):
        raise AssertionError("read again")

    monkeypatch.setattr(digestcache, "_MEMO", None)  # a new process: from the file
    monkeypatch.setattr(digestcache.inspect, "getsource", no_reading)
    assert digestcache.source(first.f) == "def f():\n    return 1\n"
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # An upgrade: the same function at the same line, another text.
    stat = path.stat()
    second = _module(path, "def f():\n    return 22  # upgraded\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert digestcache.source(second.f) == "def f():\n    return 22  # upgraded\n"


def test_a_broken_source_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(digestcache, "_MEMO", None)
    digestcache.cache_file().parent.mkdir(parents=True)
    digestcache.cache_file().write_text("{not json", "utf-8")
    assert digestcache.source(_render) == inspect.getsource(_render)


@pytest.mark.parametrize("args, thresholds", [(["build", "--help"], [100_000, 50, 100]),
                                              (["--help"], None)])
def test_booklet_build_collects_rarely_from_the_start(args, thresholds):
    probe = ("import gc, json, sys, contextlib, io\n"
             "default = list(gc.get_threshold())\n"
             "import booklet.__main__ as m\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             f"    m.main({args!r})\n"
             "print(json.dumps([default, list(gc.get_threshold())]))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={**os.environ, "BOOKLET_NO_SERVER": "1"})
    default, now = eval(out.stdout)  # two lists of ints
    assert now == (thresholds or default)


def test_large_streams_are_deflated_once_across_processes(tmp_path, monkeypatch):
    import zlib

    from booklet.render.patches import compression, deflatestore

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(compression, "_CACHE", type(compression._CACHE)())
    raw = bytes(range(256)) * 600 + b"booklet"  # above MIN_BYTES
    small = b"q 1 0 0 1 0 0 cm Q" * 10
    expected = zlib.compress(raw, compression.LEVEL)
    assert compression.deflate(raw) == expected
    assert compression.deflate(small) == zlib.compress(small, compression.LEVEL)
    [stored] = deflatestore.folder().iterdir()  # only the large one
    assert stored.read_bytes() == expected
    monkeypatch.setattr(compression, "_CACHE", type(compression._CACHE)())  # a new process
    monkeypatch.setattr(compression.zlib, "compress", lambda *a: b"not called")
    assert compression.deflate(raw) == expected  # from the disk
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    # A file that is not the deflated form of these bytes is not used.
    stored.write_bytes(zlib.compress(raw[:-1] + b"X", compression.LEVEL))
    monkeypatch.setattr(compression, "_CACHE", type(compression._CACHE)())
    assert compression.deflate(raw) == expected
    assert deflatestore.read(b"\x00" * 28, raw, 9) is None  # another level: another file


def _count_fc_match(monkeypatch) -> list[str]:
    import subprocess as sp

    from booklet.content import fontmatch, glyphs

    runs: list[str] = []
    real = sp.run

    def run(cmd, *args, **kwargs):
        runs.append(cmd[-1])
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(glyphs.subprocess, "run", run)
    glyphs.resolve_font.cache_clear()
    monkeypatch.setattr(fontmatch, "_STATE", None)
    return runs


def test_fc_match_answers_are_remembered_until_fontconfig_changes(tmp_path, monkeypatch):
    from booklet.content import fontmatch, glyphs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    runs = _count_fc_match(monkeypatch)
    first = glyphs.resolve_font("Noto Serif CJK SC")
    if first is None:
        pytest.skip("Noto Serif CJK SC is not installed")
    assert glyphs.resolve_font("No Such Family 42") is None
    assert runs == ["Noto Serif CJK SC", "No Such Family 42"]
    runs = _count_fc_match(monkeypatch)  # a new process
    assert glyphs.resolve_font("Noto Serif CJK SC") == first and runs == []
    assert glyphs.resolve_font("No Such Family 42") is None  # never remembered: asked
    assert runs == ["No Such Family 42"]
    runs = _count_fc_match(monkeypatch)
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "other-fonts.conf"))  # another setup
    glyphs.resolve_font("Noto Serif CJK SC")
    assert runs == ["Noto Serif CJK SC"]
    monkeypatch.delenv("FONTCONFIG_FILE")
    runs = _count_fc_match(monkeypatch)
    data = json.loads(fontmatch._file().read_text("utf-8"))
    data["fonts"]["Noto Serif CJK SC"] = [str(tmp_path / "gone.ttc"), 0]  # a removed font
    fontmatch._file().write_text(json.dumps(data), "utf-8")
    assert glyphs.resolve_font("Noto Serif CJK SC") == first
    assert runs == ["Noto Serif CJK SC"]


def test_a_new_build_process_exits_fast_and_leaves_no_font_folder(project_copy, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "BOOKLET_NO_SERVER": "1", "TMPDIR": str(temp)}
    done = subprocess.run([sys.executable, "-m", "booklet", "build", str(project_copy),
                           "--edition", "screen", "-q", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert names == ["sg-report-2023-highlights.pdf", "sg-report-2023-highlights.report.json"]
    with pikepdf.open(tmp_path / "out" / names[0]) as pdf:
        assert len(pdf.pages) > 10
    # WeasyPrint's temporary font folder is removed by the exit handlers that still run.
    assert list(temp.iterdir()) == []
    bad = subprocess.run([sys.executable, "-m", "booklet", "build", str(tmp_path / "none"),
                          "-q"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "no booklet project" in bad.stderr


def test_glyph_ranges_answer_as_the_code_point_sets():
    import random

    from booklet.content import glyphs

    font = glyphs.resolve_font("Noto Serif CJK SC")
    if font is None:
        pytest.skip("Noto Serif CJK SC is not installed")
    ranges = glyphs.coverage_ranges(font.path, font.index)
    codes = glyphs.coverage(font.path, font.index)
    probe = [*random.Random(14).sample(range(0x30000), 5000), 0x4E00, 0x13000, 0x20, 0x3000]
    assert all(glyphs._covers(ranges, c) == (c in codes) for c in probe)
    file = Path("a.md")
    got = glyphs.missing_glyphs({(file, 1): "象形𓀀文字𓀀", (file, 2): "正常", (file, 3): "又𓀁"},
                                [font])
    assert [(p.line, p.column) for p in got] == [(1, 3), (3, 2)]
    assert "U+13000" in got[0].message and "U+13001" in got[1].message
