"""Class: outside files and special files. Every file the build reads passes one gate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.hostile.hostile_helpers import assert_located, project, run

SECRET = "SECRETMARKER-outside"


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A file outside the project whose text must never be printed."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"---\ntitle: {SECRET}\nid: x\n---\n\n{SECRET}\n", encoding="utf-8")
    return path


def test_symlinked_chapter_out_of_the_project(tmp_path, outside, capsys):
    root = project(tmp_path / "p")
    os.symlink(outside, root / "seeds" / "chapters" / "02-link.md")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "02-link.md", "outside the project folder")
    assert SECRET not in err.replace(str(outside), "")


def test_symlinked_template_out_of_the_project(tmp_path, outside, capsys):
    root = project(tmp_path / "p")
    (root / "layout").mkdir()
    os.symlink(outside, root / "layout" / "colophon.html")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "colophon.html", "outside the project folder")
    assert not (root / "dist" / "test-booklet.pdf").exists()


def test_symlinked_stylesheet_out_of_the_project(tmp_path, outside, capsys):
    root = project(tmp_path / "p")
    (root / "styles").mkdir()
    os.symlink(outside, root / "styles" / "components.css")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "components.css", "outside the project folder")


@pytest.mark.parametrize("entry", ["/etc/passwd", "../../etc/passwd", "chapters/../../x.md"])
def test_chapters_entries_leaving_the_project(tmp_path, capsys, entry):
    root = project(tmp_path / "p", extra=f"chapters: ['{entry}']\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml:", "chapters[0]", "inside the project")


def test_fifo_as_a_chapter_is_refused_without_blocking(tmp_path, capsys):
    root = project(tmp_path / "p")
    os.mkfifo(root / "seeds" / "chapters" / "02-pipe.md")
    code, err = run(capsys, "build", str(root))  # would block for ever if it were opened
    assert code == 2
    assert_located(err, "02-pipe.md", "named pipe")


def test_device_as_a_chapter_is_refused(tmp_path, capsys):
    root = project(tmp_path / "p", extra="chapters: [chapters/01-test.md, chapters/zero.md]\n")
    os.symlink("/dev/zero", root / "seeds" / "chapters" / "zero.md")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "chapters[1]", "outside the project")


def test_folder_where_a_chapter_is_expected(tmp_path, capsys):
    root = project(tmp_path / "p")
    (root / "seeds" / "chapters" / "02-folder.md").mkdir()
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "02-folder.md", "a folder, not a regular file")


def test_symlink_loop_in_chapters_is_a_message_not_a_traceback(tmp_path, capsys):
    root = project(tmp_path / "p")
    chapters = root / "seeds" / "chapters"
    os.symlink(chapters / "03-b.md", chapters / "02-a.md")
    os.symlink(chapters / "02-a.md", chapters / "03-b.md")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "02-a.md", "symlink loop")


def test_symlinked_booklet_yaml_out_of_the_project(tmp_path, outside, capsys):
    root = project(tmp_path / "p")
    (root / "seeds" / "booklet.yaml").unlink()
    os.symlink(outside, root / "seeds" / "booklet.yaml")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml", "outside the project folder")


@pytest.mark.parametrize("value,why", [
    ("/", "a folder, not a regular file"),
    ("{tmp}", "a folder, not a regular file"),
    ("/etc/passwd", "not an ICC profile"),
    ("/dev/null", "a device, not a regular file"),
    ("missing.icc", "does not exist"),
])
def test_icc_profile_must_be_one_cmyk_icc_file(tmp_path, capsys, value, why):
    value = value.replace("{tmp}", str(tmp_path))
    root = project(tmp_path / "p")
    config = root / "seeds" / "booklet.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "imposed: false}", f"imposed: false, icc_profile: '{value}'}}")
    config.write_text(text, encoding="utf-8")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml:", "editions.icc_profile", why)


def test_rgb_icc_profile_is_refused(tmp_path, capsys):
    rgb = Path("/usr/share/color/icc/ghostscript/default_rgb.icc")
    if not rgb.is_file():
        pytest.skip("no RGB profile on this machine")
    root = project(tmp_path / "p")
    config = root / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "imposed: false}", f"imposed: false, icc_profile: '{rgb}'}}"), encoding="utf-8")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "editions.icc_profile", "not CMYK")


def test_attachments_inside_the_project_only(tmp_path, outside, capsys):
    root = project(tmp_path / "p", extra=f"attachments: ['{outside}']\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml:", "attachments[0]", "absolute path")


def test_attachment_is_embedded(tmp_path, capsys):
    import pikepdf

    root = project(tmp_path / "p", extra="attachments: [seeds/data/table.csv]\n")
    (root / "seeds" / "data").mkdir()
    (root / "seeds" / "data" / "table.csv").write_text("年,数\n2023,1\n", encoding="utf-8")
    code, err = run(capsys, "build", str(root), "-q")
    assert code == 0, err
    with pikepdf.open(root / "dist" / "test-booklet.pdf") as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert files == {"table.csv": "年,数\n2023,1\n".encode()}


@pytest.mark.parametrize("body,line", [
    ("## 标题![x](http://127.0.0.1:9/x.png)\n", 6),
    ("正文[^1]。\n\n[^1]: 注释![x](http://127.0.0.1:9/x.png)\n", 8),
    ("```callout\ntitle: 框\ntext: 文字![x](http://127.0.0.1:9/x.png)\n```\n", 6),
])
def test_refused_images_outside_prose_are_located(tmp_path, capsys, body, line):
    root = project(tmp_path / "p", body=body)
    code, err = run(capsys, "build", str(root), "-v")
    assert code == 0
    assert f"01-test.md:{line}: refused to load http://127.0.0.1:9/x.png" in err


def test_refused_url_in_a_stylesheet_is_located(tmp_path, capsys):
    root = project(tmp_path / "p")
    (root / "styles").mkdir()
    (root / "styles" / "components.css").write_text(
        "/* mine */\nbody { background: url(/etc/hostname); }\n", encoding="utf-8")
    code, err = run(capsys, "build", str(root), "-v")
    assert code == 0
    assert "components.css:2: refused to load file:///etc/hostname" in err


@pytest.mark.parametrize("kind", ["loop", "fifo", "outside"])
def test_chart_data_file_through_the_gate(tmp_path, outside, capsys, kind):
    root = project(tmp_path / "p", body="```chart\nfigure: f\ndata: data/d.yaml\n"
                   "caption: 图\n```\n")
    (root / "figures").mkdir()
    (root / "figures" / "f.py").write_text("x = 1\n", encoding="utf-8")
    data = root / "seeds" / "data"
    data.mkdir()
    if kind == "loop":
        os.symlink(data / "d.yaml", data / "d.yaml")
    elif kind == "fifo":
        os.mkfifo(data / "d.yaml")
    else:
        os.symlink(outside, data / "d.yaml")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:6", "seeds/data/d.yaml",
                   {"loop": "symlink loop", "fifo": "named pipe", "outside": "outside"}[kind])


def test_bad_source_date_epoch(tmp_path, monkeypatch, capsys):
    root = project(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 30)
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "SOURCE_DATE_EPOCH", "beyond")


@pytest.mark.parametrize("kind", ["folder", "fifo", "loop"])
def test_booklet_yaml_that_is_not_a_file(tmp_path, capsys, kind):
    root = project(tmp_path / "p")
    config = root / "seeds" / "booklet.yaml"
    config.unlink()
    {"folder": config.mkdir, "fifo": lambda: os.mkfifo(config),
     "loop": lambda: os.symlink(config, config)}[kind]()
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml", {"folder": "a folder", "fifo": "named pipe",
                                         "loop": "symlink loop"}[kind])


def test_outside_reference_inside_an_svg_is_refused_and_located(tmp_path, outside, capsys):
    root = project(tmp_path / "p", body="正文。\n\n![图](images/a.svg)\n")
    (root / "seeds" / "images").mkdir()
    (root / "seeds" / "images" / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">\n'
        f'<image href="{outside.as_uri()}" width="50" height="50"/>\n</svg>\n',
        encoding="utf-8")
    code, err = run(capsys, "build", str(root), "-v")
    assert code == 0
    assert f"a.svg:2: refused to load {outside.as_uri()}: it is outside" in err
