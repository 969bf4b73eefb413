"""`booklet check`: each planted fault is caught, located and explained; the seed passes."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pikepdf
import pytest
from PIL import Image
from tests.conftest import ROOT

from booklet.check.layout import _line_breaks, _split
from booklet.check.rows import Row
from booklet.cli import main
from booklet.content.glyphs import missing_glyphs

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def project(name: str, tmp_path: Path) -> Path:
    """Copy a fixture project into a scratch folder (checks must not touch the repository)."""
    dst = tmp_path / name
    shutil.copytree(FIXTURES / name, dst)
    return dst


def check(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, dict]:
    """Run `booklet check PATH --json ARGS` in-process; return the exit code and the report."""
    code = main(["check", str(path), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def only(report: dict, check_id: str) -> list[dict]:
    """Return the findings of one check."""
    return [f for f in report["findings"] if f["check"] == check_id]


def line_of(file: Path, text: str) -> int:
    """Return the 1-based line of *file* containing *text*."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_clean_project_passes(tmp_path, capsys):
    code, report = check(capsys, project("clean", tmp_path), "--edition", "screen")
    assert code == 0
    assert report["summary"]["error"] == report["summary"]["warning"] == 0, report["findings"]
    assert report["schema"] == "booklet-check/1" and report["pages"]["screen"] >= 4


def test_missing_glyph_names_code_point_and_line(tmp_path, capsys):
    path = project("missing-glyph", tmp_path)
    code = main(["check", str(path), "--edition", "screen"])
    out = capsys.readouterr().out
    chapter = "seeds/chapters/01-glyph.md"
    line = line_of(path / chapter, "𓀀")
    assert code == 1
    assert "U+13000 𓀀" in out and f"{chapter}:{line}" in out


def test_missing_image_warns_on_screen_and_fails_print(tmp_path, capsys):
    path = project("missing-image", tmp_path)
    code, report = check(capsys, path, "--edition", "screen")
    (found,) = only(report, "image-missing")
    assert code == 0 and found["severity"] == "warning"
    assert (found["file"], found["line"]) == (
        "seeds/chapters/01-photo.md",
        line_of(path / "seeds/chapters/01-photo.md", "src: images/not-there.jpg"))
    assert check(capsys, path, "--edition", "screen", "--strict")[0] == 1
    code, report = check(capsys, path, "--edition", "print")
    assert code == 1 and only(report, "image-missing")[0]["severity"] == "error"


def test_broken_internal_link_and_local_file_link(tmp_path, capsys):
    path = project("broken-link", tmp_path)
    code, report = check(capsys, path, "--edition", "screen")
    chapter = path / "seeds/chapters/01-links.md"
    (broken,) = only(report, "link-broken")
    (local,) = only(report, "link-local")
    assert code == 1
    assert "#sec-nowhere-9" in broken["message"] and broken["page"]
    assert broken["line"] == line_of(chapter, "#sec-nowhere-9")
    assert local["line"] == line_of(chapter, "02-other.md")


def test_heading_at_page_foot(tmp_path, capsys):
    path = project("heading-at-foot", tmp_path)
    _, report = check(capsys, path, "--edition", "screen")
    (found,) = only(report, "heading-at-foot")
    assert "孤立的标题" in found["message"]
    assert found["line"] == line_of(path / "seeds/chapters/01-heading.md", "## 孤立的标题")
    assert found["page"] == 3 and found["severity"] == "warning"


def test_overflowing_text(tmp_path, capsys):
    path = project("overflow", tmp_path)
    code, report = check(capsys, path, "--edition", "screen")
    (found,) = only(report, "text-overflow")  # the address breaks at / . - ? & (urls.py)
    assert code == 1 and "A/RES/aaaa" in found["message"]
    assert found["line"] == line_of(path / "seeds/chapters/01-overflow.md", "A/RES/")


def test_low_resolution_image(tmp_path, capsys):
    path = project("low-res", tmp_path)
    (path / "seeds/images").mkdir()
    Image.new("RGB", (40, 30), (0, 120, 200)).save(path / "seeds/images/tiny.png")
    code, report = check(capsys, path, "--edition", "print")
    (found,) = only(report, "image-resolution")
    assert "images/tiny.png is 40×30 px" in found["message"] and "ppi" in found["message"]
    assert code == 1 and found["severity"] == "error" and "supply at least" in found["hint"]
    # The screen edition's photos are reduced to screen_ppi on purpose: not checked there.
    _, report = check(capsys, path, "--edition", "screen")
    assert not only(report, "image-resolution")
    assert found["line"] == line_of(path / "seeds/chapters/01-lowres.md", "src: images/tiny")


def test_rgb_image_in_print_edition_is_converted(tmp_path, capsys):
    """An RGB photo used to fail `check --edition print`; the image stage converts it now."""
    path = project("rgb-print", tmp_path)
    (path / "seeds/images").mkdir()
    Image.new("RGB", (1200, 800), (0, 158, 219)).save(path / "seeds/images/rgb.png")
    _, report = check(capsys, path, "--edition", "print")
    assert not only(report, "rgb-in-print"), report["findings"]
    (untagged,) = only(report, "image-colour")
    assert "untagged RGB" in untagged["message"] and untagged["file"] == "seeds/chapters/01-rgb.md"
    assert not only(report, "page-count") and not only(report, "pdfx"), report["findings"]


