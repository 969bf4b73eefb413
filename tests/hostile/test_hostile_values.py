"""Class: values the loader accepts but the book cannot use: each a located error, exit 2."""

from __future__ import annotations

import pytest
from tests.hostile.hostile_helpers import assert_located, project, run

GEOMETRY = {
    "page 1 mm wide": ("page: {width: 1mm}\n", "page.width", "50mm to 1000mm"),
    "page 10 m high": ("page: {height: 10000mm}\n", "page.height", "50mm to 1000mm"),
    "body size 0": ("typography: {body_size: 0pt}\n", "typography.body_size", "5pt to 30pt"),
    "body size 100": ("typography: {body_size: 100pt}\n", "typography.body_size", "5pt to 30pt"),
    "margins eat the page": ("page: {width: 60mm, margin: {inner: 30mm, outer: 30mm}}\n",
                             "page", "text block"),
    "bleed 5 cm": ("page: {bleed: 5cm}\n", "page.bleed", "0mm to 20mm"),
    "type size 0": ("sizes: {title: 0pt}\n", "sizes", "4pt to 200pt"),
    "creep 1 cm": ("editions: {creep: 1cm}\n", "editions.creep", "0mm to 2mm"),
    "slug 200 long": ("slug: " + "a" * 200 + "\n", "slug", "at most 80"),
    "figure timeout 0": ("figure_timeout: 0\n", "figure_timeout", "more than 0"),
}


@pytest.mark.parametrize("name", list(GEOMETRY))
def test_config_value_out_of_range(tmp_path, capsys, name):
    extra, field, words = GEOMETRY[name]
    root = project(tmp_path / "p")
    config = root / "seeds" / "booklet.yaml"
    text = config.read_text(encoding="utf-8")
    if extra.startswith(("slug:", "editions:")):  # replace the key make_project wrote
        key = extra.split(":")[0]
        text = "\n".join(line for line in text.splitlines() if not line.startswith(key)) + "\n"
        if key == "editions":
            extra = "editions: {screen: true, print: false, imposed: false, creep: 1cm}\n"
    config.write_text(text + extra, encoding="utf-8")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "booklet.yaml:", field, words)


def test_qr_url_too_long(tmp_path, capsys):
    url = "https://example.org/" + "a" * 3000
    root = project(tmp_path / "p", body=f"```qr\nurl: {url}\ncaption: 扫码\n```\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:7", "qr.url", "at most 2331")


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u202a"])
def test_bidi_controls_are_reported(tmp_path, capsys, char):
    root = project(tmp_path / "p", body=f"正文abc{char}def。\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:6:6", f"U+{ord(char):04X}", "reorder")


def test_proof_dpi_zero(tmp_path, capsys):
    root = project(tmp_path / "p")
    code, err = run(capsys, "proof", str(root), "--dpi", "0")
    assert code == 2
    assert_located(err, "--dpi", "range")


@pytest.mark.parametrize("title", ["a\x01b", "标题\u202e反", "两\n行", "", "长" * 300])
def test_new_title_that_would_not_build(tmp_path, capsys, title):
    code, err = run(capsys, "new", str(tmp_path / "n"), "--title", title)
    assert code == 2
    assert_located(err, "--title")
    assert not (tmp_path / "n").exists()


def test_new_with_a_long_folder_name_builds(tmp_path, capsys):
    folder = tmp_path / ("很长的名字" + "x" * 150)
    code, _ = run(capsys, "new", str(folder))
    assert code == 0
    from booklet.content.config import load_project

    assert len(load_project(folder).config.slug) <= 80


def test_inline_markup_nested_too_deeply(tmp_path, capsys):
    root = project(tmp_path / "p", body="*" * 3000 + "深" + "*" * 3000 + "\n")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "01-test.md:6", "nested too deeply")
