"""Bad and hostile input: one clear located message each, no traceback, nothing leaked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import make_project

from booklet.cli import main

FRONT = "---\ntitle: 第一章\nid: one\n---\n"


def _run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["build", str(root), "--edition", "screen", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _write(root: Path, data: bytes, name: str = "01-test.md") -> Path:
    make_project(root, "x", name=name)
    (root / "seeds" / "chapters" / name).write_bytes(data)
    return root


CATALOGUE = {
    "malformed front matter": (b"---\ntitle: [\nid: one\n---\n", "01-test.md:2", "YAML syntax"),
    "front matter never closed": (b"---\ntitle: a\nid: one\n", "01-test.md:1", "never closed"),
    "no front matter": ("正文。\n".encode(), "01-test.md:1", "no front matter"),
    "wrong type": ((FRONT + "```stats\nitems: 3\n```\n").encode(), "01-test.md:6",
                   "stats.items"),
    "unknown front matter key": ((FRONT.replace("id: one", "id: one\nauthor: x")).encode(),
                                 "01-test.md:4", "unknown key 'author'"),
    "non-UTF-8 bytes": ((FRONT + "正文").encode() + b"\xff\n", "01-test.md:5:7", "not UTF-8"),
    "tab in YAML": ((FRONT + "```quote\ntext: 引\n\tname: 某\n```\n").encode(), "01-test.md:7",
                    "replace the tab with spaces"),
    "control character": ((FRONT + "正文\x07。\n").encode(), "01-test.md:5:3", "U+0007"),
    "deeply nested list": ((FRONT + "".join("  " * i + "- 层\n" for i in range(60))).encode(),
                           "01-test.md:", "nested too deeply"),
    "photo path leaves the project": (
        (FRONT + "```photo\nsrc: ../../etc/hostname\ncaption: 说明\n```\n").encode(),
        "01-test.md:6", "may not leave the project"),
    "level-1 heading": ((FRONT + "# 标题\n").encode(), "01-test.md:5", "level-1 heading"),
    "block without type": ((FRONT + "```\ncode\n```\n").encode(), "01-test.md:5",
                           "without a type"),
}


@pytest.mark.parametrize("case", CATALOGUE)
def test_bad_input_gives_one_located_message(case, tmp_path, capsys):
    data, where, what = CATALOGUE[case]
    code, err = _run(_write(tmp_path, data), capsys)
    assert code == 2
    assert where in err and what in err, err
    assert "fix:" in err


def test_all_content_errors_are_reported_in_one_run(tmp_path, capsys):
    root = _write(tmp_path, (FRONT + "```quote\ntext: 引\n```\n").encode())
    (root / "seeds" / "chapters" / "02-two.md").write_text(
        "---\ntitle: 二\nid: one\n---\n```gallery\n```\n", encoding="utf-8")
    code, err = _run(root, capsys)
    assert code == 2
    assert "01-test.md:6: quote.name" in err
    assert "02-two.md:5: unknown block type 'gallery'" in err


def test_duplicate_ids_and_keys(tmp_path, capsys):
    root = _write(tmp_path, (FRONT + "```quote\ntext: 引\nname: 甲\nname: 乙\n```\n").encode())
    (root / "seeds" / "chapters" / "02-two.md").write_text(
        "---\ntitle: 二\nid: one\n---\n正文。\n", encoding="utf-8")
    code, err = _run(root, capsys)
    assert code == 2
    assert "01-test.md:8:1: key 'name' is given twice" in err
    assert "02-two.md:2: id: chapter id 'one' is already used by 01-test.md" in err


def test_bom_crlf_and_empty_chapter_build(tmp_path, capsys):
    root = _write(tmp_path, ("\ufeff" + FRONT + "第一行\n第二行。\n").replace("\n", "\r\n")
                  .encode("utf-8"))
    (root / "seeds" / "chapters" / "02-empty.md").write_text(
        "---\ntitle: 空章\nid: empty\n---\n", encoding="utf-8")
    code, err = _run(root, capsys)
    assert code == 0
    assert "02-empty.md:5: the chapter has no content" in err
    assert (root / "dist" / "test-booklet.pdf").is_file()


def test_missing_config_and_missing_project(tmp_path, capsys):
    code, err = _run(tmp_path, capsys)
    assert code == 2 and "seeds/booklet.yaml does not exist" in err
    assert "booklet new" in err


SECRET_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
              '<text x="0" y="30" font-size="20">SECRETMARKER</text></svg>')


def _pdf_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_hostile_references_are_refused_and_located(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.svg").write_text(SECRET_SVG, encoding="utf-8")
    root = tmp_path / "project"
    # A relative path out of seeds/ is a located error (tests/content/test_mdimages.py).
    chapter = (FRONT + "正文。\n\n段落。\n\n"
               "![b](http://127.0.0.1:9/x.png)\n\n![c](images/link.svg)\n\n"
               f"![d](file://{outside}/secret.svg)\n")
    _write(root, chapter.encode())
    (root / "seeds" / "images").mkdir()
    os.symlink(outside / "secret.svg", root / "seeds" / "images" / "link.svg")
    code, err = _run(root, capsys, "-v")
    assert code == 0
    assert "01-test.md:9: refused to load http://127.0.0.1:9/x.png: network access is off" in err
    assert "01-test.md:11: refused to load" in err and "link.svg" in err
    text = _pdf_text(root / "dist" / "test-booklet.pdf")
    assert "正文" in text
    assert "SECRETMARKER" not in text


def test_an_image_inside_the_project_is_loaded(tmp_path, capsys):
    root = _write(tmp_path, (FRONT + "正文。\n\n![a](images/ok.svg)\n").encode())
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "images" / "ok.svg").write_text(SECRET_SVG, encoding="utf-8")
    code, err = _run(root, capsys)
    assert code == 0, err
    assert "SECRETMARKER" in _pdf_text(root / "dist" / "test-booklet.pdf")


def test_raw_html_and_file_links_never_reach_the_renderer(tmp_path, capsys):
    chapter = (FRONT + '<img src="/etc/hostname"><link rel="attachment" href="/etc/passwd">\n\n'
               "![x](file:///etc/passwd)\n")
    root = _write(tmp_path, chapter.encode())
    code, _ = _run(root, capsys)
    assert code == 0
    pdf = (root / "dist" / "test-booklet.pdf").read_bytes()
    assert b"/EmbeddedFile" not in pdf
    assert b"root:x:0:0" not in pdf


def test_missing_glyph_is_a_located_build_warning(tmp_path, capsys):
    root = _write(tmp_path, (FRONT + "古文𓀀字。\n").encode())
    code, err = _run(root, capsys)
    assert code == 0
    assert "01-test.md:5:3: no font in use can draw U+13000 𓀀" in err


def _prose(chars: int) -> str:
    """Return Chinese prose of about *chars* characters cut from the source text."""
    from tests.conftest import SOURCE

    text = "".join(line for line in SOURCE.read_text(encoding="utf-8").splitlines()
                    if len(line) > 60 and not line.startswith(("#", "(", "“", "-")))
    text = text.replace("<sup>1</sup> ", "")
    return (text * (chars // len(text) + 1))[:chars]


def test_a_60000_character_paragraph_builds(tmp_path, capsys):
    root = _write(tmp_path, (FRONT + _prose(60_000) + "\n").encode())
    code, err = _run(root, capsys)
    assert code == 0, err
    import pypdfium2 as pdfium

    assert len(pdfium.PdfDocument(str(root / "dist" / "test-booklet.pdf"))) > 50


def test_a_500_page_chapter_builds(tmp_path, capsys):
    paragraph = _prose(1_000)
    body = "\n\n".join(paragraph for _ in range(520))  # ~1 000 characters a paragraph
    root = _write(tmp_path, (FRONT + body + "\n").encode())
    code, err = _run(root, capsys)
    assert code == 0, err
    import pypdfium2 as pdfium

    assert len(pdfium.PdfDocument(str(root / "dist" / "test-booklet.pdf"))) >= 500