def _pdf(pages: int, boxes: bool = False) -> bytes:
    """Return a blank PDF of A5 pages, optionally with TrimBox and a 3 mm BleedBox."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(420, 595))
        if boxes:
            pdf.pages[-1].obj.TrimBox = pikepdf.Array([0, 0, 420, 595])
            pdf.pages[-1].obj.BleedBox = pikepdf.Array([-8.5, -8.5, 428.5, 603.5])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_page_count_and_pdfx_structure_of_print_pdf():
    from booklet.check.output import check_pdf
    from booklet.content.config import Config

    config = Config(title="t", slug="t", date="2024-01-01",
                    page={"width": "148.17mm", "height": "209.9mm"})
    found = check_pdf(_pdf(5), config, "print")
    checks = {f.check for f in found}
    assert {"page-count", "pdfx"} <= checks
    assert any("5 pages is not a multiple of 4" in f.message for f in found)
    assert any("no TrimBox/BleedBox (pages 1-5)" in f.message for f in found)
    assert any("output intent" in f.message for f in found)
    assert not [f for f in check_pdf(_pdf(8, boxes=True), config, "print")
                if f.check == "page-count" or "TrimBox" in f.message]


@pytest.mark.parametrize(("margin", "short"), [("0", True), ("-3mm", False)])
def test_background_must_reach_the_bleed(margin, short):
    from weasyprint import HTML

    from booklet.check.output import bleed

    html = ("<style>@page { size: 100mm 100mm; bleed: 3mm; margin: 0 } body { margin: 0 }"
            f"div {{ background: #009EDB; height: calc(100mm - 2 * {margin}); margin: {margin} }}"
            "</style><div></div>")
    found = list(bleed(HTML(string=html).write_pdf(), "print"))
    assert bool(found) is short
    if short:
        assert "(left, right, top, bottom)" in found[0].message and found[0].page == 1


def test_missing_glyphs_function(tmp_path):
    file = tmp_path / "a.md"
    problems = missing_glyphs({(file, 3): "正常文字，ok", (file, 7): "象形𓀀文字"},
                              ["Noto Serif CJK SC"])
    assert [(p.line, p.column) for p in problems] == [(7, 3)]
    assert "U+13000 𓀀" in problems[0].message


class LineBox(SimpleNamespace):
    """Stands in for WeasyPrint's LineBox (Row.is_line checks the class name)."""


def _rows(element: ElementTree.Element, *texts: str) -> list[Row]:
    box = LineBox(element=element, element_tag="p")
    return [Row(1, box, box, (), "flow", t, 0, 10, 0, 10) for t in texts]


def test_line_break_rules():
    p = ElementTree.fromstring("<p>支持3 530个青年，以及“引号”。</p>")
    assert _split("支持3", "530个青年", p)[0] == "number-split"
    assert _split("以及Loey", "Felipe说", ElementTree.fromstring("<p>以及Loey Felipe说</p>")) \
        is None
    index = SimpleNamespace(anchors={}, find=lambda s: None, locate_text=lambda t: None)
    found = list(_line_breaks(_rows(p, "支持3", "530个青年，以及“", "。引号”"), index, "screen"))
    assert {f.check for f in found} == {"number-split", "line-end", "line-start"}


def test_not_a_project_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    code, report = check(capsys, tmp_path)
    assert code == 2 and report["exit_code"] == 2 and "no booklet project" in report["error"]


def test_seed_booklet_passes_and_print_check_fails_on_placeholders(capsys):
    """`booklet check .` exits 0 on the seed; `--edition print` fails while photos are missing."""
    code, report = check(capsys, ROOT)
    assert code == 0, [f for f in report["findings"] if f["severity"] == "error"]
    assert report["editions"] == ["screen", "print"]
    photos = only(report, "image-missing")
    assert photos and all(f["severity"] == "warning" for f in photos)
    code, report = check(capsys, ROOT, "--edition", "print")
    assert code == 1
    assert {f["check"] for f in report["findings"] if f["severity"] == "error"} \
        == {"image-missing"}


def test_text_outside_the_safe_area(tmp_path, capsys):
    path = project("safe-area", tmp_path)
    code, report = check(capsys, path, "--edition", "screen")
    (found,) = only(report, "safe-area")
    assert code == 1 and "mm outside the safe area" in found["message"]
    assert found["line"] == line_of(path / "seeds/chapters/01-margin.md", "这一段被样式表")


def test_widows_and_orphans():
    from booklet.check.layout import _widows_orphans

    a, b = ElementTree.Element("p"), ElementTree.Element("p")
    rows = []
    for element, pages in ((a, [1, 2, 2, 2]), (b, [2, 2, 3])):
        box = LineBox(element=element, element_tag="p")
        rows += [Row(page, box, box, (), "flow", f"第{i}行文字", 0, 10, 0, 10)
                 for i, page in enumerate(pages)]
    index = SimpleNamespace(anchors={}, find=lambda s: None, locate_text=lambda t: None)
    found = sorted((f.check, f.page) for f in _widows_orphans(rows, index, "screen"))
    assert found == [("orphan", 1), ("widow", 3)]


def test_schema_errors_are_reported_with_their_line(tmp_path, capsys):
    from tests.conftest import make_project

    path = make_project(tmp_path / "bad", "---\ntitle: 坏块\nid: bad\n---\n\n正文。\n\n"
                        "```quote\ntext: 没有署名的引语。\n```\n")
    code, report = check(capsys, path)
    (found,) = only(report, "content")
    assert code == 1 and found["file"] == "seeds/chapters/01-test.md" and found["line"]
    assert report["skipped"] and not report["pages"]
