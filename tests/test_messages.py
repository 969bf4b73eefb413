"""Messages a new writer meets: each names the file and line and gives a fix that works."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.cli import main
from booklet.tools.scaffold import new_project


@pytest.fixture()
def fresh(tmp_path: Path) -> Path:
    folder = tmp_path / "mybook"
    new_project(folder)
    return folder


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _chapter(folder: Path) -> Path:
    return folder / "seeds" / "chapters" / "01-chapter-one.md"


def test_unknown_keys_get_did_you_mean(fresh, capsys):
    _edit(fresh / "seeds" / "booklet.yaml", "subtitle:", "subtitel:")
    _edit(fresh / "seeds" / "booklet.yaml", "  body_size:", "  body_sise:")
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 2
    err = capsys.readouterr().err
    assert "did you mean `subtitle`?" in err and "did you mean `body_size`?" in err
    _edit(fresh / "seeds" / "booklet.yaml", "subtitel:", "subtitle:")
    _edit(fresh / "seeds" / "booklet.yaml", "  body_sise:", "  body_size:")
    _edit(_chapter(fresh), 'caption: "示例图表', 'captoin: "示例图表')
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 2
    assert "did you mean `caption`?" in capsys.readouterr().err


def test_unknown_page_size_says_the_names_and_the_form(fresh, capsys):
    _edit(fresh / "seeds" / "booklet.yaml", "size: 170x240mm", "size: A3")
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 2
    err = capsys.readouterr().err
    assert "unknown page size 'A3'" in err and "change the value as described" not in err
    assert "fix: use one of A4, A5, A6" in err and "WIDTHxHEIGHTmm" in err


def test_page_size_without_unit_is_read_as_mm():
    from booklet.content.pagesize import parse_size

    assert parse_size("148x210") == parse_size("148x210mm") == parse_size("a5")


def test_project_dir_that_is_a_file_names_the_folder(fresh, capsys):
    assert main(["build", str(_chapter(fresh)), "--no-server"]) == 2
    err = capsys.readouterr().err
    assert "PROJECT_DIR is a file; give the project folder (the one holding seeds/)" in err
    assert f"give the folder {fresh.resolve()}" in err


def test_photo_in_a_misspelt_folder_suggests_the_existing_file(fresh, capsys):
    (fresh / "seeds" / "images" / "tomatoes.jpg").write_bytes(b"not read")
    _edit(_chapter(fresh), "src: images/example.jpg", "src: image/tomatoes.jpg")
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 0
    err = capsys.readouterr().err
    line = next(n for n, t in enumerate(_chapter(fresh).read_text(encoding="utf-8")
                                        .splitlines(), 1) if t.startswith("src: image/"))
    assert f"01-chapter-one.md:{line}: photo.src" in err  # the `src:` line, as check says
    assert "did you mean `src: images/tomatoes.jpg`? That file exists" in err


def test_missing_data_file_suggests_the_writers_own_file(fresh, capsys):
    (fresh / "seeds" / "data" / "harvest.yaml").write_text("x: 1\n", encoding="utf-8")
    _edit(_chapter(fresh), "data: data/example-bars.yaml", "data: data/harvest.yml")
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 2
    err = capsys.readouterr().err
    assert "did you mean `data: data/harvest.yaml`?" in err
    assert "humanitarian-funding" not in err


def test_figure_failure_traceback_under_debug(fresh, capsys):
    _edit(fresh / "figures" / "example-bars.py", "[item.label for", "[item.lable for")
    assert main(["build", str(fresh), "--no-server", "--edition", "screen"]) == 2
    err = capsys.readouterr().err
    assert "AttributeError" in err and "`booklet --debug build` prints the traceback" in err
    assert "Traceback" not in err
    try:
        assert main(["--debug", "build", str(fresh), "--edition", "screen"]) == 2
    finally:
        import os

        os.environ.pop("BOOKLET_DEBUG", None)
    err = capsys.readouterr().err
    assert "example-bars.py\", line" in err and "item.lable" in err


def test_build_says_how_many_notes_pages_it_added(fresh, capsys):
    assert main(["build", str(fresh), "--no-server", "--edition", "print"]) == 0
    out = capsys.readouterr().out
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(fresh / "dist" / "mybook-print.pdf")))
    assert pages % 4 == 0
    assert "notes page" in out and f"added (笔记) to make {pages} pages, a multiple of 4" in out


def test_check_header_mentions_placeholders_only_when_there_are_some(fresh, capsys):
    from PIL import Image

    main(["check", str(fresh), "--edition", "screen"])
    assert "photo placeholders count as warnings" in capsys.readouterr().out
    Image.new("RGB", (1200, 800), (90, 140, 60)).save(fresh / "seeds" / "images" / "example.jpg",
                                                      dpi=(300, 300))
    main(["check", str(fresh), "--edition", "screen"])
    assert "photo placeholders count as warnings" not in capsys.readouterr().out


def test_photo_dateline_uses_full_width_brackets_for_chinese():
    from booklet.content.blocks import Photo

    photo = Photo(src="images/a.jpg", caption="说明", place="社区花园", date="2023年8月")
    assert photo.dateline == "（社区花园；2023年8月）"
    assert Photo(src="images/a.jpg", caption="c", place="Nairobi", date="2024").dateline \
        == "(Nairobi；2024)"
