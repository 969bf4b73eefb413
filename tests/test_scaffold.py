"""`booklet new`: a new project builds at once, and its own files override the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.cli import main
from booklet.tools.scaffold import new_project, slug_for


def _pages(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "my-booklet"
    assert main(["new", str(folder), "--title", "测试小册子"]) == 0
    return folder


def test_new_project_has_seeds_and_override_folders(project):
    assert (project / "seeds" / "booklet.yaml").is_file()
    assert list((project / "seeds" / "chapters").glob("*.md"))
    assert (project / "styles").is_dir() and (project / "layout").is_dir()
    assert "slug: my-booklet" in (project / "seeds" / "booklet.yaml").read_text(encoding="utf-8")


def test_new_project_builds_at_once(project):
    from booklet.build import build

    result = build(project, edition="screen")
    assert [w.message for w in result.warnings if w.message.startswith("WeasyPrint")] == []
    pdf = project / "dist" / "my-booklet.pdf"
    pages = _pages(pdf)
    assert len(pages) >= 4
    assert "测试小册子" in pages[0]
    text = "".join(pages)
    for shown in ("目录", "第一章", "1 500万", "引语用楷体", "图片待补", "如何修改设计",
                  "示例图表：各地区受益人数", "用图1引用它"):
        assert shown.replace(" ", "") in text.replace(" ", "").replace("\u202f", "")


def test_project_files_override_the_shipped_design(project, tmp_path):
    """A stylesheet and a template of the same name in the project replace the defaults."""
    (project / "styles" / "screen.css").write_text(
        ".cover { background: rgb(255, 0, 0); }\n", encoding="utf-8")
    (project / "layout" / "back-cover.html").write_text(
        '<section class="back-cover" aria-label="封底"><p>项目自己的封底</p></section>\n',
        encoding="utf-8")
    try:
        assert main(["build", str(project), "--edition", "screen", "--out", str(tmp_path)]) == 0
        pdf = tmp_path / "my-booklet.pdf"
        assert "项目自己的封底" in _pages(pdf)[-1]
        from booklet.tools.proof import page_images

        cover = page_images(pdf, dpi=10, pages=[0])[0].convert("RGB").tobytes()
        pixels = [cover[i:i + 3] for i in range(0, len(cover), 3)]
        red = sum(r > 200 and g < 60 and b < 60 for r, g, b in pixels) / len(pixels)
        assert red > 0.7, "the project's screen.css did not apply"
    finally:
        (project / "styles" / "screen.css").unlink()
        (project / "layout" / "back-cover.html").unlink()


def test_new_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("x")
    assert main(["new", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_slug_from_folder_name():
    assert slug_for(Path("My Booklet 2024")) == "my-booklet-2024"
    assert slug_for(Path("小册子")) == "booklet"


def test_proof_writes_pages_and_contact_sheet(project):
    assert main(["proof", str(project), "--dpi", "30"]) == 0
    proof = project / "dist" / "proof"
    assert (proof / "contact-sheet.png").is_file()
    assert len(list(proof.glob("page-*.png"))) >= 4


def test_new_project_writes_into_new_folder_only(tmp_path):
    files = new_project(tmp_path / "a" / "b")
    assert all(str(f).startswith(str(tmp_path / "a" / "b")) for f in files)
